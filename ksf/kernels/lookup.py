"""Table lookups: the first matching row wins, with bounds moved by the float tolerance."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from ksf import ir
from ksf._typing import FloatArray
from ksf.kernels.tolerance import PLAIN_COMPARE, tolerant
from ksf.kernels.values import Value
from ksf.money import AMOUNT_ERROR


def lookup_within(table: ir.TableSpec) -> Callable[[FloatArray, Value, Value], None]:
    """``lookup(table)`` on a value that cancels digits, given its magnitude.

    A value within its float error of a row's bound is on the bound (LANGUAGE.md 7):
    2,000,000.3 − 1,999,999.5 is 0.8 by hand and meets ``>= 0.8``.
    """
    plain = lookup(table)
    thresholds = sorted(set(table.thresholds))

    def kernel(out: FloatArray, x: Value, magnitude: Value) -> None:
        with np.errstate(invalid="ignore"):
            error = np.multiply(magnitude, AMOUNT_ERROR)
            snapped = np.array(x, dtype=np.float64)
            for t in thresholds:  # a few rows; each pass is vectorised over the block
                np.copyto(snapped, t, where=np.abs(np.subtract(x, t)) <= error)
        plain(out, snapped)

    return kernel


# Up to this many rows, a table lookup counts the thresholds each value reaches (one
# comparison pass per row, vectorised); past it a binary search wins. searchsorted over a
# 4-row table was measured 6x slower than counting on 65,536 values.
COUNT_ROWS = 16


class _Scratch(threading.local):
    """Per-thread work arrays for a kernel that needs more than its ``out`` buffer.

    Allocating a block-sized array per call costs more than the arithmetic (fresh pages
    from the OS), so each kernel keeps one of each kind and grows it when a block is bigger.
    """

    def __init__(self) -> None:
        self.arrays: dict[str, Any] = {}

    def get(self, n: int, dtype: type[Any]) -> Any:
        key = np.dtype(dtype).str
        array = self.arrays.get(key)
        if array is None or len(array) < n:
            array = self.arrays[key] = np.empty(n, dtype=dtype)
        return array[:n]


def lookup(table: ir.TableSpec) -> Callable[[FloatArray, Value], None]:
    """A table lookup: first matching row wins; a missing value stays missing.

    Each row's bound is moved by the tolerance of LANGUAGE.md 7 once, here: ``>= 90`` becomes
    ``> 89.99999991``, so a score of 89.99999999999997 is on the row and no lookup costs more.
    """
    moved = [tolerant(op, t) for op, t in zip(table.ops, table.thresholds, strict=True)]
    row_ops = [op for op, _ in moved]
    ops = set(row_ops)
    values = np.array([*table.values, table.otherwise])
    thresholds = np.array([t for _, t in moved])
    if (ops <= {">=", ">"} and np.all(np.diff(thresholds) < 0)) or len(thresholds) == 0:
        ascending = thresholds[::-1]
        side = "right" if ops <= {">="} else "left"
        if len(ops) == 1 or not ops:
            if len(thresholds) <= COUNT_ROWS:
                return _counting_lookup(ascending, values[::-1].copy(), ops <= {">="})

            def descending_rows(out: FloatArray, x: Value) -> None:
                x = np.broadcast_to(x, out.shape)  # a params scalar fills the block
                found = np.searchsorted(ascending, x, side=side)  # type: ignore[call-overload]
                index = np.where(found == 0, len(ascending), len(ascending) - found)
                np.take(values, index, out=out)
                out[np.isnan(x)] = np.nan

            return descending_rows

    def first_match(out: FloatArray, x: Value) -> None:
        arr = np.broadcast_to(np.asarray(x, dtype=np.float64), out.shape)
        out.fill(table.otherwise)
        done = np.zeros(out.shape, dtype=bool)
        for op, t, v in zip(row_ops, thresholds, table.values, strict=True):
            hit = PLAIN_COMPARE[op](arr, t) & ~done
            out[hit] = v
            done |= hit
        out[np.isnan(arr)] = np.nan

    return first_match


def _counting_lookup(
    ascending: FloatArray, by_count: FloatArray, inclusive: bool
) -> Callable[[FloatArray, Value], None]:
    """Rows ``>= t`` (or all ``> t``) with falling thresholds: count the thresholds reached.

    A value reaching k of the thresholds matches the k-th row from the bottom, so
    ``by_count[k]`` (``else`` first, then the rows bottom-up) is its value. A missing value
    reaches none; it is put back as missing afterwards.
    """
    reaches = np.greater_equal if inclusive else np.greater
    scratch = _Scratch()

    def counting_rows(out: FloatArray, x: Value) -> None:
        n = out.shape[0] if out.ndim else 1
        # Counts fit a byte (at most COUNT_ROWS); byte additions are 20x cheaper than adding
        # booleans into an intp array, and one widening copy feeds np.take.
        count = scratch.get(n, np.uint8).reshape(out.shape)
        hit = scratch.get(n, np.bool_).reshape(out.shape)
        index = scratch.get(n, np.intp).reshape(out.shape)
        count.fill(0)
        for threshold in ascending:
            reaches(x, threshold, out=hit)
            np.add(count, hit.view(np.uint8), out=count)
        np.copyto(index, count)
        np.take(by_count, index, out=out)
        if not np.isfinite(np.add.reduce(x, axis=None)):
            out[np.isnan(np.broadcast_to(x, out.shape))] = np.nan

    return counting_rows
