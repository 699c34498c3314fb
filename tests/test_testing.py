"""ksf.testing: `data_for` draws data its card evaluates; `assert_monotone` catches bad cards."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ksf
from ksf.testing import assert_monotone, data_for

PRODUCT_DEVELOPER = """
card product_developer "产品开发" {
  base 6000
  gross_margin     balance 30% step 1% reward 200 penalty 100 cap 3000 floor -1500
  lifecycle_sales  balance 300000 step 10000 reward 50 beyond 400000 reward 80
  slow_moving_rate balance 10% step 1% reward 100 penalty 150 lower_is_better
  complaint_rate   pot 300 balance 2% step 0.1% reward 50 floor 0 prorate lower_is_better
  bonus 500 when gross_margin > 0.4 and flagship
  min_pay 2360
}
"""
BOOK = ksf.compile(PRODUCT_DEVELOPER)
CARD = "product_developer"
MARGIN = ksf.compile("card c { (revenue - cogs) / revenue balance 30% step 1% reward 9 as m }")

# Each card pays less for more of a higher-is-better x ("falls"), or more for more of a
# lower-is-better x ("rises"), somewhere in x's range.
NOT_MONOTONE = {
    "opposite rules on one column": (
        """card c {
          x balance 0.3 step 0.01 reward 100
          x balance 0.3 step 0.01 reward 300 lower_is_better as x_low
        }""",
        "falls",
    ),
    "a bonus that stops": (
        """card c {
          x balance 0.3 step 0.01 reward 200
          bonus 500 when x < 0.4
        }""",
        "falls",
    ),
    "a decreasing table": (
        """table slide { >= 0.35 : 0; >= 0.25 : 300; else : 900 }
        card c {
          x balance 0.3 step 0.01 reward 20
          bonus slide(x) as slide
        }""",
        "falls",
    ),
    "a lower-is-better rule with a rising bonus": (
        """card c {
          x balance 2% step 0.1% reward 50 lower_is_better
          bonus x * 1_000_000 as rising
        }""",
        "rises",
    ),
}


@pytest.mark.parametrize(
    "indicator", ["gross_margin", "lifecycle_sales", "slow_moving_rate", "complaint_rate"]
)
def test_assert_monotone_passes_on_a_proper_card(indicator):
    """Every factor of a well-formed card, with tiers, pot, cap, floor and a bonus, is monotone."""
    assert_monotone(BOOK, CARD, indicator)


@pytest.mark.parametrize(("text", "moves"), NOT_MONOTONE.values(), ids=NOT_MONOTONE.keys())
def test_assert_monotone_catches_a_non_monotone_card(text, moves):
    """A card whose pay moves against the rule's direction fails with both values and totals."""
    pattern = rf"total pay of card 'c' {moves} as `x` rises from \S+ to \S+, though"
    with pytest.raises(AssertionError, match=pattern) as failure:
        assert_monotone(ksf.compile(text), "c", "x")
    assert str(failure.value).count(" pays ") == 2


def test_assert_monotone_names_disagreeing_rules():
    """The failure message notes balance rules on the column that point the other way."""
    book = ksf.compile(NOT_MONOTONE["opposite rules on one column"][0])
    with pytest.raises(AssertionError, match="`x_low` is lower_is_better"):
        assert_monotone(book, "c", "x")


def test_assert_monotone_uses_given_rows_and_params():
    """Base rows come from ``data``; params reach the card; the failure shows the row."""
    text = "card c { x balance 10 step 1 reward 5; bonus 100 when x < target * y }"
    book = ksf.compile(text)
    with pytest.raises(AssertionError, match=r"the rest of the row: y=2\b"):
        assert_monotone(book, "c", "x", data={"x": [10.0], "y": [2.0]}, params={"target": 6})
    assert_monotone(book, "c", "x", data={"x": [10.0], "y": [100.0]}, params={"target": 6})


def test_assert_monotone_reads_directions_after_binding():
    """A column named like a lower-is-better standard indicator is checked as lower is better."""
    book = ksf.compile("card c { complaint_rate balance 2% step 0.1% reward 50 }")
    assert_monotone(book, "c", "complaint_rate", samples=5)
    rising = ksf.compile(
        "card c { complaint_rate balance 2% step 0.1% reward 50; bonus complaint_rate * 1_000_000 }"
    )
    with pytest.raises(AssertionError, match="rises as `complaint_rate` rises"):
        assert_monotone(rising, "c", "complaint_rate", samples=5)


@pytest.mark.parametrize(
    ("text", "indicator", "error"),
    [
        ("card c { x balance 1 step 1 reward 1; bonus 5 when flag }", "flag", ValueError),
        ("card c { x balance 1 step 1 reward 1 }", "nowhere", ValueError),
        ("card d { x balance 1 step 1 reward 1 }", "x", KeyError),
    ],
    ids=["a 0/1 flag", "unknown column", "no card c"],
)
def test_assert_monotone_rejects_what_it_cannot_check(text, indicator, error):
    """A flag, a name the card does not read, or an unknown card, is refused."""
    with pytest.raises(error):
        assert_monotone(ksf.compile(text), "c", indicator)


@settings(max_examples=25)
@given(data=data_for(BOOK, CARD, max_rows=20))
def test_data_for_draws_data_the_card_evaluates(data):
    """Drawn data has one float64 column per name the card reads, and evaluates cleanly."""
    assert sorted(data) == list(BOOK.names(CARD))
    lengths = {len(column) for column in data.values()}
    assert len(lengths) == 1
    assert 1 <= lengths.pop() <= 20
    assert all(column.dtype == np.float64 for column in data.values())
    assert set(np.unique(data["flagship"])) <= {0.0, 1.0}
    pay = BOOK.evaluate(data, card=CARD)
    assert np.all(pay.total >= 2360)


@settings(max_examples=25)
@given(
    data=data_for(
        MARGIN,
        "c",
        min_rows=3,
        max_rows=3,
        ranges={"cogs": (0.0, 10.0)},
    )
)
def test_data_for_defaults_and_ranges(data):
    """Names no rule reads directly are positive (no division by zero); ranges override."""
    assert data["revenue"].shape == (3,)
    assert np.all((data["revenue"] >= 1) & (data["revenue"] <= 1000))
    assert np.all((data["cogs"] >= 0) & (data["cogs"] <= 10))


@settings(max_examples=25)
@given(data=data_for(BOOK, CARD, ranges={"gross_margin": (0.2, 0.25)}))
def test_data_for_draws_around_the_balance_point(data):
    """A rule's column is drawn within 20 steps of its balance point unless a range is given."""
    assert np.all(np.abs(data["lifecycle_sales"] - 300_000) <= 20 * 10_000 + 1e-6)
    assert np.all((data["gross_margin"] >= 0.2) & (data["gross_margin"] <= 0.25))


def test_data_for_draws_exact_step_points():
    """Step points (``balance + k * step``) turn up among the drawn values."""
    book = ksf.compile("card c { x balance 0.3 step 0.01 reward 1 }")
    seen = []

    @settings(max_examples=30, database=None)
    @given(data=data_for(book, "c"))
    def collect(data):
        seen.extend(data["x"].tolist())

    collect()
    steps = (np.array(seen) - 0.3) / 0.01
    assert np.any(np.abs(steps - np.rint(steps)) < 1e-9)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"min_rows": 5, "max_rows": 2}, "min_rows"),
        ({"ranges": {"y": (0, 1)}}, "does not read"),
        ({"ranges": {"x": (2, 1)}}, "empty"),
    ],
    ids=["rows", "unknown name", "empty range"],
)
def test_data_for_rejects_bad_arguments(kwargs, match):
    """Bad row counts and ranges are refused when the strategy is built."""
    book = ksf.compile("card c { x balance 0.3 step 0.01 reward 1 }")
    with pytest.raises(ValueError, match=match):
        data_for(book, "c", **kwargs)


def test_data_for_without_hypothesis_says_how_to_install(monkeypatch):
    """Without hypothesis, data_for fails with an install hint."""
    for name in ("hypothesis", "hypothesis.strategies", "hypothesis.extra.numpy"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match="pip install hypothesis"):
        data_for(BOOK, CARD)


def test_importing_ksf_testing_does_not_import_hypothesis():
    """``import ksf.testing`` leaves hypothesis unloaded until data_for is called."""
    code = "import sys, ksf.testing; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@settings(max_examples=10)
@given(st.data())
def test_assert_monotone_accepts_data_for_rows(data):
    """Rows drawn by data_for are valid base rows for assert_monotone."""
    rows = data.draw(data_for(BOOK, CARD, max_rows=3))
    assert_monotone(BOOK, CARD, "gross_margin", data=rows)


# ---- LANGUAGE.md §9–11: per-row clause values, line references, matrices, group aggregates ----

GOLDEN = ksf.compile(
    (Path(__file__).parent / "golden" / "team_2026_07_realistic.ksf").read_text(encoding="utf-8")
)
SECTION_9 = ksf.compile(
    """
card operator {
  gross_margin balance target_gm step 1% reward 200      # each operator's own balance point
  store_sales balance (1.1 * last_year_sales) step 10000 reward 50
}
card lead {
  base 8000
  commission team_sales rate 0.5%
  bonus 10% of commission_team_sales when kpi >= 90 as kpi_bonus
  bonus -max(0, subtotal - 2.5 * base) as variable_cap     # variable pay at most 1.5× base
}
card seller {
  base base_salary
  commission sales rate own_rate cap own_cap
  margin balance 30% step own_step reward own_reward penalty own_penalty pot own_pot
  tiered balance own_point step 1% reward 100 beyond 40% reward 200 beyond 10% penalty 300
  bonus 30 * kpi_score
}
score kpi_score {
  sales_attainment weight 60% baseline 90% target own_target challenge (own_target + 10%)
  return_rate weight 40% baseline max_ret target good_ret challenge best_ret lower_is_better
}
pool team_pool per team {
  profit above last_profit share team_share
  cap team_cap
}
card member { share team_pool }
"""
)
SECTION_10 = ksf.compile(
    """
table grade_coef(grade, score) {      # 职级 × 绩效
  A, >= 90 : 1.5
  A, >= 70 : 1.2
  B, >= 90 : 1.3
  *, >= 70 : 1.0
  else     : 0.8
}
card c { bonus 3000 scaled_by grade_coef(grade, kpi_score) }
"""
)
SECTION_11 = ksf.compile(
    """
card lead     { base 8000; commission sum(sales over team) rate 0.2% as team_commission }
card operator { base 5000; bonus 2000 when rank(gross_profit over all) <= 3 as top3_award
                gross_profit balance 50000 step 1000 reward 10 }
"""
)


@pytest.mark.parametrize(
    ("book", "card"),
    [
        (GOLDEN, "lead"),
        (GOLDEN, "operator"),
        *((SECTION_9, c) for c in ("operator", "lead", "seller", "member")),
        (SECTION_10, "c"),
        (SECTION_11, "lead"),
        (SECTION_11, "operator"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_data_for_draws_every_column_the_section_9_to_11_cards_read(book, card):
    """Drawn data names every column the card reads, and evaluates without a data error."""

    @settings(max_examples=30, database=None)
    @given(data=data_for(book, card, max_rows=12))
    def evaluates(data):
        assert set(book.names(card)) <= set(data)
        pay = book.evaluate(data, card=card)
        assert np.isfinite(pay.total).all()

    evaluates()


@settings(max_examples=30)
@given(data=data_for(GOLDEN, "operator", min_rows=4, max_rows=12))
def test_data_for_draws_the_golden_operators_keys_and_balance_points(data):
    """Text keys come from the table, `over card` is the card, target_gm is a margin."""
    assert set(data["grade"]) <= {"A", "B"}  # the names grade_coef's rows compare
    assert set(data["card"]) == {"operator"}
    # The per-row balance point of gross_margin (a percentage): 5% to 50%.
    assert np.all((data["target_gm"] >= 0.05) & (data["target_gm"] <= 0.5))
    # kpi_score is drawn across grade_coef's thresholds 70 and 90, 10 either side.
    assert np.all((data["kpi_score"] >= 60) & (data["kpi_score"] <= 100))
    # gross_margin reaches 20 steps of 1% past the ends of the balance points.
    assert np.all((data["gross_margin"] >= 0.05 - 0.2) & (data["gross_margin"] <= 0.5 + 0.2))


@settings(max_examples=30)
@given(data=data_for(GOLDEN, "lead", min_rows=8, max_rows=8))
def test_data_for_draws_group_keys_with_several_rows_per_group(data):
    """A group's key takes at most three values: eight rows make a group of three or more."""
    _, counts = np.unique(data["team"], return_counts=True)
    assert len(counts) <= 3
    assert counts.max() >= 3


@settings(max_examples=30)
@given(data=data_for(SECTION_9, "member", max_rows=12))
def test_data_for_draws_a_pools_facts_once_per_group(data):
    """What a pool reads (its base and per-row above, share, cap) is one value per team."""
    for name in ("profit", "last_profit", "team_share", "team_cap"):
        for team in np.unique(data["team"]):
            assert len(np.unique(data[name][data["team"] == team])) == 1


@settings(max_examples=30)
@given(data=data_for(SECTION_9, "seller", max_rows=12))
def test_data_for_keeps_per_row_checks(data):
    """Steps above 0, KPI points in order, balance points whole steps from `beyond` points."""
    assert np.all(data["own_step"] > 0)
    assert np.all(data["own_target"] > 0.9)  # above the written baseline 90%
    assert np.all(data["max_ret"] > data["good_ret"])  # lower is better
    assert np.all(data["good_ret"] > data["best_ret"])
    # own_point lies between the penalty tier at 10% and the reward tier at 40%, on the grid.
    steps = (data["own_point"] - 0.10) / 0.01
    assert np.all((data["own_point"] > 0.10) & (data["own_point"] < 0.40))
    assert np.allclose(steps, np.rint(steps))


@pytest.mark.parametrize(
    ("book", "card", "indicator"),
    [
        (GOLDEN, "operator", "gross_margin"),
        (SECTION_9, "operator", "gross_margin"),
        (SECTION_9, "operator", "store_sales"),
        (SECTION_9, "seller", "margin"),
        (SECTION_9, "seller", "tiered"),
        (SECTION_11, "operator", "gross_profit"),
    ],
)
def test_assert_monotone_on_per_row_points_and_groups(book, card, indicator):
    """Per-row balance points, steps and rewards held fixed, the pay rises with the indicator."""
    assert_monotone(book, card, indicator, samples=40)


@pytest.mark.parametrize(
    "text",
    [
        # Pay stops when the margin passes each row's own target by 3 points.
        "card c { x balance target step 1% reward 100; bonus 2000 when x < target + 3% }",
        # The whole team's x lowers everyone's pay: a group aggregate of the indicator.
        "card c { x balance 30% step 1% reward 100; bonus -1_000_000 * sum(x over team) }",
    ],
    ids=["per-row balance point", "group aggregate"],
)
def test_assert_monotone_catches_cards_with_per_row_points_and_groups(text):
    """A card reading per-row points or an aggregate that pays less for more is caught."""
    with pytest.raises(AssertionError, match="total pay of card 'c' falls as `x` rises"):
        assert_monotone(ksf.compile(text), "c", "x", samples=20)


def test_data_for_refuses_a_range_on_a_text_key():
    """A text key is drawn from the table's names: a numeric range for it is refused."""
    with pytest.raises(ValueError, match="`grade` holds text"):
        data_for(SECTION_10, "c", ranges={"grade": (0, 1)})
