"""Messages of rule text that parses but means nothing valid, and the warnings about legal rules."""

from __future__ import annotations

from ksf.message import Say

# fmt: off

# A name read from the data, spelt almost as a line above it (LANGUAGE.md §9)
NEAR_A_LINE = Say(
    "`{name}` is not a line of card {card}: it will be read from the data",
    "`{name}` 不是计薪卡 {card} 中的项目：将从数据中读取",
)
# a decision matrix called with the names of its own keys in another order (`check_expr`)
MATRIX_KEYS_SWAPPED = Say(
    "arguments look swapped: {table} takes ({keys})",
    "参数似乎写反了：{table} 的参数依次是 ({keys})",
)
MATRIX_KEYS_SWAPPED_HINT = Say(
    "call it as {call}; if the order is meant, rename the table's keys to say so",
    "请写成 {call}；如果确实是这个顺序，请改掉表的键名",
)
