"""Staff payslips as an Excel workbook: per employee, a payslip sheet and an audit sheet.

Each sheet holds one employee's row and nothing of anyone else's, so a sheet can be
printed or sent on its own. Amounts are numbers with the ``#,##0.00`` format (they add up
in Excel); every piece of data is a text cell, never a formula (a name such as
``=cmd|'/c calc'!A1`` shows as those characters), with control characters escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ksf.catalogue import io as say
from ksf.explain_words import people_row
from ksf.io.write_xlsx import money_format, sheet_name
from ksf.optional import requires
from ksf.payslip import Payslip
from ksf.source import display_width, visible

MAX_PAYSLIPS = 1000  # two sheets each: beyond this a workbook is slow to write and to open
_AUDIT = {"zh": "明细", "en": "audit"}


def write_payslips_xlsx(slips: Sequence[Payslip], path: Path, *, audit: bool = True) -> None:
    """Write the payslips (and, with ``audit``, each one's audit trail) to ``path``.

    Raises:
        ImportError: openpyxl is not installed.
        ValueError: no payslips, or more than `MAX_PAYSLIPS`.
    """
    with requires("openpyxl", say.WRITING_XLSX(), "excel"):
        from openpyxl import Workbook
    if not slips or len(slips) > MAX_PAYSLIPS:
        msg = say.PAYSLIP_COUNT(most=f"{MAX_PAYSLIPS:,}", count=f"{len(slips):,}")
        raise ValueError(msg)
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for slip in slips:
        label = slip.employee_id or slip.name or people_row(slip.row, slip.lang)  # 第 1 行
        if slip.period and sum(s.employee_id == slip.employee_id for s in slips) > 1:
            label += f" {slip.period}"
        _payslip_sheet(book.create_sheet(sheet_name(visible(label), taken)), slip)
        if audit:
            name = sheet_name(visible(f"{label} {_AUDIT[slip.lang]}"), taken)
            _audit_sheet(book.create_sheet(name), slip)
    book.save(path)


def _put(sheet: Any, row: int, column: int, value: object, **style: Any) -> Any:
    """Write one cell: text always as text (never a formula), styled as asked."""
    from openpyxl.styles import Alignment, Font

    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = visible(value)
        cell.data_type = "s"  # a text cell even when it starts with `=`
    else:
        cell.value = value
    if style.get("bold") or style.get("size"):  # the default font's name, or a serif stands in
        cell.font = Font(name="Calibri", bold=style.get("bold", False), size=style.get("size", 11))
    if style.get("money"):
        cell.number_format = style["money"]
    if style.get("right"):
        cell.alignment = Alignment(horizontal="right")
    return cell


def _print_setup(sheet: Any) -> None:
    """A4 portrait, one page wide."""
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _payslip_sheet(sheet: Any, slip: Payslip) -> None:
    """The payslip: title, who, then each line with its amount and reason, and the total."""
    w, shape = slip.words(), money_format(slip.places)
    _put(sheet, 1, 1, slip.title(), bold=True, size=14)
    row = 3
    for key, value in slip.facts():
        _put(sheet, row, 1, key, bold=True)
        _put(sheet, row, 2, value)
        row += 1
    row += 1
    # Column C is a gutter between the amounts and the reasons.
    for column, head in ((1, w["line"]), (2, slip.amount_heading()), (4, w["reason"])):
        _put(sheet, row, column, head, bold=True, right=column == 2)
    for line in slip.lines:
        row += 1
        _put(sheet, row, 1, line.title)
        _put(sheet, row, 2, line.amount, money=shape)
        _put(sheet, row, 4, line.reason)
    row += 1
    _put(sheet, row, 1, w["total"], bold=True)
    _put(sheet, row, 2, slip.total, bold=True, money=shape)
    _put(sheet, row + 2, 1, f"{w['rules']} {slip.rulebook_hash[:12]}")
    widths = [
        max(12, *(display_width(x) + 2 for x in (w["total"], *(ln.title for ln in slip.lines)))),
        16,
        3,
        min(90, max(20, *(display_width(ln.reason) + 2 for ln in slip.lines))),
    ]
    for letter, width in zip("ABCD", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    _print_setup(sheet)


def _audit_sheet(sheet: Any, slip: Payslip) -> None:
    """The full arithmetic of the row (`Payroll.explain`), one text line per row."""
    w = slip.words()
    _put(sheet, 1, 1, w["audit"], bold=True, size=13)
    who = " · ".join(v for v in (slip.name, slip.employee_id, slip.period) if v)
    _put(sheet, 2, 1, who)
    lines = slip.audit.splitlines()
    for k, text in enumerate(lines, start=4):
        _put(sheet, k, 1, text)
    sheet.column_dimensions["A"].width = min(120, max(40, *(display_width(t) + 2 for t in lines)))
    _print_setup(sheet)
