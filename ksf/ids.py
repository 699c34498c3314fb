"""Which employee each row pays: the id column, and refusing rows with no id or a repeated one.

`Rulebook.evaluate` names employees by the first of `ID_COLUMNS` the data has (or the
``id_column`` it is given), and by default refuses a row with no id and an id repeated
within one period and card: either would pay someone nobody can check, or pay them twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt

from ksf._typing import AnyArray, BoolArray, IntArray
from ksf.catalogue import data_rows as say
from ksf.columns import Columns
from ksf.errors import DataError

ID_COLUMNS = ("employee", "employee_id", "id", "工号", "员工编号", "name", "姓名")
PERIOD_COLUMNS = ("period", "month", "期间", "月份")  # an id may repeat across periods


def ids_of(columns: Columns, id_column: str | None) -> tuple[str, AnyArray | None]:
    """The id column's name and values (None: the data has no id column)."""
    if id_column is not None:
        if id_column in columns.text:
            return id_column, columns.text[id_column]
        if id_column in columns.numeric:
            return id_column, _whole_ids(columns.numeric[id_column])
        raise DataError(say.NO_ID_COLUMN(column=repr(id_column)), column=id_column)
    for name in ID_COLUMNS:
        if name in columns.text:
            return name, columns.text[name]
        if name in columns.numeric:
            return name, _whole_ids(columns.numeric[name])
    return "", None


@contextmanager
def rows_named_by(ids: AnyArray | None) -> Iterator[None]:
    """A `DataError` with row numbers raised inside, re-raised naming the rows by their ids."""
    try:
        yield
    except DataError as error:
        if ids is None or not error.rows:
            raise
        labels = [str(x) for x in ids[np.asarray(error.rows)]]
        raise type(error)(
            error.said,
            column=error.column,
            names_column=error.names_column,
            rows=error.rows,
            labels=labels,
            checks=error.checks,
        ) from None


def _missing_ids(ids: AnyArray) -> BoolArray:
    """Which rows of an id column have no id (an empty cell, NaN)."""
    if ids.dtype.kind == "U":
        return np.asarray(np.char.strip(ids.astype(str)) == "", dtype=np.bool_)
    return np.asarray(np.isnan(ids.astype(np.float64)), dtype=np.bool_)


def refuse_missing_ids(name: str, ids: AnyArray) -> None:
    """Refuse rows with no id in the id column: nobody could tell whose pay they are.

    Such a row is a blank line of an export with figures left in it, or an employee whose
    id was lost; several of them cannot even be told apart, so none could be checked for
    being paid twice.
    """
    missing = _missing_ids(ids)
    if missing.any():
        said = say.ROWS_WITHOUT_ID(column=repr(name))
        raise DataError(said, column=name, rows=np.flatnonzero(missing).tolist())


def refuse_duplicate_ids(
    name: str, ids: AnyArray, columns: Columns, *, by_card: bool = True
) -> None:
    """Refuse an id on two rows of one period and card: the employee would be paid twice.

    A row is an employee's pay for a period under a card, so the key is the id with the
    data's period column (the first of ``PERIOD_COLUMNS``) and the card the row is paid by
    (its ``card`` column; none when ``by_card`` is False, as under ``evaluate(card=…)``
    every row is paid by that one card). A quarter of monthly rows, or one employee paid
    under two cards, repeat no key. Other columns do not count: two rows that differ only in
    a ``role`` no rule reads, or in any other descriptive column, pay the same card twice.
    A missing period (an empty cell, None) is one period, not a new one each time.
    """
    period = next((p for p in PERIOD_COLUMNS if p in columns.names()), None)
    keyed = [period] + (["card"] if by_card else [])
    parts = [ids] + [
        columns.text[p] if p in columns.text else columns.numeric[p]
        for p in keyed
        if p is not None and p in columns.names()
    ]
    given = np.flatnonzero(~_missing_ids(ids))
    repeated = _repeated_keys(parts, given)
    if not len(repeated):
        return
    shown = list(dict.fromkeys(str(v) for v in ids[repeated]))
    more = say.IDS_MORE(count=f"{len(shown) - 5:,}") if len(shown) > 5 else ""
    repeats = say.DUPLICATE_IDS_PERIOD if period else say.DUPLICATE_IDS
    said = repeats(ids=", ".join(shown[:5]), more=more)
    raise DataError(said, column=name, rows=repeated)


_FNV_OFFSET, _FNV_PRIME = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)


def _hashed(values: AnyArray) -> npt.NDArray[np.uint64]:
    """A 64-bit hash of each cell (text by its code points, numbers by their bits)."""
    if values.dtype.kind != "U":
        numbers = values.astype(np.float64) + 0.0  # -0.0 and 0.0 are one id
        numbers[np.isnan(numbers)] = np.nan  # every NaN (a missing period) hashes alike
        return numbers.view(np.uint64)
    hashed = np.full(len(values), _FNV_OFFSET, dtype=np.uint64)
    if not len(values):
        return hashed
    texts = values.astype(str)
    codes = np.ascontiguousarray(texts).view(np.uint32).reshape(len(texts), -1)
    width = int(np.char.str_len(texts).max(initial=0))  # the dtype may be wider
    for j in range(width):  # a loop over the characters of a cell, not the rows
        hashed = (hashed ^ codes[:, j]) * _FNV_PRIME
    return hashed


def _repeated_keys(parts: list[AnyArray], rows: IntArray) -> IntArray:
    """The ``rows`` whose key (one value from each of ``parts``) another row also has.

    Sorting a million text ids takes about a second; their hashes sort in a tenth of
    that. Rows whose hashes repeat are candidates, compared exactly by their values.
    """
    hashed = np.zeros(len(rows), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for part in parts:
            hashed = (hashed ^ _hashed(part[rows])) * _FNV_PRIME
    ranked = np.sort(hashed)
    if not (ranked[1:] == ranked[:-1]).any():  # the usual case: every key differs
        return np.arange(0, dtype=np.intp)
    order = np.argsort(hashed, kind="stable")
    same = hashed[order][1:] == hashed[order][:-1]
    candidates = np.unique(np.concatenate([order[1:][same], order[:-1][same]]))
    keys = [part[rows[candidates]] for part in parts]
    exact = np.lexsort(keys[::-1])
    equal = np.ones(len(exact) - 1, dtype=bool)
    for key in keys:
        ordered = key[exact]
        same = ordered[1:] == ordered[:-1]
        if ordered.dtype.kind == "f":  # two missing periods are one period
            same |= np.isnan(ordered[1:]) & np.isnan(ordered[:-1])
        equal &= same
    found = np.zeros(len(candidates), dtype=bool)
    found[exact[1:][equal]] = found[exact[:-1][equal]] = True
    return np.sort(rows[candidates[found]])


def pandas_index(data: Any) -> Any:
    """A pandas DataFrame's index (`Payroll.to_pandas` keeps it), else None."""
    return data.index if type(data).__module__.partition(".")[0] == "pandas" else None


def _whole_ids(values: AnyArray) -> AnyArray:
    """Numeric ids (employee numbers from a database) as integers when they all are.

    Numeric columns arrive as float64; an id of 102 would otherwise print as ``102.0`` in
    `DataError.labels`, `explain` and `Payroll.ids`.
    """
    whole = np.isfinite(values).all() and (values == np.trunc(values)).all()
    if whole and (np.abs(values) < 2**53).all():
        return values.astype(np.int64)
    return values
