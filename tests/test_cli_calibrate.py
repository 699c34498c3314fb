"""``ksf calibrate``: the LANGUAGE.md §14 command lines, as written, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import ksf
from ksf.cli import main

RULES = """\
# Seed 003: a shop operator on 7,500 fixed and 7,500 of commission at 1,000,000 a month.
card shop "天猫运营" {
  base 7500
  commission sales rate 1%
}

card douyin {
  base 7500
  commission sales rate 1%
  commission net_profit rate 1%
}

card op {
  base 4000
  gm balance 30% step 1% reward 100
}
"""
# E1's and E2's margins over three months: 20%, 22%, 25%, 30%, 31% and 28%.
HISTORY = """\
employee,period,card,gm
E1,2026-01,op,0.20
E1,2026-02,op,0.25
E1,2026-03,op,0.31
E2,2026-01,op,0.22
E2,2026-02,op,0.30
E2,2026-03,op,0.28
"""


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pay.ksf").write_text(RULES, encoding="utf-8")
    (tmp_path / "history.csv").write_text(HISTORY, encoding="utf-8")
    return tmp_path


def test_at_p60_as_written(files, capsys):
    """``ksf calibrate RULES HISTORY --line CARD.LINE --at p60``: rank 0.6 × 5 = 3 → 28%."""
    status = main(["calibrate", "pay.ksf", "history.csv", "--line", "op.gm", "--at", "p60"])
    out, err = capsys.readouterr()
    assert status == 0
    assert "  gm balance 28% step 1% reward 100" in out
    assert "history.csv, 2026-01..2026-03 (3 periods), 6 rows" in out
    assert err == "op.gm: balance 30% → 28%\n"
    assert (files / "pay.ksf").read_text(encoding="utf-8") == RULES  # never the input


def test_solve_rate_as_written(files, capsys):
    """``--solve rate --pay 7500 --when sales=1000000``: 7,500 ÷ 1,000,000 = 0.75%."""
    argv = ["calibrate", "pay.ksf", "history.csv", "--line", "shop.commission_sales"]
    status = main([*argv, "--solve", "rate", "--pay", "7500", "--when", "sales=1000000"])
    out, err = capsys.readouterr()
    assert status == 0
    assert "  # calibrated: rate 0.75% pays 7,500 at sales=1,000,000 (7,500 ÷ 1,000,000)" in out
    assert "  commission sales rate 0.75%\n" in out
    assert "shop.commission_sales: rate 1% → 0.75%" in err


def test_rate_on_net_gross_profit(files, capsys):
    """Seed 003's second base: 7,500 ÷ a net gross profit of 200,000 = 3.75%."""
    (files / "channel.ksf").write_text(
        "card channel {\n  base 7500\n  commission net_gross_profit rate 1%\n}\n", encoding="utf-8"
    )
    argv = ["calibrate", "channel.ksf", "--line", "channel.commission_net_gross_profit"]
    assert (
        main([*argv, "--solve", "rate", "--pay", "7,500", "--when", "net_gross_profit=20万"]) == 0
    )
    out, err = capsys.readouterr()
    assert "  commission net_gross_profit rate 3.75%\n" in out
    assert "(7,500 ÷ 200,000)" in out
    assert "rate 1% → 3.75%" in err


def test_help(capsys):
    """``ksf calibrate --help`` lists the options with examples, exit 0."""
    assert main(["calibrate", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--solve CLAUSE" in out
    assert "--share 20% --share 30%" in out


def test_composite_shares_to_a_file(files, capsys):
    """15,000 × 20% ÷ 100万 = 0.3% and 15,000 × 30% ÷ 10万 = 4.5%, written with -o."""
    status = main(
        [
            "calibrate", "pay.ksf", "--line", "douyin.commission_sales",
            "--line", "douyin.commission_net_profit", "--solve", "rate", "--pay", "1.5万",
            "--share", "20%", "--share", "30%", "--when", "sales=100万", "--when",
            "net_profit=100,000", "-o", "new.ksf",
        ]
    )  # fmt: skip
    assert status == 0
    text = (files / "new.ksf").read_text(encoding="utf-8")
    assert "commission sales rate 0.3%" in text
    assert "commission net_profit rate 4.5%" in text
    book = ksf.load(files / "new.ksf")
    pay = book.evaluate({"sales": [1_000_000], "net_profit": [100_000]}, card="douyin")
    assert pay.total.tolist() == [15_000.0]  # 7,500 + 3,000 + 4,500
    assert "wrote new.ksf" in capsys.readouterr().err


def test_the_input_is_rewritten_only_in_place(files, capsys):
    """``-o RULES`` is refused (exit 2); ``--in-place`` rewrites it."""
    argv = ["calibrate", "pay.ksf", "history.csv", "--line", "op.gm", "--at", "p60"]
    assert main([*argv, "-o", "pay.ksf"]) == 2
    assert "use --in-place" in capsys.readouterr().err
    assert (files / "pay.ksf").read_text(encoding="utf-8") == RULES
    assert main([*argv, "--in-place"]) == 0
    assert "gm balance 28%" in (files / "pay.ksf").read_text(encoding="utf-8")


def test_no_input_is_overwritten_by_an_output(files, capsys):
    """The column file may not be RULES or HISTORY; -o and --in-place do not go together."""
    argv = ["calibrate", "pay.ksf", "history.csv", "--line", "op.gm", "--at", "median"]
    assert main([*argv, "--per-employee", "history.csv"]) == 2
    assert "is one of the inputs" in capsys.readouterr().err
    assert main([*argv, "--in-place", "-o", "new.ksf"]) == 2
    assert "leave out -o, or --in-place" in capsys.readouterr().err
    assert (files / "history.csv").read_text(encoding="utf-8") == HISTORY
    assert not (files / "new.ksf").exists()


def test_per_employee_column_file(files, capsys):
    """Each employee's median: E1 20%, 25%, 31% → 25%; E2 22%, 28%, 30% → 28%."""
    argv = ["calibrate", "pay.ksf", "history.csv", "--line", "op.gm", "--at", "median"]
    assert main([*argv, "--per-employee", "points.csv", "--column", "gm_point"]) == 0
    out, _ = capsys.readouterr()
    assert "  gm balance gm_point step 1% reward 100" in out
    assert (files / "points.csv").read_text(
        encoding="utf-8"
    ) == "employee,gm_point\nE1,0.25\nE2,0.28\n"


@pytest.mark.parametrize(
    ("extra", "status", "said"),
    [
        ([], 2, "say what to calibrate"),
        (["--at", "p60", "--pay", "100"], 2, "--pay goes with --solve"),
        (["--solve", "balance"], 2, "needs --pay AMOUNT"),
        (["--at", "p90"], 1, "p90 needs at least 10 values, and history.csv has 6"),
        (["--at", "p60", "--line", "op.gmm"], 1, "did you mean 'gm'?"),
    ],
    ids=["nothing-asked", "pay-with-at", "no-pay", "too-short", "unknown-line"],
)
def test_errors_are_said_with_their_exit_status(files, capsys, extra, status, said):
    """Usage mistakes exit 2, calibrations that cannot be made exit 1; never a traceback."""
    line = [] if "--line" in extra else ["--line", "op.gm"]
    assert main(["calibrate", "pay.ksf", "history.csv", *line, *extra]) == status
    err = capsys.readouterr().err
    assert said in err
    assert "Traceback" not in err


def test_errors_in_chinese(files, capsys):
    """``--lang zh``: the reason in Chinese."""
    argv = ["calibrate", "pay.ksf", "history.csv", "--line", "op.gm", "--at", "p90"]
    assert main([*argv, "--lang", "zh"]) == 1
    assert "错误：op.gm：p90 至少需要 10 个值" in capsys.readouterr().err
