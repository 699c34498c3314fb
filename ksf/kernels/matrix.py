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


def matrix_lookup(spec: ir.MatrixSpec) -> Callable[..., None]:
    """The kernel ``out = spec(key_1, …, key_n)``, keys as arrays (or params scalars)."""
    rows = [[cell_tests(cell) for cell in row] for row in spec.rows]
    values = spec.values

    def kernel(out: FloatArray, *keys: Value) -> None:
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
