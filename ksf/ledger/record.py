"""What the ledger stores of one period's payroll, as typed values: a `Posting`.

`posting_of` takes what it needs from a `ksf.Payroll` (period, ids, cards, card versions,
lines and amounts, the values the cards read, the rule text); the storage (`ksf.ledger.post`)
and the reading back (`ksf.ledger.read`) see only a `Posting`, never a payroll.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import attrs
import numpy as np

from ksf import ir
from ksf._typing import AnyArray, FloatArray
from ksf.catalogue import ledger as say
from ksf.columns import Columns
from ksf.ledger.errors import LedgerError
from ksf.money import from_units, to_units, unit_decimals
from ksf.payroll import Payroll
from ksf.periods import Period
from ksf.rulebook import Rulebook
from ksf.rulebook import compile as compile_rules

Units = np.ndarray[tuple[int, ...], np.dtype[np.int64]]


@attrs.frozen(eq=False)
class Posting:
    """One period's payroll as the ledger keeps it.

    Attributes:
        period: the period the payroll is for.
        ids: each row's employee id, as text.
        cards: each row's card name.
        versions: each row's card version (the ``effective`` month, ``""`` for a card
            without one).
        lines: the line names, in payroll order.
        units: every amount as a whole number of ``10**-decimals`` (cents for 0.01), lines × rows.
        totals: each row's total in the same units.
        decimals: the places of the rounding unit (`ksf.money.unit_decimals`).
        unit: the rounding unit (0.01, 0.05, 1 …).
        currency: the rulebook's currency.
        id_column: the data column the ids came from.
        numbers: the numeric values the cards read, by column name (NaN: missing).
        texts: the text values the cards read (and the id and period columns), by name.
        params: the params the cards read.
        rules: the rule text, its name, and its SHA-256 (`Rulebook.hash`).
    """

    period: Period
    ids: AnyArray
    cards: AnyArray
    versions: AnyArray
    lines: tuple[str, ...]
    units: Units
    totals: Units
    decimals: int
    unit: float
    currency: str
    id_column: str
    numbers: Mapping[str, FloatArray]
    texts: Mapping[str, AnyArray]
    params: Mapping[str, float]
    rule_text: str
    rule_name: str
    rule_hash: str

    def __len__(self) -> int:
        return len(self.ids)

    def amounts(self) -> FloatArray:
        """The amounts (lines × rows) as the float nearest each decimal amount."""
        return from_units(self.units.astype(np.float64), 10.0**-self.decimals)

    def card_versions(self, cards: Sequence[str]) -> list[Period | None]:
        """Each card's version, as `Payroll` takes them (one version of a card per period)."""
        names, rows = np.unique(self.cards, return_index=True)
        first = dict(zip(names.tolist(), rows.tolist(), strict=True))
        written = [self.versions[first[card]] if card in first else "" for card in cards]
        return [Period.parse(str(v)) if v else None for v in written]

    def total_units(self) -> int:
        """The sum of every row's total, in units (exact: integers)."""
        return int(self.totals.sum())


def posting_of(payroll: Payroll, period: str | Period | None = None) -> Posting:
    """The `Posting` of a payroll computed by `Rulebook.evaluate` for a period.

    Args:
        payroll: the payroll; it must have employee ids.
        period: the period, when the payroll does not carry one.

    Raises:
        LedgerError: no period, no ids, or a payroll not computed by `Rulebook.evaluate`.
    """
    found = period if period is not None else payroll.period
    if found is None:
        raise LedgerError(say.NO_PERIOD())
    if payroll.ids is None or payroll.id_column is None:
        raise LedgerError(say.NO_IDS())
    ids = id_text(payroll.ids)
    if payroll.inputs is None:
        raise LedgerError(say.NO_INPUTS())
    decimals = unit_decimals(payroll.rounding)
    scale = 10.0**-decimals
    rows = len(payroll)
    amounts = np.stack([payroll[line] for line in payroll.lines]) if payroll.lines else None
    units = np.zeros((0, rows)) if amounts is None else to_units(amounts, scale)
    inputs = payroll.inputs
    read = _names(compiled(inputs.rules.text, inputs.rules.name))
    numbers, texts = _read(inputs.columns, read | {payroll.id_column, "card"})
    params = {k: float(v) for k, v in inputs.params.items() if k in read}
    return Posting(
        period=Period.parse(found),
        ids=ids,
        cards=np.asarray(payroll.cards).astype(str),
        versions=np.asarray(payroll.versions).astype(str),
        lines=payroll.lines,
        units=units.astype(np.int64),
        totals=to_units(payroll.total, scale).astype(np.int64),
        decimals=decimals,
        unit=payroll.rounding,
        currency=payroll.currency,
        id_column=payroll.id_column,
        numbers=numbers,
        texts=texts,
        params=params,
        rule_text=inputs.rules.text,
        rule_name=inputs.rules.name,
        rule_hash=payroll.rulebook_hash,
    )  # fmt: skip


def id_text(ids: AnyArray) -> AnyArray:
    """Ids as text, as ``ksf.io`` writes them: an employee number 1001, never 1001.0."""
    found = np.asarray(ids)
    if found.dtype.kind != "f":
        return found.astype(str)
    # A missing id (NaN) becomes "nan", which no posted row has: evaluate refuses such rows.
    return np.array([str(int(v)) if v.is_integer() else repr(v) for v in found.tolist()])


@functools.lru_cache(maxsize=16)
def compiled(text: str, name: str) -> Rulebook:
    """The rulebook of a stored rule text (compiled once per text: posts and reads repeat)."""
    return compile_rules(text, name=name)


def _names(book: Rulebook) -> frozenset[str]:
    """Every name the cards read from the data or params, and each ``base by`` column."""
    read = {n for card in book.cards for n in book.names(card)}
    read |= {line.column for card in book.program.cards for line in card.lines
             if isinstance(line, ir.ByLine)}  # fmt: skip
    return frozenset(read)


def _read(
    columns: Columns, keep: frozenset[str]
) -> tuple[dict[str, FloatArray], dict[str, AnyArray]]:
    """The columns named in ``keep`` (those the cards read, the id and card columns)."""
    numbers = {k: v for k, v in columns.numeric.items() if k in keep}
    texts = {k: np.asarray(v).astype(str) for k, v in columns.text.items() if k in keep}
    return numbers, texts
