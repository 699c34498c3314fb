"""What `ksf.testing` draws for a card: which names it reads, and how to draw each one.

A `Plan` per name: a range, the step points of the balance rules reading it (`Grid`), or
a 0/1 flag. `ksf.testing` turns plans into hypothesis strategies, base rows and sweeps.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ksf import ir, versions
from ksf.catalogue import io as say
from ksf.errors import UnknownCardError
from ksf.rulebook import Rulebook
from ksf.standard import standard_columns
from ksf.testing_clauses import DEFAULT_RANGE, Drawn, special_plans

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
    """How to draw one name's values: a range, step points to favour, a 0/1 flag, or choices.

    ``choices``: the only values drawn (a group's keys, a text key's texts, per-row balance
    points on a `beyond` rule's grid); ``same_over``: the value is one per group of these key
    columns (``()``: one for all rows), as a pool's facts are.
    """

    low: float
    high: float
    grids: tuple[Grid, ...] = ()
    flag: bool = False
    choices: tuple[float | str, ...] = ()
    same_over: tuple[str, ...] | None = None
    past: str | None = None  # choices are offsets from this column (a per-row `beyond` point)

    @property
    def text(self) -> bool:
        """Whether the values drawn are texts (a text key's names)."""
        return any(isinstance(c, str) for c in self.choices)


# ---- what a card reads ------------------------------------------------------------------------


def card_named(program: ir.Program, card: str) -> ir.Card:
    """The card called ``card``; an `UnknownCardError` listing the file's cards if none.

    A card with versions is refused (a `DataError`): test the rulebook of one period.
    """
    found = versions.one(program, card)
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
    """Names used as a bare condition (``when flag``): 0 or 1."""
    return {
        n.args[0].name
        for n in read_nodes(card)
        if isinstance(n, ir.Op) and n.op == "truth" and isinstance(n.args[0], ir.Free)
    }


def draw_plans(
    book: Rulebook,
    card: str,
    ranges: Mapping[str, tuple[float, float]] | None,
    exclude: Mapping[str, float] | None = None,
) -> dict[str, Plan]:
    """How to draw each name ``card`` reads from the data (minus ``exclude``)."""
    found = card_named(book.program, card)
    special = special_plans(book, found)
    texts = {name for name, drawn in special.items() if drawn.choices}  # `base by grade`
    names = sorted({*book.names(card), *texts} - set(exclude or {}))
    ranges = ranges or {}
    unknown = sorted(set(ranges) - set(names))
    if unknown:
        msg = say.RANGES_UNREAD(names=", ".join(unknown), card=repr(card))
        raise ValueError(msg)
    flags = flag_names(found)
    declared = (*book.program.percent_read, *book.program.columns)
    domains = {**standard_columns(), **{c.name: c for c in declared}}
    plans = {}
    for name in names:
        plan = _plan(book, card, name, special.get(name), name in flags)
        if name in domains and not plan.choices:
            plan = _inside(plan, domains[name])
        if name in ranges:
            if plan.text:
                shown = ", ".join(map(str, plan.choices))
                raise ValueError(say.TESTING_RANGE_ON_TEXT(name=name, texts=shown))
            low, high = (float(v) for v in ranges[name])
            plan = attrs.evolve(plan, low=low, high=high, choices=(), flag=False)
            if not plan.low <= plan.high:
                msg = say.EMPTY_RANGE(name=name, given=ranges[name])
                raise ValueError(msg)
        plans[name] = plan
    return plans


def _inside(plan: Plan, domain: ir.ColumnSpec) -> Plan:
    """The plan's range cut to the values the column may hold (``return_rate`` ≤ 100%)."""
    # An open bound is kept off by a hair of the range, as the domain check refuses it.
    hair = 1e-9 * max(1.0, abs(plan.high - plan.low))
    low = max(plan.low, domain.low + (hair if domain.low_open else 0.0))
    high = min(plan.high, domain.high - (hair if domain.high_open else 0.0))
    if low > high:  # the whole range is outside: draw at the nearer bound
        low = high = low if plan.high < low else high
    return attrs.evolve(plan, low=low, high=high)


def _plan(book: Rulebook, card: str, name: str, special: Drawn | None, flag: bool) -> Plan:
    """One name's plan: a key's or text's choices, a flag, a rule's value, or a clause's."""
    if special is not None and special.choices:
        return Plan(special.low, special.high, choices=special.choices, past=special.past)
    if flag:
        return Plan(0.0, 1.0, flag=True)
    rules = [line for _, line in rules_reading(book, card, name)]
    if rules:
        return rule_plan(rules, special_plans(book, card_named(book.program, card)))
    if special is not None:
        return Plan(special.low, special.high, same_over=special.same_over)
    return Plan(*DEFAULT_RANGE)


def rule_plan(rules: list[ir.BalanceLine], special: Mapping[str, Drawn] | None = None) -> Plan:
    """A range covering every rule's balance point, tiers and at least 20 steps either side.

    A balance point or step read per row (§9) is taken at the ends of the range it is drawn
    from (``special``): the value is drawn around every row's balance point.
    """
    lows, highs, grids = [], [], []
    for rule in rules:
        found = _rule_range(rule, special or {})
        if found is None:
            continue  # read through an expression: no one range to draw around
        low, high, step = found
        if isinstance(rule.balance, float) and isinstance(rule.step, float):
            grids.append(Grid(rule.balance, rule.step))
        points = [b.at for b in rule.beyond if isinstance(b.at, float)]  # or read per row
        reach = max(float(MIN_REACH), TIER_MARGIN + max(
            (abs(at - b) / step for at in points for b in (low, high)), default=0.0
        )) * step  # fmt: skip
        lows.append(low - reach)
        highs.append(high + reach)
    low, high = DEFAULT_RANGE
    return Plan(min(lows, default=low), max(highs, default=high), tuple(grids))


def _rule_range(
    rule: ir.BalanceLine, special: Mapping[str, Drawn]
) -> tuple[float, float, float] | None:
    """The lowest and highest balance point of a rule, and its widest step."""
    ends = []
    for value in (rule.balance, rule.step):
        if isinstance(value, float):
            ends.append((value, value))
            continue
        drawn = special.get(value.expr.name) if isinstance(value.expr, ir.Free) else None
        if drawn is None:
            return None
        numbers = [float(c) for c in drawn.choices] or [drawn.low, drawn.high]
        ends.append((min(numbers), max(numbers)))
    (low, high), (_, step) = ends
    return low, high, step
