"""Clause values read per row that vary by row (LANGUAGE.md §9), over several row blocks.

The per-row arithmetic is fused into block buffers (`ksf.kernels.balance.step_noise`,
`ksf.fast_ops.put`) and its checks run on the least and greatest values first; each row
must still be paid what the card with that row's values written pays, and every bad row
named, whichever block it is in.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ksf
import ksf.frame
from ksf.fast_ops import put
from ksf.kernels.balance import step_noise

CARD = """
card c {{
  v balance {b} step 1% reward 30 penalty 40 beyond 75% reward 60 beyond 45% penalty 80 floor -900
  w balance {d} step 1% reward 5 penalty 7 beyond 16% reward 9 lower_is_better prorate
}}
"""


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of four rows, so a few rows span several blocks."""
    monkeypatch.setattr(ksf.frame, "BLOCK_ROWS", 4)


def _pay(text: str, data: dict[str, list[float]]) -> ksf.Payroll:
    return ksf.compile(text).evaluate(data, card="c")


_FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)


@given(
    st.lists(st.tuples(_FLOATS, _FLOATS, st.booleans()), min_size=1, max_size=40),
    st.one_of(st.none(), _FLOATS),
)
def test_put_is_a_masked_copy_bit_for_bit(
    rows: list[tuple[float, float, bool]], scalar: float | None
) -> None:
    """`put` gives the bits of `np.copyto(..., where=)`: NaN, −0.0 and infinities included."""
    out = np.array([r[0] for r in rows])
    value = np.array([r[1] for r in rows]) if scalar is None else scalar
    where = np.array([r[2] for r in rows])
    expected = out.copy()
    np.copyto(expected, value, where=where)
    put(out, where, value, np.empty(len(rows)))
    assert out.view(np.uint64).tolist() == expected.view(np.uint64).tolist()


@pytest.mark.parametrize("step", [0.01, 0.001, 5000.0, 3.0])
def test_step_noise_per_row_is_the_written_noise(step: float) -> None:
    """A noise per row, worked out in a buffer, is the noise of each written point, bit for bit.

    STEP_ERROR is a power of two, so |B| / (S / STEP_ERROR) is STEP_ERROR·|B| / S exactly.
    """
    points = [0.3, -0.27, 0.0, -0.0, 820_000.0, 1e-310, 123_456.789, -5e6, 0.017]
    buffer = np.empty(len(points))
    per_row = step_noise(np.array(points), step, out=buffer)
    assert per_row is buffer
    written = [step_noise(p, step) for p in points]
    assert np.array(written).view(np.uint64).tolist() == buffer.view(np.uint64).tolist()
    steps = np.full(len(points), step)  # a step read per row too: the other order of operations
    both = step_noise(np.array(points), steps, out=np.empty(len(points)))
    assert np.asarray(both).view(np.uint64).tolist() == buffer.view(np.uint64).tolist()


def test_varying_points_hand_figures(small_blocks: None) -> None:
    """Each row's balance point places its steps and its `beyond` tiers, block after block.

    Row 0: 80% from 62% is 18 steps; 75% is 13 steps past 62%: 13 × 30 + 5 × 60 = 690.
    Row 5: 40% from 58% is 18 steps down; 45% is 13 below: 13 × 40 + 5 × 80 = 920, floor −900.
    Row 6: w 15% from 21%, lower is better, is 6 steps up; 16% is 5: 5 × 5 + 1 × 9 = 34.
    """
    data = {
        "v": [0.80, 0.60, 0.61, 0.75, 0.62, 0.40, 0.59],
        "b": [0.62, 0.60, 0.57, 0.63, 0.62, 0.58, 0.59],
        "w": [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.15],
        "d": [0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.21],
    }
    pay = _pay(CARD.format(b="b", d="d"), data)
    # rows 1–4: 0 steps; 4 steps up (4 × 30); 12 steps up (12 × 30); 0 steps; row 6: 0 steps
    assert pay["v"].tolist() == [690.0, 0.0, 120.0, 360.0, 0.0, -900.0, 0.0]
    assert pay["w"].tolist()[6] == 34.0


@given(
    st.lists(
        st.tuples(
            st.integers(-3, 3), st.integers(-3, 3), st.integers(-60, 60), st.integers(-30, 30)
        ),
        min_size=1,
        max_size=24,
    )
)
def test_varying_points_equal_literal_cards(rows: list[tuple[int, int, int, int]]) -> None:
    """Points k whole steps from 60% (and 20%) pay each row what the card with them written
    pays; the values land on steps and half steps, so float noise is exercised."""
    ksf.frame.BLOCK_ROWS, before = 4, ksf.frame.BLOCK_ROWS
    try:
        data = {
            "b": [round(0.60 + k * 0.01, 9) for k, _, _, _ in rows],
            "d": [round(0.20 + k * 0.01, 9) for _, k, _, _ in rows],
            "v": [0.60 + h * 0.005 for _, _, h, _ in rows],
            "w": [0.20 + h * 0.005 for _, _, _, h in rows],
        }
        pay = _pay(CARD.format(b="b", d="d"), data)
        for i, (k, j, _, _) in enumerate(rows):
            literal = CARD.format(b=f"{60 + k}%", d=f"{20 + j}%")
            want = _pay(literal, {"v": [data["v"][i]], "w": [data["w"][i]]})
            assert (pay["v"][i], pay["w"][i]) == (want["v"][0], want["w"][0]), (literal, i)
    finally:
        ksf.frame.BLOCK_ROWS = before


def test_an_infinite_point_is_named_in_every_block(small_blocks: None) -> None:
    """A column checked block by block still names every infinite row, not only the first."""
    data = {"v": [0.5] * 9, "b": [0.6, np.inf, 0.6, 0.61, 0.6, 0.6, 0.6, 0.6, -np.inf]}
    data |= {"w": [0.2] * 9, "d": [0.2] * 9}
    with pytest.raises(ksf.DataError) as error:
        _pay(CARD.format(b="b", d="d"), data)
    assert (error.value.message, error.value.column) == ("infinite value", "b")
    assert error.value.rows == (1, 8)


def test_a_missing_point_in_a_later_block_is_refused(small_blocks: None) -> None:
    """A missing balance point in the third block is refused, naming its row."""
    data = {"v": [0.5] * 9, "b": [0.6, 0.61] * 4 + [np.nan], "w": [0.2] * 9, "d": [0.2] * 9}
    with pytest.raises(ksf.DataError) as error:
        _pay(CARD.format(b="b", d="d"), data)
    assert error.value.message == "missing value read by the `balance` of line 'v'"
    assert (error.value.column, error.value.rows) == ("b", (8,))


def test_a_point_off_a_whole_step_is_refused_in_every_block(small_blocks: None) -> None:
    """75% is 14.5 steps from 60.5%: those rows fail the `beyond` checks, in whichever block."""
    data = {"v": [0.5] * 6, "b": [0.6, 0.605, 0.6, 0.6, 0.6, 0.605], "w": [0.2] * 6}
    data |= {"d": [0.2] * 6}
    with pytest.raises(ksf.DataError) as error:
        _pay(CARD.format(b="b", d="d"), data)
    assert error.value.message == "2 checks fail"  # both `beyond` points, on the same rows
    for point in ("`beyond 75% reward`", "`beyond 45% penalty`"):
        said = f"{point} of line 'v' is not a whole number of steps from the balance point"
        assert f"{said} `balance b` (column 'b'): 1, 5" in str(error.value)
    assert error.value.rows == (1, 5)


@given(st.lists(st.tuples(st.integers(-2, 2), st.integers(700, 1300)), min_size=1, max_size=20))
def test_varying_kpi_points_equal_written_scores(rows: list[tuple[int, int]]) -> None:
    """KPI points shifted k points per row pay each row the score with those points written.

    Attainments in thousandths land on the points themselves, below the baseline's float
    noise and past the challenge.
    """
    ksf.frame.BLOCK_ROWS, before = 4, ksf.frame.BLOCK_ROWS
    score = (
        "score s {{ x weight 100% baseline {} target {} challenge {} }}\ncard c {{ bonus 10 * s }}"
    )
    try:
        data = {"x": [h / 1000 for _, h in rows]}
        for name, point in (("lo", 0.9), ("mid", 1.0), ("hi", 1.1)):
            data[name] = [round(point + k / 100, 9) for k, _ in rows]
        pay = _pay(score.format("lo", "mid", "hi"), data)
        for i, (k, _) in enumerate(rows):
            literal = score.format(f"{90 + k}%", f"{100 + k}%", f"{110 + k}%")
            assert pay.total[i] == _pay(literal, {"x": [data["x"][i]]}).total[0], (literal, i)
    finally:
        ksf.frame.BLOCK_ROWS = before
