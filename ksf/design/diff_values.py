"""The values `ksf.diff` returns: `PlanDiff`, `CardChange`, `EmployeeChange`, `LineChange`.

Frozen attrs values, so the HTML report (LANGUAGE.md §14) or an embedding program reads
the same typed fields the command line prints; amounts are floats holding whole multiples
of the diff's rounding unit, every sum made in whole units (`ksf.design.diff`).
"""

from __future__ import annotations

import attrs

from ksf.catalogue import diff as say
from ksf.errors import KsfError, UnknownCardError
from ksf.explain_words import Lang, line_word
from ksf.message import Message
from ksf.money import unit_decimals

__all__ = ["CardChange", "EmployeeChange", "LineChange", "PlanDiff", "PlanMismatchError"]


class PlanMismatchError(KsfError):
    """Two rulebooks whose amounts cannot be compared at all (two currencies)."""

    def __init__(self, said: Message) -> None:
        self.said = said
        super().__init__(self.render())

    def render(self, lang: Lang = "en") -> str:
        """``error: …`` in ``lang``."""
        return say.PLAN_ERROR(message=self.said).text(lang)


@attrs.frozen(kw_only=True)
class LineChange:
    """One line whose amount differs: both amounts, the change and both explanations.

    An explanation is the line's block of `Payroll.explain` under that rulebook, in the
    diff's language; "" where the row's card has no such line (or explanations were not
    asked for).
    """

    line: str
    old: float
    new: float
    change: float
    old_explanation: str = ""
    new_explanation: str = ""


@attrs.frozen(kw_only=True)
class EmployeeChange:
    """One row of the data: its totals under both rulebooks and the lines that changed."""

    row: int  # 0-based, in data order
    id: str | None  # the employee id as text (None: the data has no id column)
    period: str | None  # the row's period or month column, where the data has one
    card: str
    old_total: float
    new_total: float
    change: float
    lines: tuple[LineChange, ...]  # in payroll line order; empty when nothing changed

    def label(self, lang: Lang = "en") -> str:
        """Who the row is to a person: ``E003 2026-08``, or ``row 4`` (第 5 行) without ids."""
        if self.id is None:
            return say.ROW(row=self.row + (1 if lang == "zh" else 0)).text(lang)
        return self.id if self.period is None else f"{self.id} {self.period}"


@attrs.frozen(kw_only=True)
class CardChange:
    """One card's winners and losers, and its cost under both rulebooks.

    ``largest_gain`` is the largest change above 0 (0 when nobody is paid more) and
    ``largest_loss`` the most negative (0 when nobody is paid less), each with the row
    (the first such row on a tie). ``median_change`` is the median of the rows' changes,
    ``median_gain`` of the winners' and ``median_loss`` of the losers' (0 when there are
    none), each rounded half-up to the unit when it falls between two amounts.
    """

    card: str  # as the old file names it (a file of one card pays rows by it, whatever its name)
    label: str  # the card's display label ("运营推广"), from the new rulebook if it has one
    rows: int
    winners: int
    losers: int
    unchanged: int
    median_change: float
    median_gain: float
    median_loss: float
    largest_gain: float
    largest_gain_by: EmployeeChange | None
    largest_loss: float
    largest_loss_by: EmployeeChange | None
    old_cost: float
    new_cost: float
    cost_change: float
    lines_added: tuple[str, ...]  # lines the new card has and the old one lacks
    lines_removed: tuple[str, ...]


@attrs.frozen(kw_only=True)
class PlanDiff:
    """What `diff` found: every employee, every card, and the plan's cost change.

    Amounts are floats holding whole multiples of ``rounding`` (the finer rounding unit
    of the two rulebooks); every sum was made in whole units, so
    ``sum(e.change for e in employees) == cost_change`` to the unit.
    """

    old_name: str
    new_name: str
    old_hash: str
    new_hash: str
    currency: str
    rounding: float
    lang: Lang
    id_column: str | None
    employees: tuple[EmployeeChange, ...]  # one per data row, in data order
    cards: tuple[CardChange, ...]  # the cards the data uses, in the old file's order
    old_cost: float
    new_cost: float
    cost_change: float
    cards_only_old: tuple[str, ...]  # cards one rulebook has and no row of the data uses
    cards_only_new: tuple[str, ...]
    titles: tuple[tuple[str, str], ...] = ()  # (line, its heading in ``lang``), as explained

    def title(self, line: str, lang: Lang | None = None) -> str:
        """A line's heading as its explanation titles it: 毛利率 for gross_margin in Chinese.

        In another language than the diff's: ksf's own names in ``lang`` (底薪 for base).
        """
        if lang is None or lang == self.lang:
            found = dict(self.titles).get(line)
            if found is not None:
                return found
        return line_word(line, lang or self.lang)

    @property
    def decimals(self) -> int:
        """The places an amount is written to: 2 for 0.01."""
        return unit_decimals(self.rounding)

    @property
    def changed(self) -> tuple[EmployeeChange, ...]:
        """The rows whose total or some line changed, in data order."""
        return tuple(e for e in self.employees if e.lines)

    def card(self, name: str) -> CardChange:
        """One card's summary.

        Raises:
            UnknownCardError: no row of the data uses a card of that name.
        """
        found = next((c for c in self.cards if c.card == name), None)
        if found is None:
            raise UnknownCardError.named(name, [c.card for c in self.cards])
        return found
