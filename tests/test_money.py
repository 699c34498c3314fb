"""LANGUAGE.md section 7 through the public API: half-up rounding, and payslips add up.

Every line amount is rounded to the `rounding` unit, halves away from zero, with the half-way
test done on the decimal the float stands for (2.675 -> 2.68). The total is the sum of the
rounded lines. (Missing and infinite values: test_missing.py.)
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

import ksf

NAN = math.nan
INF = math.inf

GM = "gross_margin balance 30% step 1% reward 200 penalty 100"


def pay_of(text, data, card="a"):
    """Compile ``text`` and evaluate ``data`` with every row on ``card``."""
    return ksf.compile(text).evaluate(data, card=card)


def bonus_of(values, header=""):
    """The `bonus x` amounts of a one-line card over column x, after top-level ``header``."""
    return pay_of(f"{header}\ncard a {{ bonus x }}", {"x": values})["bonus"].tolist()


# --- half-up rounding -----------------------------------------------------------------------

HALF_UP_CENTS = [
    (0.125, 0.13),  # numpy's half-to-even would give 0.12
    (-0.125, -0.13),  # away from zero
    (2.675, 2.68),  # stored as 2.67499999..., decimal 2.675 is half-way
    (-2.675, -2.68),
    (1.005, 1.01),  # stored as 1.00499999...
    (0.145, 0.15),
    (0.005, 0.01),
    (-0.005, -0.01),
    (1.004, 1.0),
    (0.0049, 0.0),
    (-0.004, 0.0),
    (1_234_567.125, 1_234_567.13),
]


@pytest.mark.parametrize(
    ("amount", "expected"), HALF_UP_CENTS, ids=[str(a) for a, _ in HALF_UP_CENTS]
)
def test_half_up_to_the_cent(amount, expected):
    """A line amount is rounded to the cent, halves away from zero (四舍五入)."""
    assert bonus_of([amount]) == [expected]


def test_half_up_matches_decimal_for_every_thousandth():
    """Rounding agrees with Decimal ROUND_HALF_UP on amounts written with 3 decimals."""
    rng = np.random.default_rng(20240601)
    thousandths = np.concatenate(
        [rng.integers(-(10**8), 10**8, 2000), np.arange(-2005, 2006, 10)]  # random + halves
    )
    values = (thousandths / 1000).tolist()
    expected = [
        float((Decimal(int(k)) / 1000).quantize(Decimal("0.01"), ROUND_HALF_UP))
        for k in thousandths
    ]
    assert bonus_of(values) == expected


@pytest.mark.parametrize(
    ("literal", "expected"),
    [("0.125", 0.13), ("2.675", 2.68), ("1.005", 1.01)],
    ids=["0.125", "2.675", "1.005"],
)
def test_allowance_literal_rounds_half_up(literal, expected):
    """A constant line is rounded like any other (`allowance 0.125` pays 0.13)."""
    pay = pay_of(f"card a {{ allowance {literal} as a }}", {"x": [1.0]})
    assert pay["a"].tolist() == [expected]


def test_prorated_rule_rounds_half_up():
    """A prorated balance rule's amount is rounded half-up on both sides."""
    text = "card a { v balance 0 step 1 reward 0.125 prorate }"
    # 1 * 0.125; -1 * 0.125 (penalty = reward); 21.4 * 0.125 = 2.675; -2.675
    pay = pay_of(text, {"v": [1.0, -1.0, 21.4, -21.4]})
    assert pay["v"].tolist() == [0.13, -0.13, 2.68, -2.68]


HALF_UP_YUAN = [(2.5, 3.0), (-2.5, -3.0), (0.5, 1.0), (1.5, 2.0), (2.4999, 2.0), (1234.5, 1235.0)]


@pytest.mark.parametrize(
    ("amount", "expected"), HALF_UP_YUAN, ids=[str(a) for a, _ in HALF_UP_YUAN]
)
def test_rounding_to_whole_yuan(amount, expected):
    """`rounding 1 half_up` rounds every line to whole yuan, halves away from zero."""
    assert bonus_of([amount], header="rounding 1 half_up") == [expected]


HALF_UP_JIAO = [(0.25, 0.3), (-0.25, -0.3), (0.05, 0.1), (2.675, 2.7), (0.04, 0.0)]


@pytest.mark.parametrize(
    ("amount", "expected"), HALF_UP_JIAO, ids=[str(a) for a, _ in HALF_UP_JIAO]
)
def test_rounding_to_a_tenth(amount, expected):
    """`rounding 0.1 half_up` rounds to the jiao."""
    assert bonus_of([amount], header="rounding 0.1 half_up") == [expected]


def test_explicit_default_rounding_changes_nothing():
    """`rounding 0.01 half_up` is the default."""
    values = [0.125, -2.675, 1.004, 3.3333, 7.0]
    assert bonus_of(values, header="rounding 0.01 half_up") == bonus_of(values)


def test_every_line_kind_is_rounded():
    """base, allowance, bonus and rule lines are all rounded to the unit."""
    text = """
rounding 1 half_up
card a {
  base 6000.5
  allowance 0.5 as meal
  bonus x
  v balance 0 step 1 reward 1 prorate
}
"""
    pay = pay_of(text, {"x": [2.5], "v": [2.5]})
    assert pay["base"].tolist() == [6001.0]
    assert pay["meal"].tolist() == [1.0]
    assert pay["bonus"].tolist() == [3.0]
    assert pay["v"].tolist() == [3.0]
    assert pay.total.tolist() == [6008.0]  # 6001 + 1 + 3 + 3; the unrounded sum is 6006


# --- the total is the sum of the rounded lines ------------------------------------------------

ADDS_UP = [
    # 10/3 = 3.333... -> 3.33, three times: 9.99 (not the 10.00 of rounding the sum)
    ("card a { bonus x / 3 as p\n bonus x / 3 as q\n bonus x / 3 as r }", 10.0, 9.99),
    # 0.005 -> 0.01, three times: 0.03 (not the 0.02 of rounding 0.015)
    ("card a { bonus x as p\n bonus x as q\n bonus x as r }", 0.005, 0.03),
    # whole yuan: 0.5 -> 1, twice: 2 (not the 1 of rounding 1.0)
    ("rounding 1 half_up\ncard a { bonus x as p\n bonus x as q }", 0.5, 2.0),
]


@pytest.mark.parametrize(("text", "x", "total"), ADDS_UP, ids=["thirds", "half cents", "half yuan"])
def test_total_is_sum_of_rounded_lines(text, x, total):
    """A payslip adds up: the total is the sum of the rounded lines."""
    assert pay_of(text, {"x": [x]}).total.tolist() == [total]


def test_payslips_add_up_on_random_data():
    """Every line is whole cents and the total is exactly their sum, row by row."""
    text = f"""
card a {{
  base 6000.5
  {GM} prorate
  bonus 15% of sales / 7 when sales > 1000
  allowance 0.125 as meal
  min_pay 6000
}}
"""
    rng = np.random.default_rng(7)
    data = {"gross_margin": rng.uniform(0.1, 0.5, 500), "sales": rng.uniform(0, 50_000, 500)}
    pay = pay_of(text, data)
    cents = {name: np.rint(pay[name] * 100) for name in pay.lines}
    for name in pay.lines:
        np.testing.assert_allclose(pay[name] * 100, cents[name], rtol=0, atol=1e-6)
    np.testing.assert_array_equal(np.rint(pay.total * 100), sum(cents.values()))
