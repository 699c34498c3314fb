"""Golden payrolls: each tests/golden/NAME.ksf, run on NAME.csv, pays NAME.expected.csv.

The rule files carry the hand arithmetic for every employee and line in comments; the
expected CSVs hold the same figures: the employee id, one column per line in `pay.lines`
order, then the total, all with two decimals.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

import ksf

GOLDEN = Path(__file__).parent / "golden"
TEXT_COLUMNS = frozenset({"employee", "name", "card", "grade", "month", "team"})
CENT_NOISE = 1e-6  # a rounded amount is the float nearest its decimal value


def _expected_path(rules: Path) -> Path:
    return rules.with_name(f"{rules.stem}.expected.csv")


def _cases() -> list[Path]:
    return [
        rules
        for rules in sorted(GOLDEN.glob("*.ksf"))
        if rules.with_suffix(".csv").is_file() and _expected_path(rules).is_file()
    ]


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _column(name: str, cells: list[str]) -> np.ndarray | list[str]:
    """Floats (an empty cell is NaN) for numeric columns, strings for text columns."""
    if name not in TEXT_COLUMNS:
        try:
            return np.array([float(cell) if cell.strip() else math.nan for cell in cells])
        except ValueError:
            pass
    return cells


def _read_data(path: Path) -> dict[str, np.ndarray | list[str]]:
    names, rows = _read_csv(path)
    return {name: _column(name, [row[name] for row in rows]) for name in names}


def _mismatches(pay: ksf.Payroll, expected: list[dict[str, str]], lines: list[str]) -> list[str]:
    """One message for each amount that is not the expected one to the cent."""
    found = []
    for column in [*lines, "total"]:
        amounts = pay.total if column == "total" else pay[column]
        for row, want in enumerate(expected):
            got = float(amounts[row])
            if not math.isclose(got, float(want[column]), rel_tol=0, abs_tol=CENT_NOISE):
                who = f"row {row} ({want['employee']}) {column}"
                found.append(f"{who}: expected {want[column]}, got {got!r}")
    return found


@pytest.mark.parametrize("rules", _cases(), ids=lambda rules: rules.stem)
def test_golden_payroll(rules: Path) -> None:
    """Every line and the total of every row equal the expected CSV to the cent, rows in order."""
    data = _read_data(rules.with_suffix(".csv"))
    header, expected = _read_csv(_expected_path(rules))
    lines = header[1:-1]
    assert header[0] == "employee"
    assert header[-1] == "total"
    assert [row["employee"] for row in expected] == list(data["employee"])

    pay = ksf.load(rules).evaluate(data)

    assert list(pay.lines) == lines
    assert len(pay.total) == len(expected)
    assert _mismatches(pay, expected, lines) == []


def test_every_golden_rule_file_has_its_data_and_expected_payroll() -> None:
    """No golden .ksf is silently skipped for want of its .csv or .expected.csv."""
    rule_files = sorted(GOLDEN.glob("*.ksf"))
    assert rule_files
    assert _cases() == rule_files
