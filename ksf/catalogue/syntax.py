"""Messages of rule text that does not parse: the parser, its hints and its limits.

What the parser expected is a list of figures (`WORDS` below, keywords, signs) joined with
`LIST` (``, `` in English, ``、`` in Chinese), so ``expected …`` is written in the reader's
language. A keyword the person did not type (the example of a clause, `base by`) is a
`ksf.message.Keyword` figure; one they typed is quoted as typed.
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# ---- what the parser expected, and what it found (ksf.dsl.syntax_errors) -----------------
LIST = Say("{first}, {rest}", "{first}、{rest}")
QUOTED = Say("'{word}'", "'{word}'")
A_NAME = Say("a name", "一个名称")
A_NUMBER = Say("a number", "一个数字")
A_MONTH = Say("a month like 2026-07", "形如 2026-07 的月份")
A_PERCENTAGE = Say("a percentage", "一个百分数")
A_RATIO = Say("a ratio like 1:3", "形如 1:3 的比率")
A_LABEL = Say('a quoted label like "产品开发"', '形如 "产品开发" 的带引号标签')
A_COMPARISON = Say("a comparison (>=, >, <=, <)", "比较符号（>=, >, <=, <）")
A_SEPARATOR = Say("a new line or ';'", "换行或 ';'")
THE_END = Say("the end of the file", "文件结尾")
FOUND_END = Say("end of the file", "文件结尾")
FOUND_LINE_END = Say("end of the line", "行尾")
FOUND_NAME = Say("name '{name}'", "名称 '{name}'")
FOUND_NUMBER = Say("number {number}", "数字 {number}")
FOUND_SIGN = Say("'{sign}'", "符号 '{sign}'")
UNEXPECTED = Say("unexpected {found}; expected {expected}", "此处不应出现{found}；期望：{expected}")
EXPECTED = Say("expected {expected}", "期望：{expected}")
ENDS_MID_STATEMENT = Say("the file ends in the middle of a statement",
                         "文件在一条语句的中途结束了")
NOT_CLOSED_AT_END = Say("the block opened on line {line} is not closed: add '}}' at the end",
                        "第 {line} 行开始的块没有闭合：请在文件末尾加上 '}}'")
NOT_CLOSED = Say("the block opened on line {line} is not closed",
                 "第 {line} 行开始的块没有闭合")
ADD_BRACE = Say("add '}}' before this statement", "请在这条语句之前加上 '}}'")
UNKNOWN_STATEMENT = Say("unknown statement '{word}'", "未知的语句 '{word}'")
LOWER_CASE = Say("keywords are lower case: '{keyword}'", "关键字要用小写：'{keyword}'")
OVER_COLUMN = Say("`{over}` is followed by the column that makes the groups, or `{all}`",
                  "`{over}` 后面写用来分组的数据列，或 `{all}`")

# ---- a character no token starts with (ksf.dsl.hints) -------------------------------------
UNEXPECTED_CHARACTER = Say("unexpected character {char}", "此处不应出现字符 {char}")
PERCENT_ALONE = Say("'%' must follow a plain number directly, as in 30%",
                    "'%' 必须紧跟在一个普通数字后面，如 30%")
RATIO_SIDES = Say("a ratio is written with numbers on both sides, as in 1:3",
                  "比率的两边都要写数字，如 1:3")
FULL_WIDTH_SPACE = Say("this is a full-width space; type an ordinary space instead",
                       "这是全角空格，请改用普通（半角）空格")
CHINESE_PUNCTUATION = Say("this is Chinese punctuation; type '{plain}' instead",
                          "这是中文标点，请改用 '{plain}'")
MATH_SIGN = Say("operators are written in ASCII: type '{sign}' instead",
                "运算符要用 ASCII 字符书写：请改用 '{sign}'")
FULL_WIDTH_CHARACTER = Say("this is a full-width character; type '{plain}' instead",
                           "这是全角字符，请改用 '{plain}'")

# ---- habits of office writing (ksf.dsl.hints) ---------------------------------------------
THOUSANDS_COMMA = Say("write thousands without commas: 6000 or 6_000",
                      "千位不要用逗号分隔：写 6000 或 6_000")
CLAUSE_COMMA = Say("clauses are separated by spaces: delete the comma",
                   "子句之间用空格分隔：删去逗号")
NAME_QUOTED = Say("names are written without quotes: {name}", "名称不加引号：{name}")
NOT_A_KEYWORD = Say("'{word}' is not a keyword: write '{chinese}' (or '{english}')",
                    "'{word}' 不是关键字：请写 '{chinese}'（或 '{english}'）")
FLOOR_NOT_MIN_PAY = Say(
    "'保底' is `floor`, a clause of a rule; a minimum pay is '最低工资 {value}'",
    "'保底' 是规则的保底子句（`floor`），不是最低工资；最低工资写作 '最低工资 {value}'")
SLASH_COMMENT = Say("a comment starts with '#'", "注释以 '#' 开头")
ARROW = Say("write '>=' for '=>'", "'=>' 应写作 '>='")
DOUBLE_EQUALS = Say("to compare, write '=='", "比较相等请写 '=='")
WAN_APART = Say("write 万 right after the number, without a space: {number}万",
                "万 要紧跟在数字后面，中间不留空格：{number}万")
WAN_PLAIN_ONLY = Say("only a plain number takes 万 (100万), not a percentage or a ratio",
                     "只有普通数字可以带 万（100万），百分数和比率不行")
NO_UNIT = Say("numbers carry no unit: write {number} for {written}",
              "数字不带单位：{written} 请写作 {number}")
NO_UNIT_BUT_WAN = Say("numbers carry no unit but 万: write {number} for {written}",
                      "数字除 万 以外不带单位：{written} 请写作 {number}")
JOINED_KEYWORD = Say("keywords are separated from names by spaces: did you mean `{split}`?",
                     "关键字与名称之间要用空格隔开：是不是要写 `{split}`？")
CONTINUED = Say(
    "a statement ends at the end of its line: if `{word}` belongs to the statement on line "
    "{line}, move it to the end of that line",
    "一条语句在行尾结束：如果 `{word}` 属于第 {line} 行的语句，请把它移到那一行的末尾")
NO_VALUE = Say("`{clause}` has no value: `{keyword}` is a keyword, not a value",
               "`{clause}` 缺少取值：`{keyword}` 是关键字，不是取值")
VALUE_AFTER = Say(
    "write the value after `{clause}`: {balance} 30% {step} 1% {reward} 200",
    "在 `{clause}` 后面写上取值：{balance} 30% {step} 1% {reward} 200")

# ---- numbers (ksf.dsl.numbers, ksf.dsl.to_ast_exprs) --------------------------------------
NUMBER_TOO_LARGE = Say("the number {number} is too large", "数字 {number} 太大")
NUMBER_BELOW = Say(
    "a number in rules is below 1_000_000_000_000_000 (15 digits before the point)",
    "规则中的数字要小于 1_000_000_000_000_000（整数部分最多 15 位）")
NUMBER_TOO_SMALL = Say("the number {number} is too small", "数字 {number} 太小")
NUMBER_AT_LEAST = Say(
    "a number in rules other than 0 is at least 0.000000000000001 (1e-15)",
    "规则中除 0 以外的数字至少为 0.000000000000001（1e-15）")
RATIO_NOTHING_SPENT = Say("the ratio {ratio} has nothing spent",
                          "比率 {ratio} 的投入（冒号左边）为 0")

# ---- `base by` (ksf.dsl.to_ast) -----------------------------------------------------------
BASE_BY_DEFAULT = Say(
    "`{base} {by}` has no `{word}` row: every value of the column is listed",
    "`{base} {by}` 没有 `{word}` 行：数据列的每个取值都要逐一列出")
BASE_BY_QUOTE = Say(
    'list each value the column holds; for a value named {word}, quote it: "{word}"',
    '请列出该数据列的每个取值；若某个取值就叫 {word}，请加引号："{word}"')

# ---- limits (ksf.dsl.limits, ksf.rule_text) -----------------------------------------------
TOO_MANY_CHARACTERS = Say("the file has {count} characters; rule files are limited to {limit}",
                          "文件有 {count} 个字符；规则文件最多 {limit} 个字符")
TOO_MANY_LINES = Say("the file has {count} lines; rule files are limited to {limit}",
                     "文件有 {count} 行；规则文件最多 {limit} 行")
LINE_TOO_LONG = Say("line {line} has {count} characters; rule lines are limited to {limit}",
                    "第 {line} 行有 {count} 个字符；规则每行最多 {limit} 个字符")
SPLIT_STATEMENT = Say("split the statement, or define parts of it as indicators",
                      "请拆分这条语句，或把其中一部分定义为指标")
TOO_MANY_TOKENS = Say(
    "the rules have more than {limit} words, numbers and signs; a rule file is limited to "
    "that many",
    "规则中的词、数字和符号超过 {limit} 个；一个规则文件最多只能有这么多")
SPLIT_OR_TABLE = Say(
    "split the rules into several files, or use a table for many similar rows",
    "请把规则拆成几个文件，或用系数表写许多相似的行")
TOO_DEEP = Say(
    "the rules contain an expression more than {depth} operations deep (nested or chained)",
    "规则中有一个表达式的运算超过 {depth} 层（嵌套或连写）")
TOO_MANY_NODES = Say("the rules contain more than {count} syntax nodes",
                     "规则中的语法节点超过 {count} 个")
TOO_MANY_BYTES = Say("the file has more than {limit} bytes; a rule file is a few kilobytes",
                     "文件超过 {limit} 字节；规则文件一般只有几 KB")
FORMATTED_TOO_MANY_LINES = Say(
    "formatted, the file would have {count} lines, more than the {limit} a rule file may have",
    "格式化后文件将有 {count} 行，超过规则文件最多允许的 {limit} 行")
SPLIT_FILES = Say("split the rules into several files", "请把规则拆成几个文件")
FORMATTED_LINE_TOO_LONG = Say(
    "formatted, line {line} would have {count} characters, more than the {limit} a rule line "
    "may have",
    "格式化后第 {line} 行将有 {count} 个字符，超过规则每行最多允许的 {limit} 个")
SHORTEN_LINE = Say("shorten the line first: define parts of it as indicators",
                   "请先缩短这一行：把其中一部分定义为指标")

# ---- encoding (ksf.rule_text) --------------------------------------------------------------
LONE_SURROGATE = Say(
    "the file has a character that is not valid Unicode ({code}, a lone surrogate)",
    "文件中有一个无效的 Unicode 字符（{code}，单独的代理项）")
SURROGATE_ESCAPE = Say(
    "such text comes from bytes decoded with errors='surrogateescape'; read the file with "
    "`ksf.load`, which decodes UTF-8",
    "这种文本来自用 errors='surrogateescape' 解码的字节；请用 `ksf.load` 读取文件，它按 "
    "UTF-8 解码")
NOT_UTF8 = Say("the file is not UTF-8 text (byte 0x{byte})",
               "文件不是 UTF-8 文本（字节 0x{byte}）")
SAVE_AS_UTF8 = Say("save the file as UTF-8{utf16}{gbk}",
                   "请把文件另存为 UTF-8 编码{utf16}{gbk}")
IS_UTF16 = Say("; it is UTF-16, which Windows Notepad calls 'Unicode'",
               "；它是 UTF-16 编码，即 Windows 记事本所说的 'Unicode'")
IS_GBK = Say("; it reads as GBK, the encoding Chinese Windows editors save by default",
             "；它可按 GBK 读出，这是中文 Windows 编辑器默认保存的编码")
