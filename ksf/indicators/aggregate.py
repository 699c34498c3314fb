"""Raw e-commerce exports → one row per employee, role and period, ready for evaluation.

The flow: every raw table is reduced to SKU × period sums with one `np.bincount` per
measure (the key is ``sku * n_periods + period``), then each SKU's sums are credited to its
owners in every role, times their share, with one more `bincount` over the owner rows.
Nothing loops over rows; the only loops are over measures and periods.

Choices a finance lead should know (docs/indicators.md says them in full):

- Money is converted to the rulebook currency with the rate of the row's month; costs are
  already in the rulebook currency. A missing rate is an error, never a guess.
- An SKU without an owner in some role is listed in `Summary.unowned` (or raises, with
  ``unowned="error"``): its figures are credited to nobody in that role, visibly.
- Rows dated outside ``start``..``end`` are an error: windows (launch sales, sell-through,
  slow-moving cover) see only the rows passed, so pass the history they need.
- Columns of a table that was not passed are left out, not filled with zeros, so a rule
  that needs them fails with a clear "needs the column" error instead of paying on zeros.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs
import numpy as np

from ksf._typing import AnyArray, BoolArray, FloatArray, IntArray
from ksf.errors import DataError
from ksf.indicators.tables import Days, Table

PeriodKind = Literal["month", "quarter"]

REQUIRED: Mapping[str, tuple[str, ...]] = {
    "orders": ("sku", "date", "qty", "price", "currency", "unit_cost"),
    "owners": ("sku", "role", "employee"),
    "fx": ("currency", "month", "rate"),
    "ads": ("sku", "date", "spend", "sales", "currency"),
    "inventory": ("sku", "date", "on_hand", "unit_cost"),
    "receipts": ("sku", "date", "qty", "unit_cost"),
    "returns": ("sku", "date", "qty"),
    "complaints": ("sku", "date"),
    "reviews": ("sku", "date", "responded_48h"),
    "skus": ("sku",),
    "targets": ("employee", "period"),
}
OPTIONAL: Mapping[str, tuple[str, ...]] = {
    "orders": ("marketplace", "shipping", "packaging", "fees", "customer", "shipped_on_time"),
    "owners": ("share",),
    "ads": ("budget",),
    "complaints": ("count",),
    "skus": ("launch_date", "reference_cost"),
    "targets": ("role",),
}
DATED = ("orders", "ads", "inventory", "receipts", "returns", "complaints", "reviews")
SHARE_TOLERANCE = 1e-9


@attrs.frozen
class Unowned:
    """An SKU with rows in the data but no owner in ``role``: its figures went to nobody."""

    role: str
    sku: str
    order_lines: int
    revenue: float


@attrs.frozen
class Window:
    """A launch or sell-through window that the data does not cover whole."""

    kind: str  # "launch" or "sell_through"
    sku: str
    opens: str
    closes: str
    state: str  # "open": closes after `end`, credited nowhere; "partial": opened before `start`


@attrs.frozen
class RoleTotal:
    """Revenue credited to a role's employees against the revenue of the lines it owns."""

    role: str
    credited: float
    owned_lines: float


@attrs.frozen
class Summary:
    """What an aggregation did not credit, and the totals that prove what it did."""

    currency: str
    period: str
    start: str
    end: str
    periods: tuple[str, ...]
    rows: Mapping[str, int]
    unowned: tuple[Unowned, ...]
    windows: tuple[Window, ...]
    revenue: float
    roles: tuple[RoleTotal, ...]

    def __str__(self) -> str:
        lines = [
            f"{self.rows.get('orders', 0):,} order lines, {self.start} to {self.end}, "
            f"{len(self.periods)} {self.period}{'s' if len(self.periods) != 1 else ''}; "
            f"revenue {self.revenue:,.2f} {self.currency}",
        ]
        lines.extend(
            f"  {r.role}: {r.credited:,.2f} credited, {r.owned_lines:,.2f} on owned lines"
            for r in self.roles
        )
        if self.unowned:
            lines.append(
                f"{len(self.unowned)} SKU–role pairs without an owner, credited to nobody:"
            )
            lines.extend(
                f"  {u.role} of {u.sku}: {u.order_lines:,} order lines, revenue {u.revenue:,.2f}"
                for u in self.unowned[:20]
            )
            if len(self.unowned) > 20:
                lines.append(f"  … and {len(self.unowned) - 20} more")
        open_windows = sum(w.state == "open" for w in self.windows)
        partial = sum(w.state == "partial" for w in self.windows)
        if open_windows:
            lines.append(f"{open_windows} windows still open at {self.end}, credited later")
        if partial:
            lines.append(f"{partial} windows opened before {self.start}: only rows passed count")
        return "\n".join(lines)


@attrs.frozen
class Aggregation:
    """The indicator-ready table (column → array) and the summary of what was credited."""

    table: Mapping[str, AnyArray]
    summary: Summary

    def to_pandas(self) -> Any:
        """The table as a pandas DataFrame (pandas extra)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            msg = "to_pandas needs pandas: pip install 'ksf[pandas]'"
            raise ImportError(msg) from None
        return pd.DataFrame(dict(self.table))


def aggregate(
    orders: Any,
    owners: Any,
    *,
    fx: Any = None,
    ads: Any = None,
    inventory: Any = None,
    receipts: Any = None,
    returns: Any = None,
    complaints: Any = None,
    reviews: Any = None,
    skus: Any = None,
    targets: Any = None,
    currency: str = "CNY",
    period: PeriodKind = "month",
    start: str | np.datetime64 | None = None,
    end: str | np.datetime64 | None = None,
    window_days: int = 90,
    unowned: Literal["report", "error"] = "report",
) -> Aggregation:
    """Raw exports → one row per employee, role and period of the indicator columns.

    Each table is a mapping of column → values, a pandas or polars DataFrame or a pyarrow
    Table; docs/indicators.md lists their columns and defines every output column.

    Raises:
        DataError: a missing column, a bad value, a row outside ``start``..``end``, a
            missing exchange rate, bad owner shares, an unknown target (naming the table,
            column and rows), or an unowned SKU with ``unowned="error"``.
    """
    if period not in ("month", "quarter"):
        msg = f"period must be 'month' or 'quarter', not {period!r}"
        raise ValueError(msg)
    if unowned not in ("report", "error"):
        msg = f"unowned must be 'report' or 'error', not {unowned!r}"
        raise ValueError(msg)
    if window_days < 1:
        msg = f"window_days must be at least 1, not {window_days}"
        raise ValueError(msg)
    given = {
        "orders": orders,
        "owners": owners,
        "fx": fx,
        "ads": ads,
        "inventory": inventory,
        "receipts": receipts,
        "returns": returns,
        "complaints": complaints,
        "reviews": reviews,
        "skus": skus,
        "targets": targets,
    }
    tables = {
        name: Table(name, data, REQUIRED[name], OPTIONAL.get(name, ()))
        for name, data in given.items()
        if data is not None
    }
    run = _Run(tables, currency, period, start, end, window_days)
    return run.result(unowned)


class _Run:
    """One aggregation: the shared code spaces (SKUs, periods, owners) and the measures."""

    def __init__(
        self,
        tables: dict[str, Table],
        currency: str,
        period: PeriodKind,
        start: str | np.datetime64 | None,
        end: str | np.datetime64 | None,
        window_days: int,
    ) -> None:
        self.tables = tables
        self.currency = currency
        self.period = period
        self.window = window_days
        self.sku_labels, self.sku = self._sku_codes()
        self.day = {name: tables[name].days("date") for name in DATED if name in tables}
        self.start, self.end = self._range(start, end)
        self._periods()
        self._check_range()
        self.month = {name: self._month_index(days) for name, days in self.day.items()}
        self.rates = self._rates()
        self._owners()
        self.sku_measures: dict[str, FloatArray] = {}
        self.columns: dict[str, FloatArray] = {}
        self.windows: list[Window] = []

    # ---- code spaces ---------------------------------------------------------------------

    def _sku_codes(self) -> tuple[AnyArray, dict[str, IntArray]]:
        local = {name: table.keys("sku") for name, table in self.tables.items() if table.has("sku")}
        labels = np.unique(np.concatenate([lab for _, lab in local.values()]))
        codes = {
            name: np.searchsorted(labels, lab).astype(np.intp)[code]
            for name, (code, lab) in local.items()
        }
        return labels, codes

    def _range(
        self, start: str | np.datetime64 | None, end: str | np.datetime64 | None
    ) -> tuple[int, int]:
        orders = self.day["orders"]
        if (start is None or end is None) and orders.size == 0:
            msg = "there are no order lines; pass start and end to aggregate an empty range"
            raise DataError(msg, table="orders")
        first = _day(start, "start") if start is not None else int(orders.min())
        last = _day(end, "end") if end is not None else int(orders.max())
        if last < first:
            msg = f"end {_date(last)} is before start {_date(first)}"
            raise ValueError(msg)
        return first, last

    def _periods(self) -> None:
        first_month = int(np.datetime64(_date(self.start), "M").astype(np.int64))
        last_month = int(np.datetime64(_date(self.end), "M").astype(np.int64))
        months = np.arange(first_month, last_month + 2, dtype=np.int64)
        self.month_bounds = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        self.first_month = first_month
        if self.period == "month":
            starts = months
            self.period_labels = tuple(str(m) for m in months[:-1].astype("datetime64[M]"))
        else:
            quarters = np.arange(first_month // 3, last_month // 3 + 2, dtype=np.int64)
            starts = quarters * 3
            self.period_labels = tuple(
                f"{1970 + q // 4}Q{q % 4 + 1}" for q in quarters[:-1].tolist()
            )
        self.bounds: Days = starts.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        self.n_periods = len(self.bounds) - 1
        self.period_days = np.diff(self.bounds).astype(np.float64)

    def _period_of(self, days: Days) -> IntArray:
        return np.asarray(np.searchsorted(self.bounds, days, side="right") - 1, dtype=np.intp)

    def _month_index(self, days: Days) -> IntArray:
        return np.asarray(np.searchsorted(self.month_bounds, days, side="right") - 1, dtype=np.intp)

    def _check_range(self) -> None:
        for name, days in self.day.items():
            outside = (days < self.start) | (days > self.end)
            if outside.any():
                msg = (
                    f"{int(outside.sum()):,} rows dated outside {_date(self.start)} .. "
                    f"{_date(self.end)}; pass start and end that cover them, or leave them out"
                )
                raise self.tables[name].error(msg, "date", outside)

    def _rates(self) -> dict[str, FloatArray]:
        """Each selling-side table's rate to the rulebook currency, row by row."""
        selling = [name for name in ("orders", "ads") if name in self.tables]
        keys = {name: self.tables[name].keys("currency") for name in selling}
        fx = self.tables.get("fx")
        fx_labels: AnyArray = np.zeros(0, dtype=str)
        fx_codes: IntArray = np.zeros(0, dtype=np.intp)
        if fx is not None:
            fx_codes, fx_labels = fx.keys("currency")
        labels = np.unique(np.concatenate([fx_labels, *(lab for _, lab in keys.values())]))
        n_months = len(self.month_bounds) - 1
        matrix = np.full((len(labels), n_months), np.nan)
        if fx is not None:
            currency = np.searchsorted(labels, fx_labels)[fx_codes]
            month = fx.months("month") - self.first_month
            rate = fx.numbers("rate")
            if (rate <= 0).any():
                msg = "rates must be greater than 0"
                raise fx.error(msg, "rate", rate <= 0)
            pair = currency * (n_months + 2) + np.clip(month, -1, n_months)
            _, first, counts = np.unique(pair, return_index=True, return_counts=True)
            if (counts > 1).any():
                again = np.isin(pair, pair[first[counts > 1]])
                msg = "more than one rate for a currency and month"
                raise fx.error(msg, "month", again)
            inside = (month >= 0) & (month < n_months)
            matrix[currency[inside], month[inside]] = rate[inside]
        home = np.searchsorted(labels, self.currency)
        if home < len(labels) and labels[home] == self.currency:
            matrix[home] = 1.0
        result: dict[str, FloatArray] = {}
        for name, (code, lab) in keys.items():
            currency = np.searchsorted(labels, lab)[code]
            rate = matrix[currency, self.month[name]]
            missing = np.isnan(rate)
            if missing.any():
                pairs = sorted(
                    {
                        f"{labels[c]} {np.datetime64(self.first_month + m, 'M')}"
                        for c, m in zip(
                            currency[missing][:1000].tolist(),
                            self.month[name][missing][:1000].tolist(),
                            strict=True,
                        )
                    }
                )
                msg = (
                    f"no exchange rate to {self.currency} for "
                    + ", ".join(pairs[:8])
                    + (" …" if len(pairs) > 8 else "")
                    + "; add them to the fx table (currency, month, rate)"
                )
                raise self.tables[name].error(msg, "currency", missing)
            result[name] = rate
        return result

    def _owners(self) -> None:
        owners = self.tables["owners"]
        role_codes, self.role_labels = owners.keys("role")
        employee_codes, employee_labels = owners.keys("employee")
        sku = self.sku["owners"]
        n_roles, n_sku = len(self.role_labels), len(self.sku_labels)
        triple = (employee_codes * n_roles + role_codes) * n_sku + sku
        _, first, counts = np.unique(triple, return_index=True, return_counts=True)
        if (counts > 1).any():
            again = np.isin(triple, triple[first[counts > 1]])
            msg = "the same employee owns an SKU twice in one role"
            raise owners.error(msg, "sku", again)
        if owners.has("share"):
            share = owners.numbers("share")
            if (share <= 0).any():
                msg = "shares must be greater than 0"
                raise owners.error(msg, "share", share <= 0)
        else:
            # Equal parts among the owners of one SKU in one role.
            pair = role_codes * n_sku + sku
            share = 1.0 / np.bincount(pair, minlength=n_roles * n_sku)[pair]
        pair = role_codes * n_sku + sku
        totals = np.bincount(pair, weights=share, minlength=n_roles * n_sku)
        off = np.abs(totals[pair] - 1.0) > SHARE_TOLERANCE
        if off.any():
            msg = "the shares of one SKU in one role must add up to 1"
            raise owners.error(msg, "share", off)
        # Output rows: (employee, role) pairs sorted by employee label, then role.
        entity_key = employee_codes * n_roles + role_codes
        unique_entities, entity = np.unique(entity_key, return_inverse=True)
        entity_employee = employee_labels[unique_entities // n_roles]
        entity_role = self.role_labels[unique_entities % n_roles]
        order = np.lexsort((entity_role, entity_employee))
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        self.entity = rank[np.asarray(entity, dtype=np.intp).reshape(-1)]
        self.entity_employee = entity_employee[order]
        self.entity_role = entity_role[order]
        self.n_entities = len(order)
        self.owner_sku = sku
        self.owner_share = share
        self.owner_role = role_codes
        owned = np.zeros((n_roles, n_sku), dtype=bool)
        owned[role_codes, sku] = True
        self.owned = owned

    # ---- measures ------------------------------------------------------------------------

    def _sku_sum(self, table: str, weights: FloatArray | None) -> FloatArray:
        """Σ weights (or a count) per SKU and period of the rows' dates: (n_sku, n_periods)."""
        period = self._period_of(self.day[table])
        key = self.sku[table] * self.n_periods + period
        size = len(self.sku_labels) * self.n_periods
        sums = np.bincount(key, weights=weights, minlength=size)
        return np.asarray(sums, dtype=np.float64).reshape(len(self.sku_labels), self.n_periods)

    def _credit(self, per_sku: FloatArray) -> FloatArray:
        """SKU × period sums → (employee, role) × period sums, each owner taking its share."""
        parts = self.owner_share[:, None] * per_sku[self.owner_sku]
        key = self.entity[:, None] * self.n_periods + np.arange(self.n_periods)
        size = self.n_entities * self.n_periods
        sums = np.bincount(key.ravel(), weights=parts.ravel(), minlength=size)
        return np.asarray(sums, dtype=np.float64).reshape(self.n_entities, self.n_periods)

    def _add(self, name: str, per_sku: FloatArray) -> None:
        self.sku_measures[name] = per_sku
        self.columns[name] = self._credit(per_sku)

    def _orders(self) -> None:
        orders = self.tables["orders"]
        qty = orders.numbers("qty")
        negative = qty < 0
        if negative.any():
            msg = "negative quantities: returns belong in the returns table"
            raise orders.error(msg, "qty", negative)
        price = orders.numbers("price", minimum=0)
        unit_cost = orders.numbers("unit_cost", minimum=0)
        rate = self.rates["orders"]
        self._add("revenue", self._sku_sum("orders", qty * price * rate))
        self._add("units_sold", self._sku_sum("orders", qty))
        self._add("orders", self._sku_sum("orders", None))
        cogs = self._sku_sum("orders", qty * unit_cost)
        self._add("cogs", cogs)
        self._add("landed_cost", cogs)
        for column in ("shipping", "packaging", "fees"):
            if orders.has(column):
                self._add(column, self._sku_sum("orders", orders.numbers(column) * rate))
        if orders.has("shipped_on_time"):
            self._add("shipments", self.sku_measures["orders"])
            self._add("shipped_on_time", self._sku_sum("orders", orders.flags("shipped_on_time")))
        if orders.has("customer"):
            self._customers(orders)

    def _customers(self, orders: Table) -> None:
        """Distinct (customer, SKU) pairs per period, and those with two or more lines."""
        customer, labels = orders.keys("customer")
        period = self._period_of(self.day["orders"])
        cell = self.sku["orders"] * self.n_periods + period
        pair = cell.astype(np.int64) * len(labels) + customer
        unique, counts = np.unique(pair, return_counts=True)
        cells = unique // len(labels)
        size = len(self.sku_labels) * self.n_periods
        shape = (len(self.sku_labels), self.n_periods)
        self._add("customers", np.bincount(cells, minlength=size).astype(np.float64).reshape(shape))
        repeat = np.bincount(cells, weights=(counts >= 2), minlength=size)
        self._add("repeat_customers", np.asarray(repeat, dtype=np.float64).reshape(shape))

    def _ads(self) -> None:
        ads = self.tables.get("ads")
        if ads is None:
            return
        rate = self.rates["ads"]
        spend = self._sku_sum("ads", ads.numbers("spend", minimum=0) * rate)
        self._add("ad_spend", spend)
        self._add("ad_sales", self._sku_sum("ads", ads.numbers("sales", minimum=0) * rate))
        if ads.has("budget"):
            self._add("ad_budget", self._sku_sum("ads", ads.numbers("budget", minimum=0) * rate))
        self._add("marketing", spend)

    def _simple_counts(self) -> None:
        if (returns := self.tables.get("returns")) is not None:
            self._add("units_returned", self._sku_sum("returns", returns.numbers("qty", minimum=0)))
        if (complaints := self.tables.get("complaints")) is not None:
            count = complaints.numbers("count", minimum=0) if complaints.has("count") else None
            self._add("complaints", self._sku_sum("complaints", count))
        if (reviews := self.tables.get("reviews")) is not None:
            self._add("negative_reviews", self._sku_sum("reviews", None))
            answered = self._sku_sum("reviews", reviews.flags("responded_48h"))
            self._add("reviews_responded_48h", answered)

    def _inventory(self) -> None:
        inventory = self.tables.get("inventory")
        if inventory is None:
            return
        on_hand = inventory.numbers("on_hand", minimum=0)
        value = on_hand * inventory.numbers("unit_cost", minimum=0)
        n_sku, n_periods = len(self.sku_labels), self.n_periods
        snapshot_days, snapshot = np.unique(self.day["inventory"], return_inverse=True)
        snapshot = snapshot.reshape(-1)
        snapshot_period = self._period_of(snapshot_days)
        n_dates = np.bincount(snapshot_period, minlength=n_periods).astype(np.float64)
        # One cell per SKU and snapshot date (several warehouses add up).
        cell_key = self.sku["inventory"].astype(np.int64) * len(snapshot_days) + snapshot
        cells, cell = np.unique(cell_key, return_inverse=True)
        cell = cell.reshape(-1)
        cell_on_hand = np.bincount(cell, weights=on_hand, minlength=len(cells))
        cell_value = np.bincount(cell, weights=value, minlength=len(cells))
        cell_sku = cells // len(snapshot_days)
        cell_snapshot = cells % len(snapshot_days)
        cell_period = snapshot_period[cell_snapshot]
        sku_period = cell_sku * n_periods + cell_period
        size = n_sku * n_periods

        def per_sku(weights: AnyArray, where: BoolArray | None = None) -> FloatArray:
            keys = sku_period if where is None else sku_period[where]
            w = weights if where is None else weights[where]
            sums = np.bincount(keys, weights=w, minlength=size)
            return np.asarray(sums, dtype=np.float64).reshape(n_sku, n_periods)

        no_snapshot = n_dates == 0
        value_sum = per_sku(cell_value)
        self.sku_measures["inventory_value_sum"] = value_sum
        credited = self._credit(value_sum)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.columns["avg_inventory_cost"] = np.where(no_snapshot, np.nan, credited / n_dates)

        last_snapshot = np.full(n_periods, -1, dtype=np.intp)
        np.maximum.at(last_snapshot, snapshot_period, np.arange(len(snapshot_days)))
        closing = cell_snapshot == last_snapshot[cell_period]
        closing_value = per_sku(cell_value, closing)
        closing_on_hand = per_sku(cell_on_hand, closing)
        self.columns["closing_inventory_cost"] = np.where(
            no_snapshot, np.nan, self._credit(closing_value)
        )
        trailing = self._trailing_sales(snapshot_days[np.maximum(last_snapshot, 0)])
        slow = np.where(closing_on_hand > trailing, closing_value, 0.0)
        self.columns["slow_moving_cost"] = np.where(no_snapshot, np.nan, self._credit(slow))
        self.sku_measures["slow_moving_cost"] = slow

        in_stock = per_sku((cell_on_hand > 0).astype(np.float64))
        out_of_stock = n_dates[None, :] - in_stock
        profit = np.maximum(self.sku_measures["revenue"] - self.sku_measures["cogs"], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            lost = np.where(in_stock > 0, profit * out_of_stock / in_stock, 0.0)
        self.sku_measures["stockout_lost_profit"] = lost
        self.columns["stockout_lost_profit"] = np.where(no_snapshot, np.nan, self._credit(lost))

    def _trailing_sales(self, closing_days: Days) -> FloatArray:
        """Units each SKU sold in the ``window`` days up to and including each closing day."""
        edges = np.unique(np.concatenate([closing_days - self.window + 1, closing_days + 1]))
        bucket = np.searchsorted(edges, self.day["orders"], side="right")
        n_buckets = len(edges) + 1
        key = self.sku["orders"] * n_buckets + bucket
        qty = self.tables["orders"].numbers("qty")
        sums = np.bincount(key, weights=qty, minlength=len(self.sku_labels) * n_buckets)
        # cumulative[:, j] = units sold before edges[j]
        cumulative = np.cumsum(sums.reshape(len(self.sku_labels), n_buckets), axis=1)
        upto = np.searchsorted(edges, closing_days + 1)
        since = np.searchsorted(edges, closing_days - self.window + 1)
        return np.asarray(cumulative[:, upto] - cumulative[:, since], dtype=np.float64)

    def _receipts(self) -> None:
        receipts = self.tables.get("receipts")
        if receipts is None:
            return
        qty = receipts.numbers("qty", minimum=0)
        self._add("units_received", self._sku_sum("receipts", qty))
        self._add(
            "purchase_cost",
            self._sku_sum("receipts", qty * receipts.numbers("unit_cost", minimum=0)),
        )
        skus = self.tables.get("skus")
        if skus is not None and skus.has("reference_cost"):
            reference = np.full(len(self.sku_labels), np.nan)
            reference[self.sku["skus"]] = skus.numbers("reference_cost", minimum=0)
            per_row = reference[self.sku["receipts"]]
            lacking = np.isnan(per_row)
            if lacking.any():
                msg = "SKUs received without a reference_cost in the skus table"
                raise receipts.error(msg, "sku", lacking)
            self._add("purchase_reference_cost", self._sku_sum("receipts", qty * per_row))
        # Sell-through window: from each SKU's first stock-in in the data.
        never = np.iinfo(np.int64).max // 2
        first = np.full(len(self.sku_labels), never, dtype=np.int64)
        np.minimum.at(first, self.sku["receipts"], self.day["receipts"])
        received = self._window_sum("receipts", qty, first)
        orders_qty = self.tables["orders"].numbers("qty")
        sold = self._window_sum("orders", orders_qty, first)
        self._add("units_received_window", received)
        self._add("units_sold_window", sold)
        self._note_windows("sell_through", first, first < never)

    def _launch(self) -> None:
        skus = self.tables.get("skus")
        if skus is None or not skus.has("launch_date"):
            return
        never = np.iinfo(np.int64).max // 2
        launch = np.full(len(self.sku_labels), never, dtype=np.int64)
        launch[self.sku["skus"]] = skus.days("launch_date")
        revenue = self.tables["orders"].numbers("qty") * self.tables["orders"].numbers("price")
        revenue = revenue * self.rates["orders"]
        self._add("launch_window_revenue", self._window_sum("orders", revenue, launch))
        self._note_windows("launch", launch, launch < never)

    def _window_sum(self, table: str, weights: FloatArray, opens: Days) -> FloatArray:
        """Σ weights of rows within their SKU's window, credited in the window's last period."""
        day = self.day[table]
        sku = self.sku[table]
        offset = day - opens[sku]
        inside = (offset >= 0) & (offset < self.window)
        closes = opens + self.window - 1
        closes_inside = (closes >= self.start) & (closes <= self.end)
        credited = inside & closes_inside[sku]
        period = self._period_of(closes)[sku]
        key = sku[credited] * self.n_periods + period[credited]
        size = len(self.sku_labels) * self.n_periods
        sums = np.bincount(key, weights=weights[credited], minlength=size)
        return np.asarray(sums, dtype=np.float64).reshape(len(self.sku_labels), self.n_periods)

    def _note_windows(self, kind: str, opens: Days, known: BoolArray) -> None:
        closes = opens + self.window - 1
        open_ = known & (closes > self.end) & (opens <= self.end)
        partial = known & (opens < self.start) & (closes >= self.start)
        for state, mask in (("open", open_), ("partial", partial)):
            for s in np.flatnonzero(mask).tolist():
                self.windows.append(
                    Window(kind, str(self.sku_labels[s]), _date(opens[s]), _date(closes[s]), state)
                )

    # ---- result --------------------------------------------------------------------------

    def result(self, unowned: str) -> Aggregation:
        self._orders()
        self._ads()
        self._simple_counts()
        self._inventory()
        self._receipts()
        self._launch()
        missing = self._unowned()
        if missing and unowned == "error":
            first = missing[0]
            msg = (
                f"{len(missing)} SKU–role pairs have no owner, e.g. no {first.role} for "
                f"SKU {first.sku}; add them to the owners table"
            )
            orders = self.tables["orders"]
            rows = np.isin(self.sku["orders"], np.searchsorted(self.sku_labels, first.sku))
            raise orders.error(msg, "sku", rows)
        n_rows = self.n_entities * self.n_periods
        table: dict[str, AnyArray] = {
            "employee": np.repeat(self.entity_employee, self.n_periods),
            "role": np.repeat(self.entity_role, self.n_periods),
            "period": np.tile(np.asarray(self.period_labels, dtype=str), self.n_entities),
            "period_days": np.tile(self.period_days, self.n_entities),
        }
        for name, values in self.columns.items():
            table[name] = values.reshape(n_rows)
        self._targets(table)
        summary = Summary(
            currency=self.currency,
            period=self.period,
            start=_date(self.start),
            end=_date(self.end),
            periods=self.period_labels,
            rows={name: t.n_rows for name, t in self.tables.items()},
            unowned=tuple(missing),
            windows=tuple(self.windows),
            revenue=float(self.sku_measures["revenue"].sum()),
            roles=self._role_totals(),
        )
        return Aggregation(table, summary)

    def _unowned(self) -> list[Unowned]:
        active = np.zeros(len(self.sku_labels), dtype=bool)
        for name in self.day:
            active[self.sku[name]] = True
        lines = self.sku_measures["orders"].sum(axis=1)
        revenue = self.sku_measures["revenue"].sum(axis=1)
        return [
            Unowned(role, str(self.sku_labels[s]), int(lines[s]), float(revenue[s]))
            for r, role in enumerate(self.role_labels.tolist())
            for s in np.flatnonzero(active & ~self.owned[r]).tolist()
        ]

    def _role_totals(self) -> tuple[RoleTotal, ...]:
        revenue = self.columns["revenue"].sum(axis=1)
        per_sku = self.sku_measures["revenue"].sum(axis=1)
        totals = []
        for r, role in enumerate(self.role_labels.tolist()):
            credited = float(revenue[self.entity_role == role].sum())
            totals.append(RoleTotal(role, credited, float(per_sku[self.owned[r]].sum())))
        return tuple(totals)

    def _targets(self, table: dict[str, AnyArray]) -> None:
        targets = self.tables.get("targets")
        if targets is None:
            return
        employee_codes, employee_labels = targets.keys("employee")
        period_codes, period_labels = targets.keys("period")
        employee = employee_labels[employee_codes]
        known_employee = np.isin(employee, self.entity_employee)
        if not known_employee.all():
            msg = "targets for employees who own no SKU (not in the owners table)"
            raise targets.error(msg, "employee", ~known_employee)
        period_index = {label: i for i, label in enumerate(self.period_labels)}
        lookup = np.array([period_index.get(str(p), -1) for p in period_labels], dtype=np.intp)
        period = lookup[period_codes]
        if (period < 0).any():
            msg = f"periods outside {self.period_labels[0]} .. {self.period_labels[-1]}"
            if self.period == "quarter":
                msg += " (quarters are written 2026Q3)"
            raise targets.error(msg, "period", period < 0)
        source, destination = self._target_rows(targets, employee, period)
        keys = {"employee", "period", "role"}
        for column in targets.raw:
            if column in keys:
                continue
            values = targets.numbers(column)
            joined = np.full(len(table["employee"]), np.nan)
            joined[destination] = values[source]
            table[column] = joined

    def _target_rows(
        self, targets: Table, employee: AnyArray, period: IntArray
    ) -> tuple[IntArray, IntArray]:
        """Which target row (source) fills which output row (destination)."""
        # Entities are sorted by employee, then role: an employee's rows are one run.
        low = np.searchsorted(self.entity_employee, employee, side="left")
        high = np.searchsorted(self.entity_employee, employee, side="right")
        if targets.has("role"):
            role_codes, role_labels = targets.keys("role")
            role = role_labels[role_codes]
            runs = np.arange(self.n_entities)
            entity_role = self.entity_role
            # Within the employee's run, the role's position (roles are sorted in the run).
            found = np.full(targets.n_rows, -1, dtype=np.intp)
            for candidate in range(int((high - low).max(initial=0))):  # roles per employee
                at = np.minimum(low + candidate, self.n_entities - 1)
                hit = (low + candidate < high) & (entity_role[at] == role)
                found = np.where(hit, runs[at], found)
            if (found < 0).any():
                msg = "the employee has no SKU in that role"
                raise targets.error(msg, "role", found < 0)
            source = np.arange(targets.n_rows)
            destination = found * self.n_periods + period
        else:
            counts = high - low
            source = np.repeat(np.arange(targets.n_rows), counts)
            offsets = np.cumsum(counts) - counts
            entity = low[source] + (np.arange(len(source)) - offsets[source])
            destination = entity * self.n_periods + period[source]
        _, first, repeats = np.unique(destination, return_index=True, return_counts=True)
        if (repeats > 1).any():
            again = np.unique(source[np.isin(destination, destination[first[repeats > 1]])])
            msg = "more than one target row for an employee and period"
            raise targets.error(msg, "period", again)
        return source, destination


def _day(value: str | np.datetime64, what: str) -> int:
    try:
        return int(np.asarray(value, dtype="datetime64[D]").astype(np.int64))
    except ValueError:
        msg = f"{what} must be a date like 2026-07-31, not {value!r}"
        raise ValueError(msg) from None


def _date(day: int | np.integer[Any]) -> str:
    return str(np.datetime64(int(day), "D"))
