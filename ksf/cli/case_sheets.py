"""``ksf test RULES [CASES…]``: run HR's case sheets, and ``--init`` to start one.

Exit status 0 when every case pays what it expects, 1 when one does not or a sheet has a
mistake (each printed in full), 2 for a usage error (no sheet found, a bad extension).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import ksf
from ksf.cases import check_cases, run_cases
from ksf.cases_init import init_sheet
from ksf.catalogue import cases as say
from ksf.cli.inputs import PERIOD_HELP, UsageError, book_at, compute_payroll, params
from ksf.cli.render import Progress, error_text
from ksf.errors import DataError, RuleWarning
from ksf.explain_words import Lang, check_lang
from ksf.io.junit import JunitCase, write_junit
from ksf.io.read_cases import FORMATS, beside, read_cases
from ksf.io.write_cases import write_case_sheet
from ksf.source import visible

__all__ = ["EXAMPLES", "add_options", "test"]

EXAMPLES = """\
examples:
  ksf test pay.ksf                       the case sheet beside it: pay.cases.xlsx (.csv, .yaml)
  ksf test pay.ksf cases/7月.xlsx cases/edge.csv --lang zh
  ksf test pay.ksf --junit results.xml   and JUnit XML for a CI system
  ksf test --init pay.ksf july.csv -o pay.cases.xlsx
                                         start a sheet from a payroll, to edit"""


def add_options(command: argparse.ArgumentParser) -> None:
    """The options of ``ksf test``."""
    # `file`, as every command names its rule file: `voice.language` reads its setting.
    command.add_argument("file", metavar="RULES", help="the rule file (.ksf)")
    command.add_argument(
        "cases",
        nargs="*",
        metavar="CASES",
        help="case sheets (.xlsx, .csv, .yaml); default: RULES' own, pay.ksf → "
        "pay.cases.xlsx, pay.cases.csv or pay.cases.yaml; with --init: the data file",
    )
    command.add_argument(
        "--lang",
        choices=["zh", "en"],
        help="write the report and the explanations in Chinese (zh) or English (en); "
        "default: the rule file's `language` setting, else en",
    )
    command.add_argument(
        "--junit", metavar="FILE", help="also write the results as JUnit XML, for CI systems"
    )
    command.add_argument("--sheet", help="the XLSX sheet to read (default: the first)")
    command.add_argument("--period", help=PERIOD_HELP)
    command.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=NUMBER",
        help="a scalar the rules name, the same for every case, e.g. last_year_profit=1500000 "
        "(repeatable)",
    )
    command.add_argument(
        "--init",
        action="store_true",
        help="write a case sheet (-o) from a data file, pre-filled with the current payroll's "
        "amounts as expected_ columns, to edit",
    )
    command.add_argument(
        "-o", "--output", metavar="OUT", help="with --init: the case sheet to write"
    )
    command.add_argument(
        "--force", action="store_true", help="with --init: replace OUT if it exists"
    )


def test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the case sheets; print each failure and a line of counts per sheet."""
    if args.init:
        return _init(args, err)
    if args.output:
        raise UsageError(say.OUTPUT_WITHOUT_INIT())
    paths = [Path(p) for p in args.cases] or beside(args.file)
    if not paths:
        stem = Path(args.file).stem
        raise UsageError(say.NO_SHEET_BESIDE(rules=args.file, stem=stem))
    _known_formats(paths, args.sheet)
    book = book_at(ksf.load(args.file), args.period)
    lang: Lang = check_lang(args.lang or book.program.language or "en")
    scalars = params(args.param)
    status = 0
    suites: dict[str, list[JunitCase]] = {}
    warned = _Warned(lang, err)
    warned.show(book.warnings)
    for path in paths:
        try:
            cases = check_cases(book, read_cases(path, sheet=args.sheet), scalars)
            warned.show(book.check_data(cases.data, scalars))
            report = run_cases(book, cases, lang=lang, params=scalars)
        except DataError as error:
            written = error.render(lang)
            error_text(written, err)
            head = written.splitlines()[0]
            suites[str(path)] = [JunitCase(str(path), str(path), head, written, error=True)]
            status = 1
            continue
        out.write(visible(report.text()))
        suites[str(path)] = report.junit()
        status = max(status, 0 if report.passed else 1)
    if args.junit:
        write_junit(args.junit, suites)
    return status


class _Warned:
    """Warnings printed once a command: a column hiding an indicator in three sheets is one."""

    def __init__(self, lang: Lang, err: TextIO) -> None:
        self.lang, self.err = lang, err
        self.seen: set[str] = set()

    def show(self, warnings: Iterable[RuleWarning]) -> None:
        """Print each warning not printed before."""
        for warning in warnings:
            written = warning.render(self.lang)
            if written not in self.seen:
                self.seen.add(written)
                error_text(written, self.err)


def _known_formats(paths: list[Path], sheet: str | None = None) -> None:
    """Refuse a file no case sheet is, and ``--sheet`` with a file that is no workbook."""
    for path in paths:
        if path.suffix.lower() == ".xls":
            raise UsageError(say.CASES_OLD_EXCEL(file=path))
        if path.suffix.lower() not in FORMATS:
            raise UsageError(say.CASES_FORMAT(file=path))
        if sheet is not None and FORMATS[path.suffix.lower()] != "xlsx":
            raise UsageError(say.SHEET_WITHOUT_XLSX(sheet=sheet, file=path))


def _init(args: argparse.Namespace, err: TextIO) -> int:
    """``--init RULES DATA -o OUT``: a case sheet pre-filled from the payroll of DATA."""
    if len(args.cases) != 1 or not args.output:
        raise UsageError(say.INIT_ARGUMENTS())
    output = Path(args.output)
    _known_formats([output])
    if output.exists() and not args.force:  # a sheet HR has edited is never replaced silently
        raise UsageError(say.INIT_WOULD_OVERWRITE(output=output))
    data_path = Path(args.cases[0])
    inputs = argparse.Namespace(
        file=args.file,
        data=str(data_path),
        param=args.param,
        id=None,
        sheet=args.sheet,
        input_format=None,
        card=None,
        allow_duplicate_ids=False,
        lang=args.lang,
        period=args.period,
    )
    with Progress(data_path, sheet=args.sheet) as progress:
        book, data, payroll = compute_payroll(inputs, progress, err)
    lang = check_lang(args.lang or payroll.language or "en")
    sheet, amounts = init_sheet(book, data, payroll, lang)
    write_case_sheet(output, sheet, amounts, payroll.decimals)
    err.write(visible(say.INIT_WRITTEN(output=output, count=len(payroll)).text(lang) + "\n"))
    return 0
