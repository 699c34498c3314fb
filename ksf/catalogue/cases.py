"""Messages of ``ksf test``: reading case sheets, their mistakes, and the report of a run."""

from __future__ import annotations

from ksf.message import Say

# fmt: off

# ---- reading a case sheet (`ksf.io.read_cases`) -------------------------------------------
CASES_FORMAT = Say(
    "cannot tell the format of {file}; a case sheet is .csv, .xlsx or .yaml",
    "无法判断 {file} 的格式；用例表须为 .csv、.xlsx 或 .yaml 文件",
)
CASES_OLD_EXCEL = Say(
    "{file} is an old Excel workbook (.xls), which ksf does not read; in Excel save it as "
    "'Excel Workbook (*.xlsx)'",
    "{file} 是旧版 Excel 工作簿（.xls），ksf 不读取；请在 Excel 中另存为“Excel 工作簿（*.xlsx）”",
)
CASES_EMPTY = Say("{file}: the case sheet is empty; it needs a header row",
                  "{file}：用例表是空的；第一行须为表头")
CASES_NO_ROWS = Say("{file}: the case sheet has a header row but no cases",
                    "{file}：用例表只有表头，没有用例")
CASES_NOT_UTF8 = Say(
    "{file}: the file is not UTF-8; in Excel save it as 'CSV UTF-8 (Comma delimited)'",
    "{file}：文件不是 UTF-8 编码；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
)
CASES_NOT_CSV = Say("{file}: line {line}: not CSV that ksf can read ({reason})",
                    "{file} 第 {line} 行：不是 ksf 能读的 CSV（{reason}）")
CASES_RAGGED = Say(
    "{file}: the header has {count} columns but a row has another number of cells; a row "
    "needs a cell, maybe empty, per column",
    "{file}：表头有 {count} 列，但有的行单元格数与之不同；每行每列都须有一个单元格（可以为空）",
)
CASES_UNNAMED = Say(
    "{file}: column {position} has values but no name in the header row",
    "{file}：第 {position} 列有数值，但表头中没有列名",
)
CASES_UNCOMPUTED = Say(
    "{file}: formula cells have no saved value; open the file in Excel or LibreOffice and save "
    "it, so that the computed values are stored",
    "{file}：公式单元格没有保存计算结果；"
    "请用 Excel 或 LibreOffice 打开并保存一次，让计算结果存入文件",
)
YAML_NOT_YAML = Say("{file}: not valid YAML: {reason}", "{file}：不是有效的 YAML：{reason}")
YAML_NOT_LIST = Say(
    "{file}: expected a list of cases, each a mapping with input and expected",
    "{file}：应为用例列表，每个用例是含 input 和 expected 的映射",
)
YAML_BAD_KEY = Say(
    "{file}: line {line}: a case takes id, card, period, note, input and expected, not `{key}`",
    "{file} 第 {line} 行：用例只能有 id、card、period、note、input 和 expected，不能有 `{key}`",
)
YAML_NOT_MAPPING = Say(
    "{file}: line {line}: `{key}` takes names and values (name: value), one a line",
    "{file} 第 {line} 行：`{key}` 下应为“名称: 值”，每行一个",
)
YAML_NESTED = Say(
    "{file}: line {line}: `{name}` holds a list or a mapping; a value is a number or text",
    "{file} 第 {line} 行：`{name}` 的值是列表或映射；值只能是数字或文字",
)

# ---- mistakes in a case sheet (`ksf.cases`) -----------------------------------------------
NO_EXPECTED = Say(
    "{file}: no expected_total or expected_<line> column: a case sheet says what each case "
    "should pay",
    "{file}：没有 expected_total 或 expected_<项目> 列：用例表须写明每个用例应发的金额",
)
UNKNOWN_LINE = Say(
    "{file}: column `{column}` names no line of any card (the lines are: {lines})",
    "{file}：列 `{column}` 不是任何计薪卡的项目（项目有：{lines}）",
)
INPUT_MISSING = Say(
    "{file}: card {card} reads `{name}`, but the sheet has no column `{name}`; add it, with "
    "each case's value",
    "{file}：计薪卡 {card} 需要读取 `{name}`，但用例表没有 `{name}` 列；"
    "请加上这一列并填写每个用例的值",
)
COMPUTED_NOT_READ = Say(
    "{message} (the sheet's column {columns} is not read: the rule file computes it from its "
    "inputs)",
    "{message}（用例表中的 {columns} 列不会被读取：规则文件会用它的输入列自行计算）",
)
NOT_EXPECTED_NAME = Say(
    "{file}: column `{column}` looks like an expected amount, but only a column named "
    "expected_<line> is checked: name it `{name}`",
    "{file}：列 `{column}` 看起来是应发金额，但只有名为 expected_<项目> 的列才会被核对："
    "请改名为 `{name}`",
)
AMOUNT_TEXT = Say(
    "{file}: `{column}` holds text where an amount is expected ({example}); write a number "
    "such as 1,234.50",
    "{file}：`{column}` 中应为金额，却是文字（{example}）；请写数字，例如 1,234.50",
)
AMOUNT_FORMULA = Say(
    "{file}: `{column}` holds a formula ({example}); write the amount worked out by hand, "
    "not a formula",
    "{file}：`{column}` 中是公式（{example}）；请填写手工算出的金额，不要用公式",
)
AMOUNT_TOO_FINE = Say(
    "{file}: `{column}` has an amount finer than the rounding unit {unit} ({example}); "
    "pay is rounded to {unit}",
    "{file}：`{column}` 中的金额比取整单位 {unit} 更细（{example}）；工资按 {unit} 取整",
)
NO_CARD_COLUMN = Say(
    "{file}: the rule file has several cards ({cards}); add a column `card` naming each "
    "case's card",
    "{file}：规则文件有多张计薪卡（{cards}）；请添加一列 `card`，写明每个用例所用的计薪卡",
)
CARD_COLUMN_SPELT = Say(
    "{file}: the column `{column}` is not read as the cases' cards; name it `card`",
    "{file}：`{column}` 列不会被当作用例所用的计薪卡读取；请把列名改为 `card`",
)
EXPECTED_TWICE = Say(
    "{file}: column `{column}` checks the line {line} again, as another column does; keep one",
    "{file}：列 `{column}` 与另一列核对的是同一个项目 {line}；请只保留一列",
)
EXPECTS_NOTHING = Say(
    "{file}: a case with no expected amount: fill in its expected_total or an "
    "expected_<line> cell",
    "{file}：有用例没有填写应发金额：请填写它的 expected_total 或某个 expected_<项目> 单元格",
)
DUPLICATE_CASE = Say(
    "{file}: two cases have one id ({ids}) in the same period, on one card or two; give each "
    "case its own id (a period column lets an id appear once a period)",
    "{file}：同一期间中有两个用例的编号相同（{ids}），无论是否同一计薪卡；请给每个用例不同的编号"
    "（加上 period 期间列后，同一编号每期可出现一次）",
)
IN_SHEET = Say("{file}: {message}", "{file}：{message}")

# ---- the report of a run (`ksf.cases.CaseReport`) -----------------------------------------
CASE_AT = Say("{case} ({where})", "{case}（{where}）")
CASE_FAILED = Say("FAIL {case}, card {card}: {line} expected {expected}, got {actual}",
                  "未通过 {case}，计薪卡 {card}：{line} 应为 {expected}，实际 {actual}")
CASE_NOTE = Say("note: {note}", "备注：{note}")
TOTAL_LINE = Say("total", "合计")
CASES_PASSED = Say("{file}: {count} cases passed", "{file}：{count} 个用例全部通过")
CASE_PASSED = Say("{file}: 1 case passed", "{file}：1 个用例通过")
CASES_FAILED = Say("{file}: {failed} of {count} cases failed",
                   "{file}：{count} 个用例中有 {failed} 个未通过")

# ---- the command (`ksf test`) -------------------------------------------------------------
NO_SHEET_BESIDE = Say(
    "no case sheet beside {rules}: write {stem}.cases.xlsx, .csv or .yaml next to it, or name "
    "the sheets: ksf test {rules} CASES…",
    "{rules} 旁边没有用例表：请在同一目录写 {stem}.cases.xlsx、.csv 或 .yaml，"
    "或直接指定：ksf test {rules} 用例表…",
)
INIT_WOULD_OVERWRITE = Say(
    "{output} exists; --init would replace the amounts worked out by hand in it: write to a "
    "new file, or add --force to replace it",
    "{output} 已存在；--init 会覆盖其中手算的金额：请写到新文件，或加上 --force 覆盖")
INIT_ARGUMENTS = Say(
    "--init takes the rule file and one data file, and -o OUT: ksf test --init pay.ksf "
    "july.csv -o pay.cases.xlsx",
    "--init 需要规则文件、一个数据文件和 -o 输出文件："
    "ksf test --init pay.ksf july.csv -o pay.cases.xlsx",
)
OUTPUT_WITHOUT_INIT = Say(
    "-o goes with --init; the results of a run go to --junit FILE",
    "-o 只与 --init 一起使用；运行结果请用 --junit 文件 输出",
)
SHEET_WITHOUT_XLSX = Say(
    "--sheet {sheet}: {file} is not a workbook; --sheet picks a sheet of an .xlsx case sheet",
    "--sheet {sheet}：{file} 不是工作簿；--sheet 用于指定 .xlsx 用例表中的工作表",
)
INIT_WRITTEN = Say(
    "{output}: {count} cases to check; edit the expected_ amounts to the hand-worked "
    "figures, then run ksf test",
    "{output}：{count} 个用例；请把 expected_ 列改为手工算出的金额，然后运行 ksf test",
)
