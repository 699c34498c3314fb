"""The aggregation of ``ksf.indicators.aggregate``, written independently in plain pandas.

This is what a competent analyst writes with ``merge`` + ``groupby`` from the spec
(docs/indicators.md: the output columns and every choice), without looking at how ksf
does it. It serves twice: as the peer ``bench_aggregate.py`` times ksf against, and as
the oracle of the differential test ``tests/test_aggregate_pandas.py``. So it is
written for clarity and faithfulness first, speed second; it validates almost nothing (no
NaN checks, no share checks), except what changes the figures: rows dated outside
[start, end], FX rates that are missing, targets naming unknown employees or periods.

Readings of the spec where it leaves room:

* Every SKU-level figure, counts included (orders, customers, shipments, negative
  reviews...), is multiplied by the owner's share, so counts can be fractional.
* ``period_days`` is the number of days of the period inside [start, end].
* A column or table that is absent gives 0 for the columns computed from it (the spec says
  so for shipping/packaging/fees; we read it the same way for ``customer``,
  ``shipped_on_time``, ``budget``, and for absent tables).
* "Snapshot dates in the period" are the distinct dates of the whole inventory table that
  fall in the period (not per SKU): a SKU missing from a snapshot had nothing on hand. A
  period without any snapshot has NaN stock figures (unknown, not zero). Several rows of
  one SKU on one date add up (on_hand and value).
* slow_moving_cost: the window of window_days ending on the closing snapshot date D,
  cut at ``start`` (nothing exists before it): its observed days are
  D - max(D - window_days + 1, start) + 1. A SKU is slow when its days of cover,
  on_hand / (units sold in the window / observed days), exceed window_days.
* stockout_lost_profit: gross profit is the SKU's revenue - cogs of the period (before the
  owner's share); SKUs with no order line in the period have no gross profit, hence 0.
  Snapshots before the SKU's first snapshot with stock are not stock-outs.
* Windows (launch, first receipt): the last day is first day + window_days - 1. A window
  is closed when its last day <= ``end``; otherwise it is open and credited nowhere. A
  window that closed before ``start`` is credited to no output period. The first receipt
  date is the earliest receipts row of the SKU (whatever its qty).
* purchase_reference_cost: a receipt of a SKU that has no reference_cost (not in ``skus``,
  or no such column) counts 0.
* The rulebook currency's rate is 1 whatever the fx table says about it.
* Targets: joined on (employee, period, role) when the targets table has a ``role``
  column, else on (employee, period), i.e. the same target on each of the employee's roles.
  Every numeric column of targets other than the keys is joined.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

FREQ = {"month": "M", "quarter": "Q"}

NUMERIC = (
    "period_days",
    "revenue",
    "units_sold",
    "orders",
    "cogs",
    "landed_cost",
    "shipping",
    "packaging",
    "fees",
    "ad_spend",
    "ad_sales",
    "ad_budget",
    "marketing",
    "units_returned",
    "complaints",
    "negative_reviews",
    "reviews_responded_48h",
    "shipments",
    "shipped_on_time",
    "customers",
    "repeat_customers",
    "avg_inventory_cost",
    "closing_inventory_cost",
    "slow_moving_cost",
    "stockout_lost_profit",
    "units_received",
    "purchase_cost",
    "purchase_reference_cost",
    "launch_window_revenue",
    "units_received_window",
    "units_sold_window",
)

KEYS = ["employee", "role", "period"]
STOCK = ("avg_inventory_cost", "closing_inventory_cost", "slow_moving_cost", "stockout_lost_profit")


def pandas_aggregate(
    tables: Mapping[str, Any],
    *,
    currency: str = "CNY",
    period: str = "month",
    start: Any = None,
    end: Any = None,
    window_days: int = 90,
) -> pd.DataFrame:
    """One row per (employee, role) of ``owners`` x every period, with every spec column."""
    frames = {name: pd.DataFrame(t) for name, t in tables.items() if t is not None}
    freq = FREQ[period]
    window = pd.Timedelta(days=window_days)
    order_dates = pd.to_datetime(frames["orders"]["date"])
    start = pd.Timestamp(start) if start is not None else order_dates.min()
    end = pd.Timestamp(end) if end is not None else order_dates.max()
    periods = pd.period_range(start, end, freq=freq)

    dated = {
        name: with_periods(name, frames[name], freq, start, end)
        for name in ("orders", "ads", "inventory", "receipts", "returns", "complaints", "reviews")
        if name in frames
    }
    convert = Converter(frames.get("fx"), currency)
    skus = frames.get("skus")
    if skus is not None:
        skus = skus.assign(sku=keys(skus["sku"])).set_index("sku")

    o = dated["orders"]
    sales = order_figures(o, convert)
    credited = [sales]
    if "customer" in o:
        credited.append(customer_figures(o))
    if "ads" in dated:
        credited.append(ad_figures(dated["ads"], convert))
    credited += event_figures(dated)
    if "receipts" in dated:
        credited += receipt_figures(dated["receipts"], o, skus, window, end, freq)
    if skus is not None and "launch_date" in skus:
        credited.append(launch_figures(o, skus, convert, window, end, freq))
    if "inventory" in dated:
        credited += inventory_figures(dated["inventory"], o, sales, window, start)

    owners = owner_shares(frames["owners"])
    result = credit(credited, owners, periods, start, end)
    if "inventory" in dated:  # stock of a period without any snapshot is unknown, not 0
        counted = result["period"].isin(set(dated["inventory"]["period"]))
        result[list(STOCK)] = result[list(STOCK)].where(counted)
    if "targets" in frames:
        result = join_targets(result, frames["targets"], owners, periods)
    return result.sort_values(KEYS, kind="stable").reset_index(drop=True)


# ---- inputs ----------------------------------------------------------------------------------


def keys(values: Any) -> np.ndarray:
    """Key values as a plain object array (Categoricals of different tables can then merge)."""
    return np.asarray(pd.Series(values).astype(object).to_numpy())


def with_periods(
    name: str, df: pd.DataFrame, freq: str, start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """The table with ``date`` as datetimes, its FX ``month`` and its ``period`` label."""
    date = pd.to_datetime(df["date"])
    outside = (date < start) | (date > end)
    if outside.any():
        rows = np.flatnonzero(outside.to_numpy())[:5].tolist()
        raise ValueError(f"{name}: rows dated outside [{start:%Y-%m-%d}, {end:%Y-%m-%d}]: {rows}")
    month = date.dt.to_period("M")
    label = month if freq == "M" else date.dt.to_period(freq)
    return df.assign(date=date, month=month, period=label.astype(str))


class Converter:
    """Sums of amounts by (sku, period), converted at the rate of each row's month.

    Amounts are summed by (sku, period, currency, month) first, then multiplied by the
    (currency, month) rate: the same sum as converting line by line, regrouped.
    """

    def __init__(self, fx: pd.DataFrame | None, currency: str) -> None:
        self.currency = currency
        self.fx = None
        if fx is not None:
            self.fx = pd.DataFrame(
                {
                    "currency": keys(fx["currency"]).astype(str),
                    "month": pd.PeriodIndex(fx["month"].astype(str), freq="M"),
                    "rate": fx["rate"].astype(float).to_numpy(),
                }
            )

    def __call__(self, df: pd.DataFrame, name: str, columns: list[str]) -> pd.DataFrame:
        by = ["sku", "period", "currency", "month"]
        sums = df.groupby(by, observed=True, sort=False)[columns].sum().reset_index()
        sums["currency"] = keys(sums["currency"]).astype(str)
        rate = np.ones(len(sums))
        foreign = (sums["currency"] != self.currency).to_numpy()
        if foreign.any():
            if self.fx is None:
                raise ValueError(f"{name}: currencies other than {self.currency} and no fx table")
            rated = sums.loc[foreign, ["currency", "month"]].merge(
                self.fx, on=["currency", "month"], how="left"
            )
            missing = rated[rated["rate"].isna()]
            if len(missing):
                pairs = sorted({(c, str(m)) for c, m in missing[["currency", "month"]].to_numpy()})
                raise ValueError(f"{name}: no fx rate for {pairs}")
            rate[foreign] = rated["rate"].to_numpy()
        sums[columns] = sums[columns].mul(rate, axis=0)
        sums = sums.assign(sku=keys(sums["sku"]))
        return sums.groupby(["sku", "period"], as_index=False)[columns].sum()


def tidy(grouped: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """A (sku, period)-indexed groupby result as columns, with plain object keys."""
    frame = grouped.reset_index()
    frame["sku"] = keys(frame["sku"])
    return frame


def sum_by_sku(df: pd.DataFrame, **agg: tuple[str, str]) -> pd.DataFrame:
    return tidy(df.groupby(["sku", "period"], observed=True, sort=False).agg(**agg))


def qty_by_sku(df: pd.DataFrame) -> pd.Series:
    qty = df.groupby("sku", observed=True)["qty"].sum()
    return pd.Series(qty.to_numpy(), index=keys(qty.index))


# ---- SKU-level figures: frames of (sku, period, figures...) -------------------------------


def order_figures(o: pd.DataFrame, convert: Converter) -> pd.DataFrame:
    """Revenue, cogs, units, order lines, shipping/packaging/fees, shipments."""
    o = o.assign(amount=o["qty"] * o["price"], cost=o["qty"] * o["unit_cost"], line=1)
    money = ["amount"] + [c for c in ("shipping", "packaging", "fees") if c in o]
    sales = convert(o, "orders", money).rename(columns={"amount": "revenue"})
    plain = {"units_sold": ("qty", "sum"), "orders": ("line", "sum"), "cogs": ("cost", "sum")}
    if "shipped_on_time" in o:
        plain |= {"shipments": ("line", "sum"), "shipped_on_time": ("shipped_on_time", "sum")}
    sales = sales.merge(sum_by_sku(o, **plain), on=["sku", "period"], how="outer")
    sales["landed_cost"] = sales["cogs"]
    return sales


def customer_figures(o: pd.DataFrame) -> pd.DataFrame:
    """Distinct (customer, sku) pairs of the period, and those with >= 2 order lines."""
    pairs = o.groupby(["sku", "period", "customer"], observed=True, sort=False).size()
    pairs = pairs.rename("lines").reset_index()
    pairs["repeat"] = (pairs["lines"] >= 2).astype(int)
    return sum_by_sku(pairs, customers=("lines", "size"), repeat_customers=("repeat", "sum"))


def ad_figures(ads: pd.DataFrame, convert: Converter) -> pd.DataFrame:
    columns = ["spend", "sales"] + (["budget"] if "budget" in ads else [])
    ad = convert(ads, "ads", columns)
    ad = ad.rename(columns={"spend": "ad_spend", "sales": "ad_sales", "budget": "ad_budget"})
    ad["marketing"] = ad["ad_spend"]
    return ad


def event_figures(dated: Mapping[str, pd.DataFrame]) -> list[pd.DataFrame]:
    """Returns, complaints and negative reviews."""
    out = []
    if "returns" in dated:
        out.append(sum_by_sku(dated["returns"], units_returned=("qty", "sum")))
    if "complaints" in dated:
        complaints = dated["complaints"]
        if "count" not in complaints:
            complaints = complaints.assign(count=1)
        out.append(sum_by_sku(complaints, complaints=("count", "sum")))
    if "reviews" in dated:
        out.append(
            sum_by_sku(
                dated["reviews"],
                negative_reviews=("date", "size"),
                reviews_responded_48h=("responded_48h", "sum"),
            )
        )
    return out


def receipt_figures(
    receipts: pd.DataFrame,
    o: pd.DataFrame,
    skus: pd.DataFrame | None,
    window: pd.Timedelta,
    end: pd.Timestamp,
    freq: str,
) -> list[pd.DataFrame]:
    """Stock-in by period, and the sell-through window from each SKU's first receipt."""
    ref: Any = 0.0
    if skus is not None and "reference_cost" in skus:
        ref = receipts["sku"].map(skus["reference_cost"]).astype(float).fillna(0.0)
    receipts = receipts.assign(
        cost=receipts["qty"] * receipts["unit_cost"], ref_cost=receipts["qty"] * ref
    )
    by_period = sum_by_sku(
        receipts,
        units_received=("qty", "sum"),
        purchase_cost=("cost", "sum"),
        purchase_reference_cost=("ref_cost", "sum"),
    )
    first = receipts.groupby("sku", observed=True)["date"].min()
    first.index = keys(first.index)
    win = pd.DataFrame(
        {
            "units_received_window": qty_by_sku(receipts[in_window(receipts, first, window)]),
            "units_sold_window": qty_by_sku(o[in_window(o, first, window)]),
        }
    )
    win = win.reindex(first.index).fillna(0)
    return [by_period, closed_windows(win, first, window, end, freq)]


def launch_figures(
    o: pd.DataFrame,
    skus: pd.DataFrame,
    convert: Converter,
    window: pd.Timedelta,
    end: pd.Timestamp,
    freq: str,
) -> pd.DataFrame:
    """Revenue of each SKU's launch window, credited when the window closes."""
    launch = pd.to_datetime(skus["launch_date"]).dropna()
    lines = o[in_window(o, launch, window)]
    lines = lines.assign(amount=lines["qty"] * lines["price"])
    revenue = convert(lines, "orders", ["amount"]).groupby("sku")["amount"].sum()
    revenue = revenue.reindex(launch.index, fill_value=0.0)
    return closed_windows(revenue.to_frame("launch_window_revenue"), launch, window, end, freq)


def in_window(df: pd.DataFrame, first: pd.Series, window: pd.Timedelta) -> pd.Series:
    """Rows of ``df`` dated in [first day of their SKU's window, + window)."""
    begin = pd.to_datetime(df["sku"].map(first))
    return (df["date"] >= begin) & (df["date"] < begin + window)


def closed_windows(
    values: pd.DataFrame, first: pd.Series, window: pd.Timedelta, end: pd.Timestamp, freq: str
) -> pd.DataFrame:
    """Per-SKU window figures, credited to the period of the window's last day if <= end."""
    last = first.reindex(values.index) + window - pd.Timedelta(days=1)
    closed = (last <= end).to_numpy()
    out = values[closed].rename_axis("sku").reset_index()
    out["period"] = last[closed].dt.to_period(freq).astype(str).to_numpy()
    return out


def inventory_figures(
    inv: pd.DataFrame,
    o: pd.DataFrame,
    sales: pd.DataFrame,
    window: pd.Timedelta,
    start: pd.Timestamp,
) -> list[pd.DataFrame]:
    """Average, closing and slow-moving inventory; profit lost to stock-outs."""
    inv = inv.assign(sku=keys(inv["sku"]), value=inv["on_hand"] * inv["unit_cost"])
    # one row per (sku, snapshot date): several rows of a SKU on a date add up
    snap = inv.groupby(["sku", "date", "period"], as_index=False)[["on_hand", "value"]].sum()
    # snapshot dates are those of the whole table: a SKU absent from one had none on hand
    dates = inv.groupby("period")["date"].agg(n_dates="nunique", last="max")

    avg = snap.groupby(["sku", "period"], as_index=False)["value"].sum()
    avg["avg_inventory_cost"] = avg["value"] / avg["period"].map(dates["n_dates"])

    closing = snap[snap["date"] == snap["period"].map(dates["last"])]
    closing = closing.rename(columns={"value": "closing_inventory_cost"})
    # units sold by each SKU in the window ending on D (the period's last snapshot date),
    # cut at start; slow when days of cover, on_hand / (sold / observed days), > window
    sold = []
    for p, last in dates["last"].items():
        opens = max(last - window + pd.Timedelta(days=1), start)
        recent = o[(o["date"] >= opens) & (o["date"] <= last)]
        qty = qty_by_sku(recent)
        seen = (last - opens).days + 1
        sold.append(pd.DataFrame({"sku": qty.index, "period": p, "sold": qty.to_numpy()}))
        dates.loc[p, "seen"] = seen
    closing = closing.merge(pd.concat(sold), on=["sku", "period"], how="left")
    seen = closing["period"].map(dates["seen"])
    slow = closing["on_hand"] * seen > closing["sold"].fillna(0) * window.days
    closing["slow_moving_cost"] = closing["closing_inventory_cost"].where(slow, 0.0)

    # stock-outs: snapshot dates of the period, from the SKU's first snapshot with stock
    # on, on which the SKU had on_hand <= 0 or no row
    stocked = snap[snap["on_hand"] > 0]
    instock = stocked.groupby(["sku", "period"]).size().rename("instock")
    gp = sales[["sku", "period"]].assign(gp=sales["revenue"] - sales["cogs"])
    gp = gp.merge(instock.reset_index(), on=["sku", "period"], how="left")
    gp["instock"] = gp["instock"].fillna(0)
    snapshot_dates = inv[["date", "period"]].drop_duplicates()
    firsts = gp[["sku", "period"]].assign(first=gp["sku"].map(stocked.groupby("sku")["date"].min()))
    pairs = firsts.merge(snapshot_dates, on="period")
    pairs = pairs[pairs["date"] >= pairs["first"]]
    eligible = pairs.groupby(["sku", "period"]).size().rename("eligible").reset_index()
    gp = gp.merge(eligible, on=["sku", "period"], how="left")
    oos = gp["eligible"].fillna(0) - gp["instock"]
    lost = gp["gp"].clip(lower=0) * oos / gp["instock"]
    gp["stockout_lost_profit"] = lost.where(gp["instock"] > 0, 0.0)

    return [
        avg[["sku", "period", "avg_inventory_cost"]],
        closing[["sku", "period", "closing_inventory_cost", "slow_moving_cost"]],
        gp[["sku", "period", "stockout_lost_profit"]],
    ]


# ---- attribution -------------------------------------------------------------------------------


def owner_shares(owners: pd.DataFrame) -> pd.DataFrame:
    """sku, role, employee, share (default: equal split of a (sku, role) among its owners)."""
    out = pd.DataFrame(
        {
            "sku": keys(owners["sku"]),
            "role": keys(owners["role"]),
            "employee": keys(owners["employee"]),
        }
    )
    if "share" in owners:
        out["share"] = owners["share"].astype(float).to_numpy()
    else:
        out["share"] = 1.0 / out.groupby(["sku", "role"])["employee"].transform("size")
    return out


def credit(
    credited: list[pd.DataFrame],
    owners: pd.DataFrame,
    periods: pd.PeriodIndex,
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> pd.DataFrame:
    """Each SKU figure x share, summed by (employee, role, period) on the dense grid."""
    pairs = owners[["employee", "role"]].drop_duplicates()
    labels = pd.DataFrame({"period": [str(p) for p in periods]})
    result = pairs.merge(labels, how="cross").set_index(KEYS)
    for per_sku in credited:
        per_owner = per_sku.merge(owners, on="sku")
        values = [c for c in per_sku.columns if c not in ("sku", "period")]
        per_owner[values] = per_owner[values].fillna(0).mul(per_owner["share"], axis=0)
        result = result.join(per_owner.groupby(KEYS)[values].sum())
    result = result.reset_index()
    days = {
        str(p): (min(p.end_time.normalize(), end) - max(p.start_time, start)).days + 1
        for p in periods
    }
    result["period_days"] = result["period"].map(days)
    for column in NUMERIC:
        result[column] = result[column].fillna(0.0).astype(float) if column in result else 0.0
    return result[KEYS + list(NUMERIC)]


def join_targets(
    result: pd.DataFrame, targets: pd.DataFrame, owners: pd.DataFrame, periods: pd.PeriodIndex
) -> pd.DataFrame:
    """Targets' numeric columns by (employee, period[, role]); NaN where there is none."""
    on = ["employee", "period"] + (["role"] if "role" in targets else [])
    targets = targets.assign(
        employee=keys(targets["employee"]), period=keys(targets["period"]).astype(str)
    )
    if "role" in targets:
        targets["role"] = keys(targets["role"])
    known = targets["employee"].isin(owners["employee"]) & targets["period"].isin(
        [str(p) for p in periods]
    )
    if not known.all():
        rows = np.flatnonzero(~known.to_numpy())[:5].tolist()
        raise ValueError(f"targets: unknown employee or period in rows {rows}")
    numeric = [c for c in targets.select_dtypes("number").columns if c not in on]
    return result.merge(targets[on + numeric], on=on, how="left")
