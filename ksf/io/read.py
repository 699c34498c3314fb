"""Read data files into columns: CSV, XLSX, JSON records and Parquet, chosen by extension.

Each reader returns ``{column name: numpy array}``: float64 for numbers, text otherwise,
with the meaning of a cell fixed in `ksf.io.cells`. Readers of optional formats import
their library when called and say which extra to install when it is missing.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from ksf._typing import AnyArray
from ksf.columns import check_float_width
from ksf.errors import DataError
from ksf.io import fastcsv
from ksf.io.cells import keep_as_text, object_column, text_column
from ksf.optional import require

READERS = ("csv", "xlsx", "json", "parquet")


class Table(dict[str, AnyArray]):
    """The columns of a data file, and where each row is in the file, when that is known.

    ``lines[row]`` is the row's number as an editor (CSV: the line it ends on) or Excel
    (``noun="sheet rows"``) shows it, so that an error can name it; None when unknown.
    """

    lines: tuple[int, ...] | None = None
    noun: str = "lines"

    def locate(self, error: DataError) -> DataError:
        """``error`` with its rows named by their place in the file, when that is known."""
        if self.lines is None or not error.rows or error.labels is not None:
            return error
        return at_lines(error, self.lines, noun=self.noun)


def data_format(path: str | Path, override: str | None = None) -> str:
    """The format of a data file: ``override`` or its extension (``.xlsm`` reads as xlsx).

    Raises:
        ValueError: the extension is not one ksf reads.
    """
    suffix = (override or Path(path).suffix.lstrip(".")).lower()
    suffix = {"xlsm": "xlsx", "pq": "parquet", "txt": "csv", "tsv": "csv"}.get(suffix, suffix)
    if suffix not in READERS:
        msg = f"cannot tell the format of {path}; use one of .csv, .xlsx, .json, .parquet"
        raise ValueError(msg)
    return suffix


def read_data(
    path: str | Path,
    *,
    format: str | None = None,  # noqa: A002 - the word the command line uses
    sheet: str | None = None,
    keep_text: Collection[str] = (),
    opener: Callable[[Path], TextIO] | None = None,
) -> Table:
    """Columns of a data file (a dict, with the rows' places in the file: see `Table`).

    Args:
        path: a ``.csv``, ``.xlsx``, ``.json`` (a list of records) or ``.parquet`` file.
        format: read as this format whatever the extension.
        sheet: the XLSX sheet to read (default: the first).
        keep_text: columns to keep as text even if they hold numbers (ids such as ``007``).
        opener: opens a CSV or JSON file for reading (the command line passes one that
            shows progress); defaults to a plain UTF-8 open that drops a byte-order mark.

    Raises:
        DataError: no header, repeated or missing column names, ragged rows, bad cells.
        FileNotFoundError: there is no such file.
        ImportError: the format needs an extra that is not installed.
    """
    file = Path(path)
    kind = data_format(file, format)
    if kind == "xlsx":
        columns = read_xlsx(file, sheet=sheet, keep_text=keep_text)
    elif kind == "parquet":
        columns = read_parquet(file)
    elif kind == "csv" and (fast := _fast_csv(file, keep_text)) is not None:
        columns = fast
    else:
        with (opener or _open)(file) as handle:
            try:
                # In pieces, so that a progress bar wrapped around the file can move.
                text = "".join(iter(lambda: handle.read(1 << 22), ""))
            except UnicodeDecodeError:
                msg = (
                    f"{file}: the file is not UTF-8; in Excel save it as "
                    "'CSV UTF-8 (Comma delimited)'"
                )
                raise DataError(msg) from None
        parse = parse_csv if kind == "csv" else parse_json
        columns = parse(text, str(file), keep_text=keep_text)
    keep_as_text(columns, keep_text)
    return columns if isinstance(columns, Table) else Table(columns)


def _fast_csv(path: Path, keep_text: Collection[str]) -> Table | None:
    """A big CSV file through pyarrow (see `ksf.io.fastcsv`), or None to read it here."""
    if path.stat().st_size <= fastcsv.ARROW_BYTES:
        return None
    try:
        header = fastcsv.header_row(path)
    except UnicodeDecodeError:
        msg = f"{path}: the file is not UTF-8; in Excel save it as 'CSV UTF-8 (Comma delimited)'"
        raise DataError(msg) from None
    read = fastcsv.read_csv_arrow(path, keep_text, _header(header, str(path)))
    if read is None:
        return None
    columns, lines = read
    table = Table(columns)
    table.lines = lines
    return table


def _open(path: Path) -> TextIO:
    return path.open(encoding="utf-8-sig", newline="")


def read_csv(path: str | Path) -> dict[str, AnyArray]:
    """Columns of a CSV file with a header row (UTF-8, with or without a BOM).

    Raises:
        DataError: the file has no header, a repeated column name, or ragged rows.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    return parse_csv(text, str(path))


def parse_csv(
    text: str, name: str = "<csv>", keep_text: Collection[str] = ()
) -> dict[str, AnyArray]:
    """Columns of CSV text (see `read_csv`); ``keep_text`` columns are not read as numbers."""
    text = text.removeprefix("\ufeff")
    if "\r" in text and "\n" not in text:  # classic Mac line ends, as old Excel for Mac saves
        text = text.replace("\r", "\n")
    rows = _csv_rows(text, name)
    if not rows:
        msg = f"{name}: the file is empty; it needs a header row"
        raise DataError(msg)
    header = _header(rows[0][0], name)
    kept = [(r, n) for r, n in rows[1:] if any(cell.strip() for cell in r)]
    body = [r for r, _ in kept]
    ragged = [i for i, r in enumerate(body) if len(r) != len(header)]
    if ragged:
        counts = ", ".join(f"line {kept[i][1]} has {len(body[i])}" for i in ragged[:3])
        more = ", …" if len(ragged) > 3 else ""
        msg = (
            f"{name}: the header has {len(header)} columns but not every row has "
            f"{len(header)} cells ({counts}{more}); a row needs a cell, maybe empty, per column"
        )
        raise at_lines(DataError(msg, rows=ragged), [n for _, n in kept])
    _not_too_long(body, header, name)
    cells = np.array(body, dtype=str).reshape(len(body), len(header))
    try:
        _unnamed(header, [np.char.strip(cells[:, k]) != "" for k in range(len(header))], name)
        table = Table(
            (column, text_column(cells[:, k], as_text=column in keep_text, column=column))
            for k, column in enumerate(header)
            if column
        )
    except DataError as error:  # a column of mixed percent styles: say which file
        prefix = "" if error.message.startswith(f"{name}: ") else f"{name}: "
        raise at_lines(error, [n for _, n in kept], prefix) from None
    table.lines = tuple(n for _, n in kept)
    return table


def at_lines(
    error: DataError, lines: Sequence[int], prefix: str = "", noun: str = "lines"
) -> DataError:
    """``error`` with its rows named by their numbers in the file (``lines[row]``).

    A person opens the file in an editor or in Excel, which number lines and sheet rows
    from 1 with the header: row 0 of the data is line 2 of a plain CSV file.
    """
    labels = [str(lines[r]) for r in error.rows] if error.rows else None
    message = prefix + error.message
    return DataError(message, column=error.column, rows=error.rows, labels=labels, noun=noun)


def _csv_rows(text: str, name: str) -> list[tuple[list[str], int]]:
    """The rows of CSV text, each with the file line it ends on (what Excel shows)."""
    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        for row in reader:
            rows.append((row, reader.line_num))  # noqa: PERF401 - line_num is read per row
    except csv.Error as error:  # a cell over the csv module's limit, a stray line end
        line = reader.line_num
        limit = csv.field_size_limit()
        what = (
            f"a cell longer than {limit:,} characters, more than any pay data holds"
            if "field larger" in str(error)
            else f"not CSV that ksf can read ({error})"
        )
        msg = f"{name}: line {line}: {what}"
        raise DataError(msg) from None
    return rows


def _not_too_long(body: Sequence[Sequence[str]], header: Sequence[str], name: str) -> None:
    """Refuse a cell so long that the table, held at its width, would not fit in memory."""
    longest = max((max(map(len, r), default=0) for r in body), default=0)
    if 4 * longest * len(body) * len(header) > fastcsv.TEXT_BYTES:
        row = next(i for i, r in enumerate(body) if longest in map(len, r))
        column = [len(c) for c in body[row]].index(longest)
        raise fastcsv.long_cell(name, header[column], longest, len(body), row)


def parse_json(
    text: str, name: str = "<json>", keep_text: Collection[str] = ()
) -> dict[str, AnyArray]:
    """Columns of JSON records: ``[{"employee": "E001", "revenue": 1200}, …]``.

    A key missing from a record is a missing value, as an empty cell is in CSV.
    """
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        msg = f"{name}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}"
        raise DataError(msg) from None
    except RecursionError:
        msg = f"{name}: lists or objects nested too deeply; expected [{{column: value, …}}, …]"
        raise DataError(msg) from None
    except ValueError:  # an integer of more than 4,300 digits: Python refuses to read it
        msg = f"{name}: a number has more than 4,300 digits; no pay figure is that long"
        raise DataError(msg) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        msg = f"{name}: expected a list of records, [{{column: value, …}}, …]"
        raise DataError(msg)
    header = list(dict.fromkeys(key for record in records for key in record))
    nested = [k for k in header if any(isinstance(r.get(k), (dict, list)) for r in records)]
    if nested:
        msg = f"{name}: values must be numbers, text or null, not lists or objects"
        raise DataError(msg, column=nested[0])
    return {
        k: object_column([r.get(k) for r in records], k, name, as_text=k in keep_text)
        for k in header
    }


def read_xlsx(
    path: Path, sheet: str | None = None, keep_text: Collection[str] = ()
) -> dict[str, AnyArray]:
    """Columns of an Excel sheet (the first, or ``sheet``): the first row is the header.

    Formulas are read as the values Excel last computed; a formula with no stored value
    (a file written by a program, never opened in Excel) is refused rather than read empty.
    """
    book = _workbook(path, data_only=True)
    try:
        rows = _sheet_rows(book, sheet, path)
    finally:
        book.close()
    if not rows:
        msg = f"{path}: the sheet is empty; it needs a header row"
        raise DataError(msg)
    header = _header(["" if c is None else str(c) for c in rows[0]], str(path))
    kept = [(r, k + 2) for k, r in enumerate(rows[1:]) if any(_filled(c) for c in r)]
    body = [r for r, _ in kept]
    try:
        table = Table(_xlsx_columns(path, sheet, keep_text, header, body))
    except DataError as error:  # rows named as Excel numbers them (the header is row 1)
        raise at_lines(error, [n for _, n in kept], noun="sheet rows") from None
    table.lines, table.noun = tuple(n for _, n in kept), "sheet rows"
    return table


def _filled(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def _xlsx_columns(
    path: Path,
    sheet: str | None,
    keep_text: Collection[str],
    header: list[str],
    body: list[tuple[Any, ...]],
) -> dict[str, AnyArray]:
    # Cells right of the header are kept, so that values under no heading are refused, not
    # dropped.
    width = max([len(header), *(len(r) for r in body)])
    header += [""] * (width - len(header))
    cells = [list(r) + [None] * (width - len(r)) for r in body]
    _refuse_uncomputed(path, sheet, cells, header)
    filled = [
        np.array([c is not None and str(c).strip() != "" for c in (r[j] for r in cells)], bool)
        for j in range(width)
    ]
    _unnamed(header, filled, str(path))
    return {
        k: object_column([r[j] for r in cells], k, str(path), as_text=k in keep_text)
        for j, k in enumerate(header)
        if k
    }


def _worksheet(book: Any, sheet: str | None, path: Path) -> Any:
    if sheet is not None and sheet not in book.sheetnames:
        msg = f"{path}: no sheet {sheet!r}; the workbook has: {', '.join(book.sheetnames)}"
        raise DataError(msg)
    return book[sheet] if sheet is not None else book.worksheets[0]


def _sheet_rows(book: Any, sheet: str | None, path: Path) -> list[tuple[Any, ...]]:
    worksheet = _worksheet(book, sheet, path)
    try:
        rows = [tuple(row) for row in worksheet.iter_rows(values_only=True)]
    except SyntaxError as error:  # XML that does not parse (ElementTree's and lxml's errors)
        msg = f"{path}: a damaged workbook: its sheet is not valid XML ({error})"
        raise DataError(msg) from None
    # Trailing empty header cells are formatting, not columns.
    while rows and rows[0] and rows[0][-1] is None:
        rows[0] = rows[0][:-1]
    return rows


def _refuse_uncomputed(
    path: Path, sheet: str | None, cells: list[list[Any]], header: Sequence[str]
) -> None:
    if not any(c is None for row in cells for c in row):
        return
    book = _workbook(path, data_only=False)
    try:
        formulas = _sheet_rows(book, sheet, path)[1:]
    finally:
        book.close()
    body = [r for r in formulas if any(c is not None and str(c).strip() for c in r)]
    for j, name in enumerate(header):
        rows = [
            i
            for i, row in enumerate(body)
            if i < len(cells)
            and cells[i][j] is None
            and j < len(row)
            and str(row[j]).startswith("=")
        ]
        if rows:
            msg = (
                f"{path}: formula cells have no saved value; open the file in Excel or "
                "LibreOffice and save it, so that the computed values are stored"
            )
            raise DataError(msg, column=name, rows=rows)


def read_parquet(path: Path) -> dict[str, AnyArray]:
    """Columns of a Parquet file: numeric columns as float64, the rest cell by cell."""
    pq = require("pyarrow.parquet", "reading .parquet files", "pyarrow")
    import pyarrow as pa

    try:
        table = pq.read_table(path)
    except pa.ArrowInvalid as error:
        msg = f"{path}: not a Parquet file or a damaged one ({error})"
        raise DataError(msg) from None
    return arrow_columns(table, str(path))


def arrow_columns(table: Any, where: str) -> dict[str, AnyArray]:
    """Columns of a pyarrow Table (nulls are missing values)."""
    import pyarrow as pa

    columns: dict[str, AnyArray] = {}
    for name in table.column_names:
        column = table.column(name)
        kind = column.type
        if pa.types.is_floating(kind):  # a float32 has lost cents; widening cannot restore them
            try:
                check_float_width(name, np.dtype(kind.to_pandas_dtype()))
            except DataError as error:
                msg = f"{where}: {error.message}"
                raise DataError(msg, column=name) from None
        if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
            try:
                values = column.cast(pa.float64()).to_numpy(zero_copy_only=False)
            except pa.ArrowInvalid:
                raise _not_exact(column, name, where) from None
            columns[name] = np.asarray(values, dtype=np.float64)
        else:
            columns[name] = object_column(column.to_pylist(), name, where)
    return columns


def _not_exact(column: Any, name: str, where: str) -> DataError:
    """A `DataError` for whole numbers a float64 cannot hold exactly (beyond 2**53)."""
    msg = (
        f"{where}: column {name!r} holds whole numbers beyond 2**53, which ksf cannot compute "
        "with exactly; store ids as text"
    )
    import pyarrow as pa

    if not pa.types.is_integer(column.type) or column.null_count:
        return DataError(msg, column=name)
    values = column.to_numpy()
    big = values > 2**53
    if not pa.types.is_unsigned_integer(column.type):
        big |= values < -(2**53)
    return DataError(msg, column=name, rows=np.flatnonzero(big).tolist())


def _header(cells: Sequence[str], name: str) -> list[str]:
    header = [h.strip() for h in cells]
    repeated = sorted({h for h in header if header.count(h) > 1 and h})
    if repeated:
        msg = f"{name}: column names repeat: {', '.join(repeated)}"
        raise DataError(msg)
    return header


def _unnamed(header: Sequence[str], filled: Sequence[AnyArray], name: str) -> None:
    """Refuse a column with values but no name; an empty one is only formatting."""
    for k, column in enumerate(header):
        if not column and filled[k].any():
            msg = f"{name}: column {k + 1} has values but no name in the header row"
            raise DataError(msg, rows=np.flatnonzero(filled[k]).tolist())


def _workbook(path: Path, *, data_only: bool) -> Any:
    openpyxl = require("openpyxl", "reading .xlsx files", "excel")
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as error:
        msg = f"{path}: not an Excel workbook (.xlsx) or a damaged one ({error})"
        raise DataError(msg) from None
