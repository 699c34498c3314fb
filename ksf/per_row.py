"""A balance rule's clause values read per row (LANGUAGE.md §9) → the kernel's `Clauses`.

The checks a number written in the file gets at compile time (``step`` above 0, ``reward``
and ``penalty`` 0 or more, ``floor`` not above ``cap``) are made here on each row's value;
a row that fails is a `DataError` naming the clause, the column it reads and the rows.
Missing clause values never reach this module: `ksf.missing` refuses them first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ksf import ir
from ksf._typing import BoolArray, FloatArray, IntArray
from ksf.catalogue import data_run as say
from ksf.errors import DataError
from ksf.frame import global_rows
from ksf.kernels.balance import STEP_ERROR, STEP_NOISE, Clauses, Tiers, step_noise
from ksf.kernels.commission import Given
from ksf.kernels.values import Value, read_column
from ksf.message import Keyword, Message

# What each clause's value must be, per row, and the words that say so.
_RULES: dict[str, tuple[Message, Callable[[Value], BoolArray]]] = {
    "step": (say.MUST_BE_ABOVE_0(), lambda v: np.greater(v, 0)),
    "reward": (say.MUST_BE_0_OR_MORE(), lambda v: np.greater_equal(v, 0)),
    "penalty": (say.MUST_BE_0_OR_MORE(), lambda v: np.greater_equal(v, 0)),
}


def balance_clauses(
    line: ir.BalanceLine, values: Sequence[Value], block: slice | IntArray, length: int
) -> Clauses | None:
    """The rule's clause values for a block, None when all are written as numbers.

    ``values``: the values of `ksf.ir.per_row` (the line's inputs after its value), in order.

    Raises:
        DataError: a row whose value fails the clause's check.
    """
    given = ir.per_row(line)
    if not given:
        return None
    read = dict(zip((p.clause for p in given), values, strict=True))
    for clause in given:
        if clause.clause in _RULES:
            words, holds = _RULES[clause.clause]
            _refuse(line, clause, ~holds(read[clause.clause]), words, block, length)
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
        written = say.BEYOND_POINT(
            beyond=Keyword("beyond"), at=beyond.text, kind=Keyword(beyond.kind)
        )
        for bad_rows, words in (
            (off, say.BEYOND_NOT_WHOLE_STEPS),
            (whole == 0, say.BEYOND_IS_BALANCE),
            (whole < 0 if reward else whole > 0, say.BEYOND_WRONG_SIDE_ROWS),
        ):
            message = words(beyond=written, line=repr(line.name), balance=_written_as(line))
            _refuse_rows(message, read_column(read), bad_rows, block, length)
        np.abs(whole, out=whole)
        side = good if reward else bad
        side.append((direction * beyond.at * (1 if reward else -1), (whole, beyond.rate)))
    assert isinstance(line.reward, float)  # noqa: S101 - the checker refused rates per row
    assert isinstance(line.penalty, float)  # noqa: S101
    first = ((0.0, line.reward),), ((0.0, line.penalty),)
    return (
        first[0] + tuple(t for _, t in sorted(good, key=lambda g: g[0])),
        first[1] + tuple(t for _, t in sorted(bad, key=lambda g: g[0])),
    )


def _written_as(line: ir.BalanceLine) -> Message:
    balance = line.balance
    text = balance.text if isinstance(balance, ir.PerRow) else line.balance_text
    return say.WRITTEN(keyword=Keyword("balance"), text=text)


def _whole_steps_apart(
    start: Value, end: float, step: Value, length: int
) -> tuple[FloatArray, BoolArray]:
    """Whole steps from each row's balance point to ``end``, and the rows off a whole step.

    `ksf.kernels.balance.steps_apart` for each row: a distance within float noise of a whole
    step is that step. Most distances are within `STEP_NOISE` of one; only the others are
    looked at with the full error bound.
    """
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
    message: Message, column: str, bad: BoolArray, block: slice | IntArray, length: int
) -> None:
    """Raise a `DataError` for the rows of the block where ``bad`` holds, if any."""
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
    bad = np.broadcast_to(bad, (length,))
    if not bad.any():
        return
    written = say.WRITTEN(keyword=Keyword(clause.clause), text=clause.text)
    message = say.CLAUSE_OF_LINE_IS(clause=written, line=repr(line.name), words=words)
    rows = global_rows(block, np.flatnonzero(bad))
    raise DataError(message, column=read_column(clause), rows=rows)


def step_scale(line: ir.BalanceLine) -> float:
    """``1 / step`` for a step written as a number: a value's float error in steps.

    A step read per row is divided in by the error bound itself (`ksf.error_bounds`).
    """
    return 1.0 / line.step if isinstance(line.step, float) else 1.0
