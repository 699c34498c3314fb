"""`ksf.diff`: what a new version of a plan pays each employee, against the old (§14, 测算).

Both rulebooks are evaluated on the same data, so row ``i`` of one payroll is row ``i`` of
the other; every amount is then compared in whole rounding units (cents, `ksf.money`), so a
card's cost change is exactly the sum of its employees' changes, and the plan's the sum of
its cards'. A line that only one rulebook has is a change like any other (0 on the side
that lacks it); a card no row uses is listed, not refused. What cannot be compared is an
error: two currencies (`PlanMismatchError`), and rows whose card one rulebook lacks (a
`DataError` naming that rulebook, the card and the employees).

    >>> import ksf
    >>> old = ksf.compile("card a { base 5000 }", name="old.ksf")
    >>> new = ksf.compile("card a { base 5200 }", name="new.ksf")
    >>> ksf.diff(old, new, {"employee": ["E1", "E2"]}).cost_change
    400.0
"""

from __future__ import annotations

import contextlib
import gc
import math
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

import attrs
import numpy as np

from ksf._typing import AnyArray, FloatArray, IntArray
from ksf.catalogue import diff as say
from ksf.columns import from_data
from ksf.design.diff_explain import card_lines, line_blocks
from ksf.design.diff_values import (
    CardChange,
    EmployeeChange,
    LineChange,
    PlanDiff,
    PlanMismatchError,
)
from ksf.errors import DataError, UnknownCardError
from ksf.explain_figures import line_name
from ksf.explain_words import YUAN, Lang, check_lang
from ksf.ids import ID_COLUMNS, PERIOD_COLUMNS
from ksf.io.cells import ids_text, number_text
from ksf.message import Message
from ksf.money import from_units, round_half_up, to_units
from ksf.payroll import Payroll
from ksf.periods import Period
from ksf.rulebook import Rulebook

__all__ = ["CardChange", "EmployeeChange", "LineChange", "PlanDiff", "PlanMismatchError", "diff"]


def diff(
    old: Rulebook,
    new: Rulebook,
    data: Any,
    *,
    id: str | None = None,  # noqa: A002 - the word the command line uses (--id)
    card: str | None = None,
    params: Mapping[str, float] | None = None,
    lang: Lang | None = None,
    explain: bool = True,
    allow_duplicate_ids: bool = False,
    period: str | Period | None = None,
) -> PlanDiff:
    """Compare what two versions of a plan pay on the same data, to the cent.

    Args:
        old: the plan in force.
        new: the plan proposed.
        data: what `Rulebook.evaluate` takes; both rulebooks are evaluated on it.
        id: the employee id column (``evaluate``'s ``id_column``).
        card: the card every row uses (else the ``card`` column).
        params: scalars the rules name, the same for both.
        lang: the explanations' language (default: the old file's ``language``, else en).
        explain: each changed line's two explanations (`Payroll.explain`); False: "".
        allow_duplicate_ids: ``evaluate``'s: an id on several rows of a period is paid per row.
        period: ``evaluate``'s: the month or quarter whose card versions each file pays by.

    Raises:
        PlanMismatchError: the two rulebooks pay in different currencies.
        DataError: what ``evaluate`` refuses, under either rulebook (the message names
            it); an `UnknownCardError` for rows whose card one rulebook lacks.
        KsfCompileError: a rulebook reads a name the data lacks (its file, line, column).
    """
    before, after = _paid(old, new, data, _Reading(id, card, params, allow_duplicate_ids, period))
    lines = tuple(dict.fromkeys((*before.lines, *after.lines)))  # old's order, then new's
    unit = common_unit(before.rounding, after.rounding)
    language = check_lang(lang or old.program.language or "en")
    found = _Found(before, after, (old, new), lines, unit, language)
    id_name, periods = _row_facts(data, id, len(before))
    cards = _card_changes(old, new, found, employees := found.employees(periods, explain=explain))
    used = {*np.unique(before.cards).tolist(), *np.unique(after.cards).tolist()}
    old_cost, new_cost, cost_change = found.costs()
    return PlanDiff(
        old_name=old.source.name,
        new_name=new.source.name,
        old_hash=old.hash,
        new_hash=new.hash,
        currency=old.currency,
        rounding=unit,
        lang=found.lang,
        id_column=id_name if before.ids is not None else None,
        employees=employees,
        cards=cards,
        old_cost=old_cost,
        new_cost=new_cost,
        cost_change=cost_change,
        cards_only_old=tuple(c for c in old.cards if c not in new.cards and c not in used),
        cards_only_new=tuple(c for c in new.cards if c not in old.cards and c not in used),
        titles=tuple(_titles((after, before), language).items()),
    )


def _titles(payrolls: Sequence[Payroll], lang: Lang) -> dict[str, str]:
    """Each line's heading in ``lang``, from one row of each card (the first payroll's first)."""
    found: dict[str, str] = {}
    for payroll in reversed(payrolls):
        cards = np.asarray(payroll.cards)
        for row in np.unique(cards, return_index=True)[1].tolist():
            found |= {line.name: line_name(line, lang) for line in payroll.trace(row).card.lines}
    return found


def _paid(old: Rulebook, new: Rulebook, data: Any, reading: _Reading) -> tuple[Payroll, Payroll]:
    """Both payrolls of ``data``, once the two rulebooks are known to pay in one currency."""
    _same_currency(old, new)
    return _evaluate(old, data, reading), _evaluate(new, data, reading)


def _same_currency(old: Rulebook, new: Rulebook) -> None:
    """Refuse two currencies; CNY and RMB are one (both 元)."""
    if {old.currency, new.currency} - set(YUAN) and old.currency != new.currency:
        names = {"old": old.source.name, "new": new.source.name}
        currencies = {"old_currency": old.currency, "new_currency": new.currency}
        raise PlanMismatchError(say.OTHER_CURRENCY(**names, **currencies))


def common_unit(first: float, second: float) -> float:
    """The largest unit both rounding units are whole multiples of: (0.01, 1) → 0.01.

    Worked in decimals, so (0.05, 0.02) is 0.01, not a float a hair off it.
    """
    a, b = Decimal(repr(first)), Decimal(repr(second))
    places = max(0, -int(a.as_tuple().exponent), -int(b.as_tuple().exponent))
    scale = Decimal(10) ** places
    return float(Decimal(math.gcd(int(a * scale), int(b * scale))) / scale)


class _Reading(NamedTuple):
    """How both rulebooks read the data: `Rulebook.evaluate`'s arguments but the data."""

    id_column: str | None
    card: str | None
    params: Mapping[str, float] | None
    allow_duplicate_ids: bool
    period: str | Period | None


def _evaluate(book: Rulebook, data: Any, reading: _Reading) -> Payroll:
    """``book.evaluate(data, …)``, a data error saying which rulebook refused the data."""
    try:
        return book.evaluate(data, **reading._asdict())
    except UnknownCardError as error:
        said = say.CARD_NOT_IN_BOOK(book=book.source.name, message=error.said)
        raise _again(error, said) from None
    except DataError as error:
        raise _again(error, say.UNDER_BOOK(book=book.source.name, message=error.said)) from None


def _again(error: DataError, said: Message) -> DataError:
    """The same error, of the same class, saying ``said``."""
    return type(error)(
        said,
        column=error.column,
        rows=error.rows,
        labels=error.labels,
        table=error.table,
        noun=error.noun,
        checks=error.checks,
    )


def _row_facts(data: Any, id_column: str | None, n_rows: int) -> tuple[str | None, Any]:
    """The id column's name, and the period (or month) column as text, where the data has them."""
    columns = from_data(data, keep_text=PERIOD_COLUMNS)
    names = columns.names()
    id_name = id_column or next((c for c in ID_COLUMNS if c in names), None)
    name = next((p for p in PERIOD_COLUMNS if p in names), None)
    if name is None or columns.n_rows != n_rows:
        return id_name, None
    if name in columns.text:
        return id_name, np.asarray(columns.text[name]).astype(str)
    return id_name, number_text(columns.numeric[name])


@attrs.frozen
class _Found:
    """Both payrolls in whole units: every line (lines × rows) and every total."""

    before: Payroll
    after: Payroll
    books: tuple[Rulebook, Rulebook]
    lines: tuple[str, ...]
    unit: float
    lang: Lang
    old_units: FloatArray = attrs.field(init=False)
    new_units: FloatArray = attrs.field(init=False)
    old_total: FloatArray = attrs.field(init=False)
    new_total: FloatArray = attrs.field(init=False)
    change: FloatArray = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        set_ = object.__setattr__  # a frozen class filling its derived fields once
        set_(self, "old_units", _units(self.before, self.lines, self.unit))
        set_(self, "new_units", _units(self.after, self.lines, self.unit))
        set_(self, "old_total", to_units(np.asarray(self.before.total), self.unit))
        set_(self, "new_total", to_units(np.asarray(self.after.total), self.unit))
        set_(self, "change", self.new_total - self.old_total)

    def costs(self) -> tuple[float, float, float]:
        """The old and the new cost of every row, and the change, summed in whole units."""
        sums = np.array([self.old_total.sum(), self.new_total.sum(), self.change.sum()])
        old, new, change = self.money(sums)
        return old, new, change

    def money(self, units: FloatArray) -> list[float]:
        """Whole units as amounts (the float nearest each decimal amount)."""
        amounts: list[float] = from_units(units, self.unit).tolist()
        return amounts

    def employees(self, periods: AnyArray | None, *, explain: bool) -> tuple[EmployeeChange, ...]:
        """One `EmployeeChange` per row, its changed lines found for all rows at once."""
        rows, at = np.nonzero((self.old_units != self.new_units).T)  # each row's, in line order
        starts = np.searchsorted(rows, np.arange(len(self.before) + 1)).tolist()
        moved = _Moved(
            np.asarray(self.lines, dtype=object)[at].tolist(),
            self.money(self.old_units[at, rows]),
            self.money(self.new_units[at, rows]),
            self.money(self.new_units[at, rows] - self.old_units[at, rows]),
        )
        ids = ids_text(self.before)
        who = ids.tolist() if ids is not None else [None] * len(self.before)
        when = periods.tolist() if periods is not None else [None] * len(self.before)
        cards = np.asarray(self.before.cards).tolist()
        old, new = self.money(self.old_total), self.money(self.new_total)
        totals = zip(old, new, self.money(self.change), strict=True)
        with _collector_paused():
            return tuple(
                EmployeeChange(
                    row=row,
                    id=who[row],
                    period=when[row],
                    card=cards[row],
                    old_total=before,
                    new_total=after,
                    change=change,
                    lines=self._lines(row, moved, (starts[row], starts[row + 1]), explain=explain),
                )
                for row, (before, after, change) in enumerate(totals)
            )

    def _lines(
        self, row: int, moved: _Moved, span: tuple[int, int], *, explain: bool
    ) -> tuple[LineChange, ...]:
        start, end = span
        if start == end:
            return ()
        before: dict[str, str] = {}
        after: dict[str, str] = {}
        if explain:
            # A rulebook of one card pays rows without a card column by it, whatever its name.
            old = card_lines(self.books[0], str(self.before.cards[row]))
            new = card_lines(self.books[1], str(self.after.cards[row]))
            before = line_blocks(self.before, row, self.lang, old)
            after = line_blocks(self.after, row, self.lang, new)
        return tuple(
            LineChange(
                line=moved.lines[k],
                old=moved.old[k],
                new=moved.new[k],
                change=moved.change[k],
                old_explanation=before.get(moved.lines[k], ""),
                new_explanation=after.get(moved.lines[k], ""),
            )
            for k in range(start, end)
        )


class _Moved(NamedTuple):
    """Every (row, line) whose amount moved, row by row: names and amounts as Python lists."""

    lines: list[str]
    old: list[float]
    new: list[float]
    change: list[float]


def _units(payroll: Payroll, lines: Sequence[str], unit: float) -> FloatArray:
    """Every line's amounts in whole units (lines × rows); 0 for a line the payroll lacks."""
    found = np.zeros((len(lines), len(payroll)))
    for k, line in enumerate(lines):
        if line in payroll.lines:
            found[k] = to_units(np.asarray(payroll[line]), unit)
    return found


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a diff's many small values are made.

    They hold no cycles, and a collection every few hundred thousand allocations makes
    building a million of them several times slower; the collector's state is restored.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _card_changes(
    old: Rulebook, new: Rulebook, found: _Found, employees: Sequence[EmployeeChange]
) -> tuple[CardChange, ...]:
    """Each card the data uses: counts, median and extremes, costs, lines added and removed."""
    cards = np.asarray(found.before.cards)
    order = [c for c in (*old.cards, *new.cards) if np.any(cards == c)]
    return tuple(
        _card_change(old, new, found, employees, name, np.flatnonzero(cards == name))
        for name in dict.fromkeys(order)
    )


def _card_change(
    old: Rulebook,
    new: Rulebook,
    found: _Found,
    employees: Sequence[EmployeeChange],
    name: str,
    rows: IntArray,
) -> CardChange:
    change = found.change[rows]
    gain, loss = int(np.argmax(change)), int(np.argmin(change))
    medians = [_median(c, found.unit) for c in (change, change[change > 0], change[change < 0])]
    renamed = str(found.after.cards[rows[0]])  # `name`, unless each file has one card
    old_lines, new_lines = card_lines(old, name), card_lines(new, renamed)
    costs = found.money(
        np.array([found.old_total[rows].sum(), found.new_total[rows].sum(), change.sum()])
    )
    label = next((c.label for c in (new.program.card(renamed), old.program.card(name)) if c), "")
    return CardChange(
        card=name,
        label=label or "",
        rows=len(rows),
        winners=int(np.count_nonzero(change > 0)),
        losers=int(np.count_nonzero(change < 0)),
        unchanged=int(np.count_nonzero(change == 0)),
        median_change=medians[0],
        median_gain=medians[1],
        median_loss=medians[2],
        largest_gain=found.money(np.array([max(change[gain], 0.0)]))[0],
        largest_gain_by=employees[int(rows[gain])] if change[gain] > 0 else None,
        largest_loss=found.money(np.array([min(change[loss], 0.0)]))[0],
        largest_loss_by=employees[int(rows[loss])] if change[loss] < 0 else None,
        old_cost=costs[0],
        new_cost=costs[1],
        cost_change=costs[2],
        lines_added=tuple(n for n in new_lines if n not in old_lines),
        lines_removed=tuple(n for n in old_lines if n not in new_lines),
    )


def _median(units: FloatArray, unit: float) -> float:
    """The median of whole units as an amount, half-up to the unit between two (0 of none)."""
    if not len(units):
        return 0.0
    return float(round_half_up(np.array([np.median(units) * unit]), unit)[0])
