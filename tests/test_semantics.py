"""LANGUAGE.md sections 2, 3 (but 3.2 and `share`) and 4: every stated figure, through the API.

Amounts are compared exactly: every line is rounded to the cent, so a hand-worked figure is
a float that compares equal. The arithmetic behind each figure is in a comment beside it.
"""

from __future__ import annotations

import math

import pytest

import ksf

NAN = math.nan

GM = "gross_margin balance 30% step 1% reward 200 penalty 100"


def pay_of(text, data, card="a", params=None):
    """Compile ``text`` and evaluate ``data`` with every row on ``card``."""
    return ksf.compile(text).evaluate(data, card=card, params=params)


def amounts(rule, column, values, line=None):
    """The amounts of a one-line card ``card a { rule }`` over one data column."""
    pay = pay_of(f"card a {{\n  {rule}\n}}", {column: values})
    return pay[line or column].tolist()


# --- section 2: a whole file ----------------------------------------------------------------

PERF_COEFFICIENT = """
table perf_coefficient {     # first matching row wins; rows checked top-down
  >= 90 : 1.2
  >= 80 : 1.0
  >= 70 : 0.8
  >= 60 : 0.5
  else  : 0
}
"""

SECTION_2_FILE = (
    """
currency CNY                 # display currency; default CNY
rounding 0.01 half_up        # default; `rounding 1 half_up` rounds to whole yuan

indicator gross_margin = (revenue - cogs) / revenue  percent higher_is_better
indicator net_gross_profit = revenue - (landed_cost + packaging + shipping + marketing)  money
"""
    + PERF_COEFFICIENT
    + """
card product_developer "产品开发" {
  base 6000
  gross_margin     balance 30% step 1% reward 200 penalty 100 cap 3000 floor -1500
  lifecycle_sales  balance 300000 step 10000 reward 50
  slow_moving_rate balance 10% step 1% reward 100 penalty 150 lower_is_better
  complaint_rate   balance 2% step 0.1% reward 50 lower_is_better
  min_pay 2360
}
"""
)

SECTION_2_DATA = {
    "revenue": [100_000.0, 100_000.0, 200_000.0],
    "cogs": [67_000.0, 90_000.0, 100_000.0],  # margins 33%, 10%, 50%
    "landed_cost": [1.0, 1.0, 1.0],
    "packaging": [1.0, 1.0, 1.0],
    "shipping": [1.0, 1.0, 1.0],
    "marketing": [1.0, 1.0, 1.0],
    "lifecycle_sales": [350_000.0, 120_000.0, 300_000.0],
    "slow_moving_rate": [0.08, 0.30, 0.10],
    "complaint_rate": [0.017, 0.04, 0.02],
}


def test_section_2_and_3_example_card():
    """The product_developer card of sections 2 and 3 pays the hand-worked figures."""
    pay = pay_of(SECTION_2_FILE, SECTION_2_DATA, card="product_developer")
    assert list(pay.lines) == [
        "base",
        "gross_margin",
        "lifecycle_sales",
        "slow_moving_rate",
        "complaint_rate",
        "min_pay_topup",
    ]
    assert pay["base"].tolist() == [6000.0, 6000.0, 6000.0]
    # 33% -> +3 steps * 200; 10% -> -20 * 100 = -2000 floored at -1500; 50% -> +4000 capped
    assert pay["gross_margin"].tolist() == [600.0, -1500.0, 3000.0]
    # +5 steps * 50; -18 steps * 50 (penalty defaults to reward); at balance
    assert pay["lifecycle_sales"].tolist() == [250.0, -900.0, 0.0]
    # lower is better: 8% -> +2 * 100; 30% -> -20 * 150; at balance
    assert pay["slow_moving_rate"].tolist() == [200.0, -3000.0, 0.0]
    # lower is better: 1.7% -> +3 * 50; 4% -> -20 * 50; at balance
    assert pay["complaint_rate"].tolist() == [150.0, -1000.0, 0.0]
    # row 1 sums to 6000 - 1500 - 900 - 3000 - 1000 = -400, topped up by 2760 to 2360
    assert pay["min_pay_topup"].tolist() == [0.0, 2760.0, 0.0]
    # 6000 + 600 + 250 + 200 + 150; 2360; 6000 + 3000
    assert pay.total.tolist() == [7200.0, 2360.0, 9000.0]


def test_section_2_example_table():
    """perf_coefficient of section 2 maps scores row by row, top-down."""
    text = PERF_COEFFICIENT + "card k { bonus 1000 * perf_coefficient(score) }"
    scores = [100.0, 90.0, 89.99, 80.0, 79.5, 70.0, 60.0, 59.99, 0.0, -5.0]
    pay = pay_of(text, {"score": scores}, card="k")
    # 1.2, 1.2, 1.0, 1.0, 0.8, 0.8, 0.5, else 0 ... times 1000
    expected = [1200.0, 1200.0, 1000.0, 1000.0, 800.0, 800.0, 500.0, 0.0, 0.0, 0.0]
    assert pay["bonus"].tolist() == expected


SHARED_NAMESPACE = {
    "two cards": "card a { base 1 }\ncard a { base 2 }",
    "table and card": "table a { >= 1 : 1\n else : 0 }\ncard a { base 1 }",
    "indicator and table": (
        "indicator t = x * 2\ntable t { >= 1 : 1\n else : 0 }\ncard a { bonus t(x) }"
    ),
    "two indicators": "indicator t = x * 2\nindicator t = x * 3\ncard a { bonus t }",
    "two tables": (
        "table t { >= 1 : 1\n else : 0 }\ntable t { >= 2 : 1\n else : 0 }\ncard a { bonus t(x) }"
    ),
    "indicator and card": "indicator a = x * 2\ncard a { bonus x }",
}


@pytest.mark.parametrize("text", list(SHARED_NAMESPACE.values()), ids=list(SHARED_NAMESPACE))
def test_top_level_names_are_unique(text):
    """Indicators, tables, scores, pools and cards share one namespace."""
    with pytest.raises(ksf.KsfCompileError):
        pay_of(text, {"x": [1.0]})


# --- section 2: expressions and conditions --------------------------------------------------

EXPRESSIONS = [
    ("a + b * 2", -11.0),  # 3 + (-7 * 2)
    ("(a + b) * 2", -8.0),  # (3 - 7) * 2
    ("a - b - c", 5.0),  # (3 + 7) - 5, left to right
    ("a / 4 / 2", 0.38),  # (3 / 4) / 2 = 0.375 -> 0.38
    ("-a * 2", -6.0),
    ("-(a + c)", -8.0),
    ("min(a, b, c)", -7.0),
    ("max(a, b, c)", 5.0),
    ("min(a, 4)", 3.0),
    ("abs(b)", 7.0),
    ("max(min(a, c), abs(b))", 7.0),  # max(3, 7)
    ("15% of c", 0.75),  # 0.15 * 5
    ("15% of (a + c)", 1.2),  # 0.15 * 8
    ("a * 1:3", 9.0),  # 3 * 3.0
]


@pytest.mark.parametrize(("expr", "expected"), EXPRESSIONS, ids=[expr for expr, _ in EXPRESSIONS])
def test_expression_value(expr, expected):
    """Arithmetic, calls and `of` follow the usual precedence (a=3, b=-7, c=5)."""
    # the card is not called `a`: a card's name cannot also be read as a value
    text = f"card expr {{ bonus {expr} }}"
    pay = pay_of(text, {"a": [3.0], "b": [-7.0], "c": [5.0]}, card="expr")
    assert pay["bonus"].tolist() == [expected]


CONDITIONS = [
    ("x > 5", [0.0, 0.0, 100.0]),
    ("x >= 5", [0.0, 100.0, 100.0]),
    ("x < 5", [100.0, 0.0, 0.0]),
    ("x <= 5", [100.0, 100.0, 0.0]),
    ("x == 5", [0.0, 100.0, 0.0]),
    ("x != 5", [100.0, 0.0, 100.0]),
    ("flag", [0.0, 100.0, 0.0]),  # a 0/1 column is a condition by itself
    ("not flag", [100.0, 0.0, 100.0]),
    ("x >= 5 and flag", [0.0, 100.0, 0.0]),
    ("x == 4 or x == 6", [100.0, 0.0, 100.0]),
    ("x < 5 or x > 5 and flag", [100.0, 0.0, 0.0]),  # `and` binds tighter than `or`
    ("not (x == 5)", [100.0, 0.0, 100.0]),
    ("x > 4 and not flag", [0.0, 0.0, 100.0]),
    ("x * 2 >= 10", [0.0, 100.0, 100.0]),
]


@pytest.mark.parametrize(("cond", "expected"), CONDITIONS, ids=[c for c, _ in CONDITIONS])
def test_when_condition(cond, expected):
    """`bonus 100 when COND` pays 100 where COND holds, else 0 (x = 4, 5, 6; flag = 0, 1, 0)."""
    pay = pay_of(f"card a {{ bonus 100 when {cond} }}", {"x": [4, 5, 6], "flag": [0, 1, 0]})
    assert pay["bonus"].tolist() == expected


# --- section 3: line kinds ------------------------------------------------------------------


def test_base_line():
    """`base 6000` is a line named base paying 6000 to every row."""
    pay = pay_of("card a { base 6000 }", {"x": [1.0, 2.0]})
    assert list(pay.lines) == ["base"]
    assert pay["base"].tolist() == [6000.0, 6000.0]


def test_base_by_grade():
    """`base by grade { ... }` looks each row's base up from its grade."""
    text = "card a { base by grade { A: 9000, B: 7500, C: 6000 } }"
    pay = pay_of(text, {"grade": ["B", "A", "C", "A"]})
    assert pay["base"].tolist() == [7500.0, 9000.0, 6000.0, 9000.0]


def test_base_by_unknown_grade_is_a_data_error():
    """A grade missing from `base by grade` is a DataError naming the rows and column."""
    text = "card a { base by grade { A: 9000, B: 7500, C: 6000 } }"
    with pytest.raises(ksf.DataError) as info:
        pay_of(text, {"grade": ["A", "D", "B", "E"]})
    assert info.value.rows == (1, 3)
    assert info.value.column == "grade"


def test_base_by_missing_grade_is_a_data_error():
    """An empty grade cell is a DataError naming its row and the grade column."""
    text = "card a { base by grade { A: 9000, B: 7500, C: 6000 } }"
    with pytest.raises(ksf.DataError) as info:
        pay_of(text, {"grade": ["A", None, "B"]})
    assert info.value.rows == (1,)
    assert info.value.column == "grade"


def test_allowance_named_by_as():
    """`allowance 300 as housing` is a line named housing paying 300."""
    pay = pay_of("card a { base 6000\n allowance 300 as housing }", {"x": [1.0]})
    assert list(pay.lines) == ["base", "housing"]
    assert pay["housing"].tolist() == [300.0]
    assert pay.total.tolist() == [6300.0]


def test_bonus_default_name():
    """A bonus without `as` is the line `bonus`."""
    pay = pay_of("card a { bonus 500 }", {"x": [1.0]})
    assert list(pay.lines) == ["bonus"]
    assert pay["bonus"].tolist() == [500.0]


def test_bonus_scaled_by():
    """`bonus E scaled_by K` pays E * K."""
    pay = pay_of("card a { bonus 1000 scaled_by k }", {"k": [0.5, 1.5, 0.0]})
    assert pay["bonus"].tolist() == [500.0, 1500.0, 0.0]


def test_bonus_scaled_by_when_as():
    """`bonus ... scaled_by ... when ... as NAME` combines all three clauses."""
    text = """
table perf_coefficient {
  >= 90 : 1.2
  >= 80 : 1.0
  >= 70 : 0.8
  else  : 0
}
card a {
  bonus 15% of profit scaled_by perf_coefficient(kpi) when launched as new_hit_award
}
"""
    data = {
        "profit": [100_000.0, 100_000.0, 100_000.0, 50_000.0],
        "kpi": [95.0, 95.0, 75.0, 85.0],
        "launched": [1, 0, 1, 1],
    }
    pay = pay_of(text, data)
    assert list(pay.lines) == ["new_hit_award"]
    # 15000 * 1.2; not launched; 15000 * 0.8; 7500 * 1.0
    assert pay["new_hit_award"].tolist() == [18_000.0, 0.0, 12_000.0, 7_500.0]


DUPLICATE_LINES = {
    "two bases": "base 6000\n base 5000",
    "two bonuses": "bonus 100\n bonus 200",
    "two housings": "allowance 300 as housing\n allowance 200 as housing",
    "allowance as base": "base 6000\n allowance 300 as base",
    "same indicator twice": f"{GM}\n {GM}",
    "rule as an allowance name": f"allowance 300 as housing\n {GM} as housing",
    "bonus as an indicator name": f"{GM}\n bonus 100 as gross_margin",
    "two min_pays": "min_pay 100\n min_pay 200",
}


@pytest.mark.parametrize("body", list(DUPLICATE_LINES.values()), ids=list(DUPLICATE_LINES))
def test_duplicate_line_names_are_a_compile_error(body):
    """Two lines of one card may not have the same name."""
    with pytest.raises(ksf.KsfCompileError):
        pay_of(f"card a {{\n {body}\n}}", {"gross_margin": [0.33]})


def test_same_indicator_twice_with_as():
    """`as NAME` lets one indicator drive two lines."""
    text = f"card a {{\n {GM}\n gross_margin balance 35% step 1% reward 100 as stretch\n}}"
    pay = pay_of(text, {"gross_margin": [0.37]})
    assert pay["gross_margin"].tolist() == [1400.0]  # 7 steps * 200
    assert pay["stretch"].tolist() == [200.0]  # 2 steps * 100


def test_min_pay_tops_up_to_the_minimum():
    """`min_pay 2360` tops a lower total up to 2360 and is 0 otherwise."""
    text = f"card a {{\n base 2000\n {GM}\n min_pay 2360\n}}"
    pay = pay_of(text, {"gross_margin": [0.33, 0.30, 0.27, 0.32]})
    # sums 2000 + 600, 2000 + 0, 2000 - 300, 2000 + 400
    assert pay["min_pay_topup"].tolist() == [0.0, 360.0, 660.0, 0.0]
    assert pay.total.tolist() == [2600.0, 2360.0, 2360.0, 2400.0]


MIN_PAY_ON_ROUNDED = [
    # 2359.99 + round(0.005) = 2360.00: nothing to top up (the unrounded 2359.995 would be)
    ("card a { base 2359.99\n bonus x as b1\n min_pay 2360 }", 0.0),
    # 2359.99 + round(0.004) + round(0.004) = 2359.99: top up 0.01 (unrounded 2359.998)
    (
        "card a { base 2359.99\n bonus x - 0.001 as b1\n bonus x - 0.001 as b2\n min_pay 2360 }",
        0.01,
    ),
]


@pytest.mark.parametrize(
    ("text", "topup"), MIN_PAY_ON_ROUNDED, ids=["rounding up meets it", "rounding down misses it"]
)
def test_min_pay_applies_to_sum_of_rounded_lines(text, topup):
    """min_pay compares the minimum with the sum of the already rounded lines."""
    pay = pay_of(text, {"x": [0.005]})
    assert pay["min_pay_topup"].tolist() == [topup]
    assert pay.total.tolist() == [2360.0]


# --- section 3.1: the balance rule ----------------------------------------------------------

BALANCE_EXAMPLES = [
    (0.33, 600.0),  # +3 steps * 200
    (0.305, 0.0),  # +0.5 step: no whole step
    (0.295, 0.0),  # -0.5 step: toward zero, no whole step
    (0.27, -300.0),  # -3 steps * 100
    (0.3399, 600.0),  # +3.99 steps: 3 whole steps
    (0.30, 0.0),  # at the balance point
]


@pytest.mark.parametrize(
    ("value", "expected"), BALANCE_EXAMPLES, ids=["33%", "30.5%", "29.5%", "27%", "33.99%", "30%"]
)
def test_balance_rule_examples(value, expected):
    """balance 30% step 1% reward 200 penalty 100 pays the figures of section 3.1."""
    assert amounts(GM, "gross_margin", [value]) == [expected]


BEYOND = [(0.37, 1600.0), (0.35, 1000.0), (0.36, 1300.0), (0.40, 2500.0), (0.27, -300.0)]


@pytest.mark.parametrize(
    ("value", "expected"), BEYOND, ids=["37%", "35%", "36%", "40%", "27% unaffected"]
)
def test_beyond_reward_tier(value, expected):
    """`beyond 35% reward 300` pays 300 per step past 35% (37% -> 5*200 + 2*300 = 1600)."""
    assert amounts(f"{GM} beyond 35% reward 300", "gross_margin", [value]) == [expected]


def test_several_beyond_tiers_are_progressive():
    """Several `beyond` clauses form brackets, like income tax."""
    rule = f"{GM} beyond 35% reward 300 beyond 40% reward 500"
    # 42%: 5 * 200 + 5 * 300 + 2 * 500 = 3500; 40%: 1000 + 1500; 36%: 1000 + 300
    assert amounts(rule, "gross_margin", [0.42, 0.40, 0.36]) == [3500.0, 2500.0, 1300.0]


def test_beyond_on_the_penalty_side():
    """`beyond 25% penalty 300` takes 300 per step past 25% on the bad side."""
    rule = f"{GM} beyond 25% penalty 300"
    # 22%: -(5 * 100 + 3 * 300) = -1400; 25%: -500; 26%: -400; 33% unaffected: +600
    values = [0.22, 0.25, 0.26, 0.33]
    assert amounts(rule, "gross_margin", values) == [-1400.0, -500.0, -400.0, 600.0]


def test_beyond_with_prorate():
    """With prorate, the fraction of a step past a `beyond` point earns the tier's rate."""
    rule = f"{GM} beyond 35% reward 300 prorate"
    assert amounts(rule, "gross_margin", [0.375]) == [1750.0]  # 5 * 200 + 2.5 * 300


LOWER = [(0.017, 150.0), (0.0225, -100.0), (0.02, 0.0), (0.0195, 0.0), (0.0205, 0.0)]


@pytest.mark.parametrize(
    ("value", "expected"), LOWER, ids=["1.7%", "2.25%", "2%", "1.95%", "2.05%"]
)
def test_lower_is_better(value, expected):
    """complaint_rate balance 2% step 0.1% reward 50 lower_is_better (1.7% -> +150)."""
    # 1.7%: -(0.017 - 0.02) / 0.001 = +3 steps * 50; 2.25%: -2.5 -> -2 steps * 50
    rule = "complaint_rate balance 2% step 0.1% reward 50 lower_is_better"
    assert amounts(rule, "complaint_rate", [value]) == [expected]


def test_beyond_on_a_lower_is_better_rule():
    """For lower_is_better, the good side of the balance point is below it."""
    base = "complaint_rate balance 2% step 0.1% reward 50 lower_is_better"
    # 1.2%: 8 good steps: 5 * 50 + 3 * 80 = 490; 2.8%: 8 bad steps: -(5 * 50 + 3 * 100)
    assert amounts(f"{base} beyond 1.5% reward 80", "complaint_rate", [0.012]) == [490.0]
    assert amounts(f"{base} beyond 2.5% penalty 100", "complaint_rate", [0.028]) == [-550.0]


POT = [(835_000.0, 1445.0), (800_000.0, 1340.0), (300_000.0, 0.0), (820_000.0, 1400.0)]


@pytest.mark.parametrize(
    ("value", "expected"), POT, ids=["835,000", "800,000", "300,000 floored", "at balance"]
)
def test_pot(value, expected):
    """A pot pays M at the balance point and M plus the step amount elsewhere."""
    # 1400 + 3 * 15; 1400 - 4 * 15; 1400 - 104 * 15 = -160 floored at 0; 1400
    rule = "store_sales pot 1400 balance 820000 step 5000 reward 15 floor 0"
    assert amounts(rule, "store_sales", [value]) == [expected]


def test_cap_clips_pot_included():
    """`cap` clips the line amount with its pot."""
    rule = "store_sales pot 1400 balance 820000 step 5000 reward 15 floor 0 cap 1500"
    # 835000: 1445 under the cap; 900000: 1400 + 16 * 15 = 1640 capped at 1500
    assert amounts(rule, "store_sales", [835_000.0, 900_000.0]) == [1445.0, 1500.0]


def test_cap_and_floor():
    """`cap 3000 floor -1500` bound a pot-less line on both sides."""
    rule = f"{GM} cap 3000 floor -1500"
    # 50%: +20 * 200 = 4000 -> 3000; 10%: -20 * 100 = -2000 -> -1500; 33% in range
    assert amounts(rule, "gross_margin", [0.50, 0.10, 0.33]) == [3000.0, -1500.0, 600.0]


FLOAT_NOISE = [
    (GM, "gross_margin", 0.27, -300.0),  # (0.27 - 0.30) / 0.01 = -2.999999999999997 -> -3
    (GM, "gross_margin", 0.33, 600.0),  # 3.0000000000000027 -> 3
    (
        "complaint_rate balance 2% step 0.1% reward 50 lower_is_better",
        "complaint_rate",
        0.017,
        150.0,  # -(0.017 - 0.02) / 0.001 = 2.999999999999999 -> 3
    ),
    (GM, "gross_margin", 0.329999999996, 600.0),  # 2.9999999996 rounds to 3.000000000
    (GM, "gross_margin", 0.329999999994, 400.0),  # 2.9999999994 rounds to 2.999999999
    (GM, "gross_margin", 0.270000000004, -300.0),  # -2.9999999996 rounds to -3.000000000
    (GM, "gross_margin", 0.270000000006, -200.0),  # -2.9999999994 rounds to -2.999999999
]


@pytest.mark.parametrize(
    ("rule", "column", "value", "expected"),
    FLOAT_NOISE,
    ids=["27%", "33%", "1.7% lower", "up to 3", "down to 2.999999999", "to -3", "to -2.999999999"],
)
def test_delta_rounded_to_9_places_before_trunc(rule, column, value, expected):
    """delta is rounded to 9 decimal places before truncation, so float noise never loses a step."""
    assert amounts(rule, column, [value]) == [expected]


def test_prorate():
    """With `prorate` the fraction of a step counts: n = delta."""
    # 33.47%: 3.47 * 200 = 694; 29.5%: -0.5 * 100 = -50; 33%: 3 * 200
    values = [0.3347, 0.295, 0.33]
    assert amounts(f"{GM} prorate", "gross_margin", values) == [694.0, -50.0, 600.0]


def test_penalty_defaults_to_reward():
    """Without `penalty`, a step on the bad side costs the reward."""
    rule = "lifecycle_sales balance 300000 step 10000 reward 50"
    # (120000 - 300000) / 10000 = -18 steps * 50; +5 steps * 50
    values = [120_000.0, 350_000.0]
    assert amounts(rule, "lifecycle_sales", values) == [-900.0, 250.0]


def test_asymmetric_penalty():
    """`penalty 150` with `reward 100` weighs the bad side heavier."""
    rule = "slow_moving_rate balance 10% step 1% reward 100 penalty 150 lower_is_better"
    # 8%: +2 * 100; 13%: -3 * 150; 10.5%: half a step, nothing
    values = [0.08, 0.13, 0.105]
    assert amounts(rule, "slow_moving_rate", values) == [200.0, -450.0, 0.0]


def test_plain_column_is_higher_is_better():
    """A data column with no written direction is higher_is_better."""
    assert amounts(GM, "gross_margin", [0.33, 0.27]) == [600.0, -300.0]


def test_direction_from_file_indicator():
    """A rule without a direction takes its file indicator's; a written one overrides it."""
    text = """
indicator slow = unsold / stock  percent lower_is_better
card a {
  slow balance 10% step 1% reward 100 penalty 150
  slow balance 10% step 1% reward 100 penalty 150 higher_is_better as slow_up
}
"""
    pay = pay_of(text, {"unsold": [7.0, 12.0], "stock": [100.0, 100.0]})
    # lower is better: 7% -> +3 * 100; 12% -> -2 * 150
    assert pay["slow"].tolist() == [300.0, -300.0]
    # written higher_is_better: 7% -> -3 * 150; 12% -> +2 * 100
    assert pay["slow_up"].tolist() == [-450.0, 200.0]


CLAUSE_ORDERS = {
    "written order": f"{GM} cap 3000 floor -1500",
    "shuffled": "gross_margin balance 30% floor -1500 penalty 100 cap 3000 reward 200 step 1%",
    "direction first": (
        "gross_margin balance 30% higher_is_better reward 200 step 1% cap 3000 "
        "penalty 100 floor -1500"
    ),
}


@pytest.mark.parametrize("rule", list(CLAUSE_ORDERS.values()), ids=list(CLAUSE_ORDERS))
def test_clauses_after_balance_in_any_order(rule):
    """The clauses after `balance` mean the same in any order."""
    # 50% -> 4000 capped; 33% -> 600; 27% -> -300; 10% -> -2000 floored
    values = [0.50, 0.33, 0.27, 0.10]
    assert amounts(rule, "gross_margin", values) == [3000.0, 600.0, -300.0, -1500.0]


def test_as_names_the_rule_line():
    """`as NAME` renames a rule's line; the indicator's name is then not a line."""
    pay = pay_of(f"card a {{ {GM} as margin_pay }}", {"gross_margin": [0.33]})
    assert list(pay.lines) == ["margin_pay"]
    assert pay["margin_pay"].tolist() == [600.0]


BAD_RULES = {
    "step 0": "gross_margin balance 30% step 0 reward 200",
    "negative step": "gross_margin balance 30% step -1% reward 200",
    "negative reward": "gross_margin balance 30% step 1% reward -200",
    "negative penalty": "gross_margin balance 30% step 1% reward 200 penalty -100",
    "reward beyond on bad side": f"{GM} beyond 25% reward 300 higher_is_better",
    "penalty beyond on good side": f"{GM} beyond 35% penalty 300 higher_is_better",
    "beyond between steps": f"{GM} beyond 35.5% reward 300",
    "lower: reward beyond above": (
        "gross_margin balance 2% step 0.1% reward 50 lower_is_better beyond 2.5% reward 80"
    ),
    "plain column: reward beyond below": f"{GM} beyond 25% reward 300",
}


@pytest.mark.parametrize("rule", list(BAD_RULES.values()), ids=list(BAD_RULES))
def test_bad_balance_rule_is_a_compile_error(rule):
    """S <= 0, R or P < 0, and misplaced `beyond` points are compile errors."""
    with pytest.raises(ksf.KsfCompileError):
        amounts(rule, "gross_margin", [0.33])


# --- section 4: tables ----------------------------------------------------------------------

TABLES = [
    (">", "> 90 : 3\n> 80 : 2\nelse : 1", [90.01, 90.0, 80.5, 80.0], [3.0, 2.0, 2.0, 1.0]),
    (">=", ">= 90 : 3\n>= 80 : 2\nelse : 1", [90.0, 89.99, 80.0, 79.99], [3.0, 2.0, 2.0, 1.0]),
    ("<=", "<= 10 : 3\n<= 20 : 2\nelse : 1", [10.0, 10.01, 20.0, 20.01], [3.0, 2.0, 2.0, 1.0]),
    ("<", "< 10 : 3\n< 20 : 2\nelse : 1", [9.99, 10.0, 19.99, 20.0], [3.0, 2.0, 2.0, 1.0]),
    ("> then >=", "> 90 : 3\n>= 90 : 2\nelse : 1", [90.5, 90.0, 89.0], [3.0, 2.0, 1.0]),
    (
        "mixed",
        "<= 10 : 1\n>= 90 : 3\n> 50 : 2\nelse : 0",
        [5.0, 10.0, 95.0, 90.0, 60.0, 50.0, 30.0],
        [1.0, 1.0, 3.0, 3.0, 2.0, 0.0, 0.0],  # 95 matches `>= 90` before `> 50`
    ),
]


@pytest.mark.parametrize(
    ("rows", "values", "expected"), [t[1:] for t in TABLES], ids=[t[0] for t in TABLES]
)
def test_table_first_matching_row_wins(rows, values, expected):
    """A table returns the value of the first row whose comparison holds."""
    pay = pay_of(f"table t {{\n{rows}\n}}\ncard a {{ bonus t(v) }}", {"v": values})
    assert pay["bonus"].tolist() == expected


BAD_TABLES = {
    "no else": ">= 90 : 1.2\n>= 80 : 1.0",
    "unreachable row": ">= 80 : 1.0\n>= 90 : 1.2\nelse : 0",
    "same threshold twice": ">= 90 : 1\n>= 90 : 2\nelse : 0",
    "<= out of order": "<= 20 : 1\n<= 10 : 2\nelse : 0",
    "row after else": ">= 90 : 1\nelse : 0\n>= 80 : 2",
}


@pytest.mark.parametrize("rows", list(BAD_TABLES.values()), ids=list(BAD_TABLES))
def test_bad_table_is_a_compile_error(rows):
    """A table must end in `else` and be ordered so that every row can match."""
    with pytest.raises(ksf.KsfCompileError):
        pay_of(f"table t {{\n{rows}\n}}\ncard a {{ bonus t(v) }}", {"v": [95.0]})
