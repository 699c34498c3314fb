"""A data file's column names and row count, read without its rows.

`ksf check --data` binds the cards against the column names alone, and the progress bar
of `ksf run` decides from the row count whether the wait is worth showing; both must stay
fast on a file of a million rows, so each format is asked only for what it records: a CSV
header row, a Parquet schema or metadata, an XLSX sheet's first row or dimension.
"""

from __future__ import annotations

from pathlib import Path

from ksf.catalogue import io as say
from ksf.errors import DataError
from ksf.io.fastcsv import header_row
from ksf.io.read import data_format, read_data
from ksf.io.read_xlsx import workbook, worksheet
from ksf.io.table import header_names
from ksf.optional import requires


def column_names(
    path: str | Path,
    *,
    format: str | None = None,  # noqa: A002 - the word the command line uses
    sheet: str | None = None,
) -> list[str]:
    """The column names of a data file, reading as little of it as the format allows.

    CSV: the header row alone. Parquet: the schema. XLSX: the sheet's first row. JSON:
    the keys of every record (the whole file). Empty header cells are left out.

    Raises:
        DataError: no header, repeated column names, not UTF-8, a damaged file.
        FileNotFoundError: there is no such file.
        ImportError: the format needs an extra that is not installed.
    """
    file = Path(path)
    kind = data_format(file, format)
    if kind == "csv":
        try:
            cells = header_row(file)
        except UnicodeDecodeError:
            raise DataError(say.IN_FILE(path=file, message=say.NOT_UTF8())) from None
        if not cells:
            raise DataError(say.IN_FILE(path=file, message=say.EMPTY_FILE()))
    elif kind == "parquet":
        cells = _parquet_names(file)
    elif kind == "xlsx":
        cells = _xlsx_header(file, sheet)
    else:
        cells = list(read_data(file, format=kind))
    return [name for name in header_names(cells, str(file)) if name]


def row_count(
    path: str | Path,
    *,
    format: str | None = None,  # noqa: A002 - the word the command line uses
    sheet: str | None = None,
) -> int | None:
    """The data rows of a file, where the format records them: None for CSV and JSON.

    Parquet keeps the count in its metadata; an XLSX sheet, its dimension (the header row
    is not counted; blank rows are). Nothing else of the file is read. A file this cannot
    open gives None: the reader will say what is wrong with it.
    """
    file = Path(path)
    try:
        kind = data_format(file, format)
        if kind == "parquet":
            import pyarrow.parquet as pq

            return int(pq.read_metadata(file).num_rows)
        if kind == "xlsx":
            book = workbook(file, data_only=True)
            try:
                rows = worksheet(book, sheet, file).max_row
            finally:
                book.close()
            return None if rows is None else max(int(rows) - 1, 0)
    except (ImportError, OSError, ValueError, DataError):  # ArrowInvalid is a ValueError
        return None
    return None


def _parquet_names(path: Path) -> list[str]:
    with requires("pyarrow", say.READING_PARQUET(), "pyarrow"):
        import pyarrow.parquet as pq
    import pyarrow as pa

    try:
        return list(pq.read_schema(path).names)
    except pa.ArrowInvalid as error:
        msg = say.IN_FILE(path=path, message=say.NOT_PARQUET(error=error))
        raise DataError(msg) from None


def _xlsx_header(path: Path, sheet: str | None) -> list[str]:
    book = workbook(path, data_only=True)
    try:
        first = next(worksheet(book, sheet, path).iter_rows(max_row=1, values_only=True), ())
    finally:
        book.close()
    if not any(c is not None for c in first):
        raise DataError(say.IN_FILE(path=path, message=say.EMPTY_SHEET()))
    return ["" if c is None else str(c) for c in first]
