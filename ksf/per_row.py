"""A balance rule's clause values read per row (LANGUAGE.md §9) → the kernel's `Clauses`.

The checks a number written in the file gets at compile time (``step`` above 0, ``reward``
and ``penalty`` 0 or more, ``floor`` not above ``cap``) are made here on each row's value;
a row that fails is a `DataError` naming the clause, the column it reads and the rows.
Missing clause values never reach this module: `ksf.missing` refuses them first.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np

from ksf import ir
from ksf._typing import BoolArray, FloatArray, IntArray
from ksf.catalogue import data_run as say
from ksf.errors import DataError
from ksf.frame import global_rows
from ksf.kernels.balance import (
    STEP_ERROR,
    STEP_NOISE,
    Clauses,
    Tiers,
    step_noise,
)
from ksf.kernels.commission import Given
from ksf.kernels.values import Value, read_column
from ksf.message import Keyword, Message

# What each clause's value must be, per row, and the words that say so.
_RULES: dict[str, tuple[Message, Callable[[Value], BoolArray]]] = {
    "step": (say.MUST_BE_ABOVE_0(), lambda v: np.greater(v, 0)),
    "reward": (say.MUST_BE_0_OR_MORE(), lambda v: np.greater_equal(v, 0)),
    "penalty": (say.MUST_BE_0_OR_MORE(), lambda v: np.greater_equal(v, 0)),
}


@functools.lru_cache(maxsize=4096)
def _given(line: ir.BalanceLine | ir.CommissionLine) -> tuple[ir.PerRow, ...]:
    return ir.per_row(line)


@functools.lru_cache(maxsize=4096)  # asked per row block; lines hash once (cache_hash)
def _singles(line: ir.BalanceLine) -> tuple[tuple[ir.PerRow, ...], dict[str, Any]]:
    """The single clauses read per row, and the others' values as written, by name."""
    written = {n: v for n in ir.BALANCE_CLAUSES if not isinstance(v := getattr(line, n), ir.PerRow)}
    return ir.clause_per_row(line), written


def balance_clauses(
    line: ir.BalanceLine, values: Sequence[Value], block: slice | IntArray, length: int
) -> Clauses | None:
    """The rule's clause values for a block, None when all are written as numbers.

    ``values``: the values of `ksf.ir.per_row` (the line's inputs after its value), in order:
    the single clauses', then the `beyond` points' and amounts' read per row.

    Raises:
        DataError: a row whose value fails the clause's check.
    """
    if not _given(line):
        return None
    singles, written = _singles(line)
    read = dict(zip((p.clause for p in singles), values[: len(singles)], strict=True))
    for clause in singles:
        if clause.clause in _RULES:
            words, holds = _RULES[clause.clause]
            value = read[clause.clause]
            if not holds(np.min(value)):  # every rule is a lower bound: the least value tells
                _refuse(line, clause, ~holds(value), words, block, length)
    picked = {**written, **read}
    _bounds(line, picked["floor"], picked["cap"], block, length)
    placed = None
    if line.beyond and not (line.good or line.bad):  # tiers placed on each row
        points = _beyond_values(line.beyond, values[len(singles) :])
        placed = _placed(line, picked, points, Rows(block, length))
    return Clauses(**picked, tiers=placed, read=tuple(values[len(singles) :]))


@attrs.frozen
class Rows:
    """The block a check runs on: its rows in the data, and its length."""

    block: slice | IntArray
    length: int


# A check that failed: its words, the column it names, and the rows (in the data).
Failed = tuple[Message, str, IntArray]


def _beyond_values(
    points: tuple[ir.Beyond, ...], values: Sequence[Value]
) -> list[tuple[ir.Beyond, Value, Value]]:
    """Each `beyond` clause with its point and amount: the number written, or the row's."""
    read = iter(values)
    return [
        (
            b,
            b.at if isinstance(b.at, float) else next(read),
            b.rate if isinstance(b.rate, float) else next(read),
        )
        for b in points
    ]


def _placed(
    line: ir.BalanceLine,
    picked: dict[str, Value],
    points: list[tuple[ir.Beyond, Value, Value]],
    rows: Rows,
) -> tuple[Tiers, Tiers]:
    """Each side's tiers, placed in whole steps from each row's balance point.

    The checks a `beyond` point gets at compile time, made per row: a whole number of steps
    away, not the balance point itself, on the side its kind pays (docs/language.md §13);
    an amount read per row 0 or more; a side with a point read per row keeps its tiers in
    the order written, each further from the balance point than the one before. Every
    check that fails on some row is named in one `DataError`.
    """
    direction = line.direction or 1
    balance, step = picked["balance"], picked["step"]
    failed: list[Failed] = []
    good: list[tuple[float, tuple[Value, Value], ir.Beyond]] = []
    bad: list[tuple[float, tuple[Value, Value], ir.Beyond]] = []
    for beyond, at, rate in points:
        # steps toward better (worse when lower is better): the sign is in the subtraction
        whole, off = _whole_steps_apart(balance, at, step, rows.length, direction)
        reward = beyond.kind == "reward"
        # On its side on every row (the least or the greatest tells): no check per row.
        fine = off is None and bool(whole.min() > 0 if reward else whole.max() < 0)
        if not fine:
            _side_checks(line, beyond, whole, off, failed, rows)
        if isinstance(beyond.rate, ir.PerRow):
            said = say.BEYOND_AMOUNT_NEGATIVE(
                clause=_clause_text(beyond, True), line=repr(line.name), kind=Keyword(beyond.kind)
            )
            _failed(failed, said, read_column(beyond.rate), np.less(rate, 0), rows)
        if not (reward and fine):
            np.abs(whole, out=whole)  # else a reward point past 0 on every row: |n| is n
        if off is not None:
            whole[off] = np.nan  # refused above; not compared with the other tiers either
        key = direction * at * (1 if reward else -1) if isinstance(at, float) else math.nan
        start: Value = float(whole) if whole.ndim == 0 else whole  # a number clips faster
        (good if reward else bad).append((key, (start, rate), beyond))
    sides = (_order(line, good, failed, rows), _order(line, bad, failed, rows))
    _raise_failed(failed, rows)
    first = ((0.0, picked["reward"]),), ((0.0, picked["penalty"]),)
    return first[0] + sides[0], first[1] + sides[1]


def _side_checks(
    line: ir.BalanceLine,
    beyond: ir.Beyond,
    whole: FloatArray,
    off: BoolArray | None,
    failed: list[Failed],
    rows: Rows,
) -> None:
    """Note the rows whose `beyond` point is off a whole step, at or wrong side of balance."""
    on = True if off is None else ~off
    column = _point_column(line, beyond)
    for bad_rows, words in (
        (False if off is None else off, say.BEYOND_NOT_WHOLE_STEPS),
        # a row off a whole step has no side: that check is the one it fails
        ((whole == 0) & on, say.BEYOND_IS_BALANCE),
        ((whole < 0 if beyond.kind == "reward" else whole > 0) & on, say.BEYOND_WRONG_SIDE_ROWS),
    ):
        message = words(
            beyond=_clause_text(beyond), line=repr(line.name), balance=_written_as(line)
        )
        _failed(failed, message, column, bad_rows, rows)


def _order(
    line: ir.BalanceLine,
    side: list[tuple[float, tuple[Value, Value], ir.Beyond]],
    failed: list[Failed],
    rows: Rows,
) -> Tiers:
    """A side's tiers in order: by the points written, or as written when one is read per row.

    Tiers in the order written must each start further from the balance point on every row.
    """
    if not any(math.isnan(key) for key, _, _ in side):
        return tuple(t for _, t, _ in sorted(side, key=lambda g: g[0]))
    for (_, before, first), (_, after, second) in itertools.pairwise(side):
        message = say.BEYOND_NOT_PAST(
            clause=_clause_text(second),
            line=repr(line.name),
            beyond=Keyword("beyond"),
            before=_point_text(first),
        )
        _failed(
            failed, message, _point_column(line, second), np.less_equal(after[0], before[0]), rows
        )
    return tuple(t for _, t, _ in side)


def _point_text(beyond: ir.Beyond) -> str:
    return beyond.at.text if isinstance(beyond.at, ir.PerRow) else beyond.text


def _clause_text(beyond: ir.Beyond, amount: bool = False) -> Message:
    """```beyond stretch_gm reward``` as written; with ``amount``, the amount too."""
    rate = beyond.rate.text if isinstance(beyond.rate, ir.PerRow) else f"{beyond.rate:g}"
    at, kind = _point_text(beyond), Keyword(beyond.kind)
    if amount:
        return say.BEYOND_QUOTED_AMOUNT(beyond=Keyword("beyond"), at=at, kind=kind, rate=rate)
    return say.BEYOND_QUOTED(beyond=Keyword("beyond"), at=at, kind=kind)


def _point_column(line: ir.BalanceLine, beyond: ir.Beyond) -> str:
    """The column a failed point check names: the point's own, else the balance's or step's."""
    if isinstance(beyond.at, ir.PerRow):
        return read_column(beyond.at)
    read = next((p for p in ir.clause_per_row(line) if p.clause in ("balance", "step")), None)
    return "" if read is None else read_column(read)


def _failed(failed: list[Failed], message: Message, column: str, bad: Any, rows: Rows) -> None:
    """Note a check that fails on some rows of the block."""
    if not np.any(bad):  # before broadcasting: one answer for a block of alike values
        return
    bad = np.broadcast_to(bad, (rows.length,))
    if bad.any():
        failed.append((message, column, global_rows(rows.block, np.flatnonzero(bad))))


def _raise_failed(failed: list[Failed], rows: Rows) -> None:
    """One `DataError` naming every check that failed, each with its column and rows."""
    if not failed:
        return
    if len(failed) == 1:
        message, column, bad = failed[0]
        raise DataError(message, column=column, rows=bad)
    every = np.unique(np.concatenate([r for _, _, r in failed]))
    checks = [(m, c, r.tolist()) for m, c, r in failed]
    message = say.CHECKS_FAIL(count=len(failed))
    raise DataError(message, column=failed[0][1], rows=every, checks=checks)


def _written_as(line: ir.BalanceLine) -> Message:
    balance = line.balance
    text = balance.text if isinstance(balance, ir.PerRow) else line.balance_text
    return say.WRITTEN(keyword=Keyword("balance"), text=text)


def _whole_steps_apart(
    start: Value, end: Value, step: Value, length: int, direction: int = 1
) -> tuple[FloatArray, BoolArray | None]:
    """Whole steps from each balance point to ``end`` (× ``direction``), the rows off one.

    The rows off a whole step are None when none is. `ksf.kernels.balance.steps_apart` for
    each row: a distance within float noise of a whole step is that step. Most distances
    are within `STEP_NOISE` of one (the least and the greatest remainder tell, without a
    mask); only the others are looked at with the full error bound. A balance point and
    step alike on every row of the block give one distance (0-d arrays), by the same
    arithmetic. ``direction`` −1 subtracts the other way round: the same magnitudes, negated
    exactly.
    """
    if isinstance(start, float) and isinstance(step, float) and isinstance(end, float):
        apart = direction * ((end - start) / step)  # negating is exact
        nearest = float(np.rint(apart))
        error = step_noise(start, step) + STEP_ERROR * (abs(end) / step + abs(apart))
        gap = abs(apart - nearest)
        off = gap > STEP_NOISE and gap > error
        return np.array(nearest), (np.array(True) if off else None)
    first, second = (start, end) if direction > 0 else (end, start)
    distance = np.empty(length)
    np.subtract(second, first, out=distance)
    distance /= step
    whole = np.rint(distance)
    distance -= whole
    if distance.max() <= STEP_NOISE and distance.min() >= -STEP_NOISE:
        return whole, None
    np.abs(distance, out=distance)
    off = distance > STEP_NOISE
    near = np.flatnonzero(off)
    each = [np.broadcast_to(v, (length,))[near] for v in (start, step, end)]
    apart = (each[2] - each[0]) / each[1]
    error = step_noise(each[0], each[1]) + STEP_ERROR * (np.abs(each[2]) / each[1] + np.abs(apart))
    off[near] = np.abs(apart - direction * whole[near]) > error
    return whole, (off if off.any() else None)


def commission_clauses(
    line: ir.CommissionLine, values: Sequence[Value], block: slice | IntArray, length: int
) -> Given | None:
    """A commission's rate, cap and floor for a block, None when all are written as numbers.

    ``values``: all the line's inputs (`ksf.ir.line_inputs`); those read per row come last,
    the single clauses' first, then the `beyond` thresholds' and rates'.

    Raises:
        DataError: a row whose floor is above its cap, whose tiers are not increasing, or
        whose tier rate read per row is below 0 (every failing check named).
    """
    given = ir.per_row(line)
    if not given:
        return None
    singles = ir.clause_per_row(line)
    start = len(values) - len(given)
    read = dict(zip((p.clause for p in singles), values[start : start + len(singles)], strict=True))
    rate, cap, floor = (
        read[name] if isinstance(v := getattr(line, name), ir.PerRow) else v
        for name in ir.COMMISSION_CLAUSES
    )
    _bounds(line, floor, cap, block, length)
    tiers = None
    if line.beyond:
        points = _beyond_values(line.beyond, values[start + len(singles) :])
        tiers = _commission_tiers(line, points, Rows(block, length))
    return Given(rate, cap, floor, tiers)


def _commission_tiers(
    line: ir.CommissionLine, points: list[tuple[ir.Beyond, Value, Value]], rows: Rows
) -> tuple[tuple[Value, Value], ...]:
    """A commission's tiers read per row: thresholds increasing, rates 0 or more, per row."""
    failed: list[Failed] = []
    for beyond, _, rate in points:
        if isinstance(beyond.rate, ir.PerRow):
            said = say.BEYOND_AMOUNT_NEGATIVE(
                clause=_clause_text(beyond, True), line=repr(line.name), kind=Keyword("rate")
            )
            _failed(failed, said, read_column(beyond.rate), np.less(rate, 0), rows)
    for (first, before, _), (second, after, _) in itertools.pairwise(points):
        message = say.TIER_NOT_ABOVE(
            clause=_clause_text(second),
            line=repr(line.name),
            beyond=Keyword("beyond"),
            before=_point_text(first),
        )
        column = _threshold_column(second, first)
        _failed(failed, message, column, np.less_equal(after, before), rows)
    _raise_failed(failed, rows)
    return tuple((at, rate) for _, at, rate in points)


def _threshold_column(second: ir.Beyond, first: ir.Beyond) -> str:
    """The column a failed order check names: the later threshold's, else the earlier's."""
    read = second.at if isinstance(second.at, ir.PerRow) else first.at
    return read_column(read) if isinstance(read, ir.PerRow) else ""


def _bounds(
    line: ir.BalanceLine | ir.CommissionLine,
    floor: Value | None,
    cap: Value | None,
    block: slice | IntArray,
    length: int,
) -> None:
    """Refuse the rows whose floor is above their cap, naming the one read per row."""
    if floor is None or cap is None:
        return
    above = np.greater(floor, cap)
    if isinstance(line.floor, ir.PerRow):
        _refuse(line, line.floor, above, say.ABOVE_THE_CAP(), block, length)
    elif isinstance(line.cap, ir.PerRow):
        _refuse(line, line.cap, above, say.BELOW_THE_FLOOR(), block, length)


def _refuse(
    line: ir.BalanceLine | ir.CommissionLine,
    clause: ir.PerRow,
    bad: BoolArray,
    words: Message,
    block: slice | IntArray,
    length: int,
) -> None:
    """Raise the `DataError` for the rows of the block where ``bad`` holds, if any."""
    if not np.any(bad):  # before broadcasting: one answer for a block of alike values
        return
    bad = np.broadcast_to(bad, (length,))
    written = say.WRITTEN(keyword=Keyword(clause.clause), text=clause.text)
    message = say.CLAUSE_OF_LINE_IS(clause=written, line=repr(line.name), words=words)
    rows = global_rows(block, np.flatnonzero(bad))
    raise DataError(message, column=read_column(clause), rows=rows)


def step_scale(line: ir.BalanceLine) -> float:
    """``1 / step`` for a step written as a number: a value's float error in steps.

    A step read per row is divided in by the error bound itself (`ksf.error_bounds`).
    """
    return 1.0 / line.step if isinstance(line.step, float) else 1.0
