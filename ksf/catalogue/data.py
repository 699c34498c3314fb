"""Messages of binding rules to data and evaluating them: columns, params, ids, cards, pools."""

from __future__ import annotations

from ksf.message import Say

# fmt: off

# Clause values read per row (LANGUAGE.md §9): checks made on each row (`ksf.per_row`)
CHECKS_FAIL = Say("{count} checks fail", "{count} 项检查未通过")
BEYOND_AMOUNT_NEGATIVE = Say("{clause} of line {line}: the {kind} must be 0 or more",
                             "计薪项 {line} 的 {clause}：{kind} 不能小于 0")
BEYOND_NOT_PAST = Say(
    "{clause} of line {line} is not past `beyond {before}`: tiers on a side must be written "
    "in order, each further from the balance point",
    "计薪项 {line} 的 {clause} 没有越过 `beyond {before}`：同一侧的档位须按书写顺序排列，"
    "每一档都比前一档离平衡点更远")
TIER_NOT_ABOVE = Say(
    "{clause} of line {line} is not above `beyond {before}`: commission tiers must be in "
    "increasing order",
    "计薪项 {line} 的 {clause} 不高于 `beyond {before}`：提成档位须递增")
# a decision matrix called with a text column at a number key and a number column at the
# text key: the two arguments swapped (`ksf.bind`, `ksf.matrix_args`)
MATRIX_ARGS_SWAPPED = Say(
    "arguments look swapped: {table} takes ({keys})",
    "参数似乎写反了：{table} 的参数依次是 ({keys})",
)
SWAPPED_COLUMNS_HINT = Say(
    "call it as {call}: a text column goes to the key compared with names, a number column "
    "to the key compared with numbers",
    "请写成 {call}：文字列传给与名称比较的键，数字列传给与数字比较的键",
)
