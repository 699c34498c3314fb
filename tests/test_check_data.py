"""``ksf check FILE --data DATA``: every name the cards read, against the data's columns."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import ksf
from ksf import io
from ksf.cli import main

# `gros_margin` is a typo for the standard gross_margin; `acos` is a standard indicator
# whose columns (ad_spend, ad_sales) the data lacks; `target` is a param.
RULES = """\
card operator {
  base 4000
  gros_margin balance 25% step 1% reward 150
  acos balance 30% step 1% reward 100 penalty 100
  bonus 1% of revenue when revenue > target as over
}
card buyer {
  base 5000
  turnover balance 6 step 0.5 reward 150
}
"""
HEADER = "employee,card,revenue,cogs,turnover\n"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pay.ksf").write_text(RULES, encoding="utf-8")
    # Only the header row is read: a ragged body does not matter to `check`.
    (tmp_path / "july.csv").write_text(HEADER + "E1,operator,1\n", encoding="utf-8")
    return tmp_path


def test_without_data_the_names_are_not_checked(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ksf check` without `--data` checks the text only: ok, naming the cards."""
    assert main(["check", "pay.ksf"]) == 0
    assert capsys.readouterr().out == "pay.ksf: ok — cards operator, buyer\n"


def test_every_unknown_name_is_positioned_with_a_suggestion(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check --data` reports both unknown names at their rules with hints, then "2 errors"."""
    assert main(["check", "pay.ksf", "--data", "july.csv", "--param", "target=100000"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "pay.ksf:3:3: error: unknown name `gros_margin`\n"
        "2 |   base 4000\n"
        "3 |   gros_margin balance 25% step 1% reward 150\n"
        "  |   ^^^^^^^^^^^\n"
        "hint: did you mean 'gross_margin' or 'net_gross_margin'?\n"
        "\n"
        "pay.ksf:4:3: error: unknown name `acos`\n"
        "3 |   gros_margin balance 25% step 1% reward 150\n"
        "4 |   acos balance 30% step 1% reward 100 penalty 100\n"
        "  |   ^^^^\n"
        "hint: the standard indicator `acos` needs the columns ad_sales, ad_spend, which the "
        "data lacks\n"
        "\n"
        "2 errors\n"
    )


def test_a_missing_param_is_an_unknown_name(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name only a `--param` can supply is unknown without it and fine with `--param target=1`."""
    text = "card operator {\n  bonus 1% of revenue when revenue > target as over\n}\n"
    (files / "target.ksf").write_text(text, encoding="utf-8")
    assert main(["check", "target.ksf", "--data", "july.csv"]) == 1
    assert capsys.readouterr().err.startswith("target.ksf:2:38: error: unknown name `target`\n")
    assert main(["check", "target.ksf", "--data", "july.csv", "--param", "target=1"]) == 0
    assert capsys.readouterr().out == "target.ksf: ok against july.csv — cards operator\n"


def test_card_checks_one_card(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--card buyer` checks against the data; an unknown card is a usage error listing cards."""
    assert main(["check", "pay.ksf", "--data", "july.csv", "--card", "buyer"]) == 0
    assert capsys.readouterr().out == "pay.ksf: ok against july.csv — cards operator, buyer\n"
    assert main(["check", "pay.ksf", "--data", "july.csv", "--card", "seller"]) == 2
    assert "--card seller: the rule file has no such card; its cards: operator, buyer" in (
        capsys.readouterr().err
    )


def test_data_warnings_are_printed(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A column named like the file's own indicator is never read: a warning, status 0."""
    text = (
        "indicator turnover = cogs / 1000\ncard buyer {\n  turnover balance 6 step 1 reward 1\n}\n"
    )
    (files / "shadow.ksf").write_text(text, encoding="utf-8")
    assert main(["check", "shadow.ksf", "--data", "july.csv"]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith(
        "shadow.ksf:1:11: warning: the data has a column `turnover`, but this file's "
        "indicator is used instead\n"
    )
    assert captured.out == (
        "shadow.ksf: ok against july.csv — cards buyer\nshadow.ksf: 1 warning\n"
    )


def test_usage_and_data_errors(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Options without `--data`, a missing file, an unknown format exit 2; an empty CSV exits 1."""
    assert main(["check", "pay.ksf", "--card", "buyer"]) == 2
    assert "--card, --param, --sheet and --data-format go with --data" in capsys.readouterr().err
    assert main(["check", "pay.ksf", "--data", "none.csv"]) == 2
    assert "no such file: none.csv" in capsys.readouterr().err
    assert main(["check", "pay.ksf", "--data", "july.txt2"]) == 2
    assert "cannot tell the format of july.txt2" in capsys.readouterr().err
    (files / "empty.csv").write_text("", encoding="utf-8")
    assert main(["check", "pay.ksf", "--data", "empty.csv"]) == 1
    assert capsys.readouterr().err == (
        "empty.csv: data error: the file is empty; it needs a header row\n"
    )


def test_column_names_of_every_format(files: Path) -> None:
    """`io.column_names` reads the header of CSV, JSON, XLSX (any sheet) and Parquet alike."""
    names = ["employee", "card", "revenue", "cogs", "turnover"]
    assert io.column_names(files / "july.csv") == names
    records = [{"employee": "E1", "card": "buyer", "turnover": 7}, {"revenue": 1, "cogs": 2}]
    (files / "july.json").write_text(json.dumps(records), encoding="utf-8")
    assert io.column_names(files / "july.json") == [
        "employee",
        "card",
        "turnover",
        "revenue",
        "cogs",
    ]
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append([*names, None])  # a trailing empty header cell is formatting
    book.active.append(["E1", "buyer", None, None, 7.0])
    other = book.create_sheet("8月")
    other.append(["employee", "sales"])
    book.save(files / "july.xlsx")
    assert io.column_names(files / "july.xlsx") == names
    assert io.column_names(files / "july.xlsx", sheet="8月") == ["employee", "sales"]
    with pytest.raises(ksf.DataError, match="no sheet '9月'; the workbook has: Sheet, 8月"):
        io.column_names(files / "july.xlsx", sheet="9月")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({n: [1.0] for n in names}), files / "july.parquet")
    assert io.column_names(files / "july.parquet") == names


def test_check_columns_from_python() -> None:
    """`check_columns` lists every unknown name, params too; an unknown card is a KeyError."""
    book = ksf.compile(RULES, name="pay.ksf")
    assert book.check_columns(["turnover"], cards=["buyer"]) == ()
    with pytest.raises(ksf.KsfCompileError) as error:
        book.check_columns(["revenue", "cogs", "turnover"])
    # gros_margin, acos, and the param `target` not passed
    assert [d.message for d in error.value.errors] == [
        "unknown name `gros_margin`",
        "unknown name `acos`",
        "unknown name `target`",
    ]
    with pytest.raises(KeyError):
        book.check_columns([], cards=["seller"])


def test_check_with_data_as_a_process(files: Path) -> None:
    """`python -m ksf check --data` exits 1, three unknown names on stderr, stdout empty."""
    done = subprocess.run(
        [sys.executable, "-m", "ksf", "check", "pay.ksf", "--data", "july.csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count(": error: unknown name") == 3  # gros_margin, acos, target
    assert done.stderr.endswith("\n3 errors\n")
