"""Differential test: ksf's aggregation equals the independent pandas groupby version.

``benchmarks/pandas_aggregate.py`` is written from docs/indicators.md with ``merge`` and
``groupby``; on synthetic sellers of several seeds, sizes, periods and window lengths,
every column ksf produces must match it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ksf.examples.synthetic import generate
from ksf.indicators import aggregate

pytest.importorskip("pandas")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from pandas_aggregate import pandas_aggregate

TABLES = ("orders", "owners", "fx", "ads", "inventory", "receipts", "returns", "complaints")
TABLES += ("reviews", "skus", "targets")


@pytest.mark.parametrize(
    ("seed", "skus", "months", "lines", "period", "window"),
    [
        (0, 30, 4, 3_000, "month", 90),
        (1, 50, 7, 6_000, "quarter", 90),
        (2, 12, 3, 800, "month", 30),
        (3, 80, 12, 10_000, "month", 60),
    ],
)
def test_ksf_and_pandas_agree(
    seed: int, skus: int, months: int, lines: int, period: str, window: int
) -> None:
    """`aggregate` and a plain pandas groupby agree on keys and figures (to 1e-9), four seeds."""
    raw = generate(seed=seed, skus=skus, months=months, order_lines=lines, period=period)
    tables: dict[str, Any] = {name: raw[name] for name in TABLES}
    ours = aggregate(
        **tables, start=raw["start"], end=raw["end"], period=period, window_days=window
    ).table  # type: ignore[arg-type]
    theirs = pandas_aggregate(
        tables, start=raw["start"], end=raw["end"], period=period, window_days=window
    )
    for key in ("employee", "role", "period"):
        assert ours[key].tolist() == theirs[key].astype(str).tolist()
    for name, values in ours.items():
        if values.dtype.kind == "f":
            other = theirs[name].to_numpy(dtype=np.float64)
            np.testing.assert_allclose(values, other, rtol=1e-9, atol=1e-6, err_msg=name)
