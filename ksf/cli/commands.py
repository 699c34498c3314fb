"""The commands: each takes the parsed options and returns the exit status.

Errors the user can fix in a rule or data file are raised as `KsfError` and printed by
`ksf.cli.main` (status 1); mistakes in the command itself raise `UsageError` (status 2).
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import numpy as np

import ksf
from ksf import io, rulebook
from ksf._typing import AnyArray
from ksf.catalogue import cli as said
from ksf.cli.inputs import (
    UsageError,
    as_message,
    card_of,
    checked,
    compute_payroll,
    in_file,
    params,
    sheet_only_in_xlsx,
)
from ksf.cli.ledger import post_run, refuse_misuse
from ksf.cli.render import Progress, error_text, is_terminal
from ksf.cli.show import payroll_table, total_text
from ksf.cli.voice import file_language, language, report_error
from ksf.errors import KsfError, RuleWarning, UnknownEmployeeError
from ksf.explain_words import Lang, check_lang, row_in_file, say
from ksf.ids import ID_COLUMNS
from ksf.io import diagnostics, write_xlsx
from ksf.io.cells import ids_text
from ksf.io.payslip_html import PAYSLIP_FORMATS, write_payslips
from ksf.io.payslip_xlsx import MAX_PAYSLIPS
from ksf.payroll import Payroll
from ksf.payslip import explain_at, find_employee, name_column_of, payslips
from ksf.rulebook import Rulebook
from ksf.source import visible

__all__ = ["UsageError", "check", "explain", "fmt", "payslip", "report_error", "run"]


# ---- check, fmt ---------------------------------------------------------------------------


def check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Parse and check rule files; print every error and warning.

    With ``--data``, every name the cards read is also bound against the data file's
    column names (and the ``--param`` names), as ``run`` would bind them.
    """
    if not args.data and (args.card or args.param or args.sheet or args.input_format):
        raise UsageError(said.CHECK_NEEDS_DATA())
    if args.data:
        sheet_only_in_xlsx(args)
    data_failure: diagnostics.FileReport | None = None
    try:
        columns = _data_columns(args) if args.data else None
    except KsfError as error:
        if args.format == "text":
            raise
        columns, data_failure = None, diagnostics.FileReport(args.data, failure=error)
    scalars = list(params(args.param)) if args.data else []
    reports = [_checked_file(path, args, columns, scalars) for path in args.files]
    if data_failure is not None:  # the data's error, not each file's: reported once
        reports = [data_failure]
    status = 1 if any(r.failure is not None for r in reports) else 0
    if any(isinstance(r.failure, UsageError) for r in reports):
        status = 2
    if args.format != "text":  # one document for every file, in the language asked for
        lang = check_lang(args.lang or "en")
        write = diagnostics.json_document if args.format == "json" else diagnostics.sarif_document
        out.write(write(reports, lang))
        return status
    for report in reports:
        _print_checked(report, args, out, err)
    return status


def _checked_file(
    path: str, args: argparse.Namespace, columns: list[str] | None, scalars: list[str]
) -> diagnostics.FileReport:
    """One rule file checked (and bound against the data's columns when given)."""
    try:
        book = ksf.load(path)
        warnings = book.warnings
        if columns is not None:
            warnings += _checked_cards(book, columns, scalars, args.card)
    except KsfError as error:
        return diagnostics.FileReport(path, failure=error)
    except (FileNotFoundError, IsADirectoryError):
        if args.format == "text":
            raise  # the usage error every command gives (status 2)
        # In a JSON or SARIF document: its record, and status 2 all the same.
        return diagnostics.FileReport(path, failure=UsageError(said.NO_SUCH_FILE(path=path)))
    return diagnostics.FileReport(path, book.cards, warnings)


def _print_checked(
    report: diagnostics.FileReport, args: argparse.Namespace, out: TextIO, err: TextIO
) -> None:
    """One file's errors, or its warnings and the line saying it was checked."""
    path = report.path
    # In the language the file asks for, compiled or not (a file not there was raised as
    # the usual usage error before any report was made).
    if isinstance(report.failure, KsfError):
        report_error(report.failure, err, args.lang or file_language(path) or "en")
        return
    lang = check_lang(args.lang or file_language(path) or "en")
    warnings = report.diagnostics
    for warning in warnings:
        error_text(warning.render(lang), err)
    cards = ", ".join(report.cards) or said.NO_CARDS()
    against = said.AGAINST(data=args.data) if args.data else ""
    out.write(visible(said.CHECKED(path=path, against=against, cards=cards).text(lang) + "\n"))
    if warnings:
        count = said.ONE_WARNING(path=path) if len(warnings) == 1 else None
        count = count or said.WARNINGS(path=path, count=len(warnings))
        out.write(visible(count.text(lang) + "\n"))


def _data_columns(args: argparse.Namespace) -> list[str]:
    """The column names of ``--data`` (a `DataError` names the file, as for ``run``)."""
    with in_file(Path(args.data)):
        found: list[str] = checked(
            io.column_names, Path(args.data), format=args.input_format, sheet=args.sheet
        )
    return found


def _checked_cards(
    book: Rulebook, columns: list[str], scalars: list[str], card: str | None
) -> tuple[RuleWarning, ...]:
    if card is not None:
        card_of(book, card)  # the usage error run and explain give
    return book.check_columns(columns, scalars, cards=None if card is None else [card])


def fmt(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Rewrite rule files in canonical form, or (``--check``) report those that differ."""
    status = 0
    for path in args.files:
        lang = args.lang or file_language(path) or "en"
        try:
            # Line ends as Python's text files read them, so CRLF files are not rewritten.
            text = rulebook.read_rules(path).replace("\r\n", "\n").replace("\r", "\n")
            # Looked up at call time, so a test can stand another formatter in.
            if args.lang is None:
                formatted = rulebook.format_text(text, path)
            else:
                formatted = rulebook.format_text(text, path, lang=args.lang)
        except KsfError as error:
            report_error(error, err, lang)
            status = 1
            continue
        if formatted == text:
            out.write(visible(said.ALREADY_FORMATTED(path=path).text(lang) + "\n"))
        elif args.check:
            diff = difflib.unified_diff(
                text.splitlines(keepends=True),
                formatted.splitlines(keepends=True),
                said.AS_WRITTEN(path=path).text(lang),
                said.AS_FORMATTED(path=path).text(lang),
            )
            out.writelines(map(visible, diff))
            err.write(visible(said.WOULD_REFORMAT(path=path).text(lang) + "\n"))
            status = 1
        else:
            io.write_atomically(Path(path), formatted)
            out.write(visible(said.REFORMATTED(path=path).text(lang) + "\n"))
    return status


# ---- run, explain -------------------------------------------------------------------------


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Compute a payroll: to a file with ``-o``, else as a table (terminal) or CSV (pipe)."""
    # `-o -` is standard output: the payroll is printed, as without -o.
    output = Path(args.output) if args.output not in (None, "", "-") else None
    if output is not None:
        checked(io.output_format, output, args.output_format)
        # A link is written through (its target is replaced); a FIFO, a device or a
        # directory is refused now, before anything is computed or written.
        target = checked(io.write.output_target, output)
        if not target.parent.is_dir():  # found now, not after the payroll is computed
            missing = target.parent if output.is_symlink() else output.parent
            raise UsageError(said.NO_DIRECTORY(output=output, missing=missing))
        _not_an_input(output, args)
    elif args.output_format not in (None, "csv", "json", "table"):
        raise UsageError(said.FORMAT_NEEDS_OUTPUT(format=args.output_format))
    refuse_misuse(args)
    with _progress(args) as progress:
        book, data, payroll = compute_payroll(args, progress, err)
        lang = check_lang(args.lang or payroll.language or "en")
        if args.ledger:
            post_run(args, payroll, err, lang)
        if output is not None:
            if io.output_format(output, args.output_format) == "xlsx":
                _fits_excel(len(payroll), payslips=args.payslips)
            with progress.stage(said.WRITING(name=output.name).text(progress.lang)):
                io.write_payroll(
                    payroll,
                    output,
                    format=args.output_format,
                    payslips=args.payslips,
                    lang=lang,
                    where=_where(data, Path(args.data).name, lang),
                )
    if output is not None:
        # stdout stays empty, as for any command that writes a file; this is a receipt.
        total = total_text(payroll, lang)
        receipt = say(lang, "t_written", output=output, rows=f"{len(payroll):,}", total=total)
        err.write(visible(receipt + "\n"))
        return 0
    shown = args.output_format or ("table" if is_terminal(out) else "csv")
    # The CSV and JSON text is escaped already (`io.payroll_csv`); a terminal sees the same.
    screen = visible if is_terminal(out) else str
    if shown == "csv":
        out.write(screen(io.payroll_csv(payroll)))
    elif shown == "json":
        out.write(screen(io.payroll_json(payroll)))
    else:
        _names(data, args.name)  # a usage error if the data has no such column
        payroll_table(book, payroll, data, out, lang, args.name)
    return 0


def _progress(args: argparse.Namespace) -> Progress:
    """Progress on a terminal while ``args.data`` is read and paid, in the command's language."""
    return Progress(
        Path(args.data), data_format=args.input_format, sheet=args.sheet, lang=language(args)
    )


def _not_an_input(output: Path, args: argparse.Namespace) -> None:
    """Refuse ``-o`` naming an input: the payroll would replace the file it is computed from."""
    for what, name in ((said.THE_RULE_FILE(), args.file), (said.THE_DATA(), args.data)):
        if output.exists() and Path(name).exists() and output.samefile(name):
            raise UsageError(said.OUTPUT_IS_INPUT(output=output, what=what, name=name))


def _fits_excel(rows: int, *, payslips: bool) -> None:
    if rows > write_xlsx.MAX_ROWS:
        raise UsageError(said.EXCEL_ROWS(rows=f"{rows:,}", most=f"{write_xlsx.MAX_ROWS:,}"))
    if payslips and rows > write_xlsx.MAX_PAYSLIPS:
        most = f"{write_xlsx.MAX_PAYSLIPS:,}"
        raise UsageError(said.EXCEL_SHEETS(rows=f"{rows:,}", most=most))


def explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the arithmetic of one employee's rows (every row with that id) or one row."""
    with _progress(args) as progress:
        _, data, payroll = compute_payroll(args, progress, err)
    if args.row is not None:
        if not 0 <= args.row < len(payroll):
            raise UsageError(said.ROW_OUT_OF_RANGE(row=args.row, last=len(payroll) - 1))
        rows = [args.row]
    else:
        rows = _rows_of(payroll, args.employee, data, args.name)
    lang = check_lang(args.lang or payroll.language or "en")
    where = _where(data, Path(args.data).name, lang)
    texts = [
        payroll.explain(row, lang=lang)
        if where is None
        else explain_at(payroll, row, lang, where[row])
        for row in rows
    ]
    out.write(visible("\n\n".join(texts) + "\n"))
    return 0


def _where(data: object, name: str, lang: Lang) -> list[str] | None:
    """Each row as a person finds it: its line in the file (``line 4 of july.csv``).

    That is the number an editor or Excel shows, and the one data errors give. Without
    known lines (JSON, Parquet): None in English, where the heading keeps the 0-based row
    that ``--row`` takes; the row counted from 1 in Chinese (第 2 行), as people count.
    """
    if isinstance(data, io.Table) and data.lines is not None:
        return [row_in_file(data.noun, line, name, lang) for line in data.lines]
    return None


def _rows_of(
    payroll: Payroll, employee: str, data: Mapping[str, AnyArray], name: str | None
) -> list[int]:
    """``--employee``: the rows of an id, else of a name in the ``--name`` column (or 姓名/name)."""
    names = _names(data, name)
    if ids_text(payroll) is None and names is None:
        raise UsageError(said.NO_ID_COLUMN(columns=", ".join(ID_COLUMNS)))
    try:
        rows = find_employee(payroll, employee, names)
    except UnknownEmployeeError as error:  # a mistake in the command line: status 2
        raise UsageError(as_message(error.said)) from None
    return [int(r) for r in rows]


def _names(data: Mapping[str, AnyArray], name: str | None) -> AnyArray | None:
    """The ``--name`` column (a usage error if the data lacks it), else 姓名 or name."""
    if name is not None and name not in data:
        raise UsageError(said.NO_SUCH_COLUMN(option="--name", name=name, columns=", ".join(data)))
    found = name_column_of(list(data), name)
    return None if found is None else np.asarray(data[found])


def payslip(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write staff payslips (one employee, or everyone) to an .html or .xlsx file."""
    output = Path(args.output)
    if output.suffix.lower() not in PAYSLIP_FORMATS:
        raise UsageError(said.PAYSLIP_FORMATS(output=output))
    if not checked(io.write.output_target, output).parent.is_dir():
        raise UsageError(said.NO_DIRECTORY(output=output, missing=output.parent))
    _not_an_input(output, args)
    with _progress(args) as progress:
        _, data, payroll = compute_payroll(args, progress, err)
        rows = None if args.employee is None else _rows_of(payroll, args.employee, data, args.name)
        if (len(payroll) if rows is None else len(rows)) > MAX_PAYSLIPS:
            raise UsageError(said.TOO_MANY_PAYSLIPS(most=f"{MAX_PAYSLIPS:,}"))
        _names(data, args.name)  # an unknown --name column is a usage error
        lang = check_lang(args.lang or payroll.language or "zh")  # as `payslips` picks it
        slips = payslips(
            payroll,
            data,
            rows=rows,
            name_column=args.name,
            company=args.company,
            lang=lang,
            where=_where(data, Path(args.data).name, lang),
        )
        with progress.stage(said.WRITING(name=output.name).text(progress.lang)):
            write_payslips(slips, output, audit=args.audit)
    count = f"{len(slips):,}"
    written = said.ONE_PAYSLIP(output=output) if len(slips) == 1 else None
    written = written or said.PAYSLIPS_WRITTEN(output=output, count=count)
    err.write(visible(written.text(language(args, payroll.language)) + "\n"))
    return 0
