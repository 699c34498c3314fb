"""What kernels take (an array of a block's values, or one scalar) and what they refuse."""

from __future__ import annotations

from ksf import ir
from ksf._typing import BoolArray, FloatArray
from ksf.message import Message

Value = FloatArray | float


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
