"""Messages of binding rules to data and evaluating them: columns, params, ids, cards, pools."""

from __future__ import annotations

from ksf.message import Say

# fmt: off
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
