"""Messages of a card's lines: their clauses, values, `beyond` points, names and references.

From `ksf.dsl.check_lines`, `ksf.dsl.check_clauses`, `ksf.dsl.check_clause_values` and
`ksf.dsl.line_refs`. A keyword a message quotes is a `Keyword` figure.
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# ---- a list of keywords, joined as the language joins a list ---------------------------------
LIST = Say("{first}, {rest}", "{first}、{rest}")

# ---- what a clause belongs to (a figure of NOT_A_CLAUSE) -------------------------------------
OF_KPI = Say("a score's KPI", "考核的 KPI")
OF_POOL = Say("a pool", "奖金池")
OF_POOL_AMOUNT = Say("a pool's amount", "奖金池的金额行")
OF_RULE = Say("a balance rule", "平衡点规则")
OF_COMMISSION = Say("a commission", "提成")
OF_BONUS = Say("a bonus", "奖金")

# ---- clauses ---------------------------------------------------------------------------------
NOT_A_CLAUSE = Say("`{keyword}` is not a clause of {what}", "`{keyword}` 不能用在{what}上")
MAY_TAKE = Say("it may take: {clauses}", "可以用的有：{clauses}")
GIVEN_TWICE = Say("`{keyword}` is given twice", "`{keyword}` 写了两次")
BOTH_DIRECTIONS = Say("a rule cannot be both {higher} and {lower}",
                      "一条规则不能既是 `{higher}` 又是 `{lower}`")
TAKES_NUMBER = Say("`{keyword}` takes a number here", "`{keyword}` 在这里只能写数字")
WEIGHTS_STAY_NUMBERS = Say("weights stay numbers: they must add up to 100%",
                           "权重只能写数字：它们的合计必须是 100%")
PER_ROW_WHERE = Say(
    "values read per row are taken by a balance rule's clauses, a commission's rate, cap and "
    "floor, and a KPI's baseline, target and challenge",
    "按行读取的数值只能用在平衡点规则的子句、提成的比例、封顶和保底，以及 KPI 的底线、目标和"
    "挑战值上")
FLOOR_ABOVE_CAP = Say("{floor} {low} is above {cap} {high}", "{floor} {low} 高于 {cap} {high}")
STEP_NOT_POSITIVE = Say("the {step} must be greater than 0", "`{step}` 必须大于 0")
AMOUNT_NEGATIVE = Say("the {kind} must be 0 or more", "`{kind}` 不能小于 0")
AMOUNT_NEGATIVE_HINT = Say("the direction decides which side pays; amounts are never negative",
                           "由方向决定哪一侧计酬；金额永远不为负")
BY_ENTRY = Say("{kind} {key}:", "{kind} {key}：")

# ---- `beyond` points of a balance rule -------------------------------------------------------
WHOLE_STEP = Say("move the point, or the balance, onto a whole step",
                 "把档位起点或平衡点移到整档上")
BEYOND_AT_BALANCE = Say(
    "`{beyond} {at}` is the balance point itself; beyond points must be at least one whole "
    "step away",
    "`{beyond} {at}` 就是平衡点本身；档位起点离平衡点至少要隔一整档")
BEYOND_NOT_WHOLE = Say(
    "`{beyond} {at}` is {steps} steps from the balance point; beyond points must be a whole "
    "number of steps away",
    "`{beyond} {at}` 离平衡点 {steps} 档；档位起点离平衡点必须是整数档")
BEYOND_WRONG_SIDE = Say("`{beyond} {at} {kind}` is on the wrong side of the balance point "
                        "{balance}",
                        "`{beyond} {at} {kind}` 位于平衡点 {balance} 错误的一侧")
HIGHER_SIDES = Say(
    "higher is better here, so `{reward}` tiers go above the balance point and `{penalty}` "
    "tiers below it",
    "这里越高越好，所以 `{reward}` 档位应在平衡点之上，`{penalty}` 档位在其之下")
LOWER_SIDES = Say(
    "lower is better here, so `{reward}` tiers go below the balance point and `{penalty}` "
    "tiers above it",
    "这里越低越好，所以 `{reward}` 档位应在平衡点之下，`{penalty}` 档位在其之上")
BEYOND_KIND = Say("a balance rule's `{beyond}` takes `{reward}` or `{penalty}`, not `{kind}`",
                  "平衡点规则的 `{beyond}` 只能接 `{reward}` 或 `{penalty}`，不能接 `{kind}`")
SAME_POINT_TWICE = Say("two `{beyond}` tiers start at the same point",
                       "两个 `{beyond}` 档位从同一点开始")

# ---- the card and its lines ------------------------------------------------------------------
GIVEN_TWICE_IN_CARD = Say("`{keyword}` is given twice in card `{card}`",
                          "`{keyword}` 在计薪卡 `{card}` 中写了两次")
MIN_PAY_NOT_WHOLE = Say("{min_pay} {amount} is not a whole number of the rounding unit {unit}",
                        "{min_pay} {amount} 不是取整单位 {unit} 的整数倍")
MIN_PAY_NOT_WHOLE_HINT = Say(
    "the top-up is rounded to the unit, so the total could not reach it; round the minimum "
    "to the unit",
    "补足额会按取整单位取整，合计就达不到这个数；请把最低工资取整到取整单位")
UNKNOWN_MISSING = Say("unknown missing-value policy `{mode}`", "未知的缺失值处理方式 `{mode}`")
MISSING_HINT = Say("write `{missing_as} {balance}` or `{missing_as} {zero}`",
                   "写 `{missing_as} {balance}` 或 `{missing_as} {zero}`")
RESERVED_LINE = Say("`{name}` cannot name a line: {why}", "`{name}` 不能用作计薪项名称：{why}")
RESERVED_TOTAL = Say("it is the card's total", "它是计薪卡的合计")
RESERVED_CARD = Say("the payroll names each row's card in a column of that name",
                    "工资表用这个名称的列记录每一行的计薪卡")
RESERVED_ID = Say("the payroll names each row's employee in a column of that name",
                  "工资表用这个名称的列记录每一行的员工")
RESERVED_TOPUP = Say("it is the line `{min_pay}` adds", "它是 `{min_pay}` 添加的计薪项")
RENAME_WITH_AS = Say("choose another name with `{alias} NAME`", "用 `{alias} 名称` 另起一个名称")
TWO_LINES_NAMED = Say("two lines of this card are named `{name}`",
                      "这张计薪卡有两个计薪项都叫 `{name}`")
TWO_LINES_HINT = Say("the first is on line {line}; rename one with `{alias} NAME`",
                     "第一个在第 {line} 行；用 `{alias} 名称` 给其中一个改名")
NAME_THIS_LINE = Say("name this line with `{alias} NAME`", "请用 `{alias} 名称` 给这个计薪项命名")
NAME_THIS_LINE_HINT = Say("a rule on an expression has no indicator name to take",
                          "按表达式计算的规则没有可沿用的指标名称")
NO_POOL = Say("there is no pool `{name}`", "没有奖金池 `{name}`")
DEFINE_POOL = Say("define it with `{pool} NAME {{ … }}`", "用 `{pool} 名称 {{ … }}` 定义它")
SHARES_TWICE = Say("this card shares pool `{name}` twice", "这张计薪卡两次分享奖金池 `{name}`")
SHARES_TWICE_HINT = Say(
    "the first `{share} {name}` is on line {line}; a member's part of a pool is paid once",
    "第一处 `{share} {name}` 在第 {line} 行；成员在奖金池中的份额只发一次")
LISTED_TWICE = Say("`{key}` is listed twice", "`{key}` 列了两次")
RULE_MISSING = Say("this balance rule has no `{keyword}`", "这条平衡点规则缺少 `{keyword}`")
RULE_EXAMPLE = Say("write: INDICATOR {balance} 30% {step} 1% {reward} 200",
                   "写成：指标名 {balance} 30% {step} 1% {reward} 200")
NO_RATE = Say("this commission has no `{rate}`", "这条提成缺少 `{rate}`")
COMMISSION_EXAMPLE = Say("write: {commission} sales {rate} 0.75%",
                         "写成：{commission} sales {rate} 0.75%")
COMMISSION_BEYOND_KIND = Say("a commission's `{beyond}` takes `{rate}`, not `{kind}`",
                             "提成的 `{beyond}` 只能接 `{rate}`，不能接 `{kind}`")
TIERS_ORDER = Say("commission tiers must be in increasing order",
                  "提成档位必须按从小到大的顺序排列")

# ---- lines a line reads (LANGUAGE.md 9) ------------------------------------------------------
LINE_AND_DEFINITION = Say("`{name}` is both a line of card `{card}` and {kind} of this file",
                          "`{name}` 既是计薪卡 `{card}` 的计薪项，又是本文件定义的{kind}")
LINE_AND_DEFINITION_HINT = Say(
    "rename the line with `{alias} NAME`, or the {kind}, so the name says which",
    "用 `{alias} 名称` 给计薪项改名，或给{kind}改名，让名称不再有歧义")
OWN_AMOUNT = Say("line `{name}` cannot use its own amount", "计薪项 `{name}` 不能使用它自己的金额")
OWN_AMOUNT_HINT = Say(
    "a line can use the lines above it; for the lines so far write `subtotal`",
    "计薪项可以使用它上面的计薪项；要用到目前为止的各项，请写 `小计`")
COMES_LATER = Say("line `{name}` comes later in card `{card}` (on line {line})",
                  "计薪项 `{name}` 在计薪卡 `{card}` 中排在后面（第 {line} 行）")
COMES_LATER_HINT = Say("a line can use only the lines above it; move it below that line",
                       "计薪项只能使用它上面的计薪项；请把它移到那一项下面")
OTHER_CARD = Say("`{name}` is a line of card `{other}`, not of card `{card}`",
                 "`{name}` 是计薪卡 `{other}` 的计薪项，不是计薪卡 `{card}` 的")
OTHER_CARD_HINT = Say("a line can use only the lines above it in its own card",
                      "计薪项只能使用本计薪卡中它上面的计薪项")

# ---- a name read from the data, spelt almost as a line above it (a warning, LANGUAGE.md §9) ---
NEAR_A_LINE = Say("`{name}` is not a line of card {card}: it will be read from the data",
                  "`{name}` 不是计薪卡 {card} 中的计薪项：将从数据中读取")
