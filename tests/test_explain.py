"""`Payroll.explain` prints arithmetic a finance person can check by hand.

Each case pins the whole explanation of one golden row; the hand arithmetic it must agree
with is in the comments of tests/golden/NAME.ksf (the row's employee id is given). Numbers
are shown as compared and as a person computes them. (Explain of one feature, such as pool
arithmetic, score points or a missing-value choice, sits with that feature's tests.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_exact import SCORE, pay_of
from test_golden import _read_data

import ksf
from ksf.explain_figures import figure, number

GOLDEN = Path(__file__).parent / "golden"

# grade lookup, pot, a beyond tier, cap, a condition, prorate and rounding
SEED000_TEAM_ROW_1 = """\
E02 (row 1), card operator "运营推广"
base: 4,000.00
    grade = A → 4,000.00
housing: 300.00
    fixed amount 300.00
sales_gross_margin: 2,300.00
    value:
        sales_gross_margin = (revenue - cogs) / revenue = 27.5%
            where revenue = 1,250,000, cogs = 906,250
    balance 25%, step 1%, higher is better: (27.5% − 25%) / 1% = +2.5 steps → +2 whole steps
    steps pay 2 × 150 = 300
    plus the pot 2,000.00 = 2,300
    floor 0: not reached
promo_roi: 3,000.00
    value:
        promo_roi = promo_sales / ad_spend = 5.2
            where promo_sales = 546,000, ad_spend = 105,000
    balance 3, step 0.1, higher is better: (5.2 − 3) / 0.1 = +22 steps → +22 whole steps
    steps pay 10 × 60 + 12 × 100 = 1,800
    plus the pot 1,500.00 = 3,300
    floor 0, cap 3,000: applied: 3,300 → 3,000
clearance: 1,488.00
    amount:
        8% of clearance_profit = 1,488
            where clearance_profit = 18,600
    condition holds:
        clearance_rate >= 50% = 1
            where clearance_rate = 0.62
repurchase_rate: 151.88
    value:
        repurchase_rate = repeat_buyers / buyers = 23.375%
            where repeat_buyers = 935, buyers = 4,000
    balance 20%, step 1%, higher is better: (23.375% − 20%) / 1% = +3.375 steps (prorated)
    steps pay 3.375 × 45 = 151.875
    floor -900: not reached
    151.875 rounded half-up to 0.01 → 151.88
min_pay_topup: 0.00
    min_pay 2,360.00; the lines add up to 11,239.88: no top-up
total: 11,239.88 CNY (the sum of the rounded lines)"""

# marginal commission tiers and the scale
SEED003_SALES_COMMISSION_ROW_3 = """\
E04 (row 3), card operator_marginal "运营专员（超额累进）"
base: 7,500.00
    fixed amount 7,500.00
commission_sales: 10,500.00
    base:
        sales = 1,300,000
    rate 0.75%, 1% beyond 1,000,000 (marginal) → 10,500
        1,000,000 × 0.75% + 300,000 × 1% = 10,500
    scaled by:
        perf_coefficient(perf_score) = 1
            where perf_score = 85
    10,500 × 1 = 10,500
total: 18,000.00 CNY (the sum of the rounded lines)"""

# a retroactive tier not reached and the rounding still to come
SEED003_SALES_COMMISSION_ROW_7 = """\
E08 (row 7), card operator_retroactive "运营专员（达标全额）"
base: 7,500.00
    fixed amount 7,500.00
commission_sales: 7,499.99
    base:
        sales = 999,999
    rate 0.75%, 1% beyond 1,000,000 (retroactive) → 7,499.9925
        the whole 999,999 × 0.75% = 7,499.9925
    scaled by:
        perf_coefficient(perf_score) = 1
            where perf_score = 85
    7,499.9925 × 1 = 7,499.9925
    7,499.9925 rounded half-up to 0.01 → 7,499.99
total: 14,999.99 CNY (the sum of the rounded lines)"""

# two scaled commissions, unrounded products and their rounding
SEED003_COMPOSITE_ROW_3 = """\
E04 (row 3), card store_operator "旗舰店运营（销售额+净利提成）"
base: 7,500.00
    fixed amount 7,500.00
commission_sales: 2,103.70
    base:
        sales = 876,543.21
    rate 0.3% → 2,629.62963
        876,543.21 × 0.3% = 2,629.62963
    scaled by:
        perf_coefficient(perf_score) = 0.8
            where perf_score = 75
    2,629.62963 × 0.8 = 2,103.703704
    2,103.703704 rounded half-up to 0.01 → 2,103.70
commission_net_profit: 2,355.56
    base:
        net_profit = 65,432.1
    rate 4.5% → 2,944.4445
        65,432.1 × 4.5% = 2,944.4445
    scaled by:
        perf_coefficient(perf_score) = 0.8
            where perf_score = 75
    2,944.4445 × 0.8 = 2,355.5556
    floor 0: not reached
    2,355.5556 rounded half-up to 0.01 → 2,355.56
total: 11,959.26 CNY (the sum of the rounded lines)"""

# a capped pool per team and the member's exact share
SEED000_PARTNERS_ROW_9 = """\
E10 (row 9), card operator "运营推广"
base: 5,000.00
    fixed amount 5,000.00
promo_roi: 1,200.00
    value:
        promo_roi = 5
    balance 3, step 0.1, higher is better: (5 − 3) / 0.1 = +20 steps → +20 whole steps
    steps pay 20 × 60 = 1,200
    floor -1,500, cap 3,000: not reached
partners: 214,285.72
    pool partners (group 宁波): base profit = 4,000,000
        max(0, 4,000,000 − 1,200,000) × 20% = 560,000
        cap 500,000: applied
        pool 500,000.00
    weight 3 of 7: 500,000.00 × 3 / 7 = 214,285.714286, to the unit by largest remainder
total: 220,485.72 CNY (the sum of the rounded lines)"""

# a lower-is-better KPI's points feeding a table
SEED004_KPI_SCORECARD_ROW_6 = """\
E07 (row 6), card ad_specialist "广告专员"
base: 6,000.00
    fixed amount 6,000.00
kpi_bonus: 2,400.00
    amount:
        3000 = 3,000
    scaled by:
        perf_coefficient(ads_score) = 0.8
            where ads_score = 78.4, acos = 0.33, sales_attainment = 0.95
            ads_score: acos = 0.33 → 76 points × 40%
            ads_score: sales_attainment = 0.95 → 80 points × 60%
    3,000 × 0.8 = 2,400
total: 8,400.00 CNY (the sum of the rounded lines)"""

# `missing as balance`: a division by zero and an empty cell; rounding to whole yuan
SEED000_ROUNDING_ROW_3 = """\
E14 (row 3), card operator "运营推广（整元）"
base: 6,500.00
    fixed amount 6,500.00
promo_roi: 0.00
    a value is missing; the card says `missing as balance`
    value:
        promo_roi = promo_sales / ad_spend = missing
            where promo_sales = 0, ad_spend = 0
    balance 3, step 0.1, higher is better: (3 − 3) / 0.1 = +0 steps (prorated)
    steps pay 0 = 0
    floor -1,000, cap 1,000: not reached
repurchase_rate: 0.00
    a value is missing; the card says `missing as balance`
    value:
        repurchase_rate = missing
    balance 0.2, step 0.01, higher is better: (0.2 − 0.2) / 0.01 = +0 steps (prorated)
    steps pay 0 = 0
clearance: 50.00
    amount:
        2.5% of clearance_profit = 49.5
            where clearance_profit = 1,980
    49.5 rounded half-up to 1 → 50.00
total: 6,550.00 CNY (the sum of the rounded lines)"""

CASES = [
    ("seed000_team", 1, SEED000_TEAM_ROW_1),
    ("seed003_sales_commission", 3, SEED003_SALES_COMMISSION_ROW_3),
    ("seed003_sales_commission", 7, SEED003_SALES_COMMISSION_ROW_7),
    ("seed003_composite", 3, SEED003_COMPOSITE_ROW_3),
    ("seed000_partners", 9, SEED000_PARTNERS_ROW_9),
    ("seed004_kpi_scorecard", 6, SEED004_KPI_SCORECARD_ROW_6),
    ("seed000_rounding", 3, SEED000_ROUNDING_ROW_3),
]


@pytest.mark.parametrize(
    ("name", "row", "expected"), CASES, ids=[f"{name}:{row}" for name, row, _ in CASES]
)
def test_explain_shows_the_hand_arithmetic(name, row, expected):
    """Every line's inputs, steps, tiers, rates, scale, cap/floor and rounding, and the total."""
    data = _read_data(GOLDEN / f"{name}.csv")
    pay = ksf.load(GOLDEN / f"{name}.ksf").evaluate(data)
    assert pay.explain(row) == expected


def test_explain_of_a_negative_row_index_counts_from_the_end():
    """explain(-1) is the last row, as with a Python list."""
    data = _read_data(GOLDEN / "seed000_partners.csv")
    pay = ksf.load(GOLDEN / "seed000_partners.ksf").evaluate(data)
    assert pay.explain(-1) == pay.explain(len(pay) - 1)
    with pytest.raises(IndexError):
        pay.explain(len(pay))


def test_explain_shows_amounts_to_the_places_of_a_finer_unit():
    """With `rounding 0.001` amounts show three places: 1.2345 → 1.235, total 2.236."""
    text = "rounding 0.001\ncard a {\n  bonus x\n  base 1.0005\n}"
    pay = ksf.compile(text).evaluate({"x": [1.2345]})
    assert pay.explain(0) == (
        "row 0, card a\n"
        "bonus: 1.235\n"
        "    amount:\n"
        "        x = 1.2345\n"
        "    1.2345 rounded half-up to 0.001 → 1.235\n"
        "base: 1.001\n"
        "    fixed amount 1.0005\n"
        "    1.0005 rounded half-up to 0.001 → 1.001\n"
        "total: 2.236 CNY (the sum of the rounded lines)"
    )


# Inputs of a million and more, a rate of 0.000123 with a step of 0.00001, a negative
# profit. By hand:
#   commission: 1,000,000 × 1% + (1,039,520 − 1,000,000) × 2% = 10,000 + 790.40 = 10,790.40
#   per_yuan: (1,039,520 − 0) / 1 = 1,039,520 steps × 0.001 = 1,039.52
#   refund_rate (lower is better): (0.0001 − 0.000123) / 0.00001 = −2.3 → −2 steps × 10 = −20
#   profit: (−2,500,000.5 − 0) / 1,000,000 = −2.5 → −2 steps × 100 = −200
#   total 10,790.40 + 1,039.52 − 20 − 200 = 11,609.92
LARGE_TINY_AND_NEGATIVE = (
    "row 0, card a\n"
    "commission_revenue: 10,790.40\n"
    "    base:\n"
    "        revenue = 1,039,520\n"
    "    rate 1%, 2% beyond 1,000,000 (marginal) → 10,790.4\n"
    "        1,000,000 × 1% + 39,520 × 2% = 10,790.4\n"
    "    10,790.4 rounded half-up to 0.01 → 10,790.40\n"
    "per_yuan: 1,039.52\n"
    "    value:\n"
    "        revenue = 1,039,520\n"
    "    balance 0, step 1, higher is better: (1,039,520 − 0) / 1 = +1,039,520 steps"
    " → +1,039,520 whole steps\n"
    "    steps pay 1,039,520 × 0.001 = 1,039.52\n"
    "refund_rate: -20.00\n"
    "    value:\n"
    "        refund_rate = 0.000123\n"
    "    balance 0.0001, step 0.00001, lower is better: (0.0001 − 0.000123) / 0.00001 = -2.3 steps"
    " → -2 whole steps\n"
    "    steps pay −2 × 10 = -20\n"
    "profit: -200.00\n"
    "    value:\n"
    "        profit = -2,500,000.5\n"
    "    balance 0, step 1,000,000, higher is better: (-2,500,000.5 − 0) / 1,000,000 = -2.5 steps"
    " → -2 whole steps\n"
    "    steps pay −2 × 100 = -200\n"
    "total: 11,609.92 CNY (the sum of the rounded lines)"
)


def test_explain_writes_large_tiny_and_negative_inputs_in_full():
    """No exponent anywhere: 1,039,520 (not 1.03952e+06), 0.00001 (not 1e-05)."""
    text = """card a {
  commission revenue rate 1% beyond 1000000 rate 2%
  revenue balance 0 step 1 reward 0.001 penalty 0.001 as per_yuan
  refund_rate balance 0.0001 step 0.00001 reward 10 penalty 10 lower_is_better
  profit balance 0 step 1000000 reward 100 penalty 100
}"""
    data = {"revenue": [1_039_520.0], "refund_rate": [0.000123], "profit": [-2_500_000.5]}
    assert ksf.compile(text).evaluate(data).explain(0) == LARGE_TINY_AND_NEGATIVE


def test_explain_keeps_every_digit_of_a_large_amount_before_rounding():
    """123,456,789.0125 to the cent: the places that decide the rounding are shown."""
    text = "card a {\n  bonus x\n}"
    pay = ksf.compile(text).evaluate({"x": [123_456_789.0125]})
    assert "    123,456,789.0125 rounded half-up to 0.01 → 123,456,789.01" in pay.explain(0)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_never_use_an_exponent(x):
    """Any value is written positionally, and reads back to within its shown precision."""
    shown = number(x)
    assert "e" not in shown.lower()
    back = float(shown.replace(",", ""))
    # 6 significant digits under 1, else 6 decimals (and every integer digit)
    assert abs(back - x) <= (abs(x) * 5e-6 if abs(x) < 1 else 5e-7 + abs(x) * 1e-15)


@pytest.mark.parametrize(
    ("value", "digits", "decimals", "shown"),
    [
        (1_039_523.7, 6, 0, "1,039,524"),  # %g: 1.03952e+06
        (1_039_523.7, 6, 1, "1,039,523.7"),
        (0.0000123, 6, 0, "0.0000123"),  # %g: 1.23e-05
        (-0.0, 6, 0, "0"),
        (2.6130172, 6, 1, "2.61302"),  # as %.6g where it has no exponent
        (1.5e300, 6, 1, "15" + "0" * 299),  # thousands separators aside
        (5e-324, 6, 0, "0." + "0" * 323 + "5"),  # the smallest float, as repr writes it
        (2.675, 6, 0, "2.675"),
        (2.675, 3, 0, "2.68"),  # as written; %.3g rounds the binary 2.67499… to 2.67
        (0.125, 2, 0, "0.13"),  # half-up (四舍五入); %.2g rounds half-even to 0.12
        (float("-inf"), 6, 0, "-∞"),
    ],
)
def test_figure_is_g_without_the_exponent(value, digits, decimals, shown):
    """`figure` writes %g's digits without an exponent, rounding half-up; NaN reads "missing"."""
    assert figure(value, digits, decimals=decimals).replace(",", "") == shown.replace(",", "")
    assert number(float("nan")) == "missing"


def test_steps_shown_never_cross_the_whole_steps_they_truncate_to():
    """A distance just short of 50 steps is not shown as 50 beside "49 whole steps"."""
    book = ksf.compile("card a { x balance 0 step 1 reward 10 }")
    pay = book.evaluate({"x": [49.9999996, -7.9999999, 3.25]})
    # 49.9999996 truncates to 49 steps × 10 = 490; −7.9999999 to −7 × 10 = −70; 3.25 to 3.
    assert pay["x"].tolist() == [490.0, -70.0, 30.0]
    assert "= +49.9999996 steps → +49 whole steps" in pay.explain(0)
    assert "= -7.9999999 steps → -7 whole steps" in pay.explain(1)
    assert "= +3.25 steps → +3 whole steps" in pay.explain(2)


# --- lines, inputs and the total of the asked row ---------------------------------------------

EXPLAINED = "card a {\n  base 100\n  gross_margin balance 30% step 1% reward 200 as margin_pay\n}"


def test_explain_names_lines_inputs_and_total():
    """explain(i) is multi-line text with every line, its input and the total."""
    pay = ksf.compile(EXPLAINED).evaluate({"gross_margin": [0.3347, 0.2512]}, card="a")
    text = pay.explain(0)
    assert isinstance(text, str)
    assert len(text.splitlines()) >= 3
    assert "base" in text
    assert "margin_pay" in text
    assert "gross_margin" in text  # the input's name
    assert "0.3347" in text or "33.47" in text  # the input's value
    assert "600" in text  # 3.47 steps -> 3 * 200
    assert "700" in text  # the total: 100 + 600


def test_explain_shows_the_asked_row():
    """explain(1) shows row 1's input, not row 0's."""
    pay = ksf.compile(EXPLAINED).evaluate({"gross_margin": [0.3347, 0.2512]}, card="a")
    text = pay.explain(1)
    assert "0.2512" in text or "25.12" in text
    assert "0.3347" not in text
    assert "33.47" not in text
    assert "800" in text  # -4.88 steps -> -4 * 200


# --- numbers shown as compared, as a person computes them -------------------------------------


def test_explain_shows_the_score_as_compared():
    """Explain prints the score as 90 (the value compared), not 89.99999999999997."""
    pay = pay_of(
        SCORE + "card a { bonus 2400 scaled_by coef(kpi) }", {"sales": [0.938], "profit": [1.061]}
    )
    text = pay.explain(0)
    assert "kpi = 90," in text
    assert "89.99" not in text
    assert "coef(kpi) = 1.2" in text


def test_explain_shows_the_values_a_condition_compared():
    """Explain prints both sides of a comparison as compared: 0.2 ≥ 0.2, equal."""
    pay = pay_of(
        "card a { bonus 100 when 1 - cost/revenue >= 20% }", {"cost": [80.0], "revenue": [100.0]}
    )
    text = pay.explain(0)
    assert "condition holds" in text
    assert "compared 0.2 >= 0.2" in text
    assert "0.19999" not in text


def test_explain_shows_the_half_cent_as_computed_by_hand():
    """Explain shows 1.845 rounded half-up to 1.85, not 1.8449999999…."""
    text = "card a { commission sales - refunds rate 30% as c }"
    pay = pay_of(text, {"sales": [1_957_006.15], "refunds": [1_957_000.0]})
    assert "1.845 rounded half-up to 0.01 → 1.85" in pay.explain(0)
