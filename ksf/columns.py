"""The data boundary: mappings, pandas/polars DataFrames and pyarrow Tables → numpy columns.

Numeric columns become float64 arrays (no copy when they already are); text columns (card
names, grades, ids) become numpy string arrays. Nothing is dropped or guessed: ragged
lengths, scalars, 2-D values, records, lists in cells and lone surrogates are `DataError`s.

How each cell becomes a number or stays text is `ksf.cell_numbers`; this module takes the
data apart into columns, refuses what no column can be, and hands each column to it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

import attrs
import numpy as np

from ksf._typing import AnyArray, FloatArray
from ksf.catalogue import data as say
from ksf.cell_numbers import check_float_width, numbers_or_text
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
        raise DataError(say.LENGTHS_DIFFER(detail=detail))
    n_rows = next(iter(lengths.values()), 0)
    return Columns(n_rows, numeric, text)


def _column(name: str, values: Any, *, as_text: bool) -> AnyArray:
    """One column as float64 numbers or text (see the module's rule for strings)."""
    _refuse_surrogate_name(name)
    if isinstance(values, Iterator):  # np.ndim would call a generator a single value
        raise DataError(say.ITERATOR_COLUMN(column=repr(name)), column=name)
    _refuse_sparse(name, values)
    try:
        dimensions = np.ndim(values)
    except ValueError:  # a list of values and lists: NumPy cannot make it an array
        values = _object_array(values)
        dimensions = 1
    if dimensions != 1:
        shape = say.A_SINGLE_VALUE() if dimensions == 0 else say.SHAPE(shape=np.shape(values))
        raise DataError(say.NOT_ONE_DIMENSIONAL(column=repr(name), shape=shape), column=name)
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
    rows, checks = error.rows, error.checks
    return DataError(
        error.said,
        column=error.column,
        names_column=error.names_column,
        rows=rows,
        labels=labels,
        checks=checks,
    )


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
    raise DataError(say.DATA_TYPE_UNREADABLE(kind=type(data).__name__))


def _unique_names(names: Iterable[Any]) -> None:
    """Refuse two columns of one name (as text): one would silently hide the other."""
    seen: set[str] = set()
    for name in map(str, names):
        if name in seen:
            raise DataError(say.TWO_COLUMNS_NAMED(column=repr(name)), column=name)
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
        # As integers, so `numbers_or_text` sees ids too large for a float64 (see there).
        return series.to_numpy(dtype=getattr(series.dtype, "numpy_dtype", series.dtype))
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    # pandas' own missing markers (pd.NA in string columns, NaT) become None, i.e. empty
    return series.to_numpy(dtype=object, na_value=None)


def _refuse_surrogate_name(name: str) -> None:
    """A column name with a lone surrogate (undecodable bytes) cannot be printed or written."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = name.encode("utf-8", "backslashreplace").decode("utf-8")
        raise DataError(say.SURROGATE_NAME(name=shown)) from None


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
        said = say.SURROGATE_CELLS(column=repr(name))
        raise DataError(said, column=name, rows=np.flatnonzero(bad))


def _refuse_sparse(name: str, values: Any) -> None:
    """A scipy.sparse matrix or array reads as one opaque value; say what to pass instead."""
    if type(values).__module__.split(".")[:2] == ["scipy", "sparse"]:
        said = say.SPARSE_COLUMN(column=repr(name), kind=type(values).__name__)
        raise DataError(said, column=name)


def _masked(name: str, values: Any, *, as_text: bool) -> AnyArray:
    """`numbers_or_text`, with the masked cells of a NumPy masked array missing, never paid."""
    if not isinstance(values, np.ma.MaskedArray):
        return numbers_or_text(name, values, as_text=as_text)
    mask = np.ma.getmaskarray(values)
    data = np.ma.getdata(values)
    if data.dtype.kind in "fiub":
        converted = numbers_or_text(name, data, as_text=as_text)
        if converted.dtype == np.float64:
            converted = converted.copy()
            converted[mask] = math.nan
        else:  # integers too large for a float64, kept as text
            converted[mask] = ""
        return converted
    cells = data.astype(object)
    cells[mask] = None
    return numbers_or_text(name, cells, as_text=as_text)
