"""The words around every report: ``error:``, ``hint:``, ``data error:``, "did you mean"."""

from __future__ import annotations

from ksf.message import Say

# fmt: off
ERROR = Say("error", "错误")
WARNING = Say("warning", "警告")
HINT = Say("hint: {hint}", "提示：{hint}")
MORE_ERRORS = Say("… and {count} more errors", "……另有 {count} 处错误")
MORE_ERROR = Say("… and 1 more error", "……另有 1 处错误")
ERRORS_COUNT = Say("{count} errors", "共 {count} 处错误")

DATA_ERROR = Say("data error: {message}", "数据错误：{message}")
IN_TABLE_COLUMN = Say(" (table {table}, column {column})", "（表 {table}，列 {column}）")
IN_TABLE = Say(" (table {table})", "（表 {table}）")
IN_COLUMN = Say(" (column {column})", "（列 {column}）")
ROWS = Say("rows", "行")
EMPLOYEES = Say("employees", "员工")
LINES = Say("lines", "文件行")
SHEET_ROWS = Say("sheet rows", "表格行")
WHO = Say("\n  {noun}: {names}", "\n  {noun}：{names}")
CHECK = Say("\n  - {message}{where}: {names}", "\n  - {message}{where}：{names}")
AND_MORE = Say(" … and {count} more", " ……另有 {count} 个")

DID_YOU_MEAN = Say("did you mean {name}?", "是不是要写 {name}？")
DID_YOU_MEAN_2 = Say("did you mean {name} or {other}?", "是不是要写 {name} 或 {other}？")
DID_YOU_MEAN_3 = Say("did you mean {name} or {other} or {third}?",
                     "是不是要写 {name}、{other} 或 {third}？")
NO_SUCH_CARD = Say("there is no card {card}; the rule file has: {cards}",
                   "没有计薪卡 {card}；规则文件中有：{cards}")
SUGGESTION = Say("{message}; {hint}", "{message}；{hint}")
