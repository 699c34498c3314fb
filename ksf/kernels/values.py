"""What kernels take (an array of a block's values, or one scalar) and what they refuse."""

from __future__ import annotations

import math

import numpy as np

from ksf import ir
from ksf._typing import BoolArray, FloatArray
from ksf.message import Message

Value = FloatArray | float


def steady(values: Value) -> Value:
    """One number for a block whose values are all the same bits, else the values as given.

    A clause value read per row (LANGUAGE.md §9) is often one figure for a whole block (a
    target per store, rows sorted by store): as a number, the kernels run the arithmetic of
    the value written in the file, with no per-row array. One comparison decides it, bit
    for bit (−0.0 is not 0.0); a missing value is never collapsed.
    """
    if not isinstance(values, np.ndarray) or values.ndim != 1 or values.size == 0:
        return values
    first = float(values[0])
    # the last and the middle value first: varying values are told apart without a pass
    if (
        math.isnan(first)
        or values.dtype != np.float64
        or values[-1] != first
        or values[values.size // 2] != first
    ):
        return values
    if first == 0.0:  # −0.0 == 0.0: compare the bits
        bits = values.view(np.int64)
        return first if bool((bits == bits[0]).all()) else values
    return first if bool((values == first).all()) else values


class BadValues(Exception):  # noqa: N818 - an internal signal, turned into DataError by the caller
    """Values a kernel cannot accept; ``mask`` marks them within the block."""

    def __init__(self, mask: BoolArray, message: Message, column: str | None = None) -> None:
        super().__init__(str(message))
        self.mask = mask
        self.message = message
        self.column = column  # the column to name, when it is not the first the node reads


def read_column(clause: ir.PerRow) -> str:
    """The column (or param, or indicator) a clause value reads, to name in an error."""
    for node in ir.walk(clause.expr):
        match node:
            case ir.Column() | ir.Param() | ir.Named():
                return node.name
            case _:
                continue
    return clause.text
