"""Cells to columns: how a spreadsheet's or an export's cells become ksf's data columns.

Every reader (CSV, XLSX, JSON, Parquet) ends here, so a cell means the same in every
format. A number is a number; text is a number when it is a plain number (the rule of
`ksf.cell_numbers.plain_numbers`) or written as an HR export writes one, ``1,200,000`` or
``33%`` (0.33); other text (``0_3``, ``٣``, ``1,2``) is text. An empty cell (or null) is
missing. A column whose every
non-empty cell is a number is numeric (float64); any other column is text. Dates become
ISO text (``2026-07-01``). A TRUE/FALSE cell (an Excel boolean, JSON ``true``, a Parquet
boolean) is 1 or 0, as a Python ``True`` is: a condition column.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence

import numpy as np

from ksf._typing import AnyArray, BoolArray, FloatArray
from ksf.catalogue import io as say
from ksf.cell_numbers import float_cells, plain_numbers
from ksf.errors import DataError
from ksf.payroll import Payroll


def text_column(cells: AnyArray, *, as_text: bool = False, column: str | None = None) -> AnyArray:
    """A column from text cells (a numpy string array): numeric if every cell is a number.

    ``as_text`` keeps the cells as text whatever they hold (an id column such as ``007``).
    ``column`` names the column: a mix of ``20%`` and ``20`` in it is refused, whether the
    ``20`` was typed as text (CSV) or as a number next to a ``21%`` text cell (XLSX, JSON):
    which of the two was meant is a guess. A column with no ``%`` cell is never refused.

    Raises:
        DataError: percentages and plain numbers mixed in a named column.
    """
    stripped = np.char.strip(cells.astype(str))
    values = None if as_text else parse_numbers(stripped, column)
    return stripped if values is None else values


def refuse_mixed_percent(
    percent: BoolArray, given: BoolArray, values: FloatArray, column: str
) -> None:
    """A column where some cells say ``20%`` and others ``20`` is ambiguous: refuse it.

    Read as written, the plain ``20`` would be 2000%, a payroll-sized mistake; which style
    was meant is a guess, so the cells of the rarer style are named instead. Zeros are the
    same either way and never count.
    """
    plain = given & ~percent & (values != 0)
    marked = percent & (values != 0)
    if not (plain.any() and marked.any()):
        return
    rarer = plain if plain.sum() <= marked.sum() else marked
    msg = say.MIXED_PERCENT(column=repr(column))
    raise DataError(msg, column=column, rows=np.flatnonzero(rarer).tolist())


def parse_numbers(stripped: AnyArray, column: str | None = None) -> AnyArray | None:
    """Stripped text cells as float64 (empty → NaN), or None if some cell is not a number.

    A cell is a number when it is a plain number (`ksf.cell_numbers.plain_numbers`), with two
    readings an HR export needs: thousands separators in their places (``1,200,000``, not
    ``1,2``) and a trailing percent sign (``33%`` is 0.33). Anything else is text.
    """
    if not stripped.size:  # a header and no rows: NumPy's string functions refuse no cells
        return np.zeros(0)
    texts = stripped.astype(str)
    empty = texts == ""
    percent = np.char.endswith(texts, "%")
    body = np.where(percent, np.char.replace(texts, "%", "", count=1), texts)
    grouped = np.char.find(body, ",") >= 0
    if grouped.any():
        if not well_grouped(body[grouped]).all():
            return None
        body = np.char.replace(body, ",", "")
    # A cell of only a sign or separators ("%", ",") is not empty: it is text.
    values = plain_numbers(np.where(~empty & (body == ""), "x", body))
    if values is None:
        return None
    if column is not None:
        refuse_mixed_percent(percent, ~empty, values, column)
    values[percent] /= 100
    return values


def well_grouped(cells: AnyArray) -> BoolArray:
    """Whether each cell's commas are thousands separators: ``1,200,000`` yes, ``1,2`` no.

    The whole part (after a sign, before a decimal point) must read as groups of three
    digits from the right, the first of one to three and not starting with 0 (``0,285`` is
    a decimal comma, 0.285, which ksf does not guess); no comma may stand elsewhere.
    """
    unsigned = np.char.lstrip(cells.astype(str), "+-")
    whole = np.char.partition(unsigned, ".")[..., 0]
    codes = np.ascontiguousarray(whole.astype(str)).view(np.uint32).reshape(len(cells), -1)
    lengths = np.char.str_len(whole)
    from_end = lengths[:, None] - 1 - np.arange(codes.shape[1])
    comma = codes == ord(",")
    placed = (comma == ((from_end >= 0) & (from_end % 4 == 3))).all(axis=1)
    elsewhere = np.char.count(cells.astype(str), ",") != np.char.count(whole, ",")
    leading = (codes[:, 0] != ord(",")) & (codes[:, 0] != ord("0"))
    return np.asarray(placed & leading & ~elsewhere, dtype=bool)


def not_numbers(column: AnyArray) -> list[int]:
    """The rows of a text column whose cells are neither empty nor numbers (0-based)."""
    stripped = np.char.strip(column.astype(str))
    if parse_numbers(stripped) is not None:
        return []
    # Only reached when a column a rule reads as a number holds text: the slow path that
    # names the offending rows.
    cells = stripped.tolist()
    return [i for i, cell in enumerate(cells) if parse_numbers(np.array([cell])) is None]


def object_column(
    values: Sequence[object], name: str, where: str, *, as_text: bool = False
) -> AnyArray:
    """A column from typed cells (XLSX, JSON, Parquet): numbers, text, dates or empty.

    Raises:
        DataError: dates mixed with numbers.
    """
    kinds = ["number" if k == "bool" else k for k in map(_kind, values)]
    found = set(kinds) - {"empty"}
    if "date" in found and "number" in found:
        rows = [i for i, k in enumerate(kinds) if k == "date"]
        msg = say.IN_FILE(path=where, message=say.DATES_WITH_NUMBERS())
        raise DataError(msg, column=name, rows=rows)
    if found <= {"number"} and not as_text:
        pairs = zip(values, kinds, strict=True)
        cells = np.empty(len(kinds), dtype=object)
        cells[:] = [math.nan if k == "empty" else v for v, k in pairs]
        return float_cells(name, cells)  # a 400-digit JSON number is refused, rows named
    texts = np.array([_text(v, k) for v, k in zip(values, kinds, strict=True)], dtype=str)
    # One rule on every path: 28.5 (a number cell) next to "21%" (text) is refused, as in CSV.
    return texts if "date" in found else text_column(texts, as_text=as_text, column=name)


def keep_as_text(columns: dict[str, AnyArray], names: Collection[str]) -> None:
    """Turn numeric columns named in ``names`` back into text (ids such as 1001)."""
    for name in names:
        column = columns.get(name)
        if column is not None and column.dtype == np.float64:
            columns[name] = number_text(column)


def number_text(column: AnyArray) -> AnyArray:
    """Numbers as text, whole numbers without a decimal point (1001, not 1001.0)."""
    return np.array([_text(v, _kind(v)) for v in column.tolist()], dtype=str)


def ids_text(payroll: Payroll) -> AnyArray | None:
    """The payroll's ids as text: a numeric id column prints as 1001, not 1001.0."""
    if payroll.ids is None:
        return None
    ids = np.asarray(payroll.ids)
    return number_text(ids) if ids.dtype.kind == "f" else ids.astype(str)


def _kind(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "empty"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "number"
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return "date"
    if isinstance(value, str):
        return "empty" if not value.strip() else "text"
    return "other"


def _text(value: object, kind: str) -> str:
    if kind == "empty":
        return ""
    if isinstance(value, (bool, np.bool_)):  # TRUE/FALSE among text: as Excel shows it
        return "TRUE" if value else "FALSE"
    if kind == "number":
        if isinstance(value, (int, np.integer)):  # every digit, however many (a long id)
            return str(int(value))
        number = float(value)  # type: ignore[arg-type]
        return str(int(number)) if number.is_integer() else repr(number)
    if kind == "date":
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat()  # type: ignore[attr-defined, no-any-return]
    return str(value).strip()
