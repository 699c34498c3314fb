"""The code spaces of one aggregation: SKUs, periods, exchange rates and owners.

Every measure is a `np.bincount` over ``sku * n_periods + period``, so the SKUs of all
tables share one code space (sorted labels), every dated row gets a period index by
`np.searchsorted` on the period bounds, and money rows get the rate of their month from a
currency × month matrix. Owners turn SKU × period sums into (employee, role) × period
sums with one more `bincount`, each owner taking its share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from ksf._typing import AnyArray, FloatArray, IntArray
from ksf.catalogue import data_tables as say
from ksf.errors import DataError
from ksf.indicators.tables import Days, Table

PeriodKind = Literal["month", "quarter"]
DATED = ("orders", "ads", "inventory", "receipts", "returns", "complaints", "reviews")
SELLING = ("orders", "ads")  # the tables whose money is in the row's own currency
SHARE_TOLERANCE = 1e-9


class Space:
    """SKU codes, day numbers, periods, rates and owners, checked once for all measures."""

    def __init__(
        self,
        tables: Mapping[str, Table],
        currency: str,
        period: PeriodKind,
        start: str | np.datetime64 | None,
        end: str | np.datetime64 | None,
    ) -> None:
        self.tables = tables
        self.currency = currency
        self.period = period
        self.sku_labels, self.sku = _sku_codes(tables)
        self.n_sku = len(self.sku_labels)
        if "skus" in tables:  # one row per SKU: a second would silently win
            counts = np.bincount(self.sku["skus"], minlength=self.n_sku)
            again = counts[self.sku["skus"]] > 1
            if again.any():
                msg = say.SKU_TWICE()
                raise tables["skus"].error(msg, "sku", again)
        self.day = {name: tables[name].days("date") for name in DATED if name in tables}
        self._period: dict[str, IntArray] = {}
        self.start, self.end = self._range(start, end)
        self._periods()
        self._check_range()
        labels, matrix = self._rate_matrix()
        self.rates = {name: self._rates(name, labels, matrix) for name in SELLING if name in tables}
        self._owners()

    # ---- periods -------------------------------------------------------------------------

    def _range(
        self, start: str | np.datetime64 | None, end: str | np.datetime64 | None
    ) -> tuple[int, int]:
        orders = self.day["orders"]
        if (start is None or end is None) and orders.size == 0:
            raise DataError(say.NO_ORDER_LINES(), table="orders")
        first = day_number(start, "start") if start is not None else int(orders.min())
        last = day_number(end, "end") if end is not None else int(orders.max())
        if last < first:
            msg = f"end {date_text(last)} is before start {date_text(first)}"
            raise ValueError(msg)
        return first, last

    def _periods(self) -> None:
        first_month = int(np.datetime64(date_text(self.start), "M").astype(np.int64))
        last_month = int(np.datetime64(date_text(self.end), "M").astype(np.int64))
        self.first_month = first_month
        self.n_months = last_month - first_month + 1
        months = np.arange(first_month, last_month + 2, dtype=np.int64)
        self.month_bounds: Days = _month_starts(months)
        if self.period == "month":
            starts = months
            self.period_labels = tuple(str(m) for m in months[:-1].astype("datetime64[M]"))
        else:
            quarters = np.arange(first_month // 3, last_month // 3 + 2, dtype=np.int64)
            starts = quarters * 3
            self.period_labels = tuple(
                f"{1970 + q // 4}Q{q % 4 + 1}" for q in quarters[:-1].tolist()
            )
        self.bounds: Days = _month_starts(starts)
        self.n_periods = len(self.bounds) - 1
        # Days of each period inside start..end: a rate per day (inventory_days) must not
        # count days the data does not cover.
        first = np.maximum(self.bounds[:-1], self.start)
        last = np.minimum(self.bounds[1:] - 1, self.end)
        self.period_days: FloatArray = (last - first + 1).astype(np.float64)

    def period_of(self, days: Days) -> IntArray:
        """The period index of each day number (days must lie in start..end)."""
        return np.asarray(np.searchsorted(self.bounds, days, side="right") - 1, dtype=np.intp)

    def by_day(self, table: str, of_day: IntArray) -> IntArray:
        """``of_day[d - start]`` for each row's day d: a lookup in a small per-day table.

        Dated rows lie in start..end (checked), so a gather from a table of one entry per
        day replaces a binary search per row.
        """
        return np.asarray(of_day[self.day[table] - self.start], dtype=np.intp)

    def row_period(self, table: str) -> IntArray:
        """The period index of each row of a dated table (computed once per table)."""
        if table not in self._period:
            self._period[table] = self.by_day(table, self.period_of(self.days()))
        return self._period[table]

    def days(self) -> Days:
        """Every day number from start to end."""
        return np.arange(self.start, self.end + 1, dtype=np.int64)

    def _check_range(self) -> None:
        for name, days in self.day.items():
            outside = (days < self.start) | (days > self.end)
            if outside.any():
                msg = say.DATED_OUTSIDE(
                    count=f"{int(outside.sum()):,}",
                    start=date_text(self.start),
                    end=date_text(self.end),
                )
                raise self.tables[name].error(msg, "date", outside)

    # ---- exchange rates ------------------------------------------------------------------

    def _rate_matrix(self) -> tuple[AnyArray, FloatArray]:
        """Currency labels and their currency × month rates (NaN where none is given)."""
        fx = self.tables.get("fx")
        fx_labels: AnyArray = np.zeros(0, dtype=str)
        if fx is not None:
            fx_labels = fx.keys("currency")[1]
        row_labels = [self.tables[n].keys("currency")[1] for n in SELLING if n in self.tables]
        labels = np.unique(np.concatenate([fx_labels, *row_labels, [self.currency]]))
        matrix = np.full((len(labels), self.n_months), np.nan)
        if fx is not None:
            codes, own = fx.keys("currency")
            currency = np.searchsorted(labels, own)[codes]
            month = fx.months("month") - self.first_month
            rate = fx.numbers("rate")
            if (rate <= 0).any():
                msg = say.RATES_POSITIVE()
                raise fx.error(msg, "rate", rate <= 0)
            pair = currency * (self.n_months + 2) + np.clip(month, -1, self.n_months)
            _, first, counts = np.unique(pair, return_index=True, return_counts=True)
            if (counts > 1).any():
                again = np.isin(pair, pair[first[counts > 1]])
                msg = say.RATE_TWICE()
                raise fx.error(msg, "month", again)
            inside = (month >= 0) & (month < self.n_months)
            matrix[currency[inside], month[inside]] = rate[inside]
        # The rulebook currency converts at 1, whatever the fx table says about it.
        matrix[np.searchsorted(labels, self.currency)] = 1.0
        return labels, matrix

    def _rates(self, name: str, labels: AnyArray, matrix: FloatArray) -> FloatArray:
        """The rate of each row of a selling-side table to the rulebook currency."""
        table = self.tables[name]
        codes, own = table.keys("currency")
        row_month = self.by_day(name, np.searchsorted(self.month_bounds, self.days(), "right") - 1)
        currency_of_label = np.searchsorted(labels, own)
        month_rates = matrix[currency_of_label]  # (own labels, months): small
        rate = np.asarray(month_rates[codes, row_month], dtype=np.float64)
        missing = np.isnan(rate)
        if missing.any():
            found = np.unique(codes[missing] * self.n_months + row_month[missing])
            pairs = [
                f"{own[p // self.n_months]} "
                f"{np.datetime64(self.first_month + p % self.n_months, 'M')}"
                for p in found[:9].tolist()
            ]
            listed = ", ".join(pairs[:8]) + (" …" if len(pairs) > 8 else "")
            msg = say.NO_RATE(currency=self.currency, pairs=listed)
            raise table.error(msg, "currency", missing)
        return rate

    # ---- owners --------------------------------------------------------------------------

    def _owners(self) -> None:
        owners = self.tables["owners"]
        role, self.role_labels = sorted_codes(*owners.keys("role"))
        employee, self.employee_labels = sorted_codes(*owners.keys("employee"))
        sku = self.sku["owners"]
        n_roles = len(self.role_labels)
        triple = (employee * n_roles + role) * self.n_sku + sku
        _, first, counts = np.unique(triple, return_index=True, return_counts=True)
        if (counts > 1).any():
            again = np.isin(triple, triple[first[counts > 1]])
            msg = say.OWNS_TWICE()
            raise owners.error(msg, "sku", again)
        pair = role * self.n_sku + sku
        if owners.has("share"):
            share = owners.numbers("share")
            if (share <= 0).any():
                msg = say.SHARES_POSITIVE()
                raise owners.error(msg, "share", share <= 0)
        else:  # equal parts among the owners of one SKU in one role
            share = 1.0 / np.bincount(pair, minlength=n_roles * self.n_sku)[pair]
        totals = np.bincount(pair, weights=share, minlength=n_roles * self.n_sku)
        off = np.abs(totals[pair] - 1.0) > SHARE_TOLERANCE
        if off.any():
            msg = say.SHARES_ADD_UP()
            raise owners.error(msg, "share", off)
        # Output rows: (employee, role) pairs, sorted by employee label, then role label.
        self.entity_keys, entity = np.unique(employee * n_roles + role, return_inverse=True)
        self.entity = np.asarray(entity, dtype=np.intp).reshape(-1)
        self.entity_employee = self.employee_labels[self.entity_keys // n_roles]
        self.entity_role = self.role_labels[self.entity_keys % n_roles]
        self.n_entities = len(self.entity_keys)
        self.owner_sku = sku
        self.owner_share = share
        self.owned = np.zeros((n_roles, self.n_sku), dtype=bool)
        self.owned[role, sku] = True

    # ---- sums ----------------------------------------------------------------------------

    def sku_sum(self, table: str, weights: FloatArray | None) -> FloatArray:
        """Σ weights (or a count) per SKU and period of the rows' dates: (n_sku, n_periods)."""
        return self.sum_at(self.sku[table], self.row_period(table), weights)

    def sum_at(self, sku: IntArray, period: IntArray, weights: FloatArray | None) -> FloatArray:
        """Σ weights (or a count) per SKU and period index: (n_sku, n_periods)."""
        key = sku * self.n_periods + period
        sums = np.bincount(key, weights=weights, minlength=self.n_sku * self.n_periods)
        return np.asarray(sums, dtype=np.float64).reshape(self.n_sku, self.n_periods)

    def credit(self, per_sku: FloatArray) -> FloatArray:
        """SKU × period sums → (employee, role) × period sums, each owner taking its share."""
        parts = self.owner_share[:, None] * per_sku[self.owner_sku]
        key = self.entity[:, None] * self.n_periods + np.arange(self.n_periods)
        size = self.n_entities * self.n_periods
        sums = np.bincount(key.ravel(), weights=parts.ravel(), minlength=size)
        return np.asarray(sums, dtype=np.float64).reshape(self.n_entities, self.n_periods)


def _sku_codes(tables: Mapping[str, Table]) -> tuple[AnyArray, dict[str, IntArray]]:
    """One sorted SKU code space for every table that has a ``sku`` column."""
    local = {name: table.keys("sku") for name, table in tables.items() if table.has("sku")}
    labels = np.unique(np.concatenate([lab for _, lab in local.values()]))
    codes = {
        name: np.searchsorted(labels, lab).astype(np.intp)[code]
        for name, (code, lab) in local.items()
    }
    return labels, codes


def sorted_codes(codes: IntArray, labels: AnyArray) -> tuple[IntArray, AnyArray]:
    """Codes into sorted unique labels (pandas hands over labels in order of appearance)."""
    unique = np.unique(labels)
    return np.searchsorted(unique, labels).astype(np.intp)[codes], unique


def _month_starts(months: Any) -> Days:
    return np.asarray(months).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def day_number(value: str | np.datetime64, what: str) -> int:
    """A date (``"2026-07-31"`` or a datetime64) as days since 1970-01-01."""
    try:
        return int(np.asarray(value, dtype="datetime64[D]").astype(np.int64))
    except ValueError:
        msg = f"{what} must be a date like 2026-07-31, not {value!r}"
        raise ValueError(msg) from None


def date_text(day: int | np.integer[Any]) -> str:
    """A day number as ``2026-07-31``."""
    return str(np.datetime64(int(day), "D"))
