"""The words of the plan report (`ksf report`, `ksf.design.report`), in English and Chinese.

Every heading, label, axis and note the HTML report prints is one entry here; the report
itself writes only figures and the names the rule file and the data give.
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# ---- the page -------------------------------------------------------------------------------
TITLE = Say("Pay plan report", "薪酬方案测算报告")
RULES = Say("Rules", "规则文件")
VERSION = Say("rules version {hash}", "规则版本 {hash}")
ROWS = Say("Rows", "行数")
CARDS = Say("Cards", "计薪卡")
TOTAL_COST = Say("Total pay", "应发总额")
CURRENCY = Say("Currency", "币种")
CONTENTS = Say("Contents", "目录")

# ---- each card ------------------------------------------------------------------------------
CARD_HEADING = Say("Card {card}", "计薪卡 {card}")
CARD_FACTS = Say("rows {rows} · total {total} · median {median} · from {low} to {high}",
                 "{rows} 行 · 合计 {total} · 中位数 {median} · 最低 {low} · 最高 {high}")
NO_ROWS = Say("No row of the data is paid by this card.", "数据中没有按此计薪卡计薪的行。")
TOTALS = Say("Totals per card", "各计薪卡应发分布")
TOTALS_AXIS = Say("total pay ({currency})", "应发合计（{currency}）")
CURVES = Say("Payout curves", "计酬曲线")
CURVES_NOTE = Say(
    "Each curve is what the line pays across its input (computed by the same code as the "
    "payroll); the bars under it show how the data's rows spread over that input.",
    "每条曲线是该项目在不同指标值下的计酬（与工资计算使用同一套代码）；"
    "曲线下方的柱状图是数据各行在该指标上的分布。")
PAYS = Say("pays ({currency})", "计酬（{currency}）")
ROW_COUNT = Say("rows", "行数")
HISTOGRAM_OF = Say("{input}: rows {rows}, median {median}",
                   "{input}：{rows} 行，中位数 {median}")
NO_VALUE = Say("rows without a value (missing data), not drawn: {rows}",
               "无数值（数据缺失）未画出的行：{rows}")
NO_INPUT = Say("the input's values could not be worked out from the data, so no bars are drawn",
               "无法从数据算出该指标的值，未画分布")
OTHER_LINES = Say("Other lines", "其他项目")
LINE = Say("Line", "项目")
KIND = Say("Kind", "类型")
PAID_ROWS = Say("Rows paid", "有金额的行")
MEDIAN = Say("Median", "中位数")
LOWEST = Say("Lowest", "最低")
HIGHEST = Say("Highest", "最高")
SUM = Say("Sum", "合计")
AS_WRITTEN = Say("as written", "规则原文")

# ---- line kinds -----------------------------------------------------------------------------
KIND_FIXED = Say("fixed amount", "固定金额")
KIND_BY = Say("looked up by a column", "按列查表")
KIND_BONUS = Say("bonus", "奖金")
KIND_SHARE = Say("pool share", "奖金池分享")
KIND_MIN_PAY = Say("minimum pay top-up", "最低工资补足")

# ---- payslips -------------------------------------------------------------------------------
PAYSLIPS = Say("Payslips", "工资条明细")
SEARCH = Say("Search by id, name or card", "按工号、姓名或计薪卡搜索")
SHOWN = Say("{shown} of {all} shown", "显示 {shown} / {all} 条")
EMPLOYEE = Say("Employee", "员工")
NAME = Say("Name", "姓名")
CARD = Say("Card", "计薪卡")
PERIOD = Say("Period", "期间")
TOTAL = Say("Total", "合计")

# ---- against an old plan, and a simulation --------------------------------------------------
AGAINST = Say("Against {old}", "与 {old} 对比")
CHANGE_AXIS = Say("change in total pay per row ({currency})", "每行应发合计的变化（{currency}）")
LARGEST_CHANGES = Say("The {shown} largest changes of the {all} rows that change.",
                      "列出变化最大的 {shown} 行（共 {all} 行有变化）。")
SIMULATION = Say("Simulation", "模拟测算")
RANGE_AXIS = Say(
    "one employee's pay in a simulated month ({currency}): P5 to P95, the median marked",
    "一名员工一个模拟月份的金额（{currency}）：P5 至 P95，竖线为中位数")

# ---- the command ----------------------------------------------------------------------------
WROTE = Say("{path}: report of {rows} rows written", "{path}：已写出 {rows} 行的报告")
NOT_HTML = Say("-o {output}: the report is an HTML file; name it .html",
               "-o {output}：报告是 HTML 文件，请以 .html 结尾命名")
RUNS_WITHOUT_HISTORY = Say("--runs and --seed go with --simulate HISTORY",
                           "--runs 和 --seed 须与 --simulate HISTORY 一起使用")
# fmt: on
