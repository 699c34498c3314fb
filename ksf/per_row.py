"""A balance rule's clause values read per row (LANGUAGE.md §9) → the kernel's `Clauses`.

The checks a number written in the file gets at compile time (``step`` above 0, ``reward``
and ``penalty`` 0 or more, ``floor`` not above ``cap``) are made here on each row's value;
a row that fails is a `DataError` naming the clause, the column it reads and the rows.
Missing clause values never reach this module: `ksf.missing` refuses them first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, assert_never

import numpy as np

from ksf import ir
from ksf._typing import BoolArray, FloatArray, IntArray
from ksf.code import LineCode
from ksf.error_bounds import cancels
from ksf.errors import DataError
from ksf.frame import Frame, global_rows
from ksf.kernels.balance import (
    LARGE_BALANCE,
    STEP_ERROR,
    STEP_NOISE,
    Clauses,
    Tiers,
    step_noise,
)
from ksf.kernels.commission import Given
from ksf.kernels.values import Value, read_column

# What each clause's value must be, per row, and the words that say so.
_RULES: dict[str, tuple[str, Callable[[Value], BoolArray]]] = {
    "step": ("must be above 0", lambda v: np.greater(v, 0)),
    "reward": ("must be 0 or more", lambda v: np.greater_equal(v, 0)),
    "penalty": ("must be 0 or more", lambda v: np.greater_equal(v, 0)),
}


def steady_clauses(code: LineCode, frame: Frame, values: list[Any]) -> list[Any]:
    """The line's inputs, each clause value read per row one number where a block's are alike.

    The kernels then run the arithmetic of the value written in the file on the block, with
    no per-row array (`ksf.kernels.values.steady`), and its checks are made once.
    """
    count = len(_read(code.line))
    if count == 0:
        return values
    first = len(values) - count
    return [*values[:first], *(frame.steady(slot) for slot in code.inputs[first:])]


def _read(line: ir.Line) -> tuple[ir.PerRow, ...]:
    match line:
        case ir.BalanceLine() | ir.CommissionLine():
            return _given(line)
        case ir.FixedLine() | ir.ByLine() | ir.BonusLine() | ir.ShareLine():
            return ()
        case _:
            assert_never(line)


def needs_bound(line: ir.Line, values: Sequence[Value]) -> bool:
    """Whether a line with an amount error bound (`ksf.error_bounds.line_magnitude`) needs it.

    A prorated balance rule whose balance point or step is read per row needs none on a
    block where, on every row, its value cancels nothing and the balance point is fewer
    than `LARGE_BALANCE` steps from 0: the rule written with each row's values has none.
    """
    match line:
        case ir.BalanceLine() if line.prorate and _given(line) and not _cancels(line):
            read = dict(zip((p.clause for p in _given(line)), values[1:], strict=True))
            balance, step = (
                read[name] if isinstance(v := getattr(line, name), ir.PerRow) else v
                for name in ("balance", "step")
            )
            return not bool(np.max(np.abs(balance) / step) < LARGE_BALANCE)
        case _:
            return True


@functools.lru_cache(maxsize=4096)  # asked per row block; lines hash once (cache_hash)
def _cancels(line: ir.BalanceLine) -> bool:
    return cancels(line.value)


@functools.lru_cache(maxsize=4096)
def _given(line: ir.BalanceLine | ir.CommissionLine) -> tuple[ir.PerRow, ...]:
    return ir.per_row(line)


def balance_clauses(
    line: ir.BalanceLine, values: Sequence[Value], block: slice | IntArray, length: int
) -> Clauses | None:
    """The rule's clause values for a block, None when all are written as numbers.

    ``values``: the values of `ksf.ir.per_row` (the line's inputs after its value), in order.

    Raises:
        DataError: a row whose value fails the clause's check.
    """
    given = _given(line)
    if not given:
        return None
    read = dict(zip((p.clause for p in given), values, strict=True))
    for clause in given:
        if clause.clause in _RULES:
            words, holds = _RULES[clause.clause]
            value = read[clause.clause]
            if not holds(np.min(value)):  # every rule is a lower bound: the least value tells
                _refuse(line, clause, ~holds(value), words, block, length)
    picked = {
        name: read[name] if isinstance(v := getattr(line, name), ir.PerRow) else v
        for name in ir.BALANCE_CLAUSES
    }
    _bounds(line, picked["floor"], picked["cap"], block, length)
    placed = None
    if line.beyond and not (line.good or line.bad):  # tiers on a balance or step read per row
        placed = _placed(line, picked["balance"], picked["step"], block, length)
    return Clauses(**picked, tiers=placed)


def _placed(
    line: ir.BalanceLine, balance: Value, step: Value, block: slice | IntArray, length: int
) -> tuple[Tiers, Tiers]:
    """Each side's tiers, placed in whole steps from each row's balance point.

    The checks a `beyond` point gets at compile time, made per row: a whole number of steps
    away, not the balance point itself, on the side its kind pays (docs/language.md §13).
    The order of a side's tiers is the same on every row: it is the order of the points.
    """
    direction = line.direction or 1
    read = next(p for p in ir.per_row(line) if p.clause in ("balance", "step"))
    good: list[tuple[float, tuple[Value, float]]] = []
    bad: list[tuple[float, tuple[Value, float]]] = []
    for beyond in line.beyond:
        whole, off = _whole_steps_apart(balance, beyond.at, step, length)
        if direction < 0:
            np.negative(whole, out=whole)
        reward = beyond.kind == "reward"
        for bad_rows, words in (
            (off, "is not a whole number of steps from"),
            (whole == 0, "is"),
            (whole < 0 if reward else whole > 0, "is on the wrong side of"),
        ):
            message = (
                f"`beyond {beyond.text} {beyond.kind}` of line {line.name!r} {words} the "
                f"balance point `{_written_as(line)}`"
            )
            _refuse_rows(message, read_column(read), bad_rows, block, length)
        np.abs(whole, out=whole)
        side = good if reward else bad
        start = float(whole) if whole.ndim == 0 else whole  # a number clips faster
        side.append((direction * beyond.at * (1 if reward else -1), (start, beyond.rate)))
    assert isinstance(line.reward, float)  # noqa: S101 - the checker refused rates per row
    assert isinstance(line.penalty, float)  # noqa: S101
    first = ((0.0, line.reward),), ((0.0, line.penalty),)
    return (
        first[0] + tuple(t for _, t in sorted(good, key=lambda g: g[0])),
        first[1] + tuple(t for _, t in sorted(bad, key=lambda g: g[0])),
    )


def _written_as(line: ir.BalanceLine) -> str:
    balance = line.balance
    return f"balance {balance.text if isinstance(balance, ir.PerRow) else line.balance_text}"


def _whole_steps_apart(
    start: Value, end: float, step: Value, length: int
) -> tuple[FloatArray, BoolArray]:
    """Whole steps from each row's balance point to ``end``, and the rows off a whole step.

    `ksf.kernels.balance.steps_apart` for each row: a distance within float noise of a whole
    step is that step. Most distances are within `STEP_NOISE` of one; only the others are
    looked at with the full error bound. A balance point and step alike on every row of the
    block give one distance (0-d arrays), by the same arithmetic.
    """
    if isinstance(start, float) and isinstance(step, float):
        apart = (end - start) / step
        nearest = float(np.rint(apart))
        error = step_noise(start, step) + STEP_ERROR * (abs(end) / step + abs(apart))
        gap = abs(apart - nearest)
        return np.array(nearest), np.array(gap > STEP_NOISE and gap > error)
    distance = np.empty(length)
    np.subtract(end, start, out=distance)
    distance /= step
    whole = np.rint(distance)
    distance -= whole
    np.abs(distance, out=distance)
    off = distance > STEP_NOISE
    near = np.flatnonzero(off)
    if len(near):
        each = np.broadcast_to(start, (length,))[near], np.broadcast_to(step, (length,))[near]
        apart = (end - each[0]) / each[1]
        error = step_noise(each[0], each[1]) + STEP_ERROR * (abs(end) / each[1] + np.abs(apart))
        off[near] = np.abs(apart - whole[near]) > error
    return whole, off


def _refuse_rows(
    message: str, column: str, bad: BoolArray, block: slice | IntArray, length: int
) -> None:
    """Raise a `DataError` for the rows of the block where ``bad`` holds, if any."""
    if not np.any(bad):  # before broadcasting: one answer for a block of alike values
        return
    bad = np.broadcast_to(bad, (length,))
    if bad.any():
        raise DataError(message, column=column, rows=global_rows(block, np.flatnonzero(bad)))


def commission_clauses(
    line: ir.CommissionLine, values: Sequence[Value], block: slice | IntArray, length: int
) -> Given | None:
    """A commission's rate, cap and floor for a block, None when all are written as numbers.

    ``values``: all the line's inputs (`ksf.ir.line_inputs`); those read per row come last.

    Raises:
        DataError: a row whose floor is above its cap.
    """
    given = ir.per_row(line)
    if not given:
        return None
    read = dict(zip((p.clause for p in given), values[len(values) - len(given) :], strict=True))
    rate, cap, floor = (
        read[name] if isinstance(v := getattr(line, name), ir.PerRow) else v
        for name in ir.COMMISSION_CLAUSES
    )
    _bounds(line, floor, cap, block, length)
    return Given(rate, cap, floor)


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
        _refuse(line, line.floor, above, "is above the line's cap", block, length)
    elif isinstance(line.cap, ir.PerRow):
        _refuse(line, line.cap, above, "is below the line's floor", block, length)


def _refuse(
    line: ir.BalanceLine | ir.CommissionLine,
    clause: ir.PerRow,
    bad: BoolArray,
    words: str,
    block: slice | IntArray,
    length: int,
) -> None:
    """Raise the `DataError` for the rows of the block where ``bad`` holds, if any."""
    if not np.any(bad):  # before broadcasting: one answer for a block of alike values
        return
    bad = np.broadcast_to(bad, (length,))
    message = f"`{clause.clause} {clause.text}` of line {line.name!r} {words}"
    rows = global_rows(block, np.flatnonzero(bad))
    raise DataError(message, column=read_column(clause), rows=rows)


def step_scale(line: ir.BalanceLine) -> float:
    """``1 / step`` for a step written as a number: a value's float error in steps.

    A step read per row is divided in by the error bound itself (`ksf.error_bounds`).
    """
    return 1.0 / line.step if isinstance(line.step, float) else 1.0
