"""The inputs of ``run`` and ``explain``: the data file, ``--param``, ``--id``, ``--card``.

Reading them, computing the payroll, and the errors the command reports.

Every data problem is named by the data file, the column and the employees (by the
``--id`` column, or the first column with a usual id name).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

import ksf
from ksf import io, ir
from ksf._typing import AnyArray
from ksf.catalogue import cli as say
from ksf.catalogue import common
from ksf.catalogue import io as io_say
from ksf.cell_numbers import text_where_numbers
from ksf.cli.render import Progress, error_text
from ksf.errors import DataError, KsfError, suggest
from ksf.explain_words import Lang
from ksf.groups import group_keys
from ksf.ids import ID_COLUMNS
from ksf.io.table import unfiled
from ksf.matrix_args import swapped_columns
from ksf.message import Message
from ksf.payroll import Payroll
from ksf.periods import Period, PeriodError, period_or_none
from ksf.rows import text_keys
from ksf.rulebook import Rulebook


class UsageError(Exception):
    """A mistake in the command line itself: exit status 2. ``str()`` is its English text."""

    def __init__(self, said: Message) -> None:
        super().__init__(said)
        self.said = said


def said_of(error: BaseException) -> Message:
    """What an exception says, as a message: its own, or (from a library) its text as is."""
    if isinstance(error, DataError):  # an unknown card: `data error: there is no card …`
        return common.DATA_ERROR(message=error.said)
    said = error.args[0] if error.args else None
    if isinstance(said, Message):
        return said
    # KeyError's str() quotes its text; the text itself is what there is to say.
    return as_message(str(said if isinstance(error, KeyError) else error))


def as_message(said: Message | str) -> Message:
    """``said`` as a message: text not from the catalogue (a library's) is said as it is."""
    return said if isinstance(said, Message) else io_say.AS_SAID(text=said)


class DataFileError(KsfError):
    """A `DataError` in a data file: printed as ``FILE: data error: …``."""

    def __init__(self, path: Path, error: DataError) -> None:
        self.path = path
        self.error = error
        super().__init__(self.render())

    def render(self, lang: Lang = "en") -> str:
        """``FILE: data error: …`` in ``lang``."""
        return say.DATA_IN_FILE(path=self.path, error=self.error.render(lang)).text(lang)


@contextlib.contextmanager
def in_file(path: Path) -> Iterator[None]:
    """Reading ``path``: a `DataError` is raised as a `DataFileError`, ``FILE: data error: …``.

    The readers name the file at the start of their messages (``empty.csv: the file is
    empty``); it moves to the front, so every data error starts the same way.
    """
    try:
        yield
    except DataFileError:
        raise
    except DataError as error:
        moved = DataError(
            as_message(unfiled(error.said, str(path))),
            column=error.column,
            names_column=error.names_column,
            rows=error.rows,
            labels=error.labels,
            table=error.table,
            noun=error.noun,
            checks=error.checks,
        )
        raise DataFileError(path, moved) from None


def compute_payroll(
    args: argparse.Namespace, progress: Progress, err: TextIO
) -> tuple[Rulebook, dict[str, AnyArray], Payroll]:
    """Load the rules, read the data, check the columns the cards read, and evaluate.

    The rule file's warnings (those ``ksf check`` prints) and the warnings about the data
    (a column a file definition hides) go to ``err``; they never stop the payroll.

    Raises:
        DataFileError: a data error, naming the file and the employees.
        UsageError: an unknown ``--id`` column, bad ``--param``, unknown file format.
    """
    book = ksf.load(args.file)
    data_path = Path(args.data)
    period = period_option(args.period)
    data = read_inputs(args, [book], progress, err)
    scalars = params(args.param)
    try:
        with progress.stage(say.COMPUTING().text(args.lang or book.program.language or "en")):
            payroll = book.evaluate(
                data,
                card=args.card,
                params=scalars,
                id_column=args.id,
                allow_duplicate_ids=args.allow_duplicate_ids,
                period=period,
            )
    except DataError as error:  # naming employees by the same id column, or file lines
        raise in_data_file(error, data_path, data) from None
    return book, data, payroll


def read_inputs(
    args: argparse.Namespace,
    books: Sequence[Rulebook],
    progress: Progress,
    err: TextIO,
    *,
    check_card: bool = True,
) -> dict[str, AnyArray]:
    """Read ``args.data`` once for ``books``: their warnings, then text where they read numbers.

    ``check_card``: ``--card`` must be a card of every book (a usage error otherwise);
    ``ksf diff`` leaves that to `ksf.diff`, whose error names the book that lacks it.

    Raises:
        DataFileError: a data error, naming the file and the employees.
        UsageError: an unknown ``--id`` column, bad ``--param``, unknown file format.
    """
    scalars = params(args.param)
    data_path = Path(args.data)
    header_ids = [args.id] if args.id else list(ID_COLUMNS)
    sheet_only_in_xlsx(args)
    if args.card is not None and check_card:
        for book in books:
            card_of(book, args.card)
    lang = args.lang or books[0].program.language or "en"
    with progress.stage(say.PARSING(name=data_path.name).text(lang)), in_file(data_path):
        data = io.read_data(
            data_path,
            format=args.input_format,
            sheet=args.sheet,
            keep_text=header_ids,
            opener=progress.opener(),
        )
    if all(len(column) == 0 for column in data.values()):
        raise DataFileError(data_path, DataError(say.NO_DATA_ROWS()))
    ids = _id_column(data, args.id)
    for book in books:
        for warning in (*book.warnings, *book.check_data(data, scalars)):
            error_text(warning.render(lang), err)
        _numbers_where_read(book, data, args.card, ids, data_path, data)
    return data


def in_data_file(error: DataError, path: Path, data: Mapping[str, AnyArray]) -> DataFileError:
    """A data error of evaluating ``data``, read from ``path``: its file, its employees or lines."""
    return _labelled(error, None, path, data)


def period_option(text: str | None) -> Period | None:
    """``--period``: a month or a quarter, or a usage error saying what is wrong with it."""
    try:
        return period_or_none(text)
    except PeriodError as error:
        raise UsageError(error.said) from None


PERIOD_HELP = "the month (2026-08) or quarter (2026Q3): each card's version in force then"


def book_at(book: Rulebook, text: str | None) -> Rulebook:
    """``--period`` for the commands that look at cards without paying a period: its rulebook."""
    period = period_option(text)
    return book if period is None else book.at(period)


def card_of(book: Rulebook, card: str) -> str:
    """``--card``: a card of the rule file, or a usage error listing them."""
    if card not in book.cards:
        hint = suggest(card, book.cards)
        msg = say.NO_SUCH_CARD(card=card, cards=", ".join(book.cards))
        raise UsageError(common.SUGGESTION(message=msg, hint=hint) if hint else msg)
    return card


def sheet_only_in_xlsx(args: argparse.Namespace) -> None:
    """``--sheet`` goes with an XLSX data file only (the format is a usage error too)."""
    kind = checked(io.data_format, Path(args.data), args.input_format)
    if args.sheet is not None and kind != "xlsx":
        msg = say.NO_SHEETS(sheet=args.sheet, data=args.data, kind=kind)
        raise UsageError(msg)


def checked(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a reader or format check, turning a bad extension into a usage error."""
    try:
        return function(*args, **kwargs)
    except ValueError as error:
        raise UsageError(said_of(error)) from None


def _id_column(data: Mapping[str, AnyArray], name: str | None) -> AnyArray | None:
    """The ``--id`` column, or the first column with a usual id name."""
    if name is None:
        return next((data[k] for k in ID_COLUMNS if k in data), None)
    if name not in data:
        msg = say.NO_SUCH_COLUMN(option="--id", name=name, columns=", ".join(data))
        raise UsageError(msg)
    return data[name]


def _numbers_where_read(
    book: Rulebook,
    data: Mapping[str, AnyArray],
    card: str | None,
    ids: AnyArray | None,
    path: Path,
    table: Mapping[str, AnyArray],
) -> None:
    """Name the rows whose cells are text in a column a card reads as numbers."""
    cards = [card] if card in book.cards else book.cards
    groups = {pool.per for pool in book.program.pools}  # a pool's `per` column may hold text
    programs = [c for c in book.program.cards if c.name in cards]  # every version (§13)
    read = [e for c in programs for ln in c.lines for e in ir.line_inputs(ln)]
    groups |= text_keys(read)  # a decision matrix's text key (LANGUAGE.md 10)
    text = {n for n, c in data.items() if c.dtype != np.float64}
    groups |= swapped_columns(read, set(data) - text, text)  # bind says "swapped" at the call
    groups |= group_keys([*read, *(p.base for p in book.program.pools)])  # and `over team`
    for name in sorted({n for c in cards for n in book.names(c)} - groups):
        column = data.get(name)
        if column is None or column.dtype == np.float64:
            continue
        rows = io.not_numbers(column)
        if rows:
            raise _labelled(text_where_numbers(name, column, rows), ids, path, table)


def _labelled(
    error: DataError, ids: AnyArray | None, path: Path, table: Mapping[str, AnyArray]
) -> DataFileError:
    """The error in ``path``, naming employees by the ``--id`` column when there is one.

    Without an id column, the rows are named by their lines in the file (or sheet rows).
    """
    if ids is not None and error.rows:
        labels = np.asarray(ids)[np.asarray(error.rows)].astype(str).tolist()
        error = DataError(
            error.said,
            column=error.column,
            names_column=error.names_column,
            rows=error.rows,
            labels=labels,
            checks=error.checks,
        )
    elif isinstance(table, io.Table):
        error = _repeats_at_lines(table.locate(error), table)
    return DataFileError(path, error)


def _repeats_at_lines(error: DataError, table: io.Table) -> DataError:
    """An id on several rows (labels that repeat) named once, with its lines in the file.

    ``employees: E1 (lines 2, 5)`` rather than ``E1, E1``: the lines are what a person looks
    for in the file.
    """
    labels = error.labels
    if labels is None or table.lines is None or len(labels) != len(error.rows):
        return error
    if len(set(labels)) == len(labels):
        return error
    lines: dict[str, list[int]] = {}
    for label, row in zip(labels, error.rows, strict=True):
        lines.setdefault(label, []).append(table.lines[row])
    named = {
        label: label if len(at) == 1 else f"{label} ({table.noun} {', '.join(map(str, at))})"
        for label, at in lines.items()
    }
    return DataError(
        error.said,
        column=error.column,
        names_column=error.names_column,
        rows=error.rows,
        labels=[named[label] for label in labels],
        table=error.table,
        noun=error.noun,
        checks=error.checks,
    )


def params(pairs: Sequence[str]) -> dict[str, float]:
    """``--param NAME=NUMBER`` options as a mapping.

    A value reads as a CSV cell does (``1,500,000``, ``33%``), and may also end in ``万``
    (x10,000) as a number in a rule file may: ``150万`` is 1,500,000. A name given twice is
    a usage error: which of the two values was meant is a guess.
    """
    return named_numbers(
        pairs,
        lambda pair: say.PARAM_FORM(pair=repr(pair)),
        lambda name: say.PARAM_TWICE(name=name),
    )


def held_values(pairs: Sequence[str]) -> dict[str, float]:
    """``ksf plot --at NAME=VALUE`` options: values a line's clauses read per row, by name."""
    return named_numbers(
        pairs,
        lambda pair: say.AT_NOT_A_NUMBER(pair=repr(pair)),
        lambda name: say.AT_TWICE(name=name),
    )


def named_numbers(
    pairs: Sequence[str], bad: Callable[[str], Message], twice: Callable[[str], Message]
) -> dict[str, float]:
    """``NAME=NUMBER`` options as a mapping, read as `params` describes.

    ``bad`` and ``twice``: the usage error of a pair that is not ``NAME=NUMBER``, and of a
    name given twice.
    """
    values: dict[str, float] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        number = param_value(value.strip())
        if number is None or not name.strip():
            raise UsageError(bad(pair))
        if name.strip() in values:
            raise UsageError(twice(name.strip()))
        values[name.strip()] = number
    return values


WAN = "万"  # x10,000, as in a rule file (LANGUAGE.md §12): 150万 is 1,500,000


def param_value(text: str) -> float | None:
    """A ``--param`` value: a number as a CSV cell reads it, or a plain one with ``万``."""
    if not text:
        return None
    body = text.removesuffix(WAN)
    if body != text and (not body or body.endswith(("%", " ")) or "e" in body.lower()):
        return None  # 20%万, 万, 150 万, 1e3万: not a number a rule file would accept either
    number = io.cells.parse_numbers(np.array([body]))  # as a CSV cell reads
    if number is None:
        return None
    if body == text:
        return float(number[0])
    # x10,000 as a decimal exponent, read once: 1.15万 is 11500, not 1.15 * 10000 = 11499.99…
    return float(body.replace(",", "") + "e4")
