"""`ksf.indicators.aggregate`: hand-worked figures, every bad-data choice, and properties.

The fixture is a two-month seller with three SKUs (docs/indicators.md works the same
figures): A sold in USD and co-run by two operators, B sold in EUR, C sold in CNY with no
operator at all. Rates: USD 7.0 in July, 7.2 in August; EUR 8.0. Windows are 30 days.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ksf
from ksf.indicators import Unowned, Window, aggregate


def exports() -> dict[str, Any]:
    return {
        "orders": {
            "sku": ["A", "A", "B", "A", "C"],
            "date": ["2026-07-05", "2026-07-20", "2026-07-10", "2026-08-03", "2026-08-15"],
            "qty": [2, 1, 3, 4, 5],
            "price": [10.0, 10.0, 20.0, 10.0, 100.0],
            "currency": ["USD", "USD", "EUR", "USD", "CNY"],
            "unit_cost": [30.0, 30.0, 50.0, 30.0, 40.0],
            "shipping": [1.0, 1.0, 2.0, 1.0, 10.0],
            "packaging": [0.5, 0.5, 1.0, 0.5, 2.0],
            "fees": [3.0, 1.5, 9.0, 6.0, 75.0],
            "customer": ["c1", "c1", "c2", "c2", "c3"],
            "shipped_on_time": [1, 0, 1, 1, 1],
        },
        "owners": {
            "sku": ["A", "B", "C", "A", "A", "B"],
            "role": ["developer"] * 3 + ["operator"] * 3,
            "employee": ["D1", "D1", "D2", "O1", "O2", "O1"],
        },
        "fx": {
            "currency": ["USD", "USD", "EUR", "EUR"],
            "month": ["2026-07", "2026-08", "2026-07", "2026-08"],
            "rate": [7.0, 7.2, 8.0, 8.0],
        },
        "ads": {
            "sku": ["A", "B"],
            "date": ["2026-07-07", "2026-08-07"],
            "spend": [5.0, 10.0],
            "sales": [20.0, 50.0],
            "budget": [6.0, 10.0],
            "currency": ["USD", "EUR"],
        },
        "inventory": {
            "sku": ["A"] * 4 + ["B"] * 4 + ["C"],
            "date": ["2026-07-15", "2026-07-31", "2026-08-15", "2026-08-31"] * 2 + ["2026-08-31"],
            "on_hand": [10, 8, 0, 4, 20, 17, 17, 17, 5],
            "unit_cost": [30.0] * 4 + [50.0] * 4 + [40.0],
        },
        "receipts": {
            "sku": ["A", "B", "C"],
            "date": ["2026-07-01", "2026-07-02", "2026-08-10"],
            "qty": [12, 20, 10],
            "unit_cost": [29.0, 50.0, 38.0],
        },
        "returns": {"sku": ["A", "B"], "date": ["2026-07-25", "2026-08-02"], "qty": [1, 1]},
        "complaints": {"sku": ["A", "B", "B"], "date": ["2026-07-26", "2026-07-28", "2026-08-01"]},
        "reviews": {
            "sku": ["A", "A"],
            "date": ["2026-07-27", "2026-08-05"],
            "responded_48h": [1, 0],
        },
        "skus": {
            "sku": ["A", "B", "C"],
            "launch_date": ["2026-06-20", "2026-05-01", "2026-08-10"],
            "reference_cost": [30.0, 50.0, 40.0],
        },
        "targets": {"employee": ["D1", "O1"], "period": ["2026-07", "2026-07"]}
        | {"sales_target": [1000.0, 600.0]},
        "start": "2026-07-01",
        "end": "2026-08-31",
        "window_days": 30,
    }


@pytest.fixture(scope="module")
def result() -> Any:
    return aggregate(**exports())


def column(result: Any, name: str) -> list[float]:
    return [round(float(v), 6) for v in result.table[name]]


def test_rows_are_employee_role_and_period(result: Any) -> None:
    """One row per (employee, role) and month, sorted by employee then role."""
    assert result.table["employee"].tolist() == ["D1", "D1", "D2", "D2", "O1", "O1", "O2", "O2"]
    assert set(result.table["role"][:4]) == {"developer"}
    assert result.table["period"].tolist() == ["2026-07", "2026-08"] * 4
    assert column(result, "period_days") == [31.0] * 8


# Rows: D1 Jul, D1 Aug, D2 Jul, D2 Aug, O1 Jul, O1 Aug, O2 Jul, O2 Aug.
# D1 owns A and B, D2 owns C; O1 owns half of A and all of B, O2 the other half of A.
HAND = {
    # A Jul 2×10×7 + 1×10×7 = 210, Aug 4×10×7.2 = 288; B Jul 3×20×8 = 480; C Aug 500.
    "revenue": [690, 288, 0, 500, 585, 144, 105, 144],
    # Unit costs are CNY already: A 3×30 = 90, 4×30 = 120; B 150; C 200.
    "cogs": [240, 120, 0, 200, 195, 60, 45, 60],
    "units_sold": [6, 4, 0, 5, 4.5, 2, 1.5, 2],
    "orders": [3, 1, 0, 1, 2, 0.5, 1, 0.5],  # counts are shared as money is
    # A Jul (1 + 1) × 7 = 14, Aug 7.2; B 2 × 8 = 16; C 10.
    "shipping": [30, 7.2, 0, 10, 23, 3.6, 7, 3.6],
    "fees": [103.5, 43.2, 0, 75, 87.75, 21.6, 15.75, 21.6],  # A Jul 4.5×7, B 9×8
    "shipments": [3, 1, 0, 1, 2, 0.5, 1, 0.5],
    "shipped_on_time": [2, 1, 0, 1, 1.5, 0.5, 0.5, 0.5],
    # Customer c1 bought A twice in July: one customer, one repeat; c2 bought B, then A.
    "customers": [2, 1, 0, 1, 1.5, 0.5, 0.5, 0.5],
    "repeat_customers": [1, 0, 0, 0, 0.5, 0, 0.5, 0],
    "ad_spend": [35, 80, 0, 0, 17.5, 80, 17.5, 0],  # A 5 USD × 7, B 10 EUR × 8
    "ad_sales": [140, 400, 0, 0, 70, 400, 70, 0],
    "ad_budget": [42, 80, 0, 0, 21, 80, 21, 0],
    "marketing": [35, 80, 0, 0, 17.5, 80, 17.5, 0],
    "units_returned": [1, 1, 0, 0, 0.5, 1, 0.5, 0],
    "complaints": [2, 1, 0, 0, 1.5, 1, 0.5, 0],
    "negative_reviews": [1, 1, 0, 0, 0.5, 0.5, 0.5, 0.5],
    "reviews_responded_48h": [1, 0, 0, 0, 0.5, 0, 0.5, 0],
    # Average of the month's two snapshots at cost: A Jul (300 + 240) / 2 = 270, Aug
    # (0 + 120) / 2 = 60; B (1,000 + 850) / 2 = 925, then 850; C Aug (none + 200) / 2 = 100.
    "avg_inventory_cost": [1195, 910, 0, 100, 1060, 880, 135, 30],
    "closing_inventory_cost": [1090, 970, 0, 200, 970, 910, 120, 60],
    # Cover on 07-31 over the 30 days observed: A 8 × 30 / 3 sold = 80 days > 30: slow;
    # B 17 × 30 / 3 = 170 days: slow. On 08-31: A 4 × 30 / 4 = 30 days, not more than 30;
    # B sold nothing: slow; C 5 × 30 / 5 = 30 days: not slow.
    "slow_moving_cost": [1090, 850, 0, 0, 970, 850, 120, 0],
    # A was out of stock on 08-15 and in on 08-31: lost 1 × (288 − 120) / 1 = 168. C was
    # first stocked on 08-31, so 08-15 is no stock-out of C.
    "stockout_lost_profit": [0, 168, 0, 0, 0, 84, 0, 84],
    "units_received": [32, 0, 0, 10, 26, 0, 6, 0],
    "purchase_cost": [1348, 0, 0, 380, 1174, 0, 174, 0],  # A 12 × 29, B 20 × 50, C 10 × 38
    "purchase_reference_cost": [1360, 0, 0, 400, 1180, 0, 180, 0],
    # 30 days from the first stock-in: A 07-01..07-30 received 12, sold 3; B 07-02..07-31
    # received 20, sold 3; C's window (08-10..09-08) is still open: credited nowhere.
    "units_received_window": [32, 0, 0, 0, 26, 0, 6, 0],
    "units_sold_window": [6, 0, 0, 0, 4.5, 0, 1.5, 0],
    # A launched 06-20: its window 06-20..07-19 holds the 07-05 line (140). B's closed in May.
    "launch_window_revenue": [140, 0, 0, 0, 70, 0, 70, 0],
}


@pytest.mark.parametrize("name", sorted(HAND))
def test_each_measure_matches_the_hand_worked_figure(result: Any, name: str) -> None:
    """Each aggregated measure equals its hand-worked figure in HAND, row for row."""
    assert column(result, name) == [float(v) for v in HAND[name]]


def test_targets_join_on_employee_and_period(result: Any) -> None:
    """Targets land on their employee and period (1000 on row 0, 600 on row 4); others are NaN."""
    values = result.table["sales_target"]
    assert values[0] == 1000.0
    assert values[4] == 600.0
    assert np.isnan(np.delete(values, [0, 4])).all()


def test_summary_reports_the_unowned_sku_and_the_windows(result: Any) -> None:
    """The summary names SKU C's unowned 500.00 and every open or partial window."""
    summary = result.summary
    assert summary.unowned == (Unowned("operator", "C", 1, 500.0),)
    assert set(summary.windows) == {
        Window("sell_through", "C", "2026-08-10", "2026-09-08", "open"),
        Window("launch", "C", "2026-08-10", "2026-09-08", "open"),
        Window("launch", "A", "2026-06-20", "2026-07-19", "partial"),
    }
    assert "no operator for C" in str(summary)


def test_totals_reconcile_role_by_role(result: Any) -> None:
    """Credited + uncredited = all order lines: 1,478 revenue, 560 cost of goods."""
    summary = result.summary
    assert (summary.revenue, summary.cogs) == (1478.0, 560.0)
    roles = {r.role: r for r in summary.roles}
    assert (roles["developer"].revenue, roles["developer"].unowned_revenue) == (1478.0, 0.0)
    assert (roles["operator"].revenue, roles["operator"].unowned_revenue) == (978.0, 500.0)
    assert (roles["operator"].cogs, roles["operator"].unowned_cogs) == (360.0, 200.0)


def test_unowned_error_mode_names_the_order_lines() -> None:
    """With `unowned="error"`, an order of an SKU without an operator is a DataError at its row."""
    with pytest.raises(ksf.DataError) as info:
        aggregate(**exports(), unowned="error")
    assert (info.value.table, info.value.column, info.value.rows) == ("orders", "sku", (4,))
    assert "no operator for SKU C" in info.value.message


def test_a_period_without_a_snapshot_has_unknown_stock() -> None:
    """September has no snapshot: its stock figures are NaN, not zero, so rules fail loudly."""
    data = exports() | {"end": "2026-09-30"}
    table = aggregate(**data).table
    september = table["period"] == "2026-09"
    assert np.isnan(table["avg_inventory_cost"][september]).all()
    assert (table["revenue"][september] == 0).all()


def test_quarters_add_the_months_up() -> None:
    """A quarter's revenue is the sum of its months', over the 62 days the range covers."""
    months = aggregate(**exports()).table
    quarter = aggregate(**exports() | {"period": "quarter", "targets": None}).table
    assert quarter["period"].tolist() == ["2026Q3"] * 4
    assert quarter["period_days"].tolist() == [62.0] * 4  # the days start..end covers
    assert quarter["revenue"].tolist() == months["revenue"].reshape(4, 2).sum(axis=1).tolist()


def test_pandas_frames_with_categoricals_give_the_same_table(result: Any) -> None:
    """pandas frames with categorical SKUs and datetime dates aggregate to the same figures."""
    pd = pytest.importorskip("pandas")
    data = exports()
    for name in ("orders", "owners", "inventory"):
        frame = pd.DataFrame(data[name])
        frame["sku"] = frame["sku"].astype("category")
        data[name] = frame
    data["orders"]["date"] = pd.to_datetime(data["orders"]["date"])
    data.pop("targets")
    again = aggregate(**data)
    for name in HAND:
        assert column(again, name) == column(result, name), name


# ---- bad data ----------------------------------------------------------------------------


def broken(table: str, column_name: str, index: int, value: object) -> dict[str, Any]:
    data = exports()
    values = list(data[table][column_name])
    values[index] = value
    data[table] = dict(data[table]) | {column_name: values}
    return data


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        (broken("orders", "currency", 2, "GBP"), ("orders", "currency", (2,)), "GBP 2026-07"),
        (broken("orders", "date", 1, "2026-09-02"), ("orders", "date", (1,)), "outside"),
        (broken("orders", "qty", 3, -1), ("orders", "qty", (3,)), "returns table"),
        (broken("orders", "price", 0, "ten"), ("orders", "price", (0,)), "not a number"),
        (broken("fx", "month", 1, "2026-07"), ("fx", "month", (0, 1)), "more than one rate"),
        (broken("owners", "employee", 4, "O1"), ("owners", "sku", (3, 4)), "twice"),
        (broken("targets", "employee", 1, "X9"), ("targets", "employee", (1,)), "own no SKU"),
        (broken("targets", "period", 0, "2026Q3"), ("targets", "period", (0,)), "2026-07"),
        (broken("reviews", "responded_48h", 0, 2), ("reviews", "responded_48h", (0,)), "0 and 1"),
        (broken("skus", "sku", 2, "A"), ("skus", "sku", (0, 2)), "more than one row"),
    ],
    ids=[
        "unknown currency",
        "date outside",
        "negative qty",
        "text price",
        "two rates",
        "owner twice",
        "target for nobody",
        "target period",
        "not a flag",
        "sku twice",
    ],
)
def test_bad_data_names_table_column_and_rows(
    data: dict[str, Any], where: tuple[str, str, tuple[int, ...]], words: str
) -> None:
    """Each kind of bad export is a DataError naming its table, column and rows, with a reason."""
    with pytest.raises(ksf.DataError) as info:
        aggregate(**data)
    assert (info.value.table, info.value.column, info.value.rows) == where
    assert words in info.value.message


def test_a_month_without_a_rate_is_an_error() -> None:
    """An order in a month without an fx rate is a DataError naming the currency and month."""
    data = exports()
    data["fx"] = {k: v[:1] + v[2:] for k, v in data["fx"].items()}  # no USD for August
    with pytest.raises(ksf.DataError) as info:
        aggregate(**data)
    assert info.value.rows == (3,)
    assert "USD 2026-08" in info.value.message


def test_shares_must_add_up_to_one() -> None:
    """Owner shares of one SKU and role adding to 0.9 are a DataError on those rows."""
    data = exports()
    data["owners"] = dict(data["owners"]) | {"share": [1, 1, 1, 0.6, 0.3, 1]}
    with pytest.raises(ksf.DataError) as info:
        aggregate(**data)
    assert (info.value.column, info.value.rows) == ("share", (3, 4))


def test_a_missing_column_is_named_with_a_suggestion() -> None:
    """A missing `qty` column is named, with the close column `quantity` suggested."""
    data = exports()
    orders = dict(data["orders"])
    orders["quantity"] = orders.pop("qty")
    with pytest.raises(ksf.DataError) as info:
        aggregate(**data | {"orders": orders})
    assert info.value.column == "qty"
    assert "quantity" in info.value.message


def test_columns_of_absent_tables_are_left_out_not_zero() -> None:
    """Measures of tables not passed are absent, not zero, so a rule reading them cannot bind."""
    data = exports()
    for name in ("ads", "inventory", "receipts", "returns", "complaints", "reviews", "skus"):
        data.pop(name)
    table = aggregate(**data).table
    assert "ad_spend" not in table
    assert "avg_inventory_cost" not in table
    book = ksf.compile("card c { acos balance 20% step 1% reward 10 }")
    with pytest.raises(ksf.KsfCompileError, match="ad_s"):
        book.evaluate(table, card="c")


# ---- properties --------------------------------------------------------------------------

ADDITIVE = ("revenue", "cogs", "units_sold", "orders", "shipping", "fees", "packaging")

lines = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C"]),
        st.integers(0, 61),  # day from 07-01
        st.integers(0, 5),
        st.integers(0, 10_000),  # price in cents
        st.sampled_from(["USD", "EUR", "CNY"]),
    ),
    min_size=1,
    max_size=30,
)


def orders_of(rows: list[tuple[str, int, int, int, str]]) -> dict[str, Any]:
    sku, day, qty, cents, currency = (list(c) for c in zip(*rows, strict=True))
    return {
        "sku": sku,
        "date": np.datetime64("2026-07-01") + np.asarray(day),
        "qty": qty,
        "price": np.asarray(cents) / 100,
        "currency": currency,
        "unit_cost": [30.0 if s == "A" else 50.0 for s in sku],
        "shipping": np.asarray(cents) / 1000,
        "packaging": [0.5] * len(sku),
        "fees": np.asarray(cents) / 700,
        "customer": [f"c{d % 4}" for d in day],
        "shipped_on_time": [d % 5 != 0 for d in day],
    }


def run(orders: dict[str, Any], *, everything: bool = False) -> dict[str, np.ndarray]:
    data = exports()
    if not everything:
        for name in ("inventory", "receipts", "skus", "ads", "returns", "complaints", "reviews"):
            data.pop(name)
    return dict(aggregate(**data | {"orders": orders}).table)


@given(lines, st.randoms(use_true_random=False))
def test_order_of_order_lines_does_not_matter(rows: list[Any], random: Any) -> None:
    """Every column — windows, stock-outs, customers included — ignores the lines' order."""
    shuffled = list(rows)
    random.shuffle(shuffled)
    first = run(orders_of(rows), everything=True)
    second = run(orders_of(shuffled), everything=True)
    assert first.keys() == second.keys()
    for name, values in first.items():
        if values.dtype.kind == "f":
            np.testing.assert_allclose(values, second[name], rtol=1e-12, atol=1e-9)
        else:
            assert values.tolist() == second[name].tolist()


@given(lines, lines)
def test_aggregation_adds_up_over_disjoint_order_sets(left: list[Any], right: list[Any]) -> None:
    """Additive measures of two disjoint sets of orders add up to those of their union."""
    whole = run(orders_of(left + right))
    parts = run(orders_of(left)), run(orders_of(right))
    for name in ADDITIVE:
        np.testing.assert_allclose(whole[name], parts[0][name] + parts[1][name], atol=1e-9)


def test_an_empty_range_needs_start_and_end() -> None:
    """No orders with start and end give zero revenue; without them it is a DataError."""
    owners = {"sku": ["A"], "role": ["developer"], "employee": ["D1"]}
    orders = {c: [] for c in ("sku", "date", "qty", "price", "currency", "unit_cost")}
    table = aggregate(orders, owners, start="2026-07-01", end="2026-07-31").table
    assert table["revenue"].tolist() == [0.0]
    with pytest.raises(ksf.DataError, match="pass start and end"):
        aggregate(orders, owners)


def test_empty_keys_are_named_whatever_their_kind() -> None:
    """An SKU of None or NaN is a DataError naming the sku column and those rows."""
    data = exports()
    sku = np.asarray(data["orders"]["sku"], dtype=object)
    sku[1], sku[3] = None, float("nan")
    data["orders"] = dict(data["orders"]) | {"sku": sku}
    with pytest.raises(ksf.DataError) as info:
        aggregate(**data)
    assert (info.value.column, info.value.rows) == ("sku", (1, 3))


@pytest.mark.parametrize("library", ["polars", "pyarrow"])
def test_polars_and_arrow_tables_give_the_same_table(result: Any, library: str) -> None:
    """polars and Arrow tables aggregate to the same figures as plain columns."""
    module = pytest.importorskip(library)
    data = exports()
    for name in ("orders", "owners", "fx", "ads", "inventory", "receipts", "returns"):
        columns = data[name]
        data[name] = module.DataFrame(columns) if library == "polars" else module.table(columns)
    for name in ("complaints", "reviews", "skus", "targets"):
        data.pop(name)
    again = aggregate(**data)
    for name in ("revenue", "cogs", "ad_spend", "avg_inventory_cost", "units_received_window"):
        assert column(again, name) == column(result, name), name


def test_targets_with_a_role_join_on_it_too() -> None:
    """O1 is also C's developer here: a target per role lands on that role's row only."""
    data = exports()
    data["owners"] = {
        "sku": ["A", "B", "C", "A", "A", "B"],
        "role": ["developer"] * 3 + ["operator"] * 3,
        "employee": ["D1", "D1", "O1", "O1", "O2", "O1"],
    }
    data["targets"] = {
        "employee": ["O1", "O1"],
        "role": ["operator", "developer"],
        "period": ["2026-07", "2026-08"],
        "sales_target": [600.0, 300.0],
    }
    table = aggregate(**data).table
    rows = zip(table["employee"], table["role"], table["period"], strict=True)
    target = dict(zip(rows, table["sales_target"].tolist(), strict=True))
    assert target[("O1", "operator", "2026-07")] == 600.0
    assert target[("O1", "developer", "2026-08")] == 300.0
    assert np.isnan(target[("O1", "developer", "2026-07")])


def test_two_targets_for_one_row_are_an_error() -> None:
    """Two targets for one employee and period are a DataError on both target rows."""
    data = exports()
    data["targets"] = {"employee": ["D1", "D1"], "period": ["2026-07", "2026-07"], "t": [1, 2]}
    with pytest.raises(ksf.DataError) as info:
        aggregate(**data)
    assert (info.value.table, info.value.rows) == ("targets", (0, 1))
