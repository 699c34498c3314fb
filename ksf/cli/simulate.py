"""``ksf simulate RULES HISTORY``: `ksf.simulate`, printed as a table per card, and written.

The history is read like ``ksf run``'s data (CSV, XLSX, JSON, Parquet); ``--employees``
takes ``CARD=N`` (repeatable) or one ``N`` for every card; ``-o`` writes the table as CSV,
XLSX or JSON (`ksf.design.simulate_files`).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import ksf
from ksf import io
from ksf.catalogue import simulate as say
from ksf.cli.inputs import UsageError, card_of, checked, in_file, said_of, sheet_only_in_xlsx
from ksf.cli.inputs import _labelled as labelled
from ksf.cli.render import table
from ksf.cli.voice import language
from ksf.design.simulate_files import write
from ksf.design.simulation import CardSimulation, LineSimulation, Simulation
from ksf.errors import DataError
from ksf.explain_words import Lang, line_word
from ksf.ids import ID_COLUMNS
from ksf.money import unit_decimals
from ksf.rulebook import Rulebook
from ksf.source import visible

HELP = "simulate a plan's pay and cost over months drawn from history"
EXAMPLES = """\
examples:
  ksf simulate pay.ksf history.csv                 10,000 months of the latest period's team
  ksf simulate pay.ksf history.xlsx --runs 2000 --seed 7 --lang zh
  ksf simulate pay.ksf history.csv --employees operator=12 --employees supply_chain=0
  ksf simulate pay.ksf history.csv -o sim.xlsx     and the table as .csv, .xlsx or .json"""


def options(command: argparse.ArgumentParser) -> None:
    """The options of ``ksf simulate``."""
    command.add_argument("file", help="the rule file (.ksf)")
    command.add_argument(
        "data",
        metavar="HISTORY",
        help="past months, one row per employee per month, with a card column: "
        ".csv, .xlsx, .json (records) or .parquet",
    )
    command.add_argument("--runs", type=int, default=10_000, help="months to simulate (10000)")
    command.add_argument("--seed", type=int, default=0, help="the seed of the draws (0)")
    command.add_argument(
        "--employees",
        action="append",
        default=[],
        metavar="CARD=N",
        help="employees of a card each month (repeatable; N alone: every card; 0 leaves a "
        "card out); default: the card's rows in the history's latest period",
    )
    command.add_argument("--id", metavar="COLUMN", help="the history's id column")
    command.add_argument(
        "-o", "--output", metavar="OUT", help="write the table (.csv, .xlsx, .json)"
    )
    command.add_argument("--sheet", help="the XLSX sheet to read (default: the first)")
    command.add_argument(
        "--data-format",
        dest="input_format",
        choices=["csv", "xlsx", "json", "parquet"],
        help="read the history as this format whatever its extension",
    )
    command.add_argument(
        "--lang",
        choices=["zh", "en"],
        help="write the table and messages in Chinese (zh) or English (en); default: the "
        "rule file's `language` setting, else en",
    )


def simulate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Simulate the rule file's cards over the history, print the tables, write ``-o``."""
    book = ksf.load(args.file)
    lang = language(args, book.program.language)
    employees = _employees(book, args.employees)
    path = Path(args.data)
    sheet_only_in_xlsx(args)
    keep = [args.id] if args.id else list(ID_COLUMNS)
    with in_file(path):
        data = checked(io.read_data, path, format=args.input_format, sheet=args.sheet,
                       keep_text=keep)  # fmt: skip
    try:
        sim = ksf.simulate(book, data, runs=args.runs, seed=args.seed, employees=employees,
                           id=args.id)  # fmt: skip
    except DataError as error:  # naming the history's lines, or its employees
        raise labelled(error, None, path, data) from None
    except ValueError as error:  # --runs 0, --employees operator=-1
        raise UsageError(said_of(error)) from None
    show(sim, book, out, lang)
    if args.output:
        try:
            write(sim, args.output, lang)
        except ValueError as error:
            raise UsageError(said_of(error)) from None
        out.write(visible(say.WROTE(path=args.output).text(lang)) + "\n")
    return 0


def _employees(book: Rulebook, given: Sequence[str]) -> dict[str, int] | None:
    """``--employees``: ``N`` for every card, then ``CARD=N`` for one; None when not given."""
    counts: dict[str, int] = {}
    for text in given:
        card, equals, number = text.rpartition("=")
        try:
            count = int(number.strip())
        except ValueError:
            raise UsageError(say.EMPLOYEES_FORM(text=repr(text))) from None
        if equals:
            counts[card_of(book, card.strip())] = count
        else:
            counts = dict.fromkeys(book.cards, count) | counts
    return counts or None


def show(sim: Simulation, book: Rulebook, out: TextIO, lang: Lang) -> None:
    """The tables: one per card, the team's cost, and what the columns mean."""
    rows = sum(card.history_rows for card in sim.cards)
    title = say.TITLE(runs=f"{sim.runs:,}", rows=f"{rows:,}", seed=sim.seed, currency=sim.currency)
    out.write(title.text(lang) + "\n\n")
    places = unit_decimals(sim.rounding)
    for card in sim.cards:
        _card_table(card, places, out, lang)
        out.write("\n")
    costs = [_money(v, places) for v in (sim.cost_p5, sim.cost_p50, sim.cost_p95, sim.cost)]
    out.write(say.TEAM_COST(p5=costs[0], p50=costs[1], p95=costs[2], mean=costs[3]).text(lang))
    out.write("\n\n")
    for note in (say.NOTE_PAY, say.NOTE_SIDES, say.NOTE_COST, say.NOTE_MARKS):
        out.write(note().text(lang) + "\n")


def _card_table(card: CardSimulation, places: int, out: TextIO, lang: Lang) -> None:
    """One card: a row per line, the total as the footer, its cost a month under it."""
    words = [say.HEAD_ABOVE, say.HEAD_BELOW, say.HEAD_COST, say.HEAD_SHARE, say.HEAD_BEST]
    words += [say.HEAD_BALANCE, say.HEAD_WORST]
    head = [say.HEAD_LINE().text(lang), "P5", "P50", "P95", *(w().text(lang) for w in words)]
    body = [_line_cells(line, places, lang) for line in card.lines]
    na = say.NOT_APPLICABLE().text(lang)
    footer = [say.TOTAL().text(lang), *(_money(v, places) for v in (card.p5, card.p50, card.p95))]
    footer += ["", "", _money(card.cost, places), _share(card.cost_share, na, 2), "", "", ""]
    name = f"{card.name} ({card.label})" if card.label else card.name
    heading = say.CARD_HEADING(card=name, employees=card.employees, rows=card.history_rows)
    table(head, body, out, footer=footer, title=heading.text(lang))
    costs = [_money(v, places) for v in (card.cost_p5, card.cost_p50, card.cost_p95)]
    said = say.CARD_COST(p5=costs[0], p50=costs[1], p95=costs[2])
    out.write(said.text(lang) + "\n")


def _line_cells(line: LineSimulation, places: int, lang: Lang) -> list[str]:
    na = say.NOT_APPLICABLE().text(lang)
    pay = [_money(v, places) for v in (line.p5, line.p50, line.p95)]
    sides = [_share(line.share_above, na), _share(line.share_below, na)]
    cost = [_money(line.cost, places), _share(line.cost_share, na, 2)]
    marks = [_money(line.best, places), _money(line.balance, places, na)]
    marks.append(_money(line.worst, places))
    title = line.name if lang == "en" else line.label or line_word(line.name, lang)
    return [title, *pay, *sides, *cost, *marks]


def _money(value: float | None, places: int, missing: str = "") -> str:
    return missing if value is None else f"{value:,.{places}f}"


def _share(value: float | None, missing: str, places: int = 1) -> str:
    return missing if value is None else f"{value:.{places}%}"
