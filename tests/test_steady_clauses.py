"""Clause values read per row that hold one number over a block (`ksf.kernels.values.steady`):
computed as the number written in the file, with the same amounts and the same refusals."""

from __future__ import annotations

import numpy as np
import pytest

import ksf
import ksf.frame
from ksf.kernels.values import steady


def _pay(text: str, data: dict[str, object]) -> ksf.Payroll:
    return ksf.compile(text).evaluate(data, card="c")  # type: ignore[arg-type]


def test_steady_takes_one_number_only_for_identical_bits() -> None:
    """Alike values become one float; varying, missing, or mixed ±0 values stay an array."""
    assert steady(np.full(5, 0.3)) == 0.3
    assert isinstance(steady(np.full(5, 0.3)), float)
    for varying in ([0.3, 0.3, 0.31, 0.3], [np.nan, np.nan], [0.0, -0.0, 0.0], [0.3, 0.2]):
        values = np.array(varying)
        assert steady(values) is values
    assert steady(np.zeros(3)) == 0.0
    assert steady(2.5) == 2.5  # a number stays a number


@pytest.mark.parametrize("block", [2, 3, 65_536])
@pytest.mark.parametrize("prorate", ["", " prorate"])
def test_alike_and_varying_blocks_pay_the_literal_amounts(
    monkeypatch: pytest.MonkeyPatch, block: int, prorate: str
) -> None:
    """Blocks where the balance point is alike and blocks where it varies pay as written."""
    monkeypatch.setattr(ksf.frame, "BLOCK_ROWS", block)
    text = (
        f"card c {{ v balance b step 0.01 reward 3 penalty 2 beyond 100_000.05 reward 5{prorate} }}"
    )
    points = [100_000.0] * 4 + [100_000.01, 100_000.0]
    values = [100_000.07, 99_999.98, 100_000.005, 100_000.0, 100_000.07, 100_000.2]
    got = _pay(text, {"v": values, "b": points})["v"]
    for value, point, amount in zip(values, points, got, strict=True):
        literal = text.replace("balance b", f"balance {point!r}")
        assert amount == _pay(literal, {"v": [value]})["v"][0], (value, point)
    if not prorate:
        # 100,000.07 is 7 steps above 100,000: 5 × 3 + 2 × 5 (past the 5-step tier) = 25;
        # 0.02 below is −2 × 2 = −4; 100,000.2 is 20 steps above 100,000: 5 × 3 + 15 × 5 = 90
        assert got.tolist()[:2] == [25.0, -4.0]
        assert got.tolist()[5] == 90.0


def test_a_percentage_points_target_alike_on_every_row_names_every_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """target 25 (2500%) on all five rows: the error names all five, across blocks of two."""
    monkeypatch.setattr(ksf.frame, "BLOCK_ROWS", 2)
    data = {"gross_margin": [0.28] * 5, "target_gm": [25.0] * 5}
    with pytest.raises(ksf.DataError) as error:
        _pay("card c { gross_margin balance target_gm step 1% reward 200 }", data)
    assert (error.value.column, error.value.rows) == ("target_gm", (0, 1, 2, 3, 4))


def test_a_tier_on_the_wrong_side_of_an_alike_point_names_every_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A balance point of 40% on every row puts `beyond 35% reward` below it: all rows fail."""
    monkeypatch.setattr(ksf.frame, "BLOCK_ROWS", 2)
    text = "card c { v balance t step 1% reward 200 beyond 35% reward 300 }"
    with pytest.raises(ksf.DataError) as error:
        _pay(text, {"v": [0.3, 0.3, 0.3], "t": [0.40, 0.40, 0.40]})
    assert "is on the wrong side of the balance point `balance t`" in error.value.message
    assert (error.value.column, error.value.rows) == ("t", (0, 1, 2))


def test_a_zero_step_alike_on_every_row_names_every_row() -> None:
    """`step s` 0 on every row is refused on every row, as one number would be."""
    with pytest.raises(ksf.DataError) as error:
        _pay("card c { v balance 1 step s reward 1 }", {"v": [1.0, 2.0], "s": [0.0, 0.0]})
    assert error.value.message == "`step s` of line 'v' must be above 0"
    assert (error.value.column, error.value.rows) == ("s", (0, 1))


SCORE = """
score s {
  sales weight 60% baseline low target goal challenge top
  profit weight 40% baseline 120% target pgoal challenge 80% lower_is_better
}
card c { bonus 10 * s }
"""


@pytest.mark.parametrize("block", [2, 65_536])
def test_kpi_points_alike_pay_the_written_kpi(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    """KPI points one number over a block (or the column) pay as the KPI written with them."""
    monkeypatch.setattr(ksf.frame, "BLOCK_ROWS", block)
    sales = [1.05, 0.9, 0.8999999999, 1.3, 0.95]
    profit = [0.9, 1.1, 1.3, 0.79, 0.8]
    alike = {"low": [0.9] * 5, "goal": [1.0] * 5, "top": [1.1] * 5, "pgoal": [1.0] * 5}
    got = _pay(SCORE, {"sales": sales, "profit": profit, **alike})["bonus"]
    written = SCORE.replace(
        "baseline low target goal challenge top", "baseline 90% target 100% challenge 110%"
    )
    written = written.replace("target pgoal", "target 100%")
    want = _pay(written, {"sales": sales, "profit": profit})["bonus"]
    assert got.tolist() == want.tolist()
    # row 0: sales 105% → 100 + 20 × 5/10 = 110 points × 60% = 66; profit 90% (lower is
    # better, past the 100% target toward 80%) → 100 + 20 × 10/20 = 110 × 40% = 44;
    # 10 × (66 + 44) = 1100
    assert got.tolist()[0] == 1100.0
    # row 2: sales 0.8999999999 is the baseline up to float noise (LANGUAGE.md 7): 60 points
    assert got.tolist()[2] == want.tolist()[2]


def test_kpi_points_alike_out_of_order_name_every_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """A target below the baseline on every row of every block: all rows are refused."""
    monkeypatch.setattr(ksf.frame, "BLOCK_ROWS", 2)
    data = {"sales": [1.0] * 3, "profit": [1.0] * 3, "low": [0.9] * 3, "goal": [0.85] * 3}
    with pytest.raises(ksf.DataError) as error:
        _pay(SCORE, {**data, "top": [1.1] * 3, "pgoal": [1.0] * 3})
    assert "puts baseline, target and challenge out of order" in error.value.message
    # the first clause read per row of the pair out of order is named: `baseline low`
    assert (error.value.column, error.value.rows) == ("low", (0, 1, 2))
