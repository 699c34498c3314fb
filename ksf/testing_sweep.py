"""Sweeping one input of a card: which inputs, which way pay should move, and where to look.

An input is any number the card reads: a data column (a raw column, a commission base, a
score KPI's value, a standard indicator given as a column) or an ``indicator`` the file
defines, swept in place of its definition. Its expected direction is the indicator's own
(the standard library's or the file's), else the one written on a balance rule or KPI that
reads it, else none: pay must then move one way only, whichever the card's moves favour.
Sweep values cluster where faults live: balance and step points, `beyond` tiers, table
thresholds, KPI points, commission tiers and the constants a `when` compares it with, each
with a hair either side. `ksf.testing` and `ksf.payout_lint` both sweep through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_never

import attrs
import numpy as np

from ksf import ir
from ksf._typing import AnyArray, FloatArray
from ksf.catalogue import properties as say
from ksf.message import Message
from ksf.rulebook import Rulebook, standard_library
from ksf.testing_plans import Plan, card_named, draw_plans, read_nodes

SWEEP_POINTS = 161  # evenly spaced points across an input's range
MAX_GRID = 201  # step points per balance rule
HAIR = 1e-7  # relative distance either side of an edge
COMPARISONS = frozenset({"lt", "le", "gt", "ge", "eq", "ne"})


@attrs.frozen
class Input:
    """One input of a card: its name, the way pay should move with it, and why.

    ``direction``: +1 pay must not fall as it rises, -1 must not rise, None either way but
    one way only. ``why``: where the direction comes from, e.g. ``the standard indicator``
    or ``rule `gm```; ``indicator``: a file indicator swept in place of its definition.
    """

    name: str
    direction: int | None
    why: Message | None = None
    indicator: bool = False


def sweepable_names(book: Rulebook, card: str, exclude: Mapping[str, float]) -> list[str]:
    """The numeric names the card reads (no flags, keys or texts), then its file indicators."""
    plans = draw_plans(book, card, None, exclude=exclude)
    found = card_named(book.program, card)
    # A pool's split weights are swept all rows at once (a pool's facts are one per group):
    # every member's weight equal, whatever its value, which says nothing.
    weights = {p.split_by for p in book.program.pools if p.name in found.pools()}
    # A balance point a per-row `beyond` point is placed past is not swept: the rule's
    # tiers must stay on their side of it, which a sweep of it alone would break.
    anchors = {p.past for p in plans.values() if p.past is not None}
    skip = weights | anchors | clause_only(found)
    names = [n for n, p in plans.items() if not p.flag and not p.choices and n not in skip]
    named = {
        n.name
        for n in read_nodes(found)
        if isinstance(n, ir.Named) and n.origin == "file" and _is_number(n)
    }
    return names + sorted(named - set(names))


def clause_only(card: ir.Card) -> set[str]:
    """Columns read only as clause values (a per-row target, tier, rate, cap, KPI point).

    They say how a rule pays, not how well someone did: they are not swept by default (a
    random per-row top rate below the tier before it makes pay fall as its tier rises).
    """
    clauses: set[str] = set()
    values: set[str] = set()
    for line in card.lines:
        read = {id(p.expr) for p in ir.per_row(line)}
        for expr in ir.line_inputs(line):
            names = {n.name for n in ir.walk(expr) if isinstance(n, ir.Free)}
            (clauses if id(expr) in read else values).update(names)
    for node in read_nodes(card):
        if isinstance(node, ir.ScoreValue):
            for kpi in node.score.kpis:
                clauses.update(_free(p.expr) for p in ir.kpi_per_row(kpi))
    return clauses - values - {""}


def _free(expr: ir.Expr) -> str:
    return expr.name if isinstance(expr, ir.Free) else ""


def _is_number(node: ir.Named) -> bool:
    """A file indicator that is a number to sweep (a score is swept through its KPIs)."""
    return not isinstance(node.expr, ir.ScoreValue)


def input_of(book: Rulebook, card: str, name: str) -> Input:
    """``name`` as an input of ``card``, with its expected direction (None if it has none)."""
    found = card_named(book.program, card)
    named = [n for n in read_nodes(found) if isinstance(n, ir.Named) and n.name == name]
    if named and named[0].origin == "file":
        why = say.SOURCE_INDICATOR(name=name)
        return Input(name, named[0].direction, why, indicator=True)
    library = standard_library().get(name)
    if library is not None and library.direction is not None:
        return Input(name, library.direction, say.SOURCE_STANDARD(name=name))
    for line in found.lines:
        if isinstance(line, ir.BalanceLine) and _is(line.value, name):  # a column: +1
            return Input(name, line.direction or 1, say.SOURCE_RULE(rule=line.name))
    return _commission_input(found, name) or _kpi_input(found, name)


def _commission_input(card: ir.Card, name: str) -> Input | None:
    """A commission on the name, or on its sum over a group: pay rises with its base."""
    for line in card.lines:
        if isinstance(line, ir.CommissionLine) and _pays_on(line, name):
            return Input(name, 1, say.SOURCE_COMMISSION(line=line.name))
    return None


def _kpi_input(found: ir.Card, name: str) -> Input:
    """A KPI on the name with a written direction, else no direction."""
    for node in read_nodes(found):
        if isinstance(node, ir.ScoreValue):
            for kpi in node.score.kpis:
                if _is(kpi.value, name) and kpi.direction:
                    return Input(name, kpi.direction, say.SOURCE_KPI(score=node.score.name))
    return Input(name, None)


def _is(expr: ir.Expr, name: str) -> bool:
    return (isinstance(expr, ir.Free) and expr.name == name) or (
        isinstance(expr, ir.Named) and expr.name == name
    )


def _pays_on(line: ir.CommissionLine, name: str) -> bool:
    """Whether a commission of rates never below 0 is on the name, or its sum over a group."""
    base = line.base
    if isinstance(base, ir.Group) and base.op == "sum" and base.expr is not None:
        base = base.expr
    return _is(base, name) and all(tier.rate >= 0 for tier in line.tiers)


# ---- a book where a file indicator is a column ----------------------------------------------


def as_column(book: Rulebook, name: str) -> Rulebook:
    """The book with the file indicator ``name`` read from a column of that name.

    The indicator keeps its unit and direction (a rule on it is still higher_is_better);
    only its definition is replaced, so a sweep can move it with everything else fixed.
    """
    return Rulebook(_swapped(book.program, name))


def _swapped(node: Any, name: str) -> Any:
    """``node`` with every file indicator ``name`` defined as the column ``name``."""
    if isinstance(node, ir.Named) and node.name == name and node.origin == "file":
        return attrs.evolve(node, expr=ir.Free(name))
    if isinstance(node, tuple):
        return tuple(_swapped(item, name) for item in node)
    if not attrs.has(type(node)) or not type(node).__module__.startswith("ksf.ir"):
        return node  # spans, sources and texts hold no expression
    changes = {
        a.alias: _swapped(getattr(node, a.name), name)
        for a in attrs.fields(type(node))
        if a.init and a.eq
    }
    return attrs.evolve(node, **changes)


# ---- where to look --------------------------------------------------------------------------


def edges(card: ir.Card, name: str) -> list[float]:
    """The values of ``name`` where the card's pay may jump: thresholds read off the card."""
    found: list[float] = []
    for node in read_nodes(card):
        match node:
            case ir.Op(op=op, args=(left, right)) if op in COMPARISONS:
                found.extend(_compared(left, right, name))
            case ir.Lookup(arg=arg) if _is(arg, name):
                found.extend(node.table.thresholds)
            case ir.MatrixLookup(args=args):
                for key, arg in enumerate(args):
                    if _is(arg, name) and not node.table.text_keys[key]:
                        found.extend(r[key].number for r in node.table.rows if r[key].op != "*")
            case ir.ScoreValue():
                for kpi in node.score.kpis:
                    if _is(kpi.value, name):
                        points = (kpi.baseline, kpi.target, kpi.challenge)
                        found.extend(p for p in points if isinstance(p, float))
            case _:
                pass
    for line in card.lines:
        found.extend(_line_edges(line, name))
    return found


def _compared(left: ir.Expr, right: ir.Expr, name: str) -> list[float]:
    if _is(left, name) and isinstance(right, ir.Const):
        return [right.value]
    if _is(right, name) and isinstance(left, ir.Const):
        return [left.value]
    return []


def _line_edges(line: ir.Line, name: str) -> list[float]:
    """A balance rule's point and tiers, a commission's tier thresholds, on ``name``."""
    match line:
        case ir.BalanceLine() if _is(line.value, name):
            points = [line.balance, *(b.at for b in line.beyond)]
            return [p for p in points if isinstance(p, float)]
        case ir.CommissionLine() if _is(line.base, name):
            return [t.at for t in line.tiers if np.isfinite(t.at)]
        case ir.BalanceLine() | ir.CommissionLine():
            return []
        case ir.FixedLine() | ir.ByLine() | ir.BonusLine() | ir.ShareLine():
            return []
        case _:
            assert_never(line)


def bounds(line: ir.Line) -> list[tuple[str, float]]:
    """A line's ``cap`` and ``floor`` written as numbers: ``[("cap", 3000.0), …]``."""
    match line:
        case ir.BalanceLine() | ir.CommissionLine():
            written = (("cap", line.cap), ("floor", line.floor))
            return [(clause, value) for clause, value in written if isinstance(value, float)]
        case ir.FixedLine() | ir.ByLine() | ir.BonusLine() | ir.ShareLine():
            return []
        case _:
            assert_never(line)


def sweep_values(plan: Plan, card: ir.Card, name: str, seen: FloatArray | None) -> FloatArray:
    """Sorted values of ``name``: its range, every step point and edge, a hair either side."""
    low, high = plan.low, plan.high
    known = seen[np.isfinite(seen)] if seen is not None else np.empty(0)
    if len(known):
        low, high = min(low, float(known.min())), max(high, float(known.max()))
    parts: list[AnyArray] = [np.linspace(low, high, SWEEP_POINTS)]
    if low >= 0 and high > 0:  # money and counts: dense near zero as well
        parts.append(np.geomspace(max(low, high * 1e-6), high, SWEEP_POINTS // 4))
    for grid in plan.grids:
        first = int(np.ceil((low - grid.balance) / grid.step))
        last = int(np.floor((high - grid.balance) / grid.step))
        if first <= last:
            count = min(last - first + 1, MAX_GRID)
            steps = np.unique(np.rint(np.linspace(first, last, count)).astype(np.int64))
            points = grid.balance + steps * grid.step  # and a hair below: a step's jump
            below = points - HAIR * np.maximum(np.abs(points), 1.0)
            parts.extend([points, below, grid.balance + (steps + 0.5) * grid.step])
    found = np.array(edges(card, name), dtype=np.float64)
    if len(found):
        hair = HAIR * np.maximum(np.abs(found), 1.0)
        parts.extend([found, found - hair, found + hair])
        low, high = min(low, float(found.min())), max(high, float(found.max()))
    values = np.unique(np.concatenate(parts).astype(np.float64))
    inside: FloatArray = values[(values >= low) & (values <= high)]
    if divides(card, name):  # at 0 the quotient is missing: the card's `missing` policy pays
        inside = inside[inside != 0]
    return inside


def divides(card: ir.Card, name: str) -> bool:
    """Whether the card divides by the name somewhere (``promo_sales / ad_spend``)."""
    return any(
        isinstance(node, ir.Op) and node.op == "div" and _is(node.args[1], name)
        for node in read_nodes(card)
    )


def commission_reach(card: ir.Card, name: str) -> float | None:
    """How far a name in a commission's base must go for the commission to dwarf the base.

    Ten times the largest fixed amount over the smallest rate: far enough for a cap or a
    clawback written on the card's subtotal to bind. None: no commission reads the name.
    """
    rates: list[float] = []
    fixed: list[float] = []
    for line in card.lines:
        match line:
            case ir.CommissionLine() if any(_is(n, name) for n in ir.walk(line.base)):
                rates.extend(abs(tier.rate) for tier in line.tiers if tier.rate)
            case ir.FixedLine() if isinstance(line.amount, ir.Const):
                fixed.append(line.amount.value)
            case ir.CommissionLine() | ir.FixedLine() | ir.BalanceLine() | ir.ByLine():
                pass
            case ir.BonusLine() | ir.ShareLine():
                pass
            case _:
                assert_never(line)
    return 10 * max(fixed, default=10_000.0) / min(rates) if rates else None
