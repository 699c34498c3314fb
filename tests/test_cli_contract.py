"""The minimal command line: `ksf demo`, `ksf check FILE`, `ksf run FILE DATA.csv [-o OUT]`.

Exit status 0 on success, 1 on a rule or data error (``file:line:col: error: …`` with the
source line and a caret), 2 on a usage error. The golden seed-003 composite payroll is the
figure checked: its hand arithmetic is in tests/golden/seed003_composite.ksf.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from ksf.cli import main

GOLDEN = Path(__file__).parent / "golden"
RULES = GOLDEN / "seed003_composite.ksf"
DATA = GOLDEN / "seed003_composite.csv"
EXPECTED = GOLDEN / "seed003_composite.expected.csv"

BAD_RULES = "card a {\n  base 6000\n  gross_margin balance 30% step 0 reward 200\n}\n"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_demo_prints_the_team_payroll(capsys):
    """`ksf demo` exits 0 and prints every card's table and one explained payslip."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ksf demo: ")
    for card in ("product_developer", "operator", "supply_chain"):
        assert f"card {card}" in out
    assert "total: " in out
    assert "(the sum of the rounded lines)" in out


def test_demo_runs_as_a_module():
    """`python -m ksf demo` works the same from a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-m", "ksf", "demo"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ksf demo: ")


def test_check_a_good_file_says_ok(capsys):
    """`ksf check` on a valid file exits 0 and names its cards."""
    assert main(["check", str(RULES)]) == 0
    assert capsys.readouterr().out == f"{RULES}: ok — cards store_operator\n"


def test_check_a_bad_file_points_at_the_error(tmp_path, capsys):
    """`ksf check` prints file:line:col: error: …, the source line and a caret; exit 1."""
    path = tmp_path / "pay.ksf"
    path.write_text(BAD_RULES, encoding="utf-8")
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"{path}:3:28: error: the step must be greater than 0\n"
        "2 |   base 6000\n"
        "3 |   gross_margin balance 30% step 0 reward 200\n"
        "  |                            ^^^^^^\n"
    )


def test_check_a_syntax_error_exits_1(tmp_path, capsys):
    """A syntax error is reported the same way: position, line, caret; exit 1."""
    path = tmp_path / "pay.ksf"
    path.write_text("card a {\n  bonus 1 +\n}\n", encoding="utf-8")
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:2:12: error: unexpected end of the line; expected ")
    assert "2 |   bonus 1 +\n  |            ^\n" in err


def test_run_prints_the_payroll_csv(capsys):
    """`ksf run FILE DATA.csv` writes the payroll as CSV to stdout, figures to the cent."""
    assert main(["run", str(RULES), str(DATA)]) == 0
    got = _rows(capsys.readouterr().out)
    expected = _rows(EXPECTED.read_text(encoding="utf-8"))
    assert [row["id"] for row in got] == [row["employee"] for row in expected]
    for line in ("base", "commission_sales", "commission_net_profit", "total"):
        # e.g. E04: 7500 + 876,543.21 × 0.3% × 0.8 (2103.70) + 65,432.10 × 4.5% × 0.8 (2355.56)
        assert [row[line] for row in got] == [row[line] for row in expected]


def test_run_writes_the_payroll_to_a_file(tmp_path, capsys):
    """With -o the CSV goes to the file and nothing to stdout."""
    out = tmp_path / "payroll.csv"
    assert main(["run", str(RULES), str(DATA), "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    rows = _rows(out.read_text(encoding="utf-8"))
    assert [row["total"] for row in rows] == [
        "15000.00",  # 7500 + 3000 + 4500
        "20100.00",  # 7500 + 4500 + 8100
        "10800.00",  # 7500 + 3300 + 0 (a loss floored at 0)
        "11959.26",  # 7500 + 2103.70 + 2355.56
        "7500.00",  # coefficient 0
    ]


def test_run_with_a_data_error_exits_1(tmp_path, capsys):
    """A row naming a card the file lacks is a data error: exit 1, the rows named."""
    data = tmp_path / "data.csv"
    data.write_text("employee,card,sales,net_profit,perf_score\nE01,nope,1,1,90\n", "utf-8")
    assert main(["run", str(RULES), str(data)]) == 1
    err = capsys.readouterr().err
    assert "unknown card 'nope'" in err
    assert "employees: E01" in err  # named by the id column, not the row number


def test_usage_error_exits_2(capsys):
    """An unknown command is a usage error (exit 2)."""
    assert main(["bogus"]) == 2
    assert "invalid choice" in capsys.readouterr().err
