"""The seeded synthetic seller: reproducible, plausible, and ready for `aggregate`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ksf.examples.synthetic import CURRENCIES, MARKETS, employees, generate
from ksf.indicators import aggregate

TABLES = ("orders", "owners", "fx", "ads", "inventory", "receipts", "returns", "complaints")
TABLES += ("reviews", "skus", "targets")


@pytest.fixture(scope="module")
def year() -> dict[str, Any]:
    """A calendar year, so the season shows: 120 SKUs, 60,000 order lines."""
    return generate(seed=7, skus=120, months=12, order_lines=60_000, start="2026-01-01")


@pytest.fixture(scope="module")
def result(year: dict[str, Any]) -> Any:
    return aggregate(**year)


def test_the_same_seed_gives_the_same_tables() -> None:
    """The same seed gives identical tables and columns."""
    first, second = generate(seed=3), generate(seed=3)
    for name in TABLES:
        assert first[name].keys() == second[name].keys()
        for column, values in first[name].items():
            assert np.array_equal(values, second[name][column]), (name, column)


def test_another_seed_gives_other_orders() -> None:
    """Seeds 1 and 2 give different order prices."""
    assert not np.array_equal(
        generate(seed=1)["orders"]["price"], generate(seed=2)["orders"]["price"]
    )


def test_three_marketplaces_in_their_currencies(year: dict[str, Any]) -> None:
    """Three marketplaces, each in its currency, yen whole; fx has 36 monthly rates."""
    orders = year["orders"]
    assert set(orders["marketplace"]) == set(MARKETS)
    pairs = set(zip(orders["marketplace"].tolist(), orders["currency"].tolist(), strict=True))
    assert pairs == set(zip(MARKETS, CURRENCIES, strict=True))
    yen = orders["price"][orders["currency"] == "JPY"]
    assert (yen == np.trunc(yen)).all()  # whole yen
    assert len(year["fx"]["rate"]) == 3 * 12  # every foreign currency, every month


def test_every_sku_has_a_developer_an_operator_and_a_buyer(result: Any) -> None:
    """No SKU is unowned: every role's people appear, and each role sees the whole revenue."""
    assert result.summary.unowned == ()
    team = employees()
    for role, people in team.items():
        assert set(result.table["employee"][result.table["role"] == role]) == set(people)
    for role in result.summary.roles:
        assert role.revenue == pytest.approx(result.summary.revenue, rel=1e-12)


def test_hits_and_duds(year: dict[str, Any]) -> None:
    """A tenth of the SKUs have over 40% of the order lines; the bottom third under a tenth."""
    units = np.unique(year["orders"]["sku"], return_counts=True)[1]
    units = np.sort(units)[::-1] / units.sum()
    assert units[: len(units) // 10].sum() > 0.4
    assert units[-len(units) // 3 :].sum() < 0.1


def test_the_fourth_quarter_sells_most(result: Any) -> None:
    """Per day, every month of November and December outsells every month of January to June."""
    table = result.table
    developers = table["role"] == "product_developer"
    revenue = np.bincount(
        np.searchsorted(np.unique(table["period"]), table["period"][developers]),
        weights=table["revenue"][developers] / table["period_days"][developers],
    )
    assert revenue[10:].min() > revenue[:6].max()  # per day: November, December lead


def test_slow_movers_and_stock_outs_exist(result: Any) -> None:
    """Buyers have slow-moving stock and lost sales; the gross margin is between 30% and 60%."""
    table = result.table
    buyers = table["role"] == "supply_chain"
    ratio = table["slow_moving_cost"][buyers] / table["closing_inventory_cost"][buyers]
    assert 0.05 < np.nanmedian(ratio) < 0.9
    assert (table["stockout_lost_profit"][buyers] > 0).any()
    margin = 1 - table["cogs"].sum() / table["revenue"].sum()
    assert 0.3 < margin < 0.6


def test_frames_give_the_same_aggregation() -> None:
    """The pandas frames of a seed aggregate to the same table as its arrays."""
    pytest.importorskip("pandas")
    arrays, frames = generate(seed=5), generate(seed=5, frames=True)
    assert str(frames["orders"]["sku"].dtype) == "category"
    first, second = aggregate(**arrays).table, aggregate(**frames).table
    for name, values in first.items():
        if values.dtype.kind == "f":
            np.testing.assert_allclose(values, second[name], rtol=1e-12)
        else:
            assert values.tolist() == second[name].tolist()


def test_too_small_a_seller_is_refused() -> None:
    """Fewer than 6 SKUs is a ValueError."""
    with pytest.raises(ValueError, match="at least 6 SKUs"):
        generate(skus=3)


def test_each_role_reconciles_with_the_order_lines_it_owns(year: dict[str, Any]) -> None:
    """Σ revenue over a role's employees = Σ over the order lines of SKUs owned in it.

    A tenth of the SKUs lose their operator, so the operators' sum is a strict part.
    """
    owners = {k: np.asarray(v) for k, v in year["owners"].items()}
    orphans = np.unique(owners["sku"])[::10]
    keep = ~((owners["role"] == "operator") & np.isin(owners["sku"], orphans))
    data = year | {"owners": {k: v[keep] for k, v in owners.items()}}
    result = aggregate(**data)
    orders, fx = year["orders"], year["fx"]
    month = orders["date"].astype("datetime64[M]").astype(str)
    rate = {(c, m): r for c, m, r in zip(fx["currency"], fx["month"], fx["rate"], strict=True)}
    line_rate = np.asarray(
        [rate.get((c, m), 1.0) for c, m in zip(orders["currency"], month, strict=True)]
    )
    line_revenue = orders["qty"] * orders["price"] * line_rate
    for role in ("product_developer", "operator", "supply_chain"):
        owned = np.unique(data["owners"]["sku"][data["owners"]["role"] == role])
        expected = line_revenue[np.isin(orders["sku"], owned)].sum()
        credited = result.table["revenue"][result.table["role"] == role].sum()
        assert credited == pytest.approx(expected, rel=1e-12)
    operators = {r.role: r for r in result.summary.roles}["operator"]
    assert operators.unowned_revenue > 0
    assert operators.revenue + operators.unowned_revenue == pytest.approx(result.summary.revenue)
