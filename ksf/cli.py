"""The ``ksf`` command: demo, check, run, explain.

Exit status: 0 ok, 1 a rule or data error (printed as ``file:line:col: error: …`` with the
source line and a caret), 2 a usage error. Colour is added only when writing to a terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

import ksf
from ksf import examples, io
from ksf.errors import DataError, KsfError
from ksf.payroll import Payroll

EXAMPLES = """\
examples:
  ksf demo                                  the embedded team and a quarter of data
  ksf check pay.ksf                         report every error in a rule file
  ksf run pay.ksf data.csv -o payroll.csv   compute a payroll
  ksf run pay.ksf data.csv --card operator --param profit=1500000
  ksf explain pay.ksf data.csv --employee E001
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ksf",
        description="KSF pay cards: check rule files and compute payrolls.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ksf {ksf.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "demo",
        help="run the embedded example team",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check = commands.add_parser(
        "check",
        help="check a rule file",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("file", help="the rule file (.ksf)")
    for name, text in (
        ("run", "compute a payroll as CSV"),
        ("explain", "show one employee's arithmetic"),
    ):
        command = commands.add_parser(
            name, help=text, epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        command.add_argument("file", help="the rule file (.ksf)")
        command.add_argument("data", help="the data (.csv with a header row)")
        command.add_argument("--card", help="the card every row uses (default: a card column)")
        command.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="a scalar the rules name, e.g. profit=1500000",
        )
        if name == "run":
            command.add_argument("-o", "--output", help="write the payroll CSV here")
        else:
            command.add_argument(
                "--employee", required=True, help="the employee id (or a 0-based row number)"
            )
    return parser


def _params(pairs: Sequence[str], parser: argparse.ArgumentParser) -> dict[str, float]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        try:
            params[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            parser.error(f"--param takes NAME=NUMBER, got {pair!r}")
    return params


def _evaluate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Payroll:
    book = ksf.load(args.file)
    data = io.read_csv(args.data)
    return book.evaluate(data, card=args.card, params=_params(args.param, parser))


def _table(
    payroll: Payroll,
    rows: Sequence[int],
    lines: Sequence[str],
    extra: dict[str, Sequence[str]],
    out: TextIO,
) -> None:
    """An aligned table of some rows and lines, with thousands separators and a totals row."""
    head = [*extra, *lines, "total"]
    money = [payroll[line][list(rows)] for line in lines] + [payroll.total[list(rows)]]
    body = [
        [*(str(v[i]) for v in extra.values()), *(f"{m[k]:,.2f}" for m in money)]
        for k, i in enumerate(rows)
    ]
    body.append(["total", *([""] * (len(extra) - 1)), *(f"{m.sum():,.2f}" for m in money)])
    widths = [max(_width(c) for c in column) for column in zip(head, *body, strict=True)]
    for line in [head, *body]:
        cells = [
            (c.ljust if k < len(extra) else c.rjust)(w - _width(c) + len(c))
            for k, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.write("  ".join(cells).rstrip() + "\n")


def _width(text: str) -> int:
    from ksf.source import display_width

    return display_width(text)


def demo(out: TextIO) -> int:
    """Run the embedded example: the seed-000 team over a quarter."""
    book = ksf.compile(examples.demo_rules(), name=examples.RULES_NAME)
    data = examples.demo_data()
    payroll = book.evaluate(data)
    out.write(
        f"ksf demo: {len(payroll)} payslips, cards {', '.join(book.cards)}, "
        f"amounts in {payroll.currency}\n\n"
    )
    extra: dict[str, Sequence[str]] = {
        k: [str(v) for v in data[k]] for k in ("employee", "name", "month") if k in data
    }
    for card in book.program.cards:
        rows = [i for i, c in enumerate(payroll.cards.tolist()) if c == card.name]
        lines = [line.name for line in card.lines]
        lines += ["min_pay_topup"] if card.min_pay is not None else []
        out.write(f"card {card.name}" + (f" ({card.label})" if card.label else "") + "\n")
        _table(payroll, rows, lines, extra, out)
        out.write("\n")
    out.write(f"team total: {payroll.total.sum():,.2f} {payroll.currency}\n\n")
    out.write("\n" + payroll.explain(0) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ksf`` command; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            return demo(sys.stdout)
        if args.command == "check":
            book = ksf.load(args.file)
            print(f"{args.file}: ok — cards {', '.join(book.cards) or '(none)'}")
            return 0
        payroll = _evaluate(args, parser)
        if args.command == "run":
            text = io.write_csv(payroll, args.output)
            if args.output is None:
                sys.stdout.write(text)
            return 0
        print(payroll.explain(_row(payroll, args.employee, parser)))
    except FileNotFoundError as missing:
        print(f"ksf: error: no such file: {missing.filename}", file=sys.stderr)
        return 2
    except DataError as error:
        print(f"{getattr(args, 'data', '')}: {error}", file=sys.stderr)
        return 1
    except KsfError as error:
        print(_colour(str(error)), file=sys.stderr)
        return 1
    return 0


def _row(payroll: Payroll, employee: str, parser: argparse.ArgumentParser) -> int:  # noqa: RET503 - parser.error exits
    if payroll.ids is not None:
        matches = [i for i, v in enumerate(payroll.ids.tolist()) if str(v) == employee]
        if matches:
            return matches[0]
    if employee.isdigit() and int(employee) < len(payroll):
        return int(employee)
    parser.error(f"no employee {employee!r} in the data")  # exits with status 2


def _colour(text: str) -> str:
    if not sys.stderr.isatty():
        return text
    return text.replace(": error:", ": \033[1;31merror:\033[0m")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
