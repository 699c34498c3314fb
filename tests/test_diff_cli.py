"""``ksf diff OLD NEW DATA``: the summary in both languages, the files, and every refusal.

The rulebooks and figures are tests/test_diff.py's golden pair, worked out by hand there.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from test_diff import NEW, OLD

from ksf.cli import main

# The golden data, one id a spreadsheet would run as a formula and one an HTML page would
# run as a script.
DATA = """\
employee,card,sales,gross_margin,on_time_rate
S1,seller,250000,36.5%,
S2,seller,100000,31%,
<script>S3,seller,150000,30%,
B1,buyer,,,99%
=HYPERLINK("x"),buyer,,,90%
"""


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.ksf").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.ksf").write_text(NEW, encoding="utf-8")
    (tmp_path / "q3.csv").write_text(DATA, encoding="utf-8")
    return tmp_path


def test_summary_in_english(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The headline, each card's figures and the largest changes, as worked out by hand."""
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("old.ksf → new.ksf\n")
    # 29,600 → 29,250; B1 is paid more, S1 S2 S3 less, B2 the same
    assert "5 rows: cost 29,600.00 → 29,250.00 CNY (-350.00); 1 paid more, 3 paid less, " in out
    seller = next(line for line in out.splitlines() if line.startswith("seller 销售"))
    # 3 rows, nobody paid more; 3 paid less, median −300, the most S1's −350; 0 unchanged
    assert seller.split()[2:9] == ["3", "0", "3", "-300.00", "-350.00", "S1", "0"]
    assert seller.split()[-3:] == ["21,400.00", "20,550.00", "-850.00"]
    # the largest changes by size: B1's +500 before S1's −350
    people = out[out.index("the largest changes") :].splitlines()
    assert people[2].startswith("B1 ")
    assert "base +200.00, punctual +300.00" in people[2]
    assert "card buyer: lines added punctual" in out


def test_summary_in_chinese(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang zh``: the same figures in Chinese words, 底薪 for base."""
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "共 5 行：成本 29,600.00 → 29,250.00 元（-350.00）；1 行增加，3 行减少，1 行不变" in out
    assert "底薪 +200.00, punctual +300.00" in out
    assert "计薪卡 buyer：新增项目 punctual" in out


def test_csv_adds_up_and_runs_no_formula(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One row per employee; each line's change adds up to the row's; ids are inert text."""
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv", "-o", "diff.csv"]) == 0
    assert "diff.csv: the diff of 5 rows (5 changed)" in capsys.readouterr().err
    rows = list(csv.DictReader((files / "diff.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["id"] for r in rows][-1] == '\'=HYPERLINK("x")'
    b2 = rows[-1]
    # 3800 → 3800: base +200, top-up −200
    assert (b2["change"], b2["base_change"], b2["min_pay_topup_change"]) == (
        "0.00",
        "200.00",
        "-200.00",
    )
    assert sum(float(r["change"]) for r in rows) == -350.0


def test_json_holds_everything(files: Path) -> None:
    """The JSON has the costs, the cards (who by row and id) and every changed line."""
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv", "-o", "diff.json"]) == 0
    found = json.loads((files / "diff.json").read_text(encoding="utf-8"))
    assert (found["old_cost"], found["new_cost"], found["cost_change"]) == (
        29600.0,
        29250.0,
        -350.0,
    )
    assert found["cards"][0]["largest_loss_by"] == {"row": 0, "id": "S1", "period": None}
    b1 = found["employees"][3]["lines"][1]
    assert (b1["line"], b1["old"], b1["new"], b1["old_explanation"]) == ("punctual", 0.0, 300.0, "")


def test_html_escapes_the_data(files: Path) -> None:
    """The page shows ``<script>`` as text and holds the explanations."""
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv", "-o", "diff.html", "--lang", "zh"]) == 0
    page = (files / "diff.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;S3" in page
    assert '<html lang="zh-CN">' in page
    assert "按计薪卡" in page
    assert "punctual：300.00" in page  # the new explanation's block, in Chinese


def test_xlsx_sheets_numbers_and_text(files: Path) -> None:
    """Three sheets; amounts are numbers that add up; a formula-like id stays text."""
    openpyxl = pytest.importorskip("openpyxl")
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv", "-o", "diff.xlsx"]) == 0
    book = openpyxl.load_workbook(files / "diff.xlsx")
    assert book.sheetnames == ["by card", "by employee", "lines changed"]
    people = list(book["by employee"].iter_rows(values_only=True))
    assert people[0][:5] == ("id", "card", "old total", "new total", "change")
    assert people[5][0] == '=HYPERLINK("x")'
    assert book["by employee"].cell(row=6, column=1).data_type == "s"
    assert sum(row[4] for row in people[1:-1]) == -350.0
    assert people[-1][4] == -350.0  # the total row
    cards = list(book["by card"].iter_rows(values_only=True))
    # seller: 3 rows, none paid more (no median, no largest), 3 paid less, median −300
    assert cards[1][:8] == ("seller 销售", 3, 0, None, None, None, 3, -300.0)
    lines = list(book["lines changed"].iter_rows(values_only=True))
    # each explanation line on a row of its own: the first row holds the amounts
    assert lines[1][:5] == ("S1", "seller", "commission_sales", 2500.0, 2750.0)
    assert lines[1][6] == "commission_sales: 2,500.00"


def test_a_file_type_ksf_does_not_write_is_a_usage_error(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``-o diff.txt``: exit 2 before anything is computed."""
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv", "-o", "diff.txt"]) == 2
    assert "diff.txt: a diff is written as .csv, .xlsx, .json or .html" in capsys.readouterr().err


def test_rows_of_a_card_new_lacks_exit_1_naming_it(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A card NEW renamed: exit 1, the file, the rulebook, the card and the employees."""
    (files / "new.ksf").write_text(NEW.replace("card buyer", "card purchaser"), encoding="utf-8")
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv", "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("q3.csv：数据错误：按 new.ksf 计算时：未知的计薪卡 'buyer'")
    assert "B1" in err


def test_two_currencies_exit_1(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two currencies: exit 1 and one line saying so, never a traceback."""
    (files / "new.ksf").write_text("currency USD\n" + NEW, encoding="utf-8")
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv"]) == 1
    assert capsys.readouterr().err.startswith("error: old.ksf pays in CNY and new.ksf in USD")


def test_identical_plans_say_so(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same rulebook twice: cost unchanged, and one sentence instead of a list."""
    assert main(["diff", "old.ksf", "old.ksf", "q3.csv"]) == 0
    out = capsys.readouterr().out
    assert "cost 29,600.00 → 29,600.00 CNY (0.00); 0 paid more, 0 paid less, 5 unchanged" in out
    assert out.endswith("\nthe two rulebooks pay every row the same\n")


def test_cards_only_one_plan_has_are_noted(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A card no row uses, in either plan, is named after the tables; ``--top 0`` lists nobody."""
    (files / "new.ksf").write_text(NEW + 'card lead "组长" { base 9000 }\n', encoding="utf-8")
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv", "--top", "0", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "变化最大的员工" not in out
    assert out.endswith("只有 new.ksf 才有的计薪卡（数据中没有行使用）：lead\n")


def test_output_over_the_data_is_refused(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``-o q3.csv`` would replace the data the diff is computed from: exit 2, file intact."""
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv", "-o", "q3.csv"]) == 2
    said = "-o q3.csv is the data (q3.csv); write the diff to another file"
    assert said in capsys.readouterr().err
    assert (files / "q3.csv").read_text(encoding="utf-8") == DATA


def test_a_card_neither_plan_has_is_a_usage_error(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--card seler``: exit 2 with the closest card, as ``ksf run`` says it."""
    assert main(["diff", "old.ksf", "new.ksf", "q3.csv", "--card", "seler"]) == 2
    assert "did you mean 'seller'?" in capsys.readouterr().err
