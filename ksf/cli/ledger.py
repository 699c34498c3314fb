"""``ksf ledger show|close|export``, ``ksf rerun``, and ``ksf run --ledger … --post``.

Each opens the ledger named on the command line (a SQLite file, or an SQLAlchemy URL) and
hands the request to `ksf.Ledger`; what it reports is written in the command's language
(`ksf.catalogue.ledger`). A period that differs on ``rerun`` exits with status 1.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ksf import io
from ksf.catalogue import cli
from ksf.catalogue import ledger as said
from ksf.cli.inputs import UsageError, checked
from ksf.cli.render import is_terminal, table
from ksf.cli.show import total_text
from ksf.explain_words import Lang, check_lang, currency_word
from ksf.ledger import Ledger, PeriodInfo
from ksf.ledger.engine import is_url
from ksf.payroll import Payroll
from ksf.periods import Period
from ksf.source import visible

MAX_SHOWN = 50  # differences `rerun` prints; the rest are counted

EXAMPLES = {
    "ledger": """\
examples:
  ksf ledger show pay.db                      every posted period, superseded postings too
  ksf ledger show pay.db --period 2026-07     that period's payroll, as CSV
  ksf ledger close pay.db 2026-07             make the period's posting final
  ksf ledger export pay.db 2026-07 -o 2026-07.xlsx
  ksf ledger show postgresql+psycopg://hr@erp-db/payroll""",
    "rerun": """\
examples:
  ksf rerun --ledger pay.db 2026-07           recompute from the stored data and rules;
                                              exit 1 if any amount differs""",
}

if TYPE_CHECKING:  # argparse's subcommand action is generic only to the checker
    Subcommands = argparse._SubParsersAction[Any]
    Command = Callable[[Subcommands, str, str], argparse.ArgumentParser]


def add_commands(sub: Subcommands, command: Command) -> None:
    """Add ``ledger`` (``show``, ``close``, ``export``) and ``rerun``, and run's ledger options.

    ``run`` must be in ``sub`` already: it gains ``--ledger``, ``--post``, ``--replace`` (and
    ``--period`` if it has none).
    """
    run_options(sub.choices["run"])
    ledger = command(sub, "ledger", "show, close and export the periods posted to a ledger")
    actions = ledger.add_subparsers(dest="ledger_command", required=True, metavar="ACTION")
    show = actions.add_parser("show", help="the posted periods, or one period's payroll")
    show.add_argument("ledger", help="the ledger: a SQLite file or an SQLAlchemy URL")
    show.add_argument("--period", help="print this period's posted payroll (CSV)")
    close = actions.add_parser("close", help="make a period's posting final")
    close.add_argument("ledger", help="the ledger: a SQLite file or an SQLAlchemy URL")
    close.add_argument("period", help="the period: 2026-07 or 2026Q3")
    export = actions.add_parser("export", help="write a period's posted payroll to a file")
    export.add_argument("ledger", help="the ledger: a SQLite file or an SQLAlchemy URL")
    export.add_argument("period", help="the period: 2026-07 or 2026Q3")
    export.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help=".csv, .xlsx or .json; replaced only when complete",
    )
    export.add_argument(
        "--payslips",
        action="store_true",
        help="XLSX: a payslip sheet per row (recomputed from the stored data)",
    )
    for parser in (show, close, export, ledger):
        _lang(parser)
    rerun = command(sub, "rerun", "recompute a posted period and compare it to the cent")
    rerun.add_argument("--ledger", required=True, help="the ledger: a SQLite file or a URL")
    rerun.add_argument("period", help="the period: 2026-07 or 2026Q3")
    _lang(rerun)


def run_options(run: argparse.ArgumentParser) -> None:
    """``--period``, ``--ledger``, ``--post`` and ``--replace`` of ``ksf run``."""
    if not any("--period" in action.option_strings for action in run._actions):
        run.add_argument("--period", help="the period the data is for: 2026-07 or 2026Q3")
    run.add_argument(
        "--ledger", metavar="LEDGER", help="the ledger: a SQLite file (pay.db) or an SQLAlchemy URL"
    )
    run.add_argument(
        "--post",
        action="store_true",
        help="post the payroll to the ledger for --period (refused if posted)",
    )
    run.add_argument(
        "--replace",
        action="store_true",
        help="with --post: post again, keeping the old posting as superseded",
    )


def _lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=["zh", "en"],
        help="write messages and headings in Chinese (zh) or English (en)",
    )


def refuse_misuse(args: argparse.Namespace) -> None:
    """``ksf run``: --post without a ledger and a period, or --replace without --post."""
    if args.post and not (args.ledger and args.period):
        raise UsageError(said.POST_NEEDS())
    if args.replace and not args.post:
        raise UsageError(said.REPLACE_NEEDS())


def post_run(args: argparse.Namespace, payroll: Payroll, err: TextIO, lang: Lang) -> None:
    """``ksf run --ledger L [--post]``: post the payroll, or say how to."""
    with Ledger(args.ledger) as ledger:
        period = Period.parse(args.period) if args.period else payroll.period
        if not args.post:
            where = ledger.name
            err.write(visible(said.NOT_POSTED_HINT(period=period, ledger=where).text(lang)) + "\n")
            return
        old = _current(ledger, period)
        posting = ledger.post(payroll, replace=args.replace, period=period)
    if old is not None:
        err.write(said.REPLACED(period=period, posting=posting, old=old).text(lang) + "\n")
        return
    done = said.POSTED(
        period=period, rows=f"{len(payroll):,}", total=total_text(payroll, lang), posting=posting
    )
    err.write(done.text(lang) + "\n")


def _current(ledger: Ledger, period: Period | None) -> int | None:
    found = [p.posting for p in ledger.postings() if period is not None and p.period == period]
    return found[0] if found else None


def _existing(where: str) -> Ledger:
    """The ledger a command reads: a file that is not there is a usage error, not a new ledger."""
    if not is_url(where) and not Path(where).exists():
        raise UsageError(cli.NO_SUCH_FILE(path=where))
    return Ledger(where)


def ledger(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``ksf ledger show|close|export``."""
    lang = check_lang(args.lang or "en")
    with _existing(args.ledger) as opened:
        match args.ledger_command:
            case "show" if args.period:
                out.write(visible(io.payroll_csv(opened.payroll(args.period))))
            case "show":
                _show(opened, out, lang)
            case "close":
                info, closed = _close(opened, args.period)
                said_ = (
                    said.CLOSED_NOW(period=info.period, posting=info.posting)
                    if closed
                    else said.WAS_CLOSED(period=info.period, closed_at=info.closed_at)
                )
                err.write(said_.text(lang) + "\n")
            case _:
                _export(opened, args, err, lang)
    return 0


def _close(opened: Ledger, period: str) -> tuple[PeriodInfo, bool]:
    closed = opened.close(period)
    wanted = Period.parse(period)
    return next(p for p in opened.postings() if p.period == wanted), closed


def _show(opened: Ledger, out: TextIO, lang: Lang) -> None:
    infos = opened.postings()
    if not infos:
        out.write(said.SHOW_EMPTY(ledger=opened.name).text(lang) + "\n")
        return
    words = (said.HEAD_PERIOD, said.HEAD_POSTING, said.HEAD_ROWS, said.HEAD_TOTAL,
             said.HEAD_RULES, said.HEAD_POSTED, said.HEAD_CLOSED)  # fmt: skip
    head = [word().text(lang) for word in words]
    body = [
        [
            str(i.period),
            str(i.posting),
            f"{i.rows:,}",
            f"{i.total:,.{i.decimals}f} {currency_word(i.currency, lang)}",
            i.rulebook_hash[:12],
            i.posted_at,
            i.closed_at or said.OPEN().text(lang),
        ]
        for i in infos
    ]
    table(head, body, out, left=1, fancy=False if not is_terminal(out) else None)
    for info in infos:
        for posting, at, total in info.superseded:
            amount = f"{total:,.{info.decimals}f}"
            line = said.SUPERSEDED(posting=posting, posted_at=at, total=amount)
            out.write(f"{info.period}{line.text(lang)}\n")


def _export(opened: Ledger, args: argparse.Namespace, err: TextIO, lang: Lang) -> None:
    output = Path(args.output)
    checked(io.output_format, output, None)  # a usage error before the ledger is read
    payroll = opened.payroll(args.period)
    io.write_payroll(payroll, output, payslips=args.payslips, lang=lang)
    done = said.EXPORTED(path=output, rows=f"{len(payroll):,}", period=payroll.period)
    err.write(visible(done.text(lang)) + "\n")


def rerun(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``ksf rerun --ledger L PERIOD``: 0 when every amount is as posted, else 1."""
    lang = check_lang(args.lang or "en")
    with _existing(args.ledger) as opened:
        result = opened.rerun(args.period)
    posting = result.posting
    figures = {"period": posting.period, "rulebook": posting.rule_hash[:12]}
    if result.same:
        out.write(said.RERUN_SAME(rows=f"{len(posting):,}", **figures).text(lang) + "\n")
        return 0
    count = len(result.differences)
    out.write(said.RERUN_DIFFERS(count=count, **figures).text(lang) + "\n")
    places = posting.decimals
    for d in result.differences[:MAX_SHOWN]:
        change = f"{d.now - d.posted:+,.{places}f}"
        line = said.RERUN_LINE(
            employee=d.employee,
            line=d.line,
            posted=f"{d.posted:,.{places}f}",
            now=f"{d.now:,.{places}f}",
            change=change,
        )
        out.write(visible(line.text(lang)) + "\n")
    if count > MAX_SHOWN:
        out.write(said.RERUN_MORE(count=count - MAX_SHOWN).text(lang) + "\n")
    return 1


RUNNERS = {"ledger": ledger, "rerun": rerun}
