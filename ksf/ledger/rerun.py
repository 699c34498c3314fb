"""Computing a posted period again, from the stored values with the stored rule text.

`recompute` evaluates the stored values the cards read with the rule text stored under the
posting's hash; `compare` lists every amount that differs from the posting, to the unit
(LANGUAGE.md §13: a past period re-run gives the posted amounts to the cent).
"""

from __future__ import annotations

import attrs
import numpy as np

from ksf._typing import AnyArray
from ksf.ledger.record import Posting, Units, compiled
from ksf.money import from_units, to_units
from ksf.payroll import Payroll


@attrs.frozen
class Difference:
    """One amount that differs: the row, its employee, the line, and both amounts."""

    row: int
    employee: str
    line: str
    posted: float
    now: float


@attrs.frozen
class Rerun:
    """The result of computing a posting again: every difference (none: all as posted)."""

    posting: Posting
    differences: tuple[Difference, ...]

    @property
    def same(self) -> bool:
        """Whether every amount came out as posted."""
        return not self.differences


def recompute(posting: Posting) -> Payroll:
    """The posting's period computed again: its stored values, its stored rule text.

    Each row keeps the card it was posted with (the ``card`` column is set from the
    posting); ids that repeat were accepted when the period was posted, so they are again.
    """
    book = compiled(posting.rule_text, posting.rule_name)
    data: dict[str, AnyArray] = {**posting.numbers, **posting.texts}
    data["card"] = posting.cards
    return book.evaluate(
        data,
        params=dict(posting.params),
        id_column=posting.id_column,
        allow_duplicate_ids=True,
        period=posting.period,
    )


def compare(posting: Posting, again: Payroll) -> Rerun:
    """Every line amount and total of ``again`` that is not the posted one, in units."""
    scale = 10.0**-posting.decimals
    lines = list(dict.fromkeys([*posting.lines, *again.lines, "total"]))
    found: list[Difference] = []
    for line in lines:
        before = _units(posting, line)
        after = _now(again, line, scale)
        for row in np.flatnonzero(before != after).tolist():
            old, new = (float(from_units(np.array([float(x[row])]), scale)[0])
                        for x in (before, after))  # fmt: skip
            found.append(Difference(row, str(posting.ids[row]), line, old, new))
    found.sort(key=lambda d: (d.row, lines.index(d.line)))
    return Rerun(posting, tuple(found))


def _units(posting: Posting, line: str) -> Units:
    if line == "total":
        return posting.totals
    if line not in posting.lines:
        return np.zeros(len(posting), dtype=np.int64)
    units: Units = posting.units[posting.lines.index(line)]
    return units


def _now(again: Payroll, line: str, scale: float) -> Units:
    if line not in again.lines and line != "total":
        return np.zeros(len(again), dtype=np.int64)
    amounts = again.total if line == "total" else again[line]
    units: Units = to_units(amounts, scale).astype(np.int64)
    return units
