"""Messages of reading and writing files, payslips, plots and ksf.testing.

`joined` strings several messages into one (``line 3 has 2, line 5 has 4``), each written in
the language of the whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from ksf.message import Message, Say

# fmt: off
# ---- around any message ---------------------------------------------------------------------
IN_FILE = Say("{path}: {message}", "{path}：{message}")
AT_LINE = Say("line {line}: {message}", "第 {line} 行：{message}")
COMMA = Say("{first}, {then}", "{first}，{then}")
NEWLINE = Say("{first}\n{then}", "{first}\n{then}")
AS_SAID = Say("{text}", "{text}")  # text ksf did not write (an OS or library message)

# ---- the optional extras (ksf.optional) -----------------------------------------------------
NEEDS = Say("{needed_by} needs {package}: pip install {install}",
            "{needed_by}需要 {package}：pip install {install}")
READING_PARQUET = Say("reading .parquet files", "读取 .parquet 文件")
WRITING_PARQUET = Say("writing .parquet files", "写出 .parquet 文件")
READING_XLSX = Say("reading .xlsx files", "读取 .xlsx 文件")
WRITING_XLSX = Say("writing .xlsx files", "写出 .xlsx 文件")

# ---- reading data files ---------------------------------------------------------------------
UNKNOWN_FORMAT = Say(
    "cannot tell the format of {path}; use one of .csv, .xlsx, .json, .parquet",
    "无法判断 {path} 的格式；请使用 .csv、.xlsx、.json 或 .parquet 文件")
NOT_UTF8 = Say(
    "the file is not UTF-8; in Excel save it as 'CSV UTF-8 (Comma delimited)'",
    "文件不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8(逗号分隔)”"
    "（英文版 Excel：'CSV UTF-8 (Comma delimited)'）")
EMPTY_FILE = Say("the file is empty; it needs a header row", "文件是空的；至少需要一行表头")
EMPTY_SHEET = Say("the sheet is empty; it needs a header row", "工作表是空的；至少需要一行表头")
UNNAMED_COLUMN = Say("column {number} has values but no name in the header row",
                     "第 {number} 列有数据，但表头中没有列名")
COLUMNS_REPEAT = Say("column names repeat: {names}", "列名重复：{names}")
RAGGED = Say(
    "the header has {columns} columns but not every row has {columns} cells ({counts}{more}); "
    "a row needs a cell, maybe empty, per column",
    "表头有 {columns} 列，但并非每行都有 {columns} 个单元格（{counts}{more}）；"
    "每行每列都要有一个单元格，可以为空")
LINE_HAS = Say("line {line} has {cells}", "第 {line} 行有 {cells} 个")
MORE_LINES = Say(", …", "，……")
RAGGED_ARROW = Say(
    "the header has {columns} columns but not every row has {columns} cells ({text})",
    "表头有 {columns} 列，但并非每行都有 {columns} 个单元格（{text}）")
LONG_CELL = Say("a cell of {length} characters, {what}; shorten it or drop the column",
                "有一个单元格长达 {length} 个字符，{what}；请缩短它或删去这一列")
OVER_CSV_LIMIT = Say("more than the {limit} any pay data needs",
                     "超过了 {limit} 个字符，任何薪酬数据都用不了这么长")
TOO_WIDE = Say("too long to hold in each of {rows} rows as text (NumPy's fixed width)",
               "太长，无法以文本形式存入全部 {rows} 行（NumPy 按定宽存放文本）")
CELL_OVER_LIMIT = Say("a cell longer than {limit} characters, more than any pay data holds",
                      "有一个单元格超过 {limit} 个字符，任何薪酬数据都不会这么长")
NOT_CSV = Say("not CSV that ksf can read ({error})", "不是 ksf 能读取的 CSV（{error}）")
MIXED_PERCENT = Say(
    "column {column} mixes percentages (like 20%) with plain numbers (like 20), which "
    "would read as 2000%; write every cell the same way (20% or 0.2)",
    "列 {column} 中百分数（如 20%）与普通数字（如 20）混用，普通数字会被读成 2000%；"
    "请统一写法（20% 或 0.2）")
DATES_WITH_NUMBERS = Say("dates mixed with numbers in one column", "同一列中日期与数字混用")
NOT_JSON = Say("{name}:{line}:{column}: not valid JSON: {error}",
               "{name}:{line}:{column}：不是有效的 JSON：{error}")
JSON_TOO_DEEP = Say("lists or objects nested too deeply; expected [{{column: value, …}}, …]",
                    "列表或对象嵌套过深；应为 [{{column: value, …}}, …]")
JSON_BIG_NUMBER = Say("a number has more than 4,300 digits; no pay figure is that long",
                      "有一个数字超过 4,300 位；没有哪个薪酬数字有这么长")
JSON_NOT_RECORDS = Say("expected a list of records, [{{column: value, …}}, …]",
                       "应为记录的列表：[{{column: value, …}}, …]")
JSON_NESTED = Say("values must be numbers, text or null, not lists or objects",
                  "值只能是数字、文本或 null，不能是列表或对象")
NOT_PARQUET = Say("not a Parquet file or a damaged one ({error})",
                  "不是 Parquet 文件，或文件已损坏（{error}）")
BEYOND_2_53 = Say(
    "column {column} holds whole numbers beyond 2**53, which ksf cannot compute with "
    "exactly; store ids as text",
    "列 {column} 中有超过 2**53 的整数，ksf 无法精确计算；请把编号存为文本")
NO_SHEET = Say("no sheet {sheet}; the workbook has: {sheets}",
               "没有工作表 {sheet}；工作簿中有：{sheets}")
DAMAGED_SHEET = Say("a damaged workbook: its sheet is not valid XML ({error})",
                    "工作簿已损坏：工作表不是有效的 XML（{error}）")
UNCOMPUTED = Say(
    "formula cells have no saved value; open the file in Excel or LibreOffice and save it, "
    "so that the computed values are stored",
    "公式单元格没有保存计算结果；请用 Excel 或 LibreOffice 打开文件并保存，让计算结果存入文件")
NOT_XLSX = Say("not an Excel workbook (.xlsx) or a damaged one ({error})",
               "不是 Excel 工作簿（.xlsx），或文件已损坏（{error}）")

# ---- writing files --------------------------------------------------------------------------
NOT_REGULAR = Say("{path} is {kind}, not a regular file; write the payroll to a file",
                  "{path} 是{kind}，不是普通文件；请把工资表写入文件")
A_DIRECTORY = Say("a directory", "目录")
A_NAMED_PIPE = Say("a named pipe", "命名管道")
A_DEVICE = Say("a device", "设备")
A_SOCKET = Say("a socket", "套接字")
NOT_PLAIN = Say("not a plain file", "特殊文件")
EXCEL_ROWS = Say("{rows} rows do not fit in an Excel sheet (at most {most}); "
                 "write .csv or .parquet",
                 "{rows} 行放不进一张 Excel 工作表（最多 {most} 行）；请写成 .csv 或 .parquet")
EXCEL_SHEETS = Say(
    "{rows} payslip sheets are too many for one workbook (at most {most}); write the "
    "payroll sheet alone (--no-payslips) or use .csv",
    "{rows} 张工资条工作表太多，一个工作簿放不下（最多 {most} 张）；"
    "请只写工资表（--no-payslips），或改用 .csv")

# ---- payslips -------------------------------------------------------------------------------
PAYSLIP_FORMATS = Say("payslips are written as .html or .xlsx", "工资条只能写成 .html 或 .xlsx")
NO_PAYSLIPS = Say("no payslips to write", "没有要写的工资条")
PAYSLIP_COUNT = Say("a payslip workbook holds 1 to {most} payslips, not {count}",
                    "一个工资条工作簿可放 1 至 {most} 张工资条，不能是 {count} 张")
NO_NAME_COLUMN = Say("there is no name column {column} in the data",
                     "数据中没有姓名列 {column}")
NAME_NEEDS_DATA = Say("a name column ({column}) needs the data: payslips(payroll, data, ...)",
                      "指定姓名列（{column}）时须传入数据：payslips(payroll, data, ...)")
ROWS_DIFFER = Say(
    "the data has {data} rows and the payroll {payroll}: pass the data the payroll was "
    "evaluated on",
    "数据有 {data} 行，工资表有 {payroll} 行：请传入计算这份工资表所用的数据")
NO_EMPLOYEE = Say("no employee {who} in the data", "数据中没有员工 {who}")
SAME_NAME = Say("{count} employees are named {who} (ids {ids}); name one by its id",
                "有 {count} 位员工都叫 {who}（工号 {ids}）；请用工号指明其中一位")

# ---- plots ----------------------------------------------------------------------------------
NO_LINE = Say("card {card} has no line {line}; its lines are: {lines}",
              "计薪卡 {card} 没有项目 {line}；它的项目有：{lines}")
NOT_A_CURVE = Say(
    "line {line} is {kind}, not a curve; ksf plots balance lines (KSF factors) and "
    "commission lines",
    "项目 {line} 是{kind}，画不出曲线；ksf 只画平衡点项目（KSF 因子）和提成项目")
FIXED_AMOUNT = Say("a fixed amount", "固定金额")
LOOKED_UP = Say("an amount looked up by a column (`{by}`)", "按某列查表得出的金额（`{by}`）")
A_BONUS = Say("a bonus", "奖金")
A_SHARE = Say("a share of a pool", "奖金池分配")
LANG_NAMES = Say("lang must be 'en' or 'zh', not {lang}", "lang 只能是 'en' 或 'zh'，不能是 {lang}")
ONE_OF = Say("{names} or {last}", "{names} 或 {last}")
PLOT_FORMATS = Say("cannot draw {name}: the plot is written as .png or .svg",
                   "无法绘制 {name}：图只能写成 .png 或 .svg")
NO_CJK_FONT = Say(
    "the plot has Chinese text ({shown}) and no installed font can draw it: install one of "
    "{advice} (e.g. {install}) / 图中有中文（{shown}），但没有可用的中文字体："
    "请安装 Noto Sans CJK SC 等中文字体（例如 {install}）",
    "图中有中文（{shown}），但没有可用的中文字体：请安装 {advice} 中的一种（例如 {install}）")

# ---- ksf.testing ----------------------------------------------------------------------------
ROW_BOUNDS = Say("need 0 <= min_rows <= max_rows, got min_rows={low}, max_rows={high}",
                 "须满足 0 <= min_rows <= max_rows，实际 min_rows={low}，max_rows={high}")
NO_BALANCE_RULE = Say("no balance rule of card {card} reads a column `{indicator}`",
                      "计薪卡 {card} 没有哪条平衡点规则读取列 `{indicator}`")
RANGES_UNREAD = Say("ranges name {names}, which card {card} does not read",
                    "ranges 中的 {names} 并不是计薪卡 {card} 读取的列")
EMPTY_RANGE = Say("the range of `{name}` is empty: {given}", "`{name}` 的取值范围是空的：{given}")
NOT_MONOTONE = Say(
    "total pay of card {card} {moves} as `{indicator}` rises from {low} to {high}, though "
    "its rule `{rule}` is {direction}:",
    "`{indicator}` 从 {low} 升到 {high} 时，计薪卡 {card} 的应发合计{moves}，"
    "而它的规则 `{rule}` 是 {direction}：")
FALLS = Say("falls", "反而下降")
RISES = Say("rises", "反而上升")
PAYS = Say("  {indicator} = {value} pays {total}", "  {indicator} = {value} 时发 {total}")
REST_OF_ROW = Say("  the rest of the row: {row}", "  该行其余数值：{row}")
DISAGREE = Say("  note: other balance rules on it disagree: {rules}",
               "  注意：读取它的其他平衡点规则方向不同：{rules}")
RULE_IS = Say("`{rule}` is {direction}", "`{rule}` 是 {direction}")

# ksf.plot: a line whose clause values are read per row (LANGUAGE.md §9). Said in English
# with its Chinese after it, as NO_CJK_FONT is: whoever reads it has seen no plot yet.
_PER_ROW_EN = (
    "line {line} reads clause values from the data ({clauses}), so its curve needs a value "
    "for {names}: pass {pairs} (e.g. --at {first}=25%), or --data FILE to draw it at the "
    "column's median (in Python: at={{{api}}} or data=…)")
_PER_ROW_ZH = (
    "项目 {line} 的条款按行取值（{clauses}），画曲线需要 {names} 的值：请传 {pairs}"
    "（如 --at {first}=25%），或用 --data FILE 取该列的中位数（Python 中：at={{{api}}} 或 data=…）")
PLOT_PER_ROW_NEEDED = Say(f"{_PER_ROW_EN} / {_PER_ROW_ZH}", _PER_ROW_ZH)
CLAUSE_READ = Say("{clause} {text}", "{clause} {text}")  # `balance target_gm`
PLOT_PER_ROW_VALUES = Say("drawn at per-row values: {values}", "按行取值画出：{values}")
PLOT_MEDIAN = Say("{value} (median of the data)", "{value}（数据中位数）")
PLOT_VALUES_SEPARATOR = Say(", ", "，")

# ksf.testing
TESTING_RANGE_ON_TEXT = Say(
    "`{name}` holds text ({texts}): no range",
    "`{name}` 是文本列（{texts}），不能指定范围",
)
# fmt: on


def joined(parts: Sequence[Message], between: Say = COMMA) -> Message:
    """``parts`` said one after another (``a, b, c``; with `NEWLINE`, one a line)."""
    said = parts[0]
    for part in parts[1:]:
        said = between(first=said, then=part)
    return said
