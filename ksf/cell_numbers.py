"""How a cell becomes a float64 number, or stays text: the one rule every data path shares.

A column's cells, whatever holds them (a list, an object array, a pandas, polars or Arrow
string column), are read by one rule: a *plain number* — an optional sign, ASCII digits, an
optional decimal point and an optional exponent (``-12.5``, ``1e3``) — is that number; an
empty string is a missing value; anything else (``0_3``, Arabic-Indic ``٣``, ``1,200``,
``12%``) is text, and a column holding text is a text column. Python numbers become
float64; floats narrower than float64 and integers past 2**53 are refused or kept as text
rather than rounded. Files add the readings an export needs (thousands separators,
percentages) in `ksf.io.cells`, on top of this rule. `ksf.columns` calls
`numbers_or_text` on each column it takes in.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np

from ksf._typing import AnyArray, BoolArray, FloatArray
from ksf.catalogue import data as say
from ksf.errors import DataError

EXACT_INT = 2**53  # every integer up to this is exactly a float64


def check_float_width(name: str, dtype: Any) -> None:
    """Refuse floats narrower than float64: they have lost cents before ksf sees them.

    A float32 keeps about 7 significant digits: 1234567.89 is stored as 1234567.875, and
    even 1005.05 as 1005.04998…, which a 10% line rounds to 100.50, not 100.51. A float16
    keeps about 3: 1234.5 is stored as 1234. Widening cannot bring the digits back, so the
    caller must read the column as float64. Every path (a mapping, pandas, polars, Arrow, a
    Parquet file) refuses them with this message.
    """
    width = np.dtype(getattr(dtype, "numpy_dtype", dtype)).itemsize
    if width < 8:  # float64 is 8 bytes
        digits, example = (
            (7, say.NARROW_FLOAT_EXAMPLE(given="1234567.89", kept="1234567.875"))
            if width >= 4
            else (3, say.NARROW_FLOAT_EXAMPLE(given="1234.5", kept="1234"))
        )
        said = say.NARROW_FLOAT(column=repr(name), dtype=dtype, digits=digits, example=example)
        raise DataError(said, column=name)


def _beyond_float(array: AnyArray) -> bool:
    """Whether an integer array holds a value a float64 cannot hold exactly."""
    return int(array.max()) > EXACT_INT or int(array.min()) < -EXACT_INT  # Python ints


def beyond_exact(name: str, column: AnyArray) -> DataError | None:
    """The error for whole numbers past 2**53 in a text column a rule reads as numbers.

    An integer column holding such a number (a NumPy int64, a list, pandas, Arrow) is kept
    as text so that a 64-bit id keeps every digit (see `numbers_or_text`); a rule that reads it as
    an amount would compute with a float64 that drops digits (2**53 + 1 becomes 2**53). None
    when no cell is such a number (the column is text for another reason).
    """
    stripped = np.char.strip(column.astype(str))
    values = plain_numbers(stripped)
    if values is None:
        return None
    near = np.flatnonzero(np.abs(np.nan_to_num(values)) >= EXACT_INT)
    # the exact test on the few candidates: a float64 cannot tell 2**53 from 2**53 + 1
    rows = [int(r) for r in near if _whole_beyond(str(stripped[r]))]
    if not rows:
        return None
    said = say.BEYOND_EXACT(column=repr(name), example=str(stripped[rows[0]]))
    return DataError(said, column=name, rows=rows)


def _whole_beyond(cell: str) -> bool:
    """Whether a plain-number cell is an integer beyond ±2**53."""
    try:
        return abs(int(cell)) > EXACT_INT
    except ValueError:  # 1e20, 12.5: not a whole number as written
        return False


_PLAIN = "0123456789+-.eE"  # every character a plain number may hold (ASCII only)


def plain_numbers(stripped: AnyArray) -> FloatArray | None:
    """Stripped string cells as float64 (empty → NaN), or None if one is not a plain number.

    A plain number is an optional sign, ASCII digits, an optional decimal point and an
    optional exponent: what a program writes. ``float`` would also read ``0_3`` (as 3) and
    ``٣`` (Arabic-Indic 3); a payroll does not guess, so those are text.
    """
    if not stripped.size:  # NumPy's string functions refuse an empty array of no width
        return np.zeros(0)
    empty = stripped == ""
    if (np.char.strip(stripped.astype(str), _PLAIN) != "").any():
        return None
    try:
        values = np.where(empty, "nan", stripped).astype(np.float64)
    except ValueError:  # "+", "1e", "1.2.3": plain characters, not a number
        return None
    # "1e999" overflows: no payroll value is that large, and inf is not a number to pay.
    if not np.isfinite(values[~empty]).all():
        return None
    return values


def not_plain(column: AnyArray) -> list[int]:
    """The rows of a text column whose cells are neither empty nor plain numbers (0-based)."""
    stripped = np.char.strip(column.astype(str))
    if plain_numbers(stripped) is not None:
        return []
    # Only reached when a column a rule reads as a number holds text: the slow path that
    # names the offending rows.
    return [
        i for i, cell in enumerate(stripped.tolist()) if plain_numbers(np.array([cell])) is None
    ]


def _kinds(array: AnyArray) -> tuple[BoolArray, BoolArray, BoolArray, BoolArray]:
    """Which cells of an object array are blank, strings, containers and numbers."""
    kinds = np.asarray(_cell_kind(array), dtype=np.int8) if array.size else np.zeros(0, np.int8)
    return kinds == _BLANK, kinds == _STRING, kinds == _NESTED, kinds == _NUMBER


_BLANK, _STRING, _NUMBER, _NESTED, _OTHER = range(5)


def _kind_of(value: object) -> int:
    """A cell's kind, by its type: the exact types first, as they are the common ones."""
    kind = type(value)
    if kind is str:
        return _STRING
    if kind is float:
        return _BLANK if math.isnan(value) else _NUMBER  # type: ignore[arg-type]
    if value is None:
        return _BLANK
    if kind is int or kind is bool:
        return _NUMBER
    if isinstance(value, str):
        return _STRING
    if isinstance(value, (float, np.floating)):
        return _BLANK if math.isnan(value) else _NUMBER
    if isinstance(value, (numbers.Real, Decimal)):
        return _NUMBER
    if isinstance(value, (list, tuple, dict, set, frozenset, np.ndarray, Mapping)):
        return _NESTED
    return _OTHER


# Object arrays hold Python objects, so this test runs per element whatever we do; it stays
# at the data boundary, never in evaluation.
_cell_kind = np.frompyfunc(_kind_of, 1, 1)


def numbers_or_text(name: str, values: Any, *, as_text: bool = False) -> AnyArray:
    """One column's values as float64 numbers, or as text when a cell is not a number.

    ``as_text`` keeps string cells as text even when they are plain numbers (an id ``007``).

    Raises:
        DataError: records, complex numbers, raw bytes, bytes that are not text, a float
            narrower than float64, a container in a cell, an integer past float64's range.
    """
    array = np.asarray(values)
    if array.dtype.names is not None:  # a structured (record) array: several values a row
        fields = ", ".join(array.dtype.names)
        raise DataError(say.RECORDS(column=repr(name), fields=fields), column=name)
    if array.dtype.kind == "f":
        check_float_width(name, array.dtype)
    if array.dtype.kind in "iu" and array.size and _beyond_float(array):
        # Past 2**53 a float64 drops digits: 64-bit database ids (snowflake ids) would
        # change. No amount is that large, so the column is text, every digit kept.
        return array.astype(str)
    if array.dtype.kind in "fiub":
        return np.asarray(array, dtype=np.float64)
    if array.dtype.kind == "c":
        raise DataError(say.COMPLEX(column=repr(name)), column=name)
    if array.dtype.kind == "O":
        return _objects(name, array, as_text=as_text)
    if array.dtype.kind == "V":
        raise DataError(say.RAW_BYTES(column=repr(name), dtype=array.dtype), column=name)
    try:
        texts = np.char.strip(array if array.dtype.kind == "U" else array.astype(str))
    except UnicodeDecodeError:  # bytes that are not text
        raise DataError(say.UNDECODED_BYTES(column=repr(name)), column=name) from None
    values = None if as_text else plain_numbers(texts)
    return texts if values is None else values


def _objects(name: str, array: AnyArray, *, as_text: bool) -> AnyArray:
    """An object column (pandas, polars, Arrow strings; mixed lists): numbers or text."""
    blank, string, nested, number = _kinds(array)
    if nested.any():
        rows = np.flatnonzero(nested)
        kind = type(array[rows[0]]).__name__
        said = say.CONTAINER_CELL(column=repr(name), kind=kind)
        raise DataError(said, column=name, rows=rows)
    if not string.any() and not as_text and (number | blank).all():
        return float_cells(name, np.where(blank, np.nan, array))  # numbers and blanks
    texts = np.char.strip(array[string].astype(str)) if string.any() else np.zeros(0, str)
    blank[np.flatnonzero(string)[texts == ""]] = True  # an empty string is an empty cell
    if not as_text and (string | number | blank).all():  # a date or bytes is not a number
        parsed = plain_numbers(texts)
        if parsed is not None:
            if string.all():
                return parsed
            filled = np.full(len(array), np.nan)
            numeric = number & ~blank
            filled[numeric] = float_cells(name, array, numeric)[numeric]
            filled[string] = parsed
            return filled
    if string.all():
        return texts
    try:
        cells = array.astype(str)
    except UnicodeDecodeError:  # bytes that are not ASCII text
        undecoded = [i for i, v in enumerate(array.tolist()) if isinstance(v, bytes)]
        said = say.UNDECODED_BYTES(column=repr(name))
        raise DataError(said, column=name, rows=undecoded) from None
    cells[string] = texts
    cells[blank] = ""
    return cells


def float_cells(name: str, cells: AnyArray, where: BoolArray | None = None) -> FloatArray:
    """Number cells (Python ints, floats, Decimals; NaN for blanks) as float64.

    ``where``: convert only these cells (the others come back as NaN).

    Raises:
        DataError: an integer past float64's range (about 1.8e308), such as a 400-digit
            number in a list or a JSON file; the rows are named.
    """
    try:
        if where is None:
            return np.asarray(cells.astype(np.float64))
        out = np.full(len(cells), np.nan)
        out[where] = cells[where].astype(np.float64)
    except OverflowError:
        rows = [i for i, v in enumerate(np.asarray(cells).tolist()) if _past_float(v)]
        digits = max(int(abs(v).bit_length() * math.log10(2)) + 1 for v in cells[rows].tolist())
        said = say.TOO_LARGE(column=repr(name), digits=f"{digits:,}")
        raise DataError(said, column=name, rows=rows) from None
    return out


def _past_float(value: object) -> bool:
    """Whether a cell is an integer too large for a float64."""
    if not isinstance(value, int):
        return False
    try:
        float(value)
    except OverflowError:
        return True
    return False


# Words a spreadsheet uses for a yes/no column; a condition column needs 1 and 0 instead.
YES_NO = frozenset(
    {"是", "否", "是的", "不是", "对", "错", "有", "无", "y", "n", "yes", "no", "true", "false"}
    | {"t", "f", "√", "×", "✓", "✗", "✔", "✘"}
)


def text_where_numbers(name: str, column: AnyArray, rows: list[int]) -> DataError:
    """The error for text cells (at ``rows``) in a column a rule reads as a number.

    When every such cell is a yes/no word (``是``/``否``, ``Y``/``N``), the message says to
    write 1 and 0: a condition column holds numbers, and ksf does not guess which word is 1.
    """
    cells = [str(column[r]) for r in rows]
    yes_no = all(c.strip().lower() in YES_NO for c in cells)
    said = say.TEXT_NOT_NUMBER_YES_NO if yes_no else say.TEXT_NOT_NUMBER
    message = said(column=repr(name), cell=repr(cells[0]))
    return DataError(message, column=name, rows=rows, names_column=True)  # the message names it
