"""The SKU × period measures of an aggregation, one function per raw table.

Each function returns measures as (n_sku, n_periods) arrays of sums, already in the
rulebook currency; `aggregate` credits them to the SKUs' owners. docs/indicators.md
defines every measure and works an example of each window and stock figure.
"""

from __future__ import annotations

import attrs
import numpy as np

from ksf._typing import BoolArray, FloatArray
from ksf.catalogue import data_tables as say
from ksf.indicators.space import Space, date_text
from ksf.indicators.tables import Days, Table

Measures = dict[str, FloatArray]
NEVER = np.iinfo(np.int64).max // 4  # a window-opening day for SKUs that have none


@attrs.frozen
class Window:
    """A launch or sell-through window that the data does not cover whole.

    ``state`` is ``"open"`` when the window closes after ``end`` (credited to no period
    yet: aggregate again once it has closed) or ``"partial"`` when it opened before
    ``start`` (only the rows passed count).
    """

    kind: str  # "launch" or "sell_through"
    sku: str
    opens: str
    closes: str
    state: str


def order_measures(space: Space) -> Measures:
    """Revenue, units, order lines and costs; shipments and customers where given."""
    orders = space.tables["orders"]
    qty = orders.numbers("qty")
    negative = qty < 0
    if negative.any():
        msg = say.NEGATIVE_QUANTITIES()
        raise orders.error(msg, "qty", negative)
    rate = space.rates["orders"]
    price = orders.numbers("price", minimum=0)
    unit_cost = orders.numbers("unit_cost", minimum=0)
    period = space.row_period("orders")
    sku = space.sku["orders"]
    found: Measures = {
        "revenue": space.sum_at(sku, period, qty * price * rate),
        "units_sold": space.sum_at(sku, period, qty),
        "orders": space.sum_at(sku, period, None),
    }
    # Unit costs are landed costs in the rulebook currency (see docs/indicators.md).
    found["cogs"] = space.sum_at(sku, period, qty * unit_cost)
    found["landed_cost"] = found["cogs"]
    for column in ("shipping", "packaging", "fees"):
        if orders.has(column):
            amount = orders.numbers(column, minimum=0) * rate
            found[column] = space.sum_at(sku, period, amount)
    if orders.has("shipped_on_time"):
        found["shipments"] = found["orders"]
        found["shipped_on_time"] = space.sum_at(sku, period, orders.flags("shipped_on_time"))
    if orders.has("customer"):
        found.update(_customers(space, orders))
    return found


def _customers(space: Space, orders: Table) -> Measures:
    """Distinct (customer, SKU) pairs per period, and those with two or more lines."""
    customer, n_customers = orders.codes("customer")
    cell = space.sku["orders"].astype(np.int64) * space.n_periods + space.row_period("orders")
    pair = cell * n_customers + customer
    unique, counts = np.unique(pair, return_counts=True)
    cells = unique // n_customers
    size = space.n_sku * space.n_periods
    shape = (space.n_sku, space.n_periods)
    customers = np.bincount(cells, minlength=size).astype(np.float64).reshape(shape)
    repeat = np.bincount(cells, weights=counts >= 2, minlength=size).reshape(shape)
    return {"customers": customers, "repeat_customers": np.asarray(repeat, dtype=np.float64)}


def ad_measures(space: Space) -> Measures:
    """Ad spend, the sales ads brought in, and the budget where given."""
    ads = space.tables["ads"]
    rate = space.rates["ads"]
    spend = space.sku_sum("ads", ads.numbers("spend", minimum=0) * rate)
    found = {
        "ad_spend": spend,
        "ad_sales": space.sku_sum("ads", ads.numbers("sales", minimum=0) * rate),
        # Ads are the promotion spend the raw exports show; promo_roi reads `marketing`.
        "marketing": spend,
    }
    if ads.has("budget"):
        found["ad_budget"] = space.sku_sum("ads", ads.numbers("budget", minimum=0) * rate)
    return found


def event_measures(space: Space) -> Measures:
    """Returned units, complaints and negative reviews (answered within 48 hours or not)."""
    found: Measures = {}
    if (returns := space.tables.get("returns")) is not None:
        found["units_returned"] = space.sku_sum("returns", returns.numbers("qty", minimum=0))
    if (complaints := space.tables.get("complaints")) is not None:
        count = complaints.numbers("count", minimum=0) if complaints.has("count") else None
        found["complaints"] = space.sku_sum("complaints", count)
    if (reviews := space.tables.get("reviews")) is not None:
        found["negative_reviews"] = space.sku_sum("reviews", None)
        answered = reviews.flags("responded_48h")
        found["reviews_responded_48h"] = space.sku_sum("reviews", answered)
    return found


def inventory_measures(
    space: Space, revenue: FloatArray, cogs: FloatArray, window: int
) -> Measures:
    """Average, closing and slow-moving stock at cost, and the profit lost to stock-outs.

    Snapshot dates are the distinct dates of the inventory table; an SKU without a row on
    a snapshot date had nothing on hand. Several rows of one SKU and date (warehouses) add
    up. Periods without a snapshot get NaN: their stock is unknown, not zero.
    """
    inventory = space.tables["inventory"]
    on_hand = inventory.numbers("on_hand", minimum=0)
    value = on_hand * inventory.numbers("unit_cost", minimum=0)
    dates, snapshot = np.unique(space.day["inventory"], return_inverse=True)
    snapshot = snapshot.reshape(-1)
    snap_period = space.period_of(dates)
    n_dates = np.bincount(snap_period, minlength=space.n_periods).astype(np.float64)
    # One cell per SKU and snapshot date.
    cells, cell = np.unique(space.sku["inventory"] * len(dates) + snapshot, return_inverse=True)
    cell = cell.reshape(-1)
    cell_on_hand = np.asarray(np.bincount(cell, weights=on_hand), dtype=np.float64)
    cell_value = np.asarray(np.bincount(cell, weights=value), dtype=np.float64)
    cell_sku, cell_snap = cells // len(dates), cells % len(dates)
    cell_period = snap_period[cell_snap]

    def per_sku(weights: FloatArray, where: BoolArray) -> FloatArray:
        return space.sum_at(cell_sku[where], cell_period[where], weights[where])

    every = np.ones(len(cells), dtype=bool)
    unknown = np.where(n_dates == 0, np.nan, 0.0)  # adds NaN to periods without a snapshot
    with np.errstate(invalid="ignore", divide="ignore"):
        average = per_sku(cell_value, every) / n_dates + unknown
    last = np.full(space.n_periods, -1, dtype=np.intp)
    np.maximum.at(last, snap_period, np.arange(len(dates)))
    closing = cell_snap == last[cell_period]
    closing_value = per_sku(cell_value, closing)
    closing_on_hand = per_sku(cell_on_hand, closing)
    sold, observed = _trailing_sales(space, dates[np.maximum(last, 0)], window)
    # Cover in days = on hand / (units sold per day over the observed trailing days).
    slow = closing_on_hand * observed > window * sold
    # Stock-outs count from an SKU's first snapshot with stock: before it, it was not on sale.
    in_stock_cell = cell_on_hand > 0
    first = np.full(space.n_sku, len(dates), dtype=np.intp)
    np.minimum.at(first, cell_sku[in_stock_cell], cell_snap[in_stock_cell])
    lo = np.searchsorted(snap_period, np.arange(space.n_periods), side="left")
    hi = np.searchsorted(snap_period, np.arange(space.n_periods), side="right")
    eligible = np.clip(hi[None, :] - np.maximum(lo[None, :], first[:, None]), 0, None)
    in_stock = per_sku(in_stock_cell.astype(np.float64), every)
    profit = np.maximum(revenue - cogs, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        lost = np.where(in_stock > 0, profit * (eligible - in_stock) / in_stock, 0.0)
    return {
        "avg_inventory_cost": average,
        "closing_inventory_cost": closing_value + unknown,
        "slow_moving_cost": np.where(slow, closing_value, 0.0) + unknown,
        "stockout_lost_profit": lost + unknown,
    }


def _trailing_sales(space: Space, closing: Days, window: int) -> tuple[FloatArray, FloatArray]:
    """Units each SKU sold in the ``window`` days up to each closing day, and the days seen.

    The days before ``start`` are not in the data, so the trailing window is cut at
    ``start`` and the days actually observed are returned with it.
    """
    opens = np.maximum(closing - window + 1, space.start)
    edges = np.unique(np.concatenate([opens, closing + 1]))
    bucket = space.by_day("orders", np.searchsorted(edges, space.days(), side="right"))
    n_buckets = len(edges) + 1
    key = space.sku["orders"] * n_buckets + bucket
    qty = space.tables["orders"].numbers("qty")
    sums = np.bincount(key, weights=qty, minlength=space.n_sku * n_buckets)
    # before[:, j]: units sold before edges[j].
    before = np.cumsum(sums.reshape(space.n_sku, n_buckets), axis=1)
    upto = np.searchsorted(edges, closing + 1)
    since = np.searchsorted(edges, opens)
    sold = np.asarray(before[:, upto] - before[:, since], dtype=np.float64)
    return sold, (closing - opens + 1).astype(np.float64)


def receipt_measures(space: Space, window: int) -> tuple[Measures, list[Window]]:
    """Stock received and its cost; the sell-through window from each first stock-in."""
    receipts = space.tables["receipts"]
    qty = receipts.numbers("qty", minimum=0)
    found = {
        "units_received": space.sku_sum("receipts", qty),
        "purchase_cost": space.sku_sum("receipts", qty * receipts.numbers("unit_cost", minimum=0)),
    }
    skus = space.tables.get("skus")
    if skus is not None and skus.has("reference_cost"):
        reference = np.full(space.n_sku, np.nan)
        reference[space.sku["skus"]] = skus.numbers("reference_cost", minimum=0)
        per_row = reference[space.sku["receipts"]]
        lacking = np.isnan(per_row)
        if lacking.any():
            msg = say.NO_REFERENCE_COST()
            raise receipts.error(msg, "sku", lacking)
        found["purchase_reference_cost"] = space.sku_sum("receipts", qty * per_row)
    first = np.full(space.n_sku, NEVER, dtype=np.int64)
    np.minimum.at(first, space.sku["receipts"], space.day["receipts"])
    found["units_received_window"] = _window_sum(space, "receipts", qty, first, window)
    sold = space.tables["orders"].numbers("qty")
    found["units_sold_window"] = _window_sum(space, "orders", sold, first, window)
    return found, _windows(space, "sell_through", first, window)


def launch_measures(space: Space, window: int) -> tuple[Measures, list[Window]]:
    """Revenue of each SKU's first ``window`` days after launch, credited when they end."""
    skus = space.tables["skus"]
    launch = np.full(space.n_sku, NEVER, dtype=np.int64)
    days, given = skus.days("launch_date", empty_ok=True)
    launch[space.sku["skus"][given]] = days[given]
    orders = space.tables["orders"]
    revenue = orders.numbers("qty") * orders.numbers("price") * space.rates["orders"]
    found = {"launch_window_revenue": _window_sum(space, "orders", revenue, launch, window)}
    return found, _windows(space, "launch", launch, window)


def _window_sum(
    space: Space, table: str, weights: FloatArray, opens: Days, window: int
) -> FloatArray:
    """Σ weights of rows inside their SKU's window, in the period of the window's last day.

    Windows that close after ``end`` are credited nowhere (yet); see `_windows`.
    """
    sku = space.sku[table]
    offset = space.day[table] - opens[sku]
    closes = opens + window - 1
    closed = (closes >= space.start) & (closes <= space.end)
    credited = (offset >= 0) & (offset < window) & closed[sku]
    period = space.period_of(np.clip(closes, space.start, space.end))
    return space.sum_at(sku[credited], period[sku[credited]], weights[credited])


def _windows(space: Space, kind: str, opens: Days, window: int) -> list[Window]:
    """The windows the data does not cover whole, for the summary."""
    closes = opens + window - 1
    known = opens < NEVER
    still_open = known & (closes > space.end) & (opens <= space.end)
    partial = known & (opens < space.start) & (closes >= space.start)
    return [
        Window(kind, str(space.sku_labels[s]), date_text(opens[s]), date_text(closes[s]), state)
        for state, mask in (("open", still_open), ("partial", partial))
        for s in np.flatnonzero(mask).tolist()
    ]
