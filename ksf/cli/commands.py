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
from ksf.cli.inputs import (
    UsageError,
    card_of,
    checked,
    compute_payroll,
    in_file,
    params,
    sheet_only_in_xlsx,
)
from ksf.cli.render import Progress, error_text, is_terminal
from ksf.cli.show import payroll_table, total_text
from ksf.errors import KsfError, RuleWarning, UnknownEmployeeError
from ksf.explain_words import Lang, check_lang, row_in_file, say
from ksf.ids import ID_COLUMNS
from ksf.io import write_xlsx
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
        msg = "--card, --param, --sheet and --data-format go with --data DATA"
        raise UsageError(msg)
    if args.data:
        sheet_only_in_xlsx(args)
    columns = _data_columns(args) if args.data else None
    scalars = list(params(args.param)) if args.data else []
    status = 0
    for path in args.files:
        try:
            book = ksf.load(path)
            warnings = book.warnings
            if columns is not None:
                warnings += _checked_cards(book, columns, scalars, args.card)
        except KsfError as error:
            report_error(error, err)
            status = 1
            continue
        for warning in warnings:
            error_text(str(warning), err)
        cards = ", ".join(book.cards) or "(none)"
        against = f" against {args.data}" if columns is not None else ""
        out.write(visible(f"{path}: ok{against} — cards {cards}\n"))
        if warnings:
            noun = "warning" if len(warnings) == 1 else "warnings"
            out.write(visible(f"{path}: {len(warnings)} {noun}\n"))
    return status


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
        try:
            # Line ends as Python's text files read them, so CRLF files are not rewritten.
            text = rulebook.read_rules(path).replace("\r\n", "\n").replace("\r", "\n")
            # Looked up at call time, so a test can stand another formatter in.
            if args.lang is None:
                formatted = rulebook.format_text(text, path)
            else:
                formatted = rulebook.format_text(text, path, lang=args.lang)
        except KsfError as error:
            report_error(error, err)
            status = 1
            continue
        if formatted == text:
            out.write(visible(f"{path}: already formatted\n"))
        elif args.check:
            diff = difflib.unified_diff(
                text.splitlines(keepends=True),
                formatted.splitlines(keepends=True),
                f"{path} (as written)",
                f"{path} (formatted)",
            )
            out.writelines(map(visible, diff))
            err.write(visible(f"{path}: would be reformatted\n"))
            status = 1
        else:
            io.write_atomically(Path(path), formatted)
            out.write(visible(f"{path}: reformatted\n"))
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
            msg = f"-o {output}: there is no directory {missing}"
            raise UsageError(msg)
        _not_an_input(output, {"the rule file": args.file, "the data": args.data})
    elif args.output_format not in (None, "csv", "json", "table"):
        msg = f"--format {args.output_format} needs -o FILE; csv, json and table can print"
        raise UsageError(msg)
    with Progress(Path(args.data), data_format=args.input_format, sheet=args.sheet) as progress:
        book, data, payroll = compute_payroll(args, progress, err)
        lang = check_lang(args.lang or payroll.language or "en")
        if output is not None:
            if io.output_format(output, args.output_format) == "xlsx":
                _fits_excel(len(payroll), payslips=args.payslips)
            with progress.stage(f"writing {output.name}"):
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
        payroll_table(book, payroll, data, out, lang)
    return 0


def _not_an_input(output: Path, inputs: dict[str, str]) -> None:
    """Refuse ``-o`` naming an input: the payroll would replace the file it is computed from."""
    for what, name in inputs.items():
        if output.exists() and Path(name).exists() and output.samefile(name):
            msg = f"-o {output} is {what} ({name}); write the payroll to another file"
            raise UsageError(msg)


def _fits_excel(rows: int, *, payslips: bool) -> None:
    if rows > write_xlsx.MAX_ROWS:
        msg = (
            f"{rows:,} rows do not fit in an Excel sheet (at most {write_xlsx.MAX_ROWS:,}); "
            "use -o .csv"
        )
        raise UsageError(msg)
    if payslips and rows > write_xlsx.MAX_PAYSLIPS:
        msg = (
            f"{rows:,} rows are too many payslip sheets for one workbook (at most "
            f"{write_xlsx.MAX_PAYSLIPS:,}); add --no-payslips to write the payroll sheet alone"
        )
        raise UsageError(msg)


def explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the arithmetic of one employee's rows (every row with that id) or one row."""
    with Progress(Path(args.data), data_format=args.input_format, sheet=args.sheet) as progress:
        _, data, payroll = compute_payroll(args, progress, err)
    if args.row is not None:
        if not 0 <= args.row < len(payroll):
            msg = f"--row {args.row}: the data has rows 0 to {len(payroll) - 1}"
            raise UsageError(msg)
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
        msg = (
            f"the data has no id column ({', '.join(ID_COLUMNS)}); name one with --id "
            "COLUMN, or pick a row with --row N"
        )
        raise UsageError(msg)
    try:
        rows = find_employee(payroll, employee, names)
    except UnknownEmployeeError as error:  # a mistake in the command line: status 2
        raise UsageError(error.message) from None
    return [int(r) for r in rows]


def _names(data: Mapping[str, AnyArray], name: str | None) -> AnyArray | None:
    """The ``--name`` column (a usage error if the data lacks it), else 姓名 or name."""
    if name is not None and name not in data:
        msg = f"--name {name}: the data has no such column; it has: {', '.join(data)}"
        raise UsageError(msg)
    found = name_column_of(list(data), name)
    return None if found is None else np.asarray(data[found])


def payslip(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write staff payslips (one employee, or everyone) to an .html or .xlsx file."""
    output = Path(args.output)
    if output.suffix.lower() not in PAYSLIP_FORMATS:
        msg = f"-o {output}: payslips are written as .html or .xlsx"
        raise UsageError(msg)
    if not checked(io.write.output_target, output).parent.is_dir():
        msg = f"-o {output}: there is no directory {output.parent}"
        raise UsageError(msg)
    _not_an_input(output, {"the rule file": args.file, "the data": args.data})
    with Progress(Path(args.data), data_format=args.input_format, sheet=args.sheet) as progress:
        _, data, payroll = compute_payroll(args, progress, err)
        rows = None if args.employee is None else _rows_of(payroll, args.employee, data, args.name)
        if (len(payroll) if rows is None else len(rows)) > MAX_PAYSLIPS:
            msg = f"at most {MAX_PAYSLIPS:,} payslips go in one file; pick one with --employee"
            raise UsageError(msg)
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
        with progress.stage(f"writing {output.name}"):
            write_payslips(slips, output, audit=args.audit)
    noun = "payslip" if len(slips) == 1 else "payslips"
    err.write(visible(f"{output}: {len(slips):,} {noun}\n"))
    return 0


def report_error(error: KsfError, err: TextIO) -> None:
    """Print a rule error (every diagnostic, each with its source line) or a data error."""
    diagnostics = getattr(error, "errors", None)
    if not diagnostics:
        error_text(str(error), err)
        return
    for k, diagnostic in enumerate(diagnostics):
        if k:
            err.write("\n")
        error_text(diagnostic.render() if hasattr(diagnostic, "render") else str(diagnostic), err)
    if len(diagnostics) > 1:
        err.write(f"\n{len(diagnostics)} errors\n")
