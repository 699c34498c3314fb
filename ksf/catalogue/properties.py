"""Messages of card properties (`ksf.testing`) and the payout lint (``ksf lint --payout``)."""

from __future__ import annotations

from ksf.message import Say

# fmt: off

# ---- monotonicity -------------------------------------------------------------------------
NOT_AN_INPUT = Say(
    "card {card!r} reads no number called `{name}` (a column, a standard indicator or an "
    "indicator of the file)",
    "计薪卡 {card!r} 没有读取名为 `{name}` 的数值（数据列、标准指标或文件中定义的指标）",
)
FALLS = Say("falls", "下降")
RISES = Say("rises", "上升")
WHY_IS = Say("{source} is {word}", "{source} 是 {word}")
WHY_MOSTLY = Say("elsewhere it is {word}", "在其他位置它是 {word}")
NOT_MONOTONE = Say(
    "total pay of card {card!r} {moves} as `{name}` rises from {low} to {high}, though {why}:\n"
    "  row 1: {name} = {low} pays {low_pays}\n"
    "  row 2: {name} = {high} pays {high_pays}\n"
    "{rest}{lines}{note}"
    "  row 1 explained:\n{low_explained}\n"
    "  row 2 explained:\n{high_explained}",
    "计薪卡 {card!r} 的应发合计在 `{name}` 从 {low} 升到 {high} 时{moves}，但{why}：\n"
    "  第 1 行：{name} = {low}，应发 {low_pays}\n"
    "  第 2 行：{name} = {high}，应发 {high_pays}\n"
    "{rest}{lines}{note}"
    "  第 1 行明细：\n{low_explained}\n"
    "  第 2 行明细：\n{high_explained}",
)
REST_OF_ROW = Say("  the rest of the row: {row}\n", "  该行其余的值：{row}\n")
LINE_MOVED = Say("`{line}` {before} → {after}", "`{line}` {before} → {after}")
LINES_MOVED = Say("  the line that moved the wrong way: {lines}\n",
                  "  反向变动的项目：{lines}\n")
DISAGREE = Say("  note: other balance rules on it disagree: {rules}\n",
               "  注意：读取它的其他平衡规则方向相反：{rules}\n")
SOURCE_INDICATOR = Say("the indicator `{name}`", "指标 `{name}`")
SOURCE_STANDARD = Say("the standard indicator `{name}`", "标准指标 `{name}`")
SOURCE_RULE = Say("its rule `{rule}`", "读取它的规则 `{rule}`")
SOURCE_KPI = Say("its KPI in `{score}`", "`{score}` 中读取它的 KPI")

# ---- other properties ---------------------------------------------------------------------
REFUSED = Say("card {card!r} refuses rows drawn for it: {error}",
              "计薪卡 {card!r} 拒绝了为它生成的数据行：{error}")
ABOVE_CAP = Say("line `{line}` of card {card!r} pays above its cap {cap} on rows {rows}",
                "计薪卡 {card!r} 的项目 `{line}` 在第 {rows} 行（从 0 数）超过封顶 {cap}")
BELOW_FLOOR = Say("line `{line}` of card {card!r} pays below its floor {floor} on rows {rows}",
                  "计薪卡 {card!r} 的项目 `{line}` 在第 {rows} 行（从 0 数）低于保底 {floor}")
TOTAL_NOT_SUM = Say("the total of card {card!r} is not the sum of its lines on rows {rows}",
                    "计薪卡 {card!r} 在第 {rows} 行（从 0 数）的应发合计不等于各项目之和")
BELOW_MIN_PAY = Say("card {card!r} pays below its min_pay {least} on rows {rows}",
                    "计薪卡 {card!r} 在第 {rows} 行（从 0 数）低于最低工资 {least}")
POOLS_OVER_ALL = Say(
    "pools over the same amount share out more than all of it: {pools}",
    "基于同一金额的奖金池合计分出的比例超过 100%：{pools}",
)
POOL_MISSES = Say(
    "the shares `{line}` of card {card!r} in group {group} add up to {paid}, not the pool {pool}",
    "计薪卡 {card!r} 的分成 `{line}` 在分组 {group} 中合计 {paid}，不等于奖金池 {pool}",
)
CLIFF = Say(
    "total pay of card {card!r} jumps by {size} (more than {most}) as `{name}` moves from "
    "{low} to {high}; lines that jump: {lines}",
    "计薪卡 {card!r} 的应发合计在 `{name}` 从 {low} 变到 {high} 时跳变 {size}（超过 {most}）；"
    "跳变的项目：{lines}",
)
SOURCE_COMMISSION = Say("its commission `{line}`", "读取它的提成 `{line}`")
