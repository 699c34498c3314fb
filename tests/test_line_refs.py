"""Fixed amounts from the data and lines that use earlier lines (LANGUAGE.md section 9).

`base base_salary`, `base (6000 * days_worked / payable_days)`; inside a card the name of an
earlier line is that line's rounded amount and `subtotal` the sum of the rounded lines
above. References to later lines, to the line itself or to another card's lines are located
compile errors.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ksf
from ksf.cli import main
from ksf.dsl.format import format_rulebook
from ksf.dsl.parser import parse
from ksf.source import Source

LEAD = """
card lead {
  base 8000
  commission team_sales rate 0.5%
  bonus 10% of commission_team_sales when kpi >= 90 as kpi_bonus
  bonus -max(0, subtotal - 2.5 * base) as variable_cap     # variable pay at most 1.5× base
}
"""


def lead_pay(team_sales: list[float], kpi: list[float]) -> ksf.Payroll:
    """The contract's `lead` card over the given rows."""
    return ksf.compile(LEAD).evaluate({"team_sales": team_sales, "kpi": kpi})


def compile_error(text: str) -> ksf.KsfCompileError:
    """The compile error ``text`` raises."""
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(text)
    return info.value


# --- the contract example ------------------------------------------------------------------


def test_lead_below_the_cap_keeps_its_bonus():
    """2,000,000 sales: commission 10,000, kpi bonus 1,000; 19,000 − 20,000 < 0, cap 0."""
    pay = lead_pay([2_000_000], [95])
    assert pay["commission_team_sales"].tolist() == [10_000]  # 2,000,000 × 0.5%
    assert pay["kpi_bonus"].tolist() == [1_000]  # 10% of 10,000, kpi 95 >= 90
    assert pay["variable_cap"].tolist() == [0]  # -max(0, 19,000 − 2.5 × 8,000)
    assert pay.total.tolist() == [19_000]


def test_lead_above_the_cap_is_cut_to_two_and_a_half_times_base():
    """4,000,000 sales: 8,000 + 20,000 + 2,000 = 30,000; cap −10,000; total 20,000."""
    pay = lead_pay([4_000_000], [95])
    assert pay["kpi_bonus"].tolist() == [2_000]
    assert pay["variable_cap"].tolist() == [-10_000]  # -(30,000 − 20,000)
    assert pay.total.tolist() == [20_000]


def test_lead_without_the_kpi_bonus():
    """kpi 80: no bonus; 8,000 + 20,000 = 28,000, cap −8,000, total 20,000."""
    pay = lead_pay([4_000_000], [80])
    assert pay["kpi_bonus"].tolist() == [0]
    assert pay["variable_cap"].tolist() == [-8_000]
    assert pay.total.tolist() == [20_000]


def test_references_read_the_rounded_amount():
    """commission 1% of 1,234.5 = 12.345 → 12.35; the bonus reads 12.35, not 12.345."""
    text = "card a {\n commission s rate 1%\n bonus 1000 * commission_s as b\n}"
    pay = ksf.compile(text).evaluate({"s": [1_234.5]}, card="a")
    assert pay["commission_s"].tolist() == [12.35]
    assert pay["b"].tolist() == [12_350]  # 1000 × 12.35, not 12,345


def test_a_half_cent_from_references_rounds_up_on_every_row_block():
    """12.35 − 0.005 is 12.345 in decimals (12.3449… in floats): half-up gives 12.35."""
    text = (
        "card a {\n commission s rate 1%\n bonus subtotal - 0.005 as x\n"
        " bonus commission_s - 0.005 as y\n}\ncard b { base 1 }"
    )
    book = ksf.compile(text)
    # 1,234.50 × 1% = 12.345 → 12.35; 1,000.50 × 1% = 10.005 → 10.01; minus 0.005, half-up
    pay = book.evaluate({"s": [1_234.5, 1_000.5]}, card="a")
    assert pay["x"].tolist() == pay["y"].tolist() == [12.35, 10.01]
    pay = book.evaluate({"card": ["b", "a", "a"], "s": [0, 1_234.5, 1_000.5]})  # rows by index
    assert pay["x"].tolist() == pay["y"].tolist() == [0, 12.35, 10.01]


def test_subtotal_sums_only_the_lines_above():
    """base 100, bonus 10% of subtotal = 10, then subtotal = 110 → 11; total 121."""
    text = "card a {\n base 100\n bonus 10% of subtotal as b1\n bonus 10% of subtotal as b2\n}"
    pay = ksf.compile(text).evaluate({"x": [1, 2]}, card="a")
    assert pay["b1"].tolist() == [10, 10]
    assert pay["b2"].tolist() == [11, 11]  # 10% of (100 + 10)
    assert pay.total.tolist() == [121, 121]


def test_subtotal_on_the_first_line_is_zero():
    """Nothing above the first line: its subtotal is 0, so `bonus 5 + subtotal` pays 5."""
    pay = ksf.compile("card a {\n bonus 5 + subtotal\n}").evaluate({"x": [1]}, card="a")
    assert pay["bonus"].tolist() == [5]


def test_min_pay_comes_after_the_references():
    """base 1,000 − 40% of base (a deduction line) = 600; min_pay 800 tops up 200."""
    text = "card a {\n base 1000\n bonus -40% of base as cut\n min_pay 800\n}"
    pay = ksf.compile(text).evaluate({"x": [1]}, card="a")
    assert pay["cut"].tolist() == [-400]
    assert pay["min_pay_topup"].tolist() == [200]
    assert pay.total.tolist() == [800]


def test_references_over_row_subsets_of_several_cards():
    """Rows of two cards interleaved: each card's references read its own rows."""
    text = LEAD + "card other {\n base 100\n bonus 50% of base as half\n}"
    data = {
        "card": ["lead", "other", "lead"],
        "team_sales": [4_000_000, 0, 2_000_000],
        "kpi": [95, 0, 95],
    }
    pay = ksf.compile(text).evaluate(data)
    assert pay.total.tolist() == [20_000, 150, 19_000]  # 100 + 50 on the middle row
    assert pay["half"].tolist() == [0, 50, 0]


def test_explain_shows_the_referenced_lines_and_the_subtotal():
    """The explanation names each line read, with its amount, and what the subtotal adds up."""
    text = lead_pay([4_000_000], [95]).explain(0)
    assert "where line commission_team_sales = 20,000.00" in text
    assert "subtotal (base + commission_team_sales + kpi_bonus) = 30,000.00" in text
    assert "variable_cap: -10,000.00" in text


def test_a_balance_rule_name_still_means_its_indicator():
    """`gm balance …` is named gm; a later `gm` is the indicator (0.33), not the rule's 300."""
    text = "card a {\n gm balance 30% step 1% reward 100\n bonus 1000 * gm as b\n}"
    pay = ksf.compile(text).evaluate({"gm": [0.33]}, card="a")
    assert pay["gm"].tolist() == [300]  # 3 steps × 100
    assert pay["b"].tolist() == [330]  # 1000 × 0.33


# --- errors ----------------------------------------------------------------------------------


def test_a_later_line_is_an_error():
    """A line that reads a line below it is refused at the name, with a hint."""
    error = compile_error("card a {\n bonus 2 * base as b\n base 100\n}")
    assert error.message == "line `base` comes later in card `a` (on line 3)"
    assert (error.line, error.column) == (2, 12)
    assert error.hint == "a line can use only the lines above it; move it below that line"


def test_a_line_cannot_read_itself():
    """`bonus 10% of b as b` reads its own amount: refused."""
    error = compile_error("card a {\n bonus 10% of b as b\n}")
    assert error.message == "line `b` cannot use its own amount"


def test_another_cards_line_is_an_error():
    """A line of another card is not in scope."""
    error = compile_error("card a {\n base 100 as pay_a\n}\ncard b {\n bonus pay_a\n}")
    assert error.message == "`pay_a` is a line of card `a`, not of card `b`"
    assert error.line == 5


def test_an_unknown_line_name_is_an_unknown_name():
    """A name that is no line, column or param is refused when the data is bound."""
    book = ksf.compile("card a {\n base 100\n bonus 2 * bas as b\n}")
    with pytest.raises(ksf.KsfCompileError) as info:
        book.evaluate({"x": [1]}, card="a")
    assert "unknown name `bas`" in str(info.value)
    assert "base" not in str(info.value).split("unknown name")[0]


def test_a_line_named_like_an_indicator_is_ambiguous():
    """An alias that is also an indicator of the file: the later reference is ambiguous."""
    text = "indicator k = x * 2\ncard a {\n base 100 as k\n bonus k as b\n}"
    error = compile_error(text)
    assert error.message == "`k` is both a line of card `a` and an indicator of this file"


def test_a_data_column_named_like_a_referenced_line_is_a_warning():
    """The data's column `base` is not read where the card's line `base` is meant: a warning."""
    book = ksf.compile("card a {\n base 100\n bonus 10% of base as b\n}")
    (warning,) = book.check_data(["base"])
    assert warning.message == "the data has a column `base`, but this file's line is used instead"
    assert (warning.span.line, warning.span.column) == (3, 15)
    pay = book.evaluate({"base": [7.0]}, card="a")
    assert pay["b"].tolist() == [10]  # 10% of the line's 100, not of the column's 7


# --- fixed amounts from the data ----------------------------------------------------------


def test_base_from_a_column():
    """`base base_salary`: each row's own salary, rounded half-up to the cent."""
    pay = ksf.compile("card a {\n base base_salary\n}").evaluate(
        {"base_salary": [8_000, 6_500.125, 7_000.004]}, card="a"
    )
    assert pay["base"].tolist() == [8_000, 6_500.13, 7_000.0]  # .125 → .13 half-up


def test_attendance_proration():
    """6000 × 21 / 22 = 5,727.2727… → 5,727.27; 6000 × 22 / 22 = 6,000."""
    text = "card a {\n base (6000 * days_worked / payable_days)\n allowance 300 as meals\n}"
    data = {"days_worked": [21, 22], "payable_days": [22, 22]}
    pay = ksf.compile(text).evaluate(data, card="a")
    assert pay["base"].tolist() == [5_727.27, 6_000]
    assert pay.total.tolist() == [6_027.27, 6_300]


def test_explain_shows_a_base_from_the_data():
    """6000 × 20 / 22 = 5,454.5454… → 5,454.55, with the values it was read from."""
    book = ksf.compile("card a {\n base (base_salary * days_worked / payable_days)\n}")
    data = {"base_salary": [6000], "days_worked": [20], "payable_days": [22]}
    text = book.evaluate(data, card="a").explain(0)
    assert "base_salary * days_worked / payable_days = 5,454.545455" in text
    assert "where base_salary = 6,000, days_worked = 20, payable_days = 22" in text
    assert "5,454.545455 rounded half-up to 0.01 → 5,454.55" in text


def test_a_base_from_the_data_too_large_is_a_data_error():
    """An amount past what float64 rounds exactly to the cent is refused, naming the line."""
    book = ksf.compile("card a { base base_salary }")
    with pytest.raises(ksf.DataError) as info:
        book.evaluate({"base_salary": [1.0, 1e300]}, card="a")
    assert (info.value.column, info.value.rows) == ("base", (1,))


def test_a_missing_base_follows_the_missing_policy():
    """An empty salary is a data error by default; `missing as zero` pays 0."""
    with pytest.raises(ksf.DataError) as info:
        ksf.compile("card a { base base_salary }").evaluate({"base_salary": [1.0, None]}, card="a")
    assert (info.value.column, info.value.rows) == ("base_salary", (1,))
    pay = ksf.compile("card a {\n base base_salary\n missing as zero\n}").evaluate(
        {"base_salary": [1.0, None]}, card="a"
    )
    assert pay["base"].tolist() == [1, 0]


def test_chinese_base_from_the_data():
    """底薪 takes a name too; 补贴 an expression."""
    text = "计薪卡 a {\n 底薪 底薪额\n 补贴 (10 * 天数) 记为 餐补\n}"
    pay = ksf.compile(text).evaluate({"底薪额": [5000], "天数": [20]}, card="a")
    assert pay.total.tolist() == [5_200]  # 5,000 + 10 × 20


def test_fmt_round_trips_data_amounts_and_references():
    """`ksf fmt` keeps `base base_salary`, the parentheses and the references."""
    text = "card a {\n  base base_salary\n  allowance (6000 * d / p) as x\n}\n" + LEAD
    once = format_rulebook(parse(Source(text)))
    assert "base base_salary" in once
    assert "allowance (6000 * d / p) as x" in once
    assert "bonus -max(0, subtotal - 2.5 * base) as variable_cap" in once
    assert format_rulebook(parse(Source(once))) == once
    assert parse(Source(once)) == parse(Source(text))


# --- property ------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=30),
    st.sampled_from(["0.7%", "12.5%", "1:3", "0.333"]),
)
def test_a_reference_equals_the_rounded_line(cents, rate):
    """`bonus 1 * L` pays exactly line L's rounded amount, row by row, for L of each kind."""
    text = (
        f"card a {{\n commission s rate {rate}\n bonus 1 * commission_s as copy\n"
        " s balance 0 step 7 reward 3.3 prorate as s_pay\n bonus 1 * s_pay as copy2\n"
        " bonus subtotal as sum\n}"
    )
    sales = np.array(cents) / 100
    pay = ksf.compile(text).evaluate({"s": sales}, card="a")
    assert pay["copy"].tolist() == pay["commission_s"].tolist()
    assert pay["copy2"].tolist() == pay["s_pay"].tolist()
    # in whole cents, so a sum's float noise (0.1 + 0.2) is no difference
    above = np.rint(100 * pay["commission_s"]) * 2 + np.rint(100 * pay["s_pay"]) * 2
    assert np.rint(100 * pay["sum"]).tolist() == above.tolist()
    assert np.rint(100 * pay.total).tolist() == (2 * above).tolist()


def test_a_chinese_file_refers_to_lines_by_their_chinese_names():
    """`底薪`, `补贴`, `提成_销售额` and `小计` name the lines `base`, `allowance`,
    `commission_销售额` and the subtotal, as a Chinese payslip writes them."""
    book = ksf.compile(
        "计薪卡 c {\n"
        " 底薪 6000\n"
        " 补贴 300\n"
        " 提成 销售额 比例 1%\n"
        " 奖金 10% 的 底薪 记为 奖\n"
        " 奖金 5% 的 提成_销售额 记为 奖2\n"
        " 奖金 -max(0, 小计 - 8000) 记为 封顶\n"
        "}\n"
    )
    pay = book.evaluate({"销售额": [100_000, 300_000]})
    # row 0: 6000 + 300 + 1000 + 600 + 50 = 7950, under 8000: the cap takes nothing
    # row 1: 6000 + 300 + 3000 + 600 + 150 = 10050: the cap takes 2050 back, 8000
    assert pay["奖"].tolist() == [600.0, 600.0]
    assert pay["奖2"].tolist() == [50.0, 150.0]
    assert pay["封顶"].tolist() == [0.0, -2050.0]
    assert pay.total.tolist() == [7950.0, 8000.0]


def test_a_chinese_line_name_is_a_column_where_no_such_line_is_above():
    """`底薪` reads the data's column when the card has no base line above it."""
    book = ksf.compile("计薪卡 c {\n 奖金 10% 的 底薪 记为 奖\n}\n")
    # 10% × 5,000 = 500, from the column
    assert book.evaluate({"底薪": [5000]}).total.tolist() == [500.0]


MISSPELT = """\
card lead {
  base 8000
  commission team_sales rate 0.5%
  bonus 10% of comission_team_sales as kpi_bonus
  bonus -max(0, subtotl - 2.5 * base) as variable_cap
  bonus 5 when kpi_bonsu > 0 as late
}
"""


def test_a_misspelt_line_name_suggests_the_earlier_lines_at_evaluation():
    """An unknown name close to a line above it, or to `subtotal`, is suggested at the data."""
    book = ksf.compile(MISSPELT)
    with pytest.raises(ksf.KsfCompileError) as error:
        book.evaluate({"team_sales": [1_000_000.0]})
    hints = [d.hint for d in error.value.errors]
    assert hints[0] == "did you mean 'commission_team_sales' or 'team_sales'?"
    assert hints[1] == "did you mean 'subtotal'?"
    # `kpi_bonsu` is on the line after kpi_bonus: the line above it is suggested.
    assert hints[2] == "did you mean 'kpi_bonus'?"
    chinese = error.value.errors[0].render("zh")
    assert chinese.endswith("提示：是不是要写 'commission_team_sales' 或 'team_sales'？")


def test_a_line_below_is_not_suggested():
    """Only lines above the one that reads the name are suggested: a later line cannot be read."""
    book = ksf.compile("card c { bonus 5 when late_bonsu > 0 as early\n bonus 7 as late_bonus }")
    with pytest.raises(ksf.KsfCompileError) as error:
        book.evaluate({"x": [1.0]})
    assert "late_bonus" not in str(error.value)


def test_check_data_suggests_the_earlier_lines(tmp_path, capsys):
    """`ksf check --data` gives the same did-you-mean hint as evaluation."""
    (tmp_path / "pay.ksf").write_text(MISSPELT, encoding="utf-8")
    (tmp_path / "july.csv").write_text("employee,team_sales\nL1,1000000\n", encoding="utf-8")
    status = main(["check", str(tmp_path / "pay.ksf"), "--data", str(tmp_path / "july.csv")])
    err = capsys.readouterr().err
    assert status == 1
    assert "hint: did you mean 'commission_team_sales' or 'team_sales'?" in err
    assert "hint: did you mean 'subtotal'?" in err


def test_a_misspelt_line_name_is_a_warning_before_the_data():
    """The text alone warns of a name spelt almost as a line above it, in en and zh."""
    warnings = ksf.compile(MISSPELT).warnings
    assert [(w.span.line, w.hint) for w in warnings] == [
        (4, "did you mean 'commission_team_sales'?"),
        (5, "did you mean 'subtotal'?"),
        (6, "did you mean 'kpi_bonus'?"),
    ]
    assert warnings[0].message == (
        "`comission_team_sales` is not a line of card lead: it will be read from the data"
    )
    chinese = warnings[1].render("zh")
    assert "警告: `subtotl` 不是计薪卡 lead 中的计薪项：将从数据中读取" in chinese
    assert chinese.endswith("提示：是不是要写 'subtotal'？")


def test_columns_and_standard_indicators_near_a_line_name_are_not_warned():
    """Names unlike any line above, and standard indicators, give no warning."""
    text = """card c {
      commission team_sales rate 1%
      bonus 10 when gross_margin > 0.3 as gross_margin_pay
      bonus 10% of team_sales + gross_margin as extra
    }"""
    # gross_margin is as close to the line gross_margin_pay as a slip (difflib: 2 × 12 / 28 =
    # 0.857, past 0.85) but is the standard indicator; team_sales is far from
    # commission_team_sales (2 × 10 / 31 = 0.645).
    assert ksf.compile(text).warnings == ()
