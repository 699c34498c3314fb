"""The code stays lint-clean, type-clean and layered, checked with the project's own config."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "ksf", "tests", "benchmarks"),
        ("ruff", "format", "--check", "ksf"),
        ("mypy", "ksf"),
        ("lint-imports",),
    ],
    ids=["ruff", "ruff-format", "mypy", "import-linter"],
)
def test_tool_is_clean(command):
    """Each static check passes on the whole package."""
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed (pip install -e '.[lint]')")
    result = _run(*command)
    assert result.returncode == 0, result.stdout + result.stderr


def test_python_m_ksf_help_exits_zero():
    """`python -m ksf --help` works (the entry point is importable)."""
    result = _run(sys.executable, "-m", "ksf", "--help")
    assert result.returncode == 0
    assert "ksf demo" in result.stdout
