"""What kernels take (an array of a block's values, or one scalar) and what they refuse."""

from __future__ import annotations

from ksf._typing import BoolArray, FloatArray

Value = FloatArray | float


class BadValues(Exception):  # noqa: N818 - an internal signal, turned into DataError by the caller
    """Values a kernel cannot accept; ``mask`` marks them within the block."""

    def __init__(self, mask: BoolArray, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.mask = mask
        self.message = message
        self.column = column  # the column to name, when it is not the first the node reads
