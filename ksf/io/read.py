"""Read data files into columns: CSV, XLSX, JSON records and Parquet, chosen by extension.

Each reader returns ``{column name: numpy array}``: float64 for numbers, text otherwise,
with the meaning of a cell fixed in `ksf.io.cells`. CSV and JSON are read here; XLSX in
`ksf.io.read_xlsx`, Parquet in `ksf.io.read_parquet`, big CSV files in `ksf.io.fastcsv`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TextIO

import numpy as np

from ksf._typing import AnyArray
from ksf.catalogue import io as say
from ksf.errors import DataError
from ksf.io.cells import keep_as_text, object_column, text_column
from ksf.io.fastcsv import TEXT_BYTES, long_cell, read_big
from ksf.io.read_parquet import read_parquet
from ksf.io.read_xlsx import read_xlsx
from ksf.io.table import Table, at_lines, header_names, refuse_unnamed

READERS = ("csv", "xlsx", "json", "parquet")


def data_format(path: str | Path, override: str | None = None) -> str:
    """The format of a data file: ``override`` or its extension (``.xlsm`` reads as xlsx).

    Raises:
        ValueError: the extension is not one ksf reads.
    """
    suffix = (override or Path(path).suffix.lstrip(".")).lower()
    suffix = {"xlsm": "xlsx", "pq": "parquet", "txt": "csv", "tsv": "csv"}.get(suffix, suffix)
    if suffix not in READERS:
        raise ValueError(say.UNKNOWN_FORMAT(path=path))
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
    elif kind == "csv" and (fast := read_big(file, keep_text)) is not None:
        columns = fast
    else:
        with (opener or _open)(file) as handle:
            try:
                # In pieces, so that a progress bar wrapped around the file can move.
                text = "".join(iter(lambda: handle.read(1 << 22), ""))
            except UnicodeDecodeError:
                raise DataError(say.IN_FILE(path=file, message=say.NOT_UTF8())) from None
        parse = parse_csv if kind == "csv" else parse_json
        columns = parse(text, str(file), keep_text=keep_text)
    keep_as_text(columns, keep_text)
    return columns if isinstance(columns, Table) else Table(columns)


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
        raise DataError(say.IN_FILE(path=name, message=say.EMPTY_FILE()))
    header = header_names(rows[0][0], name)
    kept = [(r, n) for r, n in rows[1:] if any(cell.strip() for cell in r)]
    body = [r for r, _ in kept]
    ragged = [i for i, r in enumerate(body) if len(r) != len(header)]
    if ragged:
        counts = say.joined([say.LINE_HAS(line=kept[i][1], cells=len(body[i])) for i in ragged[:3]])
        more = say.MORE_LINES() if len(ragged) > 3 else ""
        shape = say.RAGGED(columns=len(header), counts=counts, more=more)
        msg = say.IN_FILE(path=name, message=shape)
        raise at_lines(DataError(msg, rows=ragged), [n for _, n in kept])
    _not_too_long(body, header, name)
    cells = np.array(body, dtype=str).reshape(len(body), len(header))
    try:
        refuse_unnamed(header, [np.char.strip(cells[:, k]) != "" for k in range(len(header))], name)
        table = Table(
            (column, text_column(cells[:, k], as_text=column in keep_text, column=column))
            for k, column in enumerate(header)
            if column
        )
    except DataError as error:  # a column of mixed percent styles: say which file
        raise at_lines(error, [n for _, n in kept], name) from None
    table.lines = tuple(n for _, n in kept)
    return table


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
            say.CELL_OVER_LIMIT(limit=f"{limit:,}")
            if "field larger" in str(error)
            else say.NOT_CSV(error=error)
        )
        msg = say.IN_FILE(path=name, message=say.AT_LINE(line=line, message=what))
        raise DataError(msg) from None
    return rows


def _not_too_long(body: Sequence[Sequence[str]], header: Sequence[str], name: str) -> None:
    """Refuse a cell so long that the table, held at its width, would not fit in memory."""
    longest = max((max(map(len, r), default=0) for r in body), default=0)
    if 4 * longest * len(body) * len(header) > TEXT_BYTES:
        row = next(i for i, r in enumerate(body) if longest in map(len, r))
        column = [len(c) for c in body[row]].index(longest)
        raise long_cell(name, header[column], longest, len(body), row)


def parse_json(
    text: str, name: str = "<json>", keep_text: Collection[str] = ()
) -> dict[str, AnyArray]:
    """Columns of JSON records: ``[{"employee": "E001", "revenue": 1200}, …]``.

    A key missing from a record is a missing value, as an empty cell is in CSV.
    """
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        msg = say.NOT_JSON(name=name, line=error.lineno, column=error.colno, error=error.msg)
        raise DataError(msg) from None
    except RecursionError:
        msg = say.IN_FILE(path=name, message=say.JSON_TOO_DEEP())
        raise DataError(msg) from None
    except ValueError:  # an integer of more than 4,300 digits: Python refuses to read it
        msg = say.IN_FILE(path=name, message=say.JSON_BIG_NUMBER())
        raise DataError(msg) from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        msg = say.IN_FILE(path=name, message=say.JSON_NOT_RECORDS())
        raise DataError(msg)
    header = list(dict.fromkeys(key for record in records for key in record))
    nested = [k for k in header if any(isinstance(r.get(k), (dict, list)) for r in records)]
    if nested:
        msg = say.IN_FILE(path=name, message=say.JSON_NESTED())
        raise DataError(msg, column=nested[0])
    return {
        k: object_column([r.get(k) for r in records], k, name, as_text=k in keep_text)
        for k in header
    }
