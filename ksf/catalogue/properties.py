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
    "  {name} = {low} pays {low_pays}\n"
    "  {name} = {high} pays {high_pays}\n"
    "{rest}{lines}{note}"
    "  explained at {name} = {low}:\n{low_explained}\n"
    "  explained at {name} = {high}:\n{high_explained}",
    "计薪卡 {card!r} 的应发合计在 `{name}` 从 {low} 升到 {high} 时{moves}，但{why}：\n"
    "  {name} = {low} 时应发 {low_pays}\n"
    "  {name} = {high} 时应发 {high_pays}\n"
    "{rest}{lines}{note}"
    "  {name} = {low} 时的明细：\n{low_explained}\n"
    "  {name} = {high} 时的明细：\n{high_explained}",
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
REFUSED = Say("card {card!r} refuses the rows it is given: {error}",
              "计薪卡 {card!r} 无法计算所给的数据行：{error}")
ABOVE_CAP = Say("line `{line}` of card {card!r} pays above its cap {bound} on rows {rows}",
                "计薪卡 {card!r} 的项目 `{line}` 在第 {rows} 行（从 0 数）超过封顶 {bound}")
BELOW_FLOOR = Say("line `{line}` of card {card!r} pays below its floor {bound} on rows {rows}",
                  "计薪卡 {card!r} 的项目 `{line}` 在第 {rows} 行（从 0 数）低于保底 {bound}")
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

# ---- ksf lint --payout --------------------------------------------------------------------
LINT_HEADING = Say("{file}: payout lint: findings {findings}, faults {faults}",
                   "{file}：薪酬曲线检查：发现 {findings} 处，其中问题 {faults} 处")
LINT_ITEM = Say("  {kind}: {text}", "  {kind}：{text}")
LINT_CARD = Say("card {card}:", "计薪卡 {card}：")
LINT_RULE_FILE = Say("the rule file:", "规则文件：")
LINT_ROWS_DATA = Say("  rows: {count} of the data", "  数据行：数据中的 {count} 行")
LINT_ROWS_DRAWN = Say(
    "  rows: {count} drawn at random (no data for this card), each input near the card's "
    "balance points, tiers and thresholds: {ranges}",
    "  数据行：随机生成 {count} 行（没有这张计薪卡的数据），各输入取在卡内平衡点、档位和门槛附近："
    "{ranges}",
)
KIND_NON_MONOTONE = Say("non-monotone", "反向变动")
KIND_REFUSED = Say("refused rows", "拒绝数据行")
KIND_STRUCTURE = Say("structure", "结构问题")
KIND_CLIFF = Say("cliff", "断崖")
KIND_DEAD_ZONE = Say("dead zone", "无效区间")
KIND_BINDS = Say("binds", "封顶/保底常触发")
KIND_NEVER_PAYS = Say("never pays", "从不发放")
LINT_NOT_MONOTONE = Say(
    "total pay {moves} as `{name}` rises from {low} ({low_pays}) to {high} ({high_pays}); "
    "lines: {lines}",
    "`{name}` 从 {low}（应发 {low_pays}）升到 {high}（应发 {high_pays}）时应发合计{moves}；"
    "变动项目：{lines}",
)
LINT_CLIFF = Say(
    "`{name}` at {at} moves pay by {size} ({share} of the typical total {typical}); "
    "lines: {lines}",
    "`{name}` 在 {at} 处使应发变动 {size}（为典型应发 {typical} 的 {share}）；变动项目：{lines}",
)
LINT_DEAD_ZONE = Say("`{name}` from {low} to {high} changes no one's pay",
                     "`{name}` 在 {low} 到 {high} 之间不改变任何人的应发")
LINT_BINDS = Say("the {clause} {bound} of `{line}` binds for {share} of the rows",
                 "`{line}` 的{clause} {bound} 对 {share} 的数据行生效")
LINT_NEVER_PAYS = Say("`{line}` pays nothing on any row", "`{line}` 在所有数据行上都为 0")
LINT_TIER_DROPS = Say(
    "the tier of `{line}` beyond {at} pays {rate}, less than the {before} before it",
    "`{line}` 超过 {at} 的档位提成率 {rate}，低于前一档的 {before}",
)
LINT_WHICH = Say("ksf lint needs --payout (the one lint there is so far)",
                 "ksf lint 需要 --payout（目前只有这一种检查）")
LINT_CLIFF_OPTION = Say("--cliff takes a share above 0, e.g. 0.2 or 20%; got {value}",
                        "--cliff 需要大于 0 的比例，例如 0.2 或 20%；收到的是 {value}")
LINT_NOT_A_SHARE = Say("not a share: {text!r}", "不是比例：{text!r}")
