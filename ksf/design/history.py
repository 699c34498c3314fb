"""The history a simulation draws from: each card's rows, its employees, its gross profit.

Refuses what a bootstrap of rows cannot simulate, before anything is drawn: a card with no
history or a single row, and a card whose pay depends on the rest of the month's team (a
pool it shares, a group aggregate it reads).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np

from ksf import ir
from ksf._typing import FloatArray, IntArray
from ksf.catalogue import data_run
from ksf.catalogue import simulate as say
from ksf.columns import Columns
from ksf.errors import DataError, UnknownCardError
from ksf.ids import PERIOD_COLUMNS, ids_of
from ksf.message import Message

LEAST_ROWS = 2
GROSS_PROFIT = "gross_profit"
# Without a gross_profit column: revenue − cogs, the numerator of the standard gross_margin.
GROSS_PROFIT_PARTS = ("revenue", "cogs")


@attrs.frozen
class CardRows:
    """One card to simulate: its rows of history (indices into the data) and its employees."""

    name: str
    rows: IntArray
    employees: int


def chosen_cards(
    cards: tuple[str, ...],
    rows_of: Mapping[str, IntArray],
    columns: Columns,
    employees: int | Mapping[str, int] | None,
    id_column: str | None,
) -> list[CardRows]:
    """The cards with employees, in file order, each with at least `LEAST_ROWS` rows.

    ``employees``: one count for every card, a count per card (a card not named keeps its
    default), or None: each card's employees in the history's latest period (a card without
    a row there has none; a card with no rows at all is refused, unless given 0).
    """
    wanted = _employees(cards, rows_of, columns, employees, id_column)
    chosen = [CardRows(c, rows_of.get(c, np.empty(0, np.int64)), wanted[c])
              for c in cards if wanted[c] > 0]  # fmt: skip
    if not chosen:
        raise DataError(say.NOTHING_TO_SIMULATE())
    for card in chosen:
        if len(card.rows) == 0:
            raise DataError(say.NO_HISTORY(card=card.name), column="card")
        if len(card.rows) < LEAST_ROWS:
            message = say.TOO_SHORT(card=card.name, rows=len(card.rows), least=LEAST_ROWS)
            raise DataError(message, column="card", rows=card.rows)
    return chosen


def _employees(
    cards: tuple[str, ...],
    rows_of: Mapping[str, IntArray],
    columns: Columns,
    employees: int | Mapping[str, int] | None,
    id_column: str | None,
) -> dict[str, int]:
    """Each card's employees: as given, else as many as its rows in the latest period."""
    given: Mapping[str, int] = (
        dict.fromkeys(cards, employees) if isinstance(employees, int) else employees or {}
    )
    unknown = [c for c in given if c not in cards]
    if unknown:
        raise UnknownCardError.named(unknown[0], cards)
    latest = _latest_rows(columns, id_column)
    counts = {}
    for card in cards:
        count = given.get(card)
        if count is None:  # a card with no rows at all is not a card of 0 employees
            rows = rows_of.get(card, np.empty(0, np.int64))
            if len(rows) == 0:
                raise DataError(say.NO_HISTORY(card=card), column="card")
            count = int(np.count_nonzero(latest[rows]))
        if not is_count(count, 0):
            raise ValueError(say.BAD_EMPLOYEES(card=card, count=repr(count)))
        counts[card] = int(count)
    return counts


def is_count(value: object, least: int) -> bool:
    """Whether ``value`` is a whole number (not a bool, not a float) of at least ``least``."""
    whole = isinstance(value, int | np.integer) and not isinstance(value, bool)
    return whole and int(value) >= least  # type: ignore[call-overload]


def _latest_rows(columns: Columns, id_column: str | None) -> np.ndarray:
    """Rows of the latest period (every row without a period column), one per employee id."""
    latest = np.ones(columns.n_rows, dtype=bool)
    period = next((c for c in PERIOD_COLUMNS if c in columns.names()), None)
    if period is not None:
        text = columns.text.get(period)
        values = columns.numeric[period] if text is None else text
        # A missing (NaN) period is no period's, not the last one.
        known = values if text is not None else values[~np.isnan(values)]
        if len(known):
            latest = values == np.unique(known)[-1]
    _, ids = ids_of(columns, id_column)
    if ids is not None:  # an employee on two rows of the period is one employee
        first = np.zeros(columns.n_rows, dtype=bool)
        _, where = np.unique(ids[latest], return_index=True)
        first[np.flatnonzero(latest)[where]] = True
        latest = first
    return latest


def refuse_team_cards(card: ir.Card) -> None:
    """A card whose pay depends on the month's whole team: a pool, a group aggregate."""
    said: Message | None = None
    for line in card.lines:
        if isinstance(line, ir.ShareLine):
            said = say.READS_POOL(pool=line.pool)
        groups = [n for e in ir.line_inputs(line) for n in ir.walk(e) if isinstance(n, ir.Group)]
        if groups and said is None:
            said = say.READS_GROUP(text=groups[0].text)
        if said is not None:
            raise DataError(say.GROUP_CARD(card=card.name, reads=said))


def gross_profit(columns: Columns, rows: IntArray) -> FloatArray | None:
    """Each row's gross profit: the ``gross_profit`` column, else revenue − cogs, else None.

    Raises:
        DataError: a missing or infinite value in the rows drawn from.
    """
    numeric = columns.numeric
    if GROSS_PROFIT in numeric:
        names: tuple[str, ...] = (GROSS_PROFIT,)
        values = numeric[GROSS_PROFIT][rows]
    elif all(c in numeric for c in GROSS_PROFIT_PARTS):
        names = GROSS_PROFIT_PARTS
        values = numeric["revenue"][rows] - numeric["cogs"][rows]
    else:
        return None
    for name in names:
        bad = ~np.isfinite(numeric[name][rows])
        if bad.any():
            what = data_run.IS_MISSING(what=f"`{name}`")
            raise DataError(what, column=name, rows=rows[bad])
    return values
