"""The aggregation benchmark cannot rot: its smoke mode checks ksf against pandas first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_aggregate_benchmark_smoke_agrees_with_pandas() -> None:
    """`bench_aggregate.py --smoke` finds ksf and the pandas groupby version equal."""
    pytest.importorskip("pandas")
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_aggregate.py"), "--smoke"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ksf and pandas agree on all" in result.stdout
