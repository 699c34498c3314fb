"""Messages of evaluating a card over its rows.

Missing values, domains, clause values read per row, pools, group aggregates and what the
kernels refuse.
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# A keyword and the text written after it (`step 0.5%`), quoted whole in a message.
WRITTEN = Say("{keyword} {text}", "{keyword} {text}")
BEYOND_QUOTED = Say("`{beyond} {at} {kind}`", "`{beyond} {at} {kind}`")
BEYOND_QUOTED_AMOUNT = Say("`{beyond} {at} {kind} {rate}`", "`{beyond} {at} {kind} {rate}`")

# ---- card_run: a card over its rows ---------------------------------------------------------
LINE = Say("line {line}", "项目 {line}")
CARD_TOTAL = Say("the total of card {card}", "计薪卡 {card} 的合计")
TOO_LARGE_TO_ROUND = Say(
    "{what} comes to more than {limit} or overflows; amounts that large cannot be rounded "
    "exactly to the unit {unit} (a coarser `{rounding}` allows more)",
    "{what} 超过 {limit} 或溢出；这么大的金额无法精确取整到 {unit}"
    "（更粗的 `{rounding}` 单位可容纳更大金额）")

# ---- row_plan: the rows' order and threads --------------------------------------------------
THREADS = Say("threads must be a whole number, 1 or more (or None: every core); not {threads}",
              "threads 须为不小于 1 的整数（或 None：用全部核心），不能是 {threads}")

# ---- missing: the missing-value policy ------------------------------------------------------
CLAUSE_OF_LINE = Say("the `{clause}` of line {line}", "项目 {line} 的 `{clause}`")
MISSING_READ_BY = Say("missing value read by {read}", "{read} 读到缺失值")
DIVISION_BY_ZERO_IN = Say("division by zero in {read}", "{read} 中出现除以零")
DIVISION_BY_ZERO_NAMED = Say("division by zero in {what}{text} (line {line})",
                             "{what}{text} 中出现除以零（项目 {line}）")
QUOTED = Say("'{name}'", "'{name}'")
DIVISION_BY_ZERO_DIVISOR = Say("division by zero in line {line}: the divisor is 0",
                               "项目 {line} 中出现除以零：除数为 0")
DIVISION_BY_ZERO_LINE = Say("division by zero in line {line}", "项目 {line} 中出现除以零")

# ---- domains: values a column cannot hold ---------------------------------------------------
PERCENT_POINTS = Say(
    "does the column hold percentage points (28.5 for 28.5%)? divide it by 100",
    "该列存的是否是百分点（28.5 表示 28.5%）？请除以 100")
OUTSIDE_INDICATOR = Say(
    "impossible value: `{name}` stands in for the standard indicator of that name, a share "
    "that must be {domain}; {points}, or write its cells as 28.5%",
    "不可能的值：`{name}` 代替同名的标准指标，是一个比例，必须 {domain}；{points}，"
    "或把单元格写成 28.5%")
OUTSIDE_POINTS = Say(
    "`{name}` holds values above 100 (above 10000%), but a line reads it against points "
    "written in percent ({domain}): {points} or write its cells as 28.5%; or write the "
    "line's points without %",
    "`{name}` 中有大于 100 的值（超过 10000%），"
    "但有项目把它与以百分比书写的分值点比较（{domain}）："
    "{points}，或把单元格写成 28.5%；或者把该项目的分值点写成不带 % 的数字")
OUTSIDE_PER_ROW_POINTS = Say(
    "`{name}` is a balance point read per row on a line written in percent ({domain}), so a "
    "value of 10 or more means 1000% or more: {points} (25% is 0.25), or write its cells as 25%",
    "`{name}` 是按行读取的平衡点，所在项目以百分比书写（{domain}），所以 10 或以上的值表示 1000% "
    "或以上：{points}（25% 即 0.25），或把单元格写成 25%")
OUTSIDE_PER_ROW_KPI_POINTS = Say(
    "`{name}` is a KPI's baseline, target or challenge read per row against points written "
    "in percent ({domain}), so a value of 10 or more means 1000% or more: {points} (90% is "
    "0.9), or write its cells as 90%",
    "`{name}` 是按行读取的 KPI 底线、目标或挑战值，与以百分比书写的分值点比较（{domain}），所以 10 "
    "或以上的值表示 1000% 或以上：{points}（90% 即 0.9），或把单元格写成 90%")
OUTSIDE_PER_ROW_RATE = Say(
    "`{name}` is a commission rate read per row on an amount of money, so a value above 1 "
    "pays more than all of it: does the column hold percentages (1.5 for 1.5%)? divide it by "
    "100, or write its cells as 1.5%",
    "`{name}` 是按行读取的提成比例，作用于一笔金额，所以大于 1 的值意味着付出比全额还多："
    "该列存的是否是百分数（1.5 表示 1.5%）？请除以 100，或把单元格写成 1.5%")
OUTSIDE_DECLARED = Say(
    "impossible value: `{name}` is {what} that must be {domain} (as {where} declares it)",
    "不可能的值：`{name}` 是{what}，必须 {domain}（{where}如此声明）")
A_UNIT = Say("a {unit}", "{unit}类数值")
UNITS = {
    "percent": Say("percent", "百分比"), "money": Say("money", "金额"),
    "ratio": Say("ratio", "比率"), "count": Say("count", "计数"), "days": Say("days", "天数"),
}
A_VALUE = Say("a value", "数值")
THE_LIBRARY = Say("the standard library", "标准指标库")
THE_RULE_FILE = Say("the rule file", "规则文件")

# ---- per_row: clause values read per row ----------------------------------------------------
MUST_BE_ABOVE_0 = Say("must be above 0", "必须大于 0")
MUST_BE_0_OR_MORE = Say("must be 0 or more", "必须大于或等于 0")
ABOVE_THE_CAP = Say("is above the line's cap", "高于该项目的封顶值")
BELOW_THE_FLOOR = Say("is below the line's floor", "低于该项目的保底值")
CLAUSE_OF_LINE_IS = Say("`{clause}` of line {line} {words}", "项目 {line} 的 `{clause}` {words}")
BEYOND_NOT_WHOLE_STEPS = Say(
    "{beyond} of line {line} is not a whole number of steps from the balance point `{balance}`",
    "项目 {line} 的 {beyond} 与平衡点 `{balance}` 之间不是整数个步长")
BEYOND_IS_BALANCE = Say("{beyond} of line {line} is the balance point `{balance}`",
                        "项目 {line} 的 {beyond} 就是平衡点 `{balance}` 本身")
BEYOND_WRONG_SIDE_ROWS = Say(
    "{beyond} of line {line} is on the wrong side of the balance point `{balance}`",
    "项目 {line} 的 {beyond} 位于平衡点 `{balance}` 错误的一侧")
CHECKS_FAIL = Say("{count} checks fail", "{count} 项检查未通过")
BEYOND_AMOUNT_NEGATIVE = Say("{clause} of line {line}: the {kind} must be 0 or more",
                             "项目 {line} 的 {clause}：{kind} 不能小于 0")
BEYOND_NOT_PAST = Say(
    "{clause} of line {line} is not past `{beyond} {before}`: tiers on a side must be written "
    "in order, each further from the balance point",
    "项目 {line} 的 {clause} 没有越过 `{beyond} {before}`：同一侧的档位须按书写顺序排列，"
    "每一档都比前一档离平衡点更远")
TIER_NOT_ABOVE = Say(
    "{clause} of line {line} is not above `{beyond} {before}`: commission tiers must be in "
    "increasing order",
    "项目 {line} 的 {clause} 不高于 `{beyond} {before}`：提成档位须递增")

# ---- pools: membership and split ------------------------------------------------------------
POOL_ZERO_WEIGHT = Say("pool {pool}: the members of a group have a total weight of 0",
                       "奖金池 {pool}：某组成员的权重合计为 0")
POOL_CLAUSE = Say("pool {pool}: its `{clause}`", "奖金池 {pool} 的 `{clause}`")
POOL_BASE = Say("pool {pool}: its base {base}", "奖金池 {pool} 的基数 {base}")
POOL_BASE_VALUE = Say("value", "值")
IS_MISSING = Say("{what} is missing", "{what} 缺失")
CANNOT_BE_NEGATIVE = Say("{what} cannot be negative", "{what} 不能为负数")
POOL_NO_GROUP = Say("pool {pool}: members without a value in the `{per}` column {column}",
                    "奖金池 {pool}：有成员在 `{per}` 列 {column} 中没有值")
ONE_VALUE_PER_POOL = Say("{what} must have one value per pool, but it varies",
                         "{what} 在每个奖金池中只能有一个值，但它的值不一致")
ONE_VALUE_PER_GROUP = Say("{what} must have one value per pool, but it varies in group '{group}'",
                          "{what} 在每个奖金池中只能有一个值，但它在组 '{group}' 中的值不一致")
POOL_WEIGHTS = Say("pool {pool}: weights must be numbers of 0 or more",
                   "奖金池 {pool}：权重必须是大于或等于 0 的数字")

# ---- groups: §11 aggregates -----------------------------------------------------------------
GROUP_TOO_LARGE = Say("`{what}` is too large for a number", "`{what}` 太大，超出了数字的范围")
GROUP_KEY_BLANK = Say(
    "rows without a value in `{column}`, the column a group aggregate is taken over",
    "有些行在 `{column}` 中没有值，而分组汇总按这一列分组")

# ---- kernels: values a kernel refuses -------------------------------------------------------
KPI_OF_SCORE = Say("KPI `{kpi}` of score `{score}`", "考核 `{score}` 的 KPI `{kpi}`")
KPI_CLAUSE_MISSING = Say("missing value read by the `{clause}` of {where}",
                         "{where} 的 `{clause}` 读到缺失值")
KPI_POINTS_INCREASE = Say(
    "`{clause}` of {where} puts baseline, target and challenge out of order: they must increase",
    "{where} 的 `{clause}` 使底线、目标和挑战值顺序错乱：三者必须依次递增")
KPI_POINTS_DECREASE = Say(
    "`{clause}` of {where} puts baseline, target and challenge out of order: they must decrease",
    "{where} 的 `{clause}` 使底线、目标和挑战值顺序错乱：三者必须依次递减")
CONDITION_NOT_0_1 = Say("a condition must be 0 or 1, found other values",
                        "条件的值必须是 0 或 1，但出现了其他值")
NOT_IN_TABLE = Say("value not listed in the line's table: {values}",
                   "值不在该项目的表中：{values}")
INFINITE = Say("infinite value", "无穷大的值")
