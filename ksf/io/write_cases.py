"""Write a case sheet for HR to edit (``ksf test --init``): XLSX, CSV or YAML.

The sheet is the one `ksf.io.read_cases` reads: the inputs as their cells, then one
``expected_`` column per amount (blank where the case's card has no such line) and an empty
``note``. No cell can run as a formula: XLSX text cells are text, CSV cells that a
spreadsheet would run start with ``'`` (`ksf.io.write.neutralised`), control characters are
written as visible escapes.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ksf.io.read_cases import FORMATS
from ksf.io.write import EXCEL_BOM, escaped, neutralised, write_atomically
from ksf.io.write_xlsx import money_format
from ksf.optional import requires
from ksf.source import visible

Sheet = Mapping[str, Sequence[Any]]  # column name → cells (str, float, or None for blank)


def write_case_sheet(path: str | Path, sheet: Sheet, amounts: Sequence[str], decimals: int) -> None:
    """Write ``sheet`` to ``path`` (.xlsx, .csv or .yaml by extension), atomically.

    ``amounts`` name the columns of amounts, written with ``decimals`` places.
    """
    file = Path(path)
    kind = FORMATS.get(file.suffix.lower())
    if kind == "xlsx":
        write_atomically(file, lambda target: _xlsx(target, sheet, amounts, decimals))
    elif kind == "yaml":
        write_atomically(file, _yaml(sheet, amounts, decimals))
    else:
        write_atomically(file, EXCEL_BOM + _csv(sheet, amounts, decimals))


def _cells(column: Sequence[Any], amount: bool, decimals: int) -> list[str]:
    if amount:
        return ["" if v is None or math.isnan(v) else f"{v:.{decimals}f}" for v in column]
    text = ["" if v is None else _number_text(v) for v in column]
    return neutralised(escaped(np.array(text, dtype=str))).tolist() if text else []


def _number_text(value: Any) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else (str(int(value)) if value.is_integer() else repr(value))
    return str(value)


def _csv(sheet: Sheet, amounts: Sequence[str], decimals: int) -> str:
    columns = [_cells(cells, name in amounts, decimals) for name, cells in sheet.items()]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(neutralised(escaped(np.array(list(sheet), dtype=str))).tolist())
    writer.writerows(zip(*columns, strict=True))
    return out.getvalue()


def _yaml(sheet: Sheet, amounts: Sequence[str], decimals: int) -> str:
    with requires("PyYAML", "writing .yaml case sheets", "yaml"):
        import yaml
    count = len(next(iter(sheet.values()), ()))
    cases = []
    for k in range(count):  # a case sheet a person will edit: tens to thousands of cases
        case: dict[str, Any] = {}
        for name, cells in sheet.items():
            value = cells[k]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if name in amounts:
                case.setdefault("expected", {})[name.removeprefix("expected_")] = round(
                    float(value), decimals
                )
            elif name in ("id", "card", "period", "note", "备注"):
                case["note" if name == "备注" else name] = visible(str(value))
            else:
                case.setdefault("input", {})[name] = (
                    value if isinstance(value, float) else visible(str(value))
                )
        cases.append(case)
    written: str = yaml.safe_dump(cases, allow_unicode=True, sort_keys=False)
    return written  # (typed here: PyYAML ships no type hints, so mypy sees Any)


def _xlsx(target: Path, sheet: Sheet, amounts: Sequence[str], decimals: int) -> None:
    with requires("openpyxl", "writing .xlsx case sheets", "excel"):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
    book = Workbook(write_only=True)
    out = book.create_sheet("cases")
    shown = money_format(decimals)

    def cell(value: Any, money: bool) -> Any:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        written = WriteOnlyCell(out, value=visible(value) if isinstance(value, str) else value)
        if isinstance(value, str):
            written.data_type = "s"  # text, even when it starts with `=`: never a formula
        elif money:
            written.number_format = shown
        return written

    out.append([cell(name, money=False) for name in sheet])
    count = len(next(iter(sheet.values()), ()))
    for k in range(count):  # a case sheet a person will edit, not a payroll
        out.append([cell(cells[k], money=name in amounts) for name, cells in sheet.items()])
    book.save(target)
