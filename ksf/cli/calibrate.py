"""``ksf calibrate RULES [HISTORY] --line CARD.LINE (--at p60 | --solve rate --pay 7500 …)``.

The calibrated rule text goes to standard output, or to ``-o FILE`` (never the rule file
itself unless ``--in-place``); what changed is reported on standard error, in ``--lang``.
``--per-employee FILE.csv`` writes each employee's balance point to a column file, which
the rule then reads. Exit status 0, 1 (a calibration that cannot be made: said why), or 2
(a usage error).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

import ksf
from ksf import io
from ksf.catalogue import calibrate as say
from ksf.cli.inputs import UsageError, checked, in_file, named_numbers, param_value
from ksf.cli.voice import language
from ksf.design.calibrate import Calibration, asked
from ksf.design.calibrate import calibrate as calibrated
from ksf.design.failure import CalibrationError
from ksf.ids import ID_COLUMNS, PERIOD_COLUMNS
from ksf.message import Keyword
from ksf.rulebook import read_rules
from ksf.source import visible
from ksf.spelling import mostly

__all__ = ["EXAMPLES", "HELP", "add_options", "calibrate"]

HELP = "set balance points from history, or solve a line for a pay"

EXAMPLES = """\
examples:
  ksf calibrate team.ksf history.csv --line operator.gross_margin --at p60
  ksf calibrate team.ksf history.csv --line operator.gross_margin --at stretch -o new.ksf
  ksf calibrate pay.ksf --line shop.commission_sales --solve rate --pay 7500 --when sales=1000000
  ksf calibrate pay.ksf --line douyin.commission_sales --line douyin.commission_net_profit \\
      --solve rate --pay 15000 --share 20% --share 30% --when sales=100万 --when net_profit=10万
  ksf calibrate team.ksf history.csv --line operator.gross_margin --at p60 \\
      --per-employee balances.csv --in-place"""


def add_options(command: argparse.ArgumentParser) -> None:
    """The options of ``ksf calibrate``."""
    command.add_argument("file", metavar="RULES", help="the rule file (.ksf)")
    command.add_argument(
        "history",
        nargs="?",
        metavar="HISTORY",
        help="past periods: one row per employee per period, a card column naming each "
        "row's role (.csv, .xlsx, .json, .parquet); needed by --at",
    )
    command.add_argument(
        "--line", action="append", required=True, metavar="CARD.LINE",
        help="the line to calibrate (repeatable)",
    )  # fmt: skip
    command.add_argument(
        "--at", metavar="STATISTIC",
        help="set the balance point from history: pNN (a percentile, p1 to p99), median, or "
        "stretch (p60 on the good side)",
    )  # fmt: skip
    command.add_argument(
        "--solve", metavar="CLAUSE", choices=["rate", "reward", "penalty", "pot", "balance"],
        help="solve for this clause (rate, reward, penalty, pot, balance) so that the line pays "
        "--pay at --when",
    )  # fmt: skip
    command.add_argument("--pay", metavar="AMOUNT", help="the pay to reach, e.g. 7500 or 1.5万")
    command.add_argument(
        "--share", action="append", metavar="SHARE",
        help="the part of --pay a line carries, e.g. 20%% (one per --line, in order)",
    )  # fmt: skip
    command.add_argument(
        "--when", action="append", default=[], metavar="NAME=VALUE",
        help="the performance, e.g. sales=1000000 (repeatable; a name not given is the "
        "median of the role's history)",
    )  # fmt: skip
    _output_options(command)


def _output_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--per-employee", metavar="FILE.csv",
        help="with --at: each employee's point from their own history, written to this "
        "column file; the rule reads the column",
    )  # fmt: skip
    command.add_argument("--column", help="the per-employee column's name (default LINE_balance)")
    command.add_argument("-o", "--output", metavar="OUT", help="write the rules here")
    command.add_argument(
        "--in-place", action="store_true", help="rewrite RULES itself (never done otherwise)"
    )
    command.add_argument(
        "--card-column", default="card", metavar="COLUMN",
        help="HISTORY's column of roles, each a card name (default: card)",
    )  # fmt: skip
    command.add_argument("--id", metavar="COLUMN", help="HISTORY's employee id column")
    command.add_argument("--sheet", help="the XLSX sheet of HISTORY (default: the first)")
    command.add_argument(
        "--data-format", dest="input_format", choices=["csv", "xlsx", "json", "parquet"],
        help="read HISTORY as this format whatever its extension",
    )  # fmt: skip
    command.add_argument(
        "--lang", choices=["zh", "en"],
        help="the language of the report and of the provenance comments; default: the rule "
        "file's `language` setting, else en (comments: else the file's keywords' spelling)",
    )  # fmt: skip


def calibrate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Calibrate the lines and write the rules (and the column file) where asked."""
    rules = Path(args.file)
    target = _target(args, rules)
    pay = _pay(args.pay)
    share = None if args.share is None else [_share(s) for s in args.share]
    when = _when(args.when) if args.when else None
    try:
        asked(args.line, args.at, args.solve, pay, share, when, args.per_employee, args.column)
    except CalibrationError as error:
        raise UsageError(error.said) from None
    if args.at is not None and not args.history:
        raise UsageError(say.HISTORY_NEEDED())
    book = ksf.compile(read_rules(rules), name=str(rules))
    lang = language(args, book.program.language)
    result = calibrated(
        book,
        _history(args),
        line=args.line,
        at=args.at,
        solve=args.solve,
        pay=pay,
        share=share,
        when=when,
        per_employee=args.per_employee,
        column=args.column,
        source=Path(args.history).name if args.history else "",
        card_column=args.card_column,
        id_column=args.id,
        lang=args.lang,
    )
    _write(result, target, args, out, err, lang)
    return 0


def _target(args: argparse.Namespace, rules: Path) -> Path | None:
    """Where the rules go: ``-o``, RULES with ``--in-place``, else standard output (None)."""
    if args.per_employee is not None:
        if not args.per_employee.strip():
            raise UsageError(say.PER_EMPLOYEE_FILE())
        inputs = [rules, *([Path(args.history)] if args.history else [])]
        if any(_same(Path(args.per_employee), path) for path in inputs):
            raise UsageError(say.COLUMN_FILE_IS_INPUT(path=args.per_employee))
    if args.in_place:
        if args.output is not None:
            raise UsageError(say.IN_PLACE_AND_OUTPUT())
        return rules
    if args.output in (None, "-"):
        return None
    output = Path(args.output)
    if _same(output, rules):
        raise UsageError(say.NOT_THE_INPUT(output=args.output))
    return output


def _same(path: Path, other: Path) -> bool:
    """Whether two paths name one file (through links)."""
    return path.exists() and other.exists() and path.resolve() == other.resolve()


def _history(args: argparse.Namespace) -> Any:
    if not args.history:
        return None
    path = Path(args.history)
    keep = [*ID_COLUMNS, *PERIOD_COLUMNS, args.card_column, *([args.id] if args.id else [])]
    with in_file(path):
        return checked(
            io.read_data, path, format=args.input_format, sheet=args.sheet, keep_text=keep
        )


def _pay(text: str | None) -> float | None:
    if text is None:
        return None
    value = param_value(text.strip())
    if value is None or not value > 0:
        raise UsageError(say.BAD_PAY(pay=text))
    return value


def _share(text: str) -> float:
    value = param_value(text.strip())
    if value is None:
        raise UsageError(say.BAD_SHARE(share=text))
    return value


def _when(pairs: list[str]) -> dict[str, float]:
    return named_numbers(
        pairs,
        lambda pair: say.BAD_WHEN(pair=repr(pair)),
        lambda name: say.WHEN_TWICE(name=name),
    )


def _write(
    result: Calibration,
    target: Path | None,
    args: argparse.Namespace,
    out: TextIO,
    err: TextIO,
    lang: Any,
) -> None:
    """The column file, then the rules; each change reported on ``err``."""
    if result.columns is not None:
        io.write_atomically(Path(result.columns.file), result.columns.csv())
        err.write(visible(say.WROTE(path=result.columns.file).text(lang)) + "\n")
    if target is None:
        out.write(result.text)
    else:
        io.write_atomically(target, result.text)
    for change in result.changes:
        entry = say.CHANGED if change.changed else say.UNCHANGED
        said = entry(
            card=change.card, line=change.line, clause=Keyword(change.clause), old=change.old,
            new=change.new,
        )  # fmt: skip
        err.write(visible(said.text(lang, mostly(result.text))) + "\n")
    if target is not None:
        err.write(visible(say.WROTE(path=str(target)).text(lang)) + "\n")
