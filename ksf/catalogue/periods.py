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

# ---- versions of a card, in the rule text (`effective 2026-07`) -------------------------------
EFFECTIVE_HINT = Say(
    "a version of a card takes effect in a month: `{effective} 2026-07`",
    "计薪卡的版本从某个月起生效：`{effective} 2026-07`")
EFFECTIVE_QUARTER = Say(
    "card `{card}` takes effect in {text}, a quarter; a version takes effect in a month",
    "计薪卡 `{card}` 的生效期间 {text} 是季度；版本应从某个月起生效")
EFFECTIVE_QUARTER_HINT = Say(
    "write `{effective} {month}`, the first month of {text}",
    "写 `{effective} {month}`，即 {text} 的第一个月")
TWO_VERSIONS_SAME_MONTH = Say(
    "card `{card}` has two versions effective {month}",
    "计薪卡 `{card}` 有两个版本都从 {month} 起生效")
TWO_VERSIONS_SAME_MONTH_HINT = Say(
    "the other is on line {line}; a period could not tell which to use: give this one its "
    "own month, or delete one",
    "另一个在第 {line} 行；期间无法判断用哪一个：给这个版本另定一个月份，或删去其中一个")
UNVERSIONED_TWICE = Say(
    "card `{card}` is written twice, and a version without `{effective}` is in force in "
    "every period",
    "计薪卡 `{card}` 写了两次，而没有 `{effective}` 的版本在每个期间都有效")
UNVERSIONED_TWICE_HINT = Say(
    "the other is on line {line}; give each version the month it takes effect in "
    "(`{effective} 2026-07`), or delete one",
    "另一个在第 {line} 行；给每个版本写上生效月份（`{effective} 2026-07`），或删去其中一个")

# ---- versions at evaluation: the period chooses -----------------------------------------------
PERIOD_NEEDED = Say(
    "the rule file has versions of card {cards} (effective {months}), and no period is given "
    "to choose between them: pass the period paid, evaluate(..., period=\"2026-08\") or "
    "--period 2026-08",
    "规则文件中计薪卡 {cards} 有多个版本（生效月份 {months}），但没有给出期间来选择："
    "请传入所计薪的期间，evaluate(..., period=\"2026-08\") 或 --period 2026-08")
CARD_HAS_VERSIONS = Say(
    "card {card} has versions (effective {months}); test, plot or lint the version of one "
    "period: book.at(\"2026-08\"), or --period 2026-08",
    "计薪卡 {card} 有多个版本（生效月份 {months}）；请先选定一个期间的版本再测试、作图或检查："
    "book.at(\"2026-08\")，或 --period 2026-08")
NO_VERSION_IN_FORCE = Say(
    "card {card} has no version in force in {period}: its first version takes effect in {first}",
    "计薪卡 {card} 在 {period} 没有有效的版本：它最早的版本从 {first} 起生效")
