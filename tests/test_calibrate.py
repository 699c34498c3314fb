"""`ksf.calibrate`: balance points from history, values solved for a pay (LANGUAGE.md §14)."""

from __future__ import annotations

import difflib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ksf
from ksf.design.calibrate import Calibration
from ksf.design.failure import CalibrationError, UnknownLineError
from ksf.rulebook import format_text

# Seed 003's cards: a Tmall operator paid on sales, a channel operator on net gross profit,
# and a Douyin flagship-store operator on both.
SHOPS = """\
card tmall "天猫运营" {
  base 7500
  commission sales rate 1%
}

card channel {
  base 7500
  commission net_gross_profit rate 1%
}

card douyin "抖音运营" {
  base 7500
  commission sales rate 1%
  commission net_profit rate 1%
}

card dev {
  base 5000
  # the margin pot
  gross_margin pot 2000 balance 50% step 1% reward 200 penalty 100 beyond 55% reward 300 cap 3000
  commission sales rate 1% cap 5000
  bonus 100 as flat
}
"""


def _pays(text: str, card: str, line: str, **row: float) -> float:
    """What the calibrated card pays on one row, through the public API."""
    pay = ksf.compile(text).evaluate({k: [v] for k, v in row.items()}, card=card)
    return float(pay[line][0])


def test_seed_rate_on_sales():
    """7,500 of commission at 1,000,000 of monthly sales: 7,500 ÷ 1,000,000 = 0.75%."""
    result = ksf.calibrate(
        SHOPS, line="tmall.commission_sales", solve="rate", pay=7500, when={"sales": 1_000_000}
    )
    (change,) = result.changes
    assert (change.old, change.new) == ("1%", "0.75%")
    assert "7,500 ÷ 1,000,000" in change.provenance
    assert "  commission sales rate 0.75%" in result.text
    # 1,000,000 × 0.75% = 7,500
    assert _pays(result.text, "tmall", "commission_sales", sales=1_000_000) == 7500.0


def test_seed_rate_on_net_gross_profit():
    """7,500 at a net gross profit of 200,000 (20% of 1,000,000): 7,500 ÷ 200,000 = 3.75%."""
    result = ksf.calibrate(
        SHOPS,
        line="channel.commission_net_gross_profit",
        solve="rate",
        pay=7500,
        when={"net_gross_profit": 200_000},
    )
    assert result.changes[0].new == "3.75%"
    assert "7,500 ÷ 200,000" in result.changes[0].provenance


def test_seed_composite_shares_of_one_target():
    """15,000 × 20% ÷ 1,000,000 = 0.3% on sales and 15,000 × 30% ÷ 100,000 = 4.5% on net profit."""
    result = ksf.calibrate(
        SHOPS,
        line=["douyin.commission_sales", "douyin.commission_net_profit"],
        solve="rate",
        pay=15_000,
        share=[0.2, 0.3],
        when={"sales": 1_000_000, "net_profit": 100_000},
    )
    assert [c.new for c in result.changes] == ["0.3%", "4.5%"]
    assert "3,000 (20% of 15,000)" in result.changes[0].provenance
    assert "4,500 (30% of 15,000)" in result.changes[1].provenance
    # 7,500 + 1,000,000 × 0.3% + 100,000 × 4.5% = 7,500 + 3,000 + 4,500 = 15,000
    total = ksf.compile(result.text).evaluate(
        {"sales": [1_000_000], "net_profit": [100_000]}, card="douyin"
    )
    assert total.total.tolist() == [15_000.0]


def test_a_rate_that_does_not_divide_is_rounded_and_says_so():
    """7,500 ÷ 1,300,000 = 0.576923077%: 0.576923% pays 7,499.999 → 7,500.00; 0.57692% would not."""
    result = ksf.calibrate(
        SHOPS, line="tmall.commission_sales", solve="rate", pay=7500, when={"sales": 1_300_000}
    )
    assert result.changes[0].new == "0.576923%"
    assert "written 0.576923%" in result.changes[0].provenance
    assert _pays(result.text, "tmall", "commission_sales", sales=1_300_000) == 7500.0


def test_a_cap_above_the_target_does_not_bend_the_division():
    """Capped at 9,000 from a rate of 0.9%: 7,500 is still 7,500 ÷ 1,000,000 = 0.75%."""
    capped = SHOPS.replace("commission sales rate 1% cap 5000", "commission sales rate 1% cap 9000")
    result = ksf.calibrate(
        capped, line="dev.commission_sales", solve="rate", pay=7500, when={"sales": 1_000_000}
    )
    assert result.changes[0].new == "0.75%"
    assert result.changes[0].provenance.endswith("(7,500 ÷ 1,000,000)")


def test_solve_reward_and_pot_and_balance():
    """gross_margin 53% is 3 steps over 50%: pot 2,000 + 3 × 300 = 2,900; + 4 × 200 from 49%."""
    reward = ksf.calibrate(
        SHOPS, line="dev.gross_margin", solve="reward", pay=2900, when={"gross_margin": 0.53}
    )
    assert reward.changes[0].new == "300"  # (2,900 − 2,000) ÷ 3
    pot = ksf.calibrate(
        SHOPS, line="dev.gross_margin", solve="pot", pay=2500, when={"gross_margin": 0.53}
    )
    assert pot.changes[0].new == "1900"  # 2,500 − 3 × 200
    balance = ksf.calibrate(
        SHOPS, line="dev.gross_margin", solve="balance", pay=2800, when={"gross_margin": 0.53}
    )
    assert balance.changes[0].new == "49%"  # 2,800 = 2,000 + 4 × 200: 53% − 4 × 1%


@pytest.mark.parametrize(
    ("solve", "pay", "when", "said"),
    [
        ("rate", 7500, {"sales": 1_000_000}, "its cap is 5,000.00"),  # capped below 7,500
        ("reward", 3500, {"gross_margin": 0.53}, "its cap is 3,000.00"),
        ("balance", 2850, {"gross_margin": 0.53}, "from 2,800.00 straight to 3,000.00"),
        ("penalty", 1500, {"gross_margin": 0.53}, "does not depend on it"),  # above balance
    ],
    ids=["capped-rate", "capped-reward", "whole-steps", "independent"],
)
def test_no_solution_is_said_never_made_up(solve, pay, when, said):
    """A solve no value satisfies is an error saying why, with the pays either side."""
    line = "dev.commission_sales" if solve == "rate" else "dev.gross_margin"
    with pytest.raises(CalibrationError) as caught:
        ksf.calibrate(SHOPS, line=line, solve=solve, pay=pay, when=when)
    assert said in str(caught.value)
    assert str(caught.value).startswith("error: ")
    assert caught.value.render("zh").startswith("错误：")


def test_a_line_that_cannot_be_solved():
    """A bonus has no rate to solve for; the message says which lines can be."""
    with pytest.raises(CalibrationError, match="a commission for rate"):
        ksf.calibrate(SHOPS, line="dev.flat", solve="rate", pay=100)


def test_unknown_lines_and_cards_suggest():
    """A misspelt line or card gets did-you-mean, like the rest of ksf."""
    with pytest.raises(UnknownLineError, match="did you mean 'gross_margin'"):
        ksf.calibrate(SHOPS, line="dev.gross_marign", solve="reward", pay=2900)
    with pytest.raises(ksf.UnknownCardError, match="did you mean 'dev'"):
        ksf.calibrate(SHOPS, line="deb.gross_margin", solve="reward", pay=2900)
    with pytest.raises(CalibrationError, match=r"CARD\.LINE"):
        ksf.calibrate(SHOPS, line="gross_margin", solve="reward", pay=2900)
    with pytest.raises(CalibrationError, match="did you mean 'sales'"):
        ksf.calibrate(SHOPS, line="tmall.commission_sales", solve="rate", pay=1, when={"sale": 1})


def test_a_name_neither_given_nor_in_history():
    """The performance must say every name the line reads, or the history must."""
    with pytest.raises(CalibrationError, match="also reads sales"):
        ksf.calibrate(SHOPS, line="tmall.commission_sales", solve="rate", pay=7500)


# ---- balance points from history --------------------------------------------------------------

CARD = """\
card op {
  base 4000
  gm balance 30% step 1% reward 100
}
"""


def _history(values: dict[str, list[float]]) -> dict[str, list[object]]:
    """One row per employee per month: ``values`` is each employee's gm by month."""
    rows = [(who, f"2026-0{m + 1}", v) for who, vs in values.items() for m, v in enumerate(vs)]
    return {
        "employee": [r[0] for r in rows],
        "period": [r[1] for r in rows],
        "card": ["op"] * len(rows),
        "gm": [r[2] for r in rows],
    }


def test_p60_of_a_role_by_hand():
    """20%, 22%, 25%, 30%, 31%: rank 0.6 × 4 = 2.4, so 25% + 0.4 × (30% − 25%) = 27%."""
    history = _history({"E1": [0.20, 0.25, 0.31], "E2": [0.22, 0.30]})
    result = ksf.calibrate(CARD, history, line="op.gm", at="p60", source="h.csv")
    assert result.changes[0].old == "30%"
    assert result.changes[0].new == "27%"
    assert "  gm balance 27% step 1% reward 100" in result.text
    comment = result.changes[0].provenance
    assert comment.startswith("calibrated: balance 27% = p60 of gm (27%)")
    assert "h.csv, 2026-01..2026-03 (3 periods), 5 rows" in comment


def test_stretch_is_p60_on_the_good_side():
    """Lower is better: stretch is p40; 1%, 2%, 3%, 4%, 5% → rank 1.6 → 2.6%, to 0.1% steps."""
    card = "card op {\n  gm balance 3% step 0.1% reward 100 lower_is_better\n}\n"
    history = _history({"E1": [0.01, 0.02, 0.03], "E2": [0.04, 0.05]})
    result = ksf.calibrate(card, history, line="op.gm", at="stretch")
    assert result.changes[0].new == "2.6%"
    assert "stretch (p40)" in result.changes[0].provenance


def test_the_point_moves_by_whole_steps_from_beyond():
    """p50 of 41%, 43.6%, 47% is 43.6%, 3.2 steps of 2% below beyond 50%: 3 steps, 44%."""
    card = "card op {\n  gm balance 40% step 2% reward 100 beyond 50% reward 200\n}\n"
    history = _history({"E1": [0.41, 0.436, 0.47]})
    result = ksf.calibrate(card, history, line="op.gm", at="median")
    assert result.changes[0].new == "44%"
    ksf.compile(result.text)  # 50% is still 3 whole steps away


def test_a_point_past_a_beyond_point_is_refused():
    """p50 of 50%, 55%, 59% is 55%: the beyond point itself, which no rule may have."""
    history = _history({"E1": [0.50, 0.55, 0.59]})
    history["card"] = ["dev"] * 3
    history["gross_margin"] = history.pop("gm")
    with pytest.raises(CalibrationError, match=r"at 55%, at or past `beyond 55%`"):
        ksf.calibrate(SHOPS, history, line="dev.gross_margin", at="median")
    # E2's own median, 52%, is fine; E1's is not, and is named
    history = _history({"E1": [0.50, 0.55, 0.59], "E2": [0.50, 0.52, 0.53]})
    history["card"] = ["dev"] * 6
    history["gross_margin"] = history.pop("gm")
    with pytest.raises(CalibrationError, match=r"at 55% for E1, at or past `beyond 55%`"):
        ksf.calibrate(SHOPS, history, line="dev.gross_margin", at="median", per_employee="p.csv")


def test_history_too_short_for_the_percentile():
    """p60 needs 3 values; p90 needs 10 (one value on each side of its rank)."""
    with pytest.raises(CalibrationError, match="p60 needs at least 3 values, and <history> has 2"):
        ksf.calibrate(CARD, _history({"E1": [0.2, 0.3]}), line="op.gm", at="p60")
    with pytest.raises(CalibrationError, match="p90 needs at least 10 values"):
        ksf.calibrate(CARD, _history({"E1": [0.2] * 5}), line="op.gm", at="p90")


def test_a_role_with_no_history():
    """A card the history has no row of is refused, naming the cards it has."""
    history = _history({"E1": [0.2, 0.3, 0.4]})
    history["card"] = ["other"] * 3
    with pytest.raises(CalibrationError, match=r"no row of card op.*its cards: other"):
        ksf.calibrate(CARD, history, line="op.gm", at="p60")


def test_bad_statistics_and_option_mixes():
    """Unknown statistics and options that do not go together are clear errors."""
    history = _history({"E1": [0.2, 0.3, 0.4]})
    for asked in ("p0", "p100", "top", "60"):
        with pytest.raises(CalibrationError, match="pNN"):
            ksf.calibrate(CARD, history, line="op.gm", at=asked)
    with pytest.raises(CalibrationError, match="ask for one at a time"):
        ksf.calibrate(CARD, history, line="op.gm", at="p60", solve="balance")
    with pytest.raises(CalibrationError, match="needs the history"):
        ksf.calibrate(CARD, line="op.gm", at="p60")
    with pytest.raises(CalibrationError, match="not a balance rule"):
        ksf.calibrate(CARD, history, line="op.base", at="p60")


def test_per_employee_points_go_to_a_column_file():
    """Each employee's own median: E1 20%, 25%, 31% → 25%; E2 22%, 30%, 34% → 30%."""
    history = _history({"E1": [0.20, 0.25, 0.31], "E2": [0.22, 0.30, 0.34]})
    result = ksf.calibrate(CARD, history, line="op.gm", at="median", per_employee="points.csv")
    assert result.columns is not None
    assert result.columns.csv() == "employee,gm_balance\nE1,0.25\nE2,0.3\n"
    assert "  gm balance gm_balance step 1% reward 100" in result.text
    assert "in points.csv" in result.changes[0].provenance
    # E1 at 28% against their own 25%: 3 steps × 100 = 300 over the base 4,000
    pay = ksf.compile(result.text).evaluate(
        {"gm": [0.28, 0.28], "gm_balance": [0.25, 0.30]}, card="op"
    )
    assert pay.total.tolist() == [4300.0, 3800.0]


def test_per_employee_calibrates_to_itself():
    """The calibrated rule reads the column; calibrating it again writes the same text and file."""
    history = _history({"E1": [0.20, 0.25, 0.31], "E2": [0.22, 0.30, 0.34]})
    once = ksf.calibrate(CARD, history, line="op.gm", at="p60", per_employee="points.csv")
    twice = ksf.calibrate(once.text, history, line="op.gm", at="p60", per_employee="points.csv")
    assert twice.text == once.text
    assert twice.columns == once.columns


def test_per_employee_needs_enough_history_for_each():
    """Every employee short of values is named, none silently dropped."""
    history = _history({"E1": [0.20, 0.25, 0.31], "E2": [0.22], "E3": [0.2, 0.3]})
    with pytest.raises(CalibrationError, match="fewer in <history>: E2, E3"):
        ksf.calibrate(CARD, history, line="op.gm", at="median", per_employee="p.csv")


CHINESE = """\
计薪卡 运营 "运营推广" {
  底薪 5000
  毛利率 平衡点 25% 每 1% 奖励 200 扣减 100 封顶 3000 保底 -1500
  提成 销售额 比例 0.5%
  最低工资 2360
}
"""


def test_a_chinese_file_keeps_its_keywords():
    """A file written in Chinese is calibrated in Chinese: keywords and the comment."""
    result = ksf.calibrate(
        CHINESE, line="运营.commission_销售额", solve="rate", pay=7500, when={"销售额": 1_000_000}
    )
    assert "  提成 销售额 比例 0.75%" in result.text
    assert "  # 测算：比例 0.75% 在 销售额=1,000,000 时计 7,500（7,500 ÷ 1,000,000）" in result.text
    assert "计薪卡 运营" in result.text
    assert "card" not in result.text


def _only_the_line_changed(before: str, result: Calibration) -> None:
    """Apart from the calibrated lines and their comments, the text is ``ksf fmt``'s."""
    ours = {c.provenance for c in result.changes}
    changed = [
        line[1:].strip()
        for line in difflib.unified_diff(
            format_text(before).splitlines(), result.text.splitlines(), lineterm="", n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert all(c.lstrip("# ") in ours or "balance" in c for c in changed), (
        changed
    )  # the rule's own line, and the comment above it


@settings(max_examples=25)
@given(
    st.lists(st.floats(0.05, 0.54, allow_nan=False), min_size=4, max_size=12),
    st.sampled_from(["p25", "p50", "p60", "median", "stretch"]),
)
def test_calibrated_text_compiles_and_calibrates_to_itself(values, asked):
    """Calibrated text compiles, changes only its line, and re-calibrating changes nothing."""
    history = _history({"E1": values})
    history["card"] = ["dev"] * len(values)
    history["gross_margin"] = history.pop("gm")
    once = ksf.calibrate(SHOPS, history, line="dev.gross_margin", at=asked)
    ksf.compile(once.text)
    _only_the_line_changed(SHOPS, once)
    twice = ksf.calibrate(once.text, history, line="dev.gross_margin", at=asked)
    assert twice.text == once.text
    assert twice.changes[0].new == once.changes[0].new


def test_team_history_from_the_synthetic_seller():
    """The operator's p60 margin over six months of the synthetic seller, to whole 1% steps."""
    from ksf.examples import demo_rules, synthetic
    from ksf.indicators import aggregate

    raw = synthetic.generate(seed=0, skus=120, months=6, order_lines=60_000, start="2026-04-01")
    table = aggregate(**raw, period="month").table
    history = {**table, "card": table["role"]}
    result = ksf.calibrate(demo_rules(), history, line="operator.gross_margin", at="p60")
    rows = table["role"] == "operator"
    margins = (table["revenue"][rows] - table["cogs"][rows]) / table["revenue"][rows]
    expected = round(float(np.quantile(margins, 0.6)) * 100)  # whole steps of 1% from 0
    assert result.changes[0].new == f"{expected}%"
    assert "2026-04..2026-09 (6 periods), 18 rows" in result.changes[0].provenance


@settings(max_examples=25)
@given(
    st.integers(1, 5_000_000).map(lambda cents: cents / 100),
    st.integers(10_000, 10_000_000),
)
def test_a_solved_rate_pays_its_target_and_solves_to_itself(pay, sales):
    """Whatever the target and the sales, the written rate pays the target to the cent."""
    once = ksf.calibrate(
        SHOPS, line="tmall.commission_sales", solve="rate", pay=pay, when={"sales": sales}
    )
    assert _pays(once.text, "tmall", "commission_sales", sales=sales) == pay
    twice = ksf.calibrate(
        once.text, line="tmall.commission_sales", solve="rate", pay=pay, when={"sales": sales}
    )
    assert twice.text == once.text


def test_no_sales_no_rate():
    """At sales of 0 every rate pays 0: no rate pays 7,500, and the error says so."""
    with pytest.raises(CalibrationError, match=r"pays 0\.00 at this performance whatever its rate"):
        ksf.calibrate(
            SHOPS, line="tmall.commission_sales", solve="rate", pay=7500, when={"sales": 0}
        )


def test_a_chinese_file_calibrates_from_history():
    """Chinese keywords stay, the comment is Chinese: 20%, 22%, 25%, 30%, 31% → p60 27%."""
    history = _history({"E1": [0.20, 0.25, 0.31], "E2": [0.22, 0.30]})
    history["毛利率"] = history.pop("gm")
    history["card"] = ["运营"] * 5
    result = ksf.calibrate(CHINESE, history, line="运营.毛利率", at="p60", source="历史.csv")
    assert "  毛利率 平衡点 27% 每 1% 奖励 200 扣减 100 封顶 3000 保底 -1500\n" in result.text
    assert "  # 测算：平衡点 27% = 毛利率 的 p60（27%），按每 1% 取整步；历史.csv" in result.text
    history = _history({"E1": [0.20, 0.25, 0.31], "E2": [0.22, 0.30, 0.28]})
    history["毛利率"] = history.pop("gm")
    history["card"] = ["运营"] * 6
    per = ksf.calibrate(CHINESE, history, line="运营.毛利率", at="median", per_employee="p.csv")
    assert "  毛利率 平衡点 毛利率_balance 每 1%" in per.text
    assert per.columns is not None
    # E1: 20%, 25%, 31% → 25%; E2: 22%, 28%, 30% → 28%
    assert per.columns.csv() == "employee,毛利率_balance\nE1,0.25\nE2,0.28\n"


def test_a_file_name_cannot_add_rules_through_the_comment():
    """A history named with a newline and rule text stays inside the one comment line."""
    history = _history({"E1": [0.20, 0.25, 0.31], "E2": [0.22, 0.30]})
    sneaky = "h.csv\ncard evil { base 99999 }\x1b[2J"
    result = ksf.calibrate(CARD, history, line="op.gm", at="p60", source=sneaky)
    assert ksf.compile(result.text).cards == ("op",)
    assert "h.csv\\ncard evil { base 99999 }\\x1b[2J" in result.changes[0].provenance
    assert len(result.text.splitlines()) == len(format_text(CARD).splitlines()) + 1


def test_the_column_file_is_safe_to_open():
    """An id that starts like a formula gets a ' in the column file, as in a payroll CSV."""
    history = _history({"=1+1": [0.20, 0.25, 0.31], "E2": [0.22, 0.30, 0.34]})
    result = ksf.calibrate(CARD, history, line="op.gm", at="median", per_employee="p.csv")
    assert result.columns is not None
    assert result.columns.csv() == "employee,gm_balance\n'=1+1,0.25\nE2,0.3\n"
