"""Reading the raw tables of an aggregation: keys as integer codes, dates as day numbers.

A raw export arrives as a mapping of arrays, a pandas or polars DataFrame or a pyarrow
Table. Keys (SKU, currency, employee …) become integer codes plus their labels, because
every later step is a `bincount` or an index; pandas Categoricals hand over their codes
without a pass over the strings. Every problem is a `DataError` naming the table, the
column and the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

import numpy as np

from ksf._typing import AnyArray, BoolArray, FloatArray, IntArray
from ksf.catalogue import common
from ksf.catalogue import data_tables as say
from ksf.errors import DataError, suggest
from ksf.message import Message

# Day numbers are days since 1970-01-01, the integer behind numpy's datetime64[D].
Days = np.ndarray[Any, np.dtype[np.int64]]


def _pandas_module(data: Any) -> bool:
    return type(data).__module__.split(".")[0] == "pandas"


class Table:
    """One raw table: its columns, checked and converted on request."""

    def __init__(
        self,
        name: str,
        data: Any,
        required: Sequence[str],
        optional: Sequence[str] = (),
    ) -> None:
        self.name = name
        self.raw = _raw_columns(name, data)
        lengths = {column: len(values) for column, values in self.raw.items()}
        if len(set(lengths.values())) > 1:
            detail = ", ".join(f"{c}: {k}" for c, k in lengths.items())
            raise DataError(say.TABLE_LENGTHS_DIFFER(table=name, detail=detail), table=name)
        self.n_rows = next(iter(lengths.values()), 0)
        # Conversions are cached: several measures read the same column (qty, date, sku).
        self._numbers: dict[str, FloatArray] = {}
        self._keys: dict[str, tuple[IntArray, AnyArray]] = {}
        self._days: dict[str, Days] = {}
        for column in required:
            if column not in self.raw:
                self._missing_column(column, [*required, *optional])

    def _missing_column(self, column: str, known: Sequence[str]) -> None:
        said = say.TABLE_NO_COLUMN(table=self.name, column=repr(column))
        unknown = [c for c in self.raw if c not in known]
        hint = suggest(column, unknown)
        if hint:
            said = common.SUGGESTION(message=said, hint=hint)
        elif unknown:
            others = ", ".join(repr(c) for c in unknown[:10])
            said = say.TABLE_OTHER_COLUMNS(table=self.name, column=repr(column), others=others)
        raise DataError(said, table=self.name, column=column)

    def has(self, column: str) -> bool:
        """Whether the table has the column."""
        return column in self.raw

    def error(self, message: Message, column: str, rows: BoolArray | IntArray) -> DataError:
        """A DataError for the rows where ``rows`` is true (or the listed row numbers)."""
        where = np.flatnonzero(rows) if rows.dtype == np.bool_ else rows
        return DataError(message, table=self.name, column=column, rows=where.tolist())

    def numbers(self, column: str, *, minimum: float | None = None) -> FloatArray:
        """A numeric column as float64: no text, no empty cells, nothing below ``minimum``."""
        if column not in self._numbers:
            self._numbers[column] = self._convert_numbers(column)
        result = self._numbers[column]
        if minimum is not None:
            low = result < minimum
            if low.any():
                below = (
                    say.NEGATIVE_VALUES()
                    if minimum == 0
                    else say.VALUES_BELOW(minimum=f"{minimum:g}")
                )
                raise self.error(below, column, low)
        return result

    def _convert_numbers(self, column: str) -> FloatArray:
        values = self.raw[column]
        if _pandas_module(values):
            import pandas as pd

            if not (
                pd.api.types.is_numeric_dtype(values.dtype)
                or pd.api.types.is_bool_dtype(values.dtype)
            ):
                values = values.to_numpy(dtype=object)
            else:
                values = values.to_numpy(dtype=np.float64, na_value=np.nan)
        array = np.asarray(values)
        if array.dtype.kind not in "fiub":
            try:
                array = array.astype(np.float64)
            except (TypeError, ValueError):
                bad = np.frompyfunc(_not_a_number, 1, 1)(array).astype(bool)
                msg = say.NOT_A_NUMBER()
                raise self.error(msg, column, bad) from None
        result = np.asarray(array, dtype=np.float64)
        finite = np.isfinite(result)
        if not finite.all():
            msg = say.EMPTY_OR_INFINITE()
            raise self.error(msg, column, ~finite)
        return result

    def flags(self, column: str) -> FloatArray:
        """A 0/1 column as float64."""
        values = self.numbers(column)
        bad = (values != 0) & (values != 1)
        if bad.any():
            msg = say.NOT_0_OR_1()
            raise self.error(msg, column, bad)
        return values

    def keys(self, column: str) -> tuple[IntArray, AnyArray]:
        """Integer codes into labels (strings, not always sorted); empty cells are an error."""
        if column not in self._keys:
            self._keys[column] = self._convert_keys(column)
        return self._keys[column]

    def codes(self, column: str) -> tuple[IntArray, int]:
        """Integer codes of a key column, all below the returned bound, without labels.

        For keys that are only counted (customers), not shown: turning a few million ids
        into label strings would cost more than the counting.
        """
        if column in self._keys:
            codes, labels = self._keys[column]
            return codes, len(labels)
        values = self.raw[column]
        array = values.to_numpy() if _pandas_module(values) else np.asarray(values)
        if array.dtype.kind in "iu" and array.size:
            low, high = int(array.min()), int(array.max())
            if high - low < 4 * array.size:  # dense ids: the id itself is a code
                return np.asarray(array - low, dtype=np.intp), high - low + 1
            if _pandas_module(values):
                import pandas as pd

                found, uniques = pd.factorize(values)
                return np.asarray(found, dtype=np.intp), len(uniques)
            unique, inverse = np.unique(array, return_inverse=True)
            return np.asarray(inverse, dtype=np.intp).reshape(-1), len(unique)
        codes, labels = self.keys(column)
        return codes, len(labels)

    def _convert_keys(self, column: str) -> tuple[IntArray, AnyArray]:
        values = self.raw[column]
        if _pandas_module(values):
            import pandas as pd

            if isinstance(values.dtype, pd.CategoricalDtype):
                codes = np.asarray(values.cat.codes.to_numpy(), dtype=np.intp)
                labels = np.asarray(values.cat.categories.astype(str).to_numpy(), dtype=str)
            else:
                # Hashing beats sorting strings; pandas is here anyway since the data is pandas.
                codes, uniques = pd.factorize(values)
                codes = np.asarray(codes, dtype=np.intp)
                labels = np.asarray(np.asarray(uniques).astype(str), dtype=str)
            if (codes < 0).any():
                msg = say.EMPTY_CELLS()
                raise self.error(msg, column, codes < 0)
        else:
            array = np.asarray(values)
            if array.dtype.kind == "O":
                blank = _blank(array)
                if blank.any():
                    msg = say.EMPTY_CELLS()
                    raise self.error(msg, column, blank)
                array = array.astype(str)
            elif array.dtype.kind == "f":
                if not np.isfinite(array).all():
                    msg = say.EMPTY_CELLS()
                    raise self.error(msg, column, ~np.isfinite(array))
                whole = array == np.trunc(array)
                if not whole.all():
                    msg = say.IDS_WHOLE()
                    raise self.error(msg, column, ~whole)
                array = array.astype(np.int64)
            unique, inverse = np.unique(array, return_inverse=True)
            codes = np.asarray(inverse, dtype=np.intp).reshape(-1)
            labels = np.asarray(unique.astype(str), dtype=str)
        empty = np.char.str_len(labels) == 0 if labels.size else np.zeros(0, dtype=bool)
        if empty.any():
            msg = say.EMPTY_CELLS()
            raise self.error(msg, column, np.isin(codes, np.flatnonzero(empty)))
        return codes, labels

    @overload
    def days(self, column: str) -> Days: ...
    @overload
    def days(self, column: str, *, empty_ok: Literal[True]) -> tuple[Days, BoolArray]: ...

    def days(self, column: str, *, empty_ok: bool = False) -> Days | tuple[Days, BoolArray]:
        """A date column as day numbers; with ``empty_ok``, also which cells hold a date."""
        if empty_ok:
            array = self._datetimes(column, "D", empty_ok=True)
            given = ~np.isnat(array)
            return np.where(given, array.astype(np.int64), 0), given
        if column not in self._days:
            self._days[column] = self._datetimes(column, "D").astype(np.int64)
        return self._days[column]

    def months(self, column: str) -> Days:
        """A month column ("2026-07", or any date in the month) as month numbers."""
        return self._datetimes(column, "M").astype(np.int64)

    def _datetimes(self, column: str, unit: str, *, empty_ok: bool = False) -> AnyArray:
        values = self.raw[column]
        if _pandas_module(values):
            values = values.to_numpy()
        array = np.asarray(values)
        if array.dtype.kind != "M":
            text = array.astype(str) if array.dtype.kind != "O" else array
            if empty_ok:  # empty cells (None, NaN, "") read as NaT
                text = np.where(_blank(text), "NaT", text)
            try:
                array = np.asarray(text, dtype="datetime64")
            except ValueError:
                bad = np.frompyfunc(_not_a_date, 1, 1)(text).astype(bool)
                msg = say.NOT_A_DATE()
                raise self.error(msg, column, bad) from None
        missing = np.isnat(array)
        if missing.any() and not empty_ok:
            msg = say.EMPTY_DATES()
            raise self.error(msg, column, missing)
        return array.astype(f"datetime64[{unit}]")


def _raw_columns(name: str, data: Any) -> dict[str, Any]:
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        return {str(k): data[k] for k in data.columns}
    if module == "polars":
        return {str(k): data.get_column(k).to_numpy() for k in data.columns}
    if module == "pyarrow":
        return {str(k): data.column(k).to_numpy(zero_copy_only=False) for k in data.column_names}
    if isinstance(data, Mapping):
        columns = {str(k): v for k, v in data.items()}
        for column, values in columns.items():
            if np.ndim(values) != 1:
                said = say.TABLE_COLUMN_NOT_1D(column=repr(column), table=name)
                raise DataError(said, table=name, column=column)
        return columns
    raise DataError(say.TABLE_UNREADABLE(table=name, kind=type(data).__name__), table=name)


def _blank(values: AnyArray) -> BoolArray:
    """Empty cells of a text or object column: None, NaN or the empty string.

    Whole-array comparisons (NaN is the one value unequal to itself), not a Python call
    per cell.
    """
    if values.dtype.kind in "US":
        return np.asarray(values == "", dtype=bool)
    with np.errstate(invalid="ignore"):
        none = np.equal(values, np.asarray(None, dtype=object))
        empty = none | np.not_equal(values, values) | np.equal(values, "")
    return np.asarray(empty, dtype=bool)


def _not_a_number(value: object) -> bool:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return bool(np.isnan(number))  # NaN cells are reported with the empty ones


def _not_a_date(value: object) -> bool:
    try:
        np.datetime64(value)  # type: ignore[call-overload]
    except ValueError:
        return True
    return False
