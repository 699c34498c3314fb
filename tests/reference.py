"""A scalar reference evaluator for one KSF balance rule (LANGUAGE.md 3.1 and 7), in Decimal.

An oracle for differential tests only: one value at a time, exact decimal arithmetic, each
step of the language reference written out as plainly as possible. It never lives in ksf/.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from strategies import Rule

CENT = Decimal("0.01")
NINE_PLACES = Decimal("1e-9")


def steps(rule: Rule, value: Decimal) -> Decimal:
    """Distance from the balance point in steps, positive on the good side.

    Rounded to 9 decimal places first, then (without `prorate`) truncated toward zero.
    """
    delta = rule.sign * (value - rule.balance) / rule.step
    delta = delta.quantize(NINE_PLACES, rounding=ROUND_HALF_UP)
    if rule.prorate:
        return delta
    return delta.quantize(Decimal(1), rounding=ROUND_DOWN)


def tiered(count: Decimal, first_rate: Decimal, tiers: tuple[tuple[int, Decimal], ...]) -> Decimal:
    """What ``count`` >= 0 steps on one side pay: each step at the rate of its bracket.

    Brackets start at 0 (``first_rate``) and at each tier's start; like tax brackets, a
    step between two starts pays the rate of the lower one.
    """
    brackets = [(Decimal(0), first_rate)] + [(Decimal(at), rate) for at, rate in tiers]
    brackets.sort()
    total = Decimal(0)
    for i, (start, rate) in enumerate(brackets):
        end = brackets[i + 1][0] if i + 1 < len(brackets) else None
        top = count if end is None else min(count, end)
        if top > start:
            total += (top - start) * rate
    return total


def amount(rule: Rule, value: Decimal) -> Decimal:
    """The rule's line amount for one value, rounded half-up to the cent."""
    n = steps(rule, value)
    penalty = rule.reward if rule.penalty is None else rule.penalty
    if n > 0:
        paid = tiered(n, rule.reward, rule.good)
    elif n < 0:
        paid = -tiered(-n, penalty, rule.bad)
    else:
        paid = Decimal(0)
    if rule.pot is not None:
        paid += rule.pot
    if rule.floor is not None:
        paid = max(paid, rule.floor)
    if rule.cap is not None:
        paid = min(paid, rule.cap)
    return paid.quantize(CENT, rounding=ROUND_HALF_UP)
