"""Clause values read per row (LANGUAGE.md §9): a balance rule's balance, step, rates, pot,
floor and cap from a column, a param or an expression, with the checks a number gets at
compile time made on each row."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ksf
from ksf.dsl.format import format_rulebook
from ksf.dsl.parser import parse
from ksf.source import Source

CONTRACT = """
card operator {
  gross_margin balance target_gm step 1% reward 200      # each operator's own balance point
  store_sales balance (1.1 * last_year_sales) step 10000 reward 50
}
"""


def _pay(text: str, data: dict[str, object], **kwargs: object) -> ksf.Payroll:
    return ksf.compile(text).evaluate(data, card=kwargs.pop("card", "c"), **kwargs)  # type: ignore[arg-type]


def test_contract_example() -> None:
    """LANGUAGE.md §9: target 25% → +600, target 30% → -400 (penalty defaults to reward)."""
    data = {
        "target_gm": [0.25, 0.30],
        "gross_margin": [0.28, 0.28],
        "store_sales": [1_150_000, 1_000_000],
        "last_year_sales": [1_000_000, 1_000_000],
    }
    pay = ksf.compile(CONTRACT).evaluate(data, card="operator")
    # (28% - 25%) / 1% = 3 steps × 200 = 600; (28% - 30%) / 1% = -2 steps × 200 = -400
    assert pay["gross_margin"].tolist() == [600.0, -400.0]
    # balance 1.1 × 1,000,000 = 1,100,000: +50,000 is 5 steps × 50 = 250; -100,000 is -10 × 50
    assert pay["store_sales"].tolist() == [250.0, -500.0]
    assert pay.total.tolist() == [850.0, -900.0]


def test_explain_shows_the_rows_clause_values() -> None:
    """Explain prints each clause value read per row with the row's figure."""
    data = {
        "target_gm": [0.25],
        "gross_margin": [0.28],
        "store_sales": [1_150_000],
        "last_year_sales": [1_000_000],
    }
    text = ksf.compile(CONTRACT).evaluate(data, card="operator").explain(0)
    assert "balance target_gm = 0.25 (this row's)" in text
    assert "balance (1.1 * last_year_sales) = 1,100,000 (this row's)" in text
    assert "(0.28 − 0.25) / 0.01 = +3 steps → +3 whole steps" in text


@pytest.mark.parametrize(
    ("value", "balance", "step", "steps"),
    [
        (0.28, 0.25, 0.01, 3),  # (0.28 - 0.25) / 0.01 is 2.9999999999999996 in floats: 3 steps
        (0.33, 0.30, 0.01, 3),  # 3.0000000000000027: 3 steps
        (100_000.07, 100_000.0, 0.01, 7),  # 6.99999999930 in floats: 7 steps by hand
        (0.27, 0.30, 0.01, -3),  # 3 steps below
    ],
    ids=["28-vs-25", "33-vs-30", "large-balance", "below"],
)
def test_whole_steps_are_exact_per_row(
    value: float, balance: float, step: float, steps: int
) -> None:
    """Float noise never loses a step when the balance and the step come from columns."""
    text = "card c { v balance b step s reward 1 }"
    pay = _pay(text, {"v": [value], "b": [balance], "s": [step]})
    assert pay["v"].tolist() == [float(steps)]  # 1 per step


def test_every_balance_clause_per_row() -> None:
    """Pot, rates, floor and cap from columns; lower is better; a param as the step."""
    text = """card c {
      v pot p balance b step s reward r penalty q floor f cap k lower_is_better
    }"""
    data = {
        "v": [0.0, 10.0, 3.0],
        "b": [5.0, 5.0, 5.0],
        "r": [10.0, 10.0, 10.0],
        "q": [20.0, 20.0, 20.0],
        "p": [100.0, 100.0, 100.0],
        "f": [0.0, 50.0, 0.0],
        "k": [130.0, 1000.0, 1000.0],
    }
    pay = _pay(text, data, params={"s": 1.0})
    # row 0: 5 steps below a lower-is-better balance: 100 + 5 × 10 = 150, capped at 130
    # row 1: 5 steps above: 100 − 5 × 20 = 0, floored at 50
    # row 2: 2 steps below: 100 + 2 × 10 = 120
    assert pay["v"].tolist() == [130.0, 50.0, 120.0]


def test_prorated_per_row() -> None:
    """With `prorate`, each row's fraction of its own step pays."""
    pay = _pay(
        "card c { v balance b step s reward 100 prorate }", {"v": [1.5], "b": [1.0], "s": [2.0]}
    )
    assert pay["v"].tolist() == [25.0]  # (1.5 − 1) / 2 = 0.25 steps × 100


def test_prorated_steps_of_a_difference_of_millions_per_row_step() -> None:
    """A prorated count within its float error of a whole step of its row's step is whole."""
    text = "card c { a - b pot 127.43 balance p step s reward 399.31 prorate as v }"
    data = {
        "a": [9_664_398.9283, 9_664_398.9282, 9_664_398.9283],
        "b": [9_664_398.2] * 3,
        "p": [0.729] * 3,
        "s": [0.0001, 0.0002, 0.0007],
    }
    # 0.7283 − 0.729 = −0.0007: −7 steps of 0.0001 (−6.99998528 in floats); 0.7282 − 0.729 =
    # −0.0008: −4 steps of 0.0002; −1 step of 0.0007. −7 × 399.31 + 127.43 = −2,667.74;
    # −4 × 399.31 + 127.43 = −1,469.81; −399.31 + 127.43 = −271.88
    assert _pay(text, data)["v"].tolist() == [-2667.74, -1469.81, -271.88]


@pytest.mark.parametrize(
    ("clauses", "data", "message", "column", "rows"),
    [
        (
            "step s reward 1",
            {"s": [1.0, 0.0, -1.0]},
            "`step s` of line 'v' must be above 0",
            "s",
            (1, 2),
        ),
        (
            "step 1 reward (r * 2)",
            {"r": [1.0, -1.0, 1.0]},
            "`reward (r * 2)` of line 'v' must be 0 or more",
            "r",
            (1,),
        ),
        (
            "step 1 reward 1 penalty r",
            {"r": [1.0, 1.0, -2.0]},
            "`penalty r` of line 'v' must be 0 or more",
            "r",
            (2,),
        ),
        (
            "step 1 reward 1 floor f cap 10",
            {"f": [0.0, 11.0, 10.0]},
            "`floor f` of line 'v' is above the line's cap",
            "f",
            (1,),
        ),
        (
            "step 1 reward 1 floor 0 cap k",
            {"k": [-1.0, 0.0, 10.0]},
            "`cap k` of line 'v' is below the line's floor",
            "k",
            (0,),
        ),
    ],
    ids=["step", "reward", "penalty", "floor", "cap"],
)
def test_per_row_checks(
    clauses: str, data: dict[str, list[float]], message: str, column: str, rows: tuple[int, ...]
) -> None:
    """A row failing a clause's check is a DataError naming the clause, the column, the rows."""
    text = f"card c {{ v balance 0 {clauses} }}"
    with pytest.raises(ksf.DataError) as error:
        _pay(text, {"v": [1.0, 2.0, 3.0], **data})
    assert error.value.message == message
    assert (error.value.column, error.value.rows) == (column, rows)


def test_per_row_check_names_employees() -> None:
    """With an employee id column, the error lists the employees."""
    text = "card c { v balance 0 step s reward 1 }"
    data = {"employee": ["E1", "E2"], "v": [1.0, 1.0], "s": [0.5, 0.0]}
    with pytest.raises(ksf.DataError) as error:
        _pay(text, data)
    assert "employees: E2" in str(error.value)


def test_a_step_param_of_zero_refuses_every_row() -> None:
    """A param read as the step is checked too: every row of the card fails."""
    with pytest.raises(ksf.DataError) as error:
        _pay("card c { v balance 0 step s reward 1 }", {"v": [1.0, 2.0]}, params={"s": 0.0})
    assert (error.value.column, error.value.rows) == ("s", (0, 1))


@pytest.mark.parametrize("policy", ["", "missing as zero", "missing as balance"])
def test_missing_clause_value_is_always_an_error(policy: str) -> None:
    """A missing balance point is refused whatever the card's missing-value policy says."""
    text = f"card c {{ v balance b step 1 reward 1 {'; ' + policy if policy else ''} }}"
    with pytest.raises(ksf.DataError) as error:
        _pay(text, {"v": [1.0, 2.0], "b": [0.0, np.nan]})
    assert error.value.message == "missing value read by the `balance` of line 'v'"
    assert (error.value.column, error.value.rows) == ("b", (1,))


def test_missing_as_balance_uses_the_rows_balance() -> None:
    """`missing as balance` puts a missing value on the row's own balance point: the pot."""
    text = "card c { v pot 100 balance b step 1 reward 10; missing as balance }"
    pay = _pay(text, {"v": [np.nan, 7.0], "b": [3.0, 5.0]})
    assert pay["v"].tolist() == [100.0, 120.0]  # at the balance: 100; 2 steps up: 100 + 20


def test_commission_rate_cap_floor_per_row() -> None:
    """A commission's rate, cap and floor read per row; a floor above the cap is refused."""
    text = "card c { commission sales rate r cap k floor f }"
    data = {"sales": [100_000.0, 200_000.0, -5000.0], "r": [0.01, 0.02, 0.01]}
    bounds = {"k": [5000.0, 3000.0, 100.0], "f": [0.0, 0.0, -20.0]}
    pay = _pay(text, {**data, **bounds})
    # 100,000 × 1% = 1000; 200,000 × 2% = 4000 capped at 3000; −5000 × 1% = −50, floor −20
    assert pay["commission_sales"].tolist() == [1000.0, 3000.0, -20.0]
    assert "rate r = 2% (this row's)" in pay.explain(1)
    with pytest.raises(ksf.DataError) as error:
        _pay(text, {**data, **bounds, "f": [0.0, 4000.0, 0.0]})
    assert error.value.message == "`floor f` of line 'commission_sales' is above the line's cap"
    assert (error.value.column, error.value.rows) == ("f", (1,))


_PERCENTS = st.sampled_from(["0.5%", "1%", "0.75%", "3%", "12.5%"])


@given(
    rates=st.lists(st.tuples(_PERCENTS, st.integers(1, 20_000), _PERCENTS), min_size=1, max_size=3),
    sales=st.lists(st.integers(-10_000, 2_000_000), min_size=1, max_size=20),
    tiered=st.booleans(),
    retroactive=st.booleans(),
)
def test_commission_per_row_equals_literal(
    rates: list[tuple[str, int, str]], sales: list[int], tiered: bool, retroactive: bool
) -> None:
    """A commission's rate, and its tier's threshold and rate, read per row pay as the card
    with each row's values written (LANGUAGE.md §9)."""
    tier = (" beyond t rate r2" if tiered else "") + (" retroactive" if retroactive else "")
    picked = [rates[i % len(rates)] for i in range(len(sales))]
    data = {"sales": [s / 100 for s in sales], "r": [float(r[:-1]) / 100 for r, _, _ in picked]}
    data["t"] = [float(t) for _, t, _ in picked]
    data["r2"] = [float(r2[:-1]) / 100 for _, _, r2 in picked]
    got = _pay(f"card c {{ commission sales rate r{tier} floor 0 }}", data)["commission_sales"]
    for index, (rate, threshold, rate2) in enumerate(picked):
        one = {"sales": [data["sales"][index]]}
        written = tier.replace(" t ", f" {threshold} ").replace("r2", rate2)
        want = _pay(f"card c {{ commission sales rate {rate}{written} floor 0 }}", one)
        assert got[index] == want["commission_sales"][0], (written, one)


def test_fmt_round_trip() -> None:
    """`ksf fmt` keeps names bare and parenthesises expressions; the tree is unchanged."""
    text = "card c {\n  v balance (1.1 * ly) step s reward 1 penalty (-x)\n}\n"
    tree = parse(Source(text))
    out = format_rulebook(tree)
    assert out == text
    assert parse(Source(out)) == tree
    assert parse(Source(format_rulebook(tree, "zh"))) == tree


def test_check_data_knows_the_clause_columns() -> None:
    """The columns a clause reads are among the card's names (`ksf check --data`)."""
    book = ksf.compile(CONTRACT)
    assert {"target_gm", "last_year_sales"} <= set(book.names("operator"))


# ---- the property: per-row values pay as the literal card of each distinct value -------------

_DECIMALS = st.sampled_from(["0.01", "0.5", "1", "2.5", "10", "100", "1000"])
_POINTS = st.sampled_from(["-100", "0", "0.3", "25", "100000", "820000"])
_RATES = st.sampled_from(["0", "1", "15", "50", "200", "0.5"])


@st.composite
def _plans(draw: st.DrawFn) -> tuple[str, str, str, str, str, str | None, str | None]:
    floor = draw(st.one_of(st.none(), st.sampled_from(["-1500", "0", "-10"])))
    cap = draw(st.one_of(st.none(), st.sampled_from(["3000", "0", "100"])))
    if floor is not None and cap is not None and float(floor) > float(cap):
        floor, cap = cap, floor
    return (
        draw(_POINTS),
        draw(_DECIMALS),
        draw(_RATES),
        draw(_RATES),
        draw(st.sampled_from(["0", "1400", "33.3"])),
        floor,
        cap,
    )


@given(
    plans=st.lists(_plans(), min_size=1, max_size=3),
    picks=st.lists(st.tuples(st.integers(0, 2), st.integers(-300, 300)), min_size=1, max_size=30),
    prorate=st.booleans(),
    lower=st.booleans(),
    tiers=st.lists(st.tuples(st.integers(1, 40), _RATES), min_size=3, max_size=3),
)
def test_per_row_equals_literal_cards(
    plans: list[tuple[str, str, str, str, str, str | None, str | None]],
    picks: list[tuple[int, int]],
    prorate: bool,
    lower: bool,
    tiers: list[tuple[int, str]],
) -> None:
    """Per-row clause values give the payroll of the literal card for each row's values.

    A `beyond` point and amount read per row too (LANGUAGE.md §9): the point ``n`` steps
    past each plan's balance point on the good side, written in the literal card as the
    decimal it is.
    """
    flags = (" prorate" if prorate else "") + (" lower_is_better" if lower else "")
    clauses = "pot p balance b step s reward r penalty q beyond x reward a floor f cap k"
    per_row = f"card c {{ v {clauses}{flags} }}"
    rows = [(plans[i % len(plans)], k, i % len(plans)) for i, k in picks]
    points = [
        str(Decimal(p[0]) + (-1 if lower else 1) * n * Decimal(p[1]))
        for p, (n, _) in zip(plans, tiers, strict=False)
    ]
    data: dict[str, list[float]] = {name: [] for name in "vbsrqpfkxa"}
    for (balance, step, reward, penalty, pot, floor, cap), k, plan in rows:
        data["x"].append(float(points[plan]))
        data["a"].append(float(tiers[plan][1]))
        # a value k half-steps from the balance point, as a person would type it
        data["v"].append(float(balance) + k * float(step) / 2)
        for name, text in zip("bsrqp", (balance, step, reward, penalty, pot), strict=True):
            data[name].append(float(text))
        # no floor or cap: a billion either way, which these amounts never reach
        data["f"].append(float(floor) if floor is not None else -1e9)
        data["k"].append(float(cap) if cap is not None else 1e9)
    got = _pay(per_row, data)["v"]
    for index, ((balance, step, reward, penalty, pot, floor, cap), _, plan) in enumerate(rows):
        bounds = f" floor {floor or '-1_000_000_000'} cap {cap or '1_000_000_000'}"
        literal = (
            f"card c {{ v pot {pot} balance {balance} step {step} reward {reward} "
            f"penalty {penalty} beyond {points[plan]} reward {tiers[plan][1]}{bounds}{flags} }}"
        )
        want = _pay(literal, {"v": [data["v"][index]]})["v"]
        assert got[index] == want[0], (literal, data["v"][index])


def test_a_balance_column_on_a_percent_line_holds_fractions() -> None:
    """`balance target_gm step 1%`: a target of 10 or more (1000%) is points, refused, not paid."""
    data = {"employee": ["E1", "E2"], "gross_margin": [0.28, 0.28], "target_gm": [0.25, 125.0]}
    with pytest.raises(ksf.DataError) as error:
        _pay("card c { gross_margin balance target_gm step 1% reward 200 }", data)
    assert "a value of 10 or more means 1000% or more" in error.value.message
    assert (error.value.column, error.value.rows) == ("target_gm", (1,))


@given(
    points=st.lists(st.integers(20, 34), min_size=1, max_size=4),
    values=st.lists(st.integers(0, 600), min_size=1, max_size=20),
    lower=st.booleans(),
)
def test_beyond_tiers_per_row_equal_literal(
    points: list[int], values: list[int], lower: bool
) -> None:
    """Tiers placed on each row's balance point pay as the card with that balance written."""
    # lower is better: the reward tier sits below the balance (35% − k points, mirrored)
    flag, reward_at, penalty_at = ("lower_is_better", "15%", "55%") if lower else ("", "35%", "15%")
    tiers = f"beyond {reward_at} reward 300 beyond {penalty_at} penalty 150"
    points = [p if not lower else 50 - p for p in points]  # 16%..30% below 35%; mirrored
    picked = [points[i % len(points)] for i in range(len(values))]
    data = {"v": [v / 1000 for v in values], "t": [p / 100 for p in picked]}
    text = f"card c {{ v balance t step 1% reward 200 penalty 100 {tiers} {flag} }}"
    got = _pay(text, data)["v"]
    for index, point in enumerate(picked):
        literal = text.replace("balance t", f"balance {point}%")
        want = _pay(literal, {"v": [data["v"][index]]})["v"]
        assert got[index] == want[0], (literal, data["v"][index])


def test_beyond_on_the_wrong_side_for_some_rows() -> None:
    """A balance point past a reward tier puts the tier on the wrong side: those rows fail."""
    text = "card c { v balance t step 1% reward 200 beyond 35% reward 300 }"
    with pytest.raises(ksf.DataError) as error:
        _pay(text, {"v": [0.3, 0.3, 0.3], "t": [0.30, 0.36, 0.40]})
    assert error.value.message == (
        "`beyond 35% reward` of line 'v' is on the wrong side of the balance point `balance t`"
    )
    assert (error.value.column, error.value.rows) == ("t", (1, 2))


def test_a_balance_point_in_percentage_points_is_refused_on_its_rows():
    """target_gm 25 on a line written in percent is 2500%: refused, naming the row."""
    book = ksf.compile("card c { gross_margin balance target_gm step 1% reward 200 }")
    data = {"employee": ["E1", "E2"], "target_gm": [25, 0.25], "gross_margin": [0.28, 0.28]}
    with pytest.raises(ksf.DataError) as error:
        book.evaluate(data)
    assert (error.value.column, error.value.rows) == ("target_gm", (0,))
    # 1.5 (150%) is below the 10 (1000%) bound: an attainment-like point is paid as written
    data["target_gm"] = [0.25, 1.5]
    # E1: (0.28 − 0.25) / 1% = 3 × 200 = 600; E2: (0.28 − 1.5) / 1% = −122 × 200 = −24,400
    assert book.evaluate(data).total.tolist() == [600.0, -24400.0]


def test_a_money_commission_rate_above_one_is_refused_on_its_rows():
    """A rate column holding 1.5 for 1.5% would pay 150% of the revenue: refused."""
    book = ksf.compile("card c { commission revenue rate own_rate }")
    data = {"employee": ["E1", "E2"], "revenue": [100_000, 100_000], "own_rate": [1.5, 0.015]}
    with pytest.raises(ksf.DataError) as error:
        book.evaluate(data)
    assert (error.value.column, error.value.rows) == ("own_rate", (0,))
    # a rate per unit sold is not a share of money: 1.5 a unit × 100 units = 150
    per_unit = ksf.compile("card c { commission units_sold rate per_unit }")
    assert per_unit.evaluate({"units_sold": [100], "per_unit": [1.5]}).total.tolist() == [150.0]


# ---- a KPI's baseline, target and challenge read per row ----------------------------------

KPI_CARD = """
score s {
  sales weight 60% baseline 90% target goal challenge (goal + 10%)
  profit weight 40% baseline low target 100% challenge 110%
}
card c { bonus 10 * s }
"""


def test_kpi_points_per_row_hand_figures() -> None:
    """Each row's points come from its own target and challenge (hand arithmetic below)."""
    data = {
        "sales": [1.05, 0.95, 1.30, 0.80],
        "goal": [1.00, 1.10, 1.15, 1.00],
        "profit": [0.95, 1.00, 0.85, 0.90],
        "low": [0.90, 0.80, 0.80, 0.90],
    }
    pay = _pay(KPI_CARD, data)
    # row 0: sales 105% between target 100% and challenge 110% → 100 + 20 × 5/10 = 110;
    #        profit 95% between baseline 90% and target 100% → 60 + 40 × 5/10 = 80;
    #        s = 0.6 × 110 + 0.4 × 80 = 98 → bonus 980
    # row 1: sales 95% between 90% and target 110% → 60 + 40 × 5/20 = 70; profit 100% → 100;
    #        s = 42 + 40 = 82 → 820
    # row 2: sales 130% past challenge 125% → 120; profit 85% from baseline 80% → 60 + 40 ×
    #        5/20 = 70; s = 72 + 28 = 100 → 1000
    # row 3: sales 80% below baseline 90% → 0; profit 90% at baseline 90% → 60; s = 24 → 240
    assert pay["bonus"].tolist() == [980.0, 820.0, 1000.0, 240.0]


def test_kpi_points_explain_both_languages() -> None:
    """Explain shows each point read per row under its KPI, in English and in Chinese."""
    data = {"sales": [1.05], "goal": [1.0], "profit": [0.95], "low": [0.9]}
    pay = _pay(KPI_CARD, data)
    english = pay.explain(0)
    assert "s: sales = 1.05 → 110 points × 60%" in english
    assert "target goal = 1 (this row's)" in english
    assert "challenge (goal + 10%) = 1.1 (this row's)" in english
    assert "baseline low = 0.9 (this row's)" in english
    assert "底线 low = 0.9（本行的值）" in pay.explain(0, lang="zh")


@pytest.mark.parametrize(
    ("data", "message", "column", "rows"),
    [
        (
            {"goal": [1.0, 0.85, 1.2], "low": [0.9, 0.9, 0.9]},
            "`target goal` of KPI `sales` of score `s` puts baseline, target and challenge "
            "out of order: they must increase",
            "goal",
            (1,),  # target 85% below the baseline 90%
        ),
        (
            {"goal": [1.0, 1.0, 1.0], "low": [0.9, 1.0, 1.2]},
            "`baseline low` of KPI `profit` of score `s` puts baseline, target and challenge "
            "out of order: they must increase",
            "low",
            (1, 2),  # baseline 100% at the target, 120% past it
        ),
        (
            {"goal": [1.0, np.nan, 1.0], "low": [0.9, 0.9, 0.9]},
            "missing value read by the `target` of KPI `sales` of score `s`",
            "goal",
            (1,),
        ),
    ],
    ids=["target-below-baseline", "baseline-not-below-target", "missing"],
)
def test_kpi_points_out_of_order_per_row(
    data: dict[str, list[float]], message: str, column: str, rows: tuple[int, ...]
) -> None:
    """Points out of order, or missing, on some rows: a DataError naming clause, column, rows."""
    with pytest.raises(ksf.DataError) as error:
        _pay(KPI_CARD, {"sales": [1.0] * 3, "profit": [1.0] * 3, **data})
    assert error.value.message == message
    assert (error.value.column, error.value.rows) == (column, rows)


def test_kpi_points_lower_is_better_per_row() -> None:
    """A lower-is-better KPI's points per row must decrease; they are paid as the literal."""
    text = "score s { cost weight 100% baseline b target 100 challenge 80 lower_is_better }\n"
    text += "card c { bonus s }"
    # cost 90 between target 100 and challenge 80 → 100 + 20 × 10/20 = 110 points;
    # cost 115 between baseline 120 and target 100 → 60 + 40 × 5/20 = 70 points
    pay = _pay(text, {"cost": [90.0, 115.0], "b": [120.0, 120.0]})
    assert pay["bonus"].tolist() == [110.0, 70.0]
    with pytest.raises(ksf.DataError, match="they must decrease"):
        _pay(text, {"cost": [90.0], "b": [95.0]})


def test_kpi_per_row_checked_file_has_no_spurious_errors() -> None:
    """A KPI with a point read per row compiles; literal points still get their order checked."""
    ksf.compile("score s { a weight 100% baseline 90% target t challenge 110% }")
    with pytest.raises(ksf.KsfCompileError, match="must be in order"):
        ksf.compile("score s { a weight 100% baseline 90% target 80% challenge 110% }")


def test_kpi_fmt_round_trip() -> None:
    """`ksf fmt` keeps a KPI's per-row points as written, in both spellings."""
    text = "score s {\n  sales weight 100% baseline low target goal challenge (goal + 10%)\n}\n"
    tree = parse(Source(text))
    assert format_rulebook(tree) == text
    assert parse(Source(format_rulebook(tree, "zh"))) == tree


_KPI_POINTS = st.sampled_from(
    [("80%", "100%", "120%"), ("90%", "100%", "110%"), ("0.5", "0.75", "1"), ("95%", "97%", "99%")]
)


@given(
    plans=st.lists(_KPI_POINTS, min_size=1, max_size=3),
    values=st.lists(st.integers(0, 260), min_size=1, max_size=25),
    lower=st.booleans(),
)
def test_kpi_per_row_equals_literal_cards(
    plans: list[tuple[str, str, str]], values: list[int], lower: bool
) -> None:
    """Per-row KPI points give the payroll of the literal card for each distinct value's rows."""
    flag = " lower_is_better" if lower else ""
    rows = [(plans[i % len(plans)], v / 200) for i, v in enumerate(values)]
    if lower:  # a lower-is-better KPI's points decrease
        rows = [((c, t, b), v) for (b, t, c), v in rows]

    def number(text: str) -> float:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)

    data = {
        "v": [v for _, v in rows],
        **{k: [number(p[i]) for p, _ in rows] for i, k in enumerate(("lo", "mid", "hi"))},
    }
    card = "card c {{ bonus 1000 * s / 100 }}"
    per_row = f"score s {{ v weight 100% baseline lo target mid challenge hi{flag} }}\n"
    got = _pay(per_row + card.format(), data)["bonus"]
    for points in {p for p, _ in rows}:
        picked = [i for i, (p, _) in enumerate(rows) if p == points]
        literal = "score s {{ v weight 100% baseline {} target {} challenge {}{} }}\n"
        want = _pay(
            literal.format(*points, flag) + card.format(), {"v": [data["v"][i] for i in picked]}
        )
        assert got[picked].tolist() == want["bonus"].tolist(), points


def test_kpi_point_column_in_percentage_points_is_refused() -> None:
    """A KPI written in percent reads its per-row points as fractions: 100 (10000%) is refused."""
    text = "score s { a weight 100% baseline 90% target mid challenge hi }\ncard c { bonus s }"
    data = {"employee": ["E1", "E2"], "a": [1.05, 1.05], "mid": [1.0, 100.0], "hi": [1.1, 110.0]}
    with pytest.raises(ksf.DataError) as error:
        _pay(text, data)
    assert (error.value.column, error.value.rows) == ("mid", (1,))
    # with no point written in %, the columns are points of a plan: E2's 1.05 is below its
    # baseline 90 → 0; E1's 1.05 between target 1 and challenge 1.1 → 100 + 20 × 0.05/0.1 = 110
    plain = text.replace("baseline 90%", "baseline lo")
    pay = _pay(plain, {**data, "lo": [0.9, 90.0]})
    assert pay["bonus"].tolist() == [110.0, 0.0]


def test_check_data_knows_the_kpi_point_columns() -> None:
    """The columns a KPI's points read are among the card's names (`ksf check --data`)."""
    assert {"goal", "low"} <= set(ksf.compile(KPI_CARD).names("c"))


def test_kpi_points_per_row_on_a_value_that_cancels_digits() -> None:
    """A KPI of sales − refunds at its per-row baseline up to float noise earns the baseline."""
    text = "score s { (a - b) weight 100% baseline lo target 2 challenge 3 }\ncard c { bonus s }"
    # 8,715,926.29 − 8,715,925.4 = 0.89 by hand (0.8899999997 in floats): at the baseline → 60
    pay = _pay(text, {"a": [8_715_926.29], "b": [8_715_925.4], "lo": [0.89]})
    assert pay["bonus"].tolist() == [60.0]


# ---- a pool's above, share and cap read per row: one value per pool -----------------------

POOL = """
pool team_pool per team {
  profit above last_profit share team_share
  cap team_cap
}
card c { share team_pool }
"""
POOL_DATA: dict[str, list[object]] = {
    "employee": ["A", "B", "C"],
    "team": ["x", "x", "y"],
    "profit": [1_500_000.0, 1_500_000.0, 900_000.0],
    "last_profit": [1_200_000.0, 1_200_000.0, 800_000.0],
    "team_share": [0.2, 0.2, 0.1],
    "team_cap": [50_000.0, 50_000.0, 20_000.0],
}


def test_pool_clauses_per_row_hand_figures() -> None:
    """Each group's pool uses its own threshold, share and cap (hand arithmetic below)."""
    pay = _pay(POOL, POOL_DATA)
    # x: (1,500,000 − 1,200,000) × 20% = 60,000 → cap 50,000 → 25,000 each;
    # y: (900,000 − 800,000) × 10% = 10,000 (cap 20,000 not reached)
    assert pay["team_pool"].tolist() == [25_000.0, 25_000.0, 10_000.0]
    assert "max(0, 1,500,000 − 1,200,000) × 20% = 60,000" in pay.explain(0)
    assert "封顶 20,000：未触及" in pay.explain(2, lang="zh")


@pytest.mark.parametrize(
    ("column", "values", "message", "rows"),
    [
        (
            "last_profit",
            [1_200_000.0, 1_100_000.0, 800_000.0],
            "pool 'team_pool': its `above last_profit` must have one value per pool, "
            "but it varies in group 'x'",
            (0, 1),
        ),
        (
            "team_share",
            [0.2, 0.2, -0.1],
            "pool 'team_pool': its `share team_share` cannot be negative",
            (2,),
        ),
        (
            "team_cap",
            [50_000.0, np.nan, 1.0],
            "pool 'team_pool': its `cap team_cap` is missing",
            (1,),
        ),
    ],
    ids=["varies", "negative", "missing"],
)
def test_pool_clause_per_row_errors(
    column: str, values: list[float], message: str, rows: tuple[int, ...]
) -> None:
    """A pool clause read per row that varies in a group, is negative or missing is refused."""
    with pytest.raises(ksf.DataError) as error:
        _pay(POOL, {**POOL_DATA, column: values})
    assert error.value.message == message
    assert (error.value.column, error.value.rows) == (column, rows)


def test_pool_fmt_round_trip_and_names() -> None:
    """`ksf fmt` keeps a pool's clauses read per row; `ksf check --data` knows their columns."""
    tree = parse(Source(POOL.strip() + "\n"))
    assert parse(Source(format_rulebook(tree))) == tree
    assert parse(Source(format_rulebook(tree, "zh"))) == tree
    assert {"last_profit", "team_share", "team_cap"} <= set(ksf.compile(POOL).names("c"))


@given(
    teams=st.lists(
        st.tuples(
            st.integers(0, 3_000_000), st.integers(0, 3_000_000), st.sampled_from([0.1, 0.2, 0.35])
        ),
        min_size=1,
        max_size=4,
    ),
    members=st.lists(st.integers(0, 3), min_size=1, max_size=12),
)
def test_pool_per_row_equals_literal_pools(
    teams: list[tuple[int, int, float]], members: list[int]
) -> None:
    """A pool's clauses read per row pay each group as the literal pool with its values."""
    picked = [m % len(teams) for m in members]
    data = {
        "team": [float(t) for t in picked],
        "profit": [float(teams[t][0]) for t in picked],
        "last_profit": [float(teams[t][1]) for t in picked],
        "team_share": [teams[t][2] for t in picked],
    }
    text = "pool p per team {{ profit above {} share {} }}\ncard c {{ share p }}"
    got = _pay(text.format("last_profit", "team_share"), data)["p"]
    for team in set(picked):
        rows = [i for i, t in enumerate(picked) if t == team]
        one = {k: [v[i] for i in rows] for k, v in data.items() if k in ("team", "profit")}
        want = _pay(text.format(teams[team][1], teams[team][2]), one)["p"]
        assert got[rows].tolist() == want.tolist()
