"""Read a case sheet for ``ksf test``: CSV, XLSX or YAML, cells kept as they were written.

A case sheet is one row per case: the inputs the cards read, ``card``, an id, the
``expected_total`` and ``expected_<line>`` amounts, an optional ``note``. The cells are kept
raw here (text as typed, an Excel number as a number, a formula as its text), because an
expected amount is read as a decimal to the cent and a formula in one is refused
(`ksf.cases` does both); each case keeps its row as the file shows it, for the errors.

YAML, for engineers (as OpenFisca's YAML tests), is a list of cases::

    - id: E01
      card: operator
      note: 2 steps × 150 = 300
      input: {revenue: 1250000, cogs: 906250}
      expected: {total: 4300, gross_margin: 300}

It needs PyYAML (``pip install 'ksf[yaml]'``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from ksf.catalogue import cases as say
from ksf.errors import DataError
from ksf.io.read_xlsx import workbook, worksheet
from ksf.io.table import header_names
from ksf.optional import requires

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
FORMATS |= {".yaml": "yaml", ".yml": "yaml"}
# Beside pay.ksf, in this order: the sheet HR edits first.
BESIDE = (".cases.xlsx", ".cases.csv", ".cases.yaml", ".cases.yml")
YAML_KEYS = ("id", "card", "period", "note", "input", "expected")


@attrs.frozen
class CaseSheet:
    """The cells of a case sheet, column by column, as written.

    Attributes:
        name: the file, as given (errors name it).
        cells: each column's cells in case order: text (CSV), or what the workbook or the
            YAML holds (numbers, text, None for an empty cell).
        formulas: for an XLSX sheet, each column's cells that hold a formula (its text).
        rows: each case's row as the file shows it: a CSV line, an Excel row (the header is
            row 1), the YAML line where the case starts.
        noun: ``"lines"`` (CSV, YAML) or ``"sheet rows"`` (XLSX), as `ksf.io.Table` says.
    """

    name: str
    cells: dict[str, list[Any]]
    rows: tuple[int, ...]
    noun: str = "lines"
    formulas: dict[str, list[str | None]] = attrs.field(factory=dict)


def beside(rules: str | Path) -> list[Path]:
    """The case sheets beside a rule file: ``pay.ksf`` → ``pay.cases.xlsx`` (.csv, .yaml)."""
    path = Path(rules)
    return [p for p in (path.with_name(path.stem + end) for end in BESIDE) if p.is_file()]


def read_cases(path: str | Path, sheet: str | None = None) -> CaseSheet:
    """The case sheet at ``path`` (.csv, .xlsx or .yaml, by extension).

    Raises:
        DataError: an empty sheet, a header with a name twice, a YAML case of the wrong shape.
        ValueError: an extension that is no case sheet's.
        FileNotFoundError: no such file.
        ImportError: XLSX without openpyxl, YAML without PyYAML.
    """
    file = Path(path)
    kind = FORMATS.get(file.suffix.lower())
    if kind is None:
        raise ValueError(say.CASES_FORMAT(file=file))
    if kind == "xlsx":
        found = _read_xlsx(file, sheet)
    elif kind == "yaml":
        found = _read_yaml(file)
    else:
        found = _read_csv(file)
    if not found.rows:
        raise DataError(say.CASES_NO_ROWS(file=file))
    return found


def _table(
    name: Path, header: Sequence[str], body: list[tuple[list[Any], int]], noun: str
) -> CaseSheet:
    """A sheet from its header and its filled rows (each with its number in the file)."""
    names = header_names(header, str(name))
    width = max([len(names), *(len(row) for row, _ in body)])
    for k in range(width):
        filled = [n for row, n in body if k < len(row) and _filled(row[k])]
        if (k >= len(names) or not names[k]) and filled:
            message = say.CASES_UNNAMED(file=name, position=k + 1)
            labels = [str(n) for n in filled]
            raise DataError(message, rows=range(len(filled)), labels=labels, noun=noun)
    cells = {
        column: [row[k] if k < len(row) else None for row, _ in body]
        for k, column in enumerate(names)
        if column
    }
    return CaseSheet(str(name), cells, tuple(n for _, n in body), noun)


def _filled(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def _read_csv(path: Path) -> CaseSheet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(say.CASES_NOT_UTF8(file=path)) from None
    reader = csv.reader(io.StringIO(text))
    rows: list[tuple[list[Any], int]] = []
    try:
        rows.extend((row, reader.line_num) for row in reader)
    except csv.Error as error:
        raise DataError(say.CASES_NOT_CSV(file=path, line=reader.line_num, reason=error)) from None
    if not rows:
        raise DataError(say.CASES_EMPTY(file=path))
    body = [(row, n) for row, n in rows[1:] if any(cell.strip() for cell in row)]
    ragged = [str(n) for row, n in body if len(row) != len(rows[0][0])]
    if ragged:
        message = say.CASES_RAGGED(file=path, count=len(rows[0][0]))
        raise DataError(message, rows=range(len(ragged)), labels=ragged, noun="lines")
    return _table(path, rows[0][0], body, "lines")


def _read_xlsx(path: Path, sheet: str | None) -> CaseSheet:
    values, formulas = _sheet(path, sheet, data_only=True), _sheet(path, sheet, data_only=False)
    if not values:
        raise DataError(say.CASES_EMPTY(file=path))
    header = ["" if c is None else str(c) for c in values[0]]
    body = [(list(row), k + 2) for k, row in enumerate(values[1:]) if any(_filled(c) for c in row)]
    found = _table(path, header, body, "sheet rows")
    written = {n - 2: row for n, row in enumerate(formulas[1:], start=2)}
    for k, column in enumerate(header):
        if column.strip():
            found.formulas[column.strip()] = [_formula(written.get(n - 2), k) for _, n in body]
    _refuse_uncomputed(found)
    return found


def _refuse_uncomputed(sheet: CaseSheet) -> None:
    """An input formula with no saved value would read as a blank: refuse it, naming rows.

    (A formula in an ``expected_`` column is refused whatever its value, in `ksf.cases`.)
    """
    for column, formulas in sheet.formulas.items():
        if column.startswith("expected_"):
            continue
        cells = sheet.cells[column]
        rows = [k for k, f in enumerate(formulas) if f is not None and cells[k] is None]
        if rows:
            message = say.CASES_UNCOMPUTED(file=sheet.name)
            labels = [str(sheet.rows[k]) for k in rows]
            raise DataError(message, column=column, rows=rows, labels=labels, noun=sheet.noun)


def _formula(row: tuple[Any, ...] | None, k: int) -> str | None:
    cell = None if row is None or k >= len(row) else row[k]
    return cell if isinstance(cell, str) and cell.startswith("=") else None


def _sheet(path: Path, sheet: str | None, *, data_only: bool) -> list[tuple[Any, ...]]:
    book = workbook(path, data_only=data_only)
    try:
        return [tuple(row) for row in worksheet(book, sheet, path).iter_rows(values_only=True)]
    finally:
        book.close()


def _read_yaml(path: Path) -> CaseSheet:
    with requires("PyYAML", "reading .yaml case sheets", "yaml"):
        import yaml
    text = path.read_text(encoding="utf-8-sig")
    try:
        cases = yaml.safe_load(text)
        tree = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise DataError(say.YAML_NOT_YAML(file=path, reason=" ".join(str(error).split()))) from None
    if cases is None:
        raise DataError(say.CASES_EMPTY(file=path))
    if not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases):
        raise DataError(say.YAML_NOT_LIST(file=path))
    lines = [node.start_mark.line + 1 for node in tree.value] if tree is not None else []
    flat = [_flat_case(path, case, line) for case, line in zip(cases, lines, strict=True)]
    header = list(dict.fromkeys(name for case in flat for name in case))
    body = [
        ([case.get(name) for name in header], line) for case, line in zip(flat, lines, strict=True)
    ]
    return _table(path, header, body, "lines")


def _flat_case(path: Path, case: dict[Any, Any], line: int) -> dict[str, Any]:
    """One YAML case as sheet columns: id, card, period, note, inputs, ``expected_*``."""
    flat: dict[str, Any] = {}
    for key, value in case.items():
        if key not in YAML_KEYS:
            raise DataError(say.YAML_BAD_KEY(file=path, line=line, key=key))
        if key in ("input", "expected"):
            if not isinstance(value, dict):
                raise DataError(say.YAML_NOT_MAPPING(file=path, line=line, key=key))
            prefix = "expected_" if key == "expected" else ""
            for name, given in value.items():
                if isinstance(given, (dict, list)):
                    raise DataError(say.YAML_NESTED(file=path, line=line, name=name))
                flat[prefix + str(name)] = given
        else:
            flat[str(key)] = value
    return flat
