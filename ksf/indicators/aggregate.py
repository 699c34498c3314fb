"""Raw e-commerce exports → one row per employee, role and period, ready for evaluation.

The flow: every raw table is reduced to SKU × period sums with one `np.bincount` per
measure (``measures.py``, on the code spaces of ``space.py``), then each SKU's sums are
credited to its owners in every role, times their share, with one more `bincount`.
Nothing loops over rows; the only loops are over tables, measures and roles.

Choices a finance lead should know (docs/indicators.md says them in full):

- Prices, fees and ad money are in the row's currency and are converted with the rate of
  the row's month; unit costs are landed costs in the rulebook currency. A missing rate
  is an error, never a guess.
- An SKU with rows but no owner in some role is listed in `Summary.unowned` (or raises,
  with ``unowned="error"``): its figures are credited to nobody in that role, visibly,
  and `Summary.roles` shows the revenue and cost each role left uncredited.
- Rows dated outside ``start``..``end`` are an error. Windows (launch sales, sell-through,
  slow-moving cover) see only the rows passed, so pass the history they need.
- Columns of a table that was not passed are left out, not filled with zeros, so a rule
  that needs them fails with a clear "needs the column" error instead of paying on zeros.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs
import numpy as np

from ksf._typing import AnyArray, FloatArray, IntArray
from ksf.catalogue import data_tables as say
from ksf.errors import DataError
from ksf.indicators import measures
from ksf.indicators.measures import Window
from ksf.indicators.space import PeriodKind, Space, date_text, sorted_codes
from ksf.indicators.tables import Table
from ksf.message import Say
from ksf.optional import requires

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
KEY_COLUMNS = ("employee", "role", "period", "period_days")


@attrs.frozen
class Unowned:
    """An SKU with rows in the data but no owner in ``role``: its figures went to nobody."""

    role: str
    sku: str
    order_lines: int
    revenue: float


@attrs.frozen
class RoleTotal:
    """What a role's employees were credited, and what no employee of the role was.

    ``revenue + unowned_revenue`` is the revenue of all order lines (the same for cogs):
    the totals reconcile, role by role.
    """

    role: str
    revenue: float
    cogs: float
    unowned_revenue: float
    unowned_cogs: float


@attrs.frozen
class Summary:
    """What an aggregation did not credit, and the totals that prove what it did."""

    currency: str
    period: str
    start: str
    end: str
    periods: tuple[str, ...]
    rows: Mapping[str, int]
    revenue: float
    cogs: float
    roles: tuple[RoleTotal, ...]
    unowned: tuple[Unowned, ...]
    windows: tuple[Window, ...]

    def __str__(self) -> str:
        plural = "s" if len(self.periods) != 1 else ""
        lines = [
            f"{self.rows.get('orders', 0):,} order lines, {self.start} to {self.end}, "
            f"{len(self.periods)} {self.period}{plural}; revenue {self.revenue:,.2f} "
            f"{self.currency}, cost of goods {self.cogs:,.2f}",
        ]
        lines.extend(
            f"  {r.role}: revenue {r.revenue:,.2f} credited, {r.unowned_revenue:,.2f} to nobody"
            for r in self.roles
        )
        if self.unowned:
            lines.append(f"{len(self.unowned)} SKU–role pairs without an owner:")
            lines.extend(
                f"  no {u.role} for {u.sku}: {u.order_lines:,} order lines, "
                f"revenue {u.revenue:,.2f}"
                for u in self.unowned[:20]
            )
            if len(self.unowned) > 20:
                lines.append(f"  … and {len(self.unowned) - 20} more")
        still_open = sum(w.state == "open" for w in self.windows)
        partial = sum(w.state == "partial" for w in self.windows)
        if still_open:
            lines.append(f"{still_open} windows still open at {self.end}: credited later")
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
        with requires("pandas", "to_pandas", "pandas"):
            import pandas as pd
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

    Args:
        orders: order lines (sku, date, qty, price, currency, unit_cost, …).
        owners: sku, role, employee (and an optional share) — an SKU may have several.
        fx: currency, month, rate: one unit of currency is ``rate`` of ``currency``.
        ads: ad reports (sku, date, spend, sales, currency, optional budget).
        inventory: stock snapshots (sku, date, on_hand, unit_cost).
        receipts: stock-ins (sku, date, qty, unit_cost).
        returns: returned units (sku, date, qty).
        complaints: one row per complaint, or a ``count`` column (sku, date).
        reviews: one row per negative review (sku, date, responded_48h as 0/1).
        skus: per SKU, an optional launch_date and reference_cost.
        targets: per employee and period (and optionally role), numeric target columns.
        currency: the rulebook's currency, the one every amount is converted to.
        period: one output row per "month" or per "quarter".
        start: first day (default: the first order line's date).
        end: last day (default: the last order line's date).
        window_days: the length of launch, sell-through and slow-moving windows.
        unowned: "report" SKUs without an owner in the summary, or raise ("error").

    Raises:
        DataError: a missing column, a bad value, a row outside ``start``..``end``, a
            missing exchange rate, bad owner shares, an unknown target (naming the table,
            column and rows), or an unowned SKU with ``unowned="error"``.
        ValueError: a bad argument (period, unowned, window_days, start after end).
    """
    _check_arguments(period, unowned, window_days)
    tables = _tables(
        orders, owners, fx, ads, inventory, receipts, returns, complaints, reviews, skus, targets
    )
    space = Space(tables, currency, period, start, end)
    per_sku, windows = _measure(space, window_days)
    missing = _unowned(space, per_sku)
    if missing and unowned == "error":
        raise _unowned_error(space, missing)
    return Aggregation(_table(space, per_sku), _summary(space, per_sku, missing, windows))


def _check_arguments(period: str, unowned: str, window_days: int) -> None:
    """Refuse a bad ``period``, ``unowned`` or ``window_days`` before any table is read."""
    if period not in ("month", "quarter"):
        msg = f"period must be 'month' or 'quarter', not {period!r}"
        raise ValueError(msg)
    if unowned not in ("report", "error"):
        msg = f"unowned must be 'report' or 'error', not {unowned!r}"
        raise ValueError(msg)
    if window_days < 1:
        msg = f"window_days must be at least 1, not {window_days}"
        raise ValueError(msg)


def _tables(*given: Any) -> dict[str, Table]:
    """The tables passed (in `REQUIRED`'s order, as `aggregate` takes them), checked."""
    return {
        name: Table(name, data, REQUIRED[name], OPTIONAL.get(name, ()))
        for name, data in zip(REQUIRED, given, strict=True)
        if data is not None
    }


def _unowned_error(space: Space, missing: list[Unowned]) -> DataError:
    """The error for SKU–role pairs without an owner (``unowned="error"``), at the first."""
    first = missing[0]
    msg = say.UNOWNED(count=len(missing), role=first.role, sku=first.sku)
    code = int(np.searchsorted(space.sku_labels, first.sku))
    return space.tables["orders"].error(msg, "sku", space.sku["orders"] == code)


def _summary(
    space: Space, per_sku: Mapping[str, FloatArray], missing: list[Unowned], windows: list[Window]
) -> Summary:
    """What the aggregation covered: periods, rows per table, totals, roles, gaps, windows."""
    return Summary(
        currency=space.currency,
        period=space.period,
        start=date_text(space.start),
        end=date_text(space.end),
        periods=space.period_labels,
        rows={name: t.n_rows for name, t in space.tables.items()},
        revenue=float(per_sku["revenue"].sum()),
        cogs=float(per_sku["cogs"].sum()),
        roles=_role_totals(space, per_sku),
        unowned=tuple(missing),
        windows=tuple(windows),
    )


def _measure(space: Space, window: int) -> tuple[dict[str, FloatArray], list[Window]]:
    """Every SKU × period measure the tables passed allow, and the windows left open."""
    found = measures.order_measures(space)
    windows: list[Window] = []
    if "ads" in space.tables:
        found.update(measures.ad_measures(space))
    found.update(measures.event_measures(space))
    if "inventory" in space.tables:
        stock = measures.inventory_measures(space, found["revenue"], found["cogs"], window)
        found.update(stock)
    if "receipts" in space.tables:
        received, notes = measures.receipt_measures(space, window)
        found.update(received)
        windows += notes
    if "skus" in space.tables and space.tables["skus"].has("launch_date"):
        launched, notes = measures.launch_measures(space, window)
        found.update(launched)
        windows += notes
    return found, windows


def _table(space: Space, per_sku: Mapping[str, FloatArray]) -> dict[str, AnyArray]:
    """The output table: key columns, every measure credited to owners, then targets."""
    n_rows = space.n_entities * space.n_periods
    table: dict[str, AnyArray] = {
        "employee": np.repeat(space.entity_employee, space.n_periods),
        "role": np.repeat(space.entity_role, space.n_periods),
        "period": np.tile(np.asarray(space.period_labels, dtype=str), space.n_entities),
        "period_days": np.tile(space.period_days, space.n_entities),
    }
    for name, values in per_sku.items():
        # NaN (a period without a stock snapshot) survives crediting: unknown stays unknown.
        table[name] = space.credit(values).reshape(n_rows)
    if "targets" in space.tables:
        table.update(_targets(space, space.tables["targets"]))
    return table


def _unowned(space: Space, per_sku: Mapping[str, FloatArray]) -> list[Unowned]:
    active = np.zeros(space.n_sku, dtype=bool)
    for name in space.day:
        active[space.sku[name]] = True
    lines = per_sku["orders"].sum(axis=1)
    revenue = per_sku["revenue"].sum(axis=1)
    return [
        Unowned(role, str(space.sku_labels[s]), int(lines[s]), float(revenue[s]))
        for r, role in enumerate(space.role_labels.tolist())
        for s in np.flatnonzero(active & ~space.owned[r]).tolist()
    ]


def _role_totals(space: Space, per_sku: Mapping[str, FloatArray]) -> tuple[RoleTotal, ...]:
    revenue = space.credit(per_sku["revenue"]).sum(axis=1)
    cogs = space.credit(per_sku["cogs"]).sum(axis=1)
    sku_revenue = per_sku["revenue"].sum(axis=1)
    sku_cogs = per_sku["cogs"].sum(axis=1)
    totals = []
    for r, role in enumerate(space.role_labels.tolist()):
        mine = space.entity_role == role
        nobody = ~space.owned[r]
        totals.append(
            RoleTotal(
                role,
                float(revenue[mine].sum()),
                float(cogs[mine].sum()),
                float(sku_revenue[nobody].sum()),
                float(sku_cogs[nobody].sum()),
            )
        )
    return tuple(totals)


def _targets(space: Space, targets: Table) -> dict[str, FloatArray]:
    """Each numeric target column joined on (employee, period[, role]); NaN where none."""
    employee = _lookup(targets, "employee", space.employee_labels, say.UNKNOWN_EMPLOYEES)
    labels = np.asarray(space.period_labels, dtype=str)
    period = _lookup(targets, "period", labels, say.UNKNOWN_PERIODS)
    n_roles = len(space.role_labels)
    if targets.has("role"):
        role = _lookup(targets, "role", space.role_labels, say.UNKNOWN_ROLES)
        keys = employee * n_roles + role
        entity = np.searchsorted(space.entity_keys, keys)
        found = space.entity_keys[np.minimum(entity, space.n_entities - 1)] == keys
        if not found.all():
            msg = say.OWNS_NO_SKU_IN_ROLE()
            raise targets.error(msg, "role", ~found)
        source = np.arange(targets.n_rows)
    else:  # the same target on each of the employee's roles
        roles_of = space.entity_keys // n_roles
        low = np.searchsorted(roles_of, employee, side="left")
        counts = np.searchsorted(roles_of, employee, side="right") - low
        source = np.repeat(np.arange(targets.n_rows), counts)
        entity = (
            low[source] + np.arange(len(source)) - np.repeat(np.cumsum(counts) - counts, counts)
        )
    destination = entity * space.n_periods + period[source]
    _, first, repeats = np.unique(destination, return_index=True, return_counts=True)
    if (repeats > 1).any():
        again = np.unique(source[np.isin(destination, destination[first[repeats > 1]])])
        msg = say.TARGET_TWICE()
        raise targets.error(msg, "period", again)
    joined: dict[str, FloatArray] = {}
    for column in targets.raw:
        if column not in KEY_COLUMNS:
            values = np.full(space.n_entities * space.n_periods, np.nan)
            values[destination] = targets.numbers(column)[source]
            joined[column] = values
    return joined


def _lookup(table: Table, column: str, labels: AnyArray, unknown: Say) -> IntArray:
    """The index of each row's value in ``labels`` (sorted); unknown values are an error."""
    codes, own = sorted_codes(*table.keys(column))
    at = np.minimum(np.searchsorted(labels, own), max(len(labels) - 1, 0))
    known = labels[at] == own if len(labels) else np.zeros(len(own), dtype=bool)
    if not known[codes].all():
        msg = unknown(first=labels[0], last=labels[-1]) if column == "period" else unknown()
        raise table.error(msg, column, ~known[codes])
    return np.asarray(at[codes], dtype=np.intp)
