"""A `Simulation` as a flat table (one row per line, card and team) and as CSV, JSON, XLSX.

The table's columns are the fields of `LineSimulation` and `CardSimulation`: a card's row
(``line`` ``total``) carries its cost percentiles and gross profit, a line's row leaves them
empty; the last row (``card`` ``*``) is the whole team's cost a month. JSON is the nested
`Simulation` itself. Files are written atomically (`ksf.io.write_atomically`).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import attrs

from ksf.catalogue import io as saying
from ksf.catalogue import simulate as say
from ksf.design.simulation import CardSimulation, LineSimulation, Simulation
from ksf.explain_words import Lang
from ksf.io import write_atomically
from ksf.io.write import EXCEL_BOM
from ksf.io.write_xlsx import money_format
from ksf.message import Say
from ksf.money import unit_decimals
from ksf.optional import requires

FIELDS = (
    "card", "line", "kind", "employees", "history_rows", "p5", "p50", "p95",
    "share_above", "share_below", "cost", "cost_p5", "cost_p50", "cost_p95",
    "gross_profit", "cost_share", "best", "balance", "worst",
)  # fmt: skip
MONEY = frozenset({"p5", "p50", "p95", "cost", "cost_p5", "cost_p50", "cost_p95",
                   "gross_profit", "best", "balance", "worst"})  # fmt: skip
SHARES = frozenset({"share_above", "share_below", "cost_share"})
Row = dict[str, Any]


def table(sim: Simulation) -> list[Row]:
    """Every line of every card, each card's total after its lines, the team's last."""
    rows: list[Row] = []
    for card in sim.cards:
        rows.extend(_line_row(card, line) for line in card.lines)
        rows.append(_card_row(card))
    team = {"card": "*", "line": "total", "kind": "team", "cost": sim.cost}
    team |= {"cost_p5": sim.cost_p5, "cost_p50": sim.cost_p50, "cost_p95": sim.cost_p95}
    team["employees"] = sum(card.employees for card in sim.cards)
    rows.append(dict.fromkeys(FIELDS) | team)
    return rows


def _line_row(card: CardSimulation, line: LineSimulation) -> Row:
    fields = attrs.asdict(line)
    name = fields.pop("name")
    del fields["label"]
    return dict.fromkeys(FIELDS) | fields | {"card": card.name, "line": name}


def _card_row(card: CardSimulation) -> Row:
    fields = attrs.asdict(card, filter=lambda a, _: a.name not in ("lines", "label", "name"))
    return dict.fromkeys(FIELDS) | fields | {"card": card.name, "line": "total", "kind": "total"}


def write(sim: Simulation, path: str | Path, lang: Lang = "en") -> None:
    """Write ``sim`` to ``path``: ``.csv``, ``.json`` or ``.xlsx`` (by its extension).

    CSV and JSON keep the field names (for programs); an XLSX sheet is headed in ``lang``.

    Raises:
        ValueError: another extension (Parquet is for payrolls), or not a regular file.
        ImportError: XLSX without openpyxl (``pip install 'ksf[excel]'``).
    """
    file = Path(path)
    kind = file.suffix.lstrip(".").lower()
    if kind == "csv":
        write_atomically(file, EXCEL_BOM + csv_text(sim))
    elif kind == "json":
        write_atomically(file, json_text(sim))
    elif kind == "xlsx":
        write_atomically(file, lambda temporary: _write_xlsx(sim, temporary, lang))
    else:
        raise ValueError(say.FORMAT(path=path))


def csv_text(sim: Simulation) -> str:
    """The table as CSV: money with the rounding unit's decimals, shares as fractions."""
    decimals = unit_decimals(sim.rounding)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in table(sim):
        writer.writerow([_cell(row[f], f, decimals) for f in FIELDS])
    return out.getvalue()


def _cell(value: Any, field: str, decimals: int) -> str:
    if value is None:
        return ""
    if field in MONEY:
        return f"{value:.{decimals}f}"
    if field in SHARES:
        return f"{value:.6f}"
    return str(value)


def json_text(sim: Simulation) -> str:
    """The nested `Simulation` as JSON: its fields, each card's, each line's."""
    return json.dumps(attrs.asdict(sim), ensure_ascii=False, indent=1) + "\n"


HEADINGS: dict[str, Say] = {
    "card": say.FIELD_CARD, "line": say.FIELD_LINE, "kind": say.FIELD_KIND,
    "employees": say.FIELD_EMPLOYEES, "history_rows": say.FIELD_HISTORY_ROWS,
    "share_above": say.FIELD_SHARE_ABOVE, "share_below": say.FIELD_SHARE_BELOW,
    "cost": say.FIELD_COST, "cost_p5": say.FIELD_COST_P5, "cost_p50": say.FIELD_COST_P50,
    "cost_p95": say.FIELD_COST_P95, "gross_profit": say.FIELD_GROSS_PROFIT,
    "cost_share": say.FIELD_COST_SHARE, "best": say.FIELD_BEST,
    "balance": say.FIELD_BALANCE, "worst": say.FIELD_WORST,
}  # fmt: skip


def headings(lang: Lang) -> list[str]:
    """The table's column headings in ``lang``: P5, P50, P95 as they are, the rest in words."""
    return [HEADINGS[f]().text(lang) if f in HEADINGS else f.upper() for f in FIELDS]


def _write_xlsx(sim: Simulation, path: Path, lang: Lang) -> None:
    """One sheet: the table, money in the rounding unit's format, shares as percentages."""
    with requires("openpyxl", saying.WRITING_XLSX(), "excel"):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
    book = Workbook(write_only=True)
    sheet = book.create_sheet(say.SHEET().text(lang))
    sheet.append(headings(lang))
    money = money_format(unit_decimals(sim.rounding))
    for row in table(sim):
        cells = []
        for field in FIELDS:
            cell = WriteOnlyCell(sheet, value=row[field])
            if field in MONEY:
                cell.number_format = money
            elif field in SHARES:
                cell.number_format = "0.00%"
            cells.append(cell)
        sheet.append(cells)
    book.save(path)
