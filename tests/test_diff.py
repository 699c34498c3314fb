"""`ksf.diff`: a plan's new version against the old, on the same data, to the cent (§14).

The golden pair below is worked out by hand; the properties hold on any data; every
mismatch of two rulebooks is either a change shown or an error that names the rulebook.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ksf
from ksf.design.diff import PlanMismatchError, common_unit

OLD = """\
card seller "销售" {
  base 5000
  commission sales rate 1%
  gross_margin balance 30% step 1% reward 200 penalty 100
}
card buyer "采购" {
  base 4000
  on_time_rate balance 95% step 1% reward 100
  min_pay 3800
}
"""
NEW = """\
card seller "销售" {
  base 5000
  commission sales rate 1% beyond 200000 rate 1.5%
  gross_margin balance 32% step 1% reward 200 penalty 100 cap 600
}
card buyer "采购" {
  base 4200
  on_time_rate balance 95% step 1% reward 100
  bonus 300 when on_time_rate >= 98% as punctual
  min_pay 3800
}
"""
DATA = {
    "employee": ["S1", "S2", "S3", "B1", "B2"],
    "card": ["seller", "seller", "seller", "buyer", "buyer"],
    "sales": [250_000, 100_000, 150_000, np.nan, np.nan],
    "gross_margin": [0.365, 0.31, 0.30, np.nan, np.nan],
    "on_time_rate": [np.nan, np.nan, np.nan, 0.99, 0.90],
}
# OLD                                            NEW
# S1 5000 + 2500 + 6 steps × 200 = 8700           5000 + (2000 + 50,000 × 1.5% = 750) + 4 steps
#                                                 × 200 = 800, capped at 600 → 8350: −350
# S2 5000 + 1000 + 1 step × 200 = 6200            5000 + 1000 − 1 step × 100 = 5900: −300
# S3 5000 + 1500 + 0 = 6500                       5000 + 1500 − 2 steps × 100 = 6300: −200
# B1 4000 + 4 steps × 100 = 4400                  4200 + 400 + 300 (99% ≥ 98%) = 4900: +500
# B2 4000 − 5 × 100 = 3500, topped up 300 → 3800  4200 − 500 = 3700, topped up 100 → 3800: 0
# sellers 21,400 → 20,550 (−850); buyers 8200 → 8700 (+500); plan 29,600 → 29,250 (−350)


@pytest.fixture(scope="module")
def plan() -> ksf.PlanDiff:
    old = ksf.compile(OLD, name="old.ksf")
    new = ksf.compile(NEW, name="new.ksf")
    return ksf.diff(old, new, DATA)


def test_golden_totals_per_employee(plan: ksf.PlanDiff) -> None:
    """Each employee's old and new totals and the change are the hand-worked figures."""
    got = [(e.id, e.old_total, e.new_total, e.change) for e in plan.employees]
    assert got == [
        ("S1", 8700.0, 8350.0, -350.0),
        ("S2", 6200.0, 5900.0, -300.0),
        ("S3", 6500.0, 6300.0, -200.0),
        ("B1", 4400.0, 4900.0, 500.0),
        ("B2", 3800.0, 3800.0, 0.0),
    ]


def test_golden_lines_that_changed(plan: ksf.PlanDiff) -> None:
    """Only the lines that moved are listed, a line new in NEW with 0 on the old side."""
    lines = {e.id: [(x.line, x.old, x.new, x.change) for x in e.lines] for e in plan.employees}
    assert lines["S1"] == [
        ("commission_sales", 2500.0, 2750.0, 250.0),  # the new tier: 50,000 × 0.5% more
        ("gross_margin", 1200.0, 600.0, -600.0),
    ]
    assert lines["S3"] == [("gross_margin", 0.0, -200.0, -200.0)]
    assert lines["B1"] == [("base", 4000.0, 4200.0, 200.0), ("punctual", 0.0, 300.0, 300.0)]
    # B2's total does not move, but two of its lines do: the raise is eaten by the top-up.
    assert lines["B2"] == [("base", 4000.0, 4200.0, 200.0), ("min_pay_topup", 300.0, 100.0, -200.0)]


def test_golden_explanations_are_each_lines_block(plan: ksf.PlanDiff) -> None:
    """Each changed line carries its own block of both explanations; "" where it is absent."""
    b1 = plan.employees[3]
    punctual = b1.lines[1]
    assert punctual.old_explanation == ""  # the old card has no such line
    assert punctual.new_explanation.startswith("punctual: 300.00\n")
    topup = plan.employees[4].lines[1]
    assert topup.old_explanation.startswith("min_pay_topup: 300.00\n")
    assert "3,500.00" in topup.old_explanation  # the lines add up to 3500: topped up by 300
    assert topup.new_explanation.startswith("min_pay_topup: 100.00\n")


def test_golden_cards(plan: ksf.PlanDiff) -> None:
    """Per card: winners, losers, median, extremes with who, costs, lines added."""
    seller, buyer = plan.cards
    assert (seller.card, seller.label, seller.rows) == ("seller", "销售", 3)
    assert (seller.winners, seller.losers, seller.unchanged) == (0, 3, 0)
    assert seller.median_change == -300.0  # of −350, −300, −200
    assert (seller.median_gain, seller.median_loss) == (0.0, -300.0)  # no winners
    assert (seller.largest_gain, seller.largest_gain_by) == (0.0, None)
    assert seller.largest_loss == -350.0
    assert seller.largest_loss_by is plan.employees[0]
    assert (seller.old_cost, seller.new_cost, seller.cost_change) == (21400.0, 20550.0, -850.0)
    assert (buyer.winners, buyer.losers, buyer.unchanged) == (1, 0, 1)
    assert buyer.median_change == 250.0  # of +500 and 0
    assert (buyer.median_gain, buyer.median_loss) == (500.0, 0.0)  # B1 alone gains
    assert buyer.largest_gain_by is not None
    assert buyer.largest_gain_by.id == "B1"
    assert (buyer.old_cost, buyer.new_cost, buyer.cost_change) == (8200.0, 8700.0, 500.0)
    assert (buyer.lines_added, buyer.lines_removed) == (("punctual",), ())
    assert (plan.old_cost, plan.new_cost, plan.cost_change) == (29600.0, 29250.0, -350.0)


def test_a_line_removed_is_shown_with_0_on_the_new_side() -> None:
    """Deleting a line in NEW is a plan change: each row that had it shows it going to 0."""
    old = ksf.compile("card a { base 3000; allowance 200 as meals }", name="old.ksf")
    new = ksf.compile("card a { base 3000 }", name="new.ksf")
    found = ksf.diff(old, new, {"employee": ["E1"]})
    # 3200 → 3000: the meals line 200 → 0
    assert [(x.line, x.old, x.new) for x in found.employees[0].lines] == [("meals", 200.0, 0.0)]
    assert found.cards[0].lines_removed == ("meals",)
    assert found.cost_change == -200.0


def test_one_card_renamed_in_a_file_of_one_card() -> None:
    """Without a card column each file pays every row by its only card, whatever its name."""
    old = ksf.compile("card ops { base 3000 }", name="old.ksf")
    new = ksf.compile('card operator "运营" { base 3000; allowance 100 as meals }', name="new.ksf")
    found = ksf.diff(old, new, {"employee": ["E1"]})
    (card,) = found.cards
    # 3000 → 3100: only the new line moved; the base is the same line on both sides
    assert (card.card, card.label, card.lines_added, card.lines_removed) == (
        "ops",
        "运营",
        ("meals",),
        (),
    )
    assert found.employees[0].lines[0].new_explanation.startswith("meals: 100.00")
    assert (found.cards_only_old, found.cards_only_new) == ((), ())


def test_identical_plans_change_nothing() -> None:
    """The same rulebook twice: every row unchanged, no line listed, cost change 0."""
    book = ksf.compile(OLD, name="old.ksf")
    found = ksf.diff(book, book, DATA)
    assert found.changed == ()
    assert found.cost_change == 0.0
    assert [c.unchanged for c in found.cards] == [3, 2]


def test_cards_no_row_uses_are_listed_not_refused() -> None:
    """A card only one rulebook has, that no row of the data uses, is reported."""
    old = ksf.compile(OLD + "card intern { base 2000 }\n", name="old.ksf")
    new = ksf.compile(NEW + "card lead { base 9000 }\n", name="new.ksf")
    found = ksf.diff(old, new, DATA)
    assert (found.cards_only_old, found.cards_only_new) == (("intern",), ("lead",))


def test_rows_of_a_card_one_rulebook_lacks_are_an_error_naming_it() -> None:
    """Rows on a card NEW lacks: an UnknownCardError naming new.ksf, the card and the ids."""
    old = ksf.compile(OLD, name="old.ksf")
    new = ksf.compile(NEW.replace("card buyer", "card purchaser"), name="new.ksf")
    with pytest.raises(ksf.UnknownCardError) as caught:
        ksf.diff(old, new, DATA)
    text = str(caught.value)
    assert "under new.ksf: unknown card 'buyer'" in text
    assert "add the card to new.ksf" in text
    assert caught.value.labels == ("B1", "B2")
    assert "按 new.ksf 计算时：未知的计薪卡 'buyer'" in caught.value.render("zh")


def test_a_card_argument_one_rulebook_lacks_is_an_error_naming_it() -> None:
    """``card=`` naming a card only OLD has: the error says which rulebook lacks it."""
    old = ksf.compile("card a { base 1 }", name="old.ksf")
    new = ksf.compile("card b { base 1 }", name="new.ksf")
    with pytest.raises(ksf.UnknownCardError, match=r"under new\.ksf: there is no card 'a'"):
        ksf.diff(old, new, {"employee": ["E1"]}, card="a")


def test_two_currencies_cannot_be_compared() -> None:
    """CNY against USD is refused, in both languages, before anything is evaluated."""
    old = ksf.compile("card a { base 1 }", name="old.ksf")
    new = ksf.compile("currency USD\ncard a { base 1 }", name="new.ksf")
    with pytest.raises(PlanMismatchError) as caught:
        ksf.diff(old, new, {"employee": ["E1"]})
    assert str(caught.value).startswith("error: old.ksf pays in CNY and new.ksf in USD")
    assert caught.value.render("zh").startswith("错误：old.ksf 以 CNY 计薪，new.ksf 以 USD 计薪")
    assert isinstance(caught.value, ksf.KsfError)


def test_cny_and_rmb_are_one_currency() -> None:
    """``currency RMB`` against the default CNY: both are 元, and the plans compare."""
    old = ksf.compile("card a { base 1 }", name="old.ksf")
    new = ksf.compile("currency RMB\ncard a { base 2 }", name="new.ksf")
    assert ksf.diff(old, new, {"employee": ["E1"]}).cost_change == 1.0


def test_a_name_only_new_reads_is_a_compile_error_in_new() -> None:
    """NEW reads a column the data lacks: the compile error points into new.ksf."""
    old = ksf.compile("card a { base 1 }", name="old.ksf")
    new = ksf.compile("card a { base 1\n  bonus 10% of salez }", name="new.ksf")
    with pytest.raises(ksf.KsfCompileError) as caught:
        ksf.diff(old, new, {"employee": ["E1"], "sales": [1.0]})
    assert str(caught.value).startswith("new.ksf:2:")


def test_a_missing_value_only_new_reads_names_new() -> None:
    """A missing value in a column only NEW reads: a DataError under new.ksf, with the ids."""
    old = ksf.compile("card a { base 1 }", name="old.ksf")
    new = ksf.compile("card a { base 1; bonus 10% of sales }", name="new.ksf")
    with pytest.raises(ksf.DataError) as caught:
        ksf.diff(old, new, {"employee": ["E1", "E2"], "sales": [1.0, np.nan]})
    assert "under new.ksf:" in str(caught.value)
    assert caught.value.labels == ("E2",)


def test_different_rounding_units_compare_in_the_finer() -> None:
    """Whole yuan against cents: compared in cents, exactly."""
    old = ksf.compile("rounding 1 half_up\ncard a { bonus 1.5% of sales }", name="old.ksf")
    new = ksf.compile("card a { bonus 1.5% of sales }", name="new.ksf")
    found = ksf.diff(old, new, {"employee": ["E1"], "sales": [1003.0]})
    # 1.5% of 1003 = 15.045: 15 in whole yuan, 15.05 in cents (half-up)
    assert (found.rounding, found.cost_change) == (0.01, 0.05)
    assert found.employees[0].lines[0].new == 15.05


def test_a_median_between_two_cents_rounds_half_up() -> None:
    """Two winners of +0.01 and +0.02: the median gain 0.015 is 0.02, half-up."""
    old = ksf.compile("card a { bonus 1% of sales }", name="old.ksf")
    new = ksf.compile("card a { bonus 1.01% of sales }", name="new.ksf")
    # 1% of 100 = 1.00 → 1.01% = 1.01 (+0.01); 1% of 200 = 2.00 → 2.02 (+0.02)
    found = ksf.diff(old, new, {"employee": ["E1", "E2"], "sales": [100.0, 200.0]})
    assert [e.change for e in found.employees] == [0.01, 0.02]
    assert (found.cards[0].median_gain, found.cards[0].median_change) == (0.02, 0.02)


@pytest.mark.parametrize(
    ("first", "second", "unit"), [(0.01, 1.0, 0.01), (0.05, 0.02, 0.01), (0.001, 0.01, 0.001)]
)
def test_common_unit(first: float, second: float, unit: float) -> None:
    """The largest unit both are whole multiples of, in decimals (0.05 and 0.02: 0.01)."""
    assert common_unit(first, second) == unit


def test_rows_without_ids_are_named_by_row() -> None:
    """Data with no id column: rows are named by number (counted from 1 in Chinese)."""
    old = ksf.compile("card a { base 1000 }", name="old.ksf")
    new = ksf.compile("card a { base 1200 }", name="new.ksf")
    found = ksf.diff(old, new, {"x": [1.0, 2.0]})
    assert found.id_column is None
    assert [e.label("en") for e in found.employees] == ["row 0", "row 1"]
    assert found.cards[0].largest_gain_by is not None
    assert found.cards[0].largest_gain_by.label("zh") == "第 1 行"


# ---- properties ----------------------------------------------------------------------------

PROPERTY_OLD = """\
card seller { base 5000; commission sales rate 0.75%
  gross_margin balance 30% step 1% reward 200 penalty 100 floor -1500 }
card buyer { base 4000; turnover balance 6 step 0.5 reward 80; min_pay 3900 }
"""
PROPERTY_NEW = """\
card seller { base 5100; commission sales rate 0.6% beyond 100000 rate 1.15%
  gross_margin balance 31% step 0.5% reward 90 penalty 120 cap 800 }
card buyer { base 3950; turnover balance 6.5 step 0.5 reward 95 prorate; min_pay 3900
  bonus 0.333% of sales as cover }
"""


@st.composite
def payroll_data(draw: st.DrawFn) -> dict[str, list[object]]:
    """A few rows of either card, with amounts that land on odd cents and half cents."""
    n = draw(st.integers(1, 12))
    cents = st.integers(0, 50_000_000).map(lambda c: c / 100)
    return {
        "employee": [f"E{k}" for k in range(n)],
        "card": draw(st.lists(st.sampled_from(["seller", "buyer"]), min_size=n, max_size=n)),
        "sales": draw(st.lists(cents, min_size=n, max_size=n)),
        "gross_margin": draw(
            st.lists(st.integers(0, 600).map(lambda v: v / 1000), min_size=n, max_size=n)
        ),
        "turnover": draw(
            st.lists(st.integers(0, 1200).map(lambda v: v / 100), min_size=n, max_size=n)
        ),
    }


def _cents(amount: float) -> int:
    return round(amount * 100)


@settings(max_examples=60, deadline=None)
@given(payroll_data(), st.sampled_from(["", "rounding 1 half_up\n", "rounding 0.05 half_up\n"]))
def test_changes_add_up_to_the_cost_change_to_the_cent(
    data: dict[str, list[object]], rounding: str
) -> None:
    """Employees' changes sum to each card's cost change, and cards' to the plan's, in cents.

    Also when the old plan rounds to whole yuan or to 5 fen and the new one to the fen.
    """
    old = ksf.compile(rounding + PROPERTY_OLD, name="old.ksf")
    new = ksf.compile(PROPERTY_NEW, name="new.ksf")
    found = ksf.diff(old, new, data, explain=False)
    assert found.rounding == 0.01
    assert sum(_cents(e.change) for e in found.employees) == _cents(found.cost_change)
    assert sum(_cents(c.cost_change) for c in found.cards) == _cents(found.cost_change)
    for card in found.cards:
        mine = [e for e in found.employees if e.card == card.card]
        assert sum(_cents(e.change) for e in mine) == _cents(card.cost_change)
        assert card.winners + card.losers + card.unchanged == card.rows == len(mine)
        assert _cents(card.new_cost) - _cents(card.old_cost) == _cents(card.cost_change)
    for e in found.employees:
        # a total is the sum of its rounded lines, so the lines' changes make up the change
        assert sum(_cents(x.change) for x in e.lines) == _cents(e.change)
        assert _cents(e.new_total) - _cents(e.old_total) == _cents(e.change)


@settings(max_examples=30, deadline=None)
@given(payroll_data())
def test_swapping_the_plans_negates_the_diff(data: dict[str, list[object]]) -> None:
    """diff(new, old) is diff(old, new) with every change negated and winners as losers."""
    old = ksf.compile(PROPERTY_OLD, name="old.ksf")
    new = ksf.compile(PROPERTY_NEW, name="new.ksf")
    there = ksf.diff(old, new, data, explain=False)
    back = ksf.diff(new, old, data, explain=False)
    assert _cents(back.cost_change) == -_cents(there.cost_change)
    assert [_cents(e.change) for e in back.employees] == [
        -_cents(e.change) for e in there.employees
    ]
    for a, b in zip(there.cards, back.cards, strict=True):
        assert (a.winners, a.losers) == (b.losers, b.winners)
        assert _cents(a.largest_gain) == -_cents(b.largest_loss)


def test_a_dataframe_diffs_as_its_columns_do(plan: ksf.PlanDiff) -> None:
    """A pandas DataFrame of the golden data gives the golden diff, its month as the period."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({**DATA, "month": ["2026-07"] * 5}, index=[10, 11, 12, 13, 14])
    found = ksf.diff(ksf.compile(OLD, name="old.ksf"), ksf.compile(NEW, name="new.ksf"), frame)
    assert [e.change for e in found.employees] == [e.change for e in plan.employees]
    assert found.employees[0].label() == "S1 2026-07"


def test_lines_are_titled_as_their_explanations_title_them() -> None:
    """In Chinese a standard indicator's line is titled by its label, base by 底薪."""
    old = ksf.compile("card a { base 5000; gross_margin balance 30% step 1% reward 100 }")
    new = ksf.compile("card a { base 5000; gross_margin balance 31% step 1% reward 100 }")
    data = {"employee": ["E1"], "revenue": [100_000.0], "cogs": [66_500.0]}
    found = ksf.diff(old, new, data, lang="zh")
    # the standard gross_margin (100,000 − 66,500) / 100,000 = 33.5%: 3 whole steps above 30%
    # → 300; 2 above 31% → 200
    assert found.employees[0].lines[0].change == -100.0
    assert (found.title("gross_margin"), found.title("base")) == ("毛利率", "底薪")
    assert found.title("gross_margin", "en") == "gross_margin"


def test_explanations_of_group_and_pool_lines_are_their_blocks() -> None:
    """A group aggregate's line and the top-up under a pool: each gets its own block."""
    source = """
pool partners { profit above 1000 share 20%
  split by w }
card lead { base 8000; commission sum(sales over team) rate 0.2% as team_commission
  share partners; min_pay 9000 }
"""
    old = ksf.compile(source, name="old.ksf")
    new = ksf.compile(source.replace("rate 0.2%", "rate 0.3%"), name="new.ksf")
    data = {"employee": ["A", "B"], "team": ["x", "x"], "sales": [1000.0, 2000.0], "w": [1.0, 2.0]}
    found = ksf.diff(old, new, data, params={"profit": 5000})
    # team sales 3,000 × 0.2% = 6 → × 0.3% = 9; A's share of the pool: (5,000 − 1,000) × 20%
    # = 800 × 1/3 = 266.67; 8,000 + 6 + 266.67 = 8,272.67 → top-up 727.33, then 724.33
    commission, topup = found.employees[0].lines
    assert (commission.old, commission.new, topup.old, topup.new) == (6.0, 9.0, 727.33, 724.33)
    assert commission.old_explanation.startswith("team_commission: 6.00\n    base:")
    assert "group team = x, 2 rows → sum 3,000" in commission.new_explanation
    assert topup.new_explanation.startswith("min_pay_topup: 724.33\n")
    assert "partners" not in topup.new_explanation


def test_an_id_on_two_rows_is_refused_unless_allowed() -> None:
    """An id twice in one period: refused under the old plan, or paid per row when allowed."""
    old = ksf.compile("card a { base 1000 }", name="old.ksf")
    new = ksf.compile("card a { base 1100 }", name="new.ksf")
    data = {"employee": ["E1", "E1"]}
    with pytest.raises(ksf.DataError, match=r"^data error: under old\.ksf: "):
        ksf.diff(old, new, data)
    # two rows of +100
    assert ksf.diff(old, new, data, allow_duplicate_ids=True).cost_change == 200.0


def test_a_period_picks_each_files_card_version() -> None:
    """``period=``: each file pays by the version of its card in force in that month."""
    old = ksf.compile("card a { base 1000 }", name="old.ksf")
    new = ksf.compile(
        "card a effective 2026-07 { base 1100 }\ncard a effective 2026-10 { base 1300 }",
        name="new.ksf",
    )
    data = {"employee": ["E1"]}
    # August: the July version, 1100 (+100); November: the October version, 1300 (+300)
    assert ksf.diff(old, new, data, period="2026-08").cost_change == 100.0
    assert ksf.diff(old, new, data, period="2026-11").cost_change == 300.0
