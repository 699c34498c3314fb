"""Group aggregates and rankings (LANGUAGE.md §11): `sum(x over team)`, `rank(x over all)`.

The contract's example as written, ties, missing values left out, empty groups, explain,
`ksf fmt` in both spellings, every located error, the data errors, and hypothesis
properties against pandas: a group sum is a groupby sum, a rank is `rank(method="min")`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ksf
from ksf.cli import main
from ksf.dsl import parser
from ksf.groups import group_sums, ranks
from ksf.plot import curve
from ksf.rulebook import format_text
from ksf.source import Source
from ksf.testing import assert_monotone, data_for

pd = pytest.importorskip("pandas")

NAN = math.nan

# LANGUAGE.md §11's example, exactly as written there.
CONTRACT = """\
card lead     { base 8000; commission sum(sales over team) rate 0.2% as team_commission }
card operator { base 5000; bonus 2000 when rank(gross_profit over all) <= 3 as top3_award }
"""
TEAM = {
    "employee": ["L1", "O1", "O2", "O3", "O4", "L2"],
    "card": ["lead", "operator", "operator", "operator", "operator", "lead"],
    "team": ["A", "A", "A", "B", "B", "B"],
    "sales": [NAN, 100_000.0, 200_000.0, 300_000.0, 50_000.0, NAN],
    "gross_profit": [NAN, 30_000.0, 20_000.0, 25_000.0, 10_000.0, NAN],
}


def pay_of(text: str, data: dict[str, list[object]]) -> ksf.Payroll:
    return ksf.compile(text).evaluate(data)


# ---- the contract ----------------------------------------------------------------------------


def test_contract_example_pays_the_team_total_and_the_top_three() -> None:
    """Leads get 0.2% of their team's sales; the three best gross profits get 2000."""
    pay = pay_of(CONTRACT, TEAM)
    # team A: 100,000 + 200,000 = 300,000 × 0.2% = 600; team B: 300,000 + 50,000 → 700
    assert pay["team_commission"].tolist() == [600.0, 0.0, 0.0, 0.0, 0.0, 700.0]
    # ranks: O1 30,000 → 1, O3 25,000 → 2, O2 20,000 → 3, O4 10,000 → 4
    assert pay["top3_award"].tolist() == [0.0, 2000.0, 2000.0, 2000.0, 0.0, 0.0]
    assert pay.total.tolist() == [8600.0, 7000.0, 7000.0, 7000.0, 5000.0, 8700.0]


def test_contract_example_explains_group_rows_and_value() -> None:
    """Explain names the row's group, the rows the aggregate took and its value."""
    pay = pay_of(CONTRACT, TEAM)
    lead = pay.explain("L2")
    # team B's known sales: O3 and O4 (L2's own is missing), 350,000
    assert "sum(sales over team): group team = B, 2 rows → sum 350,000" in lead
    assert "350,000 × 0.2% = 700" in lead
    operator = pay.explain("O2")
    assert "rank(gross_profit over all): group all rows, 4 rows → rank 3" in operator


def test_ties_share_the_best_rank() -> None:
    """90, 95, 95, 80 rank 3, 1, 1, 4: two rows share 1st and nobody is 2nd."""
    pay = pay_of("card c { bonus rank(x over all) as place }", {"x": [90, 95, 95, 80]})
    assert pay["place"].tolist() == [3.0, 1.0, 1.0, 4.0]


def test_rank_of_the_negation_ranks_the_lowest_first() -> None:
    """`rank(-x over team)`: within each team, the smallest value is 1."""
    data = {"team": ["A", "A", "B", "B", "B"], "x": [5, 3, 7, 7, 9]}
    pay = pay_of("card c { bonus rank(-x over team) as place }", data)
    # A: 3 → 1, 5 → 2; B: the two 7s share 1, 9 → 3
    assert pay["place"].tolist() == [2.0, 1.0, 1.0, 1.0, 3.0]


def test_every_aggregate_by_hand() -> None:
    """sum, count, mean, min, max per team and over all, worked by hand."""
    text = """card c {
      bonus sum(x over team) as s; bonus count(over team) as n; bonus mean(x over team) as m
      bonus min(x over team) as lo; bonus max(x over all) as hi; bonus count(over all) as all_n
    }"""
    pay = pay_of(text, {"team": ["A", "A", "B", "B", "B"], "x": [100, 300, 200, 200, 50]})
    assert pay["s"].tolist() == [400, 400, 450, 450, 450]  # 100 + 300; 200 + 200 + 50
    assert pay["n"].tolist() == [2, 2, 3, 3, 3]
    assert pay["m"].tolist() == [200, 200, 150, 150, 150]  # 400 / 2; 450 / 3
    assert pay["lo"].tolist() == [100, 100, 50, 50, 50]
    assert pay["hi"].tolist() == [300] * 5
    assert pay["all_n"].tolist() == [5] * 5


def test_numeric_keys_group_like_text_keys() -> None:
    """A store number is a key too: stores 7 and 8 each add up their own rows."""
    data = {"store": [7, 8, 7], "x": [1, 2, 3]}
    pay = pay_of("card c { bonus sum(x over store) as s }", data)
    assert pay["s"].tolist() == [4, 2, 4]  # store 7: 1 + 3
    assert "group store = 7, 2 rows → sum 4" in pay.explain(0)


# ---- missing values --------------------------------------------------------------------------


def test_missing_values_are_left_out_of_every_aggregate() -> None:
    """A missing value neither adds, counts towards a mean, nor takes a rank."""
    text = """card c {
      missing as zero
      bonus sum(x over team) as s; bonus mean(x over team) as m; bonus rank(x over team) as r
    }"""
    pay = pay_of(text, {"team": ["A", "A", "A"], "x": [10, NAN, 30]})
    assert pay["s"].tolist() == [40, 40, 40]  # 10 + 30
    assert pay["m"].tolist() == [20, 20, 20]  # 40 / 2, not 40 / 3
    assert pay["r"].tolist() == [2, 0, 1]  # the missing row has no rank: missing as zero


def test_a_group_with_no_values_sums_to_zero_and_has_no_mean() -> None:
    """Team B has no value: its sum is 0, its count of rows 1, its mean/min/max missing."""
    text = """card c {
      missing as zero
      bonus sum(x over team) as s; bonus count(over team) as n
      bonus mean(x over team) + 1 as m; bonus min(x over team) + 1 as lo
      bonus max(x over team) + 1 as hi
    }"""
    pay = pay_of(text, {"team": ["A", "B"], "x": [4, NAN]})
    assert pay["s"].tolist() == [4, 0]
    assert pay["n"].tolist() == [1, 1]
    # B's mean, min and max are missing, so the lines read a missing value: zero
    assert pay["m"].tolist() == [5, 0]
    assert pay["lo"].tolist() == [5, 0]
    assert pay["hi"].tolist() == [5, 0]


def test_a_missing_group_value_under_the_default_policy_is_a_data_error() -> None:
    """Without `missing as`, a line reading team B's missing mean is refused."""
    with pytest.raises(ksf.DataError) as error:
        pay_of("card c { bonus mean(x over team) }", {"team": ["A", "B"], "x": [4, NAN]})
    assert list(error.value.rows) == [1]


def test_an_empty_key_is_a_data_error_naming_column_and_rows() -> None:
    """A row without a team would silently make a group of its own."""
    with pytest.raises(ksf.DataError) as error:
        pay_of("card c { bonus sum(x over team) }", {"team": ["A", "", "B"], "x": [1, 2, 3]})
    assert error.value.column == "team"
    assert list(error.value.rows) == [1]
    assert "group aggregate" in error.value.message


def test_infinite_values_an_aggregate_reads_are_data_errors() -> None:
    """An infinite sale is bad data even though no card reads `sales` directly."""
    with pytest.raises(ksf.DataError) as error:
        pay_of("card c { bonus sum(sales over all) }", {"sales": [1.0, math.inf]})
    assert (error.value.column, list(error.value.rows)) == ("sales", [1])


# ---- every row of the evaluation, floats -----------------------------------------------------


def test_groups_span_rows_of_every_card() -> None:
    """The lead's team total adds the operators' rows; `over card` groups per card."""
    text = """
    card lead { bonus sum(x over team) as team_total; bonus sum(x over card) as card_total }
    card op { base 1 }
    """
    data = {"card": ["lead", "op", "op"], "team": ["A", "A", "A"], "x": [1, 10, 100]}
    pay = pay_of(text, data)
    assert pay["team_total"].tolist()[0] == 111  # 1 + 10 + 100
    assert pay["card_total"].tolist()[0] == 1  # only the lead row has card = lead


def test_over_card_without_a_card_column_is_every_row_of_the_one_card() -> None:
    """One card and no `card` column: `over card` takes all rows, as the rows of that card."""
    text = "card op { bonus sum(x over card) as card_total; bonus count(over card) as n }"
    pay = ksf.compile(text).evaluate({"x": [1, 10, 100]})
    assert pay["card_total"].tolist() == [111.0] * 3  # 1 + 10 + 100
    assert pay["n"].tolist() == [3.0] * 3
    assert "sum(x over card): group card = op, 3 rows → sum 111" in pay.explain(0)


def test_over_card_with_evaluate_card_takes_the_rows_of_that_card() -> None:
    """evaluate(card="lead") runs every row as the lead: `over card` is all of them."""
    text = """
    card lead { bonus sum(x over card) as card_total; bonus rank(x over card) as place }
    card op { base 1 }
    """
    pay = ksf.compile(text).evaluate({"x": [1, 10, 100]}, card="lead")
    assert pay["card_total"].tolist() == [111.0] * 3  # 1 + 10 + 100, one group
    assert pay["place"].tolist() == [3.0, 2.0, 1.0]  # 100 highest: 1st of the three
    # A data card column that evaluate(card=…) overrides does not split the group either.
    data = {"card": ["lead", "op", "op"], "x": [1, 10, 100]}
    assert ksf.compile(text).evaluate(data, card="lead")["card_total"].tolist() == [111.0] * 3


def test_cli_over_card_needs_no_card_column(tmp_path: Path) -> None:
    """`ksf check --data` and `ksf run --card` accept `over card` on data without the column."""
    (tmp_path / "pay.ksf").write_text(
        "card lead { bonus sum(x over card) as t }\ncard op { base 1 }\n", encoding="utf-8"
    )
    (tmp_path / "july.csv").write_text("employee,x\nE1,1\nE2,10\n", encoding="utf-8")
    files = [str(tmp_path / "pay.ksf"), str(tmp_path / "july.csv")]
    assert main(["check", files[0], "--data", files[1]]) == 0
    assert main(["run", *files, "--card", "lead", "-o", str(tmp_path / "out.csv")]) == 0
    out = ksf.io.read_data(tmp_path / "out.csv")
    assert out["t"].tolist() == [11.0, 11.0]  # 1 + 10, both rows run the lead card


def test_a_team_sum_on_its_threshold_is_on_it() -> None:
    """Ten sales of 0.1 add up to 1 exactly (by hand), so `>= 1` holds."""
    text = "card c { bonus 100 when sum(x over all) >= 1 as hit }"
    pay = pay_of(text, {"x": [0.1] * 10})
    assert pay["hit"].tolist() == [100.0] * 10


def test_group_sums_are_near_correctly_rounded() -> None:
    """1e16 + 1 + 1 − 1e16 is 2; adding in row order in floats would give 0."""
    values = np.array([1e16, 1.0, 1.0, -1e16])
    assert group_sums(values, np.zeros(4, dtype=np.intp), 1).tolist() == [2.0]


def test_an_indicator_may_hold_an_aggregate() -> None:
    """`indicator share = x / sum(x over team)`: a row's part of its team's total."""
    text = "indicator part = x / sum(x over team)\ncard c { bonus 1000 * part as b }"
    pay = pay_of(text, {"team": ["A", "A"], "x": [1, 3]})
    assert pay["b"].tolist() == [250.0, 750.0]  # 1000 × 1/4, 1000 × 3/4


# ---- the language: fmt, Chinese, errors ------------------------------------------------------


def test_fmt_round_trips_in_both_spellings() -> None:
    """`ksf fmt --lang zh` writes `按` and `全体`; back in English it is the same tree."""
    chinese = format_text(CONTRACT, lang="zh")
    assert "sum(sales 按 team)" in chinese
    assert "rank(gross_profit 按 全体)" in chinese
    back = format_text(chinese, lang="en")
    assert parser.parse(Source(back)) == parser.parse(Source(CONTRACT))
    count = "card c { bonus count(over team) }\n"
    assert format_text(count, lang="zh") == "计薪卡 c {\n  奖金 count(按 team)\n}\n"


def test_rulebook_names_include_the_key_column() -> None:
    """`Rulebook.names` lists the key of `over team` next to the value it adds up."""
    book = ksf.compile(CONTRACT)
    assert book.names("lead") == ("sales", "team")
    assert book.names("operator") == ("gross_profit",)


def test_check_columns_finds_a_missing_key_column() -> None:
    """`ksf check --data` (check_columns) refuses an `over` column the data lacks."""
    book = ksf.compile(CONTRACT)
    with pytest.raises(ksf.KsfCompileError) as error:
        book.check_columns(["sales", "teams", "gross_profit"])
    assert error.value.message == "the data has no column `team` for `sum(sales over team)`"
    assert error.value.hint == "did you mean 'teams'?"
    assert (error.value.line, error.value.column) == (1, 39)  # the aggregate


@pytest.mark.parametrize(
    ("text", "message", "at"),
    [
        ("card a { bonus abs(x over team) }", "`over` does not apply to `abs`", (1, 16)),
        ("card a { bonus count(x over team) }", "`count` counts the rows of a group", (1, 22)),
        ("card a { bonus sum(over team) }", "`sum` needs a value before `over`", (1, 16)),
        (
            "indicator t = 1\ncard a { bonus sum(x over t) }",
            "`over t` names the file's indicator",
            (2, 27),
        ),
        (
            "card a { bonus sum(rank(x over all) over team) }",
            "an aggregate cannot be inside another aggregate's value",
            (1, 20),
        ),
        ("card a { bonus sum(x, y) }", "unknown function or table `sum`", (1, 16)),
    ],
)
def test_errors_are_located_with_hints(text: str, message: str, at: tuple[int, int]) -> None:
    """Each misuse of `over` is a compile error at its place, with a hint."""
    with pytest.raises(ksf.KsfCompileError) as error:
        ksf.compile(text)
    assert error.value.message.startswith(message)
    assert (error.value.line, error.value.column) == at
    assert error.value.hint


def test_a_missing_key_name_is_a_syntax_error_with_a_hint() -> None:
    """`sum(x over )`: the hint says what `over` takes."""
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("card a { bonus sum(x over ) }")
    assert error.value.hint == "`over` is followed by the column that makes the groups, or `all`"


# ---- properties against pandas ---------------------------------------------------------------

values = st.lists(
    st.tuples(st.integers(0, 5), st.integers(-1000, 1000) | st.just(None)), min_size=1, max_size=40
)


@settings(max_examples=60, deadline=None)
@given(values)
def test_sum_over_a_group_equals_a_pandas_groupby_sum(rows: list[tuple[int, int | None]]) -> None:
    """`sum(x over g)` equals pandas' `groupby(g).transform("sum")`, missing values left out."""
    g = [k for k, _ in rows]
    x = [NAN if v is None else v / 100 for _, v in rows]  # cents, so sums need care
    pay = pay_of("card c { missing as zero; bonus sum(x over g) as s }", {"g": g, "x": x})
    expected = pd.DataFrame({"g": g, "x": x}).groupby("g")["x"].transform("sum")
    assert np.allclose(pay["s"], expected.round(2), rtol=0, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(values)
def test_rank_agrees_with_pandas_min_rank_descending(rows: list[tuple[int, int | None]]) -> None:
    """`rank(x over g)` is pandas' `rank(method="min", ascending=False)` within each group."""
    g = [k for k, _ in rows]
    x = [NAN if v is None else float(v) for _, v in rows]
    frame = pd.DataFrame({"g": g, "x": x})
    expected = frame.groupby("g")["x"].rank(method="min", ascending=False).to_numpy()
    found = ranks(
        np.array([v for v in x if not math.isnan(v)]),
        np.array([k for k, v in zip(g, x, strict=True) if not math.isnan(v)], dtype=np.intp),
        6,  # g is 0 to 5
    )
    assert found.tolist() == expected[~np.isnan(expected)].tolist()
    pay = pay_of("card c { missing as zero; bonus rank(x over g) as r }", {"g": g, "x": x})
    assert pay["r"].tolist() == np.nan_to_num(expected).tolist()  # no rank: missing → zero


def test_cli_run_reads_a_text_key_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ksf run` accepts text in the `over` column and pays each team's total."""
    (tmp_path / "pay.ksf").write_text(
        "card lead { commission sum(sales over team) rate 1% }\n", encoding="utf-8"
    )
    (tmp_path / "d.csv").write_text("sales,team\n100,A\n200,B\n300,A\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "d.csv")]) == 0
    # A: (100 + 300) × 1% = 4; B: 200 × 1% = 2
    assert capsys.readouterr().out.splitlines()[1:] == [
        "lead,4.00,4.00",
        "lead,2.00,2.00",
        "lead,4.00,4.00",
    ]


def test_a_pool_and_a_scale_may_read_an_aggregate() -> None:
    """A pool's profit and a `scaled_by` factor are computed from the group's values."""
    text = """
    pool p { sum(profit over all) above 1000 share 10% }
    card c { share p; bonus 100 scaled_by x / max(x over all) as scaled }
    """
    pay = pay_of(text, {"profit": [600.0, 900.0], "x": [1.0, 4.0]})
    # pool: (600 + 900 − 1000) × 10% = 50, split equally: 25 each
    assert pay["p"].tolist() == [25.0, 25.0]
    # 100 × 1/4 = 25, 100 × 4/4 = 100
    assert pay["scaled"].tolist() == [25.0, 100.0]


def test_plot_sweeps_the_groups_value() -> None:
    """A commission on a team's total plots pay against that total, named as written."""
    book = ksf.compile("card lead { commission sum(sales over team) rate 0.2% as team_c }")
    found = curve(book, "lead", "team_c", (0, 100_000))
    assert found.indicator == "sum(sales over team)"
    assert found.amounts[-1] == 200.0  # 100,000 × 0.2%


def test_data_for_draws_the_key_and_assert_monotone_sweeps_cards_with_aggregates() -> None:
    """`data_for` draws `team` from three keys; `assert_monotone` sweeps a card with a group."""
    book = ksf.compile(
        "card lead { commission sum(sales over team) rate 1%; x balance 1 step 1 reward 1 }"
    )

    @settings(max_examples=20, deadline=None, database=None)
    @given(data_for(book, "lead", max_rows=6))
    def pays(data: dict[str, np.ndarray]) -> None:
        assert set(np.unique(data["team"])) <= {1.0, 2.0, 3.0}
        book.evaluate(data)

    pays()
    assert_monotone(book, "lead", "x", samples=10)
    falls = ksf.compile("card lead { x balance 1 step 1 reward 1; bonus -5 * sum(x over team) }")
    with pytest.raises(AssertionError, match="falls as `x` rises"):
        assert_monotone(falls, "lead", "x", samples=10)


def test_declared_domains_hold_for_values_an_aggregate_reads() -> None:
    """A negative sale, declared `>= 0`, is refused though only `sum(sales over team)` reads it."""
    book = ksf.compile(
        "column sales money >= 0\ncard lead { commission sum(sales over team) rate 1% }"
    )
    assert book.evaluate({"sales": [1.0, 2.0], "team": ["a", "a"]}).total.tolist() == [0.03, 0.03]
    with pytest.raises(ksf.DataError) as error:
        book.evaluate({"sales": [1.0, -2.0], "team": ["a", "a"]})
    assert (error.value.column, list(error.value.rows)) == ("sales", [1])


def test_a_teams_mean_score_and_a_cancelling_sum() -> None:
    """`mean(kpi over team)` averages each row's points; a sum of differences is exact."""
    text = """
    score kpi { a weight 100% baseline 0 target 10 challenge 20; points 60 100 120 }
    card k { bonus 10 * mean(kpi over team) as b; bonus 1 when sum(a - z over team) >= 13 as d }
    """
    pay = pay_of(text, {"a": [5.0, 10.0, 20.0], "z": [1.0, 1.0, 1.0], "team": ["x", "x", "y"]})
    # a = 5 is halfway from baseline to target: 60 + 40 × 0.5 = 80; a = 10 → 100; mean 90
    # a = 20 → 120 points alone in team y
    assert pay["b"].tolist() == [900.0, 900.0, 1200.0]
    # x: (5 − 1) + (10 − 1) = 13 ≥ 13; y: 20 − 1 = 19
    assert pay["d"].tolist() == [1.0, 1.0, 1.0]
    assert "kpi: a" not in pay.explain(0)  # the KPIs of other rows are not this row's


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=60))
def test_a_group_sum_is_within_one_ulp_of_the_exact_sum(values: list[float]) -> None:
    """`group_sums` is within an ulp of `math.fsum`, plus n² × 2^-104 × max |x| (low parts)."""
    exact = math.fsum(values)
    found = group_sums(np.array(values), np.zeros(len(values), dtype=np.intp), 1)[0]
    slack = len(values) ** 2 * 2.0**-104 * max(map(abs, values))
    assert abs(found - exact) <= math.ulp(exact) + slack


def test_a_group_sum_that_overflows_is_a_data_error() -> None:
    """1e308 + 1e308 is past float64's largest number: the team's rows are named."""
    with pytest.raises(ksf.DataError) as error:
        pay_of(
            "card c { bonus sum(x over team) }", {"team": ["a", "a", "b"], "x": [1e308, 1e308, 1]}
        )
    assert error.value.message == "`sum(x over team)` is too large for a number"
    assert (error.value.column, list(error.value.rows)) == ("team", [0, 1])


def test_ranks_tie_values_equal_up_to_float_noise():
    """250,000.10 − 0.30 and 249,999.80 are equal by hand, so both rank first (LANGUAGE.md 7)."""
    book = ksf.compile(
        "indicator gross_profit = revenue - cogs  money\n"
        "card operator { base 1000; bonus 2000 when rank(gross_profit over all) <= 1 as top1 }\n"
    )
    data = {"employee": ["A", "B"], "revenue": [250000.10, 249999.80], "cogs": [0.30, 0.0]}
    pay = book.evaluate(data)
    # in floats A's profit is 249999.80000000002; by hand both are 249,999.80: both rank 1
    assert pay["top1"].tolist() == [2000.0, 2000.0]


@pytest.mark.parametrize(
    "line",
    [
        "bonus sum(base over team) as x",
        "bonus mean(subtotal over team) as x",
        "bonus 1000 when rank(commission_sales over all) <= 1 as x",
    ],
)
def test_an_aggregate_cannot_read_a_line_of_the_card(line):
    """Aggregates run before any card's lines, so a line or subtotal inside one is an error."""
    text = f"card c {{\n  base 5000\n  commission sales rate 1%\n  {line}\n}}\n"
    with pytest.raises(ksf.KsfCompileError) as error:
        ksf.compile(text)
    assert error.value.message == "an aggregate cannot read a line of the card or `subtotal`"
    assert error.value.line == 4
