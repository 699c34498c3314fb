"""The data boundary, second round: one rule on every file path, ids, params, big integers.

Each test pins down a hole a new user found (issue 11): a mixed percent column paid 100x
from XLSX and JSON, float32 Parquet widened, rows with no id or a repeated id paid, a
repeated ``--param`` silently kept, and integers past 2**53 reported as a compile error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import ksf
from ksf.cli import main

PAY = "card a { bonus x }\n"


def _run_args(tmp_path: Path, rules: str = PAY, data: str = "employee\nE1\n") -> list[str]:
    (tmp_path / "pay.ksf").write_text(rules, encoding="utf-8")
    (tmp_path / "d.csv").write_text(data, encoding="utf-8")
    return ["run", str(tmp_path / "pay.ksf"), str(tmp_path / "d.csv"), "--format", "csv"]


# ---- --param ------------------------------------------------------------------------------


def test_a_param_given_twice_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--param x=1 --param x=2 kept 2 silently; which was meant is a guess: exit 2."""
    run = _run_args(tmp_path)
    assert main([*run, "--param", "x=1", "--param", "x=2"]) == 2
    assert "--param x is given twice" in capsys.readouterr().err
    assert main([*run, "--param", "x=1", "--param", " x =2"]) == 2


@pytest.mark.parametrize(
    ("value", "paid"),
    [("150万", "1500000.00"), ("1.5万", "15000.00"), ("1.15万", "11500.00"), ("-2万", "-20000.00")],
)
def test_a_param_may_carry_wan_as_a_rule_file_number_may(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, paid: str
) -> None:
    """150万 = 150 x 10,000 = 1,500,000; 1.15万 = 11,500 exactly (not 11,499.999…)."""
    run = _run_args(tmp_path)
    assert main([*run, "--param", f"x={value}"]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith(f",{paid}")


@pytest.mark.parametrize("value", ["万", "20%万", "150 万", "0_3万", "1万万"])
def test_wan_only_after_a_plain_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """万 alone, after a percentage, after a space or twice is not a number: exit 2."""
    assert main([*_run_args(tmp_path), "--param", f"x={value}"]) == 2
    assert "--param takes NAME=NUMBER" in capsys.readouterr().err


def test_a_data_cell_does_not_take_wan(tmp_path: Path) -> None:
    """A CSV cell 150万 is text, as any cell that is not a plain number is (docs/cli.md)."""
    run = _run_args(tmp_path, "card a { bonus sales }\n", "employee,sales\nE1,150万\n")
    assert main(run) == 1
