"""ksf.testing: `data_for` draws data its card evaluates; `assert_monotone` catches bad cards."""

from __future__ import annotations

import subprocess
import sys

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
        ("card c { (x + y) balance 1 step 1 reward 1 as xy }", "x", ValueError),
        ("card d { x balance 1 step 1 reward 1 }", "x", KeyError),
    ],
    ids=["column in no balance rule", "unknown column", "rule on an expression", "no card c"],
)
def test_assert_monotone_rejects_what_it_cannot_check(text, indicator, error):
    """A column read by no balance rule of the card, or an unknown card, is refused."""
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
