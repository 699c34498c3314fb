"""Read an Excel sheet (XLSX, XLSM) into columns; needs openpyxl (``ksf[excel]``)."""

from __future__ import annotations

import zipfile
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ksf._typing import AnyArray
from ksf.catalogue import io as say
from ksf.errors import DataError
from ksf.io.cells import object_column
from ksf.io.table import Table, at_lines, header_names, refuse_unnamed
from ksf.optional import requires


def read_xlsx(
    path: Path, sheet: str | None = None, keep_text: Collection[str] = ()
) -> dict[str, AnyArray]:
    """Columns of an Excel sheet (the first, or ``sheet``): the first row is the header.

    Formulas are read as the values Excel last computed; a formula with no stored value
    (a file written by a program, never opened in Excel) is refused rather than read empty.
    """
    book = workbook(path, data_only=True)
    try:
        rows = _sheet_rows(book, sheet, path)
    finally:
        book.close()
    if not rows:
        msg = say.IN_FILE(path=path, message=say.EMPTY_SHEET())
        raise DataError(msg)
    header = header_names(["" if c is None else str(c) for c in rows[0]], str(path))
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
    refuse_unnamed(header, filled, str(path))
    return {
        k: object_column([r[j] for r in cells], k, str(path), as_text=k in keep_text)
        for j, k in enumerate(header)
        if k
    }


def worksheet(book: Any, sheet: str | None, path: Path) -> Any:
    """The sheet named ``sheet``, or the first; a name the workbook lacks is refused."""
    if sheet is not None and sheet not in book.sheetnames:
        missing = say.NO_SHEET(sheet=repr(sheet), sheets=", ".join(book.sheetnames))
        msg = say.IN_FILE(path=path, message=missing)
        raise DataError(msg)
    return book[sheet] if sheet is not None else book.worksheets[0]


def _sheet_rows(book: Any, sheet: str | None, path: Path) -> list[tuple[Any, ...]]:
    found = worksheet(book, sheet, path)
    try:
        rows = [tuple(row) for row in found.iter_rows(values_only=True)]
    except SyntaxError as error:  # XML that does not parse (ElementTree's and lxml's errors)
        msg = say.IN_FILE(path=path, message=say.DAMAGED_SHEET(error=error))
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
    book = workbook(path, data_only=False)
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
            msg = say.IN_FILE(path=path, message=say.UNCOMPUTED())
            raise DataError(msg, column=name, rows=rows)


def workbook(path: Path, *, data_only: bool) -> Any:
    """The workbook at ``path``, opened read-only (close it when done)."""
    with requires("openpyxl", say.READING_XLSX(), "excel"):
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as error:
        msg = say.IN_FILE(path=path, message=say.NOT_XLSX(error=error))
        raise DataError(msg) from None
