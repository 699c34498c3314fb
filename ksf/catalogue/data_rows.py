"""Messages of the data around the rules.

Params, the id column, each row's card, the payroll's ids, and the warnings about data
names that the file's own definitions hide.
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# ---- params ---------------------------------------------------------------------------------
PARAM_IS_COLUMN = Say("param {param} is also a column of the data; rename one",
                      "参数 {param} 同时也是数据中的一列；请给其中一个改名")
PARAM_NARROW = Say("param {param} is a {dtype}; pass a float (float64) or a Decimal",
                   "参数 {param} 的类型是 {dtype}；请传入 float（float64）或 Decimal")
PARAM_TOO_LARGE = Say("param {param} is too large to be a number ksf can hold (past 1.8e308)",
                      "参数 {param} 太大，ksf 无法把它作为数字保存（超过 1.8e308）")
PARAM_NOT_NUMBER = Say("param {param} must be a number, got {value}",
                       "参数 {param} 必须是数字，实际为 {value}")
PARAM_NOT_FINITE = Say("param {param} must be a finite number, got {value}",
                       "参数 {param} 必须是有限的数字，实际为 {value}")

# ---- ids ------------------------------------------------------------------------------------
NO_ID_COLUMN = Say("there is no id column {column} in the data", "数据中没有工号列 {column}")
ROWS_WITHOUT_ID = Say(
    "rows with no id in the id column {column}: each would be paid with nobody named; fill in "
    "the ids, or pass allow_duplicate_ids=True (--allow-duplicate-ids) if rows without an id "
    "are meant to be paid",
    "工号列 {column} 中有些行没有工号：这些行会照常计薪，却不知道付给谁；请补全工号，"
    "或者如果无工号的行确实要计薪，请在命令行加上 `--allow-duplicate-ids`"
    "（Python 中传入 `allow_duplicate_ids=True`）")
IDS_MORE = Say(" and {count} more", " 等另外 {count} 个")
DUPLICATE_IDS = Say(
    "the same id appears on several rows ({ids}{more}): each row would be paid; remove the "
    "repeated rows, or pass allow_duplicate_ids=True (--allow-duplicate-ids) if each is meant "
    "to be paid",
    "同一工号出现在多行中（{ids}{more}）：每一行都会计薪；请删除重复的行，或者如果每一行确实都要"
    "计薪，请在命令行加上 `--allow-duplicate-ids`（Python 中传入 `allow_duplicate_ids=True`）")
DUPLICATE_IDS_PERIOD = Say(
    "the same id appears on several rows in one period ({ids}{more}): each row would be paid; "
    "remove the repeated rows, or pass allow_duplicate_ids=True (--allow-duplicate-ids) if "
    "each is meant to be paid",
    "同一工号在同一期间内出现在多行中（{ids}{more}）：每一行都会计薪；请删除重复的行，或者如果每一行"
    "确实都要计薪，请在命令行加上 `--allow-duplicate-ids`"
    "（Python 中传入 `allow_duplicate_ids=True`）")

# ---- rows: each row's card ------------------------------------------------------------------
CARD_COLUMN_NUMBERS = Say("the card column must hold card names", "card 列必须填写计薪卡的名称")
NO_CARD_COLUMN = Say(
    "the data has no `card` column{spelt}; pass card=NAME or add a column naming each row's card "
    "(cards: {cards})",
    "数据中没有 `card` 列{spelt}；请传入 `card=名称`，或添加一列写明每行所用的计薪卡"
    "（计薪卡：{cards}）")
# The column a Chinese file's keyword names (计薪卡), which the data does not read as `card`.
CARD_COLUMN_SPELT = Say(
    " (the column `{column}` is not read as the card column, which must be named `card`)",
    "（`{column}` 列不会被当作计薪卡列读取，计薪卡列必须命名为 `card`）")
LISTED = Say("{first}, {rest}", "{first}, {rest}")  # a list whose items may be messages
AN_EMPTY_CELL = Say("(an empty cell)", "（空单元格）")
UNKNOWN_CARDS = Say("unknown card {cards}{more}; the rule file has: {known}",
                    "未知的计薪卡 {cards}{more}；规则文件中有：{known}")

# ---- payroll: finding an employee -----------------------------------------------------------
NO_IDS_TO_FIND = Say(
    "cannot find employee {employee}: the payroll has no id column; name it with "
    "evaluate(..., id_column=...), or explain a row by its number",
    "找不到员工 {employee}：工资表没有工号列；请用 evaluate(..., id_column=...) 指定，"
    "或按行号解释某一行")
NO_ROW_WITH_ID = Say("no row has the id {employee}", "没有哪一行的工号是 {employee}")

# ---- data_clashes: data names the file's own definitions hide (warnings) --------------------
KINDS = {
    "indicator": Say("indicator", "指标"), "score": Say("score", "考核"),
    "table": Say("table", "系数表"), "line": Say("line", "项目"),
}
COLUMN_HIDDEN = Say("the data has a column `{name}`, but this file's {kind} is used instead",
                    "数据中有列 `{name}`，但实际使用的是本文件中的{kind}")
COLUMN_HIDDEN_HINT = Say("rename the {kind} to read the column, or drop the column",
                         "如要读取这一列，请给该{kind}改名；否则请删除这一列")
PARAM_HIDDEN = Say("the param `{name}` is not used: this file's {kind} takes precedence",
                   "参数 `{name}` 没有被使用：本文件中的{kind}优先")
CARD_COLUMN_NOT_READ = Say(
    "the data has a column `{column}`, but it is not read as the card column: that column "
    "must be named `card`",
    "数据中有列 `{column}`，但它不会被当作计薪卡列读取：计薪卡列必须命名为 `card`")
CARD_COLUMN_NOT_READ_HINT = Say(
    "rename the column `{column}` to `card` to choose each row's card, or drop it",
    "如要按这一列为每行选择计薪卡，请把 `{column}` 列改名为 `card`；否则请删除这一列")
PARAM_HIDDEN_HINT = Say("rename the {kind}, or do not pass `{name}`",
                        "请给该{kind}改名，或者不要传入 `{name}`")
