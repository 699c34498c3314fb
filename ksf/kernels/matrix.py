"""Decision matrices (LANGUAGE.md 10): the first row whose every cell matches wins.

One pass per table row and key, each vectorised over the block; never a loop over data rows.
Text keys arrive as codes (`text_codes`), so a text cell is an equality on numbers. A
missing key value (NaN: an empty number or text cell) makes the lookup missing, as a
missing value does for a one-key table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ksf import ir
from ksf._typing import BoolArray, FloatArray
from ksf.kernels.tolerance import PLAIN_COMPARE, above_equal, below_equal, tolerant
from ksf.kernels.values import Value
from ksf.money import AMOUNT_ERROR

# A cell as plain comparisons against bounds moved by the float tolerance (LANGUAGE.md 7):
# ``>= 90`` is one test, ``== 3`` two (above 3 − noise and below 3 + noise), ``*`` none.
_Tests = tuple[tuple[Callable[..., BoolArray], float], ...]


def cell_tests(cell: ir.MatrixCell) -> _Tests:
    """The comparisons a key value must pass to match ``cell``."""
    match cell.op:
        case "*":
            return ()
        case "==":
            return ((np.greater, below_equal(cell.number)), (np.less, above_equal(cell.number)))
        case op:
            moved, bound = tolerant(op, cell.number)
            return ((PLAIN_COMPARE[moved], bound),)


def bounds_of(spec: ir.MatrixSpec, key: int) -> list[float]:
    """The numbers key ``key``'s cells compare with, each once."""
    return sorted({row[key].number for row in spec.rows if row[key].op != "*"})


def snap(value: Value, magnitude: Value, bounds: Sequence[float]) -> FloatArray:
    """A key within its float error of a cell's bound is on the bound (LANGUAGE.md 7).

    ``magnitude`` bounds the magnitudes that went into a key that cancels digits
    (`ksf.error_bounds.magnitude`): 2,000,000.3 − 1,999,999.5 is 0.8 by hand, on ``>= 0.8``.
    """
    snapped = np.array(value, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        error = np.multiply(magnitude, AMOUNT_ERROR)
        for bound in bounds:  # a few cells; each pass is vectorised over the block
            np.copyto(snapped, bound, where=np.abs(np.subtract(value, bound)) <= error)
    return snapped


def matrix_lookup(spec: ir.MatrixSpec, bounded: Sequence[bool] = ()) -> Callable[..., None]:
    """The kernel ``out = spec(key_1, …, key_n, magnitudes…)``, keys as arrays or scalars.

    ``bounded[k]``: key ``k`` cancels digits, and its magnitude follows the keys (in key order).
    """
    rows = [[cell_tests(cell) for cell in row] for row in spec.rows]
    values = spec.values
    n = len(spec.keys)
    snapped = [(k, bounds_of(spec, k)) for k, b in enumerate(bounded) if b]

    def kernel(out: FloatArray, *args: Value) -> None:
        keys = list(args[:n])
        for (key, bounds), magnitude in zip(snapped, args[n:], strict=True):
            keys[key] = snap(keys[key], magnitude, bounds)
        arrays = [np.broadcast_to(np.asarray(k, dtype=np.float64), out.shape) for k in keys]
        out.fill(spec.otherwise)
        todo = np.ones(out.shape, dtype=bool)  # rows no table row has matched yet
        hit = np.empty(out.shape, dtype=bool)
        passed = np.empty(out.shape, dtype=bool)
        for cells, value in zip(rows, values, strict=True):  # table rows, not data rows
            np.copyto(hit, todo)
            for array, tests in zip(arrays, cells, strict=True):
                for compare, bound in tests:
                    compare(array, bound, out=passed)
                    hit &= passed
            out[hit] = value
            todo &= ~hit
        for array in arrays:
            out[np.isnan(array)] = np.nan

    return kernel


def matched_row(spec: ir.MatrixSpec, keys: Sequence[float]) -> int | None:
    """The index of the row that one row's key values match (None: `else`, or missing).

    The same tests as `matrix_lookup`, on one row: explain shows the row the payroll used.
    """
    if any(np.isnan(k) for k in keys):
        return None
    for index, row in enumerate(spec.rows):
        if all(
            bool(compare(key, bound))
            for key, cell in zip(keys, row, strict=True)
            for compare, bound in cell_tests(cell)
        ):
            return index
    return None


def text_codes(values: Any, names: Sequence[str]) -> FloatArray:
    """Each text's index among ``names``; -1 for another text, NaN for an empty cell."""
    texts = np.asarray(values)
    if texts.dtype.kind != "U":  # object cells (from a DataFrame) compare as their text
        texts = texts.astype(str)
    codes = np.full(texts.shape, -1.0)
    for index, name in enumerate(names):  # the table's names, not the data's rows
        codes[texts == name] = index
    codes[texts == ""] = np.nan  # an empty cell is a missing value (`ksf.cell_numbers`)
    return codes
