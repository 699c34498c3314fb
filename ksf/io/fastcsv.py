"""Big CSV files through pyarrow's reader, with the cell rules of `ksf.io.cells`.

Python's csv module and NumPy's string functions take about 15 seconds for a million
rows of eleven columns; pyarrow reads and converts them in C in a fraction of that. The
meaning of a cell does not change: every column is read as text, then trimmed, stripped of
thousands separators and percent signs and cast to float64 in pyarrow; a column that does
not cast is handed to `cells.text_column`, the same function the small-file path uses, so
an unusual cell (``1_000``) is judged exactly as there.
"""

from __future__ import annotations

import csv
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np

from ksf._typing import AnyArray
from ksf.catalogue import io as say
from ksf.errors import DataError
from ksf.io.cells import refuse_mixed_percent, text_column
from ksf.io.table import Table, header_names

ARROW_BYTES = 8 * 2**20  # smaller files take the plain path: no pyarrow needed, same result
# NumPy holds text at the width of its longest cell, four bytes a character: one long cell in
# a big file would need terabytes. Past this, the file is refused instead.
TEXT_BYTES = 2**31


def read_big(path: Path, keep_text: Collection[str]) -> Table | None:
    """A CSV file over `ARROW_BYTES` through pyarrow, or None: read it with the csv module."""
    if path.stat().st_size <= ARROW_BYTES:
        return None
    try:
        header = header_row(path)
    except UnicodeDecodeError:
        raise DataError(say.IN_FILE(path=path, message=say.NOT_UTF8())) from None
    read = read_csv_arrow(path, keep_text, header_names(header, str(path)))
    if read is None:
        return None
    columns, lines = read
    table = Table(columns)
    table.lines = lines
    return table


def read_csv_arrow(
    path: Path, keep_text: Collection[str], header: list[str]
) -> tuple[dict[str, AnyArray], tuple[int, ...] | None] | None:
    """Columns of a CSV file read by pyarrow, and each row's file line (see `row_lines`).

    None when pyarrow is not installed. ``header`` is the file's header row, already
    checked by the caller.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pcsv
    except ImportError:
        return None
    names = [h or f"column {k + 1}" for k, h in enumerate(header)]
    table = _text_table(pa, pcsv, path, names)
    trimmed = {n: pc.utf8_trim_whitespace(table.column(n)) for n in names}
    filled = {n: pc.not_equal(trimmed[n], "") for n in names}
    # Rows of nothing but separators (",,,") are dropped, as the plain path drops them.
    keep = filled[names[0]]
    for name in names[1:]:
        keep = pc.or_(keep, filled[name])
    lines = row_lines(path, table.num_rows)
    if lines is not None:
        lines = tuple(np.asarray(lines)[keep.to_numpy(zero_copy_only=False)].tolist())
    columns: dict[str, AnyArray] = {}
    for name, original in zip(names, header, strict=True):
        cells = trimmed[name].filter(keep)
        if not original:
            if pc.any(filled[name].filter(keep)).as_py():
                unnamed = say.UNNAMED_COLUMN(number=name.split()[1])
                raise DataError(say.IN_FILE(path=path, message=unnamed))
            continue
        lengths = pc.utf8_length(cells)
        longest = pc.max(lengths).as_py() or 0
        if longest > csv.field_size_limit() or 4 * longest * len(cells) > TEXT_BYTES:
            row = pc.index(lengths, longest).as_py()
            raise long_cell(path, original, longest, len(cells), row)
        try:
            columns[original] = _column(pa, pc, cells, original in keep_text, original)
        except DataError as error:  # a column of mixed percent styles: say which file
            msg = say.IN_FILE(path=path, message=error.said)
            labels = [str(lines[r]) for r in error.rows] if lines and error.rows else None
            raise DataError(
                msg,
                column=error.column,
                names_column=error.names_column,
                rows=error.rows,
                labels=labels,
                noun="lines",
            ) from None
    return columns, lines


def _text_table(pa: Any, pcsv: Any, path: Path, names: list[str]) -> Any:
    """The file as a pyarrow Table of text columns named ``names`` (the header row skipped)."""
    options = pcsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    reading = pcsv.ReadOptions(column_names=names, skip_rows=1)
    try:
        return pcsv.read_csv(path, read_options=reading, convert_options=options)
    except pa.ArrowInvalid as error:
        text = str(error)
        if "UTF8" in text or "utf8" in text.lower():
            raise DataError(say.IN_FILE(path=path, message=say.NOT_UTF8())) from None
        n = len(names)
        ragged = say.RAGGED_ARROW(columns=n, text=text)
        raise DataError(say.IN_FILE(path=path, message=ragged)) from None


def row_lines(path: Path, rows: int) -> tuple[int, ...] | None:
    """The file line of each row pyarrow read, or None when quotes make that unknowable.

    Without a ``"`` in the file every row is one line, and pyarrow skips empty lines as
    the plain path does; a quoted cell may hold line breaks, which only a CSV parser sees.
    """
    data = np.fromfile(path, dtype=np.uint8)
    if (data == ord('"')).any():
        return None
    breaks = np.flatnonzero(data == ord("\n"))
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(data)]))
    lengths = ends - starts
    carriage = (lengths > 0) & (data[np.maximum(ends - 1, 0)] == ord("\r"))
    filled = np.flatnonzero(lengths - carriage > 0)
    lines = filled[1:] + 1  # after the header, numbered from 1 as editors do
    return tuple(lines.tolist()) if len(lines) == rows else None


def long_cell(path: Path | str, column: str, longest: int, rows: int, row: int) -> DataError:
    """A `DataError` for a cell too long to read (csv's limit) or to hold in every row."""
    if longest > csv.field_size_limit():
        what = say.OVER_CSV_LIMIT(limit=f"{csv.field_size_limit():,}")
    else:
        what = say.TOO_WIDE(rows=f"{rows:,}")
    msg = say.IN_FILE(path=path, message=say.LONG_CELL(length=f"{longest:,}", what=what))
    return DataError(msg, column=column, rows=[row])


def _column(pa: Any, pc: Any, cells: Any, as_text: bool, name: str) -> AnyArray:
    if not as_text:
        values = _numbers(pa, pc, cells, name)
        if values is not None:
            return values
    texts = np.asarray(cells.to_numpy(zero_copy_only=False), dtype=str)
    return text_column(texts, as_text=as_text, column=name)


# What `cells.parse_numbers` reads as a number; a column with any other non-empty cell is
# left to that function, which decides (pyarrow's cast alone would read more than it does).
NUMBER = r"^[+-]?([1-9]\d{0,2}(,\d{3})+|\d*)(\.\d*)?([eE][+-]?\d+)?%?$"


def _numbers(pa: Any, pc: Any, cells: Any, name: str) -> AnyArray | None:
    if not pc.all(pc.or_(pc.equal(cells, ""), pc.match_substring_regex(cells, NUMBER))).as_py():
        return None
    plain = pc.replace_substring(cells, ",", "")
    percent = pc.ends_with(plain, "%")
    digits = pc.if_else(percent, pc.utf8_rtrim(plain, characters="%"), plain)
    empty = pc.equal(cells, "")  # "," alone is not empty: it fails the cast, as in NumPy
    digits = pc.if_else(empty, pa.scalar(None, pa.string()), digits)
    try:
        values = pc.cast(digits, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    array = np.array(values.to_numpy(zero_copy_only=False), dtype=np.float64)  # a copy we own
    given = ~np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)
    if not np.isfinite(array[given]).all():
        return None  # "nan" or "inf" typed into a cell: the plain path calls that text
    where = np.asarray(percent.to_numpy(zero_copy_only=False), dtype=bool)
    refuse_mixed_percent(where, given, array, name)
    array[where] /= 100
    return array


def header_row(path: Path) -> list[str]:
    """The first row of a CSV file (UTF-8, a BOM dropped)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])
