"""The rows ``ksf lint --payout`` draws for a card it has no data for: near the card's points.

`ksf.testing` draws a column nothing is known about from 1 to 1,000, which suits a property
that must hold everywhere; but a lint judges cliffs, binding caps and dead zones against a
typical payroll, and rows whose margin is −900% are no one's. So each input is drawn where
the card's own points put it: a column a rule, a table or a ``when`` reads, over the range
its sweep covers (its balance point ±20 steps and its tiers, its thresholds padded, a
commission's tiers); and a file indicator computed from raw columns — which the lint never
draws directly — by drawing many candidate rows and keeping those whose indicator lands in
that range (the nearest ones when too few do). Indicators that share a column are kept
together. `Basis` says how many rows the findings rest on and, when drawn, each range.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np

from ksf import ir
from ksf._typing import AnyArray, FloatArray, IntArray
from ksf.bind import Schema, bind
from ksf.catalogue import properties as say
from ksf.codegen import compile_exprs
from ksf.columns import from_data
from ksf.errors import DataError, KsfCompileError
from ksf.frame import run_code
from ksf.message import Message
from ksf.rulebook import Rulebook
from ksf.standard import standard_library
from ksf.testing_clauses import DEFAULT_RANGE, special_plans
from ksf.testing_monotone import SEED, drawn_bases, widened
from ksf.testing_plans import Plan, card_named, draw_plans, read_nodes, rule_plan
from ksf.testing_sweep import as_column, edges

POOL = 200  # candidate rows drawn per row kept


@attrs.frozen
class Range:
    """The range one input was drawn in; ``percent`` shows it as a percentage."""

    name: str
    low: float
    high: float
    percent: bool = False

    def text(self) -> str:
        """``sales_margin 5% to 45%``, ``perf_score 42 to 108``."""
        if self.percent:
            return f"{self.name} {self.low * 100:.6g}%–{self.high * 100:.6g}%"
        return f"{self.name} {_number(self.low)}–{_number(self.high)}"


def _number(value: float) -> str:
    """``2,400,000``, ``0.5``: thousands separated, six digits at most."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.6g}"


@attrs.frozen
class Basis:
    """The rows a card's findings rest on: how many, the data's or drawn, and the ranges."""

    card: str
    count: int
    ranges: tuple[Range, ...] | None = None  # None: the data's rows

    def message(self) -> Message:
        """The line of the report under the card's name."""
        if self.ranges is None:
            return say.LINT_ROWS_DATA(count=self.count)
        shown = ", ".join(r.text() for r in self.ranges)
        return say.LINT_ROWS_DRAWN(count=self.count, ranges=shown)


@attrs.frozen
class _Target:
    """A file indicator computed from raw columns, and the range to draw it in."""

    named: ir.Named
    columns: frozenset[str]
    low: float
    high: float


def drawn_rows(
    book: Rulebook, card: str, samples: int, params: Mapping[str, float]
) -> tuple[dict[str, AnyArray], Basis]:
    """``samples`` reproducible rows for ``card`` near its own points, and their `Basis`."""
    plans = {n: _near(book, card, n, p) for n, p in draw_plans(book, card, None, params).items()}
    targets = _targets(book, card, plans, params)
    pool = drawn_bases(plans, samples * POOL)
    rows = {name: column[:samples] for name, column in pool.items()}
    for k, group in enumerate(_groups(targets)):
        _spread(pool, plans, group, k)
        keep = _kept(book, pool, group, params, samples)
        for column in frozenset().union(*(t.columns for t in group)):
            rows[column] = pool[column][keep]
    inside = frozenset().union(*(t.columns for t in targets))
    library = standard_library()
    ranges = [Range(t.named.name, t.low, t.high, t.named.unit == "percent") for t in targets]
    ranges += [
        Range(name, plan.low, plan.high, _unit(library.get(name)) == "percent")
        for name, plan in sorted(plans.items())
        if name not in inside and not plan.flag and not plan.choices
    ]
    return rows, Basis(card, samples, tuple(ranges))


def _unit(named: ir.Named | None) -> str | None:
    return None if named is None else named.unit


def _near(book: Rulebook, card: str, name: str, plan: Plan) -> Plan:
    """A column's range near the card's points.

    A balance rule's, from 0 up when every balance point is above 0 (a loss, a count or a
    sales figure is not negative); one nothing is drawn around yet, the range its sweep
    covers (its thresholds), ±1,000 around a threshold of 0 (``when saving > 0``).
    """
    if plan.grids:
        return _from_zero(plan)
    if plan.flag or plan.choices or (plan.low, plan.high) != DEFAULT_RANGE:
        return plan
    if set(edges(card_named(book.program, card), name)) == {0.0}:
        return attrs.evolve(plan, low=-DEFAULT_RANGE[1], high=DEFAULT_RANGE[1])
    return widened(plan, book, card, name, {})


def _targets(
    book: Rulebook, card: str, plans: Mapping[str, Plan], params: Mapping[str, float]
) -> list[_Target]:
    """The card's file indicators computed from plain drawn columns, each with its range.

    One reading a group aggregate, a pool's facts or a per-row point is left as drawn: its
    rows cannot be picked one by one.
    """
    found: dict[str, _Target] = {}
    for node in read_nodes(card_named(book.program, card)):
        if not isinstance(node, ir.Named) or node.origin != "file" or node.name in found:
            continue
        inner = ir.walk(node.expr)
        columns = frozenset(n.name for n in inner if isinstance(n, ir.Free)) - set(params)
        plain = all(
            c in plans and plans[c].same_over is None and not plans[c].choices for c in columns
        )
        grouped = any(isinstance(n, ir.Group | ir.ScoreValue) for n in inner)
        if not columns or not plain or grouped:
            continue
        plan = _target_plan(book, card, node.name, params)
        if plan is not None:
            found[node.name] = _Target(node, columns, plan.low, plan.high)
    return list(found.values())


def _from_zero(plan: Plan) -> Plan:
    """A balance rule's range from 0 up when every balance point is above 0."""
    if plan.grids and all(g.balance > 0 for g in plan.grids):
        return attrs.evolve(plan, low=max(plan.low, 0.0))
    return plan


def _target_plan(book: Rulebook, card: str, name: str, params: Mapping[str, float]) -> Plan | None:
    """The range a file indicator is drawn in: its balance rules', else its sweep's."""
    lines = card_named(book.program, card).lines
    rules = [
        line
        for line in lines
        if isinstance(line, ir.BalanceLine)
        and isinstance(line.value, ir.Named)
        and line.value.name == name
    ]
    if rules:
        return _from_zero(rule_plan(rules, special_plans(book, card_named(book.program, card))))
    averaged = _averaged_edges(card_named(book.program, card), name)
    if averaged:  # `team_coef(mean(attainment over team))`: the mean is what the table reads
        low, high = min(averaged), max(averaged)
        pad = max((high - low) / 2, abs(high) / 5)
        return Plan(low - pad, high + pad)
    swept = as_column(book, name)
    plan = draw_plans(swept, card, None, params).get(name)
    if plan is None or plan.flag or plan.choices:
        return None
    return widened(plan, swept, card, name, {})


def _averaged_edges(card: ir.Card, name: str) -> list[float]:
    """The thresholds of tables that read the mean, least or most of ``name`` over a group."""
    return [
        threshold
        for node in read_nodes(card)
        if isinstance(node, ir.Lookup)
        and isinstance(node.arg, ir.Group)
        and node.arg.op in ("mean", "min", "max")
        and isinstance(node.arg.expr, ir.Named | ir.Free)
        and node.arg.expr.name == name
        for threshold in node.table.thresholds
    ]


def _groups(targets: list[_Target]) -> list[list[_Target]]:
    """Targets joined when they share a column: their rows are picked together."""
    groups: list[list[_Target]] = []
    for target in targets:
        joined = [g for g in groups if any(t.columns & target.columns for t in g)]
        merged = [target, *(t for g in joined for t in g)]
        groups = [g for g in groups if g not in joined] + [merged]
    return groups


def _spread(
    pool: dict[str, AnyArray], plans: Mapping[str, Plan], group: list[_Target], seed: int
) -> None:
    """The group's raw columns redrawn log-uniformly over the narrowest of their ranges.

    ``revenue / sales_target`` from a commission's revenue (up to millions) and a target
    of 1 to 1,000 would seldom land near 100%; drawn over the same decades, ratios of every
    size come up, and `_kept` keeps those in range. (The narrowest: a commission's reach
    is where its sweep goes, not what a month's rows hold.)
    """
    columns = sorted(frozenset().union(*(t.columns for t in group)))
    free = [c for c in columns if not plans[c].grids and not plans[c].flag]
    if not free:
        return
    low = max(1.0, min(plans[c].low for c in free))
    high = max(low * 10, min(plans[c].high for c in free))
    rng = np.random.default_rng(SEED + seed)
    count = len(pool[free[0]])
    for column in free:
        pool[column] = np.exp(rng.uniform(np.log(low), np.log(high), count))


def _kept(
    book: Rulebook,
    pool: Mapping[str, AnyArray],
    group: list[_Target],
    params: Mapping[str, float],
    samples: int,
) -> IntArray:
    """The candidate rows whose indicators all land in their ranges, nearest first."""
    count = len(next(iter(pool.values())))
    off = np.zeros(count)
    for target in group:
        values = _values(book, target, pool, params)
        width = max(target.high - target.low, 1e-12)
        outside = np.maximum(target.low - values, 0) + np.maximum(values - target.high, 0)
        off += np.where(np.isfinite(values), outside / width, np.inf)
    return np.argsort(off, kind="stable")[:samples]


def _values(
    book: Rulebook, target: _Target, pool: Mapping[str, AnyArray], params: Mapping[str, float]
) -> FloatArray:
    """The indicator computed on every candidate row (NaN where it cannot be)."""
    probe = ir.Card(name="probe", label=None, lines=(ir.BonusLine("probe", target.named),))
    program = attrs.evolve(book.program, cards=(probe,), pools=())
    schema = Schema(target.columns, frozenset(), frozenset(params))
    try:
        bound = bind(program, standard_library(), schema, {"probe"}).cards[0].lines[0]
        if not isinstance(bound, ir.BonusLine):
            return np.full(len(next(iter(pool.values()))), np.nan)
        rows = from_data({name: pool[name] for name in target.columns})
        found = run_code(compile_exprs([bound.amount]), rows, params, None)[0]
    except (DataError, KsfCompileError):  # a divisor drawn 0: those rows are not kept
        return np.full(len(next(iter(pool.values()))), np.nan)
    return np.broadcast_to(np.asarray(found, dtype=np.float64), (rows.n_rows,)).copy()
