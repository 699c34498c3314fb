"""The ledger (LANGUAGE.md §13) against a real SQLite file and a real PostgreSQL server.

The figures come from one card:
  base 5000; gross_margin balance 25% step 1% reward 200 penalty 100; commission sales rate 0.5%
E1: gross margin 28% is 3 steps above → +600; sales 100,000 × 0.5% = 500; total 6,100.00.
E2: 23% is 2 steps below → −200; 33,333 × 0.5% = 166.665 → 166.67 (half up); total 4,966.67.
"""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest

import ksf
from ksf.ledger import (
    AlreadyPostedError,
    LedgerError,
    NotPostedError,
    PeriodClosedError,
)
from ksf.ledger.record import posting_of
from ksf.ledger.schema import tables

sa = pytest.importorskip("sqlalchemy", reason="the ledger extra (SQLAlchemy) is not installed")

RULES = """card operator {
  base 5000
  gross_margin balance 25% step 1% reward 200 penalty 100
  commission sales rate 0.5%
}
"""
DATA = {
    "employee": ["E1", "E2"],
    "gross_margin": [0.28, 0.23],
    "sales": [100_000.0, 33_333.0],
    "bank_account": ["6222 0001", "6222 0002"],  # read by no card: never stored
}


def payroll(period: str = "2026-07", sales: tuple[float, float] = (100_000.0, 33_333.0)):
    """The two-row payroll of the module docstring, for ``period``."""
    return ksf.compile(RULES, name="pay.ksf").evaluate(
        {**DATA, "sales": list(sales)}, period=period
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request, tmp_path):
    """A new ledger's location: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return tmp_path / "pay.db"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def ledger(where):
    """A new, empty ledger."""
    with ksf.Ledger(where) as opened:
        yield opened


def _count(ledger, table) -> int:
    with ledger.engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(table))


def test_a_posted_period_reads_back_to_the_cent(ledger):
    """Every amount and total reads back exactly; the period is listed."""
    ledger.post(payroll())
    back = ledger.payroll("2026-07")
    assert [str(p) for p in ledger.periods()] == ["2026-07"]
    assert back.lines == ("base", "gross_margin", "commission_sales")
    assert back["gross_margin"].tolist() == [600.0, -200.0]
    assert back["commission_sales"].tolist() == [500.0, 166.67]  # 166.665 half up
    assert back.total.tolist() == [6100.0, 4966.67]
    assert back.ids.tolist() == ["E1", "E2"]
    assert str(back.period) == "2026-07"


def test_amounts_are_stored_as_whole_cents_in_integer_columns(ledger):
    """Money columns are integers (cents here), never floats: 166.67 is stored as 16667."""
    ledger.post(payroll())
    t = tables()
    for column in (t.amounts.c.amount, t.rows.c.total, t.postings.c.total):
        assert isinstance(column.type, sa.BigInteger)
    with ledger.engine.connect() as conn:
        cents = conn.execute(sa.select(t.rows.c.total).order_by(t.rows.c.row)).scalars().all()
        total = conn.scalar(sa.select(t.postings.c.total))
    assert cents == [610_000, 496_667]
    assert all(type(c) is int for c in cents)
    assert total == 610_000 + 496_667


def test_the_values_the_cards_read_are_stored_and_nothing_else(ledger):
    """gross_margin, sales and the id column are stored bit for bit; bank_account is not."""
    ledger.post(payroll())
    stored = ledger.posting("2026-07")
    assert set(stored.numbers) == {"gross_margin", "sales"}
    assert stored.numbers["gross_margin"].tolist() == [0.28, 0.23]  # the same float64 values
    assert stored.numbers["sales"].tolist() == [100_000.0, 33_333.0]
    assert stored.texts["employee"].tolist() == ["E1", "E2"]
    assert "bank_account" not in stored.texts
    assert stored.rule_text == RULES
    assert stored.rule_hash == ksf.compile(RULES).hash


def test_a_missing_value_is_stored_as_missing(ledger):
    """A missing value read under `missing as zero` comes back as NaN, not 0."""
    rules = "card a {\n  missing as zero\n  commission sales rate 1%\n}"
    pay = ksf.compile(rules).evaluate(
        {"employee": ["E1", "E2"], "sales": [1000.0, math.nan]}, period="2026-07"
    )
    ledger.post(pay)
    sales = ledger.posting("2026-07").numbers["sales"]
    assert sales[0] == 1000.0
    assert math.isnan(sales[1])


def test_posting_a_period_twice_is_refused(ledger):
    """A second post of a period says it is already posted, and stores nothing."""
    first = ledger.post(payroll())
    with pytest.raises(AlreadyPostedError, match="period 2026-07 is already posted") as error:
        ledger.post(payroll(sales=(1.0, 1.0)))
    assert f"posting {first}" in str(error.value)
    assert "replace=True" in str(error.value)
    assert "已经过账" in error.value.render("zh")
    assert ledger.payroll("2026-07").total.tolist() == [6100.0, 4966.67]
    assert _count(ledger, tables().postings) == 1


def test_replace_supersedes_and_keeps_the_old_posting(ledger):
    """replace=True makes the new posting current; the old one stays, amounts unchanged."""
    old = ledger.post(payroll())
    new = ledger.post(payroll(sales=(200_000.0, 0.0)), replace=True)
    # E1: 600 + 200,000 × 0.5% = 1,000 → 6,600; E2: −200 + 0 → 4,800
    assert ledger.payroll("2026-07").total.tolist() == [6600.0, 4800.0]
    info = ledger.postings()[0]
    assert info.posting == new
    assert [(posting, total) for posting, _, total in info.superseded] == [(old, 11066.67)]
    t = tables()
    with ledger.engine.connect() as conn:
        kept = conn.execute(
            sa.select(t.rows.c.total).where(t.rows.c.posting_id == old).order_by(t.rows.c.row)
        ).scalars()
        assert list(kept) == [610_000, 496_667]
        assert (
            conn.scalar(sa.select(t.postings.c.superseded_by).where(t.postings.c.id == old)) == new
        )


def test_a_closed_period_is_final(ledger):
    """After close, replace is refused; closing again changes nothing."""
    ledger.post(payroll())
    assert ledger.close("2026-07") is True
    assert ledger.close("2026-07") is False
    with pytest.raises(PeriodClosedError, match="period 2026-07 is closed"):
        ledger.post(payroll(sales=(1.0, 1.0)), replace=True)
    assert ledger.payroll("2026-07").total.tolist() == [6100.0, 4966.67]
    assert ledger.postings()[0].closed_at is not None


def test_nothing_posted_is_a_clear_error(ledger):
    """Reading or closing a period never posted names it and lists what is posted."""
    ledger.post(payroll("2026-06"))
    with pytest.raises(NotPostedError, match=r"2026-08 is not posted .*posted: 2026-06"):
        ledger.payroll("2026-08")
    with pytest.raises(NotPostedError):
        ledger.close("2026-08")


def test_a_failure_mid_post_leaves_nothing(ledger):
    """A post that breaks a constraint after its rows are written rolls every table back."""
    good = posting_of(payroll())
    # `sales` among the text values too: the second `sales` in ksf_columns breaks the
    # unique (posting, name) key after the posting, its claim, rows and amounts are written.
    bad = attrs.evolve(good, texts={**good.texts, "sales": np.array(["x", "y"])})
    with pytest.raises(sa.exc.IntegrityError):
        ledger.post_posting(bad)
    assert ledger.periods() == []
    for table in tables().data_tables():
        assert _count(ledger, table) == 0, table.name
    ledger.post_posting(good)  # the period was never claimed
    assert ledger.payroll("2026-07").total.tolist() == [6100.0, 4966.67]


def test_a_payroll_without_a_period_or_ids_is_refused(ledger):
    """No period, or no employee ids: a LedgerError that says what to do."""
    book = ksf.compile(RULES)
    with pytest.raises(LedgerError, match="no period"):
        ledger.post(book.evaluate(DATA))
    no_ids = {k: v for k, v in DATA.items() if k != "employee"}
    with pytest.raises(LedgerError, match="no employee ids"):
        ledger.post(book.evaluate(no_ids, period="2026-07"))


def test_rerun_gives_the_posted_amounts(ledger):
    """A period computed again from what was stored matches the posting to the cent."""
    ledger.post(payroll())
    again = ledger.rerun("2026-07")
    assert again.same
    assert again.differences == ()


def test_rerun_reports_an_amount_that_differs_to_the_cent(ledger):
    """An amount changed behind the ledger's back (one cent) is reported, row and line."""
    ledger.post(payroll())
    t = tables()
    with ledger.engine.begin() as conn:
        conn.execute(
            t.amounts.update()
            .where(t.amounts.c.row == 1, t.amounts.c.position == 2)
            .values(amount=t.amounts.c.amount + 1)
        )
    again = ledger.rerun("2026-07")
    assert [(d.employee, d.line, d.posted, d.now) for d in again.differences] == [
        ("E2", "commission_sales", 166.68, 166.67)
    ]


def test_history_is_one_array_per_value(ledger):
    """Periods × employees arrays: lines, totals and values read; NaN where nothing is posted."""
    ledger.post(payroll("2026-06", sales=(10_000.0, 20_000.0)))
    ledger.post(payroll("2026-07"))
    ledger.post(payroll("2026-08", sales=(0.0, 40_000.0)))
    found = ledger.history(["E2", "E9", "E1"], "2026-06", "2026-09",
                           ["sales", "commission_sales", "total"])  # fmt: skip
    assert [str(p) for p in found.periods] == ["2026-06", "2026-07", "2026-08", "2026-09"]
    assert found.posted.tolist() == [True, True, True, False]
    nan = math.nan
    np.testing.assert_array_equal(
        found.values["sales"],
        [[20_000, nan, 10_000], [33_333, nan, 100_000], [40_000, nan, 0], [nan, nan, nan]],
    )
    # E2: 0.5% of 20,000 = 100, of 33,333 = 166.67, of 40,000 = 200
    np.testing.assert_array_equal(found.values["commission_sales"][:3, 0], [100, 166.67, 200])
    # E1: 5000 + 600 + 0.5% of 10,000 / 100,000 / 0 = 5,650, 6,100, 5,600
    np.testing.assert_array_equal(found.values["total"][:3, 2], [5650, 6100, 5600])


def test_history_refuses_a_name_never_posted(ledger):
    """A name that is neither a line nor a value read is an error, not a column of NaN."""
    ledger.post(payroll())
    with pytest.raises(LedgerError, match="'salse' is neither a line nor a value"):
        ledger.history(["E1"], "2026-07", "2026-07", ["salse"])


def test_employee_numbers_are_matched_as_they_were_posted(ledger):
    """Numeric ids post as text ("1001") and history finds them from 1001 or 1001.0."""
    book = ksf.compile("card a { base 3000; commission sales rate 1% }")
    pay = book.evaluate({"employee": [1001, 1002], "sales": [10_000, 0]}, period="2026-07")
    ledger.post(pay)
    assert ledger.payroll("2026-07").ids.tolist() == ["1001", "1002"]
    found = ledger.history(np.array([1002.0, 1001.0]), "2026-07", "2026-07", ["total"])
    # 1001: 3,000 + 1% of 10,000 = 3,100; 1002: 3,000
    assert found.values["total"].tolist() == [[3000.0, 3100.0]]


def test_params_and_text_columns_read_are_stored_and_rerun(ledger):
    """A param and a `base by` text column are stored, so the period recomputes as posted."""
    book = ksf.compile(
        "card a {\n  base by grade { A: 9000, B: 7000 }\n  bonus 1% of last_year_profit\n}"
    )
    data = {"employee": ["E1", "E2"], "grade": ["A", "B"], "unread": ["x", "y"]}
    pay = book.evaluate(data, params={"last_year_profit": 250_000}, period="2026-07")
    ledger.post(pay)
    stored = ledger.posting("2026-07")
    assert stored.params == {"last_year_profit": 250_000.0}
    assert stored.texts["grade"].tolist() == ["A", "B"]
    assert "unread" not in stored.texts
    # A: 9,000 + 1% of 250,000 = 11,500; B: 7,000 + 2,500 = 9,500
    assert ledger.payroll("2026-07").total.tolist() == [11_500.0, 9_500.0]
    assert ledger.rerun("2026-07").same


def test_a_payroll_read_back_keeps_the_rule_files_language(ledger):
    """A `language zh` rule file's posted payroll explains itself in Chinese, recomputed."""
    book = ksf.compile("language zh\ncard a { base 3000 }")
    ledger.post(book.evaluate({"employee": ["E1"]}, period="2026-07"))
    back = ledger.payroll("2026-07")
    assert back.language == "zh"
    assert "合计" in back.explain(0)  # written in Chinese, by computing the period again


def test_each_rows_card_version_is_posted_and_read_back(ledger):
    """The version in force is stored per row, read back, and used again by rerun."""
    book = ksf.compile(
        "card op effective 2026-01 { base 5000; commission sales rate 1% }\n"
        "card op effective 2026-07 { base 5000; commission sales rate 2% }\n"
    )
    data = {"employee": ["E1"], "sales": [10_000]}
    ledger.post(book.evaluate(data, period="2026-03"))
    ledger.post(book.evaluate(data, period="2026-08"))
    # March: the 2026-01 version, 5,000 + 1% of 10,000 = 5,100; August: 2% → 5,200
    for period, version, total in [("2026-03", "2026-01", 5100.0), ("2026-08", "2026-07", 5200.0)]:
        assert ledger.posting(period).versions.tolist() == [version]
        back = ledger.payroll(period)
        assert back.versions.tolist() == [version]
        assert back.total.tolist() == [total]
        assert ledger.rerun(period).same
