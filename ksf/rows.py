"""The data's rows before any card runs: the card that pays each, text where one reads a number."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ksf import ir
from ksf._typing import AnyArray, IntArray
from ksf.catalogue import data_rows as say
from ksf.cell_numbers import beyond_exact, not_plain, text_where_numbers
from ksf.columns import Columns
from ksf.errors import DataError, UnknownCardError
from ksf.matrix_args import swapped_columns
from ksf.message import Message
from ksf.spelling import word
from ksf.text_keys import text_codes

# A Chinese file spells `card` 计薪卡; a data column of that name is not the card column.
CARD_WORD = word("card", "zh")


def card_rows(
    columns: Columns, card: str | None, known: tuple[str, ...]
) -> tuple[list[str], IntArray | None]:
    """The cards in use, and each row's index into them (None: every row, one card)."""
    if card is not None:
        if card not in known:
            raise UnknownCardError.named(card, known)
        return [card], None
    if "card" not in columns.text:
        if "card" in columns.numeric and columns.n_rows == 0:
            # An empty export's card column (an empty list, an empty object column)
            # has no text to tell it from numbers; no rows need no cards.
            return [], None
        if "card" in columns.numeric:
            raise DataError(say.CARD_COLUMN_NUMBERS(), column="card")
        if len(known) == 1:
            return [known[0]], None
        spelt = say.CARD_COLUMN_SPELT(column=CARD_WORD) if CARD_WORD in columns.names() else ""
        raise DataError(say.NO_CARD_COLUMN(spelt=spelt, cards=", ".join(known)))
    names, inverse = _card_codes(columns.text["card"])
    unknown = [str(n) for n in names if str(n) not in known]
    if unknown:
        bad = np.isin(columns.text["card"], unknown)
        more = say.IDS_MORE(count=f"{len(unknown) - 5:,}") if len(unknown) > 5 else ""
        empty = say.AN_EMPTY_CELL()
        cards = [repr(u) if u else empty for u in unknown[:5]]
        raise UnknownCardError(
            say.UNKNOWN_CARDS(cards=_listed(cards), more=more, known=", ".join(known)),
            column="card",
            rows=np.flatnonzero(bad),
        )
    return [str(n) for n in names], (None if len(names) == 1 else inverse)


def _card_codes(cards: AnyArray) -> tuple[AnyArray, IntArray]:
    """The card names in sorted order and each row's index into them.

    `np.unique` sorts the strings themselves: 5.5 s of 6.5 s for 10M mixed-card rows. The
    names are hashed instead (`text_codes`), and only the few distinct ones are sorted, so
    the order (and so the payroll) is what `np.unique` gives.
    """
    codes, count, _ = text_codes(cards)
    some_row = np.zeros(count, dtype=np.intp)
    some_row[codes] = np.arange(len(codes))
    names = cards[some_row]
    order = np.argsort(names, kind="stable")
    rank = np.empty(count, dtype=np.intp)
    rank[order] = np.arange(count)
    return names[order], rank[codes]


def refuse_text_read_as_numbers(
    program: ir.Program, columns: Columns, cards: Iterable[str]
) -> None:
    """Name the rows whose cells are text in a column the cards (or their pools) read as numbers."""
    chosen = set(cards)
    read: list[ir.Expr] = []
    pools: set[str] = set()
    for card in program.cards:
        if card.name in chosen:
            read += [e for line in card.lines for e in ir.line_inputs(line)]
            pools |= {ln.pool for ln in card.lines if isinstance(ln, ir.ShareLine)}
    read += [p.base for p in program.pools if p.name in pools]
    # A decision matrix's text key reads its column as text (LANGUAGE.md 10).
    names = {n.name for e in read for n in ir.walk(e) if isinstance(n, ir.Free)}
    names -= text_keys(read)
    # A matrix call whose text and number columns look swapped: bind says so, at the call.
    names -= swapped_columns(read, columns.numeric, columns.text)
    for name in sorted(names & set(columns.text)):
        column = columns.text[name]
        rows = not_plain(column)
        if rows:
            raise text_where_numbers(name, column, rows)
        too_large = beyond_exact(name, column)  # integers past 2**53, kept as text
        if too_large is not None:
            raise too_large


def text_keys(exprs: Iterable[ir.Expr]) -> set[str]:
    """The names decision matrices read as text columns (LANGUAGE.md 10), not as numbers."""
    return {
        arg.name
        for expr in exprs
        for node in ir.walk(expr)
        if isinstance(node, ir.MatrixLookup)
        for key, arg in enumerate(node.args)
        if isinstance(arg, ir.Free) and node.table.may_be_text(key)
    }


def _listed(items: list[Message | str]) -> Message | str:
    """Items joined by commas, each written in the message's language."""
    listed = items[-1]
    for item in reversed(items[:-1]):
        listed = say.LISTED(first=item, rest=listed)
    return listed
