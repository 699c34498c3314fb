"""The data boundary: mappings, pandas/polars DataFrames and pyarrow Tables → numpy columns.

Numeric columns become float64 arrays (no copy when they already are); text columns (card
names, grades, ids) become numpy string arrays. Nothing is dropped or guessed: ragged
lengths, scalars and 2-D values are `DataError`s.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs
import numpy as np

from ksf._typing import AnyArray, FloatArray
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


def from_data(data: Any) -> Columns:
    """Columns of a mapping, a pandas or polars DataFrame, or a pyarrow Table.

    Raises:
        DataError: a column is not one-dimensional, or the columns differ in length.
    """
    raw = _raw_columns(data)
    numeric: dict[str, FloatArray] = {}
    text: dict[str, AnyArray] = {}
    lengths: dict[str, int] = {}
    for name, values in raw.items():
        if isinstance(values, Iterator):  # np.ndim would call a generator a single value
            msg = f"column {name!r} is an iterator; pass a list or an array"
            raise DataError(msg, column=name)
        if np.ndim(values) != 1:
            shape = "a single value" if np.ndim(values) == 0 else f"shape {np.shape(values)}"
            msg = f"column {name!r} must be one-dimensional, got {shape}"
            raise DataError(msg, column=name)
        converted = _convert(name, values)
        lengths[name] = len(converted)
        if converted.dtype == np.float64:
            numeric[name] = np.asarray(converted, dtype=np.float64)
        else:
            text[name] = converted
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{n}: {k}" for n, k in lengths.items())
        msg = f"columns differ in length ({detail})"
        raise DataError(msg)
    n_rows = next(iter(lengths.values()), 0)
    return Columns(n_rows, numeric, text)


def _raw_columns(data: Any) -> dict[str, Any]:
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        _unique_names(data.columns)
        return {str(k): _pandas_column(str(k), data.iloc[:, i]) for i, k in enumerate(data)}
    if module == "polars":
        return {str(k): data.get_column(k).to_numpy() for k in data.columns}
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


def _pandas_column(name: str, series: Any) -> Any:
    import pandas as pd

    if pd.api.types.is_float_dtype(series.dtype):
        _check_float_width(name, series.dtype)
    if pd.api.types.is_integer_dtype(series.dtype) and not series.isna().any():
        # As integers, so `_convert` sees ids too large for a float64 (see there).
        return series.to_numpy(dtype=getattr(series.dtype, "numpy_dtype", series.dtype))
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    # pandas' own missing markers (pd.NA in string columns, NaT) become None, i.e. empty
    return series.to_numpy(dtype=object, na_value=None)


EXACT_INT = 2**53  # every integer up to this is exactly a float64

# Object arrays hold Python objects, so this test runs per element whatever we do; it stays
# at the data boundary, never in evaluation.
_is_blank = np.frompyfunc(lambda v: v is None or (isinstance(v, float) and math.isnan(v)), 1, 1)


def _check_float_width(name: str, dtype: Any) -> None:
    """Refuse floats narrower than float64: they have lost cents before ksf sees them.

    A float32 keeps about 7 significant digits: 1234567.89 is stored as 1234567.875, and
    even 1005.05 as 1005.04998…, which a 10% line rounds to 100.50, not 100.51. Widening
    cannot bring the digits back, so the caller must read the column as float64.
    """
    if np.dtype(getattr(dtype, "numpy_dtype", dtype)).itemsize < 8:  # float64 is 8 bytes
        msg = (
            f"column {name!r} is {dtype}, which keeps only about 7 significant digits "
            "(1234567.89 becomes 1234567.875): read or cast it as float64"
        )
        raise DataError(msg, column=name)


def _beyond_float(array: AnyArray) -> bool:
    """Whether an integer array holds a value a float64 cannot hold exactly."""
    return int(array.max()) > EXACT_INT or int(array.min()) < -EXACT_INT  # Python ints


def _convert(name: str, values: Any) -> AnyArray:
    array = np.asarray(values)
    if array.dtype.kind == "f":
        _check_float_width(name, array.dtype)
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
        blank = np.asarray(_is_blank(array), dtype=bool)
        try:
            filled = np.where(blank, np.nan, array)
            return np.asarray(filled.astype(np.float64), dtype=np.float64)
        except (TypeError, ValueError):
            texts = array.astype(str)
            texts[blank] = ""
            return texts
    return array.astype(str)
