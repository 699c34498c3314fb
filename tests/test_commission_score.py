"""LANGUAGE.md sections 3.2 (commission) and 5 (KPI scores), through the API; pools: test_pools.py.

Every figure stated in those sections, `params`, the compile and data errors they imply,
`explain`, and hypothesis properties: commission is monotone in its base and agrees with a
`Decimal` evaluation. Amounts are compared exactly: each line is rounded to the cent.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ksf

CENT = Decimal("0.01")


def pay_of(text, data, card="a", params=None):
    """Compile ``text`` and evaluate ``data`` with every row on ``card``."""
    return ksf.compile(text).evaluate(data, card=card, params=params)


def half_up(amount: Decimal) -> Decimal:
    """Round a Decimal amount to the cent, halves away from zero."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def cents(value: float) -> Decimal:
    """A rounded float amount as the exact Decimal it stands for."""
    return Decimal(repr(float(value))).quantize(CENT)


# --- section 3.2: commission -----------------------------------------------------------------

COEFFICIENT = """
table perf_coefficient {
  >= 90 : 1.2
  >= 80 : 1.0
  >= 70 : 0.8
  >= 60 : 0.5
  else  : 0
}
"""


def test_plain_commission_is_base_times_rate():
    """`commission sales rate 0.75%`: 7,500 on 1,000,000 of sales, line `commission_sales`."""
    pay = pay_of("card a { commission sales rate 0.75% }", {"sales": [1_000_000.0, 0.0, 333.0]})
    assert pay.lines == ("commission_sales",)
    # 1,000,000 × 0.0075 = 7500; 0; 333 × 0.0075 = 2.4975 → 2.50
    assert pay["commission_sales"].tolist() == [7500.0, 0.0, 2.5]


def test_scaled_commission_multiplies_by_the_scale():
    """`scaled_by` multiplies the commission: 9,000 × coefficient 1.2 = 10,800."""
    text = COEFFICIENT + "card a { commission sales rate 0.75% scaled_by perf_coefficient(score) }"
    pay = pay_of(text, {"sales": [1_200_000.0, 1_200_000.0], "score": [92.0, 55.0]})
    assert pay["commission_sales"].tolist() == [10_800.0, 0.0]


@pytest.mark.parametrize(
    ("rule", "name"),
    [
        ("commission sales rate 1%", "commission_sales"),
        ("commission sales - returns rate 1%", "commission"),
        ("commission 2 * sales rate 1%", "commission"),
        ("commission sales rate 1% as sales_commission", "sales_commission"),
        ("commission sales - returns rate 1% as net_commission", "net_commission"),
    ],
    ids=["single-name", "difference", "product", "as-name", "expression-as-name"],
)
def test_commission_line_name(rule, name):
    """The line is `commission_<name>` for a single name, `commission` otherwise, or `as`."""
    pay = pay_of(f"card a {{ {rule} }}", {"sales": [100.0], "returns": [40.0]})
    assert pay.lines == (name,)
    assert pay[name].tolist() == [2.0 if "2 *" in rule else 0.6 if "-" in rule else 1.0]


MARGINAL = "commission sales rate 1% beyond 100000 rate 2% beyond 200000 rate 3%"


@pytest.mark.parametrize(
    ("sales", "amount"),
    [
        (50_000, 500.0),  # 50,000 × 1%
        (100_000, 1_000.0),  # exactly at the first threshold: nothing above it
        (150_000, 2_000.0),  # 100,000 × 1% + 50,000 × 2% = 1000 + 1000
        (200_000, 3_000.0),  # 1000 + 100,000 × 2%
        (250_000, 4_500.0),  # 1000 + 2000 + 50,000 × 3%
    ],
)
def test_marginal_tiers_are_progressive(sales, amount):
    """`beyond T rate R2`: only the part above T earns R2, like tax brackets."""
    pay = pay_of(f"card a {{ {MARGINAL} }}", {"sales": [float(sales)]})
    assert pay["commission_sales"].tolist() == [amount]


@pytest.mark.parametrize(
    ("sales", "amount"),
    [
        (99_999, 999.99),  # below 100,000: 99,999 × 1% = 999.99
        (100_000, 2_000.0),  # reached at exactly the threshold: 100,000 × 2%
        (150_000, 3_000.0),  # the whole 150,000 × 2%
        (200_000, 6_000.0),  # the whole 200,000 × 3%
        (250_000, 7_500.0),  # the whole 250,000 × 3%
    ],
)
def test_retroactive_tiers_pay_the_whole_base_at_the_highest_rate_reached(sales, amount):
    """`retroactive`: the whole base earns the rate of the highest tier reached (base >= T)."""
    pay = pay_of(f"card a {{ {MARGINAL} retroactive }}", {"sales": [float(sales)]})
    assert pay["commission_sales"].tolist() == [amount]


def test_loss_earns_negative_commission_unless_floored():
    """A negative base earns a negative commission; `floor 0` stops it at zero."""
    data = {"profit": [-25_000.0, 200_000.0]}
    plain = pay_of("card a { commission profit rate 3.75% }", data)
    floored = pay_of("card a { commission profit rate 3.75% floor 0 }", data)
    assert plain["commission_profit"].tolist() == [-937.5, 7500.0]
    assert floored["commission_profit"].tolist() == [0.0, 7500.0]


def test_commission_cap_clips_after_the_scale():
    """`cap` clips the scaled amount: 1,200,000 × 1% × 1.2 = 14,400 → cap 12,000."""
    text = "card a { commission sales rate 1% scaled_by k cap 12000 }"
    pay = pay_of(text, {"sales": [1_200_000.0, 900_000.0], "k": [1.2, 1.2]})
    assert pay["commission_sales"].tolist() == [12_000.0, 10_800.0]


def test_commission_reads_a_param():
    """A `params` scalar is a name like a column: growth over last year's 500,000."""
    text = "card a { commission sales - last_year rate 1.5% floor 0 as growth }"
    pay = pay_of(text, {"sales": [800_000.0, 420_000.0]}, params={"last_year": 500_000})
    # (800,000 − 500,000) × 1.5% = 4500; (420,000 − 500,000) × 1.5% = −1200 → floor 0
    assert pay["growth"].tolist() == [4500.0, 0.0]


# --- section 5: KPI scores -------------------------------------------------------------------

SCORE = """
score kpi_score {
  sales_attainment  weight 60% baseline 90% target 100% challenge 110%
  profit_attainment weight 40% baseline 90% target 100% challenge 110%
  points 60 100 120          # optional; these are the defaults
}
"""


def test_section_5_example_scores_98():
    """105% → 110 points, 95% → 80 points; 0.6 × 110 + 0.4 × 80 = 98."""
    pay = pay_of(
        SCORE + "card a { bonus 100 * kpi_score as score }",
        {"sales_attainment": [1.05], "profit_attainment": [0.95]},
    )
    assert pay["score"].tolist() == [9800.0]


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (0.85, 0.0),  # bad side of the baseline
        (0.90, 60.0),  # the baseline
        (0.95, 80.0),  # 60 + 0.5 × 40
        (1.00, 100.0),  # the target
        (1.05, 110.0),  # 100 + 0.5 × 20
        (1.10, 120.0),  # the challenge
        (1.30, 120.0),  # past the challenge
    ],
)
def test_points_line(value, points):
    """Points: 0, then 60 → 100 baseline to target, 100 → 120 to challenge, 120 past it."""
    text = (
        "score s { kpi weight 100% baseline 90% target 100% challenge 110% }\n"
        "card a { bonus 100 * s as points }"
    )
    assert pay_of(text, {"kpi": [value]})["points"].tolist() == [points * 100]


@pytest.mark.parametrize(
    ("acos", "points"),
    [(0.40, 0.0), (0.35, 60.0), (0.33, 76.0), (0.30, 100.0), (0.275, 110.0), (0.20, 120.0)],
)
def test_lower_is_better_kpi(acos, points):
    """A lower-is-better KPI: baseline 35% > target 30% > challenge 25%; lower earns more."""
    text = (
        "score s { acos weight 100% baseline 35% target 30% challenge 25% lower_is_better }\n"
        "card a { bonus 100 * s as points }"
    )
    assert pay_of(text, {"acos": [acos]})["points"].tolist() == [points * 100]


def test_custom_points():
    """`points 0 100 150` moves the three anchor points."""
    text = (
        "score s { kpi weight 100% baseline 90% target 100% challenge 110%; points 0 100 150 }\n"
        "card a { bonus 100 * s as points }"
    )
    pay = pay_of(text, {"kpi": [0.95, 1.05, 1.2]})
    assert pay["points"].tolist() == [5000.0, 12_500.0, 15_000.0]


def test_score_feeds_a_table():
    """A score is a value: `perf_coefficient(kpi_score)`; 98 → 1.2."""
    text = SCORE + COEFFICIENT + "card a { bonus 5000 scaled_by perf_coefficient(kpi_score) }"
    pay = pay_of(text, {"sales_attainment": [1.05, 0.9], "profit_attainment": [0.95, 0.9]})
    assert pay["bonus"].tolist() == [6000.0, 2500.0]  # 98 → 1.2; 60 → 0.5


def test_explain_shows_score_points():
    """`explain` shows the score and each KPI's points and weight."""
    pay = pay_of(
        SCORE + "card a { bonus 100 * kpi_score as score }",
        {"sales_attainment": [1.05], "profit_attainment": [0.95]},
    )
    text = pay.explain(0)
    assert "kpi_score = 98" in text
    assert "sales_attainment = 1.05 → 110 points × 60%" in text
    assert "profit_attainment = 0.95 → 80 points × 40%" in text


# --- errors ----------------------------------------------------------------------------------


def test_score_weights_must_add_to_100():
    """Weights adding up to 90% are a compile error with a position."""
    text = (
        "score s {\n"
        "  a weight 60% baseline 90% target 100% challenge 110%\n"
        "  b weight 30% baseline 90% target 100% challenge 110%\n"
        "}\n"
    )
    with pytest.raises(ksf.KsfCompileError, match="add up to 90%, not 100%") as caught:
        ksf.compile(text)
    assert (caught.value.line, caught.value.column) == (1, 7)


def test_commission_without_rate():
    """A commission with no `rate` is a compile error at the line."""
    with pytest.raises(ksf.KsfCompileError, match="no `rate`") as caught:
        ksf.compile("card a {\n  base 1\n  commission sales\n}")
    assert (caught.value.line, caught.value.column) == (3, 3)


@pytest.mark.parametrize(
    "tiers",
    [
        "rate 1% beyond 200 rate 2% beyond 100 rate 3%",
        "rate 1% beyond 100 rate 2% beyond 100 rate 3%",
    ],
    ids=["decreasing", "repeated"],
)
def test_commission_tiers_out_of_order(tiers):
    """`beyond` thresholds must increase; the error points at the offending tier."""
    text = f"card a {{\n  commission sales {tiers}\n}}"
    with pytest.raises(ksf.KsfCompileError, match="increasing order") as caught:
        ksf.compile(text)
    assert caught.value.line == 2
    assert caught.value.column == text.splitlines()[1].rindex("beyond 100") + 1


# --- properties: commission ------------------------------------------------------------------


def decimals(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals ``units / 10**places`` with units in [low, high]."""
    return st.integers(low, high).map(lambda units: Decimal(units).scaleb(-places))


def text_of(number: Decimal) -> str:
    """A Decimal as rule text, never in exponent notation."""
    return format(number, "f")


@st.composite
def commissions(draw):
    """A commission: kind, first rate, (threshold, rate) tiers, optional scale and floor."""
    kind = draw(st.sampled_from(["plain", "marginal", "retroactive"]))
    count = 0 if kind == "plain" else draw(st.integers(1, 3))
    rates = draw(st.lists(decimals(0, 500, 4), min_size=count + 1, max_size=count + 1))
    if kind == "retroactive":
        rates.sort()
    starts = sorted(draw(st.sets(st.integers(0, 2_000_000), min_size=count, max_size=count)))
    tiers = [(Decimal(at), rate) for at, rate in zip(starts, rates[1:], strict=True)]
    scale = draw(st.none() | decimals(0, 15, 1))
    floor = draw(st.sampled_from([None, Decimal(0)]))
    return kind, rates[0], tiers, scale, floor


def render_commission(kind, rate, tiers, scale, floor) -> str:
    """The commission as a one-line card ``card a { … }``."""
    words = ["commission sales rate", text_of(rate)]
    for at, tier_rate in tiers:
        words += ["beyond", text_of(at), "rate", text_of(tier_rate)]
    if kind == "retroactive":
        words.append("retroactive")
    if scale is not None:
        words.append("scaled_by k")
    if floor is not None:
        words += ["floor", text_of(floor)]
    return "card a { " + " ".join(words) + " }"


def decimal_commission(base, kind, rate, tiers, scale, floor) -> Decimal:
    """The commission of LANGUAGE.md 3.2 in exact decimals, rounded half-up."""
    if kind == "retroactive":
        reached = [tier_rate for at, tier_rate in tiers if base >= at]
        amount = base * (reached[-1] if reached else rate)
    else:
        amount, previous = base * rate, rate
        for at, tier_rate in tiers:
            amount += max(base - at, Decimal(0)) * (tier_rate - previous)
            previous = tier_rate
    amount *= scale if scale is not None else 1
    if floor is not None:
        amount = max(amount, floor)
    return half_up(amount)


def evaluate_commission(spec, bases):
    """The engine's commission amounts for ``bases`` (Decimals)."""
    scale = spec[3]
    data = {"sales": np.array([float(b) for b in bases])}
    data["k"] = np.full(len(bases), float(scale if scale is not None else 1))
    return ksf.compile(render_commission(*spec)).evaluate(data)["commission_sales"]


@given(spec=commissions(), bases=st.lists(decimals(-50_000_000, 300_000_000, 2), min_size=2))
def test_commission_is_monotone_in_its_base(spec, bases):
    """With non-negative rates (increasing when retroactive) more base never pays less."""
    bases = sorted(bases)
    amounts = evaluate_commission(spec, bases)
    falls = np.flatnonzero(np.diff(amounts) < 0)
    assert not falls.size, f"{bases[falls[0]]} pays {amounts[falls[0]]}, more pays less"


@given(spec=commissions(), bases=st.lists(decimals(-50_000_000, 300_000_000, 2), min_size=1))
def test_commission_agrees_with_decimal_arithmetic(spec, bases):
    """Every amount equals the exact decimal formula of section 3.2, rounded half-up."""
    amounts = evaluate_commission(spec, bases)
    expected = [decimal_commission(base, *spec) for base in bases]
    assert [cents(amount) for amount in amounts] == expected
