"""Percentage points and percent slips: data in points is refused, not paid 100 times over;
a step written without `%` under a balance written with it is refused; `run` and `explain`
print the rule file's warnings as `check` does.

Which is an error and which a warning is set out in docs/errors.md ("Units").
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ksf
from ksf.cli import main

MARGIN = "card a { base 5000; gross_margin balance 25% step 1% reward 150 }\n"


def data_error(book: ksf.Rulebook, data: dict[str, list[object]]) -> ksf.DataError:
    with pytest.raises(ksf.DataError) as caught:
        book.evaluate(data)
    return caught.value


def compile_error(text: str) -> ksf.KsfCompileError:
    with pytest.raises(ksf.KsfCompileError) as caught:
        ksf.compile(text, name="pay.ksf")
    return caught.value


# ---- 1. a standard share supplied by the data in percentage points ------------------------


def test_a_margin_column_in_percentage_points_is_refused() -> None:
    """gross_margin 28.5 would pay (28.5 − 0.25) / 1% = 2825 steps × 150 = 423,750: refused."""
    error = data_error(ksf.compile(MARGIN), {"employee": ["E1", "E2"], "gross_margin": [28.5, 21]})
    assert error.column == "gross_margin"
    assert error.labels == ("E1", "E2")
    assert "a share that must be <= 100%" in error.message
    assert "percentage points (28.5 for 28.5%)? divide it by 100" in error.message


def test_a_margin_column_in_fractions_is_paid() -> None:
    """0.285: 3.5 points above 25% is 3 whole steps × 150 = 450; −0.21 is −46 × 150 = −6,900."""
    book = ksf.compile(MARGIN)
    pay = book.evaluate({"employee": ["E1", "E2", "E3"], "gross_margin": [0.285, -0.21, 1.0]})
    # 1.0 is 75 steps × 150 = 11,250; each total adds the base of 5,000
    assert pay.total.tolist() == [5450.0, -1900.0, 16250.0]


def test_a_rate_column_cannot_be_negative_or_above_100_percent() -> None:
    """A return rate is a share of the units sold: −1% and 300% are refused, 0 and 100% not."""
    book = ksf.compile("card a { return_rate balance 5% step 1% reward 10 lower_is_better }\n")
    error = data_error(
        book, {"employee": ["A", "B", "C", "D"], "return_rate": [0.0, -0.01, 1.0, 3.0]}
    )
    assert (error.column, error.labels) == ("return_rate", ("B", "D"))
    assert "must be >= 0 <= 100%" in error.message


def test_a_ratio_column_named_like_a_standard_indicator_is_not_bounded() -> None:
    """roas is a ratio: 3.2 is paid, (3.2 − 2) / 0.5 = 2 steps (floor of 2.4) × 100 = 200."""
    book = ksf.compile("card a { roas balance 2 step 0.5 reward 100 }\n")
    assert book.evaluate({"roas": [3.2]}).total.tolist() == [200.0]


def test_a_plain_column_read_in_percent_refuses_values_above_100() -> None:
    """`毛利率 平衡点 25%`: 150 would be 15000%; 28.5 (2850%) is within the bound and paid."""
    book = ksf.compile("计薪卡 a { 毛利率 平衡点 25% 每 1% 奖励 150 }\n")
    error = data_error(book, {"工号": ["E1", "E2", "E3"], "毛利率": [28.5, 0.21, 150]})
    assert (error.column, error.labels) == ("毛利率", ("E3",))
    assert "holds values above 100 (above 10000%)" in error.message
    assert "points written in percent (25%)" in error.message
    assert "divide it by 100" in error.message


def test_a_ratio_read_in_percent_is_paid() -> None:
    """`roi balance 150% step 10%`: ROI 3.2 is (3.2 − 1.5) / 0.1 = 17 steps × 100 = 1,700."""
    book = ksf.compile("card a { roi balance 150% step 10% reward 100 }\n")
    # 100 (10000%) is the bound itself: (100 − 1.5) / 0.1 = 985 steps × 100 = 98,500
    assert book.evaluate({"roi": [3.2, 100.0]}).total.tolist() == [1700.0, 98500.0]


def test_a_plain_column_read_without_percent_is_not_bounded() -> None:
    """`毛利率 平衡点 25` reads points: 150 is (150 − 25) / 1 = 125 steps × 10 = 1,250."""
    book = ksf.compile("计薪卡 a { 毛利率 平衡点 25 每 1 奖励 10 }\n")
    assert book.evaluate({"毛利率": [150.0]}).total.tolist() == [1250.0]


def test_the_cli_names_the_employees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's own run: exit status 1, no payroll, E1 and E2 named."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gm.ksf").write_text(MARGIN, encoding="utf-8")
    (tmp_path / "gm.csv").write_text("employee,gross_margin\nE1,28.5\nE2,21\n", encoding="utf-8")
    assert main(["run", "gm.ksf", "gm.csv"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("gm.csv: data error: impossible value: `gross_margin`")
    assert "employees: E1, E2" in err


# ---- 2. a step without `%` under a balance with it ----------------------------------------


def test_a_step_without_percent_under_a_percent_balance_is_refused() -> None:
    """`毛利率 平衡点 30% 每 1`: a step of 100 points, which pays 0 to everyone; hint in 每."""
    error = compile_error("计薪卡 a { 毛利率 平衡点 30% 每 1 奖励 100 }\n")
    (diagnostic,) = error.errors
    assert (diagnostic.span.line, diagnostic.span.column) == (1, 23)
    assert diagnostic.message.startswith("`平衡点 30%` is written in percent, so `每 1` means 100%")
    assert diagnostic.hint == "write `每 1%`"


def test_a_beyond_point_without_percent_is_refused() -> None:
    """`beyond 40` under `balance 30%` is 4000%: a point no one reaches."""
    error = compile_error("card a { x balance 30% step 1% beyond 40 reward 200 reward 100 }\n")
    (diagnostic,) = error.errors
    assert diagnostic.message.startswith("`balance 30%` is written in percent, so `beyond 40`")
    assert diagnostic.hint == "write `beyond 40%`"


def test_fractions_and_percents_together_are_accepted() -> None:
    """`balance 30% step 0.01` is the same step as 1%; `balance 0.3 step 1` has no `%` at all."""
    ksf.compile("card a { x balance 30% step 0.01 reward 100 }\n")
    assert ksf.compile("card a { x balance 0.3 step 1 reward 100 }\n").warnings == ()


def test_a_percent_step_under_a_plain_balance_warns() -> None:
    """`balance 30 step 1%`: 3000% if the data holds fractions, a hundredth of a point if not."""
    book = ksf.compile("card a { x balance 30 step 1% reward 100 }\n", name="pay.ksf")
    (warning,) = book.warnings
    assert str(warning).startswith(
        "pay.ksf:1:20: warning: `balance 30` is written without `%` and `step 1%` with it"
    )
    assert ksf.compile("card a { x balance 0 step 1% reward 100 }\n").warnings == ()


# ---- 3. run and explain print the rule file's warnings ------------------------------------


@pytest.mark.parametrize("command", [["run"], ["explain", "--employee", "E1"]])
def test_run_and_explain_print_the_warnings_check_prints(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`提成 销售额 比例 5` is 500%: a warning on stderr, the same as check's; status stays 0."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.ksf").write_text("计薪卡 a { 提成 销售额 比例 5 }\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("employee,销售额\nE1,1000\n", encoding="utf-8")
    assert main(["check", "s.ksf"]) == 0
    checked = capsys.readouterr().err
    assert main([command[0], "s.ksf", "s.csv", *command[1:]]) == 0
    out, err = capsys.readouterr()
    # The keyword is quoted as the file spells it (`比例`, not `rate`), as the person typed it.
    assert "s.ksf:1:19: warning: `比例 5` pays 500% of the base as commission" in checked
    assert err == checked
    assert "5000.00" in out.replace(",", "")  # 1,000 × 5 = 5,000: paid as written
