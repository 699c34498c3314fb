"""A `PlanDiff` as an Excel workbook: one sheet by card, one by employee, one of lines changed.

Amounts are numbers in the rounding unit's format (``#,##0.00``), so the sheets add up in
Excel; changes carry their sign (``+#,##0.00``). Text goes through `ksf.io.write_xlsx.cell`:
never a formula, control characters escaped. An explanation takes one row per line, as on a
payslip.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ksf.catalogue import io as saying
from ksf.design.diff import PlanDiff
from ksf.design.diff_tables import Sheet
from ksf.io.write_xlsx import cell, money_format, sheet_name
from ksf.optional import requires
from ksf.source import display_width, visible

SAMPLE = 500  # rows a column's width is measured on
WIDEST = 100  # characters: an explanation line longer than this runs past its column


def write_diff_xlsx(sheets: Sequence[Sheet], diff: PlanDiff, path: Path) -> None:
    """Write the sheets to ``path`` (the caller makes the write atomic).

    Raises:
        ImportError: openpyxl is not installed.
    """
    with requires("openpyxl", saying.WRITING_XLSX(), "excel"):
        from openpyxl import Workbook
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for found in sheets:
        _sheet(book.create_sheet(sheet_name(found.name, taken)), found, diff.decimals)
    book.save(path)


def _sheet(sheet: Any, found: Sheet, decimals: int) -> None:
    from openpyxl.utils import get_column_letter

    # Widths and kinds from the first rows: a long diff is as wide as its beginning.
    rows = [found.head, *found.rows[:SAMPLE]] + ([found.footer] if found.footer else [])
    for k in range(len(found.head)):
        width = max(_width(row[k]) for row in rows) + 2
        sheet.column_dimensions[get_column_letter(k + 1)].width = min(max(width, 10), WIDEST)
    sheet.freeze_panes = "A2"
    _print_setup(sheet)
    numbers = found.money | {
        k for row in rows[1:] for k, v in enumerate(row) if isinstance(v, int | float)
    }
    cells = _Cells(sheet, found, decimals)
    sheet.append(
        [
            cell(sheet, h, bold=True, right=True) if k in numbers else cells.made(h, k, bold=True)
            for k, h in enumerate(found.head)
        ]
    )
    for row in found.rows:
        # One sheet row per line of an explanation, as on a payslip: readable and printable
        # without wrapping; the amounts sit on the first.
        parts = [v.splitlines() if isinstance(v, str) and "\n" in v else [v] for v in row]
        for depth in range(max(len(p) for p in parts)):
            sheet.append(
                [cells.made(p[depth] if depth < len(p) else None, k) for k, p in enumerate(parts)]
            )
    if found.footer:
        sheet.append([cells.made(v, k, bold=True) for k, v in enumerate(found.footer)])


class _Cells:
    """The cells of one sheet: amounts in their format (changes signed), text as text."""

    def __init__(self, sheet: Any, found: Sheet, decimals: int) -> None:
        from openpyxl.styles import Alignment

        self.sheet, self.found = sheet, found
        self.formats = (money_format(decimals), _signed_format(decimals))
        self.indent = Alignment(indent=2)  # text right after an amount, set off from it

    def made(self, value: Any, k: int, *, bold: bool = False) -> Any:
        """The cell of column ``k`` (None stays an empty cell)."""
        found = self.found
        if value is None:
            return None
        after_amount = isinstance(value, str) and k - 1 in found.money
        if isinstance(value, str) and not (bold or after_amount):
            text = visible(value)  # most text needs no cell object: only what reads as a formula
            return text if not text.startswith("=") else cell(self.sheet, text)
        shape = self.formats[k in found.signed] if k in found.money else ""
        made = cell(self.sheet, value, bold=bold, money=shape)
        if after_amount:
            made.alignment = self.indent
        return made


def _print_setup(sheet: Any) -> None:
    """Landscape A4, one page wide, the heading row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _signed_format(decimals: int) -> str:
    """A change with its sign: ``+#,##0.00;-#,##0.00;0.00``."""
    plain = money_format(decimals)
    zero = "0" + ("." + "0" * decimals if decimals else "")
    return f"+{plain};-{plain};{zero}"


def _width(value: object) -> int:
    """A column's width for a cell: its longest text line, or an amount's digits."""
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:+,.2f}")
    return max((display_width(part) for part in str(value).splitlines()), default=0)
