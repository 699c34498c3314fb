"""`beyond` points and amounts and commission tiers read per row (LANGUAGE.md §9): hand
figures, the checks a number gets at compile time made on each row, explain, fmt."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ksf
from ksf.cli import main
from ksf.dsl.format import format_rulebook
from ksf.dsl.parser import parse
from ksf.io.table import at_lines
from ksf.source import Source

BALANCE = (
    "card c { gross_margin balance target_gm step 1% reward 200 "
    "beyond (target_gm + 5%) reward 300 beyond stretch_gm reward bonus_rate }"
)
TIERS = "card c { commission sales rate 1% beyond tier1 rate 1.5% beyond (2 * tier1) rate t2 }"
RETRO = (
    "card c { commission sales rate 1% beyond tier1 rate 1.5% beyond (2 * tier1) rate 2% "
    "retroactive }"
)


def _pay(text: str, data: dict[str, object]) -> ksf.Payroll:
    return ksf.compile(text).evaluate(data, card="c")  # type: ignore[arg-type]


def _balance_data() -> dict[str, object]:
    return {
        "employee": ["E1", "E2", "E3"],
        "gross_margin": [0.37, 0.28, 0.45],
        "target_gm": [0.30, 0.25, 0.30],
        "stretch_gm": [0.40, 0.31, 0.40],
        "bonus_rate": [500.0, 400.0, 500.0],
    }


def test_beyond_points_and_amounts_per_row_hand_figures() -> None:
    """Each row's tiers start at its own points and pay its own amounts."""
    pay = _pay(BALANCE, _balance_data())
    # E1: 37% − 30% = 7 steps; tier at 35% (5 steps): 5 × 200 + 2 × 300 = 1600
    # E2: 28% − 25% = 3 steps, below the tier at 30% (5 steps): 3 × 200 = 600
    # E3: 45% − 30% = 15 steps; tiers at 5 and 10 steps: 5 × 200 + 5 × 300 + 5 × 500 = 5000
    assert pay["gross_margin"].tolist() == [1600.0, 600.0, 5000.0]


def test_beyond_penalty_per_row_hand_figures() -> None:
    """`beyond P2 penalty pen2`: the bad side's tier from the data."""
    text = "card c { v balance 30% step 1% reward 200 penalty 100 beyond p2 penalty pen2 }"
    pay = _pay(text, {"v": [0.22, 0.22], "p2": [0.25, 0.20], "pen2": [150.0, 150.0]})
    # row 0: −8 steps, tier at 25% (5 steps): −(5 × 100 + 3 × 150) = −950
    # row 1: −8 steps, tier at 20% (10 steps) not reached: −8 × 100 = −800
    assert pay["v"].tolist() == [-950.0, -800.0]


def test_commission_tiers_per_row_hand_figures() -> None:
    """Thresholds and rates from the data, marginal and retroactive."""
    data = {"sales": [150_000.0, 250_000.0, 90_000.0], "tier1": [100_000.0, 100_000.0, 50_000.0]}
    marginal = _pay(TIERS, {**data, "t2": [0.02, 0.02, 0.02]})["commission_sales"]
    # 100,000 × 1% + 50,000 × 1.5% = 1750; 100,000 × 1% + 100,000 × 1.5% + 50,000 × 2% = 3500;
    # 50,000 × 1% + 40,000 × 1.5% = 1100
    assert marginal.tolist() == [1750.0, 3500.0, 1100.0]
    retro = _pay(RETRO, data)["commission_sales"]
    # 150,000 × 1.5% = 2250; 250,000 × 2% = 5000; 90,000 × 1.5% = 1350
    assert retro.tolist() == [2250.0, 5000.0, 1350.0]


def test_a_rate_read_per_row_takes_tiers() -> None:
    """`rate r beyond 1000 rate 2%`: the first rate per row, the tier written."""
    pay = _pay(
        "card c { commission sales rate r beyond 1000 rate 2% }", {"sales": [1500.0], "r": [0.01]}
    )
    assert pay["commission_sales"].tolist() == [20.0]  # 1000 × 1% + 500 × 2% = 20


def test_every_failing_beyond_check_is_named() -> None:
    """Three checks fail on different rows: one error names each, its column and its rows."""
    data = _balance_data() | {
        "target_gm": [0.30, 0.25, 0.30, 0.30],
        "gross_margin": [0.37, 0.28, 0.45, 0.30],
        "stretch_gm": [0.40, 0.295, 0.40, 0.34],
        "bonus_rate": [500.0, 400.0, -1.0, 500.0],
        "employee": ["E1", "E2", "E3", "E4"],
    }
    with pytest.raises(ksf.DataError) as error:
        _pay(BALANCE, data)
    # E2: 29.5% is 4.5 steps from 25% (and so not compared with the tier at 30%);
    # E3: a reward of −1; E4: 34% is 4 steps from 30%, before the tier at 35% (5 steps)
    line = "of line 'gross_margin'"
    assert error.value.message == "3 checks fail"
    assert tuple((str(m), c, r) for m, c, r in error.value.checks) == (
        (
            f"`beyond stretch_gm reward` {line} is not a whole number of steps from the "
            "balance point `balance target_gm`",
            "stretch_gm",
            (1,),
        ),
        (
            f"`beyond stretch_gm reward bonus_rate` {line}: the reward must be 0 or more",
            "bonus_rate",
            (2,),
        ),
        (
            f"`beyond stretch_gm reward` {line} is not past `beyond (target_gm + 5%)`: tiers on "
            "a side must be written in order, each further from the balance point",
            "stretch_gm",
            (3,),
        ),
    )
    assert error.value.rows == (1, 2, 3)
    text = str(error.value)
    assert "employees: E2, E3, E4" in text
    assert "the reward must be 0 or more (column 'bonus_rate'): E3" in text
    assert "balance point `balance target_gm` (column 'stretch_gm'): E2" in text


def test_beyond_points_out_of_order_per_row() -> None:
    """A point read per row that is not past the tier before it on some row is refused there."""
    data = _balance_data() | {"stretch_gm": [0.40, 0.29, 0.40]}  # E2: 29% is before 30%
    with pytest.raises(ksf.DataError) as error:
        _pay(BALANCE, data)
    assert error.value.message == (
        "`beyond stretch_gm reward` of line 'gross_margin' is not past `beyond (target_gm + 5%)`: "
        "tiers on a side must be written in order, each further from the balance point"
    )
    assert (error.value.column, error.value.rows) == ("stretch_gm", (1,))
    assert "employees: E2" in str(error.value)


def test_commission_tiers_checked_per_row() -> None:
    """Thresholds not increasing, and a negative tier rate, on their rows."""
    data = {"employee": ["A", "B"], "sales": [1.0, 1.0], "tier1": [100.0, -5.0]}
    with pytest.raises(ksf.DataError) as error:
        _pay(TIERS, data | {"t2": [0.02, -0.01]})
    line = "of line 'commission_sales'"
    # B: t2 is −1%, and 2 × −5 = −10 is below −5
    assert tuple((str(m), c, r) for m, c, r in error.value.checks) == (
        (f"`beyond (2 * tier1) rate t2` {line}: the rate must be 0 or more", "t2", (1,)),
        (
            f"`beyond (2 * tier1) rate` {line} is not above `beyond tier1`: commission tiers "
            "must be in increasing order",
            "tier1",
            (1,),
        ),
    )
    assert error.value.rows == (1,)
    assert "employees: B" in str(error.value)


def test_explain_marks_beyond_values_both_languages() -> None:
    """Explain shows each `beyond` value read per row with the row's mark."""
    pay = _pay(BALANCE, _balance_data())
    text = pay.explain(0)
    assert "beyond (target_gm + 5%) = 0.35 (this row's)" in text
    assert "beyond stretch_gm reward bonus_rate = 500 (this row's)" in text
    zh = pay.explain(0, lang="zh")
    assert "超过 stretch_gm 奖励 bonus_rate = 500（本行的值）" in zh
    commission = _pay(TIERS, {"sales": [250_000.0], "tier1": [100_000.0], "t2": [0.02]})
    assert "beyond (2 * tier1) rate t2 = 2% (this row's)" in commission.explain(0)
    assert "2% beyond 200,000 (marginal)" in commission.explain(0)


@pytest.mark.parametrize("text", [BALANCE, TIERS, RETRO])
def test_fmt_round_trip_both_spellings(text: str) -> None:
    """`ksf fmt` keeps the per-row values, in English and Chinese, and the tree is unchanged."""
    tree = parse(Source(text))
    for lang in ("en", "zh"):
        out = format_rulebook(tree, lang=lang)
        assert parse(Source(out)) == tree


@given(
    points=st.lists(st.tuples(st.integers(1, 8), st.integers(0, 60)), min_size=1, max_size=3),
    values=st.lists(st.integers(0, 600), min_size=1, max_size=15),
)
def test_beyond_per_row_equals_literal(points: list[tuple[int, int]], values: list[int]) -> None:
    """Per-row `beyond` points and amounts pay as the card with each row's values written."""
    text = "card c { v balance 30% step 1% reward 200 beyond x reward a }"
    picked = [points[i % len(points)] for i in range(len(values))]
    data = {"v": [v / 1000 for v in values], "x": [(30 + k) / 100 for k, _ in picked]}
    data["a"] = [float(a * 10) for _, a in picked]
    got = _pay(text, data)["v"]
    for index, (k, a) in enumerate(picked):
        literal = f"card c {{ v balance 30% step 1% reward 200 beyond {30 + k}% reward {a * 10} }}"
        want = _pay(literal, {"v": [data["v"][index]]})["v"]
        assert got[index] == want[0], (literal, data["v"][index])


@given(
    tiers=st.lists(
        st.tuples(st.integers(1, 50), st.integers(1, 50), st.sampled_from(["1%", "2.5%", "4%"])),
        min_size=1,
        max_size=3,
    ),
    sales=st.lists(st.integers(0, 20_000), min_size=1, max_size=15),
    retroactive=st.booleans(),
)
def test_commission_tiers_per_row_equal_literal(
    tiers: list[tuple[int, int, str]], sales: list[int], retroactive: bool
) -> None:
    """Per-row tier thresholds and rates pay as the card with each row's tiers written."""
    flag = " retroactive" if retroactive else ""
    text = f"card c {{ commission sales rate 1% beyond t1 rate 2% beyond t2 rate r2{flag} }}"
    picked = [tiers[i % len(tiers)] for i in range(len(sales))]
    data = {"sales": [float(s) for s in sales], "t1": [a * 100.0 for a, _, _ in picked]}
    data["t2"] = [(a + b) * 100.0 for a, b, _ in picked]
    data["r2"] = [float(r[:-1]) / 100 for _, _, r in picked]
    got = _pay(text, data)["commission_sales"]
    for index, (a, b, rate) in enumerate(picked):
        literal = (
            f"card c {{ commission sales rate 1% beyond {a * 100} rate 2% "
            f"beyond {(a + b) * 100} rate {rate}{flag} }}"
        )
        want = _pay(literal, {"sales": [data["sales"][index]]})["commission_sales"]
        assert got[index] == want[0], (literal, data["sales"][index])


def test_check_data_names_the_beyond_columns() -> None:
    """`ksf check --data` refuses data without the columns a `beyond` clause reads, by name."""
    book = ksf.compile(BALANCE)
    with pytest.raises(ksf.KsfCompileError) as error:
        book.check_columns(["gross_margin", "target_gm", "bonus_rate"])
    assert "stretch_gm" in str(error.value)
    book.check_columns(["gross_margin", "target_gm", "bonus_rate", "stretch_gm"])


def test_pool_values_read_per_row_are_marked_in_explain() -> None:
    """A pool's `above`, `share` and `cap` read per row show the row's mark, in both languages."""
    text = "pool p {\n  profit above last share s\n  cap k\n}\ncard c { share p }"
    pay = _pay(text, {"profit": [1000.0], "last": [600.0], "s": [0.1], "k": [30.0]})
    # (1000 − 600) × 10% = 40, capped at 30
    assert pay["p"].tolist() == [30.0]
    english = pay.explain(0)
    assert "above last = 600 (this row's)" in english
    assert "share s = 10% (this row's)" in english
    assert "cap k = 30 (this row's)" in english
    assert "超出 last = 600（本行的值）" in pay.explain(0, lang="zh")


def test_cli_run_names_every_failing_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ksf run` prints each failing check with its column and the employee ids."""
    (tmp_path / "pay.ksf").write_text(BALANCE, encoding="utf-8")
    (tmp_path / "data.csv").write_text(
        "employee,card,gross_margin,target_gm,stretch_gm,bonus_rate\n"
        "E1,c,0.37,0.30,0.40,500\n"
        "E2,c,0.28,0.25,0.295,-400\n",
        encoding="utf-8",
    )
    assert main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "data.csv")]) == 1
    err = capsys.readouterr().err
    # E2: 29.5% is 4.5 steps from 25%, and its reward is −400
    assert "2 checks fail" in err
    assert "balance point `balance target_gm` (column 'stretch_gm'): E2" in err
    assert "the reward must be 0 or more (column 'bonus_rate'): E2" in err


def test_several_checks_render_in_chinese() -> None:
    """The several-checks error speaks Chinese too, each check with its column and ids."""
    data = _balance_data() | {"stretch_gm": [0.40, 0.295, 0.40], "bonus_rate": [500.0, 400.0, -1.0]}
    with pytest.raises(ksf.DataError) as error:
        _pay(BALANCE, data)
    zh = error.value.render("zh")
    # E2: 4.5 steps from 25% (off a whole step); E3: a reward of −1
    assert zh.startswith("数据错误：2 项检查未通过（列 'stretch_gm'）\n  员工：E2, E3")
    # a line is 项目 (as explain says it), and the keywords are written in Chinese
    assert "项目 'gross_margin' 的 `超过 stretch_gm 奖励 bonus_rate`：奖励 不能小于 0" in zh
    assert zh.endswith("（列 'bonus_rate'）：E3")


@pytest.mark.parametrize("policy", ["", "missing as balance", "missing as zero"])
def test_a_missing_beyond_value_is_always_an_error(policy: str) -> None:
    """An empty `beyond` point or amount is a hole in the plan, whatever the policy."""
    text = f"card c {{ gm balance 30% step 1% reward 200 beyond x reward a; {policy} }}"
    data = {"employee": ["E1", "E2"], "gm": [0.4, 0.4], "x": [0.35, 0.35], "a": [300.0, np.nan]}
    with pytest.raises(ksf.DataError) as error:
        _pay(text.replace("; }", " }"), data)
    assert error.value.message == "missing value read by the `beyond reward` of line 'gm'"
    assert (error.value.column, error.value.rows) == ("a", (1,))


def test_retroactive_tier_read_per_row_on_a_base_that_cancels_digits() -> None:
    """4,798,925.63 − 4,798,548 is 377.63 by hand: it reaches a tier at 377.63 read per row."""
    text = "card c { commission (sales - refunds) rate 1% beyond q rate 2% retroactive }"
    pay = _pay(text, {"sales": [4_798_925.63], "refunds": [4_798_548.0], "q": [377.63]})
    assert pay.total.tolist() == [7.55]  # 377.63 × 2% = 7.5526 → 7.55


def test_file_lines_keep_every_failing_check() -> None:
    """Naming rows by their file lines keeps each failed check, now named by its lines."""

    data = _balance_data() | {
        "target_gm": [0.30, 0.25, 0.30, 0.30],
        "gross_margin": [0.37, 0.28, 0.45, 0.30],
        "stretch_gm": [0.40, 0.295, 0.40, 0.34],
        "bonus_rate": [500.0, 400.0, -1.0, 500.0],
    }
    data.pop("employee", None)
    with pytest.raises(ksf.DataError) as error:
        _pay(BALANCE, data)
    # rows 0-3 of the data are lines 2-5 of a CSV file with a header
    filed = at_lines(error.value, [2, 3, 4, 5], file="july.csv")
    assert [c for _, c, _ in filed.checks] == ["stretch_gm", "bonus_rate", "stretch_gm"]
    text = str(filed)
    assert "lines: 3, 4, 5" in text
    assert "the reward must be 0 or more (column 'bonus_rate'): 4" in text
