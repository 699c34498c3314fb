"""Messages of periods (LANGUAGE.md §13).

A month or a quarter that does not read as one, and the card versions a period chooses.
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# ---- a period written wrong -------------------------------------------------------------------
NOT_A_PERIOD = Say(
    "{text} is not a period: write a month as 2026-08 or a quarter as 2026Q3",
    "{text} 不是有效的期间：月份写作 2026-08，季度写作 2026Q3")
NOT_A_MONTH = Say(
    "{text} is not a period: there is no month {month} (months are 01 to 12)",
    "{text} 不是有效的期间：没有第 {month} 月（月份为 01 至 12）")
NOT_A_QUARTER = Say(
    "{text} is not a period: there is no quarter {quarter} (quarters are Q1 to Q4)",
    "{text} 不是有效的期间：没有第 {quarter} 季度（季度为 Q1 至 Q4）")
TWO_DIGIT_YEAR = Say(
    "{text} is not a period: write the year in four digits ({example})",
    "{text} 不是有效的期间：年份要写四位数字（{example}）")
MONTH_DIGITS = Say(
    "{text} is not a period: write the month in two digits ({example})",
    "{text} 不是有效的期间：月份要写两位数字（{example}）")
QUARTER_LETTER = Say(
    "{text} is not a period: write the quarter with a capital Q ({example})",
    "{text} 不是有效的期间：季度用大写字母 Q 书写（{example}）")
PERIOD_TYPE = Say(
    "a period is a text such as 2026-08 or 2026Q3 (or a ksf.periods.Period), got {kind}",
    "期间应是 2026-08 或 2026Q3 这样的文本（或 ksf.periods.Period），实际为 {kind}")
