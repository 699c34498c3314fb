"""``ksf lint --payout`` without data: rows drawn near each card's own points, said so.

The golden cards and the demo card are right; linted on drawn rows they must show no pay
moving against an input, and every cliff found must be one the card really has (each is
listed below with the rule that makes it).
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

import ksf
from ksf.cli import main
from ksf.lint_rows import drawn_rows
from ksf.payout_lint import Finding, lint_run, report

HERE = Path(__file__).parent
GOLDEN = sorted((HERE / "golden").glob("*.ksf"))
DEMO = HERE.parent / "ksf" / "examples" / "team.ksf"
# The cliffs the golden cards really have, by file, card and input:
REAL_CLIFFS = {
    # perf_coefficient pays 0 below a score of 60 and 0.5 at 60: the commission (or the
    # performance bonus) appears at once, half of it, as the articles' tables say.
    ("seed003_composite", "store_operator", "perf_score"),
    ("seed003_net_gross_profit", "channel_operator", "perf_score"),
    ("seed003_net_gross_profit", "channel_operator_shared", "perf_score"),
    ("seed003_performance_pay", "sales_manager", "perf_score"),
    ("seed003_performance_pay", "salesperson", "perf_score"),
    ("seed003_sales_commission", "operator", "perf_score"),
    ("seed003_sales_commission", "operator_marginal", "perf_score"),
    ("seed003_sales_commission", "operator_retroactive", "perf_score"),
    ("seed003_sales_commission", "operator_growth", "perf_score"),
    # A retroactive tier: at 1,000,000 the whole of sales is paid 1.2% instead of 0.9%,
    # 9,000 → 12,000 (the jump retroactive commission is known for).
    ("seed003_sales_commission", "operator_retroactive", "sales"),
    # The KPI bonus is paid from the baseline up: ACOS 35% (lower is better) and 90% sales
    # attainment are the baselines, below which a KPI scores nothing.
    ("seed004_kpi_scorecard", "ad_specialist", "acos"),
    ("seed004_kpi_scorecard", "ad_specialist", "sales_attainment"),
}


@functools.cache
def _linted(path: Path) -> tuple[list[Finding], str]:
    book = ksf.load(path)
    findings, bases = lint_run(book)
    return findings, report(findings, path.name, "en", bases)


def _input(finding: Finding) -> str:
    """The input a cliff or a move against an input is about: the first `name` quoted."""
    return str(finding.message).split("`")[1]


@pytest.mark.parametrize("path", [*GOLDEN, DEMO], ids=[p.stem for p in [*GOLDEN, DEMO]])
def test_right_cards_show_no_false_cliff_or_move_against_an_input(path: Path) -> None:
    """No fault, no pay against an input, and only the cliffs the card really has."""
    findings, _ = _linted(path)
    assert not [str(f.message) for f in findings if f.fault]
    cliffs = {(path.stem, f.card, _input(f)) for f in findings if f.kind == "cliff"}
    assert cliffs <= REAL_CLIFFS


def test_the_real_cliffs_are_all_found() -> None:
    """Every listed cliff is found on drawn rows: the rows reach the cards' gates."""
    found = {
        (path.stem, f.card, _input(f))
        for path in GOLDEN
        for f in _linted(path)[0]
        if f.kind == "cliff"
    }
    assert found == REAL_CLIFFS


def test_the_report_says_the_rows_were_drawn_how_many_and_where() -> None:
    """Each card: 100 rows drawn, and the ranges, e.g. new_gross_margin 10%–50%."""
    text = _linted(HERE / "golden" / "seed000_team.ksf")[1]
    lines = text.splitlines()
    assert lines[1:3] == [
        "card product_developer:",
        "  rows: 100 drawn at random (no data for this card), each input near the card's "
        "balance points, tiers and thresholds: new_gross_margin 10%–50%, sell_through 40%–80%, "
        "complaint_rate 0%–4%, lifecycle_sales 100,000–500,000, new_hit_profit 1–1,000, "
        "review_score 45–105",
    ]
    # new_gross_margin: balance 30% step 1%, `beyond 35%`: 20 steps either side (the tier is
    # 5 steps out, and 5 + 10 < 20): 10% to 50%. complaint_rate 2% ± 20 × 0.1%: 0% to 4%.
    # lifecycle_sales 300,000 ± 20 × 10,000 = 100,000 to 500,000. review_score, read by
    # perf_coefficient (thresholds 60 to 90), padded by half their span, 15: 45 to 105.


def test_the_drawn_rows_land_in_their_ranges() -> None:
    """The margins computed from the drawn new_revenue and new_cogs are all 10% to 50%."""
    book = ksf.load(HERE / "golden" / "seed000_team.ksf")
    rows, basis = drawn_rows(book, "product_developer", 100, {})
    margin = (rows["new_revenue"] - rows["new_cogs"]) / rows["new_revenue"]
    assert ((margin >= 0.1) & (margin <= 0.5)).all()
    sold = rows["units_sold_90d"] / rows["units_received"]
    assert ((sold >= 0.4) & (sold <= 0.8)).all()
    assert basis.count == 100
    assert len(np.unique(margin)) > 50  # spread over the range, not one row repeated


def test_rows_of_the_data_are_counted_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    """Over data, each card names the rows it rests on: operator's 2 of seed000_team.csv."""
    golden = HERE / "golden"
    main(["lint", "--payout", str(golden / "seed000_team.ksf"), str(golden / "seed000_team.csv"),
          "--lang", "zh"])  # fmt: skip
    out = capsys.readouterr().out
    assert "计薪卡 operator：\n  数据行：数据中的 2 行\n" in out
    main(["lint", "--payout", str(golden / "seed000_team.ksf"), "--lang", "zh"])
    assert "  数据行：随机生成 100 行（没有这张计薪卡的数据）" in capsys.readouterr().out
