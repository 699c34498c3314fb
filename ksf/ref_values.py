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
from ksf.frame import RefValues
from ksf.money import snap


def from_payroll(
    card: ir.Card, index_of: Mapping[str, int], amounts: FloatArray, unit: float
) -> RefValues:
    """References read from ``amounts[line, row]``, the payroll being filled."""
    order = np.array([index_of[line.name] for line in card.lines], dtype=np.intp)

    def values(node: ir.LineRef | ir.Subtotal, rows: slice | IntArray) -> FloatArray:
        if isinstance(node, ir.LineRef):
            found: FloatArray = amounts[index_of[node.name], rows]
            return found
        lines = order[: node.count]
        if isinstance(rows, slice):
            picked = amounts[lines, rows]
        else:
            picked = amounts[np.ix_(lines, rows)]
        total: FloatArray = np.add.reduce(picked, axis=0)
        snap(total, unit)
        return total

    return values


def from_row(card: ir.Card, amounts: Mapping[str, float], unit: float) -> RefValues:
    """References for one row, read from its payroll amounts (for an explanation)."""
    names = [line.name for line in card.lines]

    def values(node: ir.LineRef | ir.Subtotal, rows: slice | IntArray) -> FloatArray:
        length = rows.stop - rows.start if isinstance(rows, slice) else len(rows)
        if isinstance(node, ir.LineRef):
            return np.full(length, amounts.get(node.name, 0.0))
        total = np.full(length, sum(amounts.get(n, 0.0) for n in names[: node.count]))
        snap(total, unit)
        return total

    return values

