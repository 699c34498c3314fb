"""Monotonicity of a card's pay in one input, and the counterexample when it fails.

Base rows (the user's, or reproducible random ones drawn as `data_for` draws) are each
evaluated across a sweep of one input (`ksf.testing_sweep`), every other value held fixed.
A move of the total against the input's expected direction is a counterexample: the two
values, the two totals, the lines that moved the wrong way and both rows explained.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from ksf import ir
from ksf._typing import AnyArray, FloatArray
from ksf.catalogue import properties as say
from ksf.columns import from_data
from ksf.explain_words import Lang
from ksf.message import Keyword, Message
from ksf.payroll import Payroll
from ksf.rulebook import Rulebook, standard_library
from ksf.testing_clauses import DEFAULT_RANGE
from ksf.testing_plans import Plan, balance_rules, card_named, draw_plans, read_nodes
from ksf.testing_sweep import (
    HAIR,
    Input,
    as_column,
    commission_reach,
    edges,
    input_of,
    sweep_values,
)

SEED = 20240601  # base rows are reproducible
TOLERANCE = 1e-6  # totals are sums of amounts rounded to the cent: less is float noise
PERCENT_RANGE = (0.0, 1.5)  # a percent indicator with nothing written about it


@attrs.frozen
class Sweep:
    """One input swept over base rows: ``totals[row, k]`` is the pay at ``values[k]``."""

    book: Rulebook  # the book swept (a file indicator read from a column)
    card: str
    input: Input
    bases: dict[str, AnyArray]
    values: FloatArray
    totals: FloatArray
    params: Mapping[str, float]
    together: bool  # the rows are evaluated together: an aggregate or a pool reads them all

    def directions(self) -> FloatArray:
        """Each row's expected direction, else the one its moves favour (+1 on a tie).

        Without an expected direction each row may go its own way: a loss scaled by a
        performance coefficient falls as the score rises, a profit rises.
        """
        if self.input.direction is not None:
            return np.full(len(self.totals), float(self.input.direction))
        moves = np.diff(self.totals, axis=1)
        up, down = np.maximum(moves, 0).sum(axis=1), -np.minimum(moves, 0).sum(axis=1)
        return np.where(up >= down, 1.0, -1.0)

    def pair(self, row: int, low: float, high: float) -> tuple[Payroll, int, Payroll, int]:
        """One base row at two values: each payroll and the row to read in it.

        A card whose rows stand alone is evaluated on just those two rows (rows 0 and 1 of
        one payroll); one reading an aggregate or a pool, on every base row at each value.
        """
        if self.together:
            return self.at(low), row, self.at(high), row
        data = {key: np.repeat(column[row : row + 1], 2) for key, column in self.bases.items()}
        data[self.input.name] = np.array([low, high])
        pay = _evaluate(self.book, self.card, data, self.params)
        return pay, 0, pay, 1

    def at(self, value: float) -> Payroll:
        """Every base row evaluated with the input at ``value``."""
        rows = len(self.totals)
        data = {**self.bases, self.input.name: np.full(rows, value)}
        return _evaluate(self.book, self.card, data, self.params)


def sweep(
    book: Rulebook,
    card: str,
    name: str,
    *,
    data: Any = None,
    samples: int = 200,
    params: Mapping[str, float] | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> Sweep:
    """``card``'s total pay over a sweep of the input ``name``, for each base row.

    Raises:
        ValueError: the card reads no number called ``name``.
        UnknownCardError: the file has no such card.
    """
    found = input_of(book, card, name)
    swept = as_column(book, name) if found.indicator else book
    plans = draw_plans(swept, card, ranges, exclude=params or {})
    plan = plans.get(name)
    if plan is None or plan.flag or plan.choices:
        raise ValueError(str(say.NOT_AN_INPUT(card=card, name=name)))
    plan = widened(plan, swept, card, name, ranges or {})
    bases, given = _bases(data, plans, samples, name)
    values = sweep_values(plan, card_named(swept.program, card), name, given)
    together = _together(card_named(swept.program, card))
    totals = _totals(swept, card, name, bases, values, params or {}, together=together)
    return Sweep(swept, card, found, bases, values, totals, params or {}, together)


def _together(card: ir.Card) -> bool:
    """Whether the card's rows are evaluated together: it reads an aggregate or shares a pool."""
    return bool(card.pools()) or any(isinstance(n, ir.Group) for n in read_nodes(card))


def widened(plan: Plan, book: Rulebook, card: str, name: str, ranges: Mapping[str, object]) -> Plan:
    """A range with nothing known about it: around the card's edges, or a percent's."""
    if name in ranges or (plan.low, plan.high) != DEFAULT_RANGE or plan.grids:
        return plan
    points = edges(card_named(book.program, card), name)
    if points:
        low, high = min(points), max(points)
        pad = max((high - low) / 2, abs(high) / 5, 1e-3)
        return attrs.evolve(plan, low=low - pad, high=high + pad)
    reach = commission_reach(card_named(book.program, card), name)
    if reach is not None:
        return attrs.evolve(plan, low=0.0, high=max(plan.high, reach))
    named = [
        n
        for n in read_nodes(card_named(book.program, card))
        if isinstance(n, ir.Named) and n.name == name
    ]
    if named and named[0].unit == "percent":
        return attrs.evolve(plan, low=PERCENT_RANGE[0], high=PERCENT_RANGE[1])
    return plan


def first_wrong(run: Sweep) -> tuple[int, int] | None:
    """The first (row, k) where the total moves against the expected direction, or None.

    The move is from ``values[k]`` to ``values[k + 1]``.
    """
    moves = np.diff(run.totals, axis=1) * run.directions()[:, None]
    wrong = np.argwhere(moves < -TOLERANCE)
    if not wrong.size:
        return None
    row, at = (int(i) for i in wrong[0])
    return row, at


def largest_jump(run: Sweep) -> tuple[int, int, float] | None:
    """The largest change of a total across a hair around one point: (row, k, size)."""
    gaps = np.diff(run.values)
    near = np.flatnonzero(gaps <= 3 * HAIR * np.maximum(np.abs(run.values[1:]), 1.0))
    if not len(near) or not len(run.totals):
        return None
    jumps = np.abs(np.diff(run.totals, axis=1)[:, near])
    row, k = np.unravel_index(int(np.argmax(jumps)), jumps.shape)
    return int(row), int(near[k]), float(jumps[row, k])


# ---- the rows -----------------------------------------------------------------------------


def settled(columns: dict[str, AnyArray], plans: Mapping[str, Plan]) -> dict[str, AnyArray]:
    """The columns with a pool's facts one value per group, per-row `beyond` points placed.

    A pool's fact takes each group's first row's value; a `beyond` point drawn as an offset
    is placed past its row's balance point.
    """
    for name, plan in plans.items():
        if plan.past is not None and plan.past in columns and len(columns[name]):
            columns[name] = columns[plan.past] + columns[name].astype(np.float64)
    for name, plan in plans.items():
        if plan.same_over is None or not len(columns[name]):
            continue
        keys = [columns[k].astype(str) for k in plan.same_over]
        if keys:
            _, first, group = np.unique(
                np.stack(keys, axis=1), axis=0, return_index=True, return_inverse=True
            )
            columns[name] = columns[name][first][group.reshape(-1)]
        else:
            columns[name] = np.full_like(columns[name], columns[name][0])
    return columns


def drawn_bases(plans: Mapping[str, Plan], samples: int, seed: int = SEED) -> dict[str, AnyArray]:
    """Reproducible random base rows, drawn from the same ranges as `data_for`."""
    rng = np.random.default_rng(seed)
    bases: dict[str, AnyArray] = {}
    for name, plan in plans.items():
        if plan.flag:
            bases[name] = rng.integers(0, 2, samples).astype(np.float64)
            continue
        if plan.choices:
            picked = rng.integers(0, len(plan.choices), samples)
            bases[name] = np.array(plan.choices, dtype=object if plan.text else None)[picked]
            continue
        values = rng.uniform(plan.low, plan.high, samples)
        if plan.grids:  # half the rows sit exactly on a step point of the first rule
            grid = plan.grids[0]
            first = int(np.ceil((plan.low - grid.balance) / grid.step))
            last = int(np.floor((plan.high - grid.balance) / grid.step))
            if first <= last:
                on_step = grid.balance + rng.integers(first, last + 1, samples) * grid.step
                values = np.where(rng.random(samples) < 0.5, on_step, values)
        bases[name] = values
    return settled(bases, plans)


def _bases(
    data: Any, plans: Mapping[str, Plan], samples: int, name: str
) -> tuple[dict[str, AnyArray], FloatArray | None]:
    """Base rows without the input (the user's, or drawn), and its values in the data."""
    if data is None:
        bases, given = drawn_bases(plans, samples), None
    else:
        columns = from_data(data)
        bases, given = {**columns.numeric, **columns.text}, columns.numeric.get(name)
    bases.pop(name, None)
    return bases, given


def _totals(
    book: Rulebook,
    card: str,
    name: str,
    bases: Mapping[str, AnyArray],
    values: FloatArray,
    params: Mapping[str, float],
    *,
    together: bool,
) -> FloatArray:
    """Each base row's total at each value: one row per base row, one column per value.

    Without group aggregates or pools every (row, value) pair is one row of a single
    evaluation. A card that reads an aggregate or shares a pool sees every row of its
    evaluation, so each value is then an evaluation of its own, every base row at that
    value: an aggregate of the input moves with it, a pool's facts stay one per group.
    """
    rows = len(next(iter(bases.values()))) if bases else 1
    if not together:
        grid = {key: np.repeat(column, len(values)) for key, column in bases.items()}
        grid[name] = np.tile(values, rows)
        total: FloatArray = _evaluate(book, card, grid, params).total
        return total.reshape(-1, len(values))
    columns = [
        _evaluate(book, card, {**bases, name: np.full(rows, value)}, params).total
        for value in values  # a loop over sweep values, each evaluation vectorised over rows
    ]
    return np.stack(columns, axis=1)


def _evaluate(
    book: Rulebook, card: str, data: Mapping[str, AnyArray], params: Mapping[str, float]
) -> Payroll:
    """``card`` over ``data``: each base row is repeated once a sweep value, ids and all."""
    return book.evaluate(data, card=card, params=params, allow_duplicate_ids=True)


# ---- the counterexample ---------------------------------------------------------------------


def violation(run: Sweep, row: int, at: int, lang: Lang = "en") -> Message:
    """Both values and totals, the lines that moved the wrong way and both rows explained."""
    name, direction = run.input.name, int(run.directions()[row])
    low, high = _pair(float(run.values[at]), float(run.values[at + 1]))
    before, first, after, second = run.pair(row, float(run.values[at]), float(run.values[at + 1]))
    moved = [
        say.LINE_MOVED(
            line=line, before=f"{before[line][first]:.2f}", after=f"{after[line][second]:.2f}"
        )
        for line in before.lines
        if (after[line][second] - before[line][first]) * direction < -TOLERANCE
    ]
    others = ", ".join(f"{k}={_show(v[row])}" for k, v in sorted(run.bases.items()))
    return say.NOT_MONOTONE(
        card=run.card,
        moves=say.FALLS() if direction > 0 else say.RISES(),
        name=name,
        low=low,
        high=high,
        why=_why(run, direction),
        low_pays=f"{run.totals[row, at]:.2f}",
        high_pays=f"{run.totals[row, at + 1]:.2f}",
        rest=say.REST_OF_ROW(row=others) if others else "",
        lines=say.LINES_MOVED(lines=", ".join(m.text(lang) for m in moved)) if moved else "",
        note=_disagree(run, direction),
        low_explained=_indented(before.explain(first, lang=lang)),
        high_explained=_indented(after.explain(second, lang=lang)),
    )


def _why(run: Sweep, direction: int) -> Message:
    if run.input.direction is None:
        return say.WHY_MOSTLY(word=_word(direction))
    return say.WHY_IS(source=run.input.why or run.input.name, word=_word(run.input.direction))


def _disagree(run: Sweep, direction: int) -> Message | str:
    """A note naming balance rules on the input whose direction is the other one."""
    rules = balance_rules(card_named(run.book.program, run.card)).values()
    library = standard_library().get(run.input.name)
    default = (library.direction if library is not None else None) or 1
    other = [
        f"`{rule.name}` is {_word(rule.direction or default).english}"
        for rule in rules
        if rule.value == ir.Free(run.input.name) and (rule.direction or default) != direction
    ]
    return say.DISAGREE(rules=", ".join(other)) if other else ""


def _word(direction: int) -> Keyword:
    return Keyword("higher_is_better" if direction > 0 else "lower_is_better")


def _pair(low: float, high: float) -> tuple[str, str]:
    shown = f"{low:.12g}", f"{high:.12g}"
    return shown if shown[0] != shown[1] else (repr(low), repr(high))  # a rounding apart


def _show(value: Any) -> str:
    return f"{float(value):.12g}" if isinstance(value, float | np.floating) else str(value)


def _indented(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
