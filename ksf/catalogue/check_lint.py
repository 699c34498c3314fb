"""Warnings (`ksf.dsl.lint`): rule text that is valid but probably not what was meant.

A keyword a warning quotes is a `Keyword` figure.
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
LABEL = Say(" ({label})", "（{label}）")
SHADOWS = Say(
    "this {kind} shadows the standard indicator `{name}`{label}; this file's definition is used",
    "这个{kind}与标准指标 `{name}`{label}同名；使用的是本文件的定义")
SHADOWS_HINT = Say("the standard one is {text}; rename this {kind} if you need both",
                   "标准指标是 {text}；如果两个都要用，请给这个{kind}改名")
POOL_NOT_SHARED = Say("no card shares pool `{name}`: it is computed and paid to nobody",
                      "没有计薪卡分享奖金池 `{name}`：它算出来了，却不发给任何人")
POOL_NOT_SHARED_HINT = Say("add `{share} {name}` to the cards of the people it pays",
                           "在应得这笔奖金的人的计薪卡里加上 `{share} {name}`")
UNUSED = Say("{kind} `{name}` is defined but no line uses it",
             "{kind} `{name}` 已定义，但没有任何计薪项用到它")
UNUSED_HINT = Say("a line that reads it may be missing; or delete the definition",
                  "可能漏写了读取它的计薪项；否则请删除这个定义")
INDICATOR_NOT_LINE = Say(
    "`{name}` here is the indicator, not the amount of the balance rule `{name}` on line {line}",
    "这里的 `{name}` 是指标，不是第 {line} 行平衡点规则 `{name}` 的金额")
INDICATOR_NOT_LINE_HINT = Say(
    "to use the rule's amount, name the rule (`{name} … {alias} {name}_pay`) and read that name",
    "要使用这条规则的金额，请给规则命名（`{name} … {alias} {name}_pay`），再读取这个名称")
READS_LIKE_PERCENT = Say(
    "`{name}` reads like a percentage: if the data holds 0.25 for 25%, `{keyword} {value}` "
    "means {percent}",
    "`{name}` 看起来是百分比：如果数据里 25% 记作 0.25，那么 `{keyword} {value}` 表示 {percent}")
READS_LIKE_PERCENT_HINT = Say(
    "write {value}% if it does; if it holds percentage points (25 for 25%), the line is right "
    "as written",
    "如果是这样，请写 {value}%；如果数据记的是百分点（25% 记作 25），这一行就没写错")
MIXED_PERCENT = Say(
    "`{balance}` is written without `%` and `{step}` with it: if the data holds fractions "
    "(0.3 for 30%), the balance is {percent}; if it holds percentage points, the step is "
    "{points} of a point",
    "`{balance}` 没写 `%`，`{step}` 却写了：如果数据记的是小数（30% 记作 0.3），平衡点就是 "
    "{percent}；如果记的是百分点，每档就是 {points} 个百分点")
MIXED_PERCENT_HINT = Say(
    "write both with `%` ({balance}%) if the data holds fractions, or both without it if it "
    "holds percentage points",
    "数据记的是小数就两个都写 `%`（{balance}%），记的是百分点就都不写")
FLOOR_PAYS = Say(
    "`{floor} {value}` pays at least {value} on this line, however bad the result; without a "
    "pot, a line pays 0 at the balance point and deducts below it",
    "`{floor} {value}` 让这一项无论结果多差都至少发 {value}；没有分配额时，这一项在平衡点发 0，"
    "低于平衡点就扣减")
FLOOR_PAYS_HINT = Say("did you mean `{floor} -{value}`, a deduction of at most {value}?",
                      "是不是要写 `{floor} -{value}`，即最多扣减 {value}？")
CAP_DEDUCTS = Say(
    "`{cap} {value}` makes this line a deduction of at least {amount} even far above the "
    "balance point",
    "`{cap} {value}` 让这一项即使远高于平衡点也至少扣减 {amount}")
DID_YOU_MEAN_CLAUSE = Say("did you mean `{keyword} {value}`?", "是不是要写 `{keyword} {value}`？")
DID_YOU_MEAN_PERCENT = Say("did you mean `{keyword} {value}%`?",
                           "是不是要写 `{keyword} {value}%`？")
RATE_PAYS = Say("`{rate} {value}` pays {percent} of the base as commission",
                "`{rate} {value}` 按基数的 {percent} 计提成")
SHARE_GIVES = Say("`{share} {value}` gives {percent} of the amount above the threshold to the pool",
                  "`{share} {value}` 把超出门槛部分的 {percent} 放进奖金池")
