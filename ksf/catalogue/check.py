"""Messages of rule text that parses but means nothing valid, and the warnings about legal rules."""

from __future__ import annotations

from ksf.message import Say

# fmt: off

# A name read from the data, spelt almost as a line above it (LANGUAGE.md §9)
NEAR_A_LINE = Say(
    "`{name}` is not a line of card {card}: it will be read from the data",
    "`{name}` 不是计薪卡 {card} 中的项目：将从数据中读取",
)
