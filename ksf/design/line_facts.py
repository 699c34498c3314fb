"""What a simulation says of each line, read from the card's history rows and its IR.

Per history row: whether a balance line's indicator is on the good or the bad side of its
balance point. Per line: history's best and worst row for the line's indicator, and what the
line pays at its balance point. The indicator and the clause values are computed by the same
generated code as a payroll (`ksf.codegen.compile_exprs` over the bound card), on all the
card's rows at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

import attrs
import numpy as np

from ksf import ir
from ksf._typing import BoolArray, FloatArray
from ksf.codegen import compile_exprs
from ksf.columns import Columns
from ksf.design.simulation import LineKind
from ksf.frame import run_code
from ksf.money import round_half_up

# LANGUAGE.md §7: values within one part in 10^9 (10^-9 below 1) are equal, so a margin of
# 30.000000000000004% is at a 30% balance point, neither above nor below it.
CLOSE = 1e-9


@attrs.frozen
class LineFacts:
    """A line's facts over the card's history rows (``above``/``below``: per row, or None)."""

    name: str
    kind: LineKind
    label: str | None
    above: BoolArray | None
    below: BoolArray | None
    best_row: int
    worst_row: int
    balance: float | None


def line_facts(
    card: ir.Card, columns: Columns, amounts: dict[str, FloatArray], unit: float
) -> list[LineFacts]:
    """Every line of the bound ``card``, then its top-up, over the rows of ``columns``.

    ``amounts``: each line's amounts on those rows, as the payroll paid them.
    """
    found = []
    for line in card.lines:
        paid = amounts[line.name]
        match line:
            case ir.BalanceLine() if _computable(line_exprs(line)):
                found.append(_balance(line, card.missing, columns, paid, unit))
            case ir.CommissionLine() if _computable([line.base]):
                (base,) = _values([line.base], columns)
                best, worst = _extremes(base, paid)
                kind: LineKind = "commission"
                found.append(LineFacts(line.name, kind, None, None, None, best, worst, None))
            case _:
                found.append(_by_amount(line.name, _kind(line), paid))
    if card.min_pay is not None:
        found.append(_by_amount("min_pay_topup", "min_pay", amounts["min_pay_topup"]))
    return found


def _kind(line: ir.Line) -> LineKind:
    match line:
        case ir.FixedLine() | ir.ByLine():
            return "fixed"
        case ir.BalanceLine():
            return "balance"
        case ir.CommissionLine():
            return "commission"
        case ir.BonusLine():
            return "bonus"
        case ir.ShareLine():
            return "share"
        case _:
            assert_never(line)


def _by_amount(name: str, kind: LineKind, paid: FloatArray) -> LineFacts:
    """A line without an indicator: history's best and worst are what it paid most and least."""
    best, worst = int(np.argmax(paid)), int(np.argmin(paid))
    return LineFacts(name, kind, None, None, None, best, worst, None)


def line_exprs(line: ir.BalanceLine) -> list[ir.Expr]:
    """The expressions a balance line's facts read: value, balance point, pot, cap, floor."""
    clauses = (line.balance, line.pot, line.cap, line.floor)
    return [line.value, *(_expr(c) for c in clauses if c is not None)]


def _expr(value: ir.ClauseValue) -> ir.Expr:
    return value.expr if isinstance(value, ir.PerRow) else ir.Const(float(value))


def _computable(exprs: Sequence[ir.Expr]) -> bool:
    """Whether the expressions stand alone: no earlier line's amount, no group aggregate."""
    alone = (ir.LineRef, ir.Subtotal, ir.Group)
    return not any(isinstance(n, alone) for e in exprs for n in ir.walk(e))


def _values(exprs: Sequence[ir.Expr], columns: Columns) -> list[FloatArray]:
    """Each expression's value on every row, by the payroll's own generated code."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        found = run_code(compile_exprs(exprs), columns, {}, None)
    return [np.broadcast_to(np.asarray(v, dtype=np.float64), (columns.n_rows,)) for v in found]


def _balance(
    line: ir.BalanceLine, missing: str, columns: Columns, paid: FloatArray, unit: float
) -> LineFacts:
    """A balance line: each row's side of the balance point, best and worst, pay at balance."""
    value, point, pot, *bounds = _values(line_exprs(line), columns)
    if missing == "zero":  # the card pays a missing indicator as 0, so it is compared as 0
        value = np.where(np.isnan(value), 0.0, value)
    direction = line.direction if line.direction is not None else 1
    gap = direction * (value - point)
    close = CLOSE * np.maximum(np.maximum(np.abs(value), np.abs(point)), 1.0)
    with np.errstate(invalid="ignore"):  # a missing value is neither side (`missing as balance`)
        above, below = gap > close, gap < -close
    best, worst = _extremes(direction * value, paid)
    cap = bounds.pop(0) if line.cap is not None else None
    floor = bounds.pop(0) if line.floor is not None else None
    at_balance = np.clip(pot, floor, cap) if cap is not None or floor is not None else pot
    rounded = round_half_up(np.array(at_balance, dtype=np.float64), unit)
    middle = float(np.sort(rounded)[(len(rounded) - 1) // 2])  # the same on every row, mostly
    named = line.value if isinstance(line.value, ir.Named) else None
    label = named.label if named is not None and named.name == line.name else None
    return LineFacts(line.name, "balance", label, above, below, best, worst, middle)


def _extremes(goodness: FloatArray, paid: FloatArray) -> tuple[int, int]:
    """The rows of the highest and lowest ``goodness`` (by amount paid where all are missing)."""
    if np.all(np.isnan(goodness)):
        return int(np.argmax(paid)), int(np.argmin(paid))
    return int(np.nanargmax(goodness)), int(np.nanargmin(goodness))
