"""Hypothesis properties of evaluated balance-rule cards (STYLE.md principle 14 (d)).

Random cards of one to three balance rules (with tiers, pots, caps, floors, prorating and
either direction, plus an optional base and min_pay) over random data, drawn from
tests/strategies.py. Profiles ("dev", "ci") are registered in conftest.py.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from strategies import MAX_STEPS, Card, cards, columns, floats, rules, values

import ksf


def evaluate(card: Card, data: dict[str, np.ndarray]) -> ksf.Payroll:
    """Compile ``card`` and evaluate ``data`` on it."""
    return ksf.compile(card.render()).evaluate(data, card="c")


def whole_sum(pay: ksf.Payroll) -> np.ndarray:
    """The lines added in card order, as the payroll adds them."""
    total = np.zeros(len(pay.total))
    for line in pay.lines:
        total = total + pay[line]
    return total


@given(card=cards(), data=st.data())
def test_pay_is_monotone_in_each_indicator(card, data):
    """Pay never falls as a higher-is-better value rises, nor rises with a lower-is-better one."""
    rule = data.draw(st.sampled_from(card.rules), label="rule")
    sweep = sorted(data.draw(st.lists(values(rule), min_size=2, max_size=40), label="sweep"))
    base = data.draw(columns(card, min_rows=1, max_rows=1), label="base row")
    rows = {name: np.repeat(column, len(sweep)) for name, column in base.items()}
    rows[rule.name] = floats(sweep)
    pay = evaluate(card, rows)
    for amounts in (pay[rule.name], pay.total):
        # Compared in cents: a total is a float sum of cent amounts, exact only to the cent.
        change = np.diff(np.rint(amounts * 100)) * rule.sign
        wrong = np.flatnonzero(change < 0)
        assert not wrong.size, (
            f"{rule.render()}: {sweep[wrong[0]]} pays {amounts[wrong[0]]}, "
            f"{sweep[wrong[0] + 1]} pays {amounts[wrong[0] + 1]}"
        )


@given(card=cards(), data=st.data())
def test_cap_and_floor_bound_every_line(card, data):
    """Every balance line lies within its floor and cap."""
    pay = evaluate(card, data.draw(columns(card)))
    for rule in card.rules:
        if rule.floor is not None:
            assert (pay[rule.name] >= float(rule.floor)).all()
        if rule.cap is not None:
            assert (pay[rule.name] <= float(rule.cap)).all()


@given(card=cards(), data=st.data())
def test_lines_add_up_to_the_total(card, data):
    """The total is the sum of the lines in cents, stored as the float nearest that decimal."""
    pay = evaluate(card, data.draw(columns(card)))
    np.testing.assert_allclose(pay.total, whole_sum(pay), rtol=0, atol=1e-6)
    np.testing.assert_array_equal(pay.total, np.rint(pay.total * 100) / 100)
    cents = sum(np.rint(pay[line] * 100).astype(np.int64) for line in pay.lines)
    np.testing.assert_array_equal(np.rint(pay.total * 100).astype(np.int64), cents)


@given(card=cards(), data=st.data())
def test_permuting_rows_permutes_results(card, data):
    """Shuffling the input rows shuffles every line and the total the same way."""
    frame = data.draw(columns(card, min_rows=2))
    n = len(next(iter(frame.values())))
    order = np.array(data.draw(st.permutations(range(n)), label="order"))
    pay = evaluate(card, frame)
    shuffled = evaluate(card, {name: column[order] for name, column in frame.items()})
    np.testing.assert_array_equal(shuffled.total, pay.total[order])
    for line in pay.lines:
        np.testing.assert_array_equal(shuffled[line], pay[line][order])


@given(card=cards(), data=st.data())
def test_evaluation_is_deterministic(card, data):
    """The same data twice, or on a fresh compile, gives bit-identical arrays."""
    frame = data.draw(columns(card))
    book = ksf.compile(card.render())
    runs = [
        book.evaluate(frame, card="c"),
        book.evaluate({k: v.copy() for k, v in frame.items()}, card="c"),
        evaluate(card, frame),
    ]
    first = runs[0]
    for again in runs[1:]:
        assert again.lines == first.lines
        assert again.total.tobytes() == first.total.tobytes()
        for line in first.lines:
            assert again[line].tobytes() == first[line].tobytes()


@given(card=cards(), data=st.data())
def test_every_amount_is_whole_cents(card, data):
    """Every line amount and total is a whole number of cents."""
    pay = evaluate(card, data.draw(columns(card)))
    for amounts in [pay.total, *(pay[line] for line in pay.lines)]:
        cents = amounts * 100
        assert np.all(np.abs(cents - np.rint(cents)) <= 1e-6), amounts


@given(
    rule=rules(beyond=False, clip=False, pot=False),
    k=st.integers(-MAX_STEPS, MAX_STEPS),
    ulps=st.integers(-2, 2),
)
def test_float_noise_never_loses_a_step(rule, k, ulps):
    """``balance + k*step`` computed in floats (give or take 2 ulps) pays exactly k steps."""
    value = float(rule.balance) + k * float(rule.step)
    for _ in range(abs(ulps)):
        value = float(np.nextafter(value, np.inf if ulps > 0 else -np.inf))
    pay = evaluate(Card((rule,)), {rule.name: np.array([value])})
    n = rule.sign * k
    penalty = rule.reward if rule.penalty is None else rule.penalty
    expected = n * (rule.reward if n > 0 else penalty)
    assert pay[rule.name][0] == float(Decimal(expected)), (rule.render(), value)
