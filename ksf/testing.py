"""Property-testing helpers for users' own tests: data for a card, and a monotonicity check.

Input: a compiled `Rulebook` and a card name; output: a hypothesis strategy of data the card
can evaluate (`data_for`), and `assert_monotone`, which fails with a counterexample when a
card's total pay moves against an indicator's direction. hypothesis is an optional extra:
only `data_for` needs it, and imports it when called.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ksf import ir
from ksf._typing import AnyArray, FloatArray
from ksf.bind import Schema, bind
from ksf.catalogue import io as say
from ksf.columns import from_data
from ksf.message import Keyword, Message
from ksf.optional import requires
from ksf.rulebook import Rulebook, standard_library
from ksf.testing_plans import (
    Grid,
    Plan,
    balance_rules,
    card_named,
    draw_plans,
    read_nodes,
    rules_reading,
)

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["assert_monotone", "data_for"]

MAX_GRID = 201  # step points per rule in a monotonicity sweep
SWEEP_POINTS = 41  # evenly spaced points added to a sweep, between the step points
SEED = 20240601  # base rows of `assert_monotone` are reproducible
# Totals are sums of amounts rounded to the cent; anything smaller than this is float noise.
TOLERANCE = 1e-6


def data_for(
    book: Rulebook,
    card: str,
    *,
    min_rows: int = 1,
    max_rows: int = 50,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> SearchStrategy[dict[str, AnyArray]]:
    """A hypothesis strategy of data for ``card``: one column per name it reads.

    A name that a balance rule reads as its value is drawn around that rule's balance point
    (at least 20 steps either side, and past its ``beyond`` tiers; around every row's point
    when it is read per row), often exactly on a step point. A clause value read from a
    column (``balance target_gm``, ``base base_salary``, ``rate own_rate``, a KPI's
    ``target``) is drawn in its unit so the per-row checks hold (docs/testing.md). A bare
    condition (``when flag``) is 0 or 1; a group's key (``over team``) one of 1, 2, 3; a text
    key (``grade_coef(grade, …)``, ``base by grade``) one of the names the file compares it
    with; a table's number key across its thresholds; what a shared pool reads, one value per
    pool group; any other name 1 to 1000, within a standard or declared column's domain.
    Names the card may take from ``params`` are drawn as columns too; drop them from the
    drawn data if you pass them as params.

    Args:
        book: the compiled rule file.
        card: the card the data is for.
        min_rows: the fewest rows to draw.
        max_rows: the most rows to draw.
        ranges: ``{name: (low, high)}`` to draw a name from instead.

    Returns:
        A strategy of ``{name: numpy.ndarray}``: equal-length float64 columns, text keys
        as object arrays of str.

    Raises:
        ImportError: hypothesis is not installed.
        UnknownCardError: the file has no such card (a `KeyError` and a `ksf.DataError`).
        ValueError: bad row counts, or a range that is empty or names what the card lacks.

    Examples:
        >>> import ksf
        >>> from hypothesis import given, settings
        >>> book = ksf.compile("card a { base 5000; margin balance 30% step 1% reward 200 }")
        >>> @settings(max_examples=5, database=None)
        ... @given(data_for(book, "a", max_rows=5))
        ... def test_no_card_pays_below_zero(data):
        ...     assert (book.evaluate(data, card="a").total > 0).all()
        >>> test_no_card_pays_below_zero()
    """
    with requires("hypothesis", "ksf.testing", chain=True):
        import hypothesis.extra.numpy  # noqa: F401 - the extra too, or the ImportError now
        import hypothesis.strategies as st
    if min_rows < 0 or max_rows < min_rows:
        msg = say.ROW_BOUNDS(low=min_rows, high=max_rows)
        raise ValueError(msg)
    plans = draw_plans(book, card, ranges)
    elements = {name: _elements(plan) for name, plan in plans.items()}
    return st.integers(min_rows, max_rows).flatmap(lambda n: _columns(n, plans, elements))


def _columns(
    n: int, plans: Mapping[str, Plan], elements: Mapping[str, SearchStrategy[Any]]
) -> SearchStrategy[dict[str, AnyArray]]:
    """``n`` rows: float64 columns, text columns of objects, a pool's facts settled."""
    import hypothesis.extra.numpy as hnp
    import hypothesis.strategies as st

    arrays = {
        name: (
            st.lists(e, min_size=n, max_size=n).map(_texts)
            if plans[name].text
            else hnp.arrays(np.float64, n, elements=e)
        )
        for name, e in elements.items()
    }
    return st.fixed_dictionaries(arrays).map(lambda drawn: settled(drawn, plans))


def _texts(values: list[Any]) -> AnyArray:
    return np.array(values, dtype=object)


def settled(columns: dict[str, AnyArray], plans: Mapping[str, Plan]) -> dict[str, AnyArray]:
    """The columns with a pool's facts made one value per group: each group's first row's."""
    for name, plan in plans.items():
        if plan.same_over is None or not len(columns[name]):
            continue
        keys = [columns[k].astype(str) for k in plan.same_over]
        if keys:
            _, first, group = np.unique(np.stack(keys, axis=1), axis=0, return_index=True,
                                        return_inverse=True)  # fmt: skip
            columns[name] = columns[name][first][group.reshape(-1)]
        else:
            columns[name] = np.full_like(columns[name], columns[name][0])
    return columns


def assert_monotone(
    book: Rulebook,
    card: str,
    indicator: str,
    *,
    data: Any = None,
    samples: int = 200,
    params: Mapping[str, float] | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> None:
    """Check that ``card``'s total pay never moves against ``indicator``'s direction.

    Total pay must not fall as the indicator rises when its balance rule is higher_is_better,
    and must not rise when it is lower_is_better. Rows that differ only in the indicator are
    evaluated in one call: for each base row, a sorted sweep over the indicator's range (every
    step point of its rules, and points in between). When several balance rules read the
    indicator, the first one's direction is the expected one. Every other value of a row,
    a per-row balance point or step included, is held fixed. A card that reads a group
    aggregate (``sum(x over team)``) is evaluated once per sweep value, every base row at
    that value: an aggregate of the indicator moves with it.

    Args:
        book: the compiled rule file.
        card: the card to check.
        indicator: a data column that a balance rule of the card reads as its value.
        data: base rows (anything `Rulebook.evaluate` accepts); by default ``samples``
            reproducible random rows drawn as `data_for` would.
        samples: how many base rows to draw when ``data`` is not given.
        params: scalars the card reads, passed to every evaluation.
        ranges: ``{name: (low, high)}`` for drawn base values and for the sweep.

    Raises:
        AssertionError: pay moves the wrong way; the message shows both values and totals.
        UnknownCardError: the file has no such card (a `KeyError` and a `ksf.DataError`).
        ValueError: no balance rule reads ``indicator``.

    Examples:
        >>> import ksf
        >>> book = ksf.compile("card a { base 5000; margin balance 30% step 1% reward 200 }")
        >>> assert_monotone(book, "a", "margin")
        >>> bad = ksf.compile("card b { x balance 1 step 1 reward 100; bonus 500 when x < 3 }")
        >>> assert_monotone(bad, "b", "x", samples=1)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        AssertionError: total pay of card 'b' falls as `x` rises from 2.5 to 3, though ...
    """
    plans, rules = _sweepable(book, card, indicator, params, ranges)
    bases, given = _bases(data, plans, samples, indicator)
    sweep = _sweep(plans[indicator], given)
    rows = len(next(iter(bases.values()))) if bases else 1
    directions = _directions(book, card, rules, {**bases, indicator: np.zeros(rows)}, params or {})
    total = _totals(book, card, indicator, bases, sweep, params)
    wrong = np.argwhere(np.diff(total, axis=1) * directions[0][1] < -TOLERANCE)
    if wrong.size:
        row, at = (int(i) for i in wrong[0])
        pair = (float(sweep[at]), float(sweep[at + 1]))
        totals = (float(total[row, at]), float(total[row, at + 1]))
        others = {name: column[row] for name, column in bases.items()}
        raise AssertionError(_violation(card, indicator, directions, pair, totals, others))


def _totals(
    book: Rulebook,
    card: str,
    indicator: str,
    bases: Mapping[str, AnyArray],
    sweep: FloatArray,
    params: Mapping[str, float] | None,
) -> FloatArray:
    """Each base row's total at each sweep value: one row per base row, one column per value.

    Without group aggregates every (row, value) pair is one row of a single evaluation. A
    card that reads an aggregate sees every row of its evaluation, so each value is then an
    evaluation of its own, every base row at that value: an aggregate of the indicator
    moves with it, every other value of the rows (per-row clause values too) stays fixed.
    """
    rows = len(next(iter(bases.values()))) if bases else 1
    if not any(isinstance(n, ir.Group) for n in read_nodes(card_named(book.program, card))):
        grid = {name: np.repeat(column, len(sweep)) for name, column in bases.items()}
        grid[indicator] = np.tile(sweep, rows)
        total: FloatArray = book.evaluate(grid, card=card, params=params).total
        return total.reshape(-1, len(sweep))
    columns = [
        book.evaluate({**bases, indicator: np.full(rows, value)}, card=card, params=params).total
        for value in sweep  # a loop over sweep values, each evaluation vectorised over rows
    ]
    return np.stack(columns, axis=1)


def _sweepable(
    book: Rulebook,
    card: str,
    indicator: str,
    params: Mapping[str, float] | None,
    ranges: Mapping[str, tuple[float, float]] | None,
) -> tuple[dict[str, Plan], list[tuple[int, ir.BalanceLine]]]:
    """The card's draw plans and the balance rules reading ``indicator``, if it can be swept.

    Raises:
        ValueError: no balance rule reads ``indicator``.
    """
    plans = draw_plans(book, card, ranges, exclude=params or {})
    rules = rules_reading(book, card, indicator)
    if indicator not in plans or not rules:
        msg = say.NO_BALANCE_RULE(card=repr(card), indicator=indicator)
        raise ValueError(msg)
    return plans, rules


# ---- drawing values ----------------------------------------------------------------------------


def _elements(plan: Plan) -> SearchStrategy[float]:
    """Values for one name: its range, and exact step points of its rules."""
    import hypothesis.strategies as st

    if plan.flag:
        return st.sampled_from([0.0, 1.0])
    if plan.choices:
        return st.sampled_from(plan.choices)
    strategies = [st.floats(plan.low, plan.high, allow_nan=False, allow_infinity=False)]
    for grid in plan.grids:
        first, last = _step_range(grid, plan.low, plan.high)
        if first <= last:
            strategies.append(st.integers(first, last).map(grid.point))
    return st.one_of(*strategies)


def _step_range(grid: Grid, low: float, high: float) -> tuple[int, int]:
    """The whole numbers k with ``balance + k * step`` within [low, high]."""
    return (
        math.ceil((low - grid.balance) / grid.step),
        math.floor((high - grid.balance) / grid.step),
    )


def _drawn_bases(plans: Mapping[str, Plan], samples: int) -> dict[str, AnyArray]:
    """Reproducible random base rows, drawn from the same ranges as `data_for`."""
    rng = np.random.default_rng(SEED)
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
            first, last = _step_range(grid, plan.low, plan.high)
            if first <= last:
                on_step = grid.balance + rng.integers(first, last + 1, samples) * grid.step
                values = np.where(rng.random(samples) < 0.5, on_step, values)
        bases[name] = values
    return settled(bases, plans)


def _bases(
    data: Any, plans: Mapping[str, Plan], samples: int, indicator: str
) -> tuple[dict[str, AnyArray], FloatArray | None]:
    """Base rows without the indicator (the user's, or drawn), and its values in the data."""
    if data is None:
        bases, given = _drawn_bases(plans, samples), None
    else:
        columns = from_data(data)
        bases, given = {**columns.numeric, **columns.text}, columns.numeric.get(indicator)
    bases.pop(indicator, None)
    return bases, given


def _sweep(plan: Plan, seen: FloatArray | None) -> FloatArray:
    """Sorted indicator values: every step point, points between, and values in the data."""
    low, high = plan.low, plan.high
    if seen is not None and len(seen):
        low, high = min(low, float(seen.min())), max(high, float(seen.max()))
    parts: list[AnyArray] = [np.linspace(low, high, SWEEP_POINTS)]
    for grid in plan.grids:
        first, last = _step_range(grid, low, high)
        if first <= last:
            count = min(last - first + 1, MAX_GRID)
            steps = np.unique(np.rint(np.linspace(first, last, count)).astype(np.int64))
            # Step points as a person computes them, and the middle of each step.
            parts.extend(
                [grid.balance + steps * grid.step, grid.balance + (steps + 0.5) * grid.step]
            )
    values = np.unique(np.concatenate(parts).astype(np.float64))
    inside: FloatArray = values[(values >= low) & (values <= high)]
    return inside


# ---- directions and the message ----------------------------------------------------------------


def _directions(
    book: Rulebook,
    card: str,
    rules: list[tuple[int, ir.BalanceLine]],
    grid: Mapping[str, AnyArray],
    params: Mapping[str, float],
) -> list[tuple[str, int]]:
    """Each rule's name and direction once bound to the data (+1 higher is better)."""
    numeric, text = from_data(grid).schema()
    schema = Schema(frozenset(numeric), frozenset(text), frozenset(params))
    bound = bind(book.program, standard_library(), schema, {card})
    # Binding keeps every line where it was, settling the directions the text left open.
    bound_rules = balance_rules(card_named(bound, card))
    return [(rule.name, bound_rules[position].direction or 1) for position, rule in rules]


def _word(direction: int) -> Keyword:
    return Keyword("higher_is_better" if direction > 0 else "lower_is_better")


def _violation(
    card: str,
    indicator: str,
    directions: list[tuple[str, int]],
    values: tuple[float, float],
    totals: tuple[float, float],
    others: Mapping[str, Any],
) -> Message:
    """The failure message: the two indicator values, the two totals and the rest of the row."""
    rule, direction = directions[0]
    moves = say.FALLS() if direction > 0 else say.RISES()
    low, high = (f"{v:.12g}" for v in values)
    if low == high:  # two floats a rounding apart: show every digit
        low, high = (repr(v) for v in values)
    head = {"card": repr(card), "moves": moves, "indicator": indicator, "low": low, "high": high}
    lines = [
        say.NOT_MONOTONE(**head, rule=rule, direction=_word(direction)),
        say.PAYS(indicator=indicator, value=low, total=f"{totals[0]:.2f}"),
        say.PAYS(indicator=indicator, value=high, total=f"{totals[1]:.2f}"),
    ]
    if others:
        row = ", ".join(f"{name}={_show(value)}" for name, value in sorted(others.items()))
        lines.append(say.REST_OF_ROW(row=row))
    disagree = [
        say.RULE_IS(rule=name, direction=_word(d)) for name, d in directions if d != direction
    ]
    if disagree:
        lines.append(say.DISAGREE(rules=say.joined(disagree)))
    return say.joined(lines, say.NEWLINE)


def _show(value: Any) -> str:
    return f"{float(value):.12g}" if isinstance(value, float | np.floating) else str(value)
