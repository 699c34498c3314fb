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
        ("ruff", "check", "ksf", "tests", "benchmarks", "editors"),
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


def _readme_test_command() -> str:
    """The command in the ```sh block after "Install and run the tests" in README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text.split("Install and run the tests", 1)[1]
    return after.split("```sh\n", 1)[1].split("\n```", 1)[0].strip()


def test_ci_runs_exactly_the_readme_test_command():
    """.ci/run's last line is the README's test command, which installs system packages first."""
    command = _readme_test_command()
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci_lines[-1] == command
    assert command.startswith("sh tests/setup_env.sh && ")
    assert command.endswith("python -m pytest -q")


def test_setup_script_installs_the_cjk_font_and_the_renderers():
    """tests/setup_env.sh names the Debian packages the tests rely on, and is valid sh."""
    script = ROOT / "tests" / "setup_env.sh"
    text = script.read_text(encoding="utf-8")
    assert 'PACKAGES="fonts-noto-cjk libreoffice-calc poppler-utils chromium"' in text
    assert "--no-install-recommends" in text
    assert _run("sh", "-n", str(script)).returncode == 0
