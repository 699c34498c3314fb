"""A `PlanDiff` as files: CSV, JSON and HTML here, XLSX in `ksf.design.diff_xlsx`.

The HTML page and the workbook show the tables of `ksf.design.diff_tables`. CSV and JSON
are for programs: English keys, amounts to the unit's places. Every writer is as safe as
the payroll's (`ksf.io.write`): no cell a spreadsheet would run as a formula, no control
character written raw, HTML escaped; and every file is replaced only once it is complete.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from pathlib import Path

import attrs
import numpy as np

from ksf.catalogue import diff as say
from ksf.design.diff import PlanDiff
from ksf.design.diff_tables import (
    Cell,
    Sheet,
    card_sheet,
    employee_sheet,
    headline,
    line_sheet,
    money_text,
)
from ksf.design.diff_xlsx import write_diff_xlsx
from ksf.explain_words import Lang
from ksf.io.payslip_html import STYLE
from ksf.io.write import EXCEL_BOM, escaped, json_text, neutralised, write_atomically
from ksf.source import visible

# The payslip page's style, with the page's margin on a screen and explanations set flush.
EXTRA_STYLE = "@media screen { body { margin: 16px; } } td pre { margin: 0; }"
DIFF_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".html": "html", ".htm": "html"}


# ---- CSV and JSON, for programs -----------------------------------------------------------


def diff_csv(diff: PlanDiff) -> str:
    """One row per employee: who, the card, both totals, the change, and each line's change.

    Each line that changed for any row gets a column ``<line>_change`` (0 where it did not
    change), so a row's line changes add up to its change; the lines' amounts and their
    explanations are in the other formats.
    """
    lines = list(dict.fromkeys(line.line for e in diff.changed for line in e.lines))
    front = ["id", "period"] if diff.id_column is not None else ["row"]
    head = [*front, "card", "old_total", "new_total", "change", *(f"{n}_change" for n in lines)]
    d = diff.decimals
    people = diff.employees
    if diff.id_column is not None:  # each text column made safe at once, not cell by cell
        front_cells = [_safe([e.id or "" for e in people]), _safe([e.period or "" for e in people])]
    else:
        front_cells = [[str(e.row) for e in people]]
    rows = []
    for k, e in enumerate(people):
        changed = {line.line: line.change for line in e.lines}
        amounts = [e.old_total, e.new_total, e.change, *(changed.get(n, 0.0) for n in lines)]
        who = [column[k] for column in front_cells]
        rows.append([*who, e.card, *(f"{a:.{d}f}" for a in amounts)])  # a card is a rule name
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([head, *rows])
    return buffer.getvalue()


def _safe(cells: Sequence[str]) -> list[str]:
    """Text cells escaped and never a spreadsheet formula (`ksf.io.write.neutralised`)."""
    found: list[str] = neutralised(escaped(np.asarray(cells, dtype=str))).tolist()
    return found


def diff_json(diff: PlanDiff) -> str:
    """The whole diff as JSON: the plans, the cost, every card and every employee."""
    plan = attrs.asdict(diff, recurse=True)
    for card in plan["cards"]:  # who, not the whole record again
        for side in ("largest_gain_by", "largest_loss_by"):
            card[side] = None if card[side] is None else _row_key(card[side])
    return json_text(plan)


def _row_key(employee: dict[str, object]) -> dict[str, object]:
    return {k: employee[k] for k in ("row", "id", "period")}


# ---- HTML, for people ---------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(visible(str(value)), quote=True)


def _table(sheet: Sheet, decimals: int) -> str:
    """A sheet as an HTML table, amounts to the unit's places, right-aligned."""

    def cells(row: Sequence[Cell], tag: str) -> str:
        out = []
        for k, value in enumerate(row):
            if isinstance(value, float) and k in sheet.money:
                text = money_text(value, decimals, signed=k in sheet.signed)
                out.append(f'<{tag} class="amount">{_e(text)}</{tag}>')
            elif isinstance(value, str) and "\n" in value:
                out.append(f"<{tag}><pre>{_e(value)}</pre></{tag}>")
            else:
                kind = ' class="amount"' if isinstance(value, int | float) else ""
                out.append(f"<{tag}{kind}>{'' if value is None else _e(value)}</{tag}>")
        return "".join(out)

    head = "".join(
        f"<th{' class=amount' if k in sheet.money else ''}>{_e(h)}</th>"
        for k, h in enumerate(sheet.head)
    )
    body = "".join(f"<tr>{cells(row, 'td')}</tr>" for row in sheet.rows)
    foot = f'<tr class="total">{cells(sheet.footer, "td")}</tr>' if sheet.footer else ""
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}{foot}</tbody></table>"
    return f"<h2>{_e(sheet.name)}</h2>{table}"


def diff_html(diff: PlanDiff, lang: Lang | None = None) -> str:
    """A self-contained HTML page: the headline, the cards, the employees, the lines changed."""
    language = lang or diff.lang
    title = say.TITLE(old=diff.old_name, new=diff.new_name).text(language)
    d = diff.decimals
    cards, people, lines = (s(diff, language) for s in (card_sheet, employee_sheet, line_sheet))
    moved = zip(people.rows, diff.employees, strict=True)
    people = attrs.evolve(people, rows=tuple(row for row, e in moved if e.lines))
    tables = [
        _table(cards, d),
        _table(people, d),
        _table(lines, d),
    ]
    rules = " → ".join(f"{_e(name)} {_e(code[:12])}" for name, code in (
        (diff.old_name, diff.old_hash), (diff.new_name, diff.new_hash)))  # fmt: skip
    body = (
        f"<h1>{_e(title)}</h1><p>{_e(headline(diff, language))}</p>{''.join(tables)}"
        f'<p class="rules">{rules}</p>'
    )
    code = "zh-CN" if language == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{code}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}{EXTRA_STYLE}</style>\n</head>\n<body>\n{body}\n"
        "</body>\n</html>\n"
    )


def write_diff(diff: PlanDiff, path: str | Path, *, lang: Lang | None = None) -> None:
    """Write a diff to ``path`` by its extension (.csv, .xlsx, .json, .html), atomically.

    Raises:
        ValueError: another extension.
        ImportError: .xlsx without openpyxl (``ksf[excel]``).
    """
    file = Path(path)
    kind = DIFF_FORMATS.get(file.suffix.lower())
    language = lang or diff.lang
    if kind is None:
        raise ValueError(say.DIFF_FORMATS(output=file.name))
    if kind == "csv":
        write_atomically(file, EXCEL_BOM + diff_csv(diff))
    elif kind == "json":
        write_atomically(file, diff_json(diff))
    elif kind == "html":
        write_atomically(file, diff_html(diff, language))
    else:
        sheets = [s(diff, language) for s in (card_sheet, employee_sheet, line_sheet)]
        write_atomically(file, lambda temporary: write_diff_xlsx(sheets, diff, temporary))
