"""The standard indicator library: complete, described, each formula right, used by name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ksf
from ksf import ir
from ksf.indicators import aggregate, catalogue, descriptions
from ksf.rulebook import standard_columns, standard_library

HIGHER, LOWER = 1, -1

# The list, with the unit and direction each must carry.
EXPECTED = {
    "gross_margin": ("percent", HIGHER),
    "net_gross_profit": ("money", HIGHER),
    "net_gross_margin": ("percent", HIGHER),
    "acos": ("percent", LOWER),
    "roas": ("ratio", HIGHER),
    "promo_roi": ("ratio", HIGHER),
    "ad_sales_share": ("percent", LOWER),
    "inventory_turnover": ("ratio", HIGHER),
    "inventory_days": ("days", LOWER),
    "sell_through_90d": ("percent", HIGHER),
    "slow_moving_ratio": ("percent", LOWER),
    "return_rate": ("percent", LOWER),
    "complaint_rate": ("percent", LOWER),
    "repurchase_rate": ("percent", HIGHER),
    "stockout_loss": ("money", LOWER),
    "sales_attainment": ("percent", HIGHER),
    "profit_attainment": ("percent", HIGHER),
    "on_time_ship_rate": ("percent", HIGHER),
    "negative_review_response_48h": ("percent", HIGHER),
    "ad_budget_deviation": ("percent", LOWER),
    "purchase_cost_saving": ("money", HIGHER),
    "lifecycle_sales": ("money", HIGHER),
}
CHINESE = {
    "net_gross_profit": "净毛利",
    "promo_roi": "推广费效比",
    "inventory_days": "库存周转天数",
}
CHINESE |= {"slow_moving_ratio": "滞销占比", "stockout_loss": "断货损失"}


def test_the_library_defines_exactly_the_standard_indicators() -> None:
    """Every indicator of the issue is there with its unit and direction, and no other."""
    library = standard_library()
    assert {name: (n.unit, n.direction) for name, n in library.items()} == EXPECTED
    assert all(n.origin == "library" for n in library.values())


def test_every_indicator_has_a_chinese_name_a_formula_and_a_description() -> None:
    """`ksf indicators` lists these: none may be empty."""
    library = standard_library()
    texts = descriptions()
    assert set(texts) == set(library)
    for name, named in library.items():
        assert named.label, name
        assert not named.label.isascii(), name
        assert named.text, name
        assert "=" not in named.text, name  # the expression, not the statement
        assert texts[name].endswith("."), (name, texts[name])
    for name, label in CHINESE.items():
        assert library[name].label == label


def test_catalogue_lists_each_indicator_with_what_a_listing_shows() -> None:
    """The catalogue joins the parsed definitions with their descriptions, in file order."""
    entries = catalogue(standard_library())
    assert [e.name for e in entries][:3] == ["gross_margin", "net_gross_profit", "net_gross_margin"]
    margin = entries[0]
    assert (margin.label, margin.unit, margin.direction) == (
        "毛利率",
        "percent",
        "higher_is_better",
    )
    assert margin.formula == "(revenue - cogs) / revenue"
    assert margin.description == descriptions()["gross_margin"]
    assert sorted(e.name for e in entries) == sorted(EXPECTED)


# name, raw columns, scale, expected bonus (the indicator times scale, to the cent)
FIGURES = [
    # (100,000 − 67,000) / 100,000 = 0.33
    ("gross_margin", {"revenue": 100_000, "cogs": 67_000}, 10_000, 3300.0),
    # 100,000 − (60,000 + 2,000 + 8,000 + 10,000) = 20,000
    (
        "net_gross_profit",
        {"revenue": 100_000, "landed_cost": 60_000, "packaging": 2_000, "shipping": 8_000}
        | {"marketing": 10_000},
        1,
        20_000.0,
    ),
    # 20,000 / 100,000 = 0.2
    (
        "net_gross_margin",
        {"revenue": 100_000, "landed_cost": 60_000, "packaging": 2_000, "shipping": 8_000}
        | {"marketing": 10_000},
        10_000,
        2000.0,
    ),
    ("acos", {"ad_spend": 2_500, "ad_sales": 10_000}, 10_000, 2500.0),  # 0.25
    ("roas", {"ad_spend": 2_500, "ad_sales": 10_000}, 1, 4.0),  # 10,000 / 2,500
    ("promo_roi", {"revenue": 30_000, "marketing": 10_000}, 1, 3.0),  # 1:3
    ("ad_sales_share", {"ad_sales": 10_000, "revenue": 40_000}, 10_000, 2500.0),  # 0.25
    ("inventory_turnover", {"cogs": 90_000, "avg_inventory_cost": 60_000}, 100, 150.0),  # 1.5
    # 30 days × 60,000 / 90,000 = 20 days
    (
        "inventory_days",
        {"period_days": 30, "avg_inventory_cost": 60_000, "cogs": 90_000},
        1,
        20.0,
    ),
    (
        "sell_through_90d",
        {"units_sold_window": 450, "units_received_window": 600},
        10_000,
        7500.0,
    ),  # 0.75
    (
        "slow_moving_ratio",
        {"slow_moving_cost": 12_000, "closing_inventory_cost": 80_000},
        10_000,
        1500.0,
    ),  # 0.15
    ("return_rate", {"units_returned": 30, "units_sold": 1_000}, 10_000, 300.0),  # 0.03
    ("complaint_rate", {"complaints": 8, "orders": 400}, 10_000, 200.0),  # 0.02
    ("repurchase_rate", {"repeat_customers": 45, "customers": 300}, 10_000, 1500.0),  # 0.15
    ("stockout_loss", {"stockout_lost_profit": 5_000}, 1, 5000.0),
    ("sales_attainment", {"revenue": 1_050_000, "sales_target": 1_000_000}, 10_000, 10_500.0),
    # net gross profit 20,000 over a 25,000 target = 0.8
    (
        "profit_attainment",
        {"revenue": 100_000, "landed_cost": 60_000, "packaging": 2_000, "shipping": 8_000}
        | {"marketing": 10_000, "profit_target": 25_000},
        10_000,
        8000.0,
    ),
    ("on_time_ship_rate", {"shipped_on_time": 485, "shipments": 500}, 10_000, 9700.0),  # 0.97
    (
        "negative_review_response_48h",
        {"reviews_responded_48h": 18, "negative_reviews": 24},
        10_000,
        7500.0,
    ),  # 0.75
    # |2,300 − 2,000| / 2,000 = 0.15: overspending strays from the budget ...
    ("ad_budget_deviation", {"ad_spend": 2_300, "ad_budget": 2_000}, 10_000, 1500.0),
    # ... and so does underspending: |1,700 − 2,000| / 2,000 = 0.15
    ("ad_budget_deviation", {"ad_spend": 1_700, "ad_budget": 2_000}, 10_000, 1500.0),
    # 52,000 at reference unit costs − 50,000 paid = 2,000 saved
    (
        "purchase_cost_saving",
        {"purchase_reference_cost": 52_000, "purchase_cost": 50_000},
        1,
        2000.0,
    ),
    ("lifecycle_sales", {"launch_window_revenue": 320_000}, 1, 320_000.0),
]


@pytest.mark.parametrize(("name", "columns", "scale", "expected"), FIGURES)
def test_each_indicator_computes_its_hand_worked_figure(
    name: str, columns: dict[str, float], scale: float, expected: float
) -> None:
    """A card that reads the indicator by name pays exactly the figure worked by hand."""
    book = ksf.compile(f"card c {{ bonus {name} * {scale} }}")
    pay = book.evaluate({k: [float(v)] for k, v in columns.items()}, card="c")
    assert pay.total.tolist() == [expected]


def test_every_indicator_has_a_worked_figure() -> None:
    """No indicator of the library goes untested above."""
    assert {name for name, *_ in FIGURES} == set(EXPECTED)


# ---- raw exports → aggregate → evaluate, with the standard indicators by name ----------------

RULES = """
card developer {
  gross_margin     balance 30% step 1% reward 100
  sell_through_90d balance 50% step 5% reward 200
}
card operator {
  gross_margin balance 40% step 1% reward 100 penalty 50
  acos         balance 25% step 1% reward 100
}
"""


def raw_exports() -> dict[str, object]:
    """Two SKUs over a quarter: A sold in USD at 7.0, B in CNY; one developer, two operators."""
    return {
        "orders": {
            "sku": ["A", "A", "B"],
            "date": ["2026-07-03", "2026-07-20", "2026-07-10"],
            "qty": [10, 5, 20],
            "price": [10.0, 12.0, 100.0],  # USD, USD, CNY
            "currency": ["USD", "USD", "CNY"],
            "unit_cost": [42.0, 42.0, 65.0],  # CNY landed cost
        },
        "owners": {
            "sku": ["A", "B", "A", "B"],
            "role": ["developer", "developer", "operator", "operator"],
            "employee": ["E1", "E1", "E2", "E3"],
        },
        "fx": {
            "currency": ["USD"] * 3,
            "month": ["2026-07", "2026-08", "2026-09"],
            "rate": [7.0] * 3,
        },
        "ads": {
            "sku": ["A", "B"],
            "date": ["2026-07-07", "2026-07-14"],
            "spend": [20.0, 300.0],
            "sales": [100.0, 1000.0],
            "currency": ["USD", "CNY"],
        },
        "receipts": {
            "sku": ["A", "B"],
            "date": ["2026-07-01", "2026-07-02"],
            "qty": [20, 25],
            "unit_cost": [42.0, 65.0],
        },
        "start": "2026-07-01",
        "end": "2026-09-30",
    }


def test_raw_exports_to_pay_with_standard_indicators_by_name() -> None:
    """The whole path: hand-worked pay from raw order lines, ads and stock-ins.

    A: revenue 10×10×7 + 5×12×7 = 1,120, cogs 15×42 = 630; ads 140 spent, 700 sold.
    B: revenue 20×100 = 2,000, cogs 20×65 = 1,300; ads 300 spent, 1,000 sold.
    Sell-through (90 days from the first stock-in, closed 09-28 and 09-29): A sold all
    15 of its units in the window, of 20 received; B 20 of 25.

    E1 (developer of A and B): gross margin (3,120 − 1,930) / 3,120 = 38.14% → 8 steps →
    800; sell-through 35 / 45 = 77.78% → 5 whole steps of 5% → 1,000. Total 1,800.
    E2 (operator of A): gross margin 490 / 1,120 = 43.75% → 3 steps → 300; ACoS
    140 / 700 = 20%, 5 steps better than 25% → 500. Total 800.
    E3 (operator of B): gross margin 35%, 5 steps worse → −250; ACoS 30%, 5 steps worse,
    penalty = reward → −500. Total −750.
    """
    result = aggregate(**raw_exports(), period="quarter")  # type: ignore[arg-type]
    table = dict(result.table)
    assert table["employee"].tolist() == ["E1", "E2", "E3"]
    table["card"] = table["role"]
    pay = ksf.compile(RULES).evaluate(table)
    assert pay["gross_margin"].tolist() == [800.0, 300.0, -250.0]
    assert pay["sell_through_90d"].tolist() == [1000.0, 0.0, 0.0]
    assert pay["acos"].tolist() == [0.0, 500.0, -500.0]
    assert pay.total.tolist() == [1800.0, 800.0, -750.0]


def test_a_file_indicator_overrides_the_library() -> None:
    """`indicator gross_margin = …` in the file wins (LANGUAGE.md §2, rule 1).

    Here the file's margin also takes the ad spend off: E2 (490 − 140) / 1,120 = 31.25%,
    8 whole steps below the 40% balance → −400 (the library's margin would pay +300).
    """
    text = "indicator gross_margin = (revenue - cogs - ad_spend) / revenue percent\n" + RULES
    table = dict(aggregate(**raw_exports(), period="quarter").table)  # type: ignore[arg-type]
    table["card"] = table["role"]
    pay = ksf.compile(text).evaluate(table)
    assert pay["gross_margin"].tolist()[1] == -400.0


def test_a_data_column_named_like_a_standard_indicator_wins() -> None:
    """A `gross_margin` column comes before the library (LANGUAGE.md §2, rule 2)."""
    table = dict(aggregate(**raw_exports(), period="quarter").table)  # type: ignore[arg-type]
    table["card"] = table["role"]
    table["gross_margin"] = np.array([0.32, 0.45, 0.40])  # +2, +5 and 0 steps
    pay = ksf.compile(RULES).evaluate(table)
    assert pay["gross_margin"].tolist() == [200.0, 500.0, 0.0]


def test_explain_shows_the_library_formula() -> None:
    """Because the library is written in the rule language, explain can print the formula."""
    table = dict(aggregate(**raw_exports(), period="quarter").table)  # type: ignore[arg-type]
    table["card"] = table["role"]
    text = ksf.compile(RULES).evaluate(table).explain(0)
    assert "(revenue - cogs) / revenue" in text


def test_the_docs_table_says_what_the_library_says() -> None:
    """docs/indicators.md lists every indicator with the library's own formula and words."""
    docs = Path(__file__).resolve().parents[1] / "docs" / "indicators.md"
    text = docs.read_text(encoding="utf-8")
    section = text.split("## The indicators", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip("|").split(" | ")]
        for line in section.splitlines()
        if line.startswith("| `")
    ]
    better = {"higher_is_better": "higher", "lower_is_better": "lower"}
    expected = [
        [f"`{e.name}`", e.label, f"`{e.formula}`", e.unit, better[e.direction], e.description]
        for e in catalogue(standard_library())
    ]
    assert rows == expected


def test_the_docs_column_table_says_what_the_library_declares() -> None:
    """docs/indicators.md lists every raw column with the unit and bounds standard.ksf gives."""
    docs = Path(__file__).resolve().parents[1] / "docs" / "indicators.md"
    text = docs.read_text(encoding="utf-8")
    section = text.split("## Raw columns and their domains", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip("|").split(" | ")]
        for line in section.splitlines()
        if line.startswith("| `")
    ]
    raw = {n: c for n, c in standard_columns().items() if c.origin == "library"}
    expected = [
        [f"`{c.name}`", c.unit or "", f"`{c.text}`" if c.text else "any"] for c in raw.values()
    ]
    assert rows == expected
    # every raw column an indicator reads is declared, and nothing else is
    read = {
        n.name
        for d in standard_library().values()
        for n in ir.walk(d.expr)
        if isinstance(n, ir.Free)
    } - set(standard_library())
    assert read == set(raw)


def test_the_docs_share_table_says_what_the_library_declares() -> None:
    """docs/indicators.md lists the domain of every indicator a data column can stand in for."""
    docs = Path(__file__).resolve().parents[1] / "docs" / "indicators.md"
    text = docs.read_text(encoding="utf-8")
    section = text.split("## Indicators the data supplies", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip("|").split(" | ")]
        for line in section.splitlines()
        if line.startswith("| `")
    ]
    shares = [c for c in standard_columns().values() if c.origin == "indicator"]
    assert rows == [[f"`{c.name}`", f"`{c.text}`"] for c in shares]
    assert all(c.name in standard_library() for c in shares)
