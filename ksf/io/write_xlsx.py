"""The payroll as an Excel workbook: a payroll sheet, then one payslip sheet per row.

Money is written as numbers with the ``#,##0.00`` format (as many places as the rounding
unit has: ``#,##0.000`` for 0.001, ``#,##0`` for whole yuan), never as text, so the sheet
adds up in Excel. Each payslip lists the row's lines, their amounts and how each was
computed (the text of `Payroll.explain`).

Every piece of text is written as a text cell, never read as a formula (an id such as
``=cmd|'/c calc'!A1`` shows as those characters), with control characters escaped
(`ksf.source.visible`): a workbook of pay data runs nothing when it is opened.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ksf.catalogue import io as saying
from ksf.explain_figures import line_name
from ksf.explain_words import Lang, check_lang, currency_word, line_word, say
from ksf.io.cells import ids_text
from ksf.money import snap
from ksf.optional import requires
from ksf.payroll import Payroll
from ksf.payslip import explain_at
from ksf.source import display_width, visible

MAX_ROWS = 1_048_574  # Excel's 1,048,576 rows, less the header and the totals row
MAX_PAYSLIPS = 1000  # one sheet each: beyond this a workbook is slow to write and to open
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(
    payroll: Payroll,
    path: Path,
    payslips: bool = True,
    lang: Lang | None = None,
    where: Sequence[str] | None = None,
) -> None:
    """Write the workbook to ``path`` (the caller makes the write atomic).

    ``lang`` (``"en"``, ``"zh"``; None: the rule file's ``language``, else English) is the
    language of every word in the workbook: the payroll sheet's name (工资表), its headings
    and total row (工号, 计薪卡, 合计, ksf's own line names such as 底薪, a line named after
    an indicator by its label), and the payslip sheets. English headings are the payroll's
    line names. ``where`` names each row in its payslip's heading (``line 3 of july.csv``,
    as ``ksf run`` passes); None: `Payroll.explain`'s own heading.

    Raises:
        ImportError: openpyxl is not installed.
        ValueError: more rows than a sheet holds, or payslips for more than `MAX_PAYSLIPS`.
    """
    with requires("openpyxl", saying.WRITING_XLSX(), "excel"):
        from openpyxl import Workbook
    if len(payroll) > MAX_ROWS:
        raise ValueError(saying.EXCEL_ROWS(rows=f"{len(payroll):,}", most=f"{MAX_ROWS:,}"))
    if payslips and len(payroll) > MAX_PAYSLIPS:
        msg = saying.EXCEL_SHEETS(rows=f"{len(payroll):,}", most=f"{MAX_PAYSLIPS:,}")
        raise ValueError(msg)
    book = Workbook(write_only=True)
    language = check_lang(lang or payroll.language or "en")
    _payroll_sheet(book, payroll, language)
    if payslips:
        names = {say(language, "x_payroll").lower()}
        labels = _labels(payroll, language)
        for row in range(len(payroll)):
            sheet = book.create_sheet(sheet_name(labels[row], names))
            at = None if where is None else where[row]
            _payslip(sheet, payroll, row, language, at)
    book.save(path)


def _labels(payroll: Payroll, lang: Lang) -> list[str]:
    ids = ids_text(payroll)
    if ids is None:
        # sheet names count rows from 1 in Chinese, as people do (第 1 行 is row 0)
        first = 1 if lang == "zh" else 0
        return [say(lang, "x_row", row=row + first) for row in range(len(payroll))]
    return [visible(str(v)) for v in ids.tolist()]


def sheet_name(label: str, taken: set[str]) -> str:
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


def money_format(decimals: int) -> str:
    """Excel's number format for an amount to ``decimals`` places: 2 → ``#,##0.00``."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _cell(
    sheet: Any, value: object, *, bold: bool = False, money: str = "", right: bool = False
) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    if isinstance(value, str):
        value = visible(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):  # text, even when it starts with `=`: never a formula
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    if money:  # the number format of an amount
        cell.number_format = money
    if right:  # a heading over a column of amounts sits over the amounts
        cell.alignment = Alignment(horizontal="right")
    return cell


def cell(
    sheet: Any, value: object, *, bold: bool = False, money: str = "", right: bool = False
) -> Any:
    """A cell of a write-only ``sheet``: text never read as a formula, controls escaped.

    ``money``: an amount's number format (`money_format`); ``right``: a heading over amounts.
    For other workbooks ksf writes (``ksf diff``), with this one's safety.
    """
    return _cell(sheet, value, bold=bold, money=money, right=right)


def _text(sheet: Any, label: str) -> Any:
    """A `visible` label as it is, or as a text cell where openpyxl would take it as a formula.

    Most ids are plain: a million of them written as strings save a cell object each.
    """
    return _cell(sheet, label) if label.startswith("=") else label


def _payroll_sheet(book: Any, payroll: Payroll, lang: Lang) -> None:
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(say(lang, "x_payroll"))
    shape = money_format(payroll.decimals)
    sheet.freeze_panes = "A2"
    _print_setup(sheet, landscape=True)
    sheet.print_title_rows = "1:1"
    labels = _labels(payroll, "en") if payroll.ids is not None else None
    on_card, titles = _card_lines(payroll, lang)
    total_word = say(lang, "t_total")
    id_word, card_word = say(lang, "t_id"), say(lang, "x_card")
    lines = [titles.get(line, line) for line in payroll.lines]
    head = ([id_word] if labels is not None else []) + [card_word, *lines, total_word]
    cards = np.asarray(payroll.cards).tolist()
    front = ([(id_word, labels)] if labels is not None else []) + [(card_word, cards)]
    versions = np.asarray(payroll.versions).tolist() if payroll.versioned else None
    if versions is not None:  # each row's card version, after its card (LANGUAGE.md §13)
        head.insert(len(front), say(lang, "x_version"))
        front.append((say(lang, "x_version"), versions))
    front_widths = [max(display_width(x) for x in [*v[:1000], name]) + 2 for name, v in front]
    widths = front_widths + [max(display_width(h) + 2, 14) for h in head[len(front_widths) :]]
    for k, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(k + 1)].width = width
    money_from = len(front)
    sheet.append([_cell(sheet, h, bold=True, right=k >= money_from) for k, h in enumerate(head)])
    columns = [payroll[line].tolist() for line in payroll.lines] + [payroll.total.tolist()]
    # A line the row's card does not have is left blank, not shown as an amount of 0.00.
    names = [*payroll.lines, "total"]
    for row in range(len(payroll)):
        front = [_text(sheet, v) for v in ([labels[row]] if labels is not None else [])]
        front.append(cards[row])  # a card's name is a rule name: it cannot start with `=`
        front += [] if versions is None else [versions[row]]  # a month: no formula either
        has = on_card[cards[row]]
        money = [
            _cell(sheet, c[row], money=shape) if n in has else None
            for n, c in zip(names, columns, strict=True)
        ]
        sheet.append([*front, *money])
    totals = np.array([np.sum(c) for c in columns])
    snap(totals, payroll.rounding)  # sums of whole units (cents), without float noise
    blanks = [None] * (len(head) - len(columns) - 1)
    sheet.append(
        [
            _cell(sheet, total_word, bold=True),
            *blanks,
            *(_cell(sheet, t, bold=True, money=shape) for t in totals.tolist()),
        ]
    )


def _card_lines(payroll: Payroll, lang: Lang) -> tuple[dict[str, set[str]], dict[str, str]]:
    """The lines each card has, and each line's heading in ``lang``, from a row of each card.

    A heading is the line's title in the explanation: ksf's own names in ``lang`` (底薪 for
    `base`), a line named after its indicator by the indicator's label in Chinese (毛利率).
    """
    cards = np.asarray(payroll.cards)
    names, first = np.unique(cards, return_index=True)
    found, titles = {}, {"min_pay_topup": line_word("min_pay_topup", lang)}
    for name, row in zip(names.tolist(), first.tolist(), strict=True):
        trace = payroll.trace(int(row))
        topup = {"min_pay_topup"} if trace.min_pay is not None else set()
        found[name] = {line.name for line in trace.card.lines} | topup | {"total"}
        titles |= {line.name: line_name(line, lang) for line in trace.card.lines}
    return found, titles


def _print_setup(sheet: Any, *, landscape: bool) -> None:
    """Print one page wide, as many pages long as needed."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _payslip(sheet: Any, payroll: Payroll, row: int, lang: Lang, where: str | None) -> None:
    text = (
        payroll.explain(row, lang=lang) if where is None else explain_at(payroll, row, lang, where)
    )
    heading, blocks, total = _explained(text, lang)
    # The payroll's line names, for the amounts: a Chinese block says 底薪 for `base`.
    english = blocks if lang == "en" else _explained(payroll.explain(row, lang="en"), "en")[1]
    names = [n for n, _ in english]
    currency = currency_word(payroll.currency, lang)
    shape = money_format(payroll.decimals)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 3  # a gutter between the amounts and the text
    sheet.column_dimensions["D"].width = 2 + max(
        [40, *(display_width(t) for _, d in blocks for t in d.splitlines())]
    )
    _print_setup(sheet, landscape=False)
    sheet.append([_cell(sheet, heading, bold=True)])
    sheet.append(
        [
            _cell(sheet, say(lang, "x_amounts_in", currency=currency)),
            None,
            None,
            _cell(sheet, say(lang, "x_rules", hash=payroll.rulebook_hash[:12])),
        ]
    )
    sheet.append([])
    amount_head = say(lang, "x_amount", currency=currency)
    head = (say(lang, "x_line"), amount_head, "", say(lang, "x_how"))
    sheet.append([_cell(sheet, h, bold=True, right=h == amount_head) if h else None for h in head])
    for key, (name, detail) in zip(names, blocks, strict=True):
        amount = float(payroll[key][row]) if key in payroll.lines else None
        # One row per line of the explanation: readable and printable without wrapping.
        first, *rest = detail.splitlines() or [""]
        sheet.append(
            [
                _cell(sheet, name),
                _cell(sheet, amount, money=shape),
                None,
                _cell(sheet, first),
            ]
        )
        for text in rest:
            sheet.append([None, None, None, _cell(sheet, text)])
    sheet.append(
        [
            _cell(sheet, say(lang, "t_total"), bold=True),
            _cell(sheet, float(payroll.total[row]), bold=True, money=shape),
            None,
            _cell(sheet, total),
        ]
    )


def _explained(text: str, lang: Lang) -> tuple[str, list[tuple[str, str]], str]:
    """Split `Payroll.explain` text into its heading, (line, detail) blocks and total note."""
    lines = text.splitlines()
    heading, total = lines[0], ""
    colon = "：" if lang == "zh" else ":"  # as `ksf.explain_words` writes `line` and `total`
    total_head = say(lang, "total", amount="", currency="").partition(colon)[0] + colon
    blocks: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line.startswith(" ") and blocks:
            name, detail = blocks[-1]
            blocks[-1] = (name, f"{detail}\n{line}" if detail else line)
        elif line.startswith(total_head):
            total = line.removeprefix(total_head).lstrip()
        else:
            blocks.append((line.partition(colon)[0], ""))
    return heading, [(n, textwrap.dedent(d).strip("\n")) for n, d in blocks], total
