"""`Payroll`: the rounded amount of every line for every row, and the totals.

Rows come out exactly as they went in, in order. A payroll keeps the rulebook's content
hash so it can be reproduced, and can explain any row by re-running the same kernels on
that row alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ksf._typing import AnyArray, FloatArray, IntArray
from ksf.money import unit_decimals


class Payroll:
    """The result of `Rulebook.evaluate`.

    Attributes:
        total: each row's total pay (float64), in input order.
        lines: line names, in card order (the union over cards, first seen first).
        cards: each row's card name.
        rulebook_hash: SHA-256 of the rule text that produced this payroll.
        currency: the rulebook's display currency.
        rounding: the rulebook's rounding unit (0.01 unless the file says `rounding`).
        decimals: the places an amount in that unit needs (see `unit_decimals`).
    """

    def __init__(
        self,
        *,
        lines: Sequence[str],
        amounts: FloatArray,
        total: FloatArray,
        card_names: Sequence[str],
        card_codes: IntArray | None,
        rulebook_hash: str,
        currency: str,
        ids: AnyArray | None,
        explainer: Callable[[int], str],
        rounding: float = 0.01,
    ) -> None:
        self.lines: tuple[str, ...] = tuple(lines)
        self._amounts = amounts
        self._amounts.setflags(write=False)
        self.total = total
        self.total.setflags(write=False)
        self._card_names = tuple(card_names)
        self._card_codes = card_codes
        self._cards: AnyArray | None = None
        self.rulebook_hash = rulebook_hash
        self.currency = currency
        self.ids = ids
        self._explainer = explainer
        self._rounding = rounding

    @property
    def rounding(self) -> float:
        """The rounding unit every amount is a whole multiple of: 0.01, 0.001, 0.05, 1…."""
        return self._rounding

    @property
    def decimals(self) -> int:
        """The places written for an amount: 2 for 0.01 and 0.05, 3 for 0.001, 0 for 1."""
        return unit_decimals(self._rounding)

    @property
    def cards(self) -> AnyArray:
        """Each row's card name (built on first use: a 10M-row payroll need not hold it)."""
        if self._cards is None:
            names = np.asarray(self._card_names, dtype=str)
            if self._card_codes is None:
                self._cards = np.broadcast_to(names[:1], (len(self),))
            else:
                self._cards = names[self._card_codes]
        return self._cards

    def __reduce__(self) -> Any:
        # The explainer re-runs rows over the evaluated data: pickling it would ship the
        # whole period's data. Say what to send instead of pickle's "local object" error.
        msg = (
            "a Payroll holds the evaluated data for explain() and does not pickle; send "
            "pay.to_arrow(), pay.to_records() or pay.total and pay[line] between processes"
        )
        raise TypeError(msg)

    def __len__(self) -> int:
        return len(self.total)

    def __getitem__(self, line: str) -> FloatArray:
        """One line's amounts for every row (0 where a row's card lacks the line)."""
        try:
            index = self.lines.index(line)
        except ValueError:
            msg = f"no line {line!r}; the payroll has lines: {', '.join(self.lines)}"
            raise KeyError(msg) from None
        amounts: FloatArray = self._amounts[index]
        return amounts

    def __repr__(self) -> str:
        return (
            f"<Payroll {len(self)} rows × {len(self.lines)} lines, "
            f"total {self.total.sum():,.2f} {self.currency}>"
        )

    def explain(self, row: int) -> str:
        """Every line of one row with the inputs it read and its arithmetic, and the total.

        Args:
            row: 0-based row number in the evaluated data.
        """
        if not -len(self) <= row < len(self):
            msg = f"row {row} is out of range for a payroll of {len(self)} rows"
            raise IndexError(msg)
        return self._explainer(row % len(self))

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per row: id (if the data had one), card, every line and the total."""
        columns = {name: values.tolist() for name, values in self._columns().items()}
        return [
            dict(zip(columns, values, strict=True))
            for values in zip(*columns.values(), strict=True)
        ]

    def to_pandas(self) -> Any:
        """A pandas DataFrame: id (if any), card, one column per line, total."""
        try:
            import pandas as pd
        except ImportError:
            msg = "Payroll.to_pandas needs pandas: pip install 'ksf[pandas]'"
            raise ImportError(msg) from None
        # Copies: the frame is the caller's to change; the payroll's arrays are read-only.
        return pd.DataFrame({k: np.array(v) for k, v in self._columns().items()})

    def to_arrow(self) -> Any:
        """A pyarrow Table with the same columns as `to_pandas`."""
        try:
            import pyarrow as pa
        except ImportError:
            msg = "Payroll.to_arrow needs pyarrow: pip install 'ksf[pyarrow]'"
            raise ImportError(msg) from None
        return pa.table(self._columns())

    def _columns(self) -> dict[str, AnyArray]:
        columns: dict[str, AnyArray] = {}
        if self.ids is not None:
            columns["id"] = np.asarray(self.ids)
        columns["card"] = np.asarray(self.cards)
        for index, name in enumerate(self.lines):
            columns[name] = self._amounts[index]
        columns["total"] = self.total
        return columns
