"""The benchmark cannot rot: its smoke mode checks ksf against hand-written NumPy to the cent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_smoke_agrees_to_the_cent():
    """`bench_evaluate.py --smoke` finds ksf and hand-written NumPy equal on every line."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_evaluate.py"), "--smoke"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "match to the cent" in result.stdout
