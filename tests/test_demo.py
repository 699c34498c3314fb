"""The demo: the seed-000 team paid for 2026Q3 from raw exports, via the standard library."""

from __future__ import annotations

import math

import numpy as np
import pytest

import ksf
from ksf import cli, examples


def test_demo_data_is_the_team_over_a_quarter() -> None:
    """The demo data is 9 employees on 3 cards over July to September 2026: 27 rows."""
    data = examples.demo_data()
    assert len(data["employee"]) == 27
    assert sorted(set(data["employee"].tolist())) == [f"E{i:03d}" for i in range(1, 10)]
    assert sorted(set(data["month"].tolist())) == ["2026-07", "2026-08", "2026-09"]
    assert set(data["card"].tolist()) == {"product_developer", "operator", "supply_chain"}


def test_demo_data_is_the_same_every_time() -> None:
    """Two calls to `demo_data` give identical columns."""
    first, second = examples.demo_data(), examples.demo_data()
    for name, values in first.items():
        assert np.array_equal(values, second[name]), name


def test_demo_cards_read_standard_indicators_by_name() -> None:
    """team.ksf defines no indicator of its own: every factor comes from the library."""
    book = ksf.compile(examples.demo_rules())
    assert book.program.indicators == ()
    pay = book.evaluate(examples.demo_data())
    assert (pay.total >= 2360).all()


def test_a_demo_margin_line_follows_from_the_aggregated_columns() -> None:
    """E001 in July: gross margin from revenue and cogs, 50% balance, 300 a point past 55%."""
    data = examples.demo_data()
    pay = ksf.compile(examples.demo_rules()).evaluate(data)
    row = 0
    assert (data["employee"][row], data["month"][row]) == ("E001", "2026-07")
    margin = (data["revenue"][row] - data["cogs"][row]) / data["revenue"][row]
    steps = math.trunc(round((margin - 0.50) / 0.01, 9))
    expected = min(200 * min(steps, 5) + 300 * max(steps - 5, 0), 3000)
    assert pay["gross_margin"][row] == expected
    # The figures of seed 0: revenue 1,030,177.34, cogs 488,169.96 → 52.61% → 2 whole
    # steps above 50% → 2 × 200.
    assert round(margin, 4) == 0.5261
    assert expected == 400


def test_ksf_demo_prints_the_three_cards(capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf demo` exits 0 and prints 27 payslips under the three cards' Chinese labels."""
    assert cli.main(["demo"]) == 0
    text = capsys.readouterr().out
    assert "27 payslips" in text
    for label in ("产品开发", "运营推广", "供应链"):
        assert label in text


def test_the_operator_card_pays_promotion_roi_around_its_balance() -> None:
    """promo_roi = revenue / marketing, balance 1:8, 100 per half point either side."""
    data = examples.demo_data()
    pay = ksf.compile(examples.demo_rules()).evaluate(data)
    operators = np.flatnonzero(data["card"] == "operator")
    roi = data["revenue"][operators] / data["marketing"][operators]
    # The balance sits inside the team's range: some months above 8, some below.
    assert (roi > 8).any()
    assert (roi < 8).any()
    steps = [math.trunc(round((r - 8) / 0.5, 9)) for r in roi.tolist()]
    expected = [min(max(100 * n, -600), 1000) for n in steps]
    assert pay["promo_roi"][operators].tolist() == expected
    # E004 in August (row 10): revenue 1,293,382.51 / marketing 140,484.91 = 9.2066;
    # (9.2066 − 8) / 0.5 = 2.41 → 2 whole steps × 100 = 200.
    row = 10
    assert (data["employee"][row], data["month"][row]) == ("E004", "2026-08")
    assert round(data["revenue"][row] / data["marketing"][row], 4) == 9.2066
    assert pay["promo_roi"][row] == 200
    # E006 in July is the best month: 9.5021 → (9.5021 − 8) / 0.5 = 3.004 → 3 steps → 300.
    assert pay["promo_roi"][operators].max() == 300
    assert pay["promo_roi"][operators].min() == -200  # E004 in September: 6.5779 → −2 steps
