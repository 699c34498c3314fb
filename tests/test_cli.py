"""The ``ksf`` command through its real entry points: ``main(argv)`` and ``python -m ksf``."""

from __future__ import annotations

import io
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ksf
import ksf.rulebook
from ksf.cli import main, render

RULES = """\
card seller {
  base 5000
  revenue balance 100000 step 10000 reward 100 penalty 50 cap 300
}
card buyer {
  base 4000
  turnover balance 6 step 0.5 reward 80
}
"""
# E1: +2 steps × 100 = 200 → 5,200; E2: 2.4 → 2 steps × 80 = 160 → 4,160;
# E3: −2 steps × 50 = −100 → 4,900; total 14,260.
DATA = """\
employee,card,revenue,turnover
E1,seller,"125,000",
E2,buyer,,7.2
E3,seller,80000,
"""


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pay.ksf").write_text(RULES, encoding="utf-8")
    (tmp_path / "july.csv").write_text(DATA, encoding="utf-8")
    return tmp_path


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ksf", *argv], capture_output=True, text=True, check=False
    )


# ---- help and usage -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [[], ["demo"], ["check"], ["run"], ["explain"], ["fmt"], ["plot"], ["indicators"]]
)
def test_help_everywhere_with_examples(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`--help` of ksf and of every subcommand exits 0 and shows an example."""
    assert main([*command, "--help"]) == 0
    assert "example" in capsys.readouterr().out


def test_usage_errors_exit_2(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Missing arguments or files, bad `--param`, formats, ids or directories exit 2, saying why."""
    assert main([]) == 2
    assert main(["run", "pay.ksf"]) == 2  # no data file argument
    assert main(["run", "pay.ksf", "missing.csv"]) == 2
    assert "no such file: missing.csv" in capsys.readouterr().err
    assert main(["run", "pay.ksf", "july.csv", "--param", "profit"]) == 2
    assert "--param takes NAME=NUMBER" in capsys.readouterr().err
    assert main(["run", "pay.ksf", "july.csv", "-o", "payroll.txt"]) == 2
    assert "cannot tell the format of payroll.txt" in capsys.readouterr().err
    assert main(["run", "pay.ksf", "july.csv", "--format", "xlsx"]) == 2
    assert main(["run", "pay.ksf", "july.csv", "--id", "staff_no"]) == 2
    assert "--id staff_no: the data has no such column" in capsys.readouterr().err
    assert main(["run", "pay.ksf", "july.csv", "-o", "out/payroll.csv"]) == 2
    assert "-o out/payroll.csv: there is no directory out" in capsys.readouterr().err


# ---- demo ---------------------------------------------------------------------------------


def test_demo(capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf demo` prints the demo payroll's total and the operator card's Chinese label."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    book = ksf.compile(ksf.examples.demo_rules())
    total = book.evaluate(ksf.examples.demo_data()).total.sum()
    assert f"total: {total:,.2f} CNY" in out
    assert "card operator (运营推广)" in out


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell pipe")
def test_demo_into_a_closed_pipe_exits_quietly() -> None:
    """`ksf demo | head -n 1` prints its first line and no traceback when the pipe closes."""
    shell = f"{sys.executable} -m ksf demo | head -n 1"
    done = subprocess.run(shell, shell=True, capture_output=True, text=True, check=False)  # noqa: S602 - our own command line
    assert done.stdout.startswith("ksf demo:")
    assert done.stderr == ""


# ---- check --------------------------------------------------------------------------------


def test_check_ok(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf check` of a good file prints "ok" and its cards, in-process and as a command."""
    assert main(["check", "pay.ksf"]) == 0
    assert capsys.readouterr().out == "pay.ksf: ok — cards seller, buyer\n"
    done = run("check", "pay.ksf")
    assert done.returncode == 0
    assert done.stdout == "pay.ksf: ok — cards seller, buyer\n"


def test_check_prints_every_compile_error(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf check` prints both errors with carets and a count, and still checks later files."""
    bad = RULES.replace("step 10000", "step 0").replace("step 0.5", "step -1")
    (files / "bad.ksf").write_text(bad, encoding="utf-8")
    assert main(["check", "bad.ksf", "pay.ksf"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count(": error: ") == 2
    assert "bad.ksf:3:" in captured.err
    assert "bad.ksf:7:" in captured.err
    assert "      ^" in captured.err  # the caret under the offending text
    assert captured.err.endswith("\n2 errors\n")
    assert captured.out == "pay.ksf: ok — cards seller, buyer\n"  # later files still checked


def test_check_syntax_error(files: Path) -> None:
    """A syntax error exits 1 with a positioned error and caret; a missing file exits 2."""
    (files / "bad.ksf").write_text("card a {\n  base\n}\n", encoding="utf-8")
    done = run("check", "bad.ksf")
    assert done.returncode == 1
    assert done.stderr.startswith("bad.ksf:")
    assert ": error: " in done.stderr
    assert "^" in done.stderr
    assert run("check", "none.ksf").returncode == 2


def test_check_prints_warnings(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file indicator that shadows a standard one is a warning: printed, exit status 0."""
    shadow = "indicator gross_margin = (revenue - cogs) / cogs  percent\n" + RULES
    (files / "shadow.ksf").write_text(shadow, encoding="utf-8")
    assert main(["check", "shadow.ksf"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("shadow.ksf:1:11: warning: this indicator shadows the ")
    assert "1 | indicator gross_margin" in captured.err
    assert "  |           ^^^^^^^^^^^^" in captured.err
    assert captured.out == "shadow.ksf: ok — cards seller, buyer\nshadow.ksf: 1 warning\n"


def test_check_prints_every_syntax_error(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Parsing resumes after a bad statement, so two broken cards give two errors."""
    (files / "bad.ksf").write_text(
        "card a {\n  base\n}\ncard b {\n  base 1\n}\ncard c {\n  x balance\n}\n",
        encoding="utf-8",
    )
    assert main(["check", "bad.ksf"]) == 1
    err = capsys.readouterr().err
    assert err.count(": error: ") == 2
    assert "bad.ksf:2:7: error: unexpected end of the line; expected '(', '-', a name" in err
    expected = "expected '(', '-', a name, a number"
    assert f"bad.ksf:8:12: error: unexpected end of the line; {expected}" in err
    assert err.endswith("\n2 errors\n")


def test_run_warns_about_a_column_the_file_hides(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data column named like a file indicator is never read: run says so, and still pays."""
    # turnover = 70,000 / 10,000 = 7 (the column's 1 is ignored): 2 steps × 80 = 160 → 4,160.
    (files / "hide.ksf").write_text("indicator turnover = revenue / 10000\n" + RULES, "utf-8")
    (files / "buyers.csv").write_text("employee,revenue,turnover\nE2,70000,1\n", "utf-8")
    assert main(["run", "hide.ksf", "buyers.csv", "--card", "buyer"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith(
        "hide.ksf:1:11: warning: the data has a column `turnover`, but this file's indicator"
    )
    assert captured.out.splitlines()[1].endswith(",4160.00")


# ---- run ----------------------------------------------------------------------------------


def test_run_prints_csv_into_a_pipe(files: Path) -> None:
    """`ksf run` into a pipe prints the payroll as CSV: E2's buyer line is 4000 + 160 = 4160."""
    done = run("run", "pay.ksf", "july.csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "id,card,base,revenue,turnover,total"
    assert done.stdout.splitlines()[2] == "E2,buyer,4000.00,0.00,160.00,4160.00"


def test_run_table_and_json(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--format table` shows cards and the total 14,260.00 CNY; `--format json` the records."""
    assert main(["run", "pay.ksf", "july.csv", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "card seller" in out
    assert "total (CNY)" in out
    assert "10,100.00" in out  # the seller card's total: 5,200 + 4,900
    assert out.endswith("total: 14,260.00 CNY\n")
    assert main(["run", "pay.ksf", "july.csv", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["total"] for r in records] == [5200.0, 4160.0, 4900.0]


@pytest.mark.parametrize("suffix", ["csv", "json", "xlsx", "parquet"])
def test_run_writes_every_format(
    files: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-o` writes CSV, JSON, XLSX or Parquet, reports rows and total on stderr, and reads back."""
    if suffix == "xlsx":
        pytest.importorskip("openpyxl")
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    out = files / f"payroll.{suffix}"
    assert main(["run", "pay.ksf", "july.csv", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{out}: 3 rows, total 14,260.00 CNY\n"
    back = ksf.io.read_data(out, sheet="payroll" if suffix == "xlsx" else None)
    totals = back["total"].tolist()
    assert totals[:3] == [5200.0, 4160.0, 4900.0]


def test_run_card_and_params(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--param target=10,000` pays 1% × 2,500 = 25; an unknown `--card` is a usage error."""
    (files / "p.ksf").write_text(
        "card a {\n  bonus 1% of (profit - target) as share\n}\n", encoding="utf-8"
    )
    (files / "d.csv").write_text("id,profit\nA,12500\n", encoding="utf-8")
    # 1% × (12,500 − 10,000) = 25
    assert main(["run", "p.ksf", "d.csv", "--param", "target=10,000", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "A,a,25.00,25.00"
    # An unknown --card is a usage error (docs/cli.md), listing the file's cards.
    assert main(["run", "pay.ksf", "july.csv", "--card", "nobody"]) == 2
    assert "--card nobody: the rule file has no such card; its cards: seller, buyer" in (
        capsys.readouterr().err
    )


def test_run_text_in_a_numeric_column_names_the_rows(files: Path) -> None:
    """Text in a numeric column is a data error quoting the cell and naming employee E3."""
    (files / "bad.csv").write_text(DATA.replace("80000", "eighty k"), encoding="utf-8")
    done = run("run", "pay.ksf", "bad.csv")
    assert done.returncode == 1
    assert done.stderr == (
        "bad.csv: data error: column 'revenue' holds text where the rules need numbers, "
        "e.g. 'eighty k'\n  employees: E3\n"
    )


def test_run_data_error_names_the_file_and_employees(files: Path) -> None:
    """A missing value is a data error naming the data file and employee E3."""
    (files / "gap.csv").write_text(DATA.replace("80000", ""), encoding="utf-8")
    done = run("run", "pay.ksf", "gap.csv", "--id", "employee")
    assert done.returncode == 1
    assert done.stderr.startswith("gap.csv: data error: missing value")
    assert done.stderr.endswith("employees: E3\n")


def test_run_id_column(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--id staff_no` labels the rows by that column: 007."""
    (files / "d.csv").write_text(
        DATA.replace("employee,", "staff_no,").replace("E1", "007"), encoding="utf-8"
    )
    assert main(["run", "pay.ksf", "d.csv", "--id", "staff_no", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("007,seller,")


def test_explain_heading_follows_the_id_column(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --id, explain's heading names the employee by that column, not a default one."""
    (files / "d.csv").write_text(
        DATA.replace("employee,", "employee,badge,")
        .replace("E1,", "E1,B-07,")
        .replace("E2,", "E2,B-08,")
        .replace("E3,", "E3,B-09,"),
        encoding="utf-8",
    )
    assert main(["explain", "pay.ksf", "d.csv", "--id", "badge", "--employee", "B-09"]) == 0
    assert capsys.readouterr().out.startswith("B-09 (line 4 of d.csv), card seller")


def test_run_payslip_cap(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Past the payslip cap, XLSX output exits 2 asking for `--no-payslips` and writes nothing."""
    pytest.importorskip("openpyxl")
    import ksf.io.write_xlsx

    monkeypatch.setattr(ksf.io.write_xlsx, "MAX_PAYSLIPS", 2)
    assert main(["run", "pay.ksf", "july.csv", "-o", "p.xlsx"]) == 2
    assert "--no-payslips" in capsys.readouterr().err
    assert not (files / "p.xlsx").exists()
    assert main(["run", "pay.ksf", "july.csv", "-o", "p.xlsx", "--no-payslips"]) == 0


def test_interrupted_run(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while writing exits 130 and leaves last month's file untouched, with no temporary."""
    (files / "payroll.parquet").write_text("last month\n", encoding="utf-8")

    def interrupted(payroll: object, path: Path) -> None:
        path.write_text("half a pay", encoding="utf-8")  # Ctrl-C halfway through the file
        raise KeyboardInterrupt

    monkeypatch.setattr(ksf.io.write, "_write_parquet", interrupted)
    assert main(["run", "pay.ksf", "july.csv", "-o", "payroll.parquet"]) == 130
    assert capsys.readouterr().err == "ksf: interrupted\n"
    assert (files / "payroll.parquet").read_text(encoding="utf-8") == "last month\n"
    assert sorted(p.name for p in files.iterdir()) == ["july.csv", "pay.ksf", "payroll.parquet"]


def test_run_missing_extra(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Writing XLSX without openpyxl exits 2 with `pip install 'ksf[excel]'`."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    assert main(["run", "pay.ksf", "july.csv", "-o", "p.xlsx", "--no-payslips"]) == 2
    assert "pip install 'ksf[excel]'" in capsys.readouterr().err


def test_run_reads_xlsx_and_json(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf run` reads JSON records and an XLSX sheet by name, paying what CSV pays."""
    records = [
        {"employee": "E1", "card": "seller", "revenue": "125,000"},
        {"employee": "E2", "card": "buyer", "turnover": 7.2},
    ]
    (files / "d.json").write_text(json.dumps(records), encoding="utf-8")
    assert main(["run", "pay.ksf", "d.json", "--format", "json"]) == 0
    assert [r["total"] for r in json.loads(capsys.readouterr().out)] == [5200.0, 4160.0]
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "7月"
    sheet = book.active
    sheet.append(["employee", "card", "revenue", "turnover"])
    sheet.append(["E1", "seller", 125000, None])
    book.save(files / "d.xlsx")
    assert main(["run", "pay.ksf", "d.xlsx", "--sheet", "7月", "--format", "csv"]) == 0
    # One card in the data: only its lines.
    assert capsys.readouterr().out.splitlines()[1] == "E1,seller,5000.00,200.00,5200.00"


# ---- explain ------------------------------------------------------------------------------


def test_explain(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf explain` by `--employee` or `--row` names the file line and prints the total."""
    assert main(["explain", "pay.ksf", "july.csv", "--employee", "E2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("E2 (line 3 of july.csv), card buyer")
    assert "total: 4,160.00 CNY" in out
    done = run("explain", "pay.ksf", "july.csv", "--row", "2")
    assert done.returncode == 0
    assert done.stdout.startswith("E3 (line 4 of july.csv)")


def test_explain_errors(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown employee, a row out of range, no choice, or no id column exit 2 saying which."""
    assert main(["explain", "pay.ksf", "july.csv", "--employee", "E01"]) == 2
    assert "no employee 'E01' in the data; did you mean 'E1'" in capsys.readouterr().err
    assert main(["explain", "pay.ksf", "july.csv", "--row", "3"]) == 2
    assert "--row 3: the data has rows 0 to 2" in capsys.readouterr().err
    assert main(["explain", "pay.ksf", "july.csv"]) == 2  # neither --employee nor --row
    (files / "noid.csv").write_text("card,revenue,turnover\nbuyer,,7\n", encoding="utf-8")
    assert main(["explain", "pay.ksf", "noid.csv", "--employee", "E1"]) == 2
    assert "the data has no id column" in capsys.readouterr().err


# ---- fmt ----------------------------------------------------------------------------------


def test_fmt(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """fmt --check reports a messy file and leaves it; fmt rewrites it to canonical form."""
    canonical = ksf.rulebook.format_text(RULES, "pay.ksf")
    messy = canonical.replace("\n  ", "\n      ")
    (files / "messy.ksf").write_text(messy, encoding="utf-8")
    assert main(["fmt", "--check", "messy.ksf"]) == 1
    assert "would be reformatted" in capsys.readouterr().err
    assert (files / "messy.ksf").read_text(encoding="utf-8") == messy
    assert run("fmt", "messy.ksf").returncode == 0
    assert (files / "messy.ksf").read_text(encoding="utf-8") == canonical
    assert main(["fmt", "--check", "messy.ksf"]) == 0
    (files / "bad.ksf").write_text("card a {\n  base\n}\n", encoding="utf-8")
    assert main(["fmt", "bad.ksf"]) == 1


# ---- plot ---------------------------------------------------------------------------------


def test_curve_pays_what_evaluate_pays() -> None:
    """A plotted curve pays what evaluate pays at every sampled value: balance, cap and steps."""
    from ksf import plot

    book = ksf.compile(RULES)
    curve = plot.curve(book, "seller", "revenue")
    # 125,000: +2 steps → 200; 150,000: +5 steps → cap 300; 75,000: −2.5 → −2 steps → −100.
    for value, paid in [(125_000, 200), (150_000, 300), (75_000, -100), (100_000, 0)]:
        at = int(np.searchsorted(curve.values, value))
        assert curve.amounts[at] == paid, value
    assert curve.marks[0] == ("balance 100000", 100_000)
    assert curve.bounds == (("cap", 300.0),)
    assert np.all(np.diff(curve.amounts) >= 0)  # higher is better: never pays less for more
    # No floor: penalties go on down to revenue 0; the cap is reached at +3 steps (130,000)
    # and the curve goes on 3 flat steps past the first sample that pays it.
    assert curve.values[0] == 0
    assert 160_000 <= curve.values[-1] < 161_000
    # The whole card, evaluated at the same values, pays the same on that line.
    whole = book.evaluate({"revenue": curve.values}, card="seller")
    assert np.array_equal(whole["revenue"], curve.amounts)


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_plot(files: Path, suffix: str) -> None:
    """`ksf plot` writes a PNG or SVG file."""
    pytest.importorskip("matplotlib")
    done = run("plot", "pay.ksf", "--card", "seller", "--line", "revenue", "-o", f"c.{suffix}")
    assert done.returncode == 0, done.stderr
    head = (files / f"c.{suffix}").read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == "png" else b"<svg" in head or b"<?xml" in head


def test_plot_errors(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf plot` with no or an unknown card or line, a fixed line or a bad range exits 2."""
    assert main(["plot", "pay.ksf", "--line", "revenue", "-o", "c.png"]) == 2
    assert "pick one with --card" in capsys.readouterr().err
    assert main(["plot", "pay.ksf", "--card", "x", "--line", "revenue", "-o", "c.png"]) == 2
    assert "there is no card 'x'" in capsys.readouterr().err
    assert main(["plot", "pay.ksf", "--card", "seller", "--line", "bonus", "-o", "c.png"]) == 2
    assert "has no line 'bonus'; its lines are: base, revenue" in capsys.readouterr().err
    assert main(["plot", "pay.ksf", "--card", "seller", "--line", "base", "-o", "c.png"]) == 2
    assert "is a fixed amount, not a curve; ksf plots balance" in capsys.readouterr().err
    assert main(["plot", "pay.ksf", "--card", "seller", "--line", "revenue", "-o", "c.pdf"]) == 2
    assert main(["plot", "pay.ksf", "--card", "seller", "--line", "revenue", "-o", "c.png",
                 "--range", "5:1"]) == 2  # fmt: skip
    assert "--range takes LOW:HIGH" in capsys.readouterr().err


# ---- indicators ---------------------------------------------------------------------------


def test_indicators(capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf indicators` lists the standard library as JSON, CSV or text, formulas included."""
    library = ksf.rulebook.standard_library()
    assert main(["indicators", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(rows) == set(library)
    assert rows["gross_margin"]["formula"] == library["gross_margin"].text
    assert rows["gross_margin"]["label"] == library["gross_margin"].label
    assert main(["indicators", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("name,label,unit,direction,formula,description\n")
    done = run("indicators")
    assert done.returncode == 0
    assert f"    = {library['gross_margin'].text}\n" in done.stdout


# ---- terminal output ----------------------------------------------------------------------


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as a console window does."""

    def isatty(self) -> bool:
        return True


def test_plain_table_aligns_and_totals(capsys: pytest.CaptureFixture[str]) -> None:
    """A plain table aligns columns by terminal width (张伟 is four wide) and adds the footer."""
    out = io.StringIO()
    render.table(
        ["who", "pay"], [["张伟", "1,300.00"], ["E2", "50.00"]], out, footer=["total", "1,350.00"]
    )
    # 张伟 is four columns wide on a terminal; the first column is 5 wide ("total").
    assert out.getvalue().splitlines() == [
        "who         pay",
        "张伟   1,300.00",
        "E2        50.00",
        "total  1,350.00",
    ]


def test_rich_table_and_colour_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal, tables are drawn with rich and errors coloured; into a file, plain text."""
    pytest.importorskip("rich")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    out = Terminal()
    render.table(["who", "pay"], [["E1", "1,300.00"]], out, footer=["total", "1,300.00"])
    assert "┃" in out.getvalue() or "│" in out.getvalue()
    assert "1,300.00" in out.getvalue()
    err = Terminal()
    render.error_text("pay.ksf:1:1: error: bad\n1 | x\n  | ^", err)
    assert "\x1b[" in err.getvalue()
    assert "error:" in err.getvalue()
    plain = io.StringIO()
    render.error_text("pay.ksf:1:1: error: bad", plain)
    assert plain.getvalue() == "pay.ksf:1:1: error: bad\n"


def test_progress_only_for_big_files_on_a_terminal(
    files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A progress bar shows only for a big file on a terminal; reading through it still works."""
    pytest.importorskip("rich")
    assert render.Progress(files / "july.csv", Terminal()).opener() is None  # small file
    monkeypatch.setattr(render, "PROGRESS_BYTES", 10)
    assert render.Progress(files / "july.csv", io.StringIO()).opener() is None  # not a tty
    err = Terminal()
    with render.Progress(files / "july.csv", err) as progress:
        opener = progress.opener()
        assert opener is not None
        data = ksf.io.read_data(files / "july.csv", opener=opener)
        with progress.stage("computing"):
            pass
    assert data["revenue"][0] == 125_000


def test_progress_counts_the_rows_of_parquet_and_xlsx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parquet and XLSX are judged by their row count, not their (small) size."""
    pytest.importorskip("rich")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setattr(render, "PROGRESS_ROWS", {"parquet": 30, "xlsx": 30})
    for rows in (30, 31):
        pq.write_table(pa.table({"revenue": [1.0] * rows}), tmp_path / f"{rows}.parquet")
        book = openpyxl.Workbook()  # records the sheet's dimension, A1:A{rows + 1}
        book.active.append(["revenue"])
        for _ in range(rows):
            book.active.append([1.0])
        book.create_sheet("other").append(["revenue"])
        book.save(tmp_path / f"{rows}.xlsx")
    # A few KiB each, far under PROGRESS_BYTES: only the row count can tell them apart.
    assert (tmp_path / "31.parquet").stat().st_size < render.PROGRESS_BYTES
    assert not render.is_big(tmp_path / "30.parquet")
    assert render.is_big(tmp_path / "31.parquet")
    assert not render.is_big(tmp_path / "30.xlsx")
    assert render.is_big(tmp_path / "31.xlsx")
    assert not render.is_big(tmp_path / "31.xlsx", sheet="other")  # the sheet read counts
    (tmp_path / "31.dat").write_bytes((tmp_path / "31.parquet").read_bytes())
    assert render.is_big(tmp_path / "31.dat", "parquet")  # --data-format
    assert render.Progress(tmp_path / "31.parquet", Terminal()).opener() is not None
    assert render.Progress(tmp_path / "31.parquet", io.StringIO()).opener() is None  # no tty
    assert render.Progress(tmp_path / "30.parquet", Terminal()).opener() is None


def test_progress_falls_back_to_the_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CSV by its size; an XLSX sheet that records no dimension (write-only) by its size too."""
    openpyxl = pytest.importorskip("openpyxl")
    (tmp_path / "a.csv").write_text("revenue\n" + "1\n" * 40, encoding="utf-8")  # 88 bytes
    monkeypatch.setattr(render, "PROGRESS_BYTES", 88)
    assert not render.is_big(tmp_path / "a.csv")
    monkeypatch.setattr(render, "PROGRESS_BYTES", 87)
    assert render.is_big(tmp_path / "a.csv")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data")
    for _ in range(40):
        sheet.append([1.0])
    book.save(tmp_path / "w.xlsx")
    assert ksf.io.row_count(tmp_path / "w.xlsx") is None
    size = (tmp_path / "w.xlsx").stat().st_size
    monkeypatch.setattr(render, "XLSX_BYTES", size)
    assert not render.is_big(tmp_path / "w.xlsx")
    monkeypatch.setattr(render, "XLSX_BYTES", size - 1)
    assert render.is_big(tmp_path / "w.xlsx")
    assert not render.is_big(tmp_path / "missing.parquet")
    assert not render.is_big(tmp_path / "a.txt2")


def test_every_command_the_readme_and_docs_name_exists() -> None:
    """`ksf WORD` in README.md and docs/ (inline code, `$ ksf`, `&& ksf`) is a real command."""
    from ksf.cli import parser

    commands = next(a for a in parser()._actions if a.dest == "command").choices
    root = Path(__file__).resolve().parents[1]
    named = re.compile(r"(?:`|\$ |&& )ksf ([a-z][a-z-]*)")
    found = {
        path.relative_to(root).as_posix(): set(named.findall(path.read_text(encoding="utf-8")))
        for path in [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
    }
    assert {
        name: words - set(commands) for name, words in found.items() if words - set(commands)
    } == {}
    # the README's tour names every command
    assert found["README.md"] == set(commands)


# ---- docs/cli.md: every transcript is what the command prints ----------------------------

CLI_DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
CLI_DOCS = [CLI_DOC, CLI_DOC.parent / "zh" / "cli.md"]  # the English page and the Chinese one
_FILE_MARK = re.compile(r"<!--\s*file:\s*(\S+)\s*-->\n```\w*\n(.*?)\n```", re.DOTALL)
_CONSOLE = re.compile(r"```console\n(.*?)\n```", re.DOTALL)


def doc_files(text: str) -> dict[str, str]:
    """The files the transcripts use: fenced blocks after a ``<!-- file: NAME -->`` line."""
    return {name: body + "\n" for name, body in _FILE_MARK.findall(text)}


def transcript(block: str, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str, str]]:
    """(command, expected, actual) for each ``$ ksf …`` of a console block."""
    results = []
    status = 0
    parts = re.split(r"^\$ (.*)$", block, flags=re.MULTILINE)
    for command, expected in zip(parts[1::2], parts[2::2], strict=True):
        if command == "echo $?":
            actual = f"{status}\n"
        else:
            argv = shlex.split(command)
            assert argv[0] == "ksf", command
            status = main(argv[1:])
            captured = capsys.readouterr()
            actual = captured.out + captured.err
        results.append((command, expected.lstrip("\n"), actual))
    return results


def _matches(expected: str, actual: str) -> bool:
    """Exact, except that a line ``...`` stands for any lines."""
    pattern = "".join(
        r"(?:.*\n)*" if line == "..." else re.escape(line + "\n") for line in expected.splitlines()
    )
    return re.fullmatch(pattern, actual) is not None


@pytest.mark.parametrize("doc", CLI_DOCS, ids=["cli.md", "zh/cli.md"])
def test_cli_doc_transcripts(
    doc: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every console transcript in docs/cli.md and docs/zh/cli.md is what ksf prints."""
    pytest.importorskip("openpyxl")
    pytest.importorskip("matplotlib")
    text = doc.read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name, body in doc_files(text).items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    blocks = _CONSOLE.findall(text)
    assert len(blocks) >= 8
    wrong = [
        f"$ {command}\n--- {doc.name} says:\n{expected}--- ksf prints:\n{actual}"
        for block in blocks
        for command, expected, actual in transcript(block, capsys)
        if not _matches(expected, actual)
    ]
    assert not wrong, "\n".join(wrong)


def test_run_more_rows_than_excel_holds(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """More rows than an Excel sheet holds exit 2 suggesting CSV, and no file is written."""
    pytest.importorskip("openpyxl")
    import ksf.io.write_xlsx

    monkeypatch.setattr(ksf.io.write_xlsx, "MAX_ROWS", 2)
    assert main(["run", "pay.ksf", "july.csv", "-o", "p.xlsx", "--no-payslips"]) == 2
    assert "3 rows do not fit in an Excel sheet (at most 2); use -o .csv" in capsys.readouterr().err
    with pytest.raises(ValueError, match="do not fit in an Excel sheet"):
        ksf.io.write_payroll(ksf.compile(RULES).evaluate(ksf.io.read_data("july.csv")), "p.xlsx")
    assert not (files / "p.xlsx").exists()


def test_commission_curve() -> None:
    """A commission curve marks its tier, reaches the cap, and pays what evaluate pays."""
    from ksf import plot

    book = ksf.compile(
        "card c {\n  commission sales rate 0.75% beyond 1_000_000 rate 1% cap 20000\n}\n"
    )
    curve = plot.curve(book, "c", "commission_sales")
    assert curve.marks == (("beyond 1,000,000 rate 1%", 1_000_000),)
    assert curve.values[0] == 0
    # 1,500,000: 0.75% × 1,000,000 + 1% × 500,000 = 7,500 + 5,000 = 12,500 (marginal tiers).
    at = int(np.searchsorted(curve.values, 1_500_000))
    assert curve.amounts[at] == pytest.approx(12_500, abs=15)  # the sample just past 1.5M
    assert curve.amounts.max() == 20_000  # the cap
    whole = book.evaluate({"sales": curve.values})["commission_sales"]
    assert np.array_equal(whole, curve.amounts)


def test_fmt_command_with_a_stand_in_formatter(
    files: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command's own logic (check, diff, atomic rewrite, errors), whatever the formatter."""

    def strip_trailing(text: str, name: str) -> str:
        ksf.compile(text, name=name)  # a file that does not parse raises, as format_text does
        return "".join(line.rstrip() + "\n" for line in text.splitlines())

    monkeypatch.setattr(ksf.rulebook, "format_text", strip_trailing)
    (files / "messy.ksf").write_text(RULES.replace("base 5000", "base 5000   "), encoding="utf-8")
    assert main(["fmt", "--check", "messy.ksf", "pay.ksf"]) == 1
    captured = capsys.readouterr()
    assert "-  base 5000   \n+  base 5000\n" in captured.out
    assert "pay.ksf: already formatted\n" in captured.out
    assert captured.err == "messy.ksf: would be reformatted\n"
    assert main(["fmt", "messy.ksf"]) == 0
    assert capsys.readouterr().out == "messy.ksf: reformatted\n"
    assert (files / "messy.ksf").read_text(encoding="utf-8") == RULES
    (files / "bad.ksf").write_text("card a {\n  base\n}\n", encoding="utf-8")
    assert main(["fmt", "bad.ksf"]) == 1
    assert "bad.ksf:" in capsys.readouterr().err
    assert (files / "bad.ksf").read_text(encoding="utf-8") == "card a {\n  base\n}\n"


def test_run_header_without_rows(files: Path) -> None:
    """A CSV with a header and no rows is a data error: "nobody to pay"."""
    (files / "empty.csv").write_text("employee,card,revenue\n", encoding="utf-8")
    done = run("run", "pay.ksf", "empty.csv")
    assert done.returncode == 1
    assert done.stderr == (
        "empty.csv: data error: the file has a header row but no data rows: nobody to pay\n"
    )


def test_run_column_the_data_lacks(files: Path) -> None:
    """A column the data lacks is an unknown name at its rule, suggesting the close column."""
    (files / "short.csv").write_text("employee,card,revenu\nE1,seller,1\n", encoding="utf-8")
    done = run("run", "pay.ksf", "short.csv")
    assert done.returncode == 1
    assert done.stderr.startswith("pay.ksf:3:3: error: unknown name `revenue`")
    assert "did you mean 'revenu'?" in done.stderr


def test_rich_only_when_every_table_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich draws a table only when it fits the terminal; a wide one is printed plain, uncut."""
    pytest.importorskip("rich")
    monkeypatch.setenv("COLUMNS", "40")
    head, body = ["who", "pay"], [["E1", "1,300.00"]]
    assert render.fits(head, body, None, Terminal())
    wide = [f"line_{k}" for k in range(8)]
    assert not render.fits(wide, [["1,300.00"] * 8], None, Terminal())
    out = Terminal()
    render.table(wide, [["1,300.00"] * 8], out, left=0)
    assert out.getvalue().splitlines()[1] == "  ".join(["1,300.00"] * 8)  # plain, nothing cut


def test_csv_payroll_file_opens_in_excel(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A CSV written with -o starts with the BOM Excel needs for Chinese; a pipe gets none."""
    assert main(["run", "pay.ksf", "july.csv", "-o", "out.csv"]) == 0
    raw = (files / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,card,")
    assert ksf.io.read_data(files / "out.csv")["total"].tolist() == [5200.0, 4160.0, 4900.0]
    assert main(["run", "pay.ksf", "july.csv", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("id,card,")


def test_chinese_cli_page_covers_every_command_and_option() -> None:
    """docs/zh/cli.md has a section for each command of docs/cli.md and names every option."""
    english, chinese = (doc.read_text(encoding="utf-8") for doc in CLI_DOCS)
    sections = re.compile(r"^## `ksf ([a-z]+)`$", re.MULTILINE)
    options = re.compile(r"--[a-z][a-z-]*")
    assert sections.findall(chinese) == sections.findall(english)
    # demo check run explain payslip fmt plot lint simulate indicators test diff calibrate serve
    assert len(sections.findall(english)) == 14
    assert set(options.findall(chinese)) == set(options.findall(english))
    assert len(_CONSOLE.findall(chinese)) >= len(_CONSOLE.findall(english))
