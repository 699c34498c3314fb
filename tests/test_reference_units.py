"""The engine agrees with the Decimal reference in rounding units other than the cent.

`rounding 1`, `0.05`, `0.1` and `10`: every balance line is rounded half-up to a multiple
of the unit, the total is the sum of the rounded lines, and min_pay (a whole number of
units) tops it up.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st
from reference import steps, tiered
from strategies import Rule, cards, columns

import ksf

UNITS = [Decimal("1"), Decimal("0.05"), Decimal("0.1"), Decimal("10")]


def to_unit(amount: Decimal, unit: Decimal) -> Decimal:
    """Half-up (away from zero) to a multiple of ``unit``."""
    return (amount / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


def unrounded(rule: Rule, value: Decimal) -> Decimal:
    """The reference line amount of LANGUAGE.md 3.1 before rounding."""
    n = steps(rule, value)
    penalty = rule.reward if rule.penalty is None else rule.penalty
    paid = tiered(n, rule.reward, rule.good) if n > 0 else Decimal(0)
    if n < 0:
        paid = -tiered(-n, penalty, rule.bad)
    paid += rule.pot or 0
    if rule.floor is not None:
        paid = max(paid, rule.floor)
    if rule.cap is not None:
        paid = min(paid, rule.cap)
    return paid


def units(amounts, unit: Decimal) -> list[int]:
    """Float amounts as whole numbers of ``unit`` (each must be one, up to float noise)."""
    found = []
    for amount in amounts:
        count = Decimal(repr(float(amount))) / unit
        whole = count.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        assert abs(count - whole) < Decimal("1e-6"), (amount, unit)
        found.append(int(whole))
    return found


@given(card=cards(), unit=st.sampled_from(UNITS), data=st.data())
def test_engine_matches_reference_in_other_units(card, unit, data):
    """Every line and total equals the reference rounded to the unit, line by line."""
    if card.min_pay is not None:
        card = replace(card, min_pay=to_unit(card.min_pay, unit))
    frame = data.draw(columns(card))
    text = f"rounding {unit} half_up\n" + card.render()
    pay = ksf.compile(text).evaluate(frame, card="c")
    n = len(pay.total)
    expected_total = [to_unit(card.base or Decimal(0), unit)] * n
    for rule in card.rules:
        values = [Decimal(repr(float(v))) for v in frame[rule.name]]
        expected = [to_unit(unrounded(rule, v), unit) for v in values]
        assert units(pay[rule.name], unit) == [int(e / unit) for e in expected], rule.render()
        expected_total = [t + e for t, e in zip(expected_total, expected, strict=True)]
    if card.min_pay is not None:
        expected_total = [max(t, card.min_pay) for t in expected_total]
    assert units(pay.total, unit) == [int(t / unit) for t in expected_total]
