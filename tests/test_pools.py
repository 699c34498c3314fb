"""Pools (LANGUAGE.md section 6): the pool amount, its split by weight, groups, ties and errors.

The section's example and its data errors, pools in other rounding units, pool figures near
large thresholds, ties that go to the earlier row, and hypothesis properties: pools conserve
cents, never pay below zero and stay within a cent of the exact share.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from test_commission_score import CENT, cents, decimals, half_up, pay_of, text_of
from test_edge_cases import pay_of as pay_on_cards

import ksf

NAN = math.nan


# --- section 6: the example, groups and members -----------------------------------------------

POOL = """
pool partners {
  profit above 1200000 share 20%     # the pool: 20% of profit past last year's 1.2M
  split by share_weight              # a column; default: equal split
  cap 500000                         # optional cap on the pool
}
card a { share partners }
"""


WEIGHTS = {"share_weight": [5.0, 3.0, 2.0]}


@pytest.mark.parametrize(
    ("profit", "amounts"),
    [
        (1_500_000, [30_000.0, 18_000.0, 12_000.0]),  # (1.5M − 1.2M) × 20% = 60,000; 5:3:2
        (1_100_000, [0.0, 0.0, 0.0]),  # under the threshold: the pool is 0
        (1_200_000, [0.0, 0.0, 0.0]),  # exactly at the threshold
        (4_000_000, [250_000.0, 150_000.0, 100_000.0]),  # 560,000 → cap 500,000
    ],
    ids=["example", "under-threshold", "at-threshold", "capped"],
)
def test_section_6_example_with_params(profit, amounts):
    """Profit 1,500,000 → pool 60,000 → 30,000 / 18,000 / 12,000; 1,100,000 → 0."""
    pay = pay_of(POOL, WEIGHTS, params={"profit": profit})
    assert pay.lines == ("partners",)
    assert pay["partners"].tolist() == amounts


def test_pool_base_from_a_column_constant():
    """The base may be a column holding one value for every member."""
    data = {**WEIGHTS, "profit": [1_500_000.0] * 3}
    assert pay_of(POOL, data)["partners"].tolist() == [30_000.0, 18_000.0, 12_000.0]


def test_equal_split_gives_the_spare_cent_to_the_earlier_row():
    """Without `split by`, 100.00 among three is 33.34 / 33.33 / 33.33."""
    text = "pool p { profit above 1200000 share 20% }\ncard a { share p }"
    pay = pay_of(text, {"x": [0.0, 0.0, 0.0]}, params={"profit": 1_200_500})
    assert pay["p"].tolist() == [33.34, 33.33, 33.33]


def test_per_team_pools_and_non_members():
    """`per team` forms one pool per team; rows whose card has no `share` take no part."""
    text = (
        "pool team_pool per team { profit above 1200000 share 20%; split by w }\n"
        "card m { share team_pool }\ncard x { base 100 }"
    )
    data = {
        "card": ["m", "m", "x", "m", "m"],
        "team": ["north", "south", "north", "north", "south"],
        "profit": [1_500_000.0, 1_100_000.0, 9_000_000.0, 1_500_000.0, 1_100_000.0],
        "w": [1.0, 1.0, 5.0, 2.0, 1.0],
    }
    pay = ksf.compile(text).evaluate(data)
    # north: 60,000 among members E0 (1) and E3 (2) → 20,000 / 40,000; row 2 is no member
    # (its different profit is not read); south: under the threshold → 0
    assert pay["team_pool"].tolist() == [20_000.0, 0.0, 0.0, 40_000.0, 0.0]
    assert pay.total.tolist() == [20_000.0, 0.0, 100.0, 40_000.0, 0.0]


def test_explain_shows_pool_arithmetic():
    """`explain` shows the pool's base, the pool, and the member's weight of the total."""
    text = pay_of(POOL, WEIGHTS, params={"profit": 1_500_000}).explain(0)
    assert "base profit = 1,500,000" in text
    assert "max(0, 1,500,000 − 1,200,000) × 20% = 60,000" in text
    assert "pool 60,000.00" in text
    assert "weight 5 of 10" in text
    assert "partners: 30,000.00" in text


def test_explain_shows_pool_threshold_share_and_cap():
    """`explain` shows how the pool was reached: (base − threshold) × share, and the cap."""
    text = pay_of(POOL, WEIGHTS, params={"profit": 4_000_000}).explain(0)
    assert "1,200,000" in text
    assert "20%" in text
    assert "500,000" in text
    assert "cap" in text


# --- data errors ------------------------------------------------------------------------------

PER_TEAM = "pool p per team { profit above 0 share 10%; split by w }\ncard a { share p }"


def test_pool_base_varying_within_a_group():
    """A base that differs inside one group is a data error naming the group and its rows."""
    data = {
        "employee": ["E1", "E2", "E3"],
        "team": ["深圳", "深圳", "厦门"],
        "profit": [1.0, 2.0, 3.0],
        "w": [1.0, 1.0, 1.0],
    }
    with pytest.raises(ksf.DataError, match="varies") as caught:
        pay_of(PER_TEAM, data)
    assert "深圳" in str(caught.value)
    assert tuple(caught.value.rows) == (0, 1)
    assert caught.value.column == "team"


def test_pool_group_named_as_written():
    """The varying-base error names the group as the data spells it: `group '深圳'`."""
    data = {"team": ["深圳", "深圳"], "profit": [1.0, 2.0], "w": [1.0, 1.0]}
    with pytest.raises(ksf.DataError) as caught:
        pay_of(PER_TEAM, data)
    assert "group '深圳'" in str(caught.value)
    assert "np." not in str(caught.value)


def test_numeric_pool_group_named_as_written():
    """A numeric team column names team 7 as '7', as the export wrote it, not '7.0'."""
    data = {"team": [7.0, 7.0, 8.0], "profit": [1.0, 2.0, 3.0], "w": [1.0, 1.0, 1.0]}
    with pytest.raises(ksf.DataError) as caught:
        pay_of(PER_TEAM, data)
    assert "varies in group '7' (column 'team')" in str(caught.value)


def test_pool_base_varying_without_groups():
    """Without `per`, the base must be one value for all members."""
    with pytest.raises(ksf.DataError, match="one value per pool"):
        pay_of(POOL, {**WEIGHTS, "profit": [1.0, 1.0, 2.0]})


def test_zero_total_weight():
    """Members whose weights add up to 0 are a data error."""
    data = {"team": ["n", "s", "s"], "profit": [5.0, 5.0, 5.0], "w": [1.0, 0.0, 0.0]}
    with pytest.raises(ksf.DataError, match="total weight of 0") as caught:
        pay_of(PER_TEAM, data)
    assert tuple(caught.value.rows) == (1, 2)
    assert caught.value.column == "w"


def test_negative_weight():
    """A negative weight is a data error naming the weight column and the row."""
    data = {"team": ["n", "n"], "profit": [5.0, 5.0], "w": [2.0, -1.0]}
    with pytest.raises(ksf.DataError, match="0 or more") as caught:
        pay_of(PER_TEAM, data)
    assert tuple(caught.value.rows) == (1,)
    assert caught.value.column == "w"


# --- properties -------------------------------------------------------------------------------

GROUPS = ("north", "south", "east")


@st.composite
def pool_cases(draw):
    """A pool spec, and members with a team, a weight and their team's profit."""
    threshold = draw(decimals(0, 200_000_000, 2))
    share = draw(decimals(0, 10_000, 4))
    cap = draw(st.none() | decimals(0, 100_000_000, 2))
    teams = draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=15))
    weights = draw(st.lists(decimals(0, 10_000, 2), min_size=len(teams), max_size=len(teams)))
    for team in set(teams):  # every team needs some weight
        first = teams.index(team)
        weights[first] = max(weights[first], Decimal("0.01"))
    profits = {team: draw(decimals(-100_000_000, 400_000_000, 2)) for team in GROUPS}
    return threshold, share, cap, teams, weights, profits


def evaluate_pool(threshold, share, cap, teams, weights, profits):
    """The engine's pool amounts for each member row."""
    cap_text = f"; cap {text_of(cap)}" if cap is not None else ""
    text = (
        f"pool p per team {{ profit above {text_of(threshold)} share {text_of(share)}; "
        f"split by w{cap_text} }}\ncard a {{ share p }}"
    )
    data = {
        "team": list(teams),
        "w": np.array([float(w) for w in weights]),
        "profit": np.array([float(profits[team]) for team in teams]),
    }
    return ksf.compile(text).evaluate(data, card="a")["p"]


def decimal_pool(threshold, share, cap, profit) -> Decimal:
    """max(0, profit − threshold) × share, capped, rounded half-up: exact decimals.

    A profit within one part in 10^9 of the threshold is on it (LANGUAGE.md 7): no pool.
    """
    if abs(profit - threshold) < Decimal("1e-9") * max(abs(profit), abs(threshold), 1):
        return Decimal(0).quantize(CENT)
    pool = max(profit - threshold, Decimal(0)) * share
    if cap is not None:
        pool = min(pool, cap)
    return half_up(pool)


@given(case=pool_cases())
def test_pool_conserves_cents_per_group(case):
    """Each team's members' amounts add up exactly to the team's rounded pool."""
    threshold, share, cap, teams, _, profits = case
    amounts = evaluate_pool(*case)
    for team in set(teams):
        members = [i for i, t in enumerate(teams) if t == team]
        paid = sum((cents(amounts[i]) for i in members), Decimal(0))
        assert paid == decimal_pool(threshold, share, cap, profits[team]), team


@given(case=pool_cases())
def test_pool_shares_are_within_a_cent_of_the_exact_share(case):
    """Every member gets its exact share rounded down, or one cent more."""
    threshold, share, cap, teams, weights, profits = case
    amounts = evaluate_pool(*case)
    for i, team in enumerate(teams):
        total = sum((w for w, t in zip(weights, teams, strict=True) if t == team), Decimal(0))
        pool = decimal_pool(threshold, share, cap, profits[team])
        exact = pool * weights[i] / total
        floor = exact.quantize(CENT, rounding=ROUND_DOWN)
        assert floor <= cents(amounts[i]) <= floor + CENT


@given(case=pool_cases())
def test_pool_never_pays_below_zero(case):
    """No member's part is negative, and a profit at or under the threshold pays nothing."""
    threshold, _, _, teams, _, profits = case
    amounts = evaluate_pool(*case)
    assert (amounts >= 0).all()
    for i, team in enumerate(teams):
        if profits[team] <= threshold:
            assert amounts[i] == 0


@given(
    units=st.integers(0, 10_000_000),
    members=st.integers(1, 9),
    weight=decimals(1, 1000, 1),
    others=st.lists(st.booleans(), max_size=10),
)
def test_pool_ties_go_to_the_earlier_row(units, members, weight, others):
    """Equal weights: the leftover cents go one each to the earliest members, in row order."""
    pool = Decimal(units) * CENT
    teams = ["tie"] * members + ["other" if o else "tie2" for o in others]
    order = np.random.default_rng(units).permutation(len(teams))  # interleave the groups
    teams = [teams[i] for i in order]
    weights = [weight] * len(teams)
    profits = {"tie": pool, "other": Decimal(0), "tie2": Decimal(0)}
    amounts = evaluate_pool(Decimal(0), Decimal(1), None, teams, weights, profits)
    paid = [cents(amounts[i]) for i, team in enumerate(teams) if team == "tie"]
    each, spare = divmod(units, members)
    assert paid == [(Decimal(each + (k < spare))) * CENT for k in range(members)]


# --- rounding units, groups and members in odd data -------------------------------------------

TEAM_POOL = "pool p per team { profit above 0 share 10% }\ncard m { share p }"


def test_pool_in_whole_yuan_splits_whole_yuan():
    """A pool of 100 split three ways in whole yuan: 34 / 33 / 33, the spare yuan first."""
    text = "rounding 1\npool p { profit above 0 share 100% }\ncard m { share p }"
    pay = pay_on_cards(text, {"x": [1.0, 1.0, 1.0]}, params={"profit": 100})
    assert pay["p"].tolist() == [34.0, 33.0, 33.0]


def test_pool_in_five_fen_units():
    """1 yuan is 20 units of 0.05: 7 / 7 / 6 units = 0.35 / 0.35 / 0.30."""
    text = "rounding 0.05\npool p { profit above 0 share 100% }\ncard m { share p }"
    pay = pay_on_cards(text, {"x": [1.0, 1.0, 1.0]}, params={"profit": 1})
    assert pay["p"].tolist() == [0.35, 0.35, 0.3]
    assert round(sum(pay["p"].tolist()), 9) == 1.0


@pytest.mark.parametrize(
    "team", [["x", None, None], [1.0, NAN, NAN]], ids=["empty text", "NaN number"]
)
def test_pool_member_without_a_group_is_a_data_error(team):
    """Members with no `per` value would form a pool of their own; they are reported."""
    with pytest.raises(ksf.DataError) as info:
        pay_on_cards(TEAM_POOL, {"team": team, "profit": [100.0, 100.0, 100.0]})
    assert (info.value.column, info.value.rows) == ("team", (1, 2))


def test_pool_groups_may_be_numbers():
    """team 1: 100 * 10% = 10 split 5 / 5; team 2: 300 * 10% = 30 to its one member."""
    pay = pay_on_cards(TEAM_POOL, {"team": [1, 1, 2], "profit": [100.0, 100.0, 300.0]})
    assert pay["p"].tolist() == [5.0, 5.0, 30.0]


def test_pool_with_no_members_in_the_data():
    """A pool no row shares pays nothing and is no error."""
    text = "pool p { profit above 0 share 10% }\ncard m { share p }\ncard o { base 1 }"
    pay = pay_on_cards(text, {"card": ["o", "o"]}, params={"profit": 100})
    assert pay.total.tolist() == [1.0, 1.0]


def test_pool_members_are_only_rows_whose_card_shares_it():
    """60,000 = (1,500,000 - 1,200,000) * 20% split equally over the 3 members, not row 2."""
    text = "pool p { profit above 1_200_000 share 20% }\ncard m { share p }\ncard o { base 1 }"
    pay = pay_on_cards(text, {"card": ["m", "m", "o", "m"]}, params={"profit": 1_500_000})
    assert pay["p"].tolist() == [20_000.0, 20_000.0, 0.0, 20_000.0]


def test_pandas_string_column_with_na_is_empty_not_a_group():
    """pd.NA in a pandas string column is an empty cell: a member without a pool group."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"team": pd.array(["x", None, "x"], dtype="string"), "profit": [100.0, 100.0, 100.0]}
    )
    with pytest.raises(ksf.DataError) as info:
        pay_on_cards(TEAM_POOL, frame)
    assert (info.value.column, info.value.rows) == ("team", (1,))


# --- numbers as a person computes them: thresholds, half cents and ties -----------------------


def test_a_pool_base_equal_to_its_threshold_up_to_noise_makes_no_pool():
    """`above`: a base within one part in 10^9 of the threshold is on it, so the pool is 0."""
    text = "pool p { profit above 1000000000 share 100% }\ncard a { share p }"
    # 1,000,000,000.4 differs from 1,000,000,000 by 0.4 < 10^9 × 10^-9 = 1: equal, pool 0
    pay = pay_of(text, {"x": [1.0]}, params={"profit": 1_000_000_000.4})
    assert pay["p"].tolist() == [0.0]
    # 1,000,002 is past it: 2 × 100% = 2.00
    pay = pay_of(text, {"x": [1.0]}, params={"profit": 1_000_000_002.0})
    assert pay["p"].tolist() == [2.0]


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


def test_pool_ties_of_decimal_weights_go_to_the_earlier_row():
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
