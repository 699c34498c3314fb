"""What `ksf.testing` draws for a card: which names it reads, and how to draw each one.

A `Plan` per name: a range, the step points of the balance rules reading it (`Grid`), or
a 0/1 flag. `ksf.testing` turns plans into hypothesis strategies, base rows and sweeps.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ksf import ir
from ksf.catalogue import io as say
from ksf.errors import UnknownCardError
from ksf.rulebook import Rulebook

DEFAULT_RANGE = (1.0, 1000.0)  # positive, so a name used as a divisor never divides by zero
MIN_REACH = 20  # steps either side of a balance point that data should cover
TIER_MARGIN = 10  # steps past the farthest `beyond` tier


@attrs.frozen
class Grid:
    """The step points of one balance rule: ``balance + k * step``."""

    balance: float
    step: float

    def point(self, k: int) -> float:
        """``k`` → ``balance + k * step``, computed in floats as a person's code would."""
        return self.balance + k * self.step


@attrs.frozen
class Plan:
    """How to draw one name's values: a range, step points to favour, or a 0/1 flag."""

    low: float
    high: float
    grids: tuple[Grid, ...] = ()
    flag: bool = False


# ---- what a card reads ------------------------------------------------------------------------


def card_named(program: ir.Program, card: str) -> ir.Card:
    """The card called ``card``; an `UnknownCardError` listing the file's cards if none."""
    found = program.card(card)
    if found is None:
        raise UnknownCardError.named(card, [c.name for c in program.cards])
    return found


def balance_rules(card: ir.Card) -> dict[int, ir.BalanceLine]:
    """The card's balance rules, by their position in the card."""
    return {i: line for i, line in enumerate(card.lines) if isinstance(line, ir.BalanceLine)}


def rules_reading(book: Rulebook, card: str, name: str) -> list[tuple[int, ir.BalanceLine]]:
    """The balance rules (with their positions in the card) whose value is the name itself."""
    rules = balance_rules(card_named(book.program, card))
    return [(i, line) for i, line in rules.items() if line.value == ir.Free(name)]


def read_nodes(card: ir.Card) -> list[ir.Expr]:
    """Every node of the expressions the card's lines read."""
    return [n for line in card.lines for e in ir.line_inputs(line) for n in ir.walk(e)]


def flag_names(card: ir.Card) -> set[str]:
    """Names used as a bare condition (``when flag``) or as a group's key: 0 or 1."""
    return {
        n.args[0].name
        for n in read_nodes(card)
        if isinstance(n, ir.Op) and n.op == "truth" and isinstance(n.args[0], ir.Free)
    } | {n.key for n in read_nodes(card) if isinstance(n, ir.Group) and n.key is not None}


def pool_names(book: Rulebook, card: str) -> set[str]:
    """What only the pools ``card`` shares read: not drawn (a pool's base is one value)."""
    own = {n.name for n in read_nodes(card_named(book.program, card)) if isinstance(n, ir.Free)}
    own |= flag_names(
        card_named(book.program, card)
    )  # a group key is drawn, though no Free reads it
    return set(book.names(card)) - own


def draw_plans(
    book: Rulebook,
    card: str,
    ranges: Mapping[str, tuple[float, float]] | None,
    exclude: Mapping[str, float] | None = None,
) -> dict[str, Plan]:
    """How to draw each name ``card`` reads from the data (minus ``exclude``)."""
    pooled = pool_names(book, card)
    names = [n for n in book.names(card) if n not in (exclude or {}) and n not in pooled]
    ranges = ranges or {}
    unknown = sorted(set(ranges) - set(names))
    if unknown:
        msg = say.RANGES_UNREAD(names=", ".join(unknown), card=repr(card))
        raise ValueError(msg)
    flags = flag_names(card_named(book.program, card))
    plans = {}
    for name in names:
        if name in flags:
            plans[name] = Plan(0.0, 1.0, flag=True)
            continue
        rules = [line for _, line in rules_reading(book, card, name)]
        plan = rule_plan(rules) if rules else Plan(*DEFAULT_RANGE)
        if name in ranges:
            plan = attrs.evolve(plan, low=float(ranges[name][0]), high=float(ranges[name][1]))
            if not plan.low <= plan.high:
                msg = say.EMPTY_RANGE(name=name, given=ranges[name])
                raise ValueError(msg)
        plans[name] = plan
    return plans


def rule_plan(rules: list[ir.BalanceLine]) -> Plan:
    """A range covering every rule's balance point, tiers and at least 20 steps either side."""
    lows, highs, grids = [], [], []
    for rule in rules:
        balance, step = rule.balance, rule.step
        if not (isinstance(balance, float) and isinstance(step, float)):
            continue  # a balance point or step read per row (§9) has no one grid to draw on
        tiers = [abs(b.at - balance) / step for b in rule.beyond]
        reach = max(float(MIN_REACH), max(tiers, default=0.0) + TIER_MARGIN) * step
        lows.append(balance - reach)
        highs.append(balance + reach)
        grids.append(Grid(balance, step))
    low, high = DEFAULT_RANGE
    return Plan(min(lows, default=low), max(highs, default=high), tuple(grids))
