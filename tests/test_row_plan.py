"""Rows evaluated chunk by chunk, every card's rows in each chunk (`ksf.row_plan`, issue 18)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ksf
import ksf.frame
import ksf.row_plan
from ksf.errors import DataError
from ksf.row_plan import cards_rows, chunk_rows, plan_rows

# Three cards that share lines (base, gm) and differ in the rest: min_pay, a commission with
# a tier, a line read by a later line, a subtotal, and `missing as zero`.
BOOK = ksf.compile(
    """
card a {
  base 3000
  gm balance 30% step 1% reward 100 penalty 50 floor -800
  min_pay 3200
}
card b {
  base 2000
  commission sales rate 2% beyond 50000 rate 3%
  bonus 10% of subtotal when gm >= 35% as kicker
}
card c {
  gm balance 25% step 0.5% reward 40 prorate
  bonus -max(0, subtotal - 1000) as cap
  missing as zero
}
""",
    name="plan.ksf",
)
SMALL_CHUNKS = 4_096  # rows: several chunks on a few thousand rows


def _data(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "gm": np.round(rng.uniform(0.15, 0.45, n), 4),  # noqa: TID251 - test data
        "sales": np.round(rng.uniform(0, 90_000, n), 2),  # noqa: TID251
    }


def _payroll(pay: ksf.Payroll) -> np.ndarray:
    return np.vstack([pay[line] for line in pay.lines] + [pay.total])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from("abc"), min_size=1, max_size=12),
    st.integers(1, 30_000),
    st.integers(0, 2**32 - 1),
    st.sampled_from([1, 2, 3]),
)
def test_mixed_cards_pay_what_each_card_pays_on_its_rows_alone(
    runs: list[str], n: int, seed: int, threads: int
) -> None:
    """Any mix of cards (runs of rows, or interleaved), any threads: each card's rows alone."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 3_000, len(runs))
    card = np.resize(np.repeat(np.array(runs), lengths), n)  # runs of rows, then repeated
    if seed % 2:
        card = rng.permutation(card)  # and interleaved
    data = {**_data(n, seed), "card": card}
    ksf.row_plan.CHUNK_ROWS, kept = SMALL_CHUNKS, ksf.row_plan.CHUNK_ROWS
    try:
        pay = BOOK.evaluate(data, threads=threads)
    finally:
        ksf.row_plan.CHUNK_ROWS = kept
    got = _payroll(pay)
    for name in np.unique(card):
        rows = np.flatnonzero(card == name)
        alone = BOOK.evaluate({k: v[rows] for k, v in data.items() if k != "card"}, card=name)
        index = [pay.lines.index(line) for line in alone.lines]
        assert np.array_equal(got[index][:, rows], _payroll(alone)[:-1])
        assert np.array_equal(pay.total[rows], alone.total)
        others = [i for i in range(len(pay.lines)) if i not in index]
        assert not got[others][:, rows].any()  # a line the card lacks pays 0


def test_one_and_two_threads_give_identical_payrolls(monkeypatch: pytest.MonkeyPatch) -> None:
    """50,000 interleaved rows in 13 chunks: 1 and 2 threads, every line and total alike."""
    monkeypatch.setattr(ksf.row_plan, "CHUNK_ROWS", SMALL_CHUNKS)
    n = 50_000  # 4,096-row chunks: 12 full ones and a part
    data = {**_data(n, 7), "card": np.array(["a", "b", "c"])[np.arange(n) % 3]}
    one = _payroll(BOOK.evaluate(data, threads=1))
    two = _payroll(BOOK.evaluate(data, threads=2))
    assert np.array_equal(one, two)
    one_card = _payroll(BOOK.evaluate(data, card="b", threads=1))
    assert np.array_equal(one_card, _payroll(BOOK.evaluate(data, card="b", threads=2)))


def test_cards_rows_sorts_the_codes_once() -> None:
    """Codes [1, 0, 1, 2, 0]: card 0 has rows 1 and 4, card 1 rows 0 and 2, card 2 row 3."""
    found = cards_rows(np.array([1, 0, 1, 2, 0], dtype=np.intp), 3)
    assert [rows.tolist() for rows in found if rows is not None] == [[1, 4], [0, 2], [3]]
    assert cards_rows(None, 1) == (None,)


def test_consecutive_rows_run_as_slices_and_the_rest_by_index() -> None:
    """Chunks of 4 over 10 rows: [0, 4), [4, 8), [8, 10); a card's consecutive rows are a slice."""
    # card 0 has rows 0-5 (chunk 0 whole, chunk 1 rows 4-5); card 1 rows 6, 8, 9 (chunk 1
    # row 6, chunk 2 rows 8-9); card 2 row 7 (chunk 1).
    rows_of = [np.arange(6), np.array([6, 8, 9]), np.array([7])]
    plan = plan_rows(rows_of, 10, 4)
    shown = [
        [(card, (b.start, b.stop) if isinstance(b, slice) else b.tolist()) for card, b in chunk]
        for chunk in plan.chunks
    ]
    assert shown == [[(0, (0, 4))], [(0, (4, 6)), (1, (6, 7)), (2, (7, 8))], [(1, (8, 10))]]
    assert plan.size == 4  # the longest block: card 0 in chunk 0
    gaps = plan_rows([np.array([0, 2, 3])], 4, 4)
    assert gaps.chunks[0][0][1].tolist() == [0, 2, 3]  # not consecutive: by index


def test_a_chunk_holds_a_block_of_every_card(monkeypatch: pytest.MonkeyPatch) -> None:
    """20 cards: 20 × 65,536 = 1,310,720 rows a chunk; a card's longer run splits in blocks."""
    assert chunk_rows(20) == 1_310_720
    monkeypatch.setattr(ksf.frame, "BLOCK_ROWS", 2)
    # card 0 has rows 0-4 in one 10-row chunk: blocks of 2 rows, [0, 2), [2, 4), [4, 5).
    plan = plan_rows([np.arange(5), np.arange(5, 10)], 10, 10)
    blocks = [(card, (b.start, b.stop)) for card, b in plan.chunks[0] if isinstance(b, slice)]
    assert blocks[:3] == [(0, (0, 2)), (0, (2, 4)), (0, (4, 5))]
    assert plan.size == 2


def test_the_first_cards_error_names_its_bad_rows_in_every_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Card a's missing gm on rows 3 and 9,000 (chunks 0 and 2) is the error, not b's on row 1."""
    monkeypatch.setattr(ksf.row_plan, "CHUNK_ROWS", SMALL_CHUNKS)
    n = 12_000
    data = {**_data(n, 3), "card": np.array(["a", "b"])[np.arange(n) % 2]}
    data["card"][[3, 9_000]] = "a"
    data["gm"][[1, 3, 9_000]] = np.nan  # row 1 is card b's: b comes after a
    for threads in (1, 2):
        with pytest.raises(DataError) as caught:
            BOOK.evaluate(data, threads=threads)
        assert caught.value.column == "gm"
        assert list(caught.value.rows) == [3, 9_000]


def test_infinite_input_is_refused_on_grouped_rows_that_run_as_slices() -> None:
    """Rows grouped by card run as slices, still checked: inf on card a's row 2 is an error."""
    data = {**_data(6, 1), "card": np.array(["a", "a", "a", "b", "b", "b"])}
    data["gm"][2] = np.inf
    with pytest.raises(DataError) as caught:
        BOOK.evaluate(data, threads=1)
    assert caught.value.column == "gm"
    assert list(caught.value.rows) == [2]


def test_a_column_a_card_does_not_read_may_hold_anything_on_its_rows() -> None:
    """sales is read by card b only: an infinite sales on card a's rows is no error."""
    # card a on rows 0-2 pays base 3000 (gm 30%: 0 steps) topped up to min_pay 3200.
    data = {
        "gm": np.array([0.30, 0.30, 0.30, 0.30]),
        "sales": np.array([np.inf, np.inf, np.inf, 1000.0]),
        "card": np.array(["a", "a", "a", "b"]),
    }
    pay = BOOK.evaluate(data, threads=1)
    assert pay.total.tolist()[:3] == [3200.0, 3200.0, 3200.0]


@pytest.mark.parametrize("threads", [0, -1, 2.0, True])
def test_threads_must_be_a_count_of_one_or_more(threads: object) -> None:
    """threads=0, -1, 2.0 or True is refused, naming the value, rather than run on a guess."""
    data = {**_data(3, 1), "card": np.array(["a", "b", "c"])}
    with pytest.raises(ValueError, match=r"threads must be a whole number, 1 or more") as caught:
        BOOK.evaluate(data, threads=threads)  # type: ignore[arg-type]
    assert repr(threads) in str(caught.value)


def test_one_card_scanning_inf_and_minus_inf_names_both_rows_without_a_warning() -> None:
    """inf + -inf sums to NaN in the whole-column scan: rows 0 and 1 named, no NumPy warning."""
    book = ksf.compile("card a { x balance 1 step 1 reward 1 }")
    with pytest.raises(DataError) as caught:  # warnings are errors in this suite
        book.evaluate({"x": np.array([np.inf, -np.inf, 1e308, 1e308])}, threads=2)
    assert list(caught.value.rows) == [0, 1]
