"""``ksf report RULES DATA -o report.html``: the plan report of `ksf.design.report`, written.

The data is read and paid as ``ksf run`` does (`compute_payroll`: the same errors, naming
the file's lines), then laid out as one self-contained HTML file. ``--against OLD`` adds
what the rules pay against the plan they replace (`ksf.diff(OLD, RULES, DATA)`), and
``--simulate HISTORY`` the months `ksf.simulate` draws from a history file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import ksf
from ksf import io
from ksf.catalogue import cli as said
from ksf.catalogue import report as say
from ksf.cli.inputs import (
    UsageError,
    checked,
    compute_payroll,
    in_data_file,
    in_file,
    params,
    said_of,
)
from ksf.cli.render import Progress
from ksf.cli.voice import language
from ksf.design.diff_values import PlanDiff
from ksf.design.report import write_report
from ksf.design.simulation import Simulation
from ksf.errors import DataError
from ksf.explain_words import Lang, check_lang
from ksf.ids import ID_COLUMNS
from ksf.io.write import output_target
from ksf.rulebook import Rulebook
from ksf.source import visible

RUNS = 10_000
HELP = "write a plan report: curves, totals and payslips"
EXAMPLES = """\
examples:
  ksf report pay.ksf july.csv -o report.html
  ksf report pay.ksf july.xlsx --sheet 7月 --lang zh -o 测算报告.html
  ksf report pay-v2.ksf july.csv --against pay.ksf -o report.html
  ksf report pay.ksf july.csv --simulate history.csv --runs 2000 -o report.html"""


def options(
    command: argparse.ArgumentParser, data_options: Callable[[argparse.ArgumentParser], None]
) -> None:
    """The options of ``ksf report``: ``data_options`` (``ksf run``'s), then its own."""
    data_options(command)
    command.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="the report: an .html file"
    )
    command.add_argument(
        "--lang",
        choices=["zh", "en"],
        help="write the report and messages in Chinese (zh) or English (en); default: the "
        "rule file's `language` setting, else en",
    )
    command.add_argument(
        "--against",
        metavar="OLD",
        help="the plan these rules replace (.ksf): each card's winners and losers on DATA",
    )
    command.add_argument(
        "--simulate",
        metavar="HISTORY",
        help="past months (a data file with a card column): each card's pay simulated by "
        "drawing from them (ksf simulate)",
    )
    command.add_argument("--runs", type=int, metavar="N", help=f"with --simulate: months ({RUNS})")
    command.add_argument("--seed", type=int, metavar="N", help="with --simulate: the seed (0)")


def report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the plan report of a rule file on a data file."""
    output = Path(args.output)
    _usable(args, output)
    with Progress(
        Path(args.data), data_format=args.input_format, sheet=args.sheet, lang=language(args)
    ) as progress:
        book, data, payroll = compute_payroll(args, progress, err)
        lang = check_lang(args.lang or payroll.language or "en")
        against = _against(args, book, data, lang)
        simulation = _simulation(args, book)
        with progress.stage(said.WRITING(name=output.name).text(progress.lang)):
            write_report(
                book,
                data,
                output,
                lang=lang,
                against=against,
                simulation=simulation,
                params=params(args.param),
                card=args.card,
                id_column=args.id,
                allow_duplicate_ids=args.allow_duplicate_ids,
            )
    written = say.WROTE(path=output, rows=f"{len(payroll):,}")
    err.write(visible(written.text(language(args, payroll.language)) + "\n"))
    return 0


def _usable(args: argparse.Namespace, output: Path) -> None:
    """Refuse an output that is not .html, in no directory, or one of the inputs."""
    if output.suffix.lower() not in {".html", ".htm"}:
        raise UsageError(say.NOT_HTML(output=output))
    if not checked(output_target, output).parent.is_dir():
        raise UsageError(said.NO_DIRECTORY(output=output, missing=output.parent))
    inputs = [(said.THE_RULE_FILE(), args.file), (said.THE_DATA(), args.data)]
    inputs += [(said.THE_RULE_FILE(), args.against)] if args.against else []
    inputs += [(said.THE_DATA(), args.simulate)] if args.simulate else []
    for what, name in inputs:
        if output.exists() and Path(name).exists() and output.samefile(name):
            raise UsageError(said.OUTPUT_IS_INPUT(output=output, what=what, name=name))
    if args.simulate is None and (args.runs is not None or args.seed is not None):
        raise UsageError(say.RUNS_WITHOUT_HISTORY())


def _against(args: argparse.Namespace, book: Rulebook, data: Any, lang: Lang) -> PlanDiff | None:
    """``--against OLD``: the old plan and these rules paid on the same data."""
    if args.against is None:
        return None
    old = ksf.load(args.against)
    try:
        return ksf.diff(
            old, book, data, id=args.id, card=args.card, params=params(args.param), lang=lang
        )
    except DataError as error:
        raise in_data_file(error, Path(args.data), data) from None


def _simulation(args: argparse.Namespace, book: Rulebook) -> Simulation | None:
    """``--simulate HISTORY``: the months drawn from the history file."""
    if args.simulate is None:
        return None
    path = Path(args.simulate)
    keep = [args.id] if args.id else list(ID_COLUMNS)
    with in_file(path):
        history = checked(io.read_data, path, keep_text=keep)
    runs = RUNS if args.runs is None else args.runs
    try:
        return ksf.simulate(book, history, runs=runs, seed=args.seed or 0, id=args.id)
    except DataError as error:
        raise in_data_file(error, path, history) from None
    except ValueError as error:  # --runs 0
        raise UsageError(said_of(error)) from None
