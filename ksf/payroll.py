"""`Payroll`: the rounded amount of every line for every row, and the totals.

Rows come out exactly as they went in, in order. A payroll keeps the rulebook's content
hash so it can be reproduced, and can explain any row by re-running the same kernels on
that row alone.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

from ksf._typing import AnyArray, FloatArray, IntArray
from ksf.catalogue import common
from ksf.catalogue import data_rows as say
from ksf.errors import UnknownEmployeeError
from ksf.explain_words import Lang, check_lang
from ksf.message import Message
from ksf.money import unit_decimals
from ksf.optional import requires
from ksf.periods import Period
from ksf.trace import RowTrace

MAX_CANDIDATES = 100_000  # ids compared for "did you mean": difflib costs ~1 µs an id


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
        language: the rule file's ``language`` setting (``"zh"``, ``"en"``), or None: the
            language `explain` writes in when given none.
        period: the period evaluated (``evaluate(period=)``, LANGUAGE.md §13), or None.
        versions: each row's card version: the month it took effect in (``"2026-07"``), or
            ``""`` for a card without versions.
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
        explainer: Callable[[int, Lang], str],
        rounding: float = 0.01,
        id_column: str | None = None,
        index: Any = None,
        tracer: Callable[[int], RowTrace] | None = None,
        language: Lang | None = None,
        period: Period | None = None,
        versions: Sequence[Period | None] = (),
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
        self._id_column = id_column
        self._index = index  # a pandas DataFrame input's index, for to_pandas()
        self._tracer = tracer
        self.language = language
        self.period = period
        # the `effective` month of each card's version, as `card_names` lists the cards (§13)
        self._card_versions = tuple(versions) or (None,) * len(self._card_names)

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

    @property
    def versions(self) -> AnyArray:
        """Each row's card version (§13): its ``effective`` month, ``""`` where it has none."""
        names = np.asarray(["" if v is None else str(v) for v in self._card_versions], dtype=str)
        if self._card_codes is None:
            return np.broadcast_to(names[:1], (len(self),))
        return names[self._card_codes]

    @property
    def versioned(self) -> bool:
        """Whether a row ran a card version with an ``effective`` month (§13)."""
        return any(v is not None for v in self._card_versions)

    def version_of(self, row: int) -> Period | None:
        """The ``effective`` month of the card version row ``row`` was paid by, or None."""
        code = 0 if self._card_codes is None else int(self._card_codes[row])
        return self._card_versions[code] if self._card_versions else None

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

    def explain(
        self,
        row: int | str | None = None,
        *,
        id: Any = None,  # noqa: A002
        lang: Lang | None = None,
    ) -> str:
        """Every line of one row with the inputs it read and its arithmetic, and the total.

        An int is always a 0-based row number, also when the ids are numbers; a str is an
        employee id. For an id that is not a str (an employee number), write ``id=``. An id
        on several rows (data that repeats ids on purpose) explains each of them, in order,
        separated by a blank line, as ``ksf explain --employee`` prints them.

        Args:
            row: the 0-based row number (negative counts from the end), or an employee id
                as text: ``explain("E102")``.
            id: the employee id of the row to explain, of any type: ``explain(id=102)``.
                A number matches a numeric id of equal value, or a text id that reads
                as it (``id=102`` matches ``"102"``).
            lang: ``"en"`` or ``"zh"`` (员工 E102（第 1 行）…合计：3,800.00 元: Chinese counts
                rows from 1); None: the rule file's ``language`` setting, else English.

        Raises:
            IndexError: a row number out of range.
            UnknownEmployeeError: no row has the id (the closest ids are suggested), or the
                payroll has no ids (a `DataError`, and a `KeyError`).
            TypeError: both or neither of ``row`` and ``id``, or a row that is neither an
                int nor a str.
            ValueError: a ``lang`` other than ``"en"`` and ``"zh"``.
        """
        language = check_lang(lang or self.language or "en")
        if (row is None) == (id is None):
            msg = "explain takes a row number or an employee id: explain(0), explain(id='E102')"
            raise TypeError(msg)
        if id is None and isinstance(row, str):
            id = row  # noqa: A001
        if id is not None:
            return "\n\n".join(self._explainer(int(r), language) for r in self._rows_of(id))
        if not isinstance(row, int | np.integer) or isinstance(row, bool):
            msg = (
                f"explain takes a row number (int) or an employee id (str), not "
                f"{type(row).__name__}; for an id of another type write explain(id=...)"
            )
            raise TypeError(msg)
        if not -len(self) <= row < len(self):
            msg = f"row {row} is out of range for a payroll of {len(self)} rows"
            raise IndexError(msg)
        return self._explainer(int(row) % len(self), language)

    def trace(self, row: int) -> RowTrace:
        """The typed trace of one row (0-based): every figure `explain` prints, as values.

        For a layout of one's own (a staff payslip, `ksf.payslip`), rather than parsing
        the text of `explain`.

        Raises:
            IndexError: a row number out of range.
            ValueError: a payroll built without a tracer (not by `Rulebook.evaluate`).
        """
        if self._tracer is None:
            msg = "this payroll keeps no trace: build it with Rulebook.evaluate"
            raise ValueError(msg)
        if not -len(self) <= row < len(self):
            msg = f"row {row} is out of range for a payroll of {len(self)} rows"
            raise IndexError(msg)
        return self._tracer(int(row) % len(self))

    def rows_of(self, value: Any) -> IntArray:
        """The 0-based rows whose employee id is ``value`` (as `explain` finds them).

        Raises:
            UnknownEmployeeError: no row has the id (the closest are suggested), or the
                payroll has no ids.
        """
        return self._rows_of(value)

    def _rows_of(self, value: Any) -> IntArray:
        """The rows whose id is ``value`` (several where the data repeats an id)."""
        if self.ids is None:
            raise UnknownEmployeeError(say.NO_IDS_TO_FIND(employee=repr(value)))
        ids = np.asarray(self.ids)
        rows = np.flatnonzero(_same_id(ids, value))
        if rows.size:
            return rows
        said = say.NO_ROW_WITH_ID(employee=repr(value))
        close = suggested(_close_ids(ids, str(value)))
        if close is not None:
            said = common.SUGGESTION(message=said, hint=close)
        raise UnknownEmployeeError(said, column=self._id_column)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per row: id (if the data had one), card, every line and the total."""
        columns = {name: values.tolist() for name, values in self._columns().items()}
        return [
            dict(zip(columns, values, strict=True))
            for values in zip(*columns.values(), strict=True)
        ]

    def to_pandas(self, *, index: Literal["input", "range", "id"] = "input") -> Any:
        """A pandas DataFrame: id (if any), card, one column per line, total.

        Args:
            index: ``"input"`` (the default): a pandas DataFrame input's own index, so
                ``df.join(pay.to_pandas())`` lines each payslip up with its row, whatever
                the index; 0, 1, 2 … for any other input. ``"range"``: 0, 1, 2 … always.
                ``"id"``: the employee ids (the ``id`` column becomes the index).
        """
        with requires("pandas", "Payroll.to_pandas", "pandas"):
            import pandas as pd
        if index not in ("input", "range", "id"):
            msg = f"index must be 'input', 'range' or 'id', not {index!r}"
            raise ValueError(msg)
        if index == "id" and self.ids is None:
            msg = "index='id' needs employee ids: evaluate(..., id_column=...)"
            raise ValueError(msg)
        # Copies: the frame is the caller's to change; the payroll's arrays are read-only.
        frame = pd.DataFrame({k: np.array(v) for k, v in self._columns().items()})
        if index == "id":
            return frame.set_index("id")
        if index == "input" and self._index is not None:
            frame.index = self._index
        return frame

    def to_polars(self) -> Any:
        """A polars DataFrame with the same columns as `to_pandas` (polars has no index)."""
        with requires("polars", "Payroll.to_polars", "polars"):
            import polars as pl
        return pl.DataFrame({k: np.array(v) for k, v in self._columns().items()})

    def to_arrow(self) -> Any:
        """A pyarrow Table with the same columns as `to_pandas`."""
        with requires("pyarrow", "Payroll.to_arrow", "pyarrow"):
            import pyarrow as pa
        return pa.table(self._columns())

    def _columns(self) -> dict[str, AnyArray]:
        columns: dict[str, AnyArray] = {}
        if self.ids is not None:
            columns["id"] = np.asarray(self.ids)
        columns["card"] = np.asarray(self.cards)
        if self.versioned:  # the month each row's card version took effect in (§13)
            columns["version"] = np.asarray(self.versions)
        for index, name in enumerate(self.lines):
            columns[name] = self._amounts[index]
        columns["total"] = self.total
        return columns


def _same_id(ids: AnyArray, value: Any) -> Any:
    """Which ids equal ``value``: numbers by value, text by text (``102`` matches ``"102"``)."""
    if ids.dtype.kind in "iuf":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return np.zeros(ids.shape, dtype=bool)
        return ids == number
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 102.0 reads "102", as an employee number is written
    return ids == str(value)


def suggested(close: Sequence[str]) -> Message | None:
    """A "did you mean" naming up to three ids, or None."""
    quoted = [repr(c) for c in close]
    match quoted:
        case []:
            return None
        case [one]:
            return common.DID_YOU_MEAN(name=one)
        case [one, two]:
            return common.DID_YOU_MEAN_2(name=one, other=two)
        case [one, two, three, *_]:
            return common.DID_YOU_MEAN_3(name=one, other=two, third=three)
    return None


def _close_ids(ids: AnyArray, wanted: str) -> list[str]:
    """Up to three ids written like ``wanted`` (difflib), from at most `MAX_CANDIDATES`."""
    text = np.unique(ids.astype(str))
    if text.size > MAX_CANDIDATES:
        lengths = np.char.str_len(text)
        text = text[np.abs(lengths - len(wanted)) <= 1][:MAX_CANDIDATES]
    return difflib.get_close_matches(wanted, text.tolist(), n=3, cutoff=0.6)
