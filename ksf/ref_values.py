"""The values of line references (LANGUAGE.md 9): an earlier line's rounded amount, a subtotal.

A card run reads them from the payroll's amounts, where each line's rounded amount is
written before the lines below it run; an explanation reads them from the row's amounts.
A subtotal is a sum of rounded amounts, snapped to the unit so that float noise
(0.1 + 0.2) never reaches a comparison or a rounding.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ksf import ir
from ksf._typing import FloatArray, IntArray
from ksf.code import CardCode
from ksf.frame import Frame, RefValues
from ksf.money import snap


def literal(line: ir.Line) -> float | None:
    """A fixed line's amount when it is written as a number (added up once), else None."""
    if isinstance(line, ir.FixedLine) and isinstance(line.amount, ir.Const):
        return line.amount.value
    return None


def before_line(
    frame: Frame, compiled: CardCode, position: int, length: int, rows: slice | IntArray
) -> None:
    """Run the steps the line at ``position`` needs first.

    All of them before the first line, unless the card's lines read earlier lines: then each
    line's own, once the lines it reads are done.
    """
    stages = compiled.stages
    if stages:
        frame.run(length, rows, stages[position - 1] if position else 0, stages[position])
    elif position == 0:
        frame.run(length, rows)


def after_line(
    frame: Frame, compiled: CardCode, position: int, refs: RefValues | None, rows: slice | IntArray
) -> None:
    """Fill the reference slots that the line at ``position`` completes, now it is rounded."""
    if compiled.fills and compiled.fills[position]:
        assert refs is not None  # noqa: S101 - a card run sets them before its blocks
        for slot, node in compiled.fills[position]:
            frame.values[slot] = refs(node, rows)


def from_payroll(compiled: CardCode, amounts: FloatArray, unit: float) -> RefValues:
    """References read from ``amounts[line, row]``, the payroll being filled."""
    index_of = {code.line.name: code.index for code in compiled.lines}
    order = np.array([code.index for code in compiled.lines], dtype=np.intp)

    def values(node: ir.LineRef | ir.Subtotal, rows: slice | IntArray) -> FloatArray:
        if isinstance(node, ir.LineRef):
            found: FloatArray = amounts[index_of[node.name], rows]
            return found
        lines = order[: node.count]
        # a slice keeps the row range a view; rows by index need their cross product
        picked = amounts[lines, rows] if isinstance(rows, slice) else amounts[np.ix_(lines, rows)]
        total: FloatArray = np.add.reduce(picked, axis=0)
        snap(total, unit)
        return total

    return values


def from_row(card: ir.Card, amounts: Mapping[str, float], unit: float) -> RefValues:
    """References for one row, read from its payroll amounts (for an explanation).

    The row's lines are in the payroll already, so every reference is known up front.
    """
    names = [line.name for line in card.lines]

    def values(node: ir.LineRef | ir.Subtotal, rows: slice | IntArray) -> FloatArray:
        length = rows.stop - rows.start if isinstance(rows, slice) else len(rows)
        if isinstance(node, ir.LineRef):
            return np.full(length, amounts.get(node.name, 0.0))
        total = np.full(length, sum(amounts.get(n, 0.0) for n in names[: node.count]))
        snap(total, unit)
        return total

    return values
