"""Messages of reading and writing files, payslips, plots and ksf.testing."""

from __future__ import annotations

from ksf.message import Say

# fmt: off

# ksf.plot: a line whose clause values are read per row (LANGUAGE.md §9)
PLOT_PER_ROW_NEEDED = Say(
    "line {line} reads clause values from the data ({clauses}), so its curve needs a value "
    "for {names}: pass {pairs} (e.g. --at {first}=25%), or --data FILE to draw it at the "
    "column's median (in Python: at={{{api}}} or data=…)",
    "项目 {line} 的条款按行取值（{clauses}），画曲线需要 {names} 的值：请传 {pairs}"
    "（如 --at {first}=25%），或用 --data FILE 取该列的中位数（Python 中：at={{{api}}} 或 data=…）",
)
PLOT_PER_ROW_VALUES = Say("drawn at per-row values: {values}", "按行取值画出：{values}")
PLOT_MEDIAN = Say("{value} (median of the data)", "{value}（数据中位数）")
PLOT_VALUES_SEPARATOR = Say(", ", "，")

# ksf.testing
TESTING_RANGE_ON_TEXT = Say(
    "`{name}` holds text ({texts}): no range",
    "`{name}` 是文本列（{texts}），不能指定范围",
)
