"""Warnings: valid rules that are probably a slip. Rendered like errors, with ``warning:``.

Compile-time ones come with the rulebook (`Rulebook.warnings`); the ones that need the
data's names come from `Rulebook.check_data(columns, params)`. Neither stops a payroll.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ksf
from ksf.errors import Diagnostic, RuleWarning
from ksf.source import Source, Span

ROOT = Path(__file__).resolve().parents[1]


def rendered(text: str, name: str = "pay.ksf") -> list[str]:
    return [w.render() for w in ksf.compile(text, name=name).warnings]


def test_warning_renders_like_an_error_with_its_own_word() -> None:
    """One renderer for both: only the word after the position differs."""
    source = Source("card a {\n  base 1\n}\n", "a.ksf")
    span = Span(2, 3, 2, 7)
    error = Diagnostic("m", span, source, "h").render()
    warning = RuleWarning("m", span, source, "h").render()
    assert warning == error.replace(": error: ", ": warning: ", 1)
    assert warning == "a.ksf:2:3: warning: m\n1 | card a {\n2 |   base 1\n  |   ^^^^\nhint: h"
    assert str(RuleWarning("m", span, source)) == RuleWarning("m", span, source).render()


def test_shadowing_a_standard_indicator() -> None:
    """A file indicator named like a standard one warns at its name, giving the standard formula."""
    text = (
        "indicator gross_margin = (sales - cost) / sales\n"
        "card a { gross_margin balance 30% step 1% reward 10 }\n"
    )
    assert rendered(text) == [
        "pay.ksf:1:11: warning: this indicator shadows the standard indicator `gross_margin` "
        "(毛利率); this file's definition is used\n"
        "1 | indicator gross_margin = (sales - cost) / sales\n"
        "  |           ^^^^^^^^^^^^\n"
        "hint: the standard one is (revenue - cogs) / revenue; rename this indicator if you "
        "need both"
    ]


def test_a_table_or_score_may_shadow_too() -> None:
    """A table or a score named like a standard indicator is a shadowing warning too."""
    text = (
        "table acos { >= 1 : 1\n else : 0 }\n"
        "score roas { x weight 100% baseline 1 target 2 challenge 3 }\n"
        "card a { bonus 100 scaled_by acos(roas) }\n"
    )
    messages = [w.message for w in ksf.compile(text).warnings]
    assert messages == [
        "this table shadows the standard indicator `acos` (广告销售成本比); "
        "this file's definition is used",
        "this score shadows the standard indicator `roas` (广告支出回报率); "
        "this file's definition is used",
    ]


def test_a_copy_of_the_standard_definition_is_not_a_shadow() -> None:
    """Spelling the standard indicator out again changes nothing, so nothing is said."""
    text = (
        "indicator gross_margin = (revenue  -  cogs) / revenue  percent higher_is_better\n"
        "card a { gross_margin balance 30% step 1% reward 10 }\n"
    )
    assert ksf.compile(text).warnings == ()


def test_pool_no_card_shares() -> None:
    """A pool no card shares is a warning at its name, with the `share` line to add."""
    text = "pool bonus_pool { profit above 100 share 10% }\ncard a { base 1 }\n"
    assert rendered(text) == [
        "pay.ksf:1:6: warning: no card shares pool `bonus_pool`: it is computed and paid "
        "to nobody\n"
        "1 | pool bonus_pool { profit above 100 share 10% }\n"
        "  |      ^^^^^^^^^^\n"
        "hint: add `share bonus_pool` to the cards of the people it pays"
    ]


def test_table_and_score_nothing_reads() -> None:
    """A table and a score no line uses are each a warning."""
    text = (
        "table coefficient {\n  >= 90 : 1.2\n  else  : 1\n}\n"
        "score s { x weight 100% baseline 1 target 2 challenge 3 }\n"
        "card a { base 1 }\n"
    )
    assert [w.message for w in ksf.compile(text).warnings] == [
        "table `coefficient` is defined but no line uses it",
        "score `s` is defined but no line uses it",
    ]


def test_a_definition_read_only_by_another_counts_as_used() -> None:
    """A table read by an indicator that a line reads is used."""
    text = "table c { >= 1 : 2\n else : 1 }\nindicator k = c(x)\ncard a { bonus 100 scaled_by k }\n"
    assert ksf.compile(text).warnings == ()


def test_a_file_without_cards_is_a_library_and_needs_no_reader() -> None:
    """A file without cards is a library: its unread definitions give no warning."""
    assert ksf.compile("table c { else : 1 }\nindicator k = c(x)\n").warnings == ()


def test_percentage_written_without_percent_sign() -> None:
    """`毛利率 balance 25` on a plain column: 2500% if it holds fractions, so it is pointed out.

    The column's unit is unknown (it may hold percentage points, 25 for 25%), so this is a
    warning; on a value known to be a percentage it is an error (tests/test_units.py).
    """
    text = (
        "card a {\n"
        "  毛利率 balance 25 step 1 reward 10\n"
        "  return_rate balance 0.3 step 0.01 reward 10 as fine\n"
        "  sales balance 300000 step 10000 reward 10\n"
        "}\n"
    )
    assert rendered(text) == [
        "pay.ksf:2:15: warning: `毛利率` reads like a percentage: if the data holds 0.25 for "
        "25%, `balance 25` means 2500%\n"
        "1 | card a {\n"
        "2 |   毛利率 balance 25 step 1 reward 10\n"
        "  |                  ^^\n"  # the caret counts each Chinese character as two columns
        "hint: write 25% if it does; if it holds percentage points (25 for 25%), the line is "
        "right as written",
    ]


def test_percentage_slip_in_a_kpi() -> None:
    """A KPI on a plain rate-like column gets one warning, at its first bound without `%`."""
    text = (
        "score s { 销售达成率 weight 100% baseline 90 target 100 challenge 110 }\n"
        "card a { bonus 100 scaled_by s / 100 }\n"
    )
    assert [w.message for w in ksf.compile(text).warnings] == [
        "`销售达成率` reads like a percentage: if the data holds 0.25 for 25%, `baseline 90` "
        "means 9000%",
    ]


def test_no_warnings_on_the_clean_examples() -> None:
    """The shipped files warn only where they redefine a standard indicator on purpose."""
    for path in [
        *sorted((ROOT / "tests" / "golden").glob("*.ksf")),
        ROOT / "ksf/examples/team.ksf",
    ]:
        for warning in ksf.load(path).warnings:
            assert warning.message.startswith("this indicator shadows the standard indicator")


# ---- with the data's names -----------------------------------------------------------------

FILE = """\
indicator revenue = orders * price
card a {
  revenue balance 1000 step 100 reward 10
}
"""


def test_column_hidden_by_a_file_indicator() -> None:
    """A column named like a file indicator warns at the indicator: the column goes unread."""
    book = ksf.compile(FILE, name="pay.ksf")
    assert [w.render() for w in book.check_data(["orders", "price", "revenue"])] == [
        "pay.ksf:1:11: warning: the data has a column `revenue`, but this file's indicator "
        "is used instead\n"
        "1 | indicator revenue = orders * price\n"
        "  |           ^^^^^^^\n"
        "hint: rename the indicator to read the column, or drop the column"
    ]


def test_param_hidden_by_a_file_indicator() -> None:
    """A param named like a file indicator is a warning that the param is not used."""
    book = ksf.compile(FILE, name="pay.ksf")
    (warning,) = book.check_data(["orders", "price"], params={"revenue": 5.0})
    assert warning.message == (
        "the param `revenue` is not used: this file's indicator takes precedence"
    )
    assert warning.hint == "rename the indicator, or do not pass `revenue`"


def test_data_that_the_file_does_not_shadow_gives_nothing() -> None:
    """Columns and params the file does not define, or a standard indicator's, warn of nothing."""
    book = ksf.compile(FILE)
    assert book.check_data(["orders", "price", "extra"], params=["profit"]) == ()
    # a column named like a *standard* indicator is how data supplies it: intended
    assert (
        ksf.compile("card a { gross_margin balance 30% step 1% reward 1 }").check_data(
            ["gross_margin"]
        )
        == ()
    )


def test_warnings_never_stop_a_payroll() -> None:
    """A data warning leaves the pay as the rules say: 12 × 100 = 1200 → 2 steps × 10 = 20."""
    book = ksf.compile(FILE)
    assert book.check_data(["orders", "price", "revenue"])
    pay = book.evaluate({"orders": [12.0], "price": [100.0], "revenue": [0.0]})
    assert pay.total.tolist() == [20.0]  # 12 × 100 = 1200: (1200 − 1000) / 100 = 2 steps × 10


@pytest.mark.parametrize("kind", ["score", "table"])
def test_columns_hidden_by_other_definitions(kind: str) -> None:
    """A column named like a file score or table warns that the definition is used instead."""
    definition = {
        "score": "score k { x weight 100% baseline 1 target 2 challenge 3 }",
        "table": "table k { else : 1 }",
    }[kind]
    book = ksf.compile(
        f"{definition}\ncard a {{ bonus 100 scaled_by k(1) }}\n"
        if kind == "table"
        else f"{definition}\ncard a {{ bonus 100 scaled_by k }}\n"
    )
    (warning,) = book.check_data(["k", "x"])
    assert warning.message == f"the data has a column `k`, but this file's {kind} is used instead"


def test_sign_slips_on_a_line_without_a_pot() -> None:
    """`floor 1500` (meant −1500) and `cap -300` (meant 300) are flagged; with a pot, not."""
    text = (
        "card a {\n"
        "  gross_margin balance 30% step 1% reward 200 floor 1500\n"
        "  x balance 1 step 1 reward 1 cap -300\n"
        "  y pot 1000 balance 1 step 1 reward 1 floor 500\n"
        "}\n"
    )
    assert rendered(text) == [
        "pay.ksf:2:53: warning: `floor 1500` pays at least 1500 on this line, however bad "
        "the result; without a pot, a line pays 0 at the balance point and deducts below it\n"
        "1 | card a {\n"
        "2 |   gross_margin balance 30% step 1% reward 200 floor 1500\n"
        "  |                                                     ^^^^\n"
        "hint: did you mean `floor -1500`, a deduction of at most 1500?",
        "pay.ksf:3:35: warning: `cap -300` makes this line a deduction of at least 300 even "
        "far above the balance point\n"
        "2 |   gross_margin balance 30% step 1% reward 200 floor 1500\n"
        "3 |   x balance 1 step 1 reward 1 cap -300\n"
        "  |                                   ^^^^\n"
        "hint: did you mean `cap 300`?",
    ]
    # The slip is real: a margin of 20% (−10 steps × 200 = −2000) is still paid 1500.
    pay = ksf.compile(text).evaluate({"gross_margin": [0.20], "x": [1.0], "y": [1.0]})
    assert pay["gross_margin"].tolist() == [1500.0]


def test_commission_rate_without_percent_sign() -> None:
    """`rate 0.75` pays 75% of the base: flagged with the `%` it probably lacks; 5% is not."""
    text = (
        "card a {\n  commission sales rate 0.75 beyond 100000 rate 1\n  commission p rate 5%\n}\n"
    )
    warnings = ksf.compile(text, name="pay.ksf").warnings
    assert [(w.span.line, w.span.column, w.message, w.hint) for w in warnings] == [
        (2, 25, "`rate 0.75` pays 75% of the base as commission", "did you mean `rate 0.75%`?"),
        (2, 49, "`rate 1` pays 100% of the base as commission", "did you mean `rate 1%`?"),
    ]


def test_commission_rate_on_a_count_is_per_unit() -> None:
    """`rate 15` on units sold is 15 per unit: a count's rate needs no `%`, so no warning."""
    book = ksf.compile("card a { commission units_sold rate 15 }")
    assert book.warnings == ()
    assert book.evaluate({"units_sold": [3]}).total.tolist() == [45.0]


def test_pool_share_of_one_without_percent_sign() -> None:
    """`share 1` gives the whole increment: pointed out as probably 1%; 0.2 (20%) is not."""
    text = (
        "pool p { profit above 100 share 1 }\npool q { profit above 100 share 0.2 }\n"
        "card a { share p; share q }\n"
    )
    warnings = ksf.compile(text).warnings
    assert [(w.span.line, w.span.column, w.message, w.hint) for w in warnings] == [
        (
            1,
            33,
            "`share 1` gives 100% of the amount above the threshold to the pool",
            "did you mean `share 1%`?",
        )
    ]


def test_an_amount_from_a_rule_named_after_its_indicator_is_a_warning():
    """`奖金 毛利率 * 50%` below `毛利率 平衡点 …` reads the indicator, not the rule: a warning."""
    book = ksf.compile(
        "计薪卡 c {\n"
        " 毛利率 平衡点 25% 每 1% 奖励 200\n"
        " 奖金 毛利率 * 50% 记为 毛利加成\n"
        " 奖金 100 当 毛利率 >= 40% 记为 达标\n"
        "}\n"
    )
    (warning,) = book.warnings  # the condition on line 4 means the indicator: no warning
    assert warning.message == (
        "`毛利率` here is the indicator, not the amount of the balance rule `毛利率` on line 2"
    )
    assert warning.span.line == 3
    # 35% is 10 steps above 25%: the rule pays 2,000, but the bonus is half of 0.35
    pay = book.evaluate({"毛利率": [0.35]})
    assert pay["毛利率"].tolist() == [2000.0]
    assert pay["毛利加成"].tolist() == [0.18]  # 0.175 half-up
