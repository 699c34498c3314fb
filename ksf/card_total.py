"""A card's total on a block of rows: refused when too large to round, topped up to ``min_pay``.

The card run (`ksf.card_run`) adds the block's rounded lines into the total; this module
checks the sum is one float64 can hold to the unit and pays the ``min_pay`` top-up.
"""

from __future__ import annotations

import numpy as np

from ksf._typing import FloatArray, IntArray
from ksf.catalogue import data_run as say
from ksf.code import CardCode
from ksf.errors import DataError
from ksf.frame import global_rows
from ksf.message import Keyword
from ksf.money import MAX_UNITS, is_whole_units, round_half_up, snap


class CardTotal:
    """The total of one card's lines on a block of rows, to the unit."""

    def __init__(self, compiled: CardCode, unit: float) -> None:
        self.compiled = compiled
        self.unit = unit
        min_pay = compiled.card.min_pay
        # Whole lines add up to an exact whole total, so a whole min_pay needs no rounding.
        self.whole_total = all(line.whole_units for line in compiled.lines) and (
            min_pay is None or float(min_pay).is_integer()
        )
        self.whole_min_pay = min_pay is not None and is_whole_units(min_pay, unit)

    def finish(self, block_total: FloatArray, amounts: FloatArray, block: slice | IntArray) -> None:
        """Check the block's sum of rounded lines, snap it to the unit, top it up."""
        self.check_range(block_total, amounts, block)
        if not self.whole_total:
            snap(block_total, self.unit)
        self.top_up(block_total, amounts, block)

    def check_range(
        self, block_total: FloatArray, amounts: FloatArray, block: slice | IntArray
    ) -> None:
        """Refuse totals past what float64 rounds exactly to the unit, or that overflowed.

        One pass over the block's totals (NaN fails both comparisons); the lines are only
        looked at to name the culprit.
        """
        limit = MAX_UNITS * self.unit
        if block_total.size == 0 or (block_total.max() <= limit and block_total.min() >= -limit):
            return
        rows = global_rows(block, np.flatnonzero(~(np.abs(block_total) <= limit)))
        culprit = next(
            (
                code.line.name
                for code in self.compiled.lines
                if not (np.abs(amounts[code.index, rows]) <= limit).all()
            ),
            None,
        )
        card = self.compiled.card.name
        what = say.LINE(line=repr(culprit)) if culprit else say.CARD_TOTAL(card=repr(card))
        said = say.TOO_LARGE_TO_ROUND(
            what=what, limit=f"{limit:,.0f}", unit=f"{self.unit:g}", rounding=Keyword("rounding")
        )
        raise DataError(said, column=culprit, rows=rows)

    def top_up(self, block_total: FloatArray, amounts: FloatArray, block: slice | IntArray) -> None:
        """``min_pay``: the missing part of the total goes into the ``min_pay_topup`` line.

        Only rows below ``min_pay`` (a few percent, usually) are touched: the others keep the
        0 the payroll's arrays start with, and their totals stand.
        """
        min_pay = self.compiled.card.min_pay
        if self.compiled.topup_index is None or min_pay is None:
            return
        low = np.flatnonzero(block_total < min_pay)
        if len(low) == 0:
            return
        short = min_pay - block_total[low]
        if self.whole_min_pay:
            # The total is whole units and so is min_pay: the top-up is their exact difference
            # (snapped to remove float noise) and the new total is min_pay itself.
            if not self.whole_total:
                snap(short, self.unit)
            block_total[low] = min_pay
        else:
            round_half_up(short, self.unit, out=short)
            topped = block_total[low] + short
            snap(topped, self.unit)
            block_total[low] = topped
        amounts[self.compiled.topup_index, global_rows(block, low)] = short
