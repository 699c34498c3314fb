"""Messages of rule text that parses but means nothing valid: the file and its definitions.

The file's settings and namespace (`ksf.dsl.check`), indicators, scores, tables and pools
(`ksf.dsl.check_defs`), decision matrices (`ksf.dsl.check_matrix`) and group aggregates
(`ksf.dsl.check_groups`). Card lines are in `check_lines`, expressions and unit slips in
`check_exprs`, warnings in `check_lint`. A keyword a message quotes is a `Keyword` figure.
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# ---- what a definition is: figures of the messages that name one ---------------------------
INDICATOR = Say("indicator", "指标")
TABLE = Say("table", "系数表")
SCORE = Say("score", "考核")
POOL = Say("pool", "奖金池")
CARD = Say("card", "计薪卡")
AN_INDICATOR = Say("an indicator", "指标")
A_TABLE = Say("a table", "系数表")
A_SCORE = Say("a score", "考核")
A_POOL = Say("a pool", "奖金池")
A_CARD = Say("a card", "计薪卡")
# by the lowercased AST class name of a definition
KINDS = {"indicator": INDICATOR, "table": TABLE, "score": SCORE, "pool": POOL, "card": CARD}
A_KINDS = {"indicator": AN_INDICATOR, "table": A_TABLE, "score": A_SCORE, "pool": A_POOL,
           "card": A_CARD}

# ---- the file: column declarations, settings, one namespace --------------------------------
COLUMN_TWICE = Say("column `{name}` is declared twice", "数据列 `{name}` 声明了两次")
FIRST_DECLARATION = Say("the first declaration is on line {line}", "第一次声明在第 {line} 行")
DEFINED_NOT_COLUMN = Say("`{name}` is {kind} of this file, not a data column",
                         "`{name}` 是本文件定义的{kind}，不是数据列")
DEFINED_NOT_COLUMN_HINT = Say(
    "the file's definition is what the name reads; declare only raw columns",
    "这个名称读取的是文件里的定义；只声明数据里原有的列")
UNKNOWN_UNIT = Say("unknown unit `{unit}`", "未知的单位 `{unit}`")
UNITS_ARE = Say("units are {units}", "单位可以是 {units}")
CANNOT_BOUND = Say("`{op}` cannot bound a column", "`{op}` 不能作为数据列的界限")
CANNOT_BOUND_HINT = Say(
    "write a lower bound (`>= 0`), an upper bound (`<= 100%`) or both",
    "写下限（`>= 0`）、上限（`<= 100%`）或两者都写")
TWO_LOWER_BOUNDS = Say("column `{name}` has two lower bounds", "数据列 `{name}` 有两个下限")
TWO_HIGHER_BOUNDS = Say("column `{name}` has two higher bounds", "数据列 `{name}` 有两个上限")
NO_VALUE_FITS = Say("column `{name}` can hold no value: its bounds exclude each other",
                    "数据列 `{name}` 容不下任何值：它的上下限互相排斥")
SET_TWICE = Say("`{key}` is set twice", "`{key}` 设置了两次")
FIRST_IS_ON = Say("the first is on line {line}", "第一处在第 {line} 行")
NOT_CURRENCY = Say("`{code}` is not a currency code", "`{code}` 不是币种代码")
CURRENCY_HINT = Say("write a three-letter ISO 4217 code such as CNY, USD or EUR",
                    "写三个字母的 ISO 4217 代码，例如 CNY、USD 或 EUR")
UNKNOWN_LANGUAGE = Say("unknown language `{code}`", "未知的语言 `{code}`")
LANGUAGE_HINT = Say("write `{language} zh` (Chinese) or `{language} en` (English)",
                    "写 `{language} zh`（中文）或 `{language} en`（英文）")
UNKNOWN_ROUNDING = Say("unknown rounding mode `{mode}`", "未知的取整方式 `{mode}`")
ROUNDING_MODE_HINT = Say("ksf rounds half_up (四舍五入)", "ksf 按 half_up（四舍五入）取整")
ROUNDING_NOT_POSITIVE = Say("the rounding unit must be greater than 0", "取整单位必须大于 0")
ROUNDING_OUT_OF_RANGE = Say("the rounding unit {unit} is outside what ksf rounds to",
                            "取整单位 {unit} 超出了 ksf 能取整的范围")
ROUNDING_RANGE_HINT = Say(
    "a rounding unit is from {low} to {high}; write `{rounding} 0.01` (cents) or "
    "`{rounding} 1` (whole yuan)",
    "取整单位须在 {low} 到 {high} 之间；写 `{rounding} 0.01`（到分）或 `{rounding} 1`（到元）")
DEFINED_TWICE = Say("`{name}` is defined twice", "`{name}` 定义了两次")
DEFINED_TWICE_HINT = Say(
    "the first definition is on line {line}; indicators, tables, scores, pools and cards "
    "share one namespace",
    "第一次定义在第 {line} 行；指标、系数表、考核、奖金池和计薪卡共用同一套名称")

# ---- indicators and scores -------------------------------------------------------------------
DEFINED_BY_ITSELF = Say("`{name}` is defined in terms of itself ({cycle})",
                        "`{name}` 的定义用到了它自己（{cycle}）")
TOO_MANY_LATER = Say(
    "`{name}` is reached through more than {count} indicators that each use one defined "
    "further down the file",
    "`{name}` 要经过超过 {count} 个指标才能算出，而这些指标各自用到了写在文件更后面的指标")
TOO_MANY_LATER_HINT = Say("define indicators before the ones that use them",
                          "先定义指标，再定义用到它们的指标")
KPI_EXAMPLE = Say(
    "write: INDICATOR {weight} 60% {baseline} 90% {target} 100% {challenge} 110%",
    "写成：指标名 {weight} 60% {baseline} 90% {target} 100% {challenge} 110%")
SCORE_NO_KPIS = Say("score `{name}` has no KPIs", "考核 `{name}` 没有任何 KPI")
WEIGHTS_NOT_100 = Say("the weights of score `{name}` add up to {total}%, not 100%",
                      "考核 `{name}` 的权重合计为 {total}%，不是 100%")
WEIGHT_IS_PERCENT = Say(
    "a weight is a percentage: write `{weight} 60%`, not `{weight} 60`",
    "权重是百分比：应写 `{weight} 60%`，而不是 `{weight} 60`")
KPI_MISSING = Say("this KPI has no `{keyword}`", "这个 KPI 缺少 `{keyword}`")
NEGATIVE_WEIGHT = Say("a KPI's weight cannot be negative", "KPI 的权重不能为负数")
NEGATIVE_WEIGHT_HINT = Say("a negative weight would pay less for a better result",
                           "权重为负时，结果越好反而拿得越少")
KPI_ORDER = Say("baseline, target and challenge must be in order",
                "底线、目标和挑战值必须依次排列")
KPI_ORDER_HINT = Say(
    "increasing for higher-is-better KPIs, decreasing for lower-is-better ones",
    "越高越好的 KPI 依次递增，越低越好的 KPI 依次递减")
POINTS_SHAPE = Say(
    "`{points}` takes three increasing numbers: baseline, target, challenge",
    "`{points}` 需要三个递增的数：底线、目标、挑战")
POINTS_DEFAULT = Say("the default is `{points} 60 100 120`", "默认是 `{points} 60 100 120`")

# ---- tables ----------------------------------------------------------------------------------
ELSE_NOT_LAST = Say("`{otherwise}` must be the last row of a table",
                    "`{otherwise}` 必须是系数表的最后一行")
ELSE_NOT_LAST_HINT = Say("rows after `{otherwise}` could never match",
                         "`{otherwise}` 之后的行永远匹配不到")
NO_ELSE = Say("table `{name}` has no `{otherwise}` row", "系数表 `{name}` 没有 `{otherwise}` 行")
NO_ELSE_HINT = Say(
    "end the table with `{otherwise} : VALUE` so every number finds a row",
    "在表的最后加一行 `{otherwise} : 数值`，让每个数都能找到对应的行")
NO_ELSE_MATRIX_HINT = Say(
    "end the table with `{otherwise} : VALUE` so every combination finds a row",
    "在表的最后加一行 `{otherwise} : 数值`，让每种组合都能找到对应的行")
ROW_BAD_COMPARE = Say("a table row cannot compare with `{op}`", "系数表的行不能用 `{op}` 比较")
ROW_COMPARE_HINT = Say("use >=, >, <= or <", "请用 >=、>、<= 或 <")
ROW_NEVER_MATCHES = Say("table row `{row}` can never match", "系数表的行 `{row}` 永远匹配不到")
ROW_ORDER_HINT = Say(
    "the rows above it already match every such value; order `>=` rows from the highest "
    "threshold down, `<=` rows from the lowest up",
    "上面的行已经匹配了所有这样的值；`>=` 的行按门槛从高到低排，`<=` 的行从低到高排")

# ---- decision matrices -----------------------------------------------------------------------
MATRIX_NO_KEYS = Say(
    "table `{name}` has rows that are not comparisons but does not name its keys",
    "系数表 `{name}` 有不是比较的行，却没有写出它的键")
MATRIX_NO_KEYS_HINT = Say("name one key per cell: `{table} {name}(grade, score) {{ … }}`",
                          "每个单元格对应一个键：`{table} {name}(grade, score) {{ … }}`")
MATRIX_KEY_TWICE = Say("table `{name}` names a key twice", "系数表 `{name}` 的键重名")
MATRIX_KEY_TWICE_HINT = Say("give each key its own name", "每个键用各自不同的名称")
MATRIX_CELLS = Say(
    "this row has {count} cells, but table `{name}` has {keys} keys ({names})",
    "这一行有 {count} 个单元格，但系数表 `{name}` 有 {keys} 个键（{names}）")
MATRIX_CELL = Say(
    "this row has 1 cell, but table `{name}` has {keys} keys ({names})",
    "这一行只有 1 个单元格，但系数表 `{name}` 有 {keys} 个键（{names}）")
MATRIX_ROW_HINT = Say(
    "write a row as `A, >= 90 : 1.5`: one cell per key, then `:` and the value; write `*` "
    "for a key that may be anything",
    "每行写成 `A, >= 90 : 1.5`：每个键一个单元格，然后是 `:` 和数值；哪个键取什么都行就写 `*`")
CELL_BAD_COMPARE = Say("a table cell cannot compare with `{op}`",
                       "系数表的单元格不能用 `{op}` 比较")
CELL_COMPARE_HINT = Say("use >=, >, <= or <, a number the key must equal, or `*`",
                        "请用 >=、>、<= 或 <，或写键必须等于的数，或写 `*`")
KEY_COMPARED_NAMES = Say(
    "key `{key}` of table `{name}` is compared with names in the rows above, so `{cell}` "
    "cannot be one of its cells",
    "系数表 `{name}` 的键 `{key}` 在上面的行里是和名称比较的，所以 `{cell}` 不能做它的单元格")
KEY_COMPARED_NUMBERS = Say(
    "key `{key}` of table `{name}` is compared with numbers in the rows above, so `{cell}` "
    "cannot be one of its cells",
    "系数表 `{name}` 的键 `{key}` 在上面的行里是和数字比较的，所以 `{cell}` 不能做它的单元格")
KEY_KIND_HINT = Say(
    "a key is either a text column (cells are names or quoted text) or a number (cells are "
    "comparisons or numbers); `*` fits both",
    "一个键要么是文本列（单元格写名称或带引号的文本），要么是数字（单元格写比较或数字）；"
    "`*` 两种都适用")
MATRIX_ROW_BEATEN_HINT = Say(
    "row {row} (`{cells}`) above it matches every such combination first; put the narrower "
    "row first",
    "上面的第 {row} 行（`{cells}`）会先匹配所有这样的组合；把范围更窄的行放在前面")

# ---- pools -----------------------------------------------------------------------------------
POOL_EXAMPLE = Say("write: PROFIT {above} THRESHOLD {share} 20%",
                   "写成：利润 {above} 门槛 {share} 20%")
POOL_ONE_AMOUNT = Say("pool `{name}` needs exactly one amount line",
                      "奖金池 `{name}` 必须有且只有一行金额")
POOL_CAP_NEGATIVE = Say("a pool's cap cannot be negative", "奖金池的封顶不能为负数")
PAST_LIMIT = Say("{what} {amount} is past {limit}, the largest amount ksf pays in the rounding "
                 "unit {unit}",
                 "{what} {amount} 超过了 {limit}，这是取整单位为 {unit} 时 ksf 能发放的最大金额")
LIMIT_HINT = Say(
    "ksf cannot round amounts past 10^12 rounding units exactly; check the number (a coarser "
    "`{rounding}` allows more)",
    "超过 10^12 个取整单位的金额 ksf 无法精确取整；请检查这个数（`{rounding}` 的单位越大，"
    "允许的金额越大）")
SPLIT_BY_TWICE = Say("`{split_by}` is given twice", "`{split_by}` 写了两次")
ON_AMOUNT_LINE = Say("`{keyword}` belongs on the pool's amount line",
                     "`{keyword}` 应写在奖金池的金额行上")
ON_AMOUNT_LINE_HINT = Say(
    "a statement ends at the end of its line: move `{text}` to the end of line {line}",
    "一条语句写到行尾就结束了：把 `{text}` 移到第 {line} 行的末尾")
POOL_NO_SHARE = Say("the pool's amount has no `{share}`", "奖金池的金额行缺少 `{share}`")
POOL_SHARE_NEGATIVE = Say("a pool's share cannot be negative", "奖金池的分享比例不能为负数")

# ---- group aggregates (LANGUAGE.md §11) ------------------------------------------------------
NOT_AGGREGATE = Say("`{over}` does not apply to `{func}`: it is not a group aggregate",
                    "`{over}` 不能用于 `{func}`：它不是分组汇总")
AGGREGATES_ARE = Say(
    "the aggregates are sum, mean, min, max, count and rank: sum(sales {over} team), "
    "count({over} team), rank(gross_profit {over} {all})",
    "分组汇总有 sum、mean、min、max、count 和 rank：sum(sales {over} team)、"
    "count({over} team)、rank(gross_profit {over} {all})")
COUNT_TAKES_NO_VALUE = Say("`count` counts the rows of a group and takes no value",
                           "`count` 统计一组的行数，不带数值")
COUNT_HINT = Say("write count({over} team); to add values up, use sum(x {over} team)",
                 "写 count({over} team)；要把数值加起来，用 sum(x {over} team)")
NEEDS_VALUE = Say("`{func}` needs a value before `{over}`", "`{func}` 在 `{over}` 之前需要一个数值")
NEEDS_VALUE_HINT = Say("for example {func}(sales {over} {group})",
                       "例如 {func}(sales {over} {group})")
OVER_DEFINITION = Say("`{over} {name}` names the file's {kind}; a group is made by a data column",
                      "`{over} {name}` 指的是文件里的{kind}；分组要按数据列来分")
OVER_DEFINITION_HINT = Say(
    "name a column of the data (team, store, region…) or write `{over} {all}`",
    "写数据里的一列（团队、门店、区域……），或写 `{over} {all}`")
NESTED_AGGREGATE = Say("an aggregate cannot be inside another aggregate's value",
                       "分组汇总的数值里不能再套分组汇总")
NESTED_AGGREGATE_HINT = Say(
    "every aggregate is computed over the whole evaluation at once; give the inner figure to "
    "the data as a column instead",
    "每个分组汇总都是对整批数据一次算出的；请把里层的数作为一列放进数据")
AGGREGATE_OF_LINE = Say("an aggregate cannot read a line of the card or `subtotal`",
                        "分组汇总不能读取计薪卡的计薪项或 `小计`")
AGGREGATE_OF_LINE_HINT = Say(
    "aggregates are computed over the whole evaluation before any card's lines; aggregate "
    "the figures the line is computed from (sum(sales {over} team)) instead",
    "分组汇总在计算任何计薪项之前就对整批数据算好了；请改为汇总算出该计薪项所用的数"
    "（sum(sales {over} team)）")
AGGREGATE_AS_FUNCTION = Say(
    "`{func}` is a group aggregate and needs `{over}`: {func}({arg}{over} team) or {over} {all}",
    "`{func}` 是分组汇总，需要 `{over}`：{func}({arg}{over} team) 或 {over} {all}")
