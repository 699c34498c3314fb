"""Units: a percent written without `%` is refused where it cannot be meant, and impossible
data (a negative count read by a standard indicator) is refused where a card reads it.

Which slips are errors and which are warnings is set out in docs/errors.md ("Units").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ksf
from ksf.cli import main


def refused(text: str) -> ksf.KsfCompileError:
    with pytest.raises(ksf.KsfCompileError) as caught:
        ksf.compile(text, name="pay.ksf")
    return caught.value


def where(error: ksf.KsfCompileError) -> list[tuple[int, int, str | None]]:
    return [(d.span.line, d.span.column, d.hint) for d in error.errors]


# ---- A. numbers without `%` --------------------------------------------------------------


def test_of_without_percent_is_refused() -> None:
    """`bonus 15 of profit` would pay 15 times the profit: `of` takes a percent."""
    error = refused("card a {\n  bonus 15 of profit\n}\n")
    assert str(error) == (
        "pay.ksf:2:9: error: `15 of profit` has no `%`: `of` takes a percent (15% of x is "
        "0.15 * x)\n"
        "1 | card a {\n"
        "2 |   bonus 15 of profit\n"
        "  |         ^^\n"
        "hint: write `15% of profit`; for 15 times it, write `15 * profit`"
    )


def test_of_with_a_fraction_or_a_ratio_is_refused_too() -> None:
    """0.15 may mean 15% or 0.15%, and 1:3 is no percent: the `%` says which."""
    error = refused("card a { bonus 0.15 of (sales - refunds) when 1:3 of x > 0 }")
    assert where(error) == [
        (
            1,
            16,
            "write `15% of (sales - refunds)`, or `0.15% of (sales - refunds)` if that is meant",
        ),
        (1, 47, "write `300% of x` or `3 * x`"),
    ]


def test_of_with_percent_pays_the_percent() -> None:
    """15% of 2000 is 300; 150% of a base (a bonus of one and a half months) is allowed."""
    book = ksf.compile("card a { bonus 15% of profit; bonus 150% of base_pay as extra }")
    pay = book.evaluate({"profit": [2000.0], "base_pay": [6000.0]})
    assert pay["bonus"].tolist() == [300.0]
    assert pay["extra"].tolist() == [9000.0]


def test_pool_share_over_100_percent_is_refused() -> None:
    """`share 20` is 2000% of the increment; `share 120%` is more than all of it too."""
    error = refused(
        "pool p { profit above 100 share 20 }\npool q { profit above 100 share 120% }\n"
        "card a { share p; share q }\n"
    )
    assert where(error) == [
        (1, 33, "write `share 20%`"),
        (2, 33, "a pool shares at most 100% of the amount above its threshold"),
    ]
    assert error.errors[0].message == (
        "`share 20` is 2000% of the amount above the threshold: the pool would pay out more "
        "than all of it"
    )


def test_step_of_one_on_a_percent_value_is_refused() -> None:
    """`step 1` on a margin is 100 points a step: no one reaches it, the line pays nothing."""
    error = refused("card a {\n  gross_margin balance 30% step 1 reward 200\n}\n")
    assert where(error) == [(2, 33, "write `step 1%`")]
    assert error.errors[0].message.startswith(
        "`gross_margin` is a percentage (38.6% is 0.386), so `step 1` is a step of 100%"
    )


def test_points_of_a_percent_value_without_percent_are_refused() -> None:
    """`balance 25` on a file indicator in percent is 2500%; `beyond 35` is 3500%."""
    text = (
        "indicator margin = (revenue - cogs) / revenue  percent\n"
        "card a {\n"
        "  margin balance 25 step 1% reward 10 beyond 35 reward 20\n"
        "  margin balance 0.3 step 0.01 reward 10 as fine\n"
        "}\n"
    )
    error = refused(text)
    assert [(d.span.line, d.span.column, d.message) for d in error.errors] == [
        (3, 18, "`margin` is a percentage (38.6% is 0.386), so `balance 25` means 2500%"),
        (3, 46, "`margin` is a percentage (38.6% is 0.386), so `beyond 35` means 3500%"),
    ]
    assert error.errors[0].hint == "write `balance 25%`"


def test_kpi_bounds_of_an_attainment_without_percent_are_refused() -> None:
    """An attainment of 90 is 9000%: a score on it would give everyone 0 points."""
    error = refused(
        "score s { sales_attainment weight 100% baseline 90 target 100 challenge 110 }\n"
        "card a { bonus 100 scaled_by s / 100 }\n"
    )
    assert [(d.span.column, d.hint) for d in error.errors] == [
        (49, "write `baseline 90%`"),
        (59, "write `target 100%`"),
        (73, "write `challenge 110%`"),
    ]


def test_a_declared_percent_column_is_checked_like_an_indicator() -> None:
    """`column 毛利率 percent` says what the data holds: `balance 25` is then refused."""
    text = "column 毛利率 percent\ncard a { 毛利率 balance 25 step 1% reward 10 }\n"
    assert where(refused(text)) == [(2, 22, "write `balance 25%`")]


def test_commission_on_money_above_100_percent_is_refused() -> None:
    """`commission revenue rate 15` pays 1500% of the revenue; tiers are checked too."""
    error = refused("card a { commission revenue rate 2% beyond 100000 rate 3 }")
    assert where(error) == [(1, 56, "write `rate 3%`")]


def test_comparing_a_percent_with_a_plain_number_is_refused() -> None:
    """`when gross_margin >= 30` is never true: a margin of 30% is 0.3."""
    error = refused("card a { bonus 100 when gross_margin >= 30 or 5 > return_rate }")
    assert where(error) == [(1, 41, "write 30%"), (1, 47, "write 5%")]
    assert error.errors[0].message == (
        "`gross_margin` is a percentage (38.6% is 0.386), so comparing it with 30 compares it "
        "with 3000%"
    )


def test_a_table_looked_up_with_a_percent_needs_percent_rows() -> None:
    """`coef(sales_attainment)` on rows `>= 90` would always give the else row."""
    text = (
        "table coef {\n  >= 90 : 1.2\n  >= 80 : 1\n  else : 0\n}\n"
        "card a { bonus 100 scaled_by coef(sales_attainment); bonus 1 scaled_by coef(x) as b }\n"
    )
    assert where(refused(text)) == [(2, 6, "write `>= 90%` (the call is on line 6)")]
    fine = text.replace(">= 90", ">= 90%").replace(">= 80", ">= 80%")
    pay = ksf.compile(fine).evaluate({"sales_attainment": [0.95], "x": [0.5]})
    assert pay.total.tolist() == [120.0]  # 95% meets the 90% row: 100 × 1.2; x 0.5: else, 0


def test_what_can_be_meant_still_compiles_and_pays() -> None:
    """Ratios, days, money and attainments over 100% keep their plain numbers."""
    text = (
        "card a {\n"
        "  roas balance 3 step 0.5 reward 100\n"
        "  promo_roi balance 1:3 step 0.1 reward 80\n"
        "  inventory_days balance 45 step 5 reward 50\n"
        "  sales_attainment balance 1.1 step 5% reward 100\n"
        "  lifecycle_sales balance 300000 step 10000 reward 50\n"
        "  commission units_sold rate 15\n"
        "}\n"
    )
    book = ksf.compile(text)
    assert book.warnings == ()
    data = {
        "roas": [4.0],
        "promo_roi": [3.3],
        "inventory_days": [35.0],
        "sales_attainment": [1.2],
        "lifecycle_sales": [320000.0],
        "units_sold": [10.0],
    }
    pay = book.evaluate(data)
    # roas +2 steps, promo_roi +3, inventory_days 2 steps lower, attainment +2, sales +2
    assert pay.total.tolist() == [200 + 240 + 100 + 200 + 100 + 150]


def test_check_command_refuses_the_slip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf check` prints the located error and exits 1."""
    path = tmp_path / "pay.ksf"
    path.write_text("card a {\n  bonus 15 of profit\n}\n", encoding="utf-8")
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert ":2:9: error: `15 of profit` has no `%`" in err
    assert "hint: write `15% of profit`" in err


# ---- B. impossible inputs ----------------------------------------------------------------

RATE = "card a { complaint_rate balance 2% step 0.1% reward 50 lower_is_better }\n"


def test_negative_count_read_by_a_standard_indicator_is_refused() -> None:
    """-2 complaints over -100 orders is a 2% rate by arithmetic, but no such shop exists."""
    data = {
        "employee": ["E1", "E2", "E3", "E4"],
        "complaints": [1.0, -2.0, 3.0, -1.0],
        "orders": [100.0, -100.0, 100.0, 50.0],
    }
    with pytest.raises(ksf.DataError) as caught:
        ksf.compile(RATE).evaluate(data)
    error = caught.value
    assert error.column == "complaints"
    assert error.rows == (1, 3)
    assert error.labels == ("E2", "E4")
    assert str(error) == (
        "data error: impossible value: `complaints` is a count that must be >= 0 (as the "
        "standard library declares it) (column 'complaints')\n  employees: E2, E4"
    )


def test_negative_stock_is_refused_in_every_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows in several blocks are all named, not only those of the first block."""
    monkeypatch.setattr("ksf.frame.BLOCK_ROWS", 2)
    cost = np.array([100.0, 90.0, 80.0, -5.0, 70.0, -1.0])
    data = {"cogs": np.full(6, 300.0), "avg_inventory_cost": cost}
    book = ksf.compile("card a { inventory_turnover balance 3 step 0.5 reward 10 }")
    with pytest.raises(ksf.DataError) as caught:
        book.evaluate(data)
    assert (caught.value.column, caught.value.rows) == ("avg_inventory_cost", (3, 5))


def test_only_rows_whose_card_reads_the_value_count() -> None:
    """A negative count on a row of another card is not read, so it is not an error."""
    text = RATE + "card b { base 1000 }\n"
    data = {
        "card": ["a", "b"],
        "complaints": [1.0, -7.0],
        "orders": [100.0, -1.0],
    }
    pay = ksf.compile(text).evaluate(data)
    # complaint_rate 1% is 10 steps below the 2% balance, lower is better: +500
    assert pay.total.tolist() == [500.0, 1000.0]


def test_a_column_read_directly_is_not_the_standard_indicator() -> None:
    """A data column the card reads itself keeps its meaning; a net loss can be negative."""
    text = (
        "card a {\n  commission net_gross_profit rate 10%\n  orders balance 0 step 1 reward 1\n}\n"
    )
    pay = ksf.compile(text).evaluate({"net_gross_profit": [-500.0], "orders": [3.0]})
    # 10% of a 500 loss is −50; 3 orders are 3 steps of 1 above 0: +3
    assert pay.total.tolist() == [-47.0]


def test_a_count_read_directly_is_still_a_count() -> None:
    """`commission units_sold rate 15` on −3 units would pay −45: a count is never negative."""
    book = ksf.compile("card a { commission units_sold rate 15; bonus 10 * orders as b }")
    with pytest.raises(ksf.DataError) as info:
        book.evaluate({"employee": ["E1", "E2"], "units_sold": [4.0, -3.0], "orders": [1.0, 2.0]})
    assert (info.value.column, info.value.labels) == ("units_sold", ("E2",))
    assert "as the standard library declares it" in info.value.message


def test_money_that_flows_may_be_negative() -> None:
    """Revenue and cost net of returns can be negative in a month: no bound, so it is paid."""
    data = {
        "revenue": [-1000.0],
        "landed_cost": [-400.0],
        "packaging": [0.0],
        "shipping": [0.0],
        "marketing": [100.0],
    }
    book = ksf.compile("card a { commission net_gross_profit rate 10% }")
    assert book.evaluate(data).total.tolist() == [-70.0]


def test_a_file_can_declare_a_domain() -> None:
    """`column stock count >= 0` holds wherever the file reads `stock`; missing is still missing."""
    text = "column stock count >= 0\ncard a { stock balance 100 step 10 reward 5 }\n"
    book = ksf.compile(text)
    assert book.evaluate({"stock": [130.0]}).total.tolist() == [15.0]
    with pytest.raises(ksf.DataError) as caught:
        book.evaluate({"stock": [130.0, -10.0, np.nan]})
    assert (caught.value.column, caught.value.rows) == ("stock", (1,))
    expected = "`stock` is a count that must be >= 0 (as the rule file declares it)"
    assert expected in str(caught.value)


def test_a_rate_can_be_bounded_on_both_sides() -> None:
    """`column attendance percent >= 0% <= 100%`: 101% is refused, 100% is paid."""
    text = "column attendance percent >= 0% <= 100%\ncard a { bonus 1000 when attendance >= 95% }\n"
    book = ksf.compile(text)
    assert book.evaluate({"attendance": [1.0, 0.9]}).total.tolist() == [1000.0, 0.0]
    with pytest.raises(ksf.DataError) as caught:
        book.evaluate({"attendance": [1.01]})
    assert caught.value.rows == (0,)


def test_column_declarations_are_checked() -> None:
    """Unknown units, `==` bounds, two lower bounds, empty domains, names taken: located."""
    text = (
        "indicator k = x * 2\n"
        "column a percnt\n"
        "column b == 1\n"
        "column c >= 0 > 1\n"
        "column d >= 5 <= 1\n"
        "column k count\n"
        "column e money\n"
        "column e money\n"
    )
    error = refused(text)
    assert [(d.span.line, d.message) for d in error.errors] == [
        (2, "unknown unit `percnt`"),
        (3, "`==` cannot bound a column"),
        (4, "column `c` has two lower bounds"),
        (5, "column `d` can hold no value: its bounds exclude each other"),
        (6, "`k` is an indicator of this file, not a data column"),
        (8, "column `e` is declared twice"),
    ]


def test_a_pool_base_is_checked_on_its_members() -> None:
    """A pool's base reads the data too: an impossible value there is refused the same way."""
    text = (
        "column headcount count >= 0\n"
        "pool p { headcount * 1000 above 0 share 10% }\n"
        "card a { share p }\ncard b { base 1 }\n"
    )
    book = ksf.compile(text)
    ok = {"employee": ["E1", "E2"], "card": ["a", "a"], "headcount": [3.0, 3.0]}
    assert book.evaluate(ok).total.tolist() == [150.0, 150.0]  # 3000 × 10% split two ways
    bad = {"employee": ["E1", "E2", "E3"], "card": ["a", "a", "b"], "headcount": [-3.0, -3.0, -9]}
    with pytest.raises(ksf.DataError) as caught:
        book.evaluate(bad)
    assert (caught.value.column, caught.value.labels) == ("headcount", ("E1", "E2"))


@pytest.mark.parametrize(
    "text",
    [
        "card a { sales_attainment balance 1 step 0.1 reward 100 beyond 2 reward 300 }",
        "card a { bonus 5000 when sales_attainment >= 2 as b }",
        "table t { >= 2 : 3\n >= 1 : 1\n else : 0 }\n"
        "card a { bonus 100 scaled_by t(sales_attainment) }",
        "card a { acos balance 25% step 1% reward 10 beyond 2 penalty 50 }",
    ],
)
def test_a_percent_that_can_pass_100_percent_may_be_written_2(text: str) -> None:
    """Attainment and ACoS can be 200%: `beyond 2` or `>= 2` there is meant, and compiles."""
    assert ksf.compile(text).cards


def test_attainment_past_200_percent_pays_its_tier() -> None:
    """Attainment 2.5 (250%) is 15 steps of 0.1 above 1: 10 × 100 up to 2, 5 × 300 past it."""
    book = ksf.compile(
        "card a { sales_attainment balance 1 step 0.1 reward 100 beyond 2 reward 300 }"
    )
    assert book.evaluate({"sales_attainment": [2.5]}).total.tolist() == [2500.0]


def test_points_of_10_on_a_percent_that_can_pass_100_percent_are_refused() -> None:
    """`sales_attainment balance 110` is 11000%: no plan means that, whatever can pass 100%."""
    error = refused("card a { sales_attainment balance 110 step 1% reward 10 }")
    assert where(error) == [(1, 35, "write `balance 110%`")]


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("card a { commission revenue - cogs rate 5 }", 41),
        ("card a { commission revenue * 1 rate 5 }", 38),
        ("column price money\ncard a { commission units_sold * price rate 5 }", 45),
        ("card a { commission -(revenue - cogs) / 2 rate 5 }", 48),
    ],
)
def test_a_rate_on_arithmetic_of_money_is_refused(text: str, column: int) -> None:
    """Money ± money and money × a number or a count are money: `rate 5` pays 500% of it."""
    line = text.count("\n") + 1
    assert where(refused(text)) == [(line, column, "write `rate 5%`")]


@pytest.mark.parametrize(
    "text",
    [
        "card a { commission units_sold rate 15 }",  # 15 per unit sold
        "card a { commission revenue / cogs rate 2 }",  # money over money: no unit kept
        "card a { commission sales - refunds rate 30% }",
        "card a { commission revenue - cogs rate 5% }",
    ],
)
def test_a_rate_on_what_is_not_money_compiles(text: str) -> None:
    """A count's rate is per unit; a ratio of two amounts keeps no unit: no guess."""
    assert ksf.compile(text).cards
