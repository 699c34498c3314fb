"""Messages of expressions (`ksf.dsl.check_expr`) and of unit slips (`ksf.dsl.unit_slips`).

A keyword a message quotes is a `Keyword` figure.
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# ---- expressions -----------------------------------------------------------------------------
CONDITION_AS_NUMBER = Say("a condition cannot be used as a number", "条件不能当作数值使用")
CONDITION_HINT = Say("comparisons, `{and_}`, `{or_}` and `{not_}` belong after `{when}`",
                     "比较以及 `{and_}`、`{or_}`、`{not_}` 应写在 `{when}` 之后")
TOO_DEEP = Say(
    "this expression is nested more than {depth} operations deep, counting the indicators and "
    "scores it is defined through",
    "这个表达式嵌套超过了 {depth} 层运算（包括它所依赖的指标和考核）")
TOO_DEEP_HINT = Say("define fewer indicators in terms of each other, or split the formula",
                    "减少指标之间的层层引用，或把公式拆开")
DIVISION_BY_ZERO = Say("division by zero", "除以零")
DIVISION_BY_ZERO_ALWAYS = Say("division by zero: `{text}` is always 0", "除以零：`{text}` 始终为 0")
DIVISION_HINT = Say("every row would be missing; divide by a column or a non-zero number",
                    "每一行都会缺失；请除以某一列或一个非零的数")
OVERFLOW = Say("this arithmetic overflows: its value is too large for a number",
               "这个运算溢出了：结果大到无法表示")
OVERFLOW_HINT = Say("write the amount you mean; no pay figure comes near this",
                    "请写出你想要的金额；任何薪酬数字都不会接近这个值")
NOT_A_VALUE = Say("`{name}` is {kind}, not a value", "`{name}` 是{kind}，不是数值")
CALL_TABLE_HINT = Say("call it with a value: {name}(x)", "请带一个数值调用它：{name}(x)")
TABLE_ONE_VALUE = Say("table `{name}` takes one value, not {count}",
                      "系数表 `{name}` 只接受一个数值，而不是 {count} 个")
MATRIX_VALUES = Say("table `{name}` takes {keys} values, one per key, not {count}",
                    "系数表 `{name}` 需要 {keys} 个数值（每个键一个），而不是 {count} 个")
MATRIX_CALL_HINT = Say("call it as {name}({keys})", "请这样调用：{name}({keys})")
TEXT_KEY_COLUMN = Say(
    "key `{key}` of table `{name}` is compared with names, so it must be a text column of "
    "the data",
    "系数表 `{name}` 的键 `{key}` 是和名称比较的，所以必须是数据里的文本列")
TEXT_KEY_HINT = Say("pass the column's name, e.g. {name}(grade, …)",
                    "请传入列名，例如 {name}(grade, …)")
TAKES_ARGUMENTS = Say("`{func}` takes {count} arguments, not {given}",
                      "`{func}` 需要 {count} 个参数，而不是 {given} 个")
TAKES_ARGUMENT = Say("`{func}` takes {count} argument, not {given}",
                     "`{func}` 需要 {count} 个参数，而不是 {given} 个")
TAKES_AT_LEAST_ARGUMENTS = Say("`{func}` takes at least {count} arguments, not {given}",
                               "`{func}` 至少需要 {count} 个参数，而不是 {given} 个")
TAKES_AT_LEAST_ARGUMENT = Say("`{func}` takes at least {count} argument, not {given}",
                              "`{func}` 至少需要 {count} 个参数，而不是 {given} 个")
NOT_A_FUNCTION = Say("`{func}` is {kind}, not a function or table",
                     "`{func}` 是{kind}，不是函数或系数表")
UNKNOWN_FUNCTION = Say("unknown function or table `{func}`", "未知的函数或系数表 `{func}`")
# a decision matrix called with the names of its own keys in another order
MATRIX_KEYS_SWAPPED = Say("arguments look swapped: {table} takes ({keys})",
                          "参数似乎写反了：{table} 的参数依次是 ({keys})")
MATRIX_KEYS_SWAPPED_HINT = Say(
    "call it as {call}; if the order is meant, rename the table's keys to say so",
    "请写成 {call}；如果确实是这个顺序，请修改系数表的键名，让键名说明这个顺序")
FUNCTIONS_ARE = Say("functions are min, max, abs and the file's tables",
                    "可用的函数有 min、max、abs 以及文件中的系数表")

# ---- unit slips: numbers that would pay 100 times too much -----------------------------------
IS_PERCENTAGE = Say("`{name}` is a percentage (38.6% is 0.386)",
                    "`{name}` 是百分比（38.6% 即 0.386）")
OF_NO_PERCENT = Say(
    "`{left} {of} {right}` has no `%`: `{of}` takes a percent (15% {of} x is 0.15 * x)",
    "`{left} {of} {right}` 没有 `%`：`{of}` 前面要写百分数（15% {of} x 就是 0.15 * x）")
OF_HINT_RATIO = Say("write `{percent} {of} {right}` or `{value} * {right}`",
                    "写成 `{percent} {of} {right}` 或 `{value} * {right}`")
OF_HINT_TIMES = Say("write `{left}% {of} {right}`; for {left} times it, write `{left} * {right}`",
                    "写成 `{left}% {of} {right}`；如果是它的 {left} 倍，写 `{left} * {right}`")
OF_HINT_FRACTION = Say("write `{percent} {of} {right}`, or `{left}% {of} {right}` if that is meant",
                       "写成 `{percent} {of} {right}`；如果本意如此，也可写 `{left}% {of} {right}`")
COMPARED_PERCENT = Say("{is_percent}, so comparing it with {number} compares it with {percent}",
                       "{is_percent}，所以和 {number} 比较就是和 {percent} 比较")
WRITE_PERCENT = Say("write {number}%", "应写 {number}%")
WRITE_CLAUSE_PERCENT = Say("write `{keyword} {value}%`", "应写 `{keyword} {value}%`")
WRITE_AT_CALL = Say("write `{text}%` (the call is on line {line})",
                    "应写 `{text}%`（调用在第 {line} 行）")
TABLE_ROW_PERCENT = Say(
    "table `{table}` is called with `{name}`, a percentage (38.6% is 0.386), so its row "
    "`{row}` means {percent}",
    "系数表 `{table}` 是用百分比 `{name}`（38.6% 即 0.386）调用的，所以它的行 `{row}` 表示 "
    "{percent}")
TABLE_CELL_PERCENT = Say(
    "table `{table}` is called with `{name}`, a percentage (38.6% is 0.386), so its cell "
    "`{cell}` means {percent}",
    "系数表 `{table}` 是用百分比 `{name}`（38.6% 即 0.386）调用的，所以它的单元格 `{cell}` 表示 "
    "{percent}")
SHARE_PAST_ALL = Say(
    "`{share} {value}` is {percent} of the amount above the threshold: the pool would pay out "
    "more than all of it",
    "`{share} {value}` 是超出门槛部分的 {percent}：奖金池发出的会比这部分还多")
SHARE_AT_MOST = Say("a pool shares at most 100% of the amount above its threshold",
                    "奖金池最多分享超出门槛部分的 100%")
STEP_TOO_BIG = Say(
    "{is_percent}, so `{step} {value}` is a step of {percent}: no one's value moves that far, "
    "and the line pays nothing",
    "{is_percent}，所以 `{step} {value}` 是每档 {percent}：谁的数值都不会变动这么多，这一项"
    "不会发放任何金额")
POINT_PERCENT = Say("{is_percent}, so `{keyword} {value}` means {percent}",
                    "{is_percent}，所以 `{keyword} {value}` 表示 {percent}")
WRITTEN_IN_PERCENT = Say("{written} is written in percent, so `{keyword} {value}` means {percent}: "
                         "{effect}",
                         "{written} 是按百分比写的，所以 `{keyword} {value}` 表示 {percent}："
                         "{effect}")
MOVES_NOTHING = Say("no one's value moves that far, and the line pays nothing",
                    "谁的数值都不会变动这么多，这一项不会发放任何金额")
UNREACHED = Say("a point no one's value reaches", "这是谁的数值都到不了的点")
MONEY_RATE = Say(
    "`{rate} {value}` pays {percent} of `{name}`, an amount of money: more than all of it",
    "`{rate} {value}` 按金额 `{name}` 的 {percent} 计提成：比它的全部还多")
