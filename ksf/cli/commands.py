"""The commands: each takes the parsed options and returns the exit status.

Errors the user can fix in a rule or data file are raised as `KsfError` and printed by
`ksf.cli.main` (status 1); mistakes in the command itself raise `UsageError` (status 2).
"""

from __future__ import annotations

import argparse
import difflib
import json
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

import ksf
from ksf import examples, io
from ksf._typing import AnyArray
from ksf.cli.render import Progress, error_text, table
from ksf.errors import DataError, KsfError, suggest
from ksf.payroll import Payroll
from ksf.rulebook import ID_COLUMNS, Rulebook, standard_library

TABLE_ROWS = 50  # rows of a payroll printed to a terminal; -o writes them all


class UsageError(Exception):
    """A mistake in the command line itself: exit status 2."""


class DataFileError(KsfError):
    """A `DataError` in a data file: printed as ``FILE: data error: …``."""

    def __init__(self, path: Path, error: DataError) -> None:
        self.path = path
        self.error = error
        super().__init__(f"{path}: {error}")


# ---- check, fmt ---------------------------------------------------------------------------


def check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Parse and check rule files; print every error and warning."""
    status = 0
    for path in args.files:
        try:
            book = ksf.load(path)
        except KsfError as error:
            report_error(error, err)
            status = 1
            continue
        warnings = tuple(getattr(book, "warnings", ()))
        for warning in warnings:
            error_text(str(warning), err)
        cards = ", ".join(book.cards) or "(none)"
        out.write(f"{path}: ok — cards {cards}\n")
        if warnings:
            noun = "warning" if len(warnings) == 1 else "warnings"
            out.write(f"{path}: {len(warnings)} {noun}\n")
    return status


def fmt(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Rewrite rule files in canonical form, or (``--check``) report those that differ."""
    try:
        from ksf.rulebook import format_text  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        msg = "ksf fmt is not available in this build"
        raise UsageError(msg) from None
    status = 0
    for path in args.files:
        text = _read_rules(path)
        try:
            formatted: str = format_text(text, path)
        except KsfError as error:
            report_error(error, err)
            status = 1
            continue
        if formatted == text:
            out.write(f"{path}: already formatted\n")
        elif args.check:
            diff = difflib.unified_diff(
                text.splitlines(keepends=True),
                formatted.splitlines(keepends=True),
                f"{path} (as written)",
                f"{path} (formatted)",
            )
            out.writelines(diff)
            err.write(f"{path}: would be reformatted\n")
            status = 1
        else:
            io.write_atomically(Path(path), formatted)
            out.write(f"{path}: reformatted\n")
    return status


def _read_rules(path: str) -> str:
    return Path(path).read_text(encoding="utf-8-sig")


# ---- run, explain -------------------------------------------------------------------------


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Compute a payroll: to a file with ``-o``, else as a table (terminal) or CSV (pipe)."""
    output = Path(args.output) if args.output else None
    if output is not None:
        _checked(io.output_format, output, args.output_format)
    elif args.output_format not in (None, "csv", "json", "table"):
        msg = f"--format {args.output_format} needs -o FILE; csv, json and table can print"
        raise UsageError(msg)
    with Progress(Path(args.data)) as progress:
        book, data, payroll = _evaluate(args, progress)
        if output is not None:
            if io.output_format(output, args.output_format) == "xlsx" and args.payslips:
                _payslips_fit(len(payroll))
            with progress.stage(f"writing {output.name}"):
                io.write_payroll(payroll, output, format=args.output_format, payslips=args.payslips)
    if output is not None:
        # stdout stays empty, as for any command that writes a file; this is a receipt.
        err.write(
            f"{output}: {len(payroll):,} rows, total "
            f"{payroll.total.sum():,.2f} {payroll.currency}\n"
        )
        return 0
    shown = args.output_format or ("table" if _is_terminal(out) else "csv")
    if shown == "csv":
        out.write(io.payroll_csv(payroll))
    elif shown == "json":
        out.write(io.payroll_json(payroll))
    else:
        payroll_table(book, payroll, data, out)
    return 0


def _payslips_fit(rows: int) -> None:
    from ksf.io.xlsx import MAX_PAYSLIPS

    if rows > MAX_PAYSLIPS:
        msg = (
            f"{rows:,} rows are too many payslip sheets for one workbook (at most "
            f"{MAX_PAYSLIPS:,}); add --no-payslips to write the payroll sheet alone"
        )
        raise UsageError(msg)


def explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the arithmetic of one employee's rows (every row with that id) or one row."""
    with Progress(Path(args.data)) as progress:
        _, _, payroll = _evaluate(args, progress)
    if args.row is not None:
        if not 0 <= args.row < len(payroll):
            msg = f"--row {args.row}: the data has rows 0 to {len(payroll) - 1}"
            raise UsageError(msg)
        rows = [args.row]
    else:
        rows = _rows_of(payroll, args.employee)
    out.write("\n\n".join(payroll.explain(row) for row in rows) + "\n")
    return 0


def _rows_of(payroll: Payroll, employee: str) -> list[int]:
    ids = io.write.ids_text(payroll)
    if ids is None:
        msg = (
            f"the data has no id column ({', '.join(ID_COLUMNS)}); name one with --id "
            "COLUMN, or pick a row with --row N"
        )
        raise UsageError(msg)
    rows = np.flatnonzero(ids == employee).tolist()
    if not rows:
        hint = suggest(employee, ids[:100_000].tolist())
        msg = f"no employee {employee!r} in the data" + (f"; {hint}" if hint else "")
        raise UsageError(msg)
    return [int(r) for r in rows]


def _evaluate(
    args: argparse.Namespace, progress: Progress
) -> tuple[Rulebook, dict[str, AnyArray], Payroll]:
    book = ksf.load(args.file)
    params = _params(args.param)
    data_path = Path(args.data)
    header_ids = [args.id] if args.id else list(ID_COLUMNS)
    data = _checked(
        io.read_data,
        data_path,
        format=args.input_format,
        sheet=args.sheet,
        keep_text=header_ids,
        opener=progress.opener(),
    )
    ids = _id_column(data, args.id)
    _numbers_where_read(book, data, args.card, ids, data_path)
    try:
        with progress.stage("computing the payroll"):
            payroll = book.evaluate(data, card=args.card, params=params)
    except DataError as error:
        raise _labelled(error, ids, data_path) from None
    if ids is not None:
        payroll.ids = ids
    return book, data, payroll


def _checked(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a reader or format check, turning a bad extension into a usage error."""
    try:
        return function(*args, **kwargs)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _id_column(data: Mapping[str, AnyArray], name: str | None) -> AnyArray | None:
    """The ``--id`` column, or the first column with a usual id name."""
    if name is None:
        return next((data[k] for k in ID_COLUMNS if k in data), None)
    if name not in data:
        msg = f"--id {name}: the data has no such column; it has: {', '.join(data)}"
        raise UsageError(msg)
    return data[name]


def _numbers_where_read(
    book: Rulebook,
    data: Mapping[str, AnyArray],
    card: str | None,
    ids: AnyArray | None,
    path: Path,
) -> None:
    """Name the rows whose cells are text in a column a card reads as numbers."""
    cards = [card] if card in book.cards else book.cards
    for name in sorted({n for c in cards for n in book.names(c)}):
        column = data.get(name)
        if column is None or column.dtype == np.float64:
            continue
        rows = io.not_numbers(column)
        if rows:
            cell = str(column[rows[0]])
            msg = f"column {name!r} holds text where the rules need numbers, e.g. {cell!r}"
            raise _labelled(DataError(msg, column=name, rows=rows), ids, path)


def _labelled(error: DataError, ids: AnyArray | None, path: Path) -> DataFileError:
    """The error in ``path``, naming employees by the ``--id`` column when there is one."""
    if ids is not None and error.rows:
        labels = [str(ids[r]) for r in error.rows]
        error = DataError(error.message, column=error.column, rows=error.rows, labels=labels)
    return DataFileError(path, error)


def _params(pairs: Sequence[str]) -> dict[str, float]:
    params = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            params[name.strip()] = float(value.replace(",", ""))
        except ValueError:
            name = ""
        if not name.strip():
            msg = f"--param takes NAME=NUMBER, e.g. profit=1500000; got {pair!r}"
            raise UsageError(msg)
    return params


# ---- tables -------------------------------------------------------------------------------


def payroll_table(
    book: Rulebook, payroll: Payroll, data: Mapping[str, AnyArray], out: TextIO
) -> None:
    """One table per card: its rows (the first `TABLE_ROWS`), lines, totals."""
    extra = {k: data[k] for k in ("employee", "name", "month") if k in data}
    if not extra and payroll.ids is not None:
        extra = {"id": np.asarray(payroll.ids)}
    cards = np.asarray(payroll.cards)
    for card in book.program.cards:
        rows = np.flatnonzero(cards == card.name)
        if not len(rows):
            continue
        lines = [line.name for line in card.lines]
        lines += ["min_pay_topup"] if "min_pay_topup" in payroll.lines else []
        title = f"card {card.name}" + (f" ({card.label})" if card.label else "")
        _card_table(payroll, rows, lines, extra, title, out)
        out.write("\n")
    out.write(f"total: {payroll.total.sum():,.2f} {payroll.currency}\n")


def _card_table(
    payroll: Payroll,
    rows: AnyArray,
    lines: Sequence[str],
    extra: Mapping[str, AnyArray],
    title: str,
    out: TextIO,
) -> None:
    shown = rows[:TABLE_ROWS]
    money = [payroll[line][rows] for line in lines] + [payroll.total[rows]]
    head = [*extra, *lines, f"total ({payroll.currency})"]
    body = [
        [*(_cell(v[i]) for v in extra.values()), *(f"{m[k]:,.2f}" for m in money)]
        for k, i in enumerate(shown.tolist())
    ]
    if len(rows) > len(shown):
        more = f"… {len(rows) - len(shown):,} more"
        body.append([more, *([""] * (len(head) - 1))])
    left = max(len(extra), 1)
    footer = ["total", *([""] * (len(extra) - 1)), *(f"{m.sum():,.2f}" for m in money)]
    table(head, body, out, left=left, footer=footer, title=title)


def _cell(value: object) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# ---- demo, indicators, plot ---------------------------------------------------------------


def demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the embedded example team over its quarter of data."""
    book = ksf.compile(examples.demo_rules(), name=examples.RULES_NAME)
    data = examples.demo_data()
    payroll = book.evaluate(data)
    out.write(
        f"ksf demo: {len(payroll)} payslips, cards {', '.join(book.cards)}, "
        f"amounts in {payroll.currency}\n\n"
    )
    payroll_table(book, payroll, data, out)
    out.write("\nHow the first payslip was computed (ksf explain):\n\n")
    out.write(payroll.explain(0) + "\n")
    return 0


def indicators(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """List the standard indicator library."""
    from ksf.indicators import descriptions

    notes = descriptions()
    rows = [
        {
            "name": name,
            "label": named.label or "",
            "unit": named.unit or "",
            "direction": {1: "higher", -1: "lower"}.get(named.direction or 0, ""),
            "formula": named.text,
            "description": notes.get(name, ""),
        }
        for name, named in sorted(standard_library().items())
    ]
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
    return f"{direction} is better" if direction else ""


def plot(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Draw one line's payout curve to a PNG or SVG file."""
    from ksf import plot as plotting

    book = ksf.load(args.file)
    card = args.card or (book.cards[0] if len(book.cards) == 1 else None)
    if card is None:
        msg = f"the file has several cards; pick one with --card ({', '.join(book.cards)})"
        raise UsageError(msg)
    value_range = _range(args.range) if args.range else None
    try:
        found = plotting.curve(book, card, args.line, value_range)
        plotting.plot(found, args.output)
    except (KeyError, ValueError) as error:
        raise UsageError(str(error.args[0])) from None
    out.write(f"{args.output}: {found.card}.{found.line} over {found.indicator}\n")
    return 0


def _range(text: str) -> tuple[float, float]:
    low, _, high = text.partition(":")
    try:
        lo, hi = float(low), float(high)
    except ValueError:
        lo = hi = 0.0
    if not lo < hi:
        msg = f"--range takes LOW:HIGH with LOW < HIGH, e.g. 0.2:0.5; got {text!r}"
        raise UsageError(msg)
    return lo, hi


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
