"""The mistakes a case sheet can hold, found before any case runs (`ksf.cases`).

`check_cases` reads a `ksf.io.read_cases.CaseSheet` against a rulebook: each expected amount
as a decimal to the cent (`amount`), each ``expected_`` column against the cards' lines, the
inputs against what the cards read, the ids against each other. Every mistake is a
`DataError` naming the file, the column and the rows as the sheet shows them; nothing is
skipped or guessed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import numpy as np

from ksf._typing import AnyArray, BoolArray, FloatArray
from ksf.catalogue import cases as say
from ksf.catalogue import common
from ksf.catalogue.cases import TOTAL_LINE
from ksf.codegen import line_names
from ksf.errors import DataError, KsfCompileError, suggest
from ksf.explain_words import Lang
from ksf.ids import ID_COLUMNS, PERIOD_COLUMNS
from ksf.io.cells import object_column
from ksf.io.read_cases import CaseSheet
from ksf.io.table import Table
from ksf.message import Message, text
from ksf.reasons import LINE_TITLES
from ksf.rulebook import Rulebook

__all__ = ["Cases", "amount", "check_cases", "line_title", "located"]

EXPECTED = "expected_"
TEXT, FORMULA, FINE = "text", "formula", "fine"  # why a cell is no expected amount
NOT_INPUTS = frozenset({"note", "备注"})
CARD_WORDS = frozenset({"计薪卡", "卡", "卡片"})  # what a Chinese sheet may call `card`
ZH_EXPECTED = "应发"  # 应发合计: what a Chinese sheet may call an expected amount
# The lines as the Chinese report names them (合计, 底薪, 保底补足), read as the line.
ZH_LINES = {title: name for name, title in LINE_TITLES["zh"].items()} | {
    text(TOTAL_LINE(), "zh"): "total"
}
# An amount as a person types it in a text cell: a sign, a currency sign, thousands
# separators in their places (not `1,2` or a decimal comma `0,285`), a decimal point.
_AMOUNT = re.compile(
    r"(?P<sign>[+-]?)\s*(?:[¥￥$]|CNY|RMB)?\s*(?P<inner>[+-]?)"
    r"(?P<digits>[1-9]\d{0,2}(?:,\d{3})+|\d+)(?P<decimals>\.\d+)?\s*元?"
)
_UNKNOWN_NAME = re.compile(r"unknown name `([^`]+)`")


@attrs.frozen
class Cases:
    """A case sheet checked against a rulebook, ready to run.

    Attributes:
        name: the file.
        data: the inputs as data columns, each row named as the sheet shows it.
        expected: per line (``"total"`` for the total) the expected amounts in whole
            rounding units (cents), and which cases give one (a blank cell checks nothing).
        notes: each case's note ('' when none).
    """

    name: str
    data: Table
    expected: dict[str, tuple[FloatArray, BoolArray]]
    notes: tuple[str, ...]


def check_cases(
    book: Rulebook, sheet: CaseSheet, params: Mapping[str, float] | None = None
) -> Cases:
    """The cases of ``sheet``, checked against ``book`` (and the names of ``params``).

    Raises:
        DataError: no expected column; an ``expected_`` column naming no line (with a
            suggestion); a formula, text or an amount finer than the rounding unit where an
            amount is expected; a case expecting nothing; an input a card reads left out;
            two cases with one id in one card and period. Each names the file, the column
            and the rows as the sheet shows them.
    """
    expected_columns = [c for c in sheet.cells if c.startswith(EXPECTED)]
    _no_near_expected(sheet)
    if not expected_columns:
        raise DataError(say.NO_EXPECTED(file=sheet.name))
    known = [*line_names(book.program.cards), "total"]
    unit = Decimal(repr(book.program.unit))
    expected: dict[str, tuple[FloatArray, BoolArray]] = {}
    for column in expected_columns:
        line = _line_named(column.removeprefix(EXPECTED), known)
        if line in expected:
            said = say.EXPECTED_TWICE(file=sheet.name, column=column, line=line)
            raise DataError(said, column=column, names_column=True)
        if line not in known:
            message = say.UNKNOWN_LINE(file=sheet.name, column=column, lines=", ".join(known))
            # Close by the line's name (the shared prefix would make every column close).
            close = difflib.get_close_matches(line, known, n=3, cutoff=0.6)
            hint = suggest(column, [EXPECTED + k for k in close])
            told = common.SUGGESTION(message=message, hint=hint) if hint else message
            raise DataError(told, column=column, names_column=True)
        expected[line] = _amounts(sheet, column, unit)
    given = np.logical_or.reduce([g for _, g in expected.values()])
    if not given.all():
        raise _at(sheet, say.EXPECTS_NOTHING(file=sheet.name), None, np.flatnonzero(~given))
    data = _inputs(sheet)
    _card_column(book, sheet, data)
    _inputs_read(book, sheet, data, list(params or {}))
    _one_case_an_id(sheet, data)
    notes = tuple("" if c is None else str(c).strip() for c in _note_cells(sheet))
    return Cases(sheet.name, data, expected, notes)


def line_title(line: str, known: list[str], lang: Lang) -> str:
    """How a sheet in ``lang`` names a line: in Chinese as the report does (底薪, 合计).

    A line of the file so named keeps its own name, and so does every line in English.
    """
    if lang != "zh":
        return line
    title = next((t for t, name in ZH_LINES.items() if name == line), line)
    return line if title in known else title


def _line_named(name: str, known: list[str]) -> str:
    """A line as a Chinese sheet may name it, as the report shows it: 合计, 底薪, 保底补足."""
    if name in known:
        return name
    return ZH_LINES.get(name, name)


def _no_near_expected(sheet: CaseSheet) -> None:
    """Refuse ``expect_total``, ``Expected total``, ``应发合计``: as inputs, they check nothing."""
    for column in sheet.cells:
        near = column.lower().replace(" ", "_").replace("-", "_")
        if near.startswith(ZH_EXPECTED) and near != ZH_EXPECTED:
            line = ZH_LINES.get(near.removeprefix(ZH_EXPECTED).strip("_"), "")
            near = "expected_" + (line or near.removeprefix(ZH_EXPECTED).strip("_"))
        if near.startswith("expect") and not column.startswith(EXPECTED):
            line = near.removeprefix("expected").removeprefix("expect").strip("_")
            said = say.NOT_EXPECTED_NAME(file=sheet.name, column=column, name=EXPECTED + line)
            raise DataError(said, column=column, names_column=True)


def _at(
    sheet: CaseSheet, message: Message, column: str | None, rows: Any, *, names_column: bool = True
) -> DataError:
    """An error naming ``rows`` (0-based cases) as the sheet shows them.

    ``names_column``: the message names ``column`` itself (most of a sheet's mistakes do).
    """
    rows = [int(r) for r in rows]
    labels = [str(sheet.rows[r]) for r in rows]
    return DataError(
        message, column=column, rows=rows, labels=labels, noun=sheet.noun, names_column=names_column
    )


def _note_cells(sheet: CaseSheet) -> list[Any]:
    column = next((c for c in NOT_INPUTS if c in sheet.cells), None)
    return sheet.cells[column] if column else [None] * len(sheet.rows)


class _NotAnAmountError(ValueError):
    """A cell that is no amount: ``kind`` says why (text, formula)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def amount(cell: object) -> Decimal | None:
    """An expected amount as written: ``1,234.50``, ``1234.5``, ``¥1,234.50``; None if blank.

    Read as a decimal, so that it compares to the cent exactly.

    Raises:
        ValueError: text, a formula, TRUE/FALSE or a date where an amount is expected.

    Examples:
        >>> amount("¥1,234.50"), amount(1234.5), amount(" "), amount("-1,100")
        (Decimal('1234.50'), Decimal('1234.5'), None, Decimal('-1100'))
    """
    match cell:
        case None:
            return None
        case bool():
            raise _NotAnAmountError(TEXT)
        case int():
            return Decimal(cell)
        case float() if np.isfinite(cell):
            return Decimal(repr(cell))
        case str():
            return _amount_text(cell.strip())
        case _:
            raise _NotAnAmountError(TEXT)


def _amount_text(text: str) -> Decimal | None:
    if not text:
        return None
    if text.startswith("="):
        raise _NotAnAmountError(FORMULA)
    found = _AMOUNT.fullmatch(text)
    if found is None or (found["sign"] and found["inner"]):
        raise _NotAnAmountError(TEXT)
    sign = found["sign"] or found["inner"]
    return Decimal(sign + found["digits"].replace(",", "") + (found["decimals"] or ""))


def _amounts(sheet: CaseSheet, column: str, unit: Decimal) -> tuple[FloatArray, BoolArray]:
    """A column of expected amounts in whole units (cents), and which cells give one."""
    formulas = sheet.formulas.get(column) or [None] * len(sheet.rows)
    bad: dict[str, list[int]] = {FORMULA: [], TEXT: [], FINE: []}
    written: dict[str, str] = {}
    units: list[float] = []
    # A cell at a time, as Decimal: a case sheet is typed by a person (tens to thousands of
    # rows), and the exact decimal reading is the point; the comparison itself is vectorised.
    for k, (cell, formula) in enumerate(zip(sheet.cells[column], formulas, strict=True)):
        try:
            value = amount(cell if formula is None else formula)
        except _NotAnAmountError as error:
            bad[error.kind].append(k)
            written.setdefault(error.kind, str(formula or cell))
            units.append(np.nan)
            continue
        whole = None if value is None else value / unit
        if whole is not None and whole != whole.to_integral_value():
            bad[FINE].append(k)
            written.setdefault(FINE, str(cell))
        units.append(np.nan if whole is None else float(whole))
    _refuse_bad(sheet, column, bad, written, unit)
    values = np.array(units, dtype=np.float64)
    return values, ~np.isnan(values)


def _refuse_bad(
    sheet: CaseSheet, column: str, bad: dict[str, list[int]], written: dict[str, str], unit: Decimal
) -> None:
    said = {FORMULA: say.AMOUNT_FORMULA, TEXT: say.AMOUNT_TEXT}
    for kind, rows in bad.items():
        if not rows:
            continue
        example = written[kind]
        message = (
            say.AMOUNT_TOO_FINE(file=sheet.name, column=column, unit=unit, example=example)
            if kind == FINE
            else said[kind](file=sheet.name, column=column, example=example)
        )
        raise _at(sheet, message, column, rows)


def _inputs(sheet: CaseSheet) -> Table:
    """The sheet's inputs as data columns (read as a data file's cells are)."""
    names = [c for c in sheet.cells if not c.startswith(EXPECTED) and c not in NOT_INPUTS]
    table = Table()
    for name in names:
        try:
            table[name] = object_column(
                sheet.cells[name], name, sheet.name, as_text=name in ID_COLUMNS
            )
        except DataError as error:
            raise located(sheet, error) from None
    table.lines, table.noun = sheet.rows, sheet.noun
    return table


def located(sheet: CaseSheet, error: DataError) -> DataError:
    """A data error about the cases, naming the file and its rows as the sheet shows them."""
    said = error.said
    if not error.message.startswith(sheet.name):
        said = say.IN_SHEET(file=sheet.name, message=said)
    # Rows as the sheet shows them, each with the id the payroll named it by (3 (E02)).
    named = error.labels or [""] * len(error.rows)
    labels = [
        f"{sheet.rows[r]} ({label})" if label else str(sheet.rows[r])
        for r, label in zip(error.rows, named, strict=True)
    ]
    return DataError(
        said,
        column=error.column,
        rows=error.rows,
        labels=labels or None,
        noun=sheet.noun,
        checks=error.checks,
        names_column=error.names_column,
    )


def _cards_of(book: Rulebook, data: Table) -> AnyArray:
    """Each case's card: its ``card`` cell, or the file's one card."""
    if "card" in data:
        return np.asarray(data["card"]).astype(str)
    return np.full(len(data.lines or ()), book.cards[0] if len(book.cards) == 1 else "")


def _card_column(book: Rulebook, sheet: CaseSheet, data: Table) -> None:
    """Refuse a sheet without a ``card`` column when the file has several cards.

    `ksf test` has no ``--card``: the sheet says each case's card.
    """
    if "card" in data or len(book.cards) < 2:
        return
    spelt = next((c for c in data if c in CARD_WORDS), None)
    said = (
        say.CARD_COLUMN_SPELT(file=sheet.name, column=spelt)
        if spelt
        else say.NO_CARD_COLUMN(file=sheet.name, cards=", ".join(book.cards))
    )
    raise DataError(said, column=spelt, names_column=True)


def _inputs_read(book: Rulebook, sheet: CaseSheet, data: Table, params: list[str]) -> None:
    """Refuse a sheet without a column a card of its cases reads (and no such param)."""
    cards = _cards_of(book, data)
    used = [c for c in np.unique(cards).tolist() if c in book.cards]
    try:
        book.check_columns(list(data), params, cards=used)
    except KsfCompileError as error:
        for diagnostic in error.errors:
            found = _UNKNOWN_NAME.search(diagnostic.message)
            if found is None:
                continue
            name = found[1]
            card = next((c for c in used if name in book.names(c)), None)
            if card is None:
                continue
            message = say.INPUT_MISSING(file=sheet.name, card=card, name=name)
            hint = suggest(name, list(data))  # a column typed as `revenu`
            told = common.SUGGESTION(message=message, hint=hint) if hint else message
            # A 毛利率 column where the file computes 毛利率 from 销售额: say why it is not read.
            hidden = [n.name for n in book.program.indicators if n.name in data]
            if hidden:
                shown = ", ".join(f"`{n}`" for n in hidden)
                told = say.COMPUTED_NOT_READ(message=told, columns=shown)
            raise _at(sheet, told, name, np.flatnonzero(cards == card)) from None
        raise


def _one_case_an_id(sheet: CaseSheet, data: Table) -> None:
    """Refuse two cases with one id in one period, on one card or two: which one is meant?

    An id is an employee, paid by one card a period, as in a month's data: the same id on
    two cards is a row copied and half edited far more often than a test of two cards (which
    takes two ids, ``E01-lead``); a ``period`` column lets an id come back each period.
    """
    id_column = next((c for c in ID_COLUMNS if c in data), None)
    if id_column is None:
        return
    key = np.asarray(data[id_column]).astype(str)
    for other in PERIOD_COLUMNS:
        if other in data:
            key = np.char.add(np.char.add(key, "\x00"), np.asarray(data[other]).astype(str))
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    repeated = np.flatnonzero(counts[inverse] > 1)
    if repeated.size:
        ids = ", ".join(dict.fromkeys(np.asarray(data[id_column])[repeated].astype(str).tolist()))
        said = say.DUPLICATE_CASE(file=sheet.name, ids=ids)
        raise _at(sheet, said, id_column, repeated, names_column=False)
