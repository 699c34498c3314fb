"""ksf.testing beyond one indicator: any input, the other properties, card_properties, the lint.

Figures worked out by hand in the comments; cards from LANGUAGE.md, docs/testing.md and the
golden files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

import ksf
from ksf.cli import main
from ksf.io import read_data
from ksf.payout_lint import lint, report
from ksf.testing import (
    assert_caps_and_floors,
    assert_continuous,
    assert_min_pay,
    assert_monotone,
    assert_pools_add_up,
    assert_total_is_sum_of_lines,
    card_properties,
    check_card,
    data_for,
)
from ksf.testing_props import property_cases

HERE = Path(__file__).parent
FAULTS = HERE / "faults"
TEAM = """
indicator attainment = revenue / sales_target percent higher_is_better
table t { >= 100% : 1.0; >= 90% : 1.2; else : 0 }
card c {
  base 3000
  bonus 1000 scaled_by t(attainment) as team_bonus
}
"""
CLEARANCE = """
card c {
  base 4000
  gross_margin balance 25% step 1% reward 150 penalty 100
  bonus 500 when gross_margin < 20% as clearance_bonus
}
"""

# The three-line use docs/testing.md shows: every property of every card of a rule file.
test_golden_sales_commission = card_properties("golden/seed003_sales_commission.ksf", samples=50)


def test_a_file_indicator_is_swept_in_place_of_its_definition():
    """A reversed table on an `indicator` fails naming both rows, the line and both explained."""
    # t(99.99999%) = 1.2 → 1000 × 1.2 = 1200, total 3000 + 1200 = 4200;
    # t(100%) = 1.0 → 1000, total 4000: pay falls as attainment rises.
    with pytest.raises(AssertionError) as failure:
        assert_monotone(ksf.compile(TEAM), "c", "attainment", samples=3)
    text = str(failure.value)
    assert text.startswith(
        "total pay of card 'c' falls as `attainment` rises from 0.9999999 to 1, "
        "though the indicator `attainment` is higher_is_better:\n"
        "  attainment = 0.9999999 pays 4200.00\n"
        "  attainment = 1 pays 4000.00\n"
        "  the line that moved the wrong way: `team_bonus` 1200.00 → 1000.00\n"
        "  explained at attainment = 0.9999999:\n"
    )
    assert "total: 4,200.00 CNY" in text
    assert "total: 4,000.00 CNY" in text


def test_a_commission_base_and_a_score_kpi_are_inputs():
    """A raw commission base and a KPI's column are swept; each planted fault fails."""
    # Retroactive 1% below 1,000,000 and 0.75% from it: 999,999.9 × 1% = 9999.999 → 10000.00,
    # 1,000,000 × 0.75% = 7500.00: the commission falls by 2500 on reaching the target.
    retro = ksf.load(FAULTS / "f07_retroactive_rate_drops.ksf")
    with pytest.raises(AssertionError, match=r"from 999999\.9 to 1000000, though its commission"):
        assert_monotone(retro, "operator_retroactive", "sales", samples=5)
    kpi = ksf.load(FAULTS / "f08_kpi_lower_is_better.ksf")
    with pytest.raises(AssertionError, match="the standard indicator `sales_attainment` is higher"):
        assert_monotone(kpi, "operations_manager", "sales_attainment", samples=5)


def test_a_raw_column_without_a_direction_must_move_pay_one_way():
    """A column no rule gives a direction may lower or raise pay, but not both."""
    falling = ksf.compile("card c { base 5000; bonus -10 * days_absent as absence }")
    assert_monotone(falling, "c", "days_absent", samples=5)
    both = ksf.compile("card c { base 5000; bonus 100 * min(x, 50 - x) as peak }")
    with pytest.raises(AssertionError, match="falls as `x` rises"):
        assert_monotone(both, "c", "x", ranges={"x": (0, 50)}, samples=3)


def test_the_planted_clearance_bonus_is_caught_at_default_settings():
    """The 500 bonus under a 20% margin is caught at its threshold with default settings."""
    # At 19.99999%: −5 steps × 100 = −500, +500 bonus → 4000; at 20%: −500, no bonus → 3500.
    with pytest.raises(AssertionError, match=r"from 0\.1999999 to 0\.2.*\n.*pays 4000\.00"):
        assert_monotone(ksf.compile(CLEARANCE), "c", "gross_margin")


def test_continuity_reports_the_largest_cliff_and_where():
    """A jump above max_jump fails naming its size, the two values and the line."""
    book = ksf.compile(CLEARANCE)
    # The bonus's 500 is the largest jump; a step is 150 or 100.
    with pytest.raises(AssertionError) as failure:
        assert_continuous(book, "c", "gross_margin", max_jump=400, samples=3)
    assert str(failure.value) == (
        "total pay of card 'c' jumps by 500.00 (more than 400.00) as `gross_margin` moves "
        "from 0.1999999 to 0.2; lines that jump: clearance_bonus"
    )
    assert_continuous(book, "c", "gross_margin", max_jump=500, samples=3)


def test_the_other_properties_hold_on_the_golden_files():
    """Caps, floors, sums, min_pay and pools hold on the golden data of the partners file."""
    book = ksf.load(HERE / "golden" / "seed000_partners.ksf")
    data = read_data(HERE / "golden" / "seed000_partners.csv")
    for card in book.cards:
        rows = {k: v[data["card"] == card] for k, v in data.items()}
        assert_caps_and_floors(book, card, data=rows)
        assert_total_is_sum_of_lines(book, card, data=rows)
        assert_min_pay(book, card, data=rows)
        assert_pools_add_up(book, card, data=rows)


def test_min_pay_holds_on_drawn_rows():
    """A card with min_pay 2360 pays no drawn row less (2000 base, penalties up to −2500)."""
    book = ksf.compile(
        "card c { base 2000; gross_margin balance 25% step 1% reward 150; min_pay 2360 }"
    )
    assert_min_pay(book, "c", samples=50)


def test_pools_over_the_same_profit_may_not_share_out_more_than_all_of_it():
    """20% to the partners and 90% to the team of the same profit is 110%: refused."""
    book = ksf.load(FAULTS / "f06_pools_over_100.ksf")
    with pytest.raises(AssertionError, match="more than all of it: partners 20%, team_pool 90%"):
        assert_pools_add_up(book, "supply_chain", samples=10)


def test_a_per_row_floor_above_the_cap_fails_the_caps_property():
    """A floor of half the guarantee above the cap 300 (guarantee > 600) fails, naming it."""
    book = ksf.load(FAULTS / "f04_cap_below_floor.ksf")
    with pytest.raises(
        AssertionError, match=r"refuses the rows it is given: .*above the line's cap"
    ):
        assert_caps_and_floors(book, "product_developer", samples=20)


def test_check_card_lists_every_failing_property():
    """check_card runs every property and reports each failure, a blank line apart."""
    book = ksf.load(FAULTS / "f10_decreasing_scale.ksf")
    with pytest.raises(AssertionError) as failure:
        check_card(book, "operations_manager", samples=5)
    # Both KPIs of the score feed the reversed scale: two failures.
    assert str(failure.value).count("total pay of card 'operations_manager' falls") == 2


def test_card_properties_makes_one_case_per_card_property_and_input():
    """The ids name card, property and input: monotone per input, then the other four."""
    book = ksf.load(HERE / "golden" / "seed003_sales_commission.ksf")
    ids = [case for case, _ in property_cases(book, "operator")]
    assert ids == [
        "operator-monotone-perf_score",
        "operator-monotone-sales",
        "operator-caps_and_floors",
        "operator-total_is_sum_of_lines",
        "operator-min_pay",
        "operator-pools_add_up",
    ]


# ---- ksf lint --payout ------------------------------------------------------------------------


def test_lint_reports_a_retroactive_drop_in_english_and_chinese(capsys):
    """The drop at 1,000,000 is a structure fault and a move against sales; exit 1."""
    path = str(FAULTS / "f07_retroactive_rate_drops.ksf")
    assert main(["lint", "--payout", path]) == 1
    out = capsys.readouterr().out
    assert "card operator_retroactive:\n" in out
    assert (
        "  structure: the tier of `commission_sales` beyond 1,000,000 pays 0.7500%, "
        "less than the 1.0000% before it\n"
    ) in out
    # 999,999.9 × 1% → 10000.00 + base 7500 = 17500.00; 1,000,000 × 0.75% + 7500 = 15000.00
    assert (
        "  non-monotone: total pay falls as `sales` rises from 999999.9 (17500.00) to 1000000 "
        "(15000.00); lines: `commission_sales` 10000.00 → 7500.00\n"
    ) in out
    assert main(["lint", "--payout", path, "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    assert "计薪卡 operator_retroactive：\n" in out
    assert (
        "  结构问题：`commission_sales` 超过 1,000,000 的档位提成率 0.7500%，低于前一档的 1.0000%\n"
        in out
    )


def test_lint_on_golden_data_finds_no_fault(capsys):
    """The partners file over its own data: nothing wrong, exit 0."""
    golden = HERE / "golden"
    assert main(["lint", "--payout", str(golden / "seed000_partners.ksf"),
                 str(golden / "seed000_partners.csv")]) == 0  # fmt: skip
    assert "faults 0" in capsys.readouterr().out


def test_lint_finds_dead_zones_binding_caps_and_lines_that_never_pay():
    """Each kind of finding worth a look, on a card made to have it."""
    book = ksf.compile(
        "table t { >= 80 : 1; >= 20 : 0.5; else : 0 }\n"
        "card c { base 5000; gross_margin balance 25% step 1% reward 150 cap 150;"
        " bonus 100 scaled_by t(score) as steady; bonus 10 when flag > 2 as never }"
    )
    data = {"gross_margin": [0.3, 0.4, 0.2], "score": [50.0, 60.0, 70.0], "flag": [0.0, 1.0, 0.0]}
    kinds = {(f.kind, str(f.message)) for f in lint(book, data)}
    # gross_margin 30% and 40% are 5 and 15 steps: 750 and 2250, both capped at 150.
    assert ("binds", "the cap 150 of `gross_margin` binds for 67% of the rows") in kinds
    assert ("never_pays", "`never` pays nothing on any row") in kinds
    # t pays 0.5 for every score from 20 up to 80: 60 of the swept range −10 to 110 (the
    # thresholds 20 and 80, padded by half their span, 30), more than a quarter of it.
    assert any(
        kind == "dead_zone" and "`score` from 20 to 79.99999" in said for kind, said in kinds
    )
    assert not any(f.fault for f in lint(book, data))


def test_lint_needs_payout_and_a_positive_cliff(capsys):
    """`ksf lint` without --payout, or --cliff 0, is a usage error (exit 2)."""
    path = str(FAULTS / "f02_low_margin_bonus.ksf")
    assert main(["lint", path]) == 2
    assert "ksf lint needs --payout" in capsys.readouterr().err
    assert main(["lint", "--payout", path, "--cliff", "0"]) == 2
    assert "--cliff takes a share above 0" in capsys.readouterr().err


def test_the_lint_report_lays_out_findings_by_card():
    """A heading with the counts, then each card's findings under its name."""
    book = ksf.compile(CLEARANCE)
    text = report(lint(book, cliff=0.5), "pay.ksf")
    assert text.splitlines()[0] == "pay.ksf: payout lint: findings 1, faults 1"
    assert text.splitlines()[1] == "card c:"


def test_a_property_on_data_for_finds_the_clearance_bonus():
    """A hypothesis test comparing each row with its margin a hair higher finds the fault."""
    book = ksf.compile(CLEARANCE)
    failures = []

    @settings(max_examples=100, database=None, deadline=None)
    @given(data=data_for(book, "c", max_rows=5))
    def pay_never_falls(data):
        higher = {**data, "gross_margin": data["gross_margin"] + 1e-7}
        before, after = book.evaluate(data).total, book.evaluate(higher).total
        assert (after >= before - 1e-9).all()

    try:
        pay_never_falls()
    except AssertionError as failure:
        failures.append(failure)
    # 19.99999% + 0.00001% reaches 20%: 4000 → 3500.
    assert failures


STRETCH = (
    "card operator {\n"
    "  gross_margin balance target_gm step 1% reward 200 beyond (target_gm + 5%) reward 300"
    " beyond stretch_gm reward stretch_bonus\n"
    "  commission store_sales rate 0.5% beyond quota rate 1% beyond (2 * quota) rate top_rate\n"
    "}\n"
)


@settings(max_examples=20, database=None, deadline=None)
@given(data=data_for(ksf.compile(STRETCH), "operator", max_rows=5))
def test_data_for_places_a_per_row_stretch_point_past_its_target(data):
    """A per-row `beyond` point is drawn whole steps past the row's own target, clear of +5%."""
    steps = (data["stretch_gm"] - data["target_gm"]) / 0.01
    assert np.allclose(steps, np.rint(steps))
    assert (np.rint(steps) >= 11).all()  # PAST_OTHERS = 10 steps, then the first: 11
    ksf.compile(STRETCH).evaluate(data)  # the per-row checks hold


def test_per_row_clause_values_are_not_swept_by_default():
    """Targets, tiers and rates read per row are how a rule pays, not inputs to sweep."""
    book = ksf.compile(STRETCH)
    ids = [case for case, _ in property_cases(book, "operator", samples=20)]
    assert [i for i in ids if "-monotone-" in i] == [
        "operator-monotone-gross_margin",
        "operator-monotone-store_sales",
    ]
    check_card(book, "operator", samples=20)
