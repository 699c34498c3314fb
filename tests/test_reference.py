"""Differential tests: the vectorised engine agrees to the cent with tests/reference.py.

The reference is first checked against the figures LANGUAGE.md 3.1 states, then compared
with ksf on random rules and data, including step points computed in noisy floats.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference import amount
from strategies import MAX_STEPS, Card, Rule, cards, columns, dec, rules

import ksf

D = Decimal
GM = Rule("gross_margin", D("0.30"), D("0.01"), D(200), D(100))
COMPLAINTS = Rule("complaint_rate", D("0.02"), D("0.001"), D(50), direction=-1)
STORE = Rule("store_sales", D(820000), D(5000), D(15), pot=D(1400), floor=D(0))


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        (GM, "0.33", "600"),
        (GM, "0.305", "0"),
        (GM, "0.295", "0"),
        (GM, "0.27", "-300"),
        (GM, "0.3399", "600"),
        (replace(GM, good=((5, D(300)),)), "0.37", "1600"),
        (COMPLAINTS, "0.017", "150"),
        (COMPLAINTS, "0.0225", "-100"),
        (STORE, "835000", "1445"),
        (STORE, "800000", "1340"),
        (STORE, "300000", "0"),
    ],
    ids=lambda x: x.name if isinstance(x, Rule) else str(x),
)
def test_reference_matches_the_language_figures(rule, value, expected):
    """The reference evaluator reproduces every figure of LANGUAGE.md 3.1."""
    assert amount(rule, D(value)) == D(expected)


def cents(amounts: np.ndarray) -> list[int]:
    """Float amounts as whole cents."""
    return np.rint(np.asarray(amounts) * 100).astype(np.int64).tolist()


def reference_cents(rule: Rule, column: np.ndarray) -> list[int]:
    """The reference amounts of ``rule`` for a float column, in whole cents."""
    return [int(amount(rule, D(repr(float(v)))) * 100) for v in column]


def reference_total(card: Card, frame: dict[str, np.ndarray], row: int) -> int:
    """A row's total in cents: base, every rule, then the min_pay top-up."""
    total = int((card.base or 0) * 100)
    total += sum(int(amount(r, D(repr(float(frame[r.name][row])))) * 100) for r in card.rules)
    if card.min_pay is not None:
        total = max(total, int(card.min_pay * 100))
    return total


@given(card=cards(), data=st.data())
def test_engine_matches_reference(card, data):
    """Every balance line and every total equals the Decimal reference, to the cent."""
    frame = data.draw(columns(card))
    pay = ksf.compile(card.render()).evaluate(frame, card="c")
    for rule in card.rules:
        assert cents(pay[rule.name]) == reference_cents(rule, frame[rule.name]), (
            rule.render(),
            frame[rule.name].tolist(),
        )
    n = len(pay.total)
    assert cents(pay.total) == [reference_total(card, frame, i) for i in range(n)]


@given(rule=rules(), ks=st.lists(st.integers(-MAX_STEPS, MAX_STEPS), min_size=1, max_size=20))
def test_engine_matches_reference_on_noisy_step_points(rule, ks):
    """Step points computed as ``balance + k*step`` in floats pay as the exact decimal point."""
    column = np.array([float(rule.balance) + k * rule.sign * float(rule.step) for k in ks])
    pay = ksf.compile(Card((rule,)).render()).evaluate({rule.name: column}, card="c")
    expected = [int(amount(rule, rule.point(k)) * 100) for k in ks]
    assert cents(pay[rule.name]) == expected, (rule.render(), column.tolist())


ODD_CENTS = st.integers(0, 25_000).map(lambda c: dec(2 * c + 1, 2))


@given(
    rule=rules(prorate=True),
    reward=ODD_CENTS,
    penalty=ODD_CENTS,
    ks=st.lists(st.integers(-MAX_STEPS, MAX_STEPS), min_size=1, max_size=20),
)
def test_half_cents_round_half_up(rule, reward, penalty, ks):
    """Prorated half steps at odd-cent rates land on half cents, rounded away from zero."""
    rule = replace(rule, reward=reward, penalty=penalty)
    points = [rule.point(Decimal(k) + Decimal("0.5")) for k in ks]
    column = np.array([float(p) for p in points])
    pay = ksf.compile(Card((rule,)).render()).evaluate({rule.name: column}, card="c")
    expected = [int(amount(rule, p) * 100) for p in points]
    assert cents(pay[rule.name]) == expected, (rule.render(), column.tolist())


@given(
    balance=st.integers(-(10**9), 10**9).map(lambda c: dec(c, 2)),
    step=st.sampled_from(["0.01", "0.05", "0.1", "0.25", "1"]).map(Decimal),
    direction=st.sampled_from([None, 1, -1]),
    tier=st.none() | st.integers(1, 50),
    prorate=st.booleans(),
    ks=st.lists(st.integers(-2_000, 2_000), min_size=1, max_size=20),
)
def test_steps_of_large_balances_match_the_reference(balance, step, direction, tier, prorate, ks):
    """Balances up to 10 million with cent-sized steps: every step point pays as written.

    LANGUAGE.md 3.1: the steps are those of the numbers as written, however large; a beyond
    point a whole number of steps away is accepted. The data holds each point as the float
    nearest its decimal, as an export would.
    """
    good = ((tier, D(7)),) if tier is not None else ()
    rule = Rule("x", balance, step, D(3), D(2), good=good, prorate=prorate, direction=direction)
    points = [rule.point(k) for k in ks]
    column = np.array([float(p) for p in points])
    pay = ksf.compile(Card((rule,)).render()).evaluate({"x": column}, card="c")
    expected = [int(amount(rule, p) * 100) for p in points]
    assert cents(pay["x"]) == expected, (rule.render(), column.tolist())
