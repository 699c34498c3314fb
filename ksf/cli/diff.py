"""``ksf diff OLD NEW DATA``: what a new version of a plan pays each employee, against the old.

The data is read once and paid under both rulebooks (`ksf.diff`). The terminal gets a
summary in English or Chinese: the headline, one row per card (winners, losers, median,
largest gain and loss and who, the cost before and after), the largest changes and the
lines each changed, and what one rulebook has that the other lacks. ``-o`` also writes the
whole diff as CSV, XLSX, JSON or HTML (`ksf.design.diff_files`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import ksf
from ksf.catalogue import cli as cli_say
from ksf.catalogue import diff as say
from ksf.cli.inputs import (
    PERIOD_HELP,
    UsageError,
    card_of,
    checked,
    in_data_file,
    params,
    period_option,
    read_inputs,
)
from ksf.cli.render import Progress, table
from ksf.design.diff import EmployeeChange, PlanDiff
from ksf.design.diff_files import DIFF_FORMATS, write_diff
from ksf.design.diff_tables import headline, money_text
from ksf.errors import DataError
from ksf.explain_words import Lang, check_lang, currency_word
from ksf.io.write import output_target
from ksf.source import visible

__all__ = ["diff", "options"]

TOP = 10  # employees listed on the terminal; -o writes them all
HELP = "compare what two versions of a plan pay on the same data"
EXAMPLES = """\
examples:
  ksf diff pay.ksf pay-v2.ksf july.csv              the summary: cards, winners, losers
  ksf diff pay.ksf pay-v2.ksf july.csv -o diff.xlsx and every employee, every line changed
  ksf diff pay.ksf pay-v2.ksf july.xlsx --sheet 7月 --lang zh -o 对比.html"""


def options(
    command: argparse.ArgumentParser, reading: Callable[[argparse.ArgumentParser], None]
) -> None:
    """The arguments of ``ksf diff``; ``reading`` adds ``--param``, ``--sheet`` and the rest."""
    # `file`, as every command names its rule file: the language of errors comes from it.
    command.add_argument("file", metavar="OLD", help="the plan in force (.ksf)")
    command.add_argument("new", metavar="NEW", help="the plan proposed (.ksf)")
    command.add_argument("data", help="the data both are paid on: .csv, .xlsx, .json, .parquet")
    command.add_argument("--card", help="the card every row uses (default: the card column)")
    command.add_argument(
        "--id",
        metavar="COLUMN",
        help="the column that identifies employees (default: "
        "the first of employee, employee_id, id, 工号, 员工编号, name, 姓名)",
    )
    command.add_argument("--period", metavar="PERIOD", help=PERIOD_HELP + ", in both plans")
    command.add_argument(
        "--allow-duplicate-ids",
        action="store_true",
        help="pay an id that appears on several rows of one period and card once per row, "
        "under both plans (by default such rows are refused)",
    )
    command.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="also write the whole diff here: .csv (one row per employee), .xlsx (by card, "
        "by employee, lines changed, with explanations), .json or .html",
    )
    command.add_argument(
        "--top",
        type=int,
        default=TOP,
        metavar="N",
        help=f"the employees with the largest changes to print (default {TOP})",
    )
    command.add_argument(
        "--lang",
        choices=["zh", "en"],
        help="write the summary, the files' headings, the explanations and messages in "
        "Chinese (zh) or English (en); default: OLD's `language` setting, else en",
    )
    reading(command)


def diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Pay the data under both rulebooks; print the summary, and write ``-o``."""
    output = Path(args.output) if args.output else None
    if output is not None:
        _writable(output, Path(args.data))
    old, new = ksf.load(args.file), ksf.load(args.new)
    period = period_option(args.period)
    if args.card is not None and args.card not in new.cards:
        card_of(old, args.card)  # in neither: a slip in the command (in one: ksf.diff says so)
    lang = check_lang(args.lang or old.program.language or "en")
    data_path = Path(args.data)
    explained = output is not None and output.suffix.lower() != ".csv"
    with Progress(data_path, data_format=args.input_format, sheet=args.sheet, lang=lang) as bar:
        data = read_inputs(args, [old, new], bar, err, check_card=False)
        try:
            with bar.stage(cli_say.COMPUTING().text(lang)):
                found = ksf.diff(
                    old,
                    new,
                    data,
                    id=args.id,
                    card=args.card,
                    params=params(args.param),
                    lang=lang,
                    explain=explained,
                    allow_duplicate_ids=args.allow_duplicate_ids,
                    period=period,
                )
        except DataError as error:
            raise in_data_file(error, data_path, data) from None
        if output is not None:
            with bar.stage(cli_say.WRITING(name=output.name).text(lang)):
                write_diff(found, output, lang=lang)
    summary(found, out, lang, max(args.top, 0))
    if output is not None:
        rows, changed = f"{len(found.employees):,}", f"{len(found.changed):,}"
        err.write(visible(say.WRITTEN(output=output, rows=rows, changed=changed).text(lang)) + "\n")
    return 0


def _writable(output: Path, data: Path) -> None:
    """Refuse, before anything is computed, an ``-o`` that could not or should not be written.

    Another extension, a missing directory, a FIFO or a device (`ksf.io.write.output_target`),
    or the data file itself (a diff would replace the quarter it was computed from).
    """
    if output.suffix.lower() not in DIFF_FORMATS:
        raise UsageError(say.DIFF_FORMATS(output=output))
    target = checked(output_target, output)
    if not target.parent.is_dir():
        raise UsageError(cli_say.NO_DIRECTORY(output=output, missing=output.parent))
    if output.exists() and data.exists() and output.samefile(data):
        raise UsageError(say.OUTPUT_IS_DATA(output=output, name=data))


def summary(found: PlanDiff, out: TextIO, lang: Lang, top: int = TOP) -> None:
    """The headline, the card table, the largest changes and what only one plan has."""
    out.write(visible(say.TITLE(old=found.old_name, new=found.new_name).text(lang)) + "\n")
    out.write(visible(headline(found, lang)) + "\n\n")
    _cards(found, out, lang)
    changed = sorted(found.changed, key=lambda e: (-abs(e.change), e.row))
    if not changed:
        out.write("\n" + say.NO_CHANGE().text(lang) + "\n")
    elif top:
        shown = changed[:top]
        title = say.BIGGEST(count=len(shown), changed=f"{len(changed):,}").text(lang)
        out.write("\n")
        _people(found, shown, out, lang, title)
    notes = _notes(found, lang)
    if notes:
        out.write("\n" + "\n".join(visible(n) for n in notes) + "\n")


def _words(lang: Lang, *entries: object) -> list[str]:
    return [entry().text(lang) for entry in entries]  # type: ignore[operator]


def _cards(found: PlanDiff, out: TextIO, lang: Lang) -> None:
    """One row per card: winners, their median and largest gain; losers likewise; costs."""
    d = found.decimals
    currency = currency_word(found.currency, lang)
    head = _words(lang, say.CARD, say.ROWS, say.WINNERS, say.MEDIAN_GAIN, say.LARGEST_GAIN)
    head += _words(lang, say.LOSERS, say.MEDIAN_LOSS, say.LARGEST_LOSS, say.UNCHANGED)
    costs = _words(lang, say.OLD_COST, say.NEW_COST)
    head += [say.IN_CURRENCY(heading=w, currency=currency).text(lang) for w in costs]
    head += _words(lang, say.COST_CHANGE)
    body = [
        [
            f"{c.card} {c.label}".rstrip(),
            f"{c.rows:,}",
            f"{c.winners:,}",
            money_text(c.median_gain, d, signed=True) if c.winners else "",
            _extreme(c.largest_gain, c.largest_gain_by, d, lang),
            f"{c.losers:,}",
            money_text(c.median_loss, d, signed=True) if c.losers else "",
            _extreme(c.largest_loss, c.largest_loss_by, d, lang),
            f"{c.unchanged:,}",
            money_text(c.old_cost, d),
            money_text(c.new_cost, d),
            money_text(c.cost_change, d, signed=True),
        ]
        for c in found.cards
    ]
    winners, losers, unchanged = (sum(getattr(c, k) for c in found.cards)
                                  for k in ("winners", "losers", "unchanged"))  # fmt: skip
    footer = [say.ALL_CARDS().text(lang), f"{sum(c.rows for c in found.cards):,}"]
    footer += [f"{winners:,}", "", "", f"{losers:,}", "", "", f"{unchanged:,}"]
    footer += [money_text(found.old_cost, d), money_text(found.new_cost, d)]
    footer += [money_text(found.cost_change, d, signed=True)]
    table(head, body, out, footer=footer)


def _extreme(amount: float, who: EmployeeChange | None, decimals: int, lang: Lang) -> str:
    """``+12,633.83 E004 2026-08``; blank when nobody moved that way."""
    if who is None:
        return ""
    return f"{money_text(amount, decimals, signed=True)} {who.label(lang)}"


def _people(
    found: PlanDiff, shown: Sequence[EmployeeChange], out: TextIO, lang: Lang, title: str
) -> None:
    d = found.decimals
    head = _words(lang, say.WHO, say.CARD, say.OLD_TOTAL, say.NEW_TOTAL, say.CHANGE)
    head += _words(lang, say.SHEET_LINES)
    body = [
        [
            e.label(lang),
            e.card,
            money_text(e.old_total, d),
            money_text(e.new_total, d),
            money_text(e.change, d, signed=True),
            ", ".join(
                f"{found.title(x.line, lang)} {money_text(x.change, d, signed=True)}"
                for x in e.lines
            ),
        ]
        for e in shown
    ]
    table(head, body, out, left=2, title=title, text={len(head) - 1})


def _notes(found: PlanDiff, lang: Lang) -> list[str]:
    """Lines one card has and the other lacks; cards only one rulebook has."""
    notes = []
    for c in found.cards:
        for what, lines in ((say.LINES_ADDED, c.lines_added), (say.LINES_REMOVED, c.lines_removed)):
            if lines:
                named = ", ".join(found.title(line, lang) for line in lines)
                said = say.CARD_LINES(card=c.card, what=what(), lines=named)
                notes.append(said.text(lang))
    for entry, book, cards in (
        (say.CARDS_ONLY_OLD, found.old_name, found.cards_only_old),
        (say.CARDS_ONLY_NEW, found.new_name, found.cards_only_new),
    ):
        if cards:
            notes.append(entry(book=book, cards=", ".join(cards)).text(lang))
    return notes
