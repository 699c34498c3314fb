"""The payroll as an Excel workbook: a payroll sheet, then one payslip sheet per row.

Money is written as numbers with the ``#,##0.00`` format, never as text, so the sheet
adds up in Excel. Each payslip lists the row's lines, their amounts and how each was
computed (the text of `Payroll.explain`).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from ksf.money import snap
from ksf.payroll import Payroll
from ksf.source import display_width

MONEY = "#,##0.00"
MAX_PAYSLIPS = 1000  # one sheet each: beyond this a workbook is slow to write and to open
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(payroll: Payroll, path: Path, payslips: bool = True) -> None:
    """Write the workbook to ``path`` (the caller makes the write atomic).

    Raises:
        ImportError: openpyxl is not installed.
        ValueError: payslips for more than `MAX_PAYSLIPS` rows were asked for.
    """
    try:
        from openpyxl import Workbook
    except ImportError:
        msg = "writing .xlsx files needs openpyxl: pip install 'ksf[excel]'"
        raise ImportError(msg) from None
    if payslips and len(payroll) > MAX_PAYSLIPS:
        msg = (
            f"{len(payroll):,} payslip sheets are too many for one workbook (at most "
            f"{MAX_PAYSLIPS:,}); write the payroll sheet alone (--no-payslips) or use .csv"
        )
        raise ValueError(msg)
    book = Workbook(write_only=True)
    _payroll_sheet(book, payroll)
    if payslips:
        names = {"payroll"}
        labels = _labels(payroll)
        for row in range(len(payroll)):
            sheet = book.create_sheet(_sheet_name(labels[row], names))
            _payslip(sheet, payroll, row)
    book.save(path)


def _labels(payroll: Payroll) -> list[str]:
    from ksf.io.write import ids_text

    ids = ids_text(payroll)
    if ids is None:
        return [f"row {row}" for row in range(len(payroll))]
    return [str(v) for v in ids.tolist()]


def _sheet_name(label: str, taken: set[str]) -> str:
    """A legal, unique sheet name: at most 31 characters, none of the characters Excel forbids."""
    base = _BAD_SHEET_CHARS.sub("_", label).strip("'").strip() or "payslip"
    name = base[:31]
    copy = 1
    while name.lower() in taken:
        copy += 1
        suffix = f" ({copy})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def _cell(sheet: Any, value: object, *, bold: bool = False, money: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    if money:
        cell.number_format = MONEY
    if isinstance(value, str) and "\n" in value:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    elif money or bold:
        cell.alignment = Alignment(vertical="top")
    return cell


def _payroll_sheet(book: Any, payroll: Payroll) -> None:
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet("payroll")
    sheet.freeze_panes = "A2"
    labels = _labels(payroll) if payroll.ids is not None else None
    head = (["id"] if labels is not None else []) + ["card", *payroll.lines, "total"]
    cards = np.asarray(payroll.cards).tolist()
    front = ([("id", labels)] if labels is not None else []) + [("card", cards)]
    front_widths = [max(display_width(x) for x in [*v[:1000], name]) + 2 for name, v in front]
    widths = front_widths + [max(len(h) + 2, 14) for h in head[len(front_widths) :]]
    for k, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(k + 1)].width = width
    sheet.append([_cell(sheet, h, bold=True) for h in head])
    columns = [payroll[line].tolist() for line in payroll.lines] + [payroll.total.tolist()]
    for row in range(len(payroll)):
        front = ([labels[row]] if labels is not None else []) + [cards[row]]
        sheet.append([*front, *(_cell(sheet, c[row], money=True) for c in columns)])
    totals = np.array([np.sum(c) for c in columns])
    snap(totals, 0.01)  # sums of whole cents, without float noise
    blanks = [None] * (len(head) - len(columns) - 1)
    sheet.append(
        [
            _cell(sheet, "total", bold=True),
            *blanks,
            *(_cell(sheet, t, bold=True, money=True) for t in totals.tolist()),
        ]
    )


def _payslip(sheet: Any, payroll: Payroll, row: int) -> None:
    heading, blocks, total = _explained(payroll.explain(row))
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 100
    sheet.append([_cell(sheet, heading, bold=True)])
    sheet.append([f"amounts in {payroll.currency}", None, f"rules {payroll.rulebook_hash[:12]}"])
    sheet.append([])
    sheet.append([_cell(sheet, h, bold=True) for h in ("line", "amount", "how it was computed")])
    for name, detail in blocks:
        amount = float(payroll[name][row]) if name in payroll.lines else None
        sheet.append([name, _cell(sheet, amount, money=True), _cell(sheet, detail)])
    sheet.append(
        [
            _cell(sheet, "total", bold=True),
            _cell(sheet, float(payroll.total[row]), bold=True, money=True),
            total,
        ]
    )


def _explained(text: str) -> tuple[str, list[tuple[str, str]], str]:
    """Split `Payroll.explain` text into its heading, (line, detail) blocks and total note."""
    lines = text.splitlines()
    heading, total = lines[0], ""
    blocks: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line.startswith(" ") and blocks:
            name, detail = blocks[-1]
            blocks[-1] = (name, f"{detail}\n{line}" if detail else line)
        elif line.startswith("total:"):
            total = line.partition(": ")[2]
        else:
            blocks.append((line.partition(":")[0], ""))
    return heading, [(n, textwrap.dedent(d).strip("\n")) for n, d in blocks], total
