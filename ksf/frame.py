"""Runs compiled code over rows, one cache-sized block at a time.

Registers are block-sized buffers reused once their last reader has run, so the working set
stays in cache and every operation writes in place. Rows are processed in blocks — a loop
over blocks, never over rows. ``keep_all`` runs the same steps on a few rows keeping every
register, which is what `Payroll.explain` reads.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from typing import Any

import numpy as np

from ksf import ir
from ksf._typing import FloatArray, IntArray
from ksf.catalogue import data_run as say
from ksf.code import Code
from ksf.columns import Columns
from ksf.errors import DataError
from ksf.kernels.matrix import text_codes
from ksf.kernels.values import BadValues, Value, steady
from ksf.message import Message

# Rows per block: 512 KiB per register. Smaller blocks fit a lower cache level but pay
# NumPy's per-call overhead more often; `benchmarks/run.py --block` measured 32K-128K alike.
BLOCK_ROWS = 65_536

# The values of a line-reference slot (`ksf.ir.LineRef`, `ksf.ir.Subtotal`) at given rows.
RefValues = Callable[["ir.LineRef | ir.Subtotal", "slice | IntArray"], FloatArray]


class Scratch:
    """Block-sized float buffers that the frames of several cards take turns with.

    Cards interleaved block by block (`ksf.row_plan`) run one block at a time on a thread,
    and nothing a block leaves in its buffers is read by the next: every card a thread runs
    borrows the same buffers, so they stay in cache and the memory is one card's, not all.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.arrays: list[FloatArray] = []
        self.taken = 0

    def rewind(self) -> Scratch:
        """Lend the buffers again from the first (to the next card's frame and run)."""
        self.taken = 0
        return self

    def take(self, count: int) -> list[FloatArray]:
        """``count`` buffers none of this card's others share."""
        while len(self.arrays) < self.taken + count:
            self.arrays.append(np.empty(self.size))
        self.taken += count
        return self.arrays[self.taken - count : self.taken]


class Frame:
    """The slot values of one block of rows."""

    def __init__(
        self,
        code: Code,
        params: Mapping[str, float],
        size: int,
        keep_all: bool = False,
        scratch: Scratch | None = None,
        gathers: bool = True,
    ) -> None:
        self.code = code
        self.size = size
        self.values: list[Any] = [None] * code.n_slots
        for slot, value in code.consts.items():
            self.values[slot] = value
        for slot, name in code.params.items():
            self.values[slot] = params[name]
        count = len(code.steps) if keep_all else code.n_buffers
        scratch = scratch or Scratch(size)
        self.buffers = scratch.take(count)
        self.keep_all = keep_all
        # per-column buffers for rows gathered by index (none when every block is a slice)
        taken = scratch.take(len(code.columns)) if gathers else []
        self.gather = dict(zip(code.columns, taken, strict=False))
        self.scanned = False  # whole columns checked: blocks that are slices skip the checks
        # Line amounts are never missing: the card's policy applied before they were rounded.
        self.complete: set[int] = set(code.consts) | set(code.params) | set(code.refs)
        self.steady_columns: dict[int, Value] = {}  # `steady`, once per column and block
        self.alike: dict[int, float] = {}  # columns holding one finite number on every row
        self.per_block: set[int] = set()  # columns checked block by block, not whole

    def load(self, data: Columns, rows: slice | IntArray) -> int:
        """Point column slots at this block's rows; returns the block's length."""
        length = 0
        self.steady_columns.clear()
        for slot, name in self.code.columns.items():
            column = data.numeric[name]
            if isinstance(rows, slice):
                block = column[rows]
                if not self.scanned:
                    check_infinite(block, name, rows)
            else:
                block = self.gather[slot][: len(rows)]
                np.take(column, rows, out=block)
                check_infinite(block, name, rows)  # whole columns: `scan_whole_columns`
            length = len(block)
            self.values[slot] = block
            if slot in self.per_block:
                self.check_block(slot, block, name, rows)
        for slot, node in self.code.text_codes.items():
            self.values[slot] = text_codes(data.text[node.column][rows], node.names)
            length = len(self.values[slot])
        return length

    def check_block(self, slot: int, block: FloatArray, name: str, rows: slice | IntArray) -> None:
        """Check a block of a column `scan_whole_columns` left to the blocks.

        No infinity, and whether the block is complete (a finite sum: no missing value
        either); the line reading it then finds it in cache. Steps reading it stay looked at.
        """
        if np.isfinite(np.add.reduce(block)):
            self.complete.add(slot)
            return
        self.complete.discard(slot)
        check_infinite(block, name, rows)

    def steady(self, slot: int) -> Value:
        """The slot's values, or one number when the block's are all the same (`steady`).

        Worked out once per block for a column (its checks and every line reading it share
        it); a register is reused by later steps, so it is looked at each time.
        """
        if slot in self.alike:
            return self.alike[slot]
        if slot not in self.code.columns:
            return steady(self.values[slot])
        if slot not in self.steady_columns:
            self.steady_columns[slot] = steady(self.values[slot])
        return self.steady_columns[slot]

    def scan_whole_columns(self, data: Columns, per_block: Collection[int] = ()) -> None:
        """Check whole columns once, so blocks of all rows skip the per-block checks.

        Infinite values are errors; slots that can never be missing are noted, and so are
        columns holding one number on every row (`steady`: a clause value read per row).
        The columns of ``per_block`` (clause values read per row) that vary are checked
        block by block instead (`check_block`), on the block a line is about to read: one
        pass over the column from memory saved.
        """
        complete = set(self.code.consts) | set(self.code.params) | set(self.code.refs)
        for slot, name in self.code.columns.items():
            column = data.numeric[name]
            alike = steady(column)  # at once unless the first and last values are equal
            if isinstance(alike, float) and math.isfinite(alike):
                self.alike[slot] = alike
                complete.add(slot)
            elif slot in per_block:
                self.per_block.add(slot)
            # One pass: a finite sum means no infinity and no missing value.
            elif np.isfinite(np.add.reduce(column)):
                complete.add(slot)
            else:
                check_infinite(column, name, slice(0, len(column)))
        for step in self.code.steps:
            # Only a division can turn known numbers into a missing value (x / 0).
            if step.node_op != "div" and all(a in complete for a in step.args):
                complete.add(step.out)
        self.complete = complete
        self.scanned = True

    def scanned_like(self, other: Frame) -> None:
        """What `scan_whole_columns` found for ``other`` (the same card), without a scan."""
        self.complete, self.alike = set(other.complete), other.alike
        self.per_block, self.scanned = other.per_block, other.scanned

    def fill(self, refs: RefValues, rows: slice | IntArray) -> None:
        """Point every line-reference slot at its values for the block's rows."""
        for slot, node in self.code.refs.items():
            self.values[slot] = refs(node, rows)

    def run(
        self, length: int, rows: slice | IntArray, start: int = 0, stop: int | None = None
    ) -> None:
        """Execute the steps (those from ``start`` to ``stop``, by default all) on the block."""
        steps = self.code.steps
        for position, step in enumerate(steps[start:stop], start):
            index = position if self.keep_all else self.code.buffer_of[step.out]
            out = self.buffers[index][:length]
            args = [self.values[a] for a in step.args]
            if self.alike and isinstance(step.node, ir.ScoreValue):
                # A KPI's points read per row from a column of one number: that number, so
                # the kernel takes the written KPI's curve without looking at the rows.
                args = [self.alike.get(a, value) for a, value in zip(step.args, args, strict=True)]
            try:
                step.kernel(out, *args)
            except BadValues as bad:
                raise data_error(bad.message, step.node, rows, bad.mask, bad.column) from None
            self.values[step.out] = out


def block_rows() -> int:
    """The block size in force (read at call time, so benchmarks can tune it)."""
    return BLOCK_ROWS


def check_infinite(block: FloatArray, name: str, rows: slice | IntArray) -> None:
    """Infinite input is always bad data. A block sum is finite unless something is not."""
    if np.isfinite(np.add.reduce(block)):
        return
    infinite = np.isinf(block)
    if infinite.any():
        raise DataError(
            say.INFINITE(), column=name, rows=global_rows(rows, np.flatnonzero(infinite))
        )


def global_rows(rows: slice | IntArray, local: IntArray) -> IntArray:
    """Row numbers in the whole data of positions within a block."""
    if isinstance(rows, slice):
        return np.asarray(local + (rows.start or 0), dtype=np.intp)
    return np.asarray(rows[local], dtype=np.intp)


def data_error(
    message: Message, node: ir.Expr, rows: slice | IntArray, mask: Any, column: str | None = None
) -> DataError:
    """A DataError for the rows of a block where ``mask`` holds, naming the column read."""
    columns = [n.name for n in ir.walk(node) if isinstance(n, ir.Column)]
    return DataError(
        message,
        column=column or (columns[0] if columns else None),
        rows=global_rows(rows, np.flatnonzero(np.asarray(mask))),
    )


def blocks(n_rows: int, rows: IntArray | None, size: int | None = None) -> list[slice | IntArray]:
    """The row blocks to run: slices of all rows, or pieces of an index array."""
    size = size or BLOCK_ROWS
    if rows is None:
        return [slice(start, min(start + size, n_rows)) for start in range(0, n_rows, size)]
    return [rows[start : start + size] for start in range(0, len(rows), size)]


def run_code(
    code: Code,
    data: Columns,
    params: Mapping[str, float],
    rows: IntArray | None,
    refs: RefValues | None = None,
) -> list[FloatArray | float]:
    """The values of ``code.outputs`` for the given rows (all rows when None).

    ``refs``: the values of the line references the code reads (LANGUAGE.md 9).
    """
    n = data.n_rows if rows is None else len(rows)
    results: list[FloatArray | float] = []
    outputs = [np.empty(n) for _ in code.outputs]
    frame = Frame(code, params, min(block_rows(), max(n, 1)), gathers=rows is not None)
    offset = 0
    for block in blocks(data.n_rows, rows):
        length = frame.load(data, block)
        if not code.columns and not code.text_codes:
            length = block.stop - block.start if isinstance(block, slice) else len(block)
        if refs is not None:
            frame.fill(refs, block)
        frame.run(length, block)
        for target, slot in zip(outputs, code.outputs, strict=True):
            target[offset : offset + length] = frame.values[slot]
        offset += length
    results.extend(outputs)
    return results
