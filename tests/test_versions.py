"""Card versions and periods (LANGUAGE.md §13): ``effective`` months, chosen by ``period=``."""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ksf
import ksf.bound
import ksf.testing
from ksf.periods import Period

GOLDEN = Path(__file__).parent / "golden" / "periods"

# The §13 example's header, with a body: a card of one version, from July.
SECTION_13 = """\
card operator "运营" effective 2026-07 {
  base 5000
  gross_margin balance 25% step 1% reward 200
}
"""

TWO_VERSIONS = """\
card operator "运营" effective 2026-01 {
  base 5000
  gross_margin balance 30% step 1% reward 200 penalty 100
}
card operator "运营" effective 2026-07 {
  base 5000
  gross_margin balance 25% step 1% reward 200 penalty 100
}
card developer { base 6000 }
"""


def test_section_13_example_as_written():
    """`card operator "运营" effective 2026-07 { … }` evaluated with period="2026-08"."""
    book = ksf.compile(SECTION_13)
    data = {"employee": ["E1"], "gross_margin": [0.27]}
    pay = book.evaluate(data, period="2026-08")
    # August is on or after July: the July version; (27% − 25%) / 1% = 2 steps × 200 = 400
    assert pay.total.tolist() == [5400.0]
    assert pay.period == Period.parse("2026-08")
    assert pay.versions.tolist() == ["2026-07"]
    # a quarter is a period too: 2026Q3 starts in July
    assert book.evaluate(data, period="2026Q3").total.tolist() == [5400.0]


@pytest.mark.parametrize(
    ("period", "version", "total"),
    [
        # January version, balance 30%: (28% − 30%) / 1% = −2 steps × 100 = −200
        ("2026-01", "2026-01", 4800.0),
        ("2026-06", "2026-01", 4800.0),
        ("2026Q2", "2026-01", 4800.0),
        # July version, balance 25%: (28% − 25%) / 1% = 3 steps × 200 = 600
        ("2026-07", "2026-07", 5600.0),
        ("2026-12", "2026-07", 5600.0),
        ("2026Q3", "2026-07", 5600.0),
        ("2027Q1", "2026-07", 5600.0),
    ],
)
def test_a_period_uses_the_latest_version_on_or_before_its_first_month(period, version, total):
    """Each period runs the version effective most recently by its first month."""
    book = ksf.compile(TWO_VERSIONS)
    pay = book.evaluate({"gross_margin": [0.28]}, card="operator", period=period)
    assert pay.total.tolist() == [total]
    assert pay.versions.tolist() == [version]
    assert str(pay.version_of(0)) == version


def test_versions_written_out_of_order_are_chosen_by_month():
    """The file order of versions does not matter: the month does."""
    book = ksf.compile(
        "card a effective 2026-07 { base 2 }\ncard a effective 2026-01 { base 1 }\n"
        "card a effective 2026-04 { base 3 }"
    )
    totals = [
        book.evaluate({"x": [0]}, period=p).total[0] for p in ("2026-02", "2026-05", "2026-09")
    ]
    assert totals == [1.0, 3.0, 2.0]


def test_a_card_without_effective_is_in_force_in_every_period():
    """An unversioned card pays the same with any period, or none when the file has no versions."""
    book = ksf.compile("card developer { base 6000 }")
    for period in ("1999-01", "2026-08", "2026Q3", None):
        pay = book.evaluate({"x": [0]}, period=period)
        assert pay.total.tolist() == [6000.0]
        assert pay.versions.tolist() == [""]
        assert pay.version_of(0) is None
        assert not pay.versioned


def test_rows_pick_the_card_then_the_period_picks_its_version():
    """The card column chooses each row's card; the period chooses the operator's version."""
    book = ksf.compile(TWO_VERSIONS)
    data = {"card": ["operator", "developer", "operator"], "gross_margin": [0.28, np.nan, 0.31]}
    pay = book.evaluate(data, period="2026-08")
    # July version: 3 steps × 200 = 600; 6 steps × 200 = 1200; the developer's 6000 as always
    assert pay.total.tolist() == [5600.0, 6000.0, 6200.0]
    assert pay.versions.tolist() == ["2026-07", "", "2026-07"]
    assert pay.cards.tolist() == ["operator", "developer", "operator"]
    assert pay.to_records()[1] == {"card": "developer", "version": "", "base": 6000.0,
                                   "gross_margin": 0.0, "total": 6000.0}  # fmt: skip


def test_cards_are_named_once():
    """Rulebook.cards lists a card with two versions once, in file order."""
    book = ksf.compile(TWO_VERSIONS)
    assert book.cards == ("operator", "developer")
    assert len(book.program.cards) == 3


def test_names_count_every_version():
    """Rulebook.names(card) lists what any version of the card reads."""
    book = ksf.compile(
        "card a effective 2026-01 { x balance 1 step 1 reward 1 }\n"
        "card a effective 2026-07 { y balance 1 step 1 reward 1 }"
    )
    assert book.names("a") == ("x", "y")


def test_a_file_with_versions_needs_a_period():
    """No period: a DataError naming the cards with versions, never a guess at the latest."""
    book = ksf.compile(TWO_VERSIONS)
    with pytest.raises(ksf.DataError) as caught:
        book.evaluate({"card": ["developer"]})
    assert "versions of card operator (effective 2026-01, 2026-07)" in str(caught.value)
    assert 'period="2026-08"' in str(caught.value)
    assert "没有给出期间" in caught.value.render("zh")


def test_no_version_in_force_names_the_card_the_period_and_the_employees():
    """A row whose card has no version in force yet is a DataError with its employee."""
    book = ksf.compile(TWO_VERSIONS)
    data = {"employee": ["E1", "E2", "E3"], "card": ["developer", "operator", "operator"],
            "gross_margin": [np.nan, 0.3, 0.3]}  # fmt: skip
    with pytest.raises(ksf.DataError) as caught:
        book.evaluate(data, period="2025-12")
    error = caught.value
    assert error.message == (
        "card 'operator' has no version in force in 2025-12: its first version takes effect "
        "in 2026-01"
    )
    assert (error.column, error.rows, error.labels) == ("card", (1, 2), ("E2", "E3"))
    assert "计薪卡 'operator' 在 2025-12 没有有效的版本" in error.render("zh")


def test_no_version_in_force_with_card_given_names_every_row():
    """``card=`` runs every row on one card: every row is named."""
    book = ksf.compile(SECTION_13)
    with pytest.raises(ksf.DataError) as caught:
        book.evaluate({"gross_margin": [0.3, 0.3]}, card="operator", period="2026Q2")
    assert caught.value.rows == (0, 1)
    assert "in force in 2026Q2" in caught.value.message


def test_cards_out_of_force_but_unused_are_no_error():
    """A card no row uses may have no version in force: nothing is paid by it."""
    book = ksf.compile(TWO_VERSIONS)
    pay = book.evaluate({"card": ["developer"]}, period="2025-12")
    assert pay.total.tolist() == [6000.0]


def test_periods_do_not_share_compiled_code():
    """Evaluating June, then August, then June again pays each by its own version."""
    book = ksf.compile(TWO_VERSIONS)
    data = {"gross_margin": [0.28]}
    totals = [book.evaluate(data, card="operator", period=p).total[0]
              for p in ("2026-06", "2026-08", "2026-06")]  # fmt: skip
    assert totals == [4800.0, 5600.0, 4800.0]


def test_a_rulebook_with_versions_pickles():
    """The checked program with its versions crosses a process boundary and pays the same."""
    book = pickle.loads(pickle.dumps(ksf.compile(TWO_VERSIONS)))  # noqa: S301 - our own object
    pay = book.evaluate({"gross_margin": [0.28]}, card="operator", period="2026-08")
    assert pay.total.tolist() == [5600.0]


def test_versions_keep_the_rulebook_hash():
    """The payroll of any period carries the hash of the whole rule text."""
    book = ksf.compile(TWO_VERSIONS)
    pay = book.evaluate({"gross_margin": [0.28]}, card="operator", period="2026-08")
    assert pay.rulebook_hash == book.hash


def test_explain_names_the_version_and_the_period():
    """The first line of explain says which version ran and for which period, in en and zh."""
    book = ksf.compile(TWO_VERSIONS)
    pay = book.evaluate({"employee": ["E1"], "gross_margin": [0.28]}, card="operator",
                        period="2026-08")  # fmt: skip
    assert pay.explain(0).splitlines()[0] == (
        'E1 (row 0), card operator "运营" (version effective 2026-07), period 2026-08'
    )
    assert pay.explain(0, lang="zh").splitlines()[0] == (
        '员工 E1（第 1 行），计薪卡 operator "运营"（2026-07 起生效的版本），期间 2026-08'
    )


def test_explain_of_an_unversioned_card_names_the_period_only():
    """Without versions explain's heading is as before, and adds the period when given one."""
    book = ksf.compile("card a { base 1 }")
    assert book.evaluate({"x": [0]}).explain(0).splitlines()[0] == "row 0, card a"
    pay = book.evaluate({"x": [0]}, period="2026Q3")
    assert pay.explain(0).splitlines()[0] == "row 0, card a, period 2026Q3"


# ---- the golden payroll ------------------------------------------------------------------


def _golden_rows(name: str) -> list[dict[str, str]]:
    with (GOLDEN / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_golden_payroll_with_two_versions_of_one_card():
    """June pays by the January version, August and 2026Q3 by July's: every amount to the cent."""
    book = ksf.load(GOLDEN / "operator_versions.ksf")
    rows = _golden_rows("operator_versions.csv")
    expected = _golden_rows("operator_versions.expected.csv")
    assert [r["employee"] for r in rows] == [r["employee"] for r in expected]
    for period in dict.fromkeys(r["period"] for r in rows):
        chosen = [k for k, r in enumerate(rows) if r["period"] == period]
        data = {
            "employee": [rows[k]["employee"] for k in chosen],
            "card": [rows[k]["card"] for k in chosen],
            **{c: [float(rows[k][c] or "nan") for k in chosen]
               for c in ("gross_margin", "sales", "lifecycle_sales")},
        }  # fmt: skip
        pay = book.evaluate(data, period=period)
        assert str(pay.period) == period
        for at, k in enumerate(chosen):
            want = expected[k]
            assert pay.versions[at] == want["version"], (period, want["employee"])
            for line in ("base", "gross_margin", "commission_sales", "lifecycle_sales"):
                got = pay[line][at] if line in pay.lines else 0.0
                assert got == pytest.approx(float(want[line]), abs=1e-9), (period, k, line)
            assert pay.total[at] == pytest.approx(float(want["total"]), abs=1e-9)


# ---- one period's rulebook: Rulebook.at ----------------------------------------------------


def test_at_is_the_rulebook_of_one_period():
    """book.at("2026-08") holds July's version and evaluates August when given no period."""
    august = ksf.compile(TWO_VERSIONS).at("2026-08")
    assert [(c.name, str(c.effective)) for c in august.program.cards] == [
        ("operator", "2026-07"),
        ("developer", "None"),
    ]
    pay = august.evaluate({"gross_margin": [0.28]}, card="operator")
    # (28% − 25%) / 1% = 3 steps × 200 = 600
    assert (pay.total.tolist(), str(pay.period)) == ([5600.0], "2026-08")
    # another period is chosen from the whole file, not from August's versions alone
    june = august.evaluate({"gross_margin": [0.28]}, card="operator", period="2026-06")
    assert june.total.tolist() == [4800.0]  # −2 steps × 100
    assert august.hash == ksf.compile(TWO_VERSIONS).hash


def test_at_leaves_out_a_card_with_no_version_in_force():
    """Before January the operator card has no version: the period's rulebook lacks it."""
    assert ksf.compile(TWO_VERSIONS).at("2025-12").cards == ("developer",)


def test_at_pickles_with_its_period():
    """A period's rulebook crosses a process boundary as that period's."""
    august = pickle.loads(pickle.dumps(ksf.compile(TWO_VERSIONS).at("2026-08")))  # noqa: S301
    pay = august.evaluate({"gross_margin": [0.28]}, card="operator")
    assert (pay.total.tolist(), str(pay.period)) == ([5600.0], "2026-08")


def test_testing_refuses_a_card_with_versions_and_takes_one_period():
    """ksf.testing does not guess a version: it says to pick a period, then tests that one."""
    book = ksf.compile(TWO_VERSIONS)
    with pytest.raises(ksf.DataError, match=r"has versions \(effective 2026-01, 2026-07\)"):
        ksf.testing.assert_monotone(book, "operator", "gross_margin", samples=10)
    ksf.testing.assert_monotone(book.at("2026-08"), "operator", "gross_margin", samples=10)


def test_at_refuses_a_malformed_period():
    """at() reads its period as evaluate does."""
    with pytest.raises(ksf.PeriodError, match="there is no quarter 5"):
        ksf.compile(TWO_VERSIONS).at("2026Q5")


def test_check_columns_checks_every_version():
    """A name only the July version reads is unknown to data without it; a period narrows."""
    book = ksf.compile(
        "card a effective 2026-01 { x balance 1 step 1 reward 1 }\n"
        "card a effective 2026-07 { y balance 1 step 1 reward 1 }",
        name="v.ksf",
    )
    assert book.check_columns(["x", "y"]) == ()
    with pytest.raises(ksf.KsfCompileError) as caught:
        book.check_columns(["x"])
    assert (caught.value.line, caught.value.message) == (2, "unknown name `y`")
    assert book.at("2026-03").check_columns(["x"]) == ()


def test_months_with_the_same_versions_share_compiled_code(monkeypatch):
    """July to December run one version: its card is compiled once; June's once more."""
    compiled: list[str] = []
    original = ksf.bound.compile_card

    def counting(card, *args, **kwargs):
        compiled.append(str(card.effective))
        return original(card, *args, **kwargs)

    monkeypatch.setattr(ksf.bound, "compile_card", counting)
    book = ksf.compile(TWO_VERSIONS)
    for month in ("2026-07", "2026-08", "2026-09", "2026-12", "2026Q4", "2026-06"):
        book.evaluate({"gross_margin": [0.28]}, card="operator", period=month)
    assert compiled == ["2026-07", "2026-01"]


@settings(max_examples=60, deadline=None)
@given(
    months=st.lists(st.integers(0, 47), min_size=1, max_size=5, unique=True),
    paid=st.integers(0, 59),
    quarter=st.booleans(),
)
def test_the_version_paid_is_the_latest_effective_by_the_first_month(months, paid, quarter):
    """Any versions, any period: the latest version by the period's first month pays, or none."""
    effective = [Period.month(2024 + m // 12, m % 12 + 1) for m in months]
    cards = zip(effective, months, strict=True)
    text = "\n".join(f"card a effective {e} {{ base {m + 1} }}" for e, m in cards)
    period = Period.month(2024 + paid // 12, paid % 12 + 1)
    if quarter:
        period = Period.quarter(period.year, (period.number - 1) // 3 + 1)
    due = [m for m in months if m <= period.first_month.index - 2024 * 12]
    book = ksf.compile(text)
    if not due:
        with pytest.raises(ksf.DataError, match="no version in force"):
            book.evaluate({"x": [0]}, period=period)
        return
    pay = book.evaluate({"x": [0]}, period=period)
    assert pay.total.tolist() == [max(due) + 1.0]
    assert pay.versions.tolist() == [str(effective[months.index(max(due))])]
