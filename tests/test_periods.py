"""`ksf.periods.Period`: months and quarters (LANGUAGE.md §13), read, ordered and stepped."""

from __future__ import annotations

import pickle

import pytest

import ksf
from ksf.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("text", "kind", "year", "number"),
    [("2026-08", "month", 2026, 8), ("2026Q3", "quarter", 2026, 3), ("1999-12", "month", 1999, 12)],
    ids=["month", "quarter", "december"],
)
def test_parse_reads_a_month_or_a_quarter(text, kind, year, number):
    """A month ``YYYY-MM`` and a quarter ``YYYYQn`` read as themselves and print back the same."""
    period = Period.parse(text)
    assert (period.kind, period.year, period.number) == (kind, year, number)
    assert str(period) == text
    assert Period.parse(period) is period


@pytest.mark.parametrize(
    ("text", "fragment", "zh"),
    [
        ("2026-13", "there is no month 13 (months are 01 to 12)", "没有第 13 月"),
        ("2026-00", "there is no month 00", "没有第 00 月"),
        ("2026Q5", "there is no quarter 5 (quarters are Q1 to Q4)", "没有第 5 季度"),
        ("2026Q0", "there is no quarter 0", "没有第 0 季度"),
        ("26-08", "write the year in four digits (2026-08)", "年份要写四位数字（2026-08）"),
        ("26Q3", "write the year in four digits (2026Q3)", "年份要写四位数字（2026Q3）"),
        ("2026-8", "write the month in two digits (2026-08)", "月份要写两位数字（2026-08）"),
        ("2026q3", "write the quarter with a capital Q (2026Q3)", "大写字母 Q"),
        ("August", "August is not a period: write a month as 2026-08", "月份写作 2026-08"),
        ("", "'' is not a period", "'' 不是有效的期间"),
    ],
    ids=[
        "month-13",
        "month-0",
        "quarter-5",
        "quarter-0",
        "short-year",
        "short-year-q",
        "one-digit-month",
        "small-q",
        "word",
        "empty",
    ],
)
def test_parse_refuses_what_is_no_period(text, fragment, zh):
    """Each malformed period is a PeriodError (a KsfError and a ValueError) in both languages."""
    with pytest.raises(PeriodError) as caught:
        Period.parse(text)
    assert fragment in str(caught.value)
    assert zh in caught.value.render("zh")
    assert isinstance(caught.value, ksf.KsfError)
    assert isinstance(caught.value, ValueError)
    assert caught.value.text == text


def test_parse_refuses_a_number():
    """A period passed as a number (202608) is refused, not guessed."""
    with pytest.raises(PeriodError, match="got int"):
        Period.parse(202608)  # type: ignore[arg-type]


def test_periods_order_by_their_first_month():
    """Months order by date; a quarter sorts after the month it starts with, before the next."""
    written = ["2026Q3", "2026-08", "2025-12", "2026-07", "2026Q2", "2026-10"]
    ordered = sorted(Period.parse(t) for t in written)
    # Q2 starts in April; July before Q3 (which starts in July); Q3 before August
    assert [str(p) for p in ordered] == ["2025-12", "2026Q2", "2026-07", "2026Q3", "2026-08",
                                         "2026-10"]  # fmt: skip
    assert Period.parse("2026-07") == Period.month(2026, 7)
    assert Period.parse("2026Q3") == Period.quarter(2026, 3)
    assert Period.parse("2026Q3") != Period.parse("2026-07")


def test_first_and_last_months_of_a_quarter():
    """2026Q3 spans July, August and September; a month spans itself."""
    quarter = Period.parse("2026Q3")
    assert str(quarter.first_month) == "2026-07"
    assert str(quarter.last_month) == "2026-09"
    assert [str(m) for m in quarter.month_list()] == ["2026-07", "2026-08", "2026-09"]
    assert quarter.months == 3
    assert Period.parse("2026-08").first_month == Period.parse("2026-08")
    assert quarter.contains(Period.parse("2026-08"))
    assert not quarter.contains(Period.parse("2026-10"))


def test_shift_and_previous_cross_years():
    """Stepping back from January reaches December; quarters step by quarters."""
    assert str(Period.parse("2026-01").previous()) == "2025-12"
    assert str(Period.parse("2026-11").shift(3)) == "2027-02"
    assert str(Period.parse("2026Q1").previous(2)) == "2025Q3"
    assert str(Period.parse("2026Q4").shift(1)) == "2027Q1"
    # index counts months: 2026-08 is 2026 × 12 + 7
    assert Period.parse("2026-08").index == 2026 * 12 + 7
    assert Period.parse("2026-08").index - Period.parse("2025-08").index == 12


def test_period_error_pickles_whole():
    """A PeriodError crosses a process boundary with its message and text."""
    with pytest.raises(PeriodError) as caught:
        Period.parse("2026-13")
    again = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own object
    assert str(again) == str(caught.value)
    assert again.text == "2026-13"


def test_evaluate_keeps_the_period():
    """``evaluate(period=)`` is kept on the payroll as a Period; None when not given."""
    book = ksf.compile("card a { base 5000 }")
    assert book.evaluate({"x": [1]}, period="2026-08").period == Period.parse("2026-08")
    assert book.evaluate({"x": [1]}, period=Period.parse("2026Q3")).period == Period.quarter(
        2026, 3
    )
    assert book.evaluate({"x": [1]}).period is None


def test_evaluate_refuses_a_malformed_period():
    """A period that is no month or quarter stops the evaluation before any row is paid."""
    book = ksf.compile("card a { base 5000 }")
    with pytest.raises(PeriodError, match="there is no month 13"):
        book.evaluate({"x": [1]}, period="2026-13")


def test_a_period_is_a_value():
    """Periods hash and pickle as values (a dict key, a ledger's), and refuse to order text."""
    august = Period.parse("2026-08")
    assert {august: 1}[Period.month(2026, 8)] == 1
    assert pickle.loads(pickle.dumps(august)) == august  # noqa: S301 - our own object
    with pytest.raises(TypeError):
        assert august < "2026-09"  # type: ignore[operator]
