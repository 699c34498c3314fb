"""``ksf lint --payout RULES [DATA]``: the payout lint of `ksf.payout_lint`, printed.

Exit status 1 when a finding is a fault (pay against an input, rows the card refuses, pools
over 100%, a commission tier whose rate drops), else 0: cliffs, dead zones, binding caps
and lines that never pay are printed for a person to judge.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

import ksf
from ksf import io
from ksf.catalogue import properties as say
from ksf.cli.inputs import (
    PERIOD_HELP,
    UsageError,
    book_at,
    card_of,
    checked,
    in_file,
    params,
    sheet_only_in_xlsx,
)
from ksf.payout_lint import lint_run, report
from ksf.source import visible


def options(command: argparse.ArgumentParser) -> None:
    """The options of ``ksf lint`` but those it shares (``--param``, ``--sheet``, ``--lang``)."""
    command.add_argument(
        "--payout",
        action="store_true",
        help="lint the payout curves: pay against an input, cliffs, dead zones, caps or "
        "floors that bind for most rows, lines that never pay",
    )
    command.add_argument("file", help="the rule file (.ksf)")
    command.add_argument("data", nargs="?", help="rows to lint on (default: rows drawn per card)")
    command.add_argument("--card", help="lint this card only (default: every card)")
    command.add_argument("--period", help=PERIOD_HELP)
    command.add_argument(
        "--cliff",
        type=_share,
        metavar="SHARE",
        help="a jump above this share of the typical total is a cliff (default 20%%)",
    )


def _share(text: str) -> float:
    """``20%`` or ``0.2`` → 0.2."""
    value = text.strip()
    try:
        return float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        msg = str(say.LINT_NOT_A_SHARE(text=text))
        raise argparse.ArgumentTypeError(msg) from None


def lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Lint a rule file's payouts, over DATA's rows when given."""
    if not args.payout:
        raise UsageError(say.LINT_WHICH())
    if args.cliff is not None and args.cliff <= 0:
        raise UsageError(say.LINT_CLIFF_OPTION(value=args.cliff))
    book = book_at(ksf.load(args.file), args.period)
    if args.card is not None:
        card_of(book, args.card)
    data = None
    if args.data:
        sheet_only_in_xlsx(args)
        path = Path(args.data)
        with in_file(path):
            data = checked(io.read_data, path, format=args.input_format, sheet=args.sheet)
    findings, bases = lint_run(
        book,
        data,
        cards=None if args.card is None else [args.card],
        params=params(args.param),
        **({} if args.cliff is None else {"cliff": args.cliff}),
    )
    lang = args.lang or book.program.language or "en"
    out.write(visible(report(findings, args.file, lang, bases)))
    return 1 if any(f.fault for f in findings) else 0
