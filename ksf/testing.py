"""Property-testing helpers for users' own tests: data for a card, and properties of its pay.

Input: a compiled `Rulebook` and a card name; output: a hypothesis strategy of data the card
can evaluate (`data_for`); `assert_monotone`, which fails with a counterexample when a card's
total pay moves against the direction of any input it reads; the properties of
`ksf.testing_props` (caps and floors hold, total = sum of lines, `min_pay`, pools add up,
no cliff) and `card_properties`, a whole rule file's properties as pytest tests.
hypothesis is an optional extra: only `data_for` needs it, and imports it when called.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ksf._typing import AnyArray
from ksf.catalogue import io as say
from ksf.optional import requires
from ksf.rulebook import Rulebook
from ksf.testing_monotone import first_wrong, settled, sweep, violation
from ksf.testing_plans import Grid, Plan, card_named, draw_plans
from ksf.testing_props import (
    assert_caps_and_floors,
    assert_continuous,
    assert_min_pay,
    assert_pools_add_up,
    assert_total_is_sum_of_lines,
    card_properties,
    check_card,
)
from ksf.testing_sweep import HAIR, edges

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = [
    "assert_caps_and_floors",
    "assert_continuous",
    "assert_min_pay",
    "assert_monotone",
    "assert_pools_add_up",
    "assert_total_is_sum_of_lines",
    "card_properties",
    "check_card",
    "data_for",
]


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
    found = card_named(book.program, card)
    elements = {name: _elements(plan, edges(found, name)) for name, plan in plans.items()}
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
    """Check that ``card``'s total pay never moves against the direction of one input.

    ``indicator`` is any number the card reads: a data column (a raw column, a commission
    base, a score KPI's value, a standard indicator given as a column) or an ``indicator``
    the file defines, swept in place of its definition. Its expected direction is the
    indicator's own (standard library or file), else that of the first balance rule reading
    it (a plain column: higher_is_better), else that of a KPI reading it; an input with none
    must move pay one way only, the way most of its moves go. For each base row, a sorted
    sweep over the input's range (its range, every step point, and a hair either side of
    every balance point, `beyond` tier, table threshold, KPI point, commission tier and
    constant a `when` compares it with), every other value of the row held fixed. A card
    that reads a group aggregate or shares a pool is evaluated once per sweep value, every
    base row at that value.

    Args:
        book: the compiled rule file.
        card: the card to check.
        indicator: the input to sweep.
        data: base rows (anything `Rulebook.evaluate` accepts); by default ``samples``
            reproducible random rows drawn as `data_for` would.
        samples: how many base rows to draw when ``data`` is not given.
        params: scalars the card reads, passed to every evaluation.
        ranges: ``{name: (low, high)}`` for drawn base values and for the sweep.

    Raises:
        AssertionError: pay moves the wrong way; the message names both rows (the two
            values and totals), the lines that moved the wrong way, and explains both rows.
        UnknownCardError: the file has no such card (a `KeyError` and a `ksf.DataError`).
        ValueError: the card reads no number called ``indicator``.

    Examples:
        >>> import ksf
        >>> book = ksf.compile("card a { base 5000; margin balance 30% step 1% reward 200 }")
        >>> assert_monotone(book, "a", "margin")
        >>> bad = ksf.compile("card b { x balance 1 step 1 reward 100; bonus 500 when x < 3 }")
        >>> assert_monotone(bad, "b", "x", samples=1)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        AssertionError: total pay of card 'b' falls as `x` rises from 2.9999997 to 3, though ...
    """
    run = sweep(book, card, indicator, data=data, samples=samples, params=params, ranges=ranges)
    wrong = first_wrong(run)
    if wrong is not None:
        raise AssertionError(violation(run, *wrong))


# ---- drawing values ----------------------------------------------------------------------------


def _elements(plan: Plan, points: list[float]) -> SearchStrategy[float]:
    """Values for one name: its range, exact step points, and each edge and a hair either side.

    An edge is a value where the card's pay may jump (a `when` constant, a table threshold, a
    tier): a fault such as a bonus for a margin under 20% shows only right there.
    """
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
    near = sorted({p + d * HAIR * max(abs(p), 1.0) for p in points for d in (-1, 0, 1)})
    inside = [p for p in near if plan.low <= p <= plan.high]
    if inside:
        strategies.append(st.sampled_from(inside))
    return st.one_of(*strategies)


def _step_range(grid: Grid, low: float, high: float) -> tuple[int, int]:
    """The whole numbers k with ``balance + k * step`` within [low, high]."""
    return (
        math.ceil((low - grid.balance) / grid.step),
        math.floor((high - grid.balance) / grid.step),
    )
