"""``ksf run --ledger … --post``, ``ksf ledger show|close|export`` and ``ksf rerun``.

One card, two employees (the figures of tests/test_ledger.py):
E1: base 5,000 + 3 steps × 200 + 0.5% of 100,000 = 6,100.00;
E2: base 5,000 − 2 steps × 100 + 0.5% of 33,333 (166.665 → 166.67) = 4,966.67.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ksf.cli import main

pytest.importorskip("sqlalchemy", reason="the ledger extra (SQLAlchemy) is not installed")

RULES = """card operator {
  base 5000
  gross_margin balance 25% step 1% reward 200 penalty 100
  commission sales rate 0.5%
}
"""
JULY = "employee,gross_margin,sales\nE1,28%,100000\nE2,23%,33333\n"
POST = ["run", "pay.ksf", "july.csv", "--period", "2026-07", "--ledger", "pay.db", "--post"]


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the rule file and July's data, as the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pay.ksf").write_text(RULES, encoding="utf-8")
    (tmp_path / "july.csv").write_text(JULY, encoding="utf-8")
    return tmp_path


def test_run_posts_and_says_so(files, capsys):
    """`ksf run … --post` prints the payroll and a receipt naming the period and total."""
    assert main([*POST, "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert "E2,operator,5000.00,-200.00,166.67,4966.67" in out
    assert "posted 2026-07: 2 rows, total 11,066.67 CNY (posting 1)" in err


def test_posting_twice_exits_1_and_replace_supersedes(files, capsys):
    """A second --post is refused (exit 1); --replace posts it again over posting 1."""
    main([*POST, "--format", "csv"])
    capsys.readouterr()
    assert main([*POST, "--format", "csv"]) == 1
    assert "period 2026-07 is already posted (posting 1" in capsys.readouterr().err
    assert main([*POST, "--format", "csv", "--replace", "--lang", "zh"]) == 0
    assert "已重新过账 2026-07：过账 2 取代了过账 1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "pay.ksf", "july.csv", "--post"], "--post needs --ledger LEDGER and --period"),
        (["run", "pay.ksf", "july.csv", "--replace"], "--replace goes with --post"),
        (["ledger", "show", "typo.db"], "no such file: typo.db"),
        (["rerun", "--ledger", "typo.db", "2026-07"], "no such file: typo.db"),
    ],
)
def test_usage_errors_exit_2(files, capsys, argv, message):
    """A post without a ledger or period, or a ledger file that is not there: status 2."""
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (files / "typo.db").exists()  # reading a ledger never creates one


def test_show_lists_periods_and_superseded_postings(files, capsys):
    """`ksf ledger show` lists each period, its total and rulebook, and what it superseded."""
    main([*POST, "--format", "csv"])
    main([*POST, "--format", "csv", "--replace"])
    capsys.readouterr()
    assert main(["ledger", "show", "pay.db"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["period", "posting", "rows", "total", "rules",
                                           "posted", "at", "closed", "at"]  # fmt: skip
    assert out.splitlines()[1].split()[:5] == ["2026-07", "2", "2", "11,066.67", "CNY"]
    assert "2026-07  superseded: posting 1" in out


def test_close_then_replace_is_refused(files, capsys):
    """After `ksf ledger close`, --replace exits 1 saying the period is closed."""
    main([*POST, "--format", "csv"])
    assert main(["ledger", "close", "pay.db", "2026-07"]) == 0
    assert "closed 2026-07: posting 1 is final" in capsys.readouterr().err
    assert main(["ledger", "close", "pay.db", "2026-07", "--lang", "zh"]) == 0
    assert "2026-07 早已结账" in capsys.readouterr().err
    assert main([*POST, "--format", "csv", "--replace"]) == 1
    assert "period 2026-07 is closed" in capsys.readouterr().err
    assert main(["ledger", "close", "pay.db", "2026-08"]) == 1
    assert "period 2026-08 is not posted in pay.db; posted: 2026-07" in capsys.readouterr().err


def test_export_writes_the_posted_amounts(files, capsys):
    """`ksf ledger export … -o x.json` writes the posted amounts to the cent."""
    main([*POST, "--format", "csv"])
    assert main(["ledger", "export", "pay.db", "2026-07", "-o", "july.json"]) == 0
    rows = json.loads((files / "july.json").read_text(encoding="utf-8"))
    assert [(r["id"], r["commission_sales"], r["total"]) for r in rows] == [
        ("E1", 500.0, 6100.0),
        ("E2", 166.67, 4966.67),
    ]
    assert "wrote july.json (2 rows of 2026-07)" in capsys.readouterr().err


def test_export_xlsx_with_payslips_recomputes_the_explanations(files):
    """XLSX payslips of a posted period explain each row (computed again from the ledger)."""
    openpyxl = pytest.importorskip("openpyxl")
    main([*POST, "--format", "csv"])
    assert main(["ledger", "export", "pay.db", "2026-07", "-o", "july.xlsx", "--payslips"]) == 0
    book = openpyxl.load_workbook(files / "july.xlsx")
    assert len(book.sheetnames) == 3  # the payroll sheet and one payslip per employee
    cells = [str(c) for row in book.worksheets[2].iter_rows(values_only=True) for c in row if c]
    assert any("166.665" in c for c in cells)  # E2's commission, 0.5% of 33,333, unrounded


def test_rerun_exits_0_as_posted_and_1_on_a_cent(files, capsys):
    """`ksf rerun` says every amount is as posted; one cent changed in the file: exit 1."""
    main([*POST, "--format", "csv"])
    capsys.readouterr()
    assert main(["rerun", "--ledger", "pay.db", "2026-07"]) == 0
    assert "every amount as posted" in capsys.readouterr().out
    with sqlite3.connect(files / "pay.db") as db:
        db.execute("UPDATE ksf_amounts SET amount = amount + 1 WHERE row = 1 AND position = 2")
    assert main(["rerun", "--ledger", "pay.db", "2026-07"]) == 1
    out = capsys.readouterr().out
    assert "2026-07: 1 amounts differ from the posting" in out
    assert "E2 commission_sales: posted 166.68, now 166.67 (-0.01)" in out


def test_run_with_a_ledger_but_no_post_posts_nothing(files, capsys):
    """`--ledger` without `--post` computes, posts nothing, and says how to post."""
    argv = ["run", "pay.ksf", "july.csv", "--period", "2026-07", "--ledger", "pay.db"]
    assert main([*argv, "--format", "csv"]) == 0
    assert "2026-07 not posted: add --post to post it to pay.db" in capsys.readouterr().err
    assert main(["ledger", "show", "pay.db"]) == 0
    assert "pay.db: nothing posted yet" in capsys.readouterr().out
