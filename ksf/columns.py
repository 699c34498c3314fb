"""The data boundary: mappings, pandas/polars DataFrames and pyarrow Tables → numpy columns.

Numeric columns become float64 arrays (no copy when they already are); text columns (card
names, grades, ids) become numpy string arrays. Nothing is dropped or guessed: ragged
lengths, scalars, 2-D values, records, lists in cells and lone surrogates are `DataError`s.

One rule reads a string cell, whatever holds it (a list, an object array, a pandas, polars
or Arrow string column): a *plain number* — an optional sign, ASCII digits, an optional
decimal point and an optional exponent (``-12.5``, ``1e3``) — is that number; an empty
string is a missing value; anything else (``0_3``, Arabic-Indic ``٣``, ``1,200``, ``12%``)
is text, and a column holding text is a text column. Files add the readings an export
needs (thousands separators, percentages) in `ksf.io.cells`, on top of this rule.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs
import numpy as np

from ksf._typing import AnyArray, BoolArray, FloatArray
from ksf.errors import DataError


@attrs.frozen
class Columns:
    """The evaluated data: ``n_rows`` rows of numeric and text columns."""

    n_rows: int
    numeric: Mapping[str, FloatArray]
    text: Mapping[str, AnyArray]

    def names(self) -> list[str]:
        """Every column name, numeric first."""
        return [*self.numeric, *self.text]

    def schema(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The numeric and the text column names: what binding depends on."""
        return tuple(self.numeric), tuple(self.text)


def from_data(data: Any, keep_text: Collection[str] = ()) -> Columns:
    """Columns of a mapping, a pandas or polars DataFrame, or a pyarrow Table.

    ``keep_text`` names columns whose string cells stay text even when they are plain
    numbers (an id such as ``007``); numbers given as numbers stay numbers.

    Raises:
        DataError: a column is not one-dimensional, holds records, lists or a lone
            surrogate, or the columns differ in length.
    """
    raw = _raw_columns(data)
    numeric: dict[str, FloatArray] = {}
    text: dict[str, AnyArray] = {}
    lengths: dict[str, int] = {}
    try:
        for name, values in raw.items():
            converted = _column(name, values, as_text=name in keep_text)
            lengths[name] = len(converted)
            if converted.dtype == np.float64:
                numeric[name] = np.asarray(converted, dtype=np.float64)
            else:
                text[name] = converted
    except DataError as error:  # name the rows by the id column, when it reads
        raise _labelled(error, raw, keep_text) from None
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{n}: {k}" for n, k in lengths.items())
        msg = f"columns differ in length ({detail})"
        raise DataError(msg)
    n_rows = next(iter(lengths.values()), 0)
    return Columns(n_rows, numeric, text)


def _column(name: str, values: Any, *, as_text: bool) -> AnyArray:
    """One column as float64 numbers or text (see the module's rule for strings)."""
    _refuse_surrogate_name(name)
    if isinstance(values, Iterator):  # np.ndim would call a generator a single value
        msg = f"column {name!r} is an iterator; pass a list or an array"
        raise DataError(msg, column=name)
    _refuse_sparse(name, values)
    try:
        dimensions = np.ndim(values)
    except ValueError:  # a list of values and lists: NumPy cannot make it an array
        values = _object_array(values)
        dimensions = 1
    if dimensions != 1:
        shape = "a single value" if dimensions == 0 else f"shape {np.shape(values)}"
        msg = f"column {name!r} must be one-dimensional, got {shape}"
        raise DataError(msg, column=name)
    converted = _masked(name, values, as_text=as_text)
    if converted.dtype != np.float64:
        _refuse_surrogates(name, converted)
    return converted


def _object_array(values: Any) -> AnyArray:
    """A sequence as a 1-D object array, one cell per item, whatever the items are."""
    cells = list(values)
    array = np.empty(len(cells), dtype=object)
    for i, cell in enumerate(cells):  # an error path only: NumPy refused the sequence
        array[i] = cell
    return array


def _labelled(error: DataError, raw: Mapping[str, Any], ids: Collection[str]) -> DataError:
    """``error`` naming its rows by the first of the ``ids`` columns the data has."""
    name = next((n for n in ids if n in raw), None)
    if name is None or name == error.column or not error.rows or error.labels is not None:
        return error
    try:
        values = _column(name, raw[name], as_text=True)
    except (DataError, TypeError, ValueError):
        return error
    if len(values) <= max(error.rows):
        return error
    picked = values[np.asarray(error.rows)]
    labels = (
        [str(int(v)) if v.is_integer() else repr(v) for v in picked.tolist()]
        if picked.dtype == np.float64
        else [str(v) for v in picked.tolist()]
    )
    return DataError(error.message, column=error.column, rows=error.rows, labels=labels)


def _raw_columns(data: Any) -> dict[str, Any]:
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        _unique_names(data.columns)
        return {str(k): _pandas_column(str(k), data.iloc[:, i]) for i, k in enumerate(data)}
    if module == "polars":
        return {str(k): _polars_column(data.get_column(k)) for k in data.columns}
    if module == "pyarrow":
        _unique_names(data.column_names)
        return {
            str(k): data.column(i).to_numpy(zero_copy_only=False)
            for i, k in enumerate(data.column_names)
        }
    if isinstance(data, Mapping):
        _unique_names(data)
        return {str(k): v for k, v in data.items()}
    msg = (
        f"cannot read data of type {type(data).__name__}; pass a mapping of "
        "column name → values, a pandas or polars DataFrame, or a pyarrow Table"
    )
    raise DataError(msg)


def _unique_names(names: Iterable[Any]) -> None:
    """Refuse two columns of one name (as text): one would silently hide the other."""
    seen: set[str] = set()
    for name in map(str, names):
        if name in seen:
            msg = f"the data has two columns named {name!r}; rename one"
            raise DataError(msg, column=name)
        seen.add(name)


def _polars_column(series: Any) -> Any:
    """A polars column's values; a column of nothing but nulls (dtype Null) is missing."""
    if str(series.dtype) == "Null":  # polars hands these out as float32 NaN
        return np.full(len(series), math.nan)
    return series.to_numpy()


def _pandas_column(name: str, series: Any) -> Any:
    import pandas as pd

    if isinstance(series.dtype, pd.SparseDtype):
        # A sparse column is its values written compactly: the same numbers, densified.
        series = series.sparse.to_dense()
    if pd.api.types.is_float_dtype(series.dtype):
        check_float_width(name, series.dtype)
    if pd.api.types.is_integer_dtype(series.dtype) and not series.isna().any():
        # As integers, so `_convert` sees ids too large for a float64 (see there).
        return series.to_numpy(dtype=getattr(series.dtype, "numpy_dtype", series.dtype))
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    # pandas' own missing markers (pd.NA in string columns, NaT) become None, i.e. empty
    return series.to_numpy(dtype=object, na_value=None)


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
            (7, "1234567.89 becomes 1234567.875") if width >= 4 else (3, "1234.5 becomes 1234")
        )
        msg = (
            f"column {name!r} is {dtype}, which keeps only about {digits} significant digits "
            f"({example}): read or cast it as float64"
        )
        raise DataError(msg, column=name)


def _beyond_float(array: AnyArray) -> bool:
    """Whether an integer array holds a value a float64 cannot hold exactly."""
    return int(array.max()) > EXACT_INT or int(array.min()) < -EXACT_INT  # Python ints


def beyond_exact(name: str, column: AnyArray) -> DataError | None:
    """The error for whole numbers past 2**53 in a text column a rule reads as numbers.

    An integer column holding such a number (a NumPy int64, a list, pandas, Arrow) is kept
    as text so that a 64-bit id keeps every digit (see `_convert`); a rule that reads it as
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
    msg = (
        f"column {name!r} holds whole numbers beyond 2**53, which cannot be held exactly "
        f"as numbers (e.g. {stripped[rows[0]]!s}); ksf keeps such a column as text, for "
        "ids; an amount that large is not a pay figure"
    )
    return DataError(msg, column=name, rows=rows)


def _whole_beyond(cell: str) -> bool:
    """Whether a plain-number cell is an integer beyond ±2**53."""
    try:
        return abs(int(cell)) > EXACT_INT
    except ValueError:  # 1e20, 12.5: not a whole number as written
        return False


def _refuse_surrogate_name(name: str) -> None:
    """A column name with a lone surrogate (undecodable bytes) cannot be printed or written."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = name.encode("utf-8", "backslashreplace").decode("utf-8")
        msg = (
            f"column name '{shown}' holds a lone surrogate, not text: the bytes it came from "
            "were not decoded as UTF-8; fix the name"
        )
        raise DataError(msg) from None


_SURROGATES = (0xD800, 0xDFFF)  # UTF-16 halves: never a character on their own


def _refuse_surrogates(name: str, texts: AnyArray) -> None:
    """Refuse text cells holding a lone surrogate: they cannot be printed or written."""
    if texts.dtype.kind != "U" or not texts.size or texts.dtype.itemsize == 0:
        return
    codes = np.ascontiguousarray(texts).view(np.uint32).reshape(len(texts), -1)
    if codes.max() < _SURROGATES[0]:  # Latin and CJK text lie below them: the usual case
        return
    bad = ((codes >= _SURROGATES[0]) & (codes <= _SURROGATES[1])).any(axis=1)
    if bad.any():
        msg = (
            f"column {name!r} holds a lone surrogate (undecodable bytes) in text; decode "
            "the source as UTF-8 and fix the cell"
        )
        raise DataError(msg, column=name, rows=np.flatnonzero(bad))


def _refuse_sparse(name: str, values: Any) -> None:
    """A scipy.sparse matrix or array reads as one opaque value; say what to pass instead."""
    if type(values).__module__.split(".")[:2] == ["scipy", "sparse"]:
        msg = (
            f"column {name!r} is a scipy.sparse {type(values).__name__}; pass its values "
            "as a dense 1-D array (.toarray().ravel())"
        )
        raise DataError(msg, column=name)


def _masked(name: str, values: Any, *, as_text: bool) -> AnyArray:
    """`_convert`, with the masked cells of a NumPy masked array missing, never paid."""
    if not isinstance(values, np.ma.MaskedArray):
        return _convert(name, values, as_text=as_text)
    mask = np.ma.getmaskarray(values)
    data = np.ma.getdata(values)
    if data.dtype.kind in "fiub":
        converted = _convert(name, data, as_text=as_text)
        if converted.dtype == np.float64:
            converted = converted.copy()
            converted[mask] = math.nan
        else:  # integers too large for a float64, kept as text
            converted[mask] = ""
        return converted
    cells = data.astype(object)
    cells[mask] = None
    return _convert(name, cells, as_text=as_text)


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


def _convert(name: str, values: Any, *, as_text: bool = False) -> AnyArray:
    array = np.asarray(values)
    if array.dtype.names is not None:  # a structured (record) array: several values a row
        fields = ", ".join(array.dtype.names)
        msg = f"column {name!r} holds records (fields {fields}); pass one field per column"
        raise DataError(msg, column=name)
    if array.dtype.kind == "f":
        check_float_width(name, array.dtype)
    if array.dtype.kind in "iu" and array.size and _beyond_float(array):
        # Past 2**53 a float64 drops digits: 64-bit database ids (snowflake ids) would
        # change. No amount is that large, so the column is text, every digit kept.
        return array.astype(str)
    if array.dtype.kind in "fiub":
        return np.asarray(array, dtype=np.float64)
    if array.dtype.kind == "c":
        msg = f"column {name!r} holds complex numbers; pay is computed from real numbers"
        raise DataError(msg, column=name)
    if array.dtype.kind == "O":
        return _objects(name, array, as_text=as_text)
    if array.dtype.kind == "V":
        msg = f"column {name!r} holds raw bytes ({array.dtype}); pass numbers or text"
        raise DataError(msg, column=name)
    try:
        texts = np.char.strip(array if array.dtype.kind == "U" else array.astype(str))
    except UnicodeDecodeError:  # bytes that are not text
        msg = f"column {name!r} holds bytes that are not text; decode them first"
        raise DataError(msg, column=name) from None
    values = None if as_text else plain_numbers(texts)
    return texts if values is None else values


def _objects(name: str, array: AnyArray, *, as_text: bool) -> AnyArray:
    """An object column (pandas, polars, Arrow strings; mixed lists): numbers or text."""
    blank, string, nested, number = _kinds(array)
    if nested.any():
        rows = np.flatnonzero(nested)
        kind = type(array[rows[0]]).__name__
        msg = (
            f"column {name!r} holds a container ({kind}) in a cell; each cell must be one "
            "number or text: flatten it into columns"
        )
        raise DataError(msg, column=name, rows=rows)
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
        msg = f"column {name!r} holds bytes that are not text; decode them first"
        raise DataError(msg, column=name, rows=undecoded) from None
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
        msg = (
            f"column {name!r} holds a number too large to compute with ({digits:,} digits; "
            "a float64 ends near 1.8e308)"
        )
        raise DataError(msg, column=name, rows=rows) from None
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
    msg = f"column {name!r} holds text where the rules need numbers, e.g. {cells[0]!r}"
    if all(c.strip().lower() in YES_NO for c in cells):
        msg += (
            "; a yes/no column needs 1 for yes (是) and 0 for no (否) (in .xlsx, TRUE/FALSE cells)"
        )
    return DataError(msg, column=name, rows=rows)
