"""The ``ksf`` command: every command's parser, examples and runner, and `main`.

Exit status: 0 ok; 1 the rules or the data; 2 usage; 3 a bug in ksf, in a line, no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

import ksf
from ksf.cli import (
    calibrate,
    case_sheets,
    commands,
    diff,
    inputs,
    lint,
    serve,
    show,
    simulate,
    voice,
)
from ksf.source import visible

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["main"]

EXIT_STATUS = (
    "exit status: 0 ok, 1 an error in the rules or the data, 2 a usage error, 3 a bug in ksf."
)
EXAMPLES = {
    "ksf": f"""\
examples:
  ksf demo                                    the embedded team and a quarter of data
  ksf check pay.ksf                           report every error in a rule file
  ksf run pay.ksf july.csv -o payroll.xlsx    compute a payroll (csv, xlsx, json, parquet)
  ksf explain pay.ksf july.csv --employee E001
  ksf payslip pay.ksf july.csv --employee 王芳 -o 王芳.html
  ksf fmt pay.ksf                             rewrite a rule file in canonical form
  ksf plot pay.ksf --card operator --line promo_roi -o roi.png
  ksf indicators                              the standard indicator library
  ksf test pay.ksf                            check the rules against HR's case sheet
  ksf lint --payout pay.ksf july.csv          cliffs, dead zones, pay against an input
  ksf diff pay.ksf pay-v2.ksf july.csv        what the new plan pays each employee
  ksf calibrate pay.ksf history.csv --line operator.gross_margin --at p60
  ksf serve --rules rules/ --port 8000        the HTTP service for ERPs (ksf[serve])
  ksf simulate pay.ksf history.csv            pay and cost over months drawn from history

{EXIT_STATUS}
run 'ksf COMMAND --help' for a command's options.""",
    "demo": "example:\n  ksf demo | less -S",
    "serve": serve.EXAMPLES,
    "check": """\
examples:
  ksf check pay.ksf
  ksf check cards/*.ksf        every file; exit 1 if any has an error
  ksf check pay.ksf --data july.csv
                               and every name the cards read is in the data
  ksf check cards/*.ksf --format json     the diagnostics as JSON, for scripts
  ksf check cards/*.ksf --format sarif > ksf.sarif
                               for code-scanning tools (GitHub, GitLab, Azure)""",
    "run": """\
examples:
  ksf run pay.ksf july.csv                       print the payroll (a table on a terminal)
  ksf run pay.ksf july.xlsx --sheet 7月 -o payroll.xlsx
  ksf run pay.ksf july.csv -o payroll.parquet --id staff_no
  ksf run pay.ksf july.csv --card operator --param last_year_profit=1,500,000
  ksf run pay.ksf july.csv --format csv > payroll.csv
  ksf run pay.ksf august.csv --period 2026-08    the card versions in force in August""",
    "explain": """\
examples:
  ksf explain pay.ksf july.csv --employee E001
  ksf explain pay.ksf july.csv --employee 王芳      by name (the 姓名 or name column)
  ksf explain pay.ksf july.csv --row 0""",
    "payslip": """\
examples:
  ksf payslip pay.ksf july.csv --employee 王芳 --company 深圳某某科技 -o 王芳.html
  ksf payslip pay.ksf july.csv -o payslips.xlsx         everyone: two sheets each
  ksf payslip pay.ksf july.csv --lang en --name staff_name -o payslips.html""",
    "fmt": """\
examples:
  ksf fmt pay.ksf              rewrite in place
  ksf fmt --check pay.ksf      exit 1 and show the changes if it is not formatted
  ksf fmt --lang zh pay.ksf    rewrite with Chinese keywords (计薪卡, 平衡点, …)""",
    "plot": """\
examples:
  ksf plot pay.ksf --card product_developer --line new_gross_margin -o margin.png
  ksf plot pay.ksf --card operator --line promo_roi --range 2:5 -o roi.svg
  ksf plot pay.ksf --card operator --line gross_margin --lang zh -o 毛利率.png
  ksf plot pay.ksf --card operator --line gross_margin --at target_gm=25% -o margin.png
  ksf plot pay.ksf --card operator --line gross_margin --data july.csv -o margin.png""",
    "lint": """\
examples:
  ksf lint --payout pay.ksf                 on rows drawn for each card
  ksf lint --payout pay.ksf july.csv        on the month's rows
  ksf lint --payout pay.ksf --cliff 10% --lang zh""",
    "diff": diff.EXAMPLES,
    "indicators": """\
examples:
  ksf indicators
  ksf indicators --format csv > indicators.csv""",
    "test": case_sheets.EXAMPLES,
    "calibrate": calibrate.EXAMPLES,
}
EXAMPLES["simulate"] = simulate.EXAMPLES


class _Parser(argparse.ArgumentParser):
    """argparse, printing the arguments it quotes with control characters escaped."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        super()._print_message(visible(message), file)


def _command(commands_: argparse._SubParsersAction[_Parser], name: str, text: str) -> _Parser:
    return commands_.add_parser(
        name,
        help=text,
        description=text[0].upper() + text[1:] + ".",
        epilog=f"{EXAMPLES[name]}\n\n{EXIT_STATUS}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _data_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", help="the rule file (.ksf)")
    command.add_argument("data", help="the data: .csv, .xlsx, .json (records) or .parquet")
    command.add_argument("--card", help="the card every row uses (default: the card column)")
    command.add_argument("--period", help=inputs.PERIOD_HELP)
    _reading_options(command)
    command.add_argument(
        "--id",
        metavar="COLUMN",
        help="the column that identifies employees (default: "
        "the first of employee, employee_id, id, 工号, 员工编号, name, 姓名)",
    )
    command.add_argument(
        "--allow-duplicate-ids",
        action="store_true",
        help="pay an id that appears on several rows of one period and card once per row "
        "(by default such rows are refused)",
    )


def _reading_options(command: argparse.ArgumentParser, when: str = "") -> None:
    """--param, --sheet and --data-format: how the data is read (``when``: e.g. 'with --data: ')."""
    command.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=NUMBER",
        help=when + "a scalar the rules name, e.g. last_year_profit=1500000 (repeatable)",
    )
    command.add_argument("--sheet", help=when + "the XLSX sheet to read (default: the first)")
    command.add_argument(
        "--data-format",
        dest="input_format",
        choices=["csv", "xlsx", "json", "parquet"],
        help=when + "read the data as this format whatever its extension",
    )


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``ksf`` command."""
    top = _Parser(
        prog="ksf",
        description="KSF pay cards: check rule files and compute payrolls.",
        epilog=EXAMPLES["ksf"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"ksf {ksf.__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _lang_option(_command(sub, "demo", "run the embedded example team over a quarter"))
    _check_command(sub)
    _run_command(sub)
    _explain_command(sub)
    _payslip_command(sub)
    _fmt_command(sub)
    _plot_command(sub)
    _lint_command(sub)
    diff.options(_command(sub, "diff", diff.HELP), _reading_options)
    serve.options(_command(sub, "serve", "run the HTTP service for ERPs (ksf[serve])"))
    simulate.options(_command(sub, "simulate", simulate.HELP))
    listing = _command(sub, "indicators", "list the standard indicator library")
    listing.add_argument(
        "--format", dest="list_format", choices=["text", "csv", "json"], default="text"
    )
    _messages_option(listing, "")
    tests = _command(sub, "test", "check the rules against cases worked out by hand")
    case_sheets.add_options(tests)
    calibrate.add_options(_command(sub, "calibrate", calibrate.HELP))
    return top


def _messages_option(command: argparse.ArgumentParser, default: str) -> None:
    """``--lang zh|en`` of a command that prints only messages (errors, warnings, receipts)."""
    command.add_argument(
        "--lang",
        choices=["zh", "en"],
        help="write errors, warnings and messages in Chinese (zh) or English (en); "
        f"default: {default}en",
    )


def _check_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``ksf check FILE... [--data DATA]``."""
    check = _command(sub, "check", "check rule files: every error and warning")
    check.add_argument("files", nargs="+", metavar="FILE", help="rule files (.ksf)")
    check.add_argument(
        "--data",
        metavar="DATA",
        help="also check every name the cards read against this data file's columns "
        "(a CSV file's header row is all that is read)",
    )
    check.add_argument("--card", help="with --data: check this card only (default: every card)")
    check.add_argument(
        "--format",
        choices=["text", "json", "sarif"],
        default="text",
        help="text (default) for people; json for scripts; sarif (2.1.0) for code-scanning "
        "tools. json and sarif print one document for every file on stdout, in English "
        "unless --lang says otherwise",
    )
    _reading_options(check, when="with --data: ")
    _messages_option(check, "each rule file's `language` setting, else ")


def _run_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``ksf run FILE DATA [-o OUT]``."""
    run = _command(sub, "run", "compute a payroll")
    _data_options(run)
    _name_option(run)  # the table's name column, as for payslips
    run.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write the payroll here "
        "(.csv, .xlsx, .json, .parquet); the file is replaced only when complete",
    )
    run.add_argument(
        "--format",
        dest="output_format",
        choices=["table", "csv", "json", "xlsx", "parquet"],
        help="the output format (default: by OUT's extension; without -o, a table on a "
        "terminal and CSV into a pipe)",
    )
    run.add_argument(
        "--no-payslips",
        dest="payslips",
        action="store_false",
        help="XLSX: the payroll sheet only, without one payslip sheet per row",
    )
    _lang_option(run)


def _lang_option(command: argparse.ArgumentParser) -> None:
    """``--lang zh|en``: the language of the explanation, the table and the payslip sheets."""
    command.add_argument(
        "--lang",
        choices=["zh", "en"],
        help="write headings, totals, explanations and messages in Chinese (zh) or English "
        "(en); default: the rule file's `language` setting, else en",
    )


def _explain_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``ksf explain FILE DATA --employee ID | --row N``."""
    explain = _command(sub, "explain", "show the arithmetic of an employee's pay")
    _data_options(explain)
    who = explain.add_mutually_exclusive_group(required=True)
    who.add_argument("--employee", metavar="WHO", help="the employee's id or name (all their rows)")
    who.add_argument("--row", type=int, metavar="N", help="a 0-based row of the data")
    _name_option(explain)
    _lang_option(explain)


def _name_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--name",
        metavar="COLUMN",
        help="the column of employees' names (default: 姓名 or name, if the data has one)",
    )


def _payslip_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``ksf payslip FILE DATA [--employee WHO] -o OUT.html|OUT.xlsx``."""
    slip = _command(sub, "payslip", "write staff payslips: each line with a reason in plain words")
    _data_options(slip)
    slip.add_argument(
        "--employee", metavar="WHO", help="one employee, by id or name (default: everyone)"
    )
    _name_option(slip)
    slip.add_argument("--company", default="", help="the company name printed on each payslip")
    slip.add_argument(
        "--lang",
        choices=["zh", "en"],
        help="the payslip's language (default: the rule file's `language`, else zh), and "
        "the messages' (default: the rule file's `language`, else en)",
    )
    slip.add_argument(
        "--no-audit",
        dest="audit",
        action="store_false",
        help="leave out the full calculation (by default a page or sheet after each payslip)",
    )
    slip.add_argument(
        "-o", "--output", required=True, metavar="OUT", help=".html (printable) or .xlsx"
    )


def _fmt_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``ksf fmt FILE... [--check] [--lang en|zh]``."""
    fmt = _command(sub, "fmt", "rewrite rule files in canonical form")
    fmt.add_argument("files", nargs="+", metavar="FILE", help="rule files (.ksf)")
    fmt.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 if a file is not formatted, and show the difference",
    )
    fmt.add_argument(
        "--lang",
        choices=["en", "zh"],
        help="write every keyword in English (en: card, balance) or Chinese (zh: 计薪卡, 平衡点), "
        "and the messages in that language; default: the spelling most of the file's "
        "keywords use, and messages in the file's `language` setting, else en",
    )


def _plot_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``ksf plot FILE --line LINE -o OUT``."""
    plot = _command(sub, "plot", "draw a line's payout curve")
    show.plot_options(plot)


def _lint_command(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``ksf lint --payout FILE [DATA]``."""
    command = _command(sub, "lint", "look for cliffs, dead zones and pay against an input")
    lint.options(command)
    _reading_options(command)
    _lang_option(command)


RUNNERS: dict[str, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
    "demo": show.demo,
    "check": commands.check,
    "run": commands.run,
    "explain": commands.explain,
    "payslip": commands.payslip,
    "fmt": commands.fmt,
    "plot": show.plot,
    "indicators": show.indicators,
    "test": case_sheets.test,
    "lint": lint.lint,
    "diff": diff.diff,
    "calibrate": calibrate.calibrate,
    "serve": serve.serve,
    "simulate": simulate.simulate,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ksf`` command; returns the exit status."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:  # --help, --version and argparse's usage errors
        return exit_.code if isinstance(exit_.code, int) else 2
    out, err = sys.stdout, sys.stderr
    try:
        return RUNNERS[args.command](args, out, err)
    except BrokenPipeError:
        _silence_stdout()  # `ksf demo | head`: the reader left; nothing more to say
        return 0
    except (KeyboardInterrupt, Exception) as failure:  # said in the command's language
        return voice.report(failure, args, err)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
