"""A role's history for calibration: its rows, a line's value on each, and percentiles of them.

The history is payroll-shaped data — one row per employee per period, a ``card`` column
naming each row's role, the columns the cards read — such as `ksf.indicators.aggregate`
gives. A line's value (``gross_margin``: revenue and cogs to a margin) is computed on every
row of the role at once with the same code `evaluate` runs; a row where it is missing (a
division by zero, an empty cell) is left out and counted, never guessed.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np

from ksf import ir
from ksf._typing import AnyArray, FloatArray, IntArray
from ksf.bind import Schema, bind
from ksf.catalogue import calibrate as say
from ksf.codegen import compile_exprs
from ksf.columns import Columns, from_data
from ksf.design.failure import CalibrationError
from ksf.frame import run_code
from ksf.ids import ID_COLUMNS, PERIOD_COLUMNS
from ksf.rulebook import Rulebook
from ksf.standard import standard_library

MIN_VALUES = 3  # the fewest values any percentile is taken from


@attrs.frozen
class History:
    """The history's columns, and what provenance comments name: its source and columns."""

    columns: Columns
    name: str
    card_column: str
    id_column: str | None
    period_column: str | None


@attrs.frozen
class Sample:
    """A line's values over some rows of the history, and where they came from."""

    values: FloatArray  # the rows' values, missing ones left out
    rows: IntArray  # the history rows the values are from
    left_out: int  # rows of the role where the value is missing
    periods: tuple[str, ...]  # the distinct periods of ``rows``, sorted


def read_history(data: Any, name: str, card_column: str, id_column: str | None) -> History:
    """The history's columns; ids, periods and cards stay text.

    Raises:
        CalibrationError: no ``card_column`` (the role of each row is unknown).
    """
    keep = (*ID_COLUMNS, *PERIOD_COLUMNS, card_column, *((id_column,) if id_column else ()))
    columns = from_data(data, keep_text=keep)
    if card_column not in columns.text:
        raise CalibrationError(say.NO_CARD_COLUMN(column=card_column, source=name))
    ids = id_column or next((c for c in ID_COLUMNS if c in columns.text), None)
    if ids is not None and ids not in columns.text:
        raise CalibrationError(say.NO_ID_COLUMN(column=ids, source=name))
    period = next((c for c in PERIOD_COLUMNS if c in columns.text), None)
    return History(columns, name, card_column, ids, period)


def role_rows(history: History, card: str) -> IntArray:
    """The history rows of a role (card).

    Raises:
        CalibrationError: the history has no row of the role.
    """
    rows = np.flatnonzero(history.columns.text[history.card_column] == card)
    if len(rows) == 0:
        roles = sorted(set(history.columns.text[history.card_column].tolist()))
        raise CalibrationError(
            say.NO_HISTORY(card=card, source=history.name, roles=", ".join(roles) or "—")
        )
    return rows


def values_of(book: Rulebook, expr: ir.Expr, columns: Columns, rows: IntArray) -> FloatArray:
    """An expression of the rule file (``gross_margin``) on the rows, as `evaluate` computes it."""
    probe = ir.Card(name="probe", label=None, lines=(ir.BonusLine(name="probe", amount=expr),))
    program = attrs.evolve(book.program, cards=(probe,), pools=())
    schema = Schema(frozenset(columns.numeric), frozenset(columns.text), frozenset())
    bound = bind(program, standard_library(), schema, {"probe"}).cards[0].lines[0]
    assert isinstance(bound, ir.BonusLine)  # noqa: S101 - the probe's one line
    with np.errstate(divide="ignore", invalid="ignore"):  # a division by zero is missing
        found = run_code(compile_exprs([bound.amount]), columns, {}, rows)[0]
    values: FloatArray = np.broadcast_to(np.asarray(found, dtype=np.float64), (len(rows),))
    return values


def sample(book: Rulebook, history: History, expr: ir.Expr, rows: IntArray) -> Sample:
    """The expression's values on the rows, missing ones left out and counted."""
    values = values_of(book, expr, history.columns, rows)
    known = np.isfinite(values)
    kept = rows[known]
    return Sample(values[known], kept, int((~known).sum()), periods_of(history, kept))


def periods_of(history: History, rows: IntArray) -> tuple[str, ...]:
    """The distinct periods of the rows (none when the history has no period column)."""
    if history.period_column is None:
        return ()
    return tuple(sorted(set(history.columns.text[history.period_column][rows].tolist())))


def least_values(q: float) -> int:
    """The fewest values percentile ``q`` (0 < q < 1) is taken from.

    At least `MIN_VALUES`, and enough that a value lies on each side of the percentile's
    rank: 1 ÷ min(q, 1 − q), so p60 needs 3, p90 10 and p95 20.
    """
    return max(MIN_VALUES, math.ceil(round(1 / min(q, 1 - q), 9)))


def percentile(values: FloatArray, q: float) -> float:
    """Percentile ``q`` by linear interpolation between the closest ranks (Excel PERCENTILE.INC)."""
    return float(np.quantile(values, q, method="linear"))


def grouped_percentiles(
    values: FloatArray, groups: AnyArray, q: float
) -> tuple[AnyArray, FloatArray, IntArray]:
    """Percentile ``q`` of each group's values, without a loop over groups or rows.

    Returns:
        The groups (sorted), each group's percentile and each group's count.
    """
    keys, inverse = np.unique(groups, return_inverse=True)
    order = np.lexsort((values, inverse))
    counts = np.bincount(inverse, minlength=len(keys))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    rank = q * (counts - 1)  # the same interpolation as `percentile`, within each group
    low = np.floor(rank).astype(np.int64)
    high = np.minimum(low + 1, counts - 1)
    fraction = rank - low
    ordered = values[order]
    below, above = ordered[starts + low], ordered[starts + high]
    found: FloatArray = below + (above - below) * fraction
    return keys, found, counts
