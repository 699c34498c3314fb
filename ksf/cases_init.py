"""``ksf test --init``: a case sheet pre-filled from a payroll, for HR to check and edit.

The sheet has the id, name, card and period columns the data has, the columns the cards
read (and no other: a column that no card needs is left out), one ``expected_`` column per
line of the payroll (blank where a case's card has no such line), ``expected_total`` and an
empty ``note``. The amounts are the current payroll's: HR replaces each with the figure
worked out by hand, and ``ksf test`` then says where the rules and the hand disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ksf._typing import AnyArray
from ksf.case_check import line_title
from ksf.codegen import line_names
from ksf.errors import KsfCompileError
from ksf.explain_words import Lang
from ksf.ids import ID_COLUMNS, PERIOD_COLUMNS
from ksf.payroll import Payroll
from ksf.rulebook import Rulebook

KEPT = (*ID_COLUMNS, "card", *PERIOD_COLUMNS)


def read_columns(book: Rulebook, data: Mapping[str, AnyArray], cards: list[str]) -> list[str]:
    """The data's columns the cases need: ids, card, period, and what the cards read.

    A name a card reads is kept; of the other columns, each is dropped when the cards still
    bind without it (a standard indicator's inputs, such as revenue and cogs, stay).
    """
    read = {name for card in cards for name in book.names(card)}
    needed = [c for c in data if c in KEPT or c in read]
    others = [c for c in data if c not in needed]
    kept = list(others)
    for column in others:  # a loop over columns, each a bind of the cards' names
        trial = [c for c in kept if c != column]
        try:
            book.check_columns([*needed, *trial], cards=cards)
        except KsfCompileError:
            continue
        kept = trial
    return [c for c in data if c in needed or c in kept]


def init_sheet(
    book: Rulebook, data: Mapping[str, AnyArray], payroll: Payroll, lang: Lang = "en"
) -> tuple[dict[str, list[Any]], list[str]]:
    """The case sheet's columns, and the names of its amount columns.

    In Chinese the lines ksf names itself are headed as the report shows them
    (``expected_底薪``, ``expected_合计``) and the note column ``备注``.
    """
    known = [*line_names(book.program.cards), "total"]
    cards = np.asarray(payroll.cards).astype(str)
    used = sorted(set(np.unique(cards).tolist()))
    sheet: dict[str, list[Any]] = {
        name: np.asarray(data[name]).tolist() for name in read_columns(book, data, used)
    }
    amounts = []
    for line in payroll.lines:
        has = np.zeros(len(payroll), dtype=bool)
        for card in used:
            found = book.program.card(card)
            if found is not None and line in line_names([found]):
                has |= cards == card
        column = np.where(has, payroll[line], np.nan)
        heading = f"expected_{line_title(line, known, lang)}"
        sheet[heading] = column.tolist()
        amounts.append(heading)
    total = f"expected_{line_title('total', known, lang)}"
    sheet[total] = np.asarray(payroll.total).tolist()
    sheet["备注" if lang == "zh" else "note"] = [None] * len(payroll)
    return sheet, [*amounts, total]
