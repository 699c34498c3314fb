"""The commands that show things: demo, indicators, plot, and the payroll table.

Tables go through `ksf.cli.render.table`: rich on a terminal when installed, plain
aligned text otherwise.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple, TextIO

import numpy as np

import ksf
from ksf import examples, io
from ksf import plot as plotting
from ksf._typing import AnyArray
from ksf.catalogue import cli as said
from ksf.cli.inputs import PERIOD_HELP, UsageError, book_at, held_values, in_file, said_of
from ksf.cli.render import fits, table
from ksf.explain_words import Lang, check_lang, currency_word, line_word, say
from ksf.indicators import catalogue
from ksf.payroll import Payroll
from ksf.payslip import name_column_of
from ksf.rulebook import Rulebook, standard_library
from ksf.source import visible

TABLE_ROWS = 50  # rows of a payroll printed to a terminal; -o writes them all


def payroll_table(
    book: Rulebook,
    payroll: Payroll,
    data: Mapping[str, AnyArray],
    out: TextIO,
    lang: Lang = "en",
    name: str | None = None,
) -> None:
    """One table per card: its rows (the first `TABLE_ROWS`), lines, totals, in ``lang``.

    Each row is named by its id, then its name from the column ``name`` (``--name``; by
    default 姓名 or name, as payslips do), then its month, where the data has them.
    """
    extra = {k: data[k] for k in ("employee",) if k in data}
    if not extra and payroll.ids is not None:
        extra = {say(lang, "t_id"): np.asarray(payroll.ids)}
    named = name_column_of(list(data), name)
    if named is not None:
        extra[named] = data[named]
    if "month" in data:
        extra["month"] = data["month"]
    if not extra:  # no id column: rows are named by number (and the footer has a place)
        extra = {say(lang, "t_row"): np.arange(len(payroll))}
    cards = np.asarray(payroll.cards)
    names, first = np.unique(cards, return_index=True)
    versions = np.asarray(payroll.versions)
    ran = {(str(n), str(versions[k])) for n, k in zip(names.tolist(), first.tolist(), strict=True)}
    tables = []
    for card in book.program.cards:  # the version of each card the payroll ran (§13)
        if (card.name, "" if card.effective is None else str(card.effective)) not in ran:
            continue
        rows = np.flatnonzero(cards == card.name)
        lines = [line.name for line in card.lines]
        lines += ["min_pay_topup"] if card.min_pay is not None else []
        label = say(lang, "t_label", label=card.label) if card.label else ""
        label += "" if card.effective is None else say(lang, "version", month=card.effective)
        title = say(lang, "t_card", card=card.name, label=label)
        tables.append(_card_table(payroll, rows, lines, extra, title, lang))
    # One style for the whole output: rich only if every card's table fits the terminal.
    fancy = all(fits(t.head, t.body, t.footer, out) for t in tables)
    for t in tables:
        table(t.head, t.body, out, left=t.left, footer=t.footer, title=t.title, fancy=fancy)
        out.write("\n")
    out.write(say(lang, "t_grand_total", total=total_text(payroll, lang)) + "\n")


class _Table(NamedTuple):
    head: list[str]
    body: list[list[str]]
    left: int
    footer: list[str]
    title: str


def _card_table(
    payroll: Payroll,
    rows: AnyArray,
    lines: Sequence[str],
    extra: Mapping[str, AnyArray],
    title: str,
    lang: Lang,
) -> _Table:
    shown = rows[:TABLE_ROWS]
    places = payroll.decimals
    money = [payroll[line][rows] for line in lines] + [payroll.total[rows]]
    total = say(lang, "t_total_head", currency=currency_word(payroll.currency, lang))
    head = [*extra, *(line_word(line, lang) for line in lines), total]
    body = [
        [*(_cell(v[i]) for v in extra.values()), *(f"{m[k]:,.{places}f}" for m in money)]
        for k, i in enumerate(shown.tolist())
    ]
    if len(rows) > len(shown):
        more = say(lang, "t_more", n=f"{len(rows) - len(shown):,}")
        body.append([more, *([""] * (len(head) - 1))])
    left = len(extra)
    sums = (f"{m.sum():,.{places}f}" for m in money)
    footer = [say(lang, "t_total"), *([""] * (len(extra) - 1)), *sums]
    return _Table(head, body, left, footer, title)


def total_text(payroll: Payroll, lang: Lang = "en") -> str:
    """The payroll's total to the places of its rounding unit: ``13,520.00 CNY`` (``元``)."""
    currency = currency_word(payroll.currency, lang)
    return f"{payroll.total.sum():,.{payroll.decimals}f} {currency}"


def _cell(value: object) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the embedded example team over its quarter of data."""
    book = ksf.compile(examples.demo_rules(), name=examples.RULES_NAME)
    data = examples.demo_data()
    payroll = book.evaluate(data)
    lang = check_lang(args.lang or payroll.language or "en")
    cards, currency = ", ".join(book.cards), currency_word(payroll.currency, lang)
    out.write(say(lang, "t_demo", n=len(payroll), cards=cards, currency=currency) + "\n\n")
    payroll_table(book, payroll, data, out, lang)
    out.write("\n" + say(lang, "t_demo_explain") + "\n\n")
    out.write(payroll.explain(0, lang=lang) + "\n")
    return 0


def indicators(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """List the standard indicator library."""
    fields = ("name", "label", "unit", "direction", "formula", "description")
    rows = [{f: getattr(entry, f) for f in fields} for entry in catalogue(standard_library())]
    if args.list_format == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif args.list_format == "csv":
        import csv

        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        for row in rows:
            head = f"{row['name']}  {row['label']}".rstrip()
            facts = ", ".join(x for x in (row["unit"], _better(row["direction"])) if x)
            out.write(f"{head}" + (f"  ({facts})" if facts else "") + "\n")
            out.write(f"    = {row['formula']}\n")
            for text in textwrap.wrap(row["description"], 84):
                out.write(f"    {text}\n")
    return 0


def _better(direction: str) -> str:
    return direction.replace("_", " ")


def plot_options(plot: argparse.ArgumentParser) -> None:
    """The options of ``ksf plot``."""
    plot.add_argument("file", help="the rule file (.ksf)")
    plot.add_argument("--card", help="the card (needed when the file has several)")
    plot.add_argument("--period", help=PERIOD_HELP)
    plot.add_argument("--line", required=True, help="a balance or commission line's name")
    plot.add_argument("-o", "--output", required=True, metavar="OUT", help=".png or .svg")
    plot.add_argument("--range", metavar="LOW:HIGH", help="the values to sweep, e.g. 0.2:0.5")
    plot.add_argument(
        "--at",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a value the line's clauses read per row, e.g. target_gm=25%% (repeatable)",
    )
    plot.add_argument(
        "--data",
        metavar="DATA",
        help="a data file: a name not given with --at is drawn at its column's median",
    )
    plot.add_argument(
        "--lang",
        choices=["en", "zh"],
        help="the language of the title, axes, legend and messages (zh: 平衡点, 指标值, 金额); "
        "default: the rule file's `language` setting, else en",
    )


def plot(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Draw one line's payout curve to a PNG or SVG file."""
    book = book_at(ksf.load(args.file), args.period)
    card = args.card or (book.cards[0] if len(book.cards) == 1 else None)
    if card is None:
        raise UsageError(said.SEVERAL_CARDS(cards=", ".join(book.cards)))
    value_range = _range(args.range) if args.range else None
    lang = check_lang(args.lang or book.program.language or "en")
    at = held_values(args.at)
    data = None
    if args.data is not None:
        with in_file(Path(args.data)):
            data = io.read_data(Path(args.data))
    try:
        found = plotting.curve(book, card, args.line, value_range, lang=lang, at=at, data=data)
        plotting.plot(found, args.output)
    except (KeyError, ValueError) as error:
        raise UsageError(said_of(error)) from None
    held = said.HELD(note=found.held) if found.held else ""  # worded in `lang` by the curve
    drawn = said.PLOTTED(
        output=args.output, card=found.card, line=found.line, indicator=found.indicator, held=held
    )
    out.write(visible(drawn.text(lang) + "\n"))
    return 0


def _range(text: str) -> tuple[float, float]:
    low, _, high = text.partition(":")
    try:
        lo, hi = float(low), float(high)
    except ValueError:
        lo = hi = 0.0
    if not lo < hi:
        raise UsageError(said.RANGE_FORM(text=repr(text)))
    return lo, hi
