"""Numbers as a person computes them: comparisons, steps, half cents and pool ties (issue 11).

LANGUAGE.md section 7 (last bullet): two numbers that differ by less than one part in 10^9
of the larger (or by less than 10^-9 when both are below 1) are equal wherever they are
compared. Section 3.1: the steps are those of the numbers as written, however large.
Section 7: half-up rounding is decided on the number a person works out, including the float
error carried from amounts that were subtracted. Section 6: ties go to the earlier row.
Every figure below is worked out by hand in the comments.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import ksf

SCORE = """
score kpi {
  sales  weight 60% baseline 90% target 100% challenge 110%
  profit weight 40% baseline 90% target 100% challenge 110%
}
table coef {
  >= 90 : 1.2
  else  : 1.0
}
"""


def pay_of(text, data, card="a", params=None):
    """Compile ``text`` and evaluate ``data`` with every row on ``card``."""
    return ksf.compile(text).evaluate(data, card=card, params=params)


# --- 1. comparisons do not see float noise -----------------------------------------------------


def test_a_score_of_exactly_90_meets_the_90_row():
    """A KPI score that is 90 by hand (89.99999999999997 in floats) gets the `>= 90` row."""
    # sales 93.8%: 60 + 3.8/10 × 40 = 75.2 points; profit 106.1%: 100 + 6.1/10 × 20 = 112.2;
    # 0.6 × 75.2 + 0.4 × 112.2 = 45.12 + 44.88 = 90.00 → coefficient 1.2 → 2,400 × 1.2 = 2,880
    pay = pay_of(
        SCORE + "card a { bonus 2400 scaled_by coef(kpi) }", {"sales": [0.938], "profit": [1.061]}
    )
    assert pay["bonus"].tolist() == [2880.0]


def test_explain_shows_the_score_as_compared():
    """Explain prints the score as 90 (the value compared), not 89.99999999999997."""
    pay = pay_of(
        SCORE + "card a { bonus 2400 scaled_by coef(kpi) }", {"sales": [0.938], "profit": [1.061]}
    )
    text = pay.explain(0)
    assert "kpi = 90," in text
    assert "89.99" not in text
    assert "coef(kpi) = 1.2" in text


@pytest.mark.parametrize(
    ("condition", "data", "paid"),
    [
        # 1 − 80/100 = 0.2 exactly by hand; floats give 0.19999999999999996
        ("1 - cost/revenue >= 20%", {"cost": [80.0], "revenue": [100.0]}, 100.0),
        ("1 - cost/revenue > 20%", {"cost": [80.0], "revenue": [100.0]}, 0.0),
        ("1 - cost/revenue <= 20%", {"cost": [80.0], "revenue": [100.0]}, 100.0),
        ("1 - cost/revenue < 20%", {"cost": [80.0], "revenue": [100.0]}, 0.0),
        ("1 - cost/revenue == 20%", {"cost": [80.0], "revenue": [100.0]}, 100.0),
        ("1 - cost/revenue != 20%", {"cost": [80.0], "revenue": [100.0]}, 0.0),
        # 0.1 × 3 × 1,000,000 = 300,000 by hand; floats give 300000.00000000006
        ("0.1 * 3 * x > 300000", {"x": [1_000_000.0]}, 0.0),
        ("0.1 * 3 * x >= 300000", {"x": [1_000_000.0]}, 100.0),
        ("300000 < 0.1 * 3 * x", {"x": [1_000_000.0]}, 0.0),
        ("300000 == 0.1 * 3 * x", {"x": [1_000_000.0]}, 100.0),
        # both sides read columns: 0.1 + 0.2 = 0.3 by hand (0.30000000000000004)
        ("p + q <= r", {"p": [0.1], "q": [0.2], "r": [0.3]}, 100.0),
        ("p + q > r", {"p": [0.1], "q": [0.2], "r": [0.3]}, 0.0),
        ("p + q == r", {"p": [0.1], "q": [0.2], "r": [0.3]}, 100.0),
    ],
)
def test_conditions_compare_numbers_as_a_person_would(condition, data, paid):
    """Every comparison operator treats values within float noise as equal."""
    pay = pay_of(f"card a {{ bonus 100 when {condition} }}", data)
    assert pay["bonus"].tolist() == [paid]


@pytest.mark.parametrize(
    ("values", "paid"),
    [
        # one part in 10^9 of 90 is 9e-8: 89.99999995 is equal to 90, 89.9999999 is not
        ([89.99999995, 89.9999999, 90.0], [1.2, 1.0, 1.2]),
        # below 1 the tolerance is 10^-9 absolute: 0.8999999995 is 0.9, 0.899999998 is not
        ([0.8999999995, 0.899999998], [1.2, 1.0]),
    ],
)
def test_the_tolerance_is_one_part_in_a_billion(values, paid):
    """`>= T` rows hold within 1e-9 of the larger magnitude (1e-9 absolute below 1)."""
    threshold = 90 if values[0] > 1 else 0.9
    text = f"table t {{\n  >= {threshold} : 1.2\n  else : 1.0\n}}\ncard a {{ bonus t(x) }}"
    assert pay_of(text, {"x": values})["bonus"].tolist() == paid


@pytest.mark.parametrize(
    ("rows", "x", "paid"),
    [
        (">= 90 : 2\n  > 80 : 1", [79.99999999999999, 80.00000000000001, 80.000001], [0, 0, 1]),
        ("<= 10 : 2\n  < 20 : 1", [10.000000000000002, 19.999999999999996, 19.99], [2, 0, 1]),
        ("< 20 : 1\n  >= 30 : 2", [19.999999999999996, 29.999999999999996], [0, 2]),
    ],
)
def test_table_rows_of_every_kind_ignore_float_noise(rows, x, paid):
    """`>`, `>=`, `<`, `<=` rows (first-match and counting lookups) compare as a person would."""
    text = f"table t {{\n  {rows}\n  else : 0\n}}\ncard a {{ bonus t(x) }}"
    assert pay_of(text, {"x": x})["bonus"].tolist() == paid


def test_a_long_table_ignores_float_noise():
    """A table of more than 16 rows (a binary search) treats noise below a row as on it."""
    rows = "\n".join(f"  >= {t} : {t}" for t in range(40, 0, -2))
    text = f"table t {{\n{rows}\n  else : 0\n}}\ncard a {{ bonus t(x) }}"
    # 30 − 3.5e-15 is 30 by hand: row `>= 30`; 31 is still the `>= 30` row
    pay = pay_of(text, {"x": [29.999999999999996, 31.0, 1.0]})
    assert pay["bonus"].tolist() == [30.0, 30.0, 0.0]


def test_a_kpi_on_its_baseline_within_noise_earns_the_baseline_points():
    """0.3 × 3 (0.8999999999999999) meets a 90% baseline: 60 points, not 0."""
    text = """
score kpi { att weight 100% baseline 90% target 100% challenge 110% }
indicator att = 3 * part
card a { bonus kpi }
"""
    # 3 × 0.3 = 0.9 by hand: the baseline, 60 points
    assert pay_of(text, {"part": [0.3]})["bonus"].tolist() == [60.0]


def test_a_lower_is_better_kpi_on_its_baseline_within_noise():
    """A lower-is-better KPI at its baseline up to float noise earns the baseline points."""
    text = """
score kpi { acos weight 100% baseline 30% target 20% challenge 10% }
card a { bonus kpi }
"""
    # 0.1 + 0.2 = 0.3 by hand (0.30000000000000004): on the baseline, 60 points
    pay = pay_of(text, {"ad_spend": [0.1 + 0.2], "ad_sales": [1.0]})
    assert pay["bonus"].tolist() == [60.0]


def test_a_pool_base_equal_to_its_threshold_up_to_noise_makes_no_pool():
    """`above`: a base within one part in 10^9 of the threshold is on it, so the pool is 0."""
    text = "pool p { profit above 1000000000 share 100% }\ncard a { share p }"
    # 1,000,000,000.4 differs from 1,000,000,000 by 0.4 < 10^9 × 10^-9 = 1: equal, pool 0
    pay = pay_of(text, {"x": [1.0]}, params={"profit": 1_000_000_000.4})
    assert pay["p"].tolist() == [0.0]
    # 1,000,002 is past it: 2 × 100% = 2.00
    pay = pay_of(text, {"x": [1.0]}, params={"profit": 1_000_000_002.0})
    assert pay["p"].tolist() == [2.0]


def test_explain_shows_the_values_a_condition_compared():
    """Explain prints both sides of a comparison as compared: 0.2 ≥ 0.2, equal."""
    pay = pay_of(
        "card a { bonus 100 when 1 - cost/revenue >= 20% }", {"cost": [80.0], "revenue": [100.0]}
    )
    text = pay.explain(0)
    assert "condition holds" in text
    assert "compared 0.2 >= 0.2" in text
    assert "0.19999" not in text


# --- 2. steps of large values ---------------------------------------------------------------


def test_steps_of_a_large_balance_are_never_lost():
    """Balance 100,000 step 0.01: 100,000 + k cents is k steps, for every k within ±3 yuan."""
    ks = np.arange(-300, 301)
    values = np.array([float(Decimal(100_000) + Decimal(int(k)) / 100) for k in ks])
    text = "card a { x balance 100000 step 0.01 reward 1 }"
    # k cents from the balance are k steps of 0.01 × reward 1 = k
    assert pay_of(text, {"x": values})["x"].tolist() == ks.astype(float).tolist()


def test_steps_of_five_million_by_tenths():
    """5,000,000.3 with balance 5,000,000 and step 0.1 is 3 steps (a float quotient 2.99…)."""
    ks = np.arange(-300, 301)
    values = np.array([float(Decimal(5_000_000) + Decimal(int(k)) / 10) for k in ks])
    text = "card a { x balance 5000000 step 0.1 reward 1 lower_is_better }"
    # lower is better: k tenths above the balance are −k steps
    assert pay_of(text, {"x": values})["x"].tolist() == (-ks).astype(float).tolist()
    assert pay_of(text, {"x": [5_000_000.3]})["x"].tolist() == [-3.0]


def test_beyond_a_whole_step_from_a_large_balance_is_accepted():
    """`balance 100000 step 0.01 … beyond 100000.01` is one whole step away, and pays so."""
    text = "card a { x balance 100000 step 0.01 reward 1 beyond 100000.01 reward 2 }"
    # 100,000.07: 1 step at 1, then 6 steps past 100,000.01 at 2 = 13
    # 99,999.95: 5 steps below at the penalty (= reward 1) = −5
    pay = pay_of(text, {"x": [100_000.07, 99_999.95, 100_000.01]})
    assert pay["x"].tolist() == [13.0, -5.0, 1.0]


def test_beyond_far_from_a_large_balance_is_still_checked():
    """A beyond point half a step off a large balance is still refused."""
    with pytest.raises(ksf.KsfCompileError, match=r"0\.5 steps"):
        ksf.compile("card a { x balance 100000 step 0.01 reward 1 beyond 100000.005 reward 2 }")


def test_prorated_steps_of_a_large_balance():
    """Prorated, 100,000.07 from 100,000 by 0.01 is 7 steps exactly: 7 × 0.5 = 3.50."""
    text = "card a { x balance 100000 step 0.01 reward 0.5 prorate }"
    assert pay_of(text, {"x": [100_000.07, 99_999.93]})["x"].tolist() == [3.5, -3.5]


def test_steps_of_a_difference_of_millions_are_never_lost():
    """`sales - refunds balance 6 step 0.01`: 1,957,006.15 − 1,957,000 = 6.15 is 15 steps."""
    text = "card a { sales - refunds balance 6 step 0.01 reward 1 as net }"
    # 6.15 − 6 = 0.15 = 15 steps of 0.01 (6.1499999999069 in floats: 14.99999999 steps);
    # 5.85 − 6 = −0.15 = −15 steps
    data = {"sales": [1_957_006.15, 1_957_005.85], "refunds": [1_957_000.0, 1_957_000.0]}
    assert pay_of(text, data)["net"].tolist() == [15.0, -15.0]
    # 6.1499999 is 14.99999 steps, far more below 15 than the float error (about 1e-8 steps)
    data = {"sales": [1_957_006.1499999], "refunds": [1_957_000.0]}
    assert pay_of(text, data)["net"].tolist() == [14.0]


@pytest.mark.parametrize(
    ("value", "bounded"),
    [
        ("p - q", True),
        ("(p - q) / r", True),
        ("revenue - (p + q)", True),
        ("(revenue - cogs) / revenue", False),  # 1 + |cogs/revenue| <= 2 + |value|
        ("1 - cost/revenue", False),
        ("p / q - 1", False),
        ("p - 3", False),
        ("gross_margin", False),  # the standard indicator, (revenue − cogs) / revenue
    ],
)
def test_only_rules_on_differences_of_figures_look_for_lost_steps(value, bounded):
    """The error bound of a cancelling value costs nothing on ratios like gross margin."""
    from ksf.bind import Schema, bind
    from ksf.error_bounds import value_magnitude
    from ksf.rulebook import standard_library

    book = ksf.compile(f"card k {{ {value} balance 1% step 1% reward 1 as z }}")
    columns = frozenset({"revenue", "cogs", "cost", "p", "q", "r"})
    schema = Schema(numeric=columns, text=frozenset(), params=frozenset())
    program = bind(book.program, standard_library(), schema, {"k"})
    assert (value_magnitude(program.cards[0].lines[0]) is not None) == bounded


# --- 3. half cents after subtracting large amounts -------------------------------------------


def test_commission_on_a_difference_of_millions_rounds_its_half_cent_up():
    """(1,957,006.15 − 1,957,000) × 30% = 6.15 × 0.3 = 1.845 exactly, which pays 1.85."""
    text = "card a { commission sales - refunds rate 30% as c }"
    data = {"sales": [1_957_006.15, -1_957_006.15], "refunds": [1_957_000.0, -1_957_000.0]}
    pay = pay_of(text, data)
    # the second row: −6.15 × 0.3 = −1.845 → −1.85 (half away from zero)
    assert pay["c"].tolist() == [1.85, -1.85]


def test_bonus_on_a_difference_of_millions_rounds_its_half_cent_up():
    """`bonus 30% of (sales - refunds)`: 30% × 6.15 = 1.845 → 1.85."""
    text = "card a { bonus 30% of (sales - refunds) }"
    pay = pay_of(text, {"sales": [1_957_006.15], "refunds": [1_957_000.0]})
    assert pay["bonus"].tolist() == [1.85]


def test_a_pool_past_a_large_threshold_rounds_its_half_cent_up():
    """`profit above 1957000 share 30%` with profit 1,957,006.15: 6.15 × 30% = 1.845 → 1.85."""
    text = "pool p { profit above 1957000 share 30% }\ncard a { share p }"
    pay = pay_of(text, {"x": [1.0]}, params={"profit": 1_957_006.15})
    assert pay["p"].tolist() == [1.85]


def test_a_pool_on_a_difference_of_millions_rounds_its_half_cent_up():
    """A pool whose base subtracts: (1,957,006.15 − 1,957,000) × 30% = 1.845 → 1.85."""
    text = "pool p { sales - refunds above 0 share 30% }\ncard a { share p }"
    pay = pay_of(text, {"sales": [1_957_006.15], "refunds": [1_957_000.0]})
    assert pay["p"].tolist() == [1.85]


def test_prorated_half_steps_of_a_large_balance_round_half_up():
    """Balance 1,000,000 step 0.01 prorated: every k + ½ steps × 0.15 rounds half-up as written."""
    text = "card a { x balance 1000000 step 0.01 reward 0.15 prorate }"
    # 999,998.015 is −198.5 steps × 0.15 = −29.775 → −29.78 (away from zero);
    # 1,000,000.015 is 1.5 steps × 0.15 = 0.225 → 0.23
    pay = pay_of(text, {"x": [999_998.015, 1_000_000.015]})
    assert pay["x"].tolist() == [-29.78, 0.23]
    ks = [Decimal(k) + Decimal("0.5") for k in range(-200, 200)]
    values = np.array([float(1_000_000 + k * Decimal("0.01")) for k in ks])
    expected = [float((k * Decimal("0.15")).quantize(Decimal("0.01"), "ROUND_HALF_UP")) for k in ks]
    assert pay_of(text, {"x": values})["x"].tolist() == expected


def test_explain_shows_the_half_cent_as_computed_by_hand():
    """Explain shows 1.845 rounded half-up to 1.85, not 1.8449999999…."""
    text = "card a { commission sales - refunds rate 30% as c }"
    pay = pay_of(text, {"sales": [1_957_006.15], "refunds": [1_957_000.0]})
    assert "1.845 rounded half-up to 0.01 → 1.85" in pay.explain(0)


def test_a_value_just_below_a_half_cent_still_rounds_down():
    """The error bound is tight: 1.844999988 stays 1.84 however large the amounts subtracted."""
    text = "card a { commission sales - refunds rate 30% as c }"
    # (1,957,006.14999996 − 1,957,000) × 0.3 = 1.844999988: 1.2e-8 below the half cent, far
    # more than the float error of a few millions (about 1e-9)
    pay = pay_of(text, {"sales": [1_957_006.14999996], "refunds": [1_957_000.0]})
    assert pay["c"].tolist() == [1.84]


# --- 4. pool ties ---------------------------------------------------------------------------


def test_pool_ties_go_to_the_earlier_row():
    """Weights 1, 0.1, 0.1 of 100.00: the spare cent goes to the first of three equal remainders."""
    # total weight 1.2; exact shares 10,000 cents × 1/1.2 = 8,333⅓ and × 0.1/1.2 = 833⅓ twice;
    # whole cents 8,333 + 833 + 833 = 9,999, one left; the remainders are ⅓, ⅓, ⅓, so the cent
    # goes to the earliest row: 83.34, 8.33, 8.33
    text = "pool p { profit above 0 share 100%\n split by w }\ncard a { share p }"
    pay = pay_of(text, {"w": [1.0, 0.1, 0.1]}, params={"profit": 100.0})
    assert pay["p"].tolist() == [83.34, 8.33, 8.33]


def test_pool_ties_with_decimal_weights_in_groups():
    """Per group, equal remainders from decimal weights give the cent to the earlier row."""
    # group A: weights 0.1, 0.2, 0.1, 0.2 of 1.00: total 0.6, shares 16⅔, 33⅓, 16⅔, 33⅓ cents;
    # whole 16 + 33 + 16 + 33 = 98, two left; remainders ⅔, ⅓, ⅔, ⅓: A's first and third
    # members (rows 0 and 4) get them
    # group B: weights 0.3, 0.3, 0.3 of 0.10: shares 3⅓ each, 9 whole, one left: row 1
    text = "pool p per team { profit above 0 share 100%\n split by w }\ncard a { share p }"
    data = {
        "team": ["A", "B", "A", "B", "A", "B", "A"],
        "w": [0.1, 0.3, 0.2, 0.3, 0.1, 0.3, 0.2],
        "profit": [1.0, 0.1, 1.0, 0.1, 1.0, 0.1, 1.0],
    }
    pay = pay_of(text, data)
    assert pay["p"].tolist() == [0.17, 0.04, 0.33, 0.03, 0.17, 0.03, 0.33]


# --- 5. beyond sides at compile time --------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "at", "better"),
    [
        # a plain data column is higher-is-better: a reward tier below the balance is wrong
        ("x balance 10 step 1 reward 1 beyond 5 reward 2", "beyond 5 reward", "higher"),
        ("x balance 10 step 1 reward 1 beyond 15 penalty 2", "beyond 15 penalty", "higher"),
        # complaint_rate names a standard indicator, lower is better: reward tiers go below
        (
            "complaint_rate balance 2% step 0.1% reward 50 beyond 3% reward 80",
            "beyond 3% reward",
            "lower",
        ),
    ],
)
def test_beyond_on_the_wrong_side_is_a_compile_error(rule, at, better):
    """`ksf check` refuses a beyond point on the wrong side of a plain column's balance."""
    with pytest.raises(ksf.KsfCompileError) as caught:
        ksf.compile(f"card a {{\n  {rule}\n}}")
    error = caught.value
    assert f"`{at}` is on the wrong side of the balance point" in error.message
    assert (error.line, error.column) == (2, rule.index("beyond") + 3)
    assert f"{better} is better here" in (error.hint or "")


def test_beyond_on_the_right_side_of_a_library_indicator_compiles():
    """`complaint_rate … beyond 1% reward`: lower is better, so reward tiers below are right."""
    book = ksf.compile(
        "card a { complaint_rate balance 2% step 0.1% reward 50 beyond 1% reward 80 }"
    )
    # 0.8% is 12 steps better: 10 × 50 up to 1%, then 2 × 80 = 660
    pay = book.evaluate({"complaint_rate": [0.008]}, card="a")
    assert pay["complaint_rate"].tolist() == [660.0]


@given(
    units=st.integers(0, 1_000_000),
    weights=st.lists(st.integers(0, 500).map(lambda w: Decimal(w) / 10), min_size=1, max_size=12),
)
@example(units=10_000, weights=[Decimal(1), Decimal("0.1"), Decimal("0.1")])
def test_pool_split_matches_exact_largest_remainders(units, weights):
    """Decimal weights: the split equals largest remainders in exact fractions, ties earliest."""
    if sum(weights) == 0:
        weights = [*weights[:-1], Decimal(1)]
    text = "pool p { profit above 0 share 100%\n split by w }\ncard a { share p }"
    data = {"w": np.array([float(w) for w in weights])}
    pay = pay_of(text, data, params={"profit": float(Decimal(units) / 100)})
    total = sum(weights, Decimal(0))
    shares = [Fraction(units) * Fraction(w) / Fraction(total) for w in weights]
    whole = [math.floor(x) for x in shares]
    left = units - sum(whole)
    # the largest remainders first, the earlier row among equal ones
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - whole[i]), i))
    expected = list(whole)
    for i in order[:left]:
        expected[i] += 1
    assert np.rint(pay["p"] * 100).astype(int).tolist() == expected


def _by_definition(op: str, a: float, b: float) -> bool:
    """LANGUAGE.md 7 written out: equal within 1e-9 of the larger magnitude (or of 1)."""
    equal = abs(a - b) < 1e-9 * max(abs(a), abs(b), 1.0)
    return {
        "ge": a > b or equal,
        "gt": a > b and not equal,
        "le": a < b or equal,
        "lt": a < b and not equal,
        "eq": equal,
        "ne": not equal,
    }[op]


NEAR = st.floats(-1e12, 1e12, allow_nan=False) | st.sampled_from([0.0, 1.0, -1.0, 0.5, -2.5])


@given(
    op=st.sampled_from(["ge", "gt", "le", "lt", "eq", "ne"]),
    b=NEAR,
    offsets=st.lists(st.floats(-3e-9, 3e-9), min_size=1, max_size=8),
)
def test_comparison_kernels_follow_the_definition(op, b, offsets):
    """Against a constant (a moved bound) or an array, every operator agrees with section 7."""
    from ksf.kernels.step import STEP_KERNELS

    a = np.array([b + o * max(abs(b), 1.0) for o in offsets])
    # a point within float rounding of the tolerance's own edge may fall either way
    edge = [abs(abs(x - b) - 1e-9 * max(abs(x), abs(b), 1.0)) for x in a]
    a = a[[e > 1e-6 * 1e-9 * max(abs(b), 1.0) for e in edge]]
    assume(len(a) > 0)
    expected = [float(_by_definition(op, float(x), b)) for x in a]
    for right in (b, np.full(len(a), b)):  # a constant, then a column
        out = np.empty(len(a))
        STEP_KERNELS[op](out, a, right)
        assert out.tolist() == expected, (op, b, a.tolist())
    out = np.empty(len(a))
    STEP_KERNELS[op](out, b, a)  # the constant on the left
    assert out.tolist() == [float(_by_definition(op, b, float(x))) for x in a]
