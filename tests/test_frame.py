"""Rows are evaluated in cache-sized blocks; the block size must never change a payroll.

The golden seed-000 team and partners payrolls are tiled to many rows and evaluated with
blocks of a few rows (so rows of one card fall in many blocks, slices and gathered index
blocks alike) and with the default block size; every line and total must be identical.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_golden import _read_data

import ksf
import ksf.frame

GOLDEN = Path(__file__).parent / "golden"


def _tiled(name: str, times: int) -> dict[str, object]:
    data = _read_data(GOLDEN / f"{name}.csv")
    tiled: dict[str, object] = {}
    for column, values in data.items():
        if isinstance(values, np.ndarray):
            tiled[column] = np.tile(values, times)
        else:
            tiled[column] = list(values) * times
    return tiled


@pytest.mark.parametrize("name", ["seed000_team", "seed000_partners", "seed003_grades"])
@pytest.mark.parametrize("block", [1, 3, 7])
def test_block_size_never_changes_the_payroll(monkeypatch, name, block):
    """Blocks of 1, 3 or 7 rows give bit-identical lines and totals to one big block."""
    book = ksf.load(GOLDEN / f"{name}.ksf")
    data = _tiled(name, 25)
    if name == "seed000_partners":  # 25 copies of each team would be one group each
        data["team"] = [f"{team}{k // 12}" for k, team in enumerate(data["team"])]
    whole = book.evaluate(data, allow_duplicate_ids=True)  # tiled: each id 25 times
    monkeypatch.setattr(ksf.frame, "BLOCK_ROWS", block)
    blocked = book.evaluate(data, allow_duplicate_ids=True)
    assert blocked.lines == whole.lines
    assert blocked.total.tobytes() == whole.total.tobytes()
    for line in whole.lines:
        assert blocked[line].tobytes() == whole[line].tobytes(), line


def test_one_card_in_small_blocks_matches_the_golden_figures(monkeypatch):
    """All rows on one card take the slice path; blocks of 2 rows pay the golden amounts."""
    monkeypatch.setattr(ksf.frame, "BLOCK_ROWS", 2)
    data = _read_data(GOLDEN / "seed003_composite.csv")
    pay = ksf.load(GOLDEN / "seed003_composite.ksf").evaluate(data)
    # E01..E05: 7500 + 3000 + 4500; 7500 + 4500 + 8100; 7500 + 3300 + 0;
    # 7500 + 2103.70 + 2355.56; 7500 + 0 + 0
    assert pay.total.tolist() == [15000.0, 20100.0, 10800.0, 11959.26, 7500.0]


def test_a_missing_value_is_reported_with_its_row_from_any_block(monkeypatch):
    """A NaN in the fourth block of 3 rows is reported at its row number in the whole data."""
    monkeypatch.setattr(ksf.frame, "BLOCK_ROWS", 3)
    book = ksf.compile("card a { gross_margin balance 30% step 1% reward 200 }")
    values = np.full(20, 0.33)
    values[10] = np.nan
    with pytest.raises(ksf.DataError) as info:
        book.evaluate({"gross_margin": values})
    assert info.value.rows == (10,)
    two = ksf.compile("card a { gross_margin balance 30% step 1% reward 200 }\ncard b { base 1 }")
    data = {"card": ["a", "b"] * 10, "gross_margin": values}  # card a on the even rows
    with pytest.raises(ksf.DataError) as info:
        two.evaluate(data)
    assert info.value.rows == (10,)


def test_a_data_error_names_every_bad_row_across_blocks(monkeypatch):
    """Division by zero in blocks 1, 3 and 7 of 3 rows: all three rows are named, in order."""
    monkeypatch.setattr(ksf.frame, "BLOCK_ROWS", 3)
    book = ksf.compile(
        "indicator margin = (revenue - cogs) / revenue\n"
        "card a { margin balance 30% step 1% reward 200 }\ncard b { base 1 }"
    )
    revenue = np.full(24, 100.0)
    revenue[[1, 8, 20]] = 0.0
    cogs = np.full(24, 67.0)
    with pytest.raises(ksf.DataError) as info:
        book.evaluate({"revenue": revenue, "cogs": cogs}, card="a")
    assert info.value.rows == (1, 8, 20)
    assert "division by zero in margin" in str(info.value)
    # Card a on the even rows only (gathered blocks): rows 8 and 20 are its; row 1 is b's.
    with pytest.raises(ksf.DataError) as info:
        book.evaluate({"card": ["a", "b"] * 12, "revenue": revenue, "cogs": cogs})
    assert info.value.rows == (8, 20)
