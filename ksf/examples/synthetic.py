"""A seeded synthetic cross-border seller: raw exports for the demo, the tests and benchmarks.

The seller sells on Amazon US, DE and JP (USD, EUR, JPY) and buys in CNY. Its catalogue
has old SKUs launched before the data starts and new ones launched during it; demand per
SKU is log-normal, so a few hits carry the sales and many duds barely move; the buyer
orders stock up to a forecast, with a minimum order, so duds pile up as slow movers and
hits run out (their demand on those days is lost: no order line). Sales follow the season
(a Q4 peak). Everything is vectorised (the stock simulation steps through days, all SKUs
at once): 10,000,000 order lines take about fifteen seconds on a small machine, and the
same seed always gives the same tables.

`generate` returns the raw tables `ksf.indicators.aggregate` reads, each a dict of
column → NumPy array (or, with ``frames=True``, pandas DataFrames whose key columns are
Categoricals, as a Parquet export would give).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ksf._typing import AnyArray, BoolArray, FloatArray, IntArray
from ksf.money import round_half_up
from ksf.optional import requires

MARKETS = ("US", "DE", "JP")
CURRENCIES = ("USD", "EUR", "JPY")
MARKET_SHARE = (0.55, 0.30, 0.15)
PRICE_FACTOR = (1.0, 0.95, 150.0)  # a USD list price in each marketplace's currency
FX_BASE = (7.10, 7.75, 0.0480)  # CNY per unit, drifting a little month to month
ROLES = ("product_developer", "operator", "supply_chain")
# Seasonality by calendar month (January first): Prime Day in July, the Q4 peak.
SEASON = (0.85, 0.8, 0.9, 0.9, 0.95, 0.95, 1.15, 1.0, 0.95, 1.1, 1.45, 1.6)
Tables = dict[str, Any]
CYCLE = 56  # days between deliveries
MINIMUM_ORDER = 20  # the supplier's minimum order quantity (最小起订量)


def employees() -> dict[str, tuple[str, ...]]:
    """The team: three employees per role, ids E001..E009 as in the demo."""
    return {role: tuple(f"E{3 * r + i + 1:03d}" for i in range(3)) for r, role in enumerate(ROLES)}


def generate(
    *,
    seed: int = 0,
    skus: int = 120,
    months: int = 6,
    order_lines: int = 50_000,
    start: str = "2026-04-01",
    period: str = "month",
    frames: bool = False,
) -> Tables:
    """The raw exports of ``months`` months from ``start``: orders, ads, stock and the rest.

    Args:
        seed: the random seed; the same seed gives the same tables.
        skus: the number of SKUs (at least 6).
        months: how many calendar months the data covers (at least 1).
        order_lines: the order lines demanded; those that fall on a day their SKU is out
            of stock are lost sales, left out (a few percent).
        start: the first day (the first of a month).
        period: "month" or "quarter": the period labels of the ``targets`` table.
        frames: pandas DataFrames with Categorical keys instead of dicts of arrays.

    Returns:
        orders, owners, fx, ads, inventory, receipts, returns, complaints, reviews, skus and
        targets, plus ``start`` and ``end`` (dates as text) for `aggregate`.
    """
    if skus < 6 or months < 1 or order_lines < 1:
        msg = "generate needs at least 6 SKUs, 1 month and 1 order line"
        raise ValueError(msg)
    rng = np.random.default_rng(seed)
    first = np.datetime64(start, "D")
    last_month = np.datetime64(start, "M") + months
    end = last_month.astype("datetime64[D]") - 1
    n_days = int((end - first).astype(int)) + 1
    catalogue = _catalogue(rng, skus, first, n_days)
    orders, line = _orders(rng, catalogue, first, n_days, order_lines)
    stock, sold = _stock(rng, catalogue, orders["qty"], line, first, n_days)
    # Demand on a day its SKU is out of stock is a lost sale: no order line.
    orders = {name: values[sold] for name, values in orders.items()}
    line = {name: values[sold] for name, values in line.items()}
    tables: Tables = {
        "orders": orders,
        "owners": _owners(rng, catalogue["sku"]),
        "fx": _fx(rng, first, months),
        "ads": _ads(rng, catalogue, orders, line, first, n_days),
        **stock,
        **_events(rng, orders, line["day"], first, n_days),
        "skus": {
            "sku": catalogue["sku"],
            "launch_date": catalogue["launch"],
            "reference_cost": catalogue["cost"],
        },
        "targets": _targets(rng, orders, line["market"], first, months, period),
    }
    if frames:
        tables = _as_frames(tables)
    tables["start"], tables["end"] = str(first), str(end)
    return tables


def _catalogue(rng: np.random.Generator, n: int, first: np.datetime64, n_days: int) -> Tables:
    """SKUs: id, launch date, demand weight, landed cost (CNY), USD list price."""
    new = rng.random(n) < 0.35
    launch_offset = np.where(
        new,
        rng.integers(0, max(n_days - 20, 1), n),  # launched during the data
        -rng.integers(120, 720, n),  # catalogue: launched long before
    )
    demand = rng.lognormal(0.0, 1.2, n)  # hits and duds
    cost = _round(rng.uniform(15, 180, n), 2)
    markup = rng.uniform(1.5, 2.8, n)
    return {
        "sku": np.asarray([f"SKU-{i:05d}" for i in range(n)]),
        "offset": launch_offset,
        "launch": (first + launch_offset).astype(str),
        "demand": demand,
        "cost": cost,
        "price": _round(cost * markup / FX_BASE[0], 2),
    }


def _day_cdf(first: np.datetime64, n_days: int) -> FloatArray:
    """The cumulative share of sales by day, from the season of each day's month."""
    months = (first + np.arange(n_days)).astype("datetime64[M]").astype(np.int64) % 12
    weight = np.asarray(SEASON)[months]
    return np.asarray(np.cumsum(weight) / weight.sum(), dtype=np.float64)


def _orders(
    rng: np.random.Generator, cat: Tables, first: np.datetime64, n_days: int, n: int
) -> tuple[Tables, dict[str, IntArray]]:
    """Order lines; also each line's SKU, day offset and market index, for other tables."""
    alive_from = np.clip(cat["offset"], 0, n_days - 1)
    # New SKUs sell only after launch, so their weight is their demand times the share of
    # the season they are on sale for.
    cdf = _day_cdf(first, n_days)
    on_sale = 1.0 - np.concatenate([[0.0], cdf])[alive_from]
    weight = cat["demand"] * on_sale
    sku = rng.choice(len(weight), size=n, p=weight / weight.sum()).astype(np.intp)
    low = np.concatenate([[0.0], cdf])[alive_from[sku]]
    day = np.searchsorted(cdf, low + rng.random(n) * (1.0 - low), side="right")
    day = np.minimum(day, n_days - 1).astype(np.intp)
    market = rng.choice(3, size=n, p=MARKET_SHARE).astype(np.intp)
    qty = 1 + rng.poisson(0.25, n)
    discount = np.where(rng.random(n) < 0.2, rng.choice([0.9, 0.8], n), 1.0)
    factor = np.asarray(PRICE_FACTOR)[market]
    price = cat["price"][sku] * factor * discount
    price = np.where(market == 2, _round(price, 0), _round(price, 2))  # whole yen
    revenue = qty * price
    orders: Tables = {
        "sku": cat["sku"][sku],
        "marketplace": np.asarray(MARKETS)[market],
        "date": (first + day).astype("datetime64[D]"),
        "qty": qty.astype(np.float64),
        "price": price,
        "currency": np.asarray(CURRENCIES)[market],
        "unit_cost": cat["cost"][sku],
        "shipping": _round(revenue * 0.08, 2),
        "packaging": _round(factor * 0.3, 2),
        "fees": _round(revenue * 0.15, 2),
        "customer": rng.integers(0, max(n // 3, 1), n) * 3 + market,
        "shipped_on_time": (rng.random(n) < 0.95).astype(np.float64),
    }
    return orders, {"sku": sku, "day": day, "market": market}


def _owners(rng: np.random.Generator, sku: AnyArray) -> Tables:
    """One developer, one buyer and one or two operators (equal split) per SKU."""
    team = employees()
    n = len(sku)
    columns: dict[str, list[AnyArray]] = {"sku": [], "role": [], "employee": []}
    for role in ROLES:
        people = np.asarray(team[role])
        who = rng.integers(0, 3, n)
        columns["sku"].append(sku)
        columns["role"].append(np.full(n, role))
        columns["employee"].append(people[who])
        if role == "operator":  # a tenth of the SKUs are run by two operators
            shared = np.flatnonzero(rng.random(n) < 0.1)
            columns["sku"].append(sku[shared])
            columns["role"].append(np.full(len(shared), role))
            columns["employee"].append(people[(who[shared] + 1) % 3])
    return {name: np.concatenate(parts) for name, parts in columns.items()}


def _fx(rng: np.random.Generator, first: np.datetime64, months: int) -> Tables:
    month = first.astype("datetime64[M]") + np.arange(months)
    drift = 1.0 + np.cumsum(rng.normal(0.0, 0.01, (3, months)), axis=1)
    rate = _round(np.asarray(FX_BASE)[:, None] * drift, 4)
    return {
        "currency": np.repeat(np.asarray(CURRENCIES), months),
        "month": np.tile(month.astype(str), 3),
        "rate": rate.ravel(),
    }


def _weekly(n_days: int) -> IntArray:
    """Day offsets of the weekly report and snapshot days (every 7th day from the first)."""
    return np.arange(6, n_days, 7, dtype=np.intp) if n_days >= 7 else np.asarray([n_days - 1])


def _ads(
    rng: np.random.Generator,
    cat: Tables,
    orders: Tables,
    line: dict[str, IntArray],
    first: np.datetime64,
    n_days: int,
) -> Tables:
    """A weekly ad report per SKU and marketplace: spend, attributed sales, budget."""
    weeks = _weekly(n_days)
    week = np.minimum(np.searchsorted(weeks, line["day"]), len(weeks) - 1)
    key = (line["sku"] * len(weeks) + week) * 3 + line["market"]
    size = len(cat["sku"]) * len(weeks) * 3
    sales = np.bincount(key, weights=orders["qty"] * orders["price"], minlength=size)
    rows = np.flatnonzero(sales > 0)
    attributed = _round(sales[rows] * rng.uniform(0.2, 0.6, len(rows)), 2)
    spend = _round(attributed * rng.uniform(0.15, 0.45, len(rows)), 2)
    return {
        "sku": cat["sku"][rows // (len(weeks) * 3)],
        "date": (first + weeks[(rows // 3) % len(weeks)]).astype("datetime64[D]"),
        "spend": spend,
        "sales": attributed,
        "currency": np.asarray(CURRENCIES)[rows % 3],
        "budget": _round(spend * rng.uniform(0.8, 1.25, len(rows)), 2),
    }


def _stock(
    rng: np.random.Generator,
    cat: Tables,
    qty: FloatArray,
    line: dict[str, IntArray],
    first: np.datetime64,
    n_days: int,
) -> tuple[Tables, BoolArray]:
    """Stock-ins every 8 weeks up to a forecast, weekly snapshots, and which lines sold.

    The buyer orders up to 11 weeks of forecast demand less the stock left, at least the
    supplier's minimum order of 20: a forecast too low runs a hit out of stock before
    the next delivery (its demand on those days is lost), and the minimum order buries a
    dud for months. The simulation steps through the days, all SKUs at once.
    """
    n = len(cat["sku"])
    on_sale = np.maximum(n_days - np.clip(cat["offset"], 0, n_days - 1), 1)
    daily = np.bincount(line["sku"], weights=qty, minlength=n) / on_sale  # units a day
    cells = np.bincount(line["sku"] * n_days + line["day"], weights=qty, minlength=n * n_days)
    demand = cells.reshape(n, n_days)
    opens = np.clip(cat["offset"], 0, n_days - 1)
    stock = np.where(cat["offset"] < 0, np.ceil(daily * 45), 0.0)
    got = np.zeros((n, n_days))
    on_hand = np.zeros((n, n_days))
    available = np.zeros((n, n_days), dtype=bool)
    for day in range(n_days):  # a loop over days, not over rows
        due = (day >= opens) & ((day - opens) % CYCLE == 0)
        forecast = daily[due] * (CYCLE + 21) * rng.lognormal(0.0, 0.35, int(due.sum()))
        want = np.ceil(np.maximum(forecast - stock[due], 0.0))
        got[due, day] = np.where(want > 0, np.maximum(want, MINIMUM_ORDER), 0.0)
        stock += got[:, day]
        available[:, day] = stock > 0
        stock = np.maximum(stock - demand[:, day], 0.0)
        on_hand[:, day] = stock
    rs, rd = np.nonzero(got)
    receipts: Tables = {
        "sku": cat["sku"][rs],
        "date": (first + rd).astype("datetime64[D]"),
        "qty": got[rs, rd],
        "unit_cost": _round(cat["cost"][rs] * rng.uniform(0.9, 1.05, len(rs)), 2),
    }
    # Weekly snapshots of SKUs on sale that have ever been stocked.
    weeks = _weekly(n_days)
    received = np.cumsum(got, axis=1)[:, weeks]
    listed = (opens[:, None] <= weeks[None, :]) & ((on_hand[:, weeks] > 0) | (received > 0))
    ss, sw = np.nonzero(listed)
    inventory: Tables = {
        "sku": cat["sku"][ss],
        "date": (first + weeks[sw]).astype("datetime64[D]"),
        "on_hand": on_hand[ss, weeks[sw]],
        "unit_cost": cat["cost"][ss],
    }
    sold = available[line["sku"], line["day"]]
    return {"receipts": receipts, "inventory": inventory}, np.asarray(sold, dtype=bool)


def _events(
    rng: np.random.Generator, orders: Tables, day: IntArray, first: np.datetime64, n_days: int
) -> Tables:
    """Returns (3% of lines), complaints (1%) and negative reviews (0.5%) a few days later."""
    found: Tables = {}
    for name, rate in (("returns", 0.03), ("complaints", 0.01), ("reviews", 0.005)):
        lines = np.flatnonzero(rng.random(len(day)) < rate)
        later = np.minimum(day[lines] + rng.integers(1, 15, len(lines)), n_days - 1)
        table: Tables = {
            "sku": orders["sku"][lines],
            "date": (first + later).astype("datetime64[D]"),
        }
        if name == "returns":
            table["qty"] = np.ones(len(lines))
        if name == "reviews":
            table["responded_48h"] = (rng.random(len(lines)) < 0.8).astype(np.float64)
        found[name] = table
    return found


def _targets(
    rng: np.random.Generator,
    orders: Tables,
    market: IntArray,
    first: np.datetime64,
    months: int,
    period: str,
) -> Tables:
    """A sales and a profit target per employee and period, near a plausible level."""
    month = first.astype("datetime64[M]").astype(np.int64) + np.arange(months)
    if period == "quarter":
        labels = np.unique([f"{1970 + m // 12}Q{m % 12 // 3 + 1}" for m in month.tolist()])
    else:
        labels = month.astype("datetime64[M]").astype(str)
    people = [e for group in employees().values() for e in group]
    # A rough revenue per employee and period in CNY (each SKU has one owner per role, so a
    # role's three people share the revenue): a target is that ± 20%.
    revenue = orders["qty"] * orders["price"] * np.asarray(FX_BASE)[market]
    level = float(revenue.sum()) / 3 / len(labels)
    n = len(people) * len(labels)
    sales = _round(level * rng.uniform(0.8, 1.2, n), -2)
    return {
        "employee": np.repeat(np.asarray(people), len(labels)),
        "period": np.tile(labels, len(people)),
        "sales_target": sales,
        "profit_target": _round(sales * 0.2, -2),
    }


def _round(values: Any, digits: int) -> FloatArray:
    """Half-up rounding to ``digits`` decimals (to hundreds with -2), as a till rounds."""
    return round_half_up(np.asarray(values, dtype=np.float64), 10.0**-digits)


def _as_frames(tables: Tables) -> Tables:
    """Each table as a pandas DataFrame, key columns as Categoricals (pandas extra)."""
    with requires("pandas", "frames=True", "pandas"):
        import pandas as pd
    keys = {"sku", "marketplace", "currency", "role", "employee"}
    return {
        name: pd.DataFrame(
            {c: pd.Categorical(v) if c in keys else v for c, v in table.items()}, copy=False
        )
        for name, table in tables.items()
    }
