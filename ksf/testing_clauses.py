"""How `ksf.testing` draws the columns LANGUAGE.md §9–11 let a card read.

A clause value read from a column (``balance target_gm``, ``base base_salary``, ``rate
my_rate``, a KPI's ``target``, a pool's ``above``) is drawn where such a value lives, in the
unit of what it is compared with, and so that the per-row checks hold (a step above 0, a
KPI's points in order, a `beyond` point a whole number of steps from a per-row balance
point). A group's key (``over team``) takes a few repeated values so groups have several
rows; a text key of a decision matrix or a ``by`` line takes the texts the file names; what
a pool reads is one value per pool group. Each is a `Plan` (`ksf.testing_plans` holds the
class); `special_plans` gives them by name.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import assert_never

import attrs
import numpy as np

from ksf import ir
from ksf.rulebook import Rulebook
from ksf.standard import standard_library

DEFAULT_RANGE = (1.0, 1000.0)  # positive, so a name used as a divisor never divides by zero
GROUP_KEYS = (1.0, 2.0, 3.0)  # a group key's values: a few, so each group has several rows
MAX_POINTS = 40  # exact points a per-row balance or step is drawn from, at most
PAST_OTHERS = 10  # steps a per-row `beyond` point keeps clear of the rule's other points
KPI_FACTORS = (0.8, 1.0, 1.2)  # baseline, target, challenge relative to the target
# Ranges of a clause value read per row, when nothing written on the line says better.
MONEY = {
    "reward": (10.0, 500.0),
    "penalty": (10.0, 500.0),
    "pot": (0.0, 1000.0),
    "cap": (1000.0, 5000.0),
    "floor": (-2000.0, 0.0),
    "amount": (3000.0, 20000.0),  # a `base` or `allowance` from the data
    "above": (0.0, 100_000.0),  # a pool's threshold
}
RATES = {"rate": (0.001, 0.05), "share": (0.01, 0.2)}
PERCENT_BALANCE = (0.05, 0.5)
PERCENT_STEP = (0.005, 0.02)


@attrs.frozen
class Drawn:
    """How to draw one name (`ksf.testing_plans.Plan` without the step points)."""

    low: float
    high: float
    choices: tuple[float | str, ...] = ()  # drawn from these only
    same_over: tuple[str, ...] | None = None  # one value per group of these keys (() all)
    past: str | None = None  # the choices are offsets from this column's value on the row


def special_plans(book: Rulebook, card: ir.Card) -> dict[str, Drawn]:
    """The names of ``card`` drawn otherwise than from the default range, by name."""
    plans: dict[str, Drawn] = _table_plans(card)
    plans.update(_clause_plans(card))
    plans.update(_kpi_plans(card))
    plans.update(_pool_plans(book, card))
    plans.update(_key_plans(card))  # keys last: a key is a key wherever else it is read
    return plans


def reads(card: ir.Card) -> Iterator[ir.Expr]:
    """Every node the card's lines read, KPI points read per row included."""
    for line in card.lines:
        for expr in ir.line_inputs(line):
            yield from ir.walk(expr)


def is_percent(expr: ir.Expr) -> bool:
    """Whether a value is a percentage: a percent indicator, or a column named like one."""
    if isinstance(expr, ir.Free):
        found = standard_library().get(expr.name)
        return found is not None and found.unit == "percent"
    return isinstance(expr, ir.Named) and expr.unit == "percent"


def direction(value: ir.Expr, written: int | None) -> int:
    """A rule's direction as binding settles it (+1 higher is better)."""
    if written is not None:
        return written
    if isinstance(value, ir.Free):
        found = standard_library().get(value.name)
        return (found.direction or 1) if found is not None else 1
    return (value.direction or 1) if isinstance(value, ir.Named) else 1


# ---- keys and texts ----------------------------------------------------------------------


def _key_plans(card: ir.Card) -> dict[str, Drawn]:
    plans: dict[str, Drawn] = {}
    for node in reads(card):
        if isinstance(node, ir.Group) and node.key is not None:
            # `over card` groups by the card column: every drawn row is on this card.
            values = (card.name,) if node.key == "card" else GROUP_KEYS
            plans[node.key] = Drawn(0.0, 0.0, choices=values)
        if isinstance(node, ir.MatrixLookup):
            for key, arg in enumerate(node.args):
                names = node.table.names[key]
                if isinstance(arg, ir.Free) and node.table.text_keys[key] and names:
                    plans[arg.name] = Drawn(0.0, 0.0, choices=names)
    for line in card.lines:
        if isinstance(line, ir.ByLine):
            plans[line.column] = Drawn(0.0, 0.0, choices=line.keys)
    return plans


def _table_plans(card: ir.Card) -> dict[str, Drawn]:
    """A table's number key: drawn across its thresholds, so that every row of it is hit."""
    found: dict[str, list[float]] = {}
    for node in reads(card):
        if isinstance(node, ir.Lookup) and isinstance(node.arg, ir.Free):
            found.setdefault(node.arg.name, []).extend(node.table.thresholds)
        if isinstance(node, ir.MatrixLookup):
            for key, arg in enumerate(node.args):
                cells = [row[key].number for row in node.table.rows if row[key].op != "*"]
                if isinstance(arg, ir.Free) and not node.table.text_keys[key] and cells:
                    found.setdefault(arg.name, []).extend(cells)
    plans = {}
    for name, points in found.items():
        low, high = min(points), max(points)
        pad = (high - low) / 2 if high > low else max(abs(high) / 5, 1.0)
        plans[name] = Drawn(low - pad, high + pad)
    return plans


# ---- clause values read per row -----------------------------------------------------------


def _clause_plans(card: ir.Card) -> dict[str, Drawn]:
    plans: dict[str, Drawn] = {}
    for line in card.lines:
        match line:
            case ir.BalanceLine():
                for clause in ir.per_row(line):
                    if isinstance(clause.expr, ir.Free):
                        plans[clause.expr.name] = _balance_clause(line, clause)
            case ir.CommissionLine():
                for clause in ir.per_row(line):
                    if isinstance(clause.expr, ir.Free):
                        plans[clause.expr.name] = Drawn(*_range(clause.clause))
            case ir.FixedLine():
                if isinstance(line.amount, ir.Free):  # `base base_salary`
                    plans[line.amount.name] = Drawn(*MONEY["amount"])
            case ir.ByLine() | ir.BonusLine() | ir.ShareLine():
                pass
            case _:
                assert_never(line)
    return plans


def _range(clause: str) -> tuple[float, float]:
    """A clause's range; a `beyond` tier's amount (``beyond rate``) as its kind's."""
    kind = clause.removeprefix("beyond ")
    return MONEY.get(kind) or RATES.get(kind) or DEFAULT_RANGE


def _balance_clause(line: ir.BalanceLine, read: ir.PerRow) -> Drawn:
    """A balance rule's clause value read per row, in the unit of the rule's value."""
    clause = read.clause
    if clause.startswith("beyond"):
        return _beyond_clause(line, read)
    percent = is_percent(line.value)
    balance, step = line.balance, line.step
    if clause == "balance":
        if isinstance(step, float) and line.beyond and _written(line):
            return Drawn(0.0, 0.0, choices=_balance_points(line, step))
        if percent:
            return Drawn(*PERCENT_BALANCE)
        return Drawn(10 * step, 100 * step) if isinstance(step, float) else Drawn(*DEFAULT_RANGE)
    if clause == "step":
        if isinstance(balance, float) and line.beyond and _written(line):
            return Drawn(0.0, 0.0, choices=_steps(line, balance))
        if percent:
            return Drawn(*PERCENT_STEP)
        if isinstance(balance, float) and balance != 0:
            return Drawn(abs(balance) / 50, abs(balance) / 10)
        return Drawn(1.0, 10.0)
    low, high = MONEY[clause]
    if clause == "cap" and isinstance(line.floor, float):
        low, high = max(low, line.floor), max(high, line.floor + high)
    if clause == "floor" and isinstance(line.cap, float):
        low, high = min(low, line.cap - 2000.0), min(high, line.cap)
    return Drawn(low, high)


def _beyond_clause(line: ir.BalanceLine, read: ir.PerRow) -> Drawn:
    """A `beyond` amount read per row, or its point: on the grid, past the written ones.

    An amount is drawn as a reward is; a point (`beyond stretch_gm reward …`) on the step
    grid, on its kind's side, past the points of its kind written as numbers.

    With a balance point read per row (`balance target_gm`), the point is drawn as a whole
    number of steps past it (``past``), beyond what the other per-row points may take.
    """
    if read.clause != "beyond":  # `beyond reward` / `beyond penalty`: an amount
        return Drawn(*MONEY["reward"])
    kind = next((b.kind for b in line.beyond if b.at is read), "reward")
    balance, step = line.balance, line.step
    own = isinstance(balance, ir.PerRow) and isinstance(balance.expr, ir.Free)
    if not isinstance(step, float) or not (isinstance(balance, float) or own):
        return Drawn(*DEFAULT_RANGE)
    side = direction(line.value, line.direction) * (1 if kind == "reward" else -1)
    if isinstance(balance, ir.PerRow) and isinstance(balance.expr, ir.Free):
        first = 1 + PAST_OTHERS  # past any other point read per row: `(target_gm + 5%)`
        offsets = tuple(side * k * step for k in range(first, first + MAX_POINTS))
        return Drawn(0.0, 0.0, choices=offsets, past=balance.expr.name)
    if not isinstance(balance, float):
        return Drawn(*DEFAULT_RANGE)
    written = [abs(b.at - balance) / step for b in line.beyond
               if isinstance(b.at, float) and b.kind == kind]  # fmt: skip
    first = round(max(written, default=0.0)) + 1
    points = tuple(balance + side * k * step for k in range(first, first + MAX_POINTS))
    return Drawn(0.0, 0.0, choices=points)


def _written(line: ir.BalanceLine) -> list[tuple[float, str]]:
    """A rule's `beyond` points and kinds when every point is written as a number, else []."""
    points = [(b.at, b.kind) for b in line.beyond if isinstance(b.at, float)]
    return points if len(points) == len(line.beyond) else []


def _balance_points(line: ir.BalanceLine, step: float) -> tuple[float, ...]:
    """Per-row balance points a whole number of steps from every `beyond` point, between them.

    A `reward` tier lies on the good side of the balance point, a `penalty` tier on the bad.
    """
    sign = direction(line.value, line.direction)
    written = _written(line)
    good = [at * sign for at, kind in written if kind == "reward"]
    bad = [at * sign for at, kind in written if kind == "penalty"]
    anchor = written[0][0] * sign
    ks = np.arange(-4 * MAX_POINTS, 4 * MAX_POINTS + 1)
    points = anchor + ks * step
    inside = np.ones(len(points), dtype=bool)
    if good:
        inside &= points < min(good) - step / 2
    if bad:
        inside &= points > max(bad) + step / 2
    picked = points[inside]
    picked = picked[np.argsort(np.abs(picked - anchor), kind="stable")][:MAX_POINTS]
    return tuple(float(p) * sign for p in np.sort(picked))


def _steps(line: ir.BalanceLine, balance: float) -> tuple[float, ...]:
    """Per-row steps that put every `beyond` point a whole number of steps from the balance."""
    gaps = [abs(at - balance) for at, _ in _written(line)]
    widest = min(gaps)
    found = []
    for k in range(1, MAX_POINTS + 1):
        step = widest / k
        if all(abs(g / step - round(g / step)) < 1e-9 for g in gaps):
            found.append(step)
    return tuple(found)


# ---- KPI points and pools ------------------------------------------------------------------


def _kpi_plans(card: ir.Card) -> dict[str, Drawn]:
    """A KPI's points read per row, each in its own band so that they stay in order."""
    plans: dict[str, Drawn] = {}
    for node in reads(card):
        if not isinstance(node, ir.ScoreValue):
            continue
        for kpi in node.score.kpis:
            points = _kpi_points(kpi)
            gap = min(abs(b - a) for a, b in itertools.pairwise(points))
            for value, point in zip((kpi.baseline, kpi.target, kpi.challenge), points, strict=True):
                if isinstance(value, ir.PerRow) and isinstance(value.expr, ir.Free):
                    plans[value.expr.name] = Drawn(point - gap / 4, point + gap / 4)
            if isinstance(kpi.value, ir.Free):
                low, high = min(points), max(points)
                plans[kpi.value.name] = Drawn(low - (high - low) / 2, high + (high - low) / 2)
    return plans


def _kpi_points(kpi: ir.KpiSpec) -> tuple[float, float, float]:
    """Baseline, target and challenge: those written, the others placed around them."""
    sign = direction(kpi.value, kpi.direction)
    factors = KPI_FACTORS if sign > 0 else KPI_FACTORS[::-1]
    points = (kpi.baseline, kpi.target, kpi.challenge)
    known = {i: v for i, v in enumerate(points) if isinstance(v, float)}
    # An attainment is near 100%; a lower-is-better rate (returns, complaints) near 5%.
    scale = (1.0 if sign > 0 else 0.05) if is_percent(kpi.value) else 100.0
    if known:
        i, v = next(iter(known.items()))
        scale = v / factors[i] if v else scale
    guess = [known.get(i, scale * f) for i, f in enumerate(factors)]
    if len(known) >= 2 and len(known) < 3:  # one per-row point between or beyond two written
        missing = next(i for i in range(3) if i not in known)
        a, b = (known[i] for i in sorted(known))
        guess[missing] = (a + b) / 2 if missing == 1 else (2 * a - b if missing == 0 else 2 * b - a)
    return guess[0], guess[1], guess[2]


def _pool_plans(book: Rulebook, card: ir.Card) -> dict[str, Drawn]:
    """What a pool the card shares reads: one value per pool group, clauses in range."""
    plans: dict[str, Drawn] = {}
    for pool in (p for p in book.program.pools if p.name in card.pools()):
        over = (pool.per,) if pool.per is not None else ()
        above = pool.threshold if isinstance(pool.threshold, float) else MONEY["above"][1]
        for node in ir.walk(pool.base):  # around the threshold, so the pool is often paid
            if isinstance(node, ir.Free):
                plans[node.name] = Drawn(0.0, 2 * max(above, DEFAULT_RANGE[1]), same_over=over)
        for clause, value in (("above", pool.threshold), ("share", pool.share), ("cap", pool.cap)):
            if isinstance(value, ir.PerRow) and isinstance(value.expr, ir.Free):
                low, high = (1000.0, 100_000.0) if clause == "cap" else _range(clause)
                plans[value.expr.name] = Drawn(low, high, same_over=over)
        if pool.per is not None:
            plans[pool.per] = Drawn(0.0, 0.0, choices=GROUP_KEYS)
    return plans
