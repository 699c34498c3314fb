"""``ksf test``: case sheets HR writes (CSV, XLSX, YAML) checked against the rules to the cent.

The golden case sheets beside tests/golden/seed000_team.ksf (CSV) and
tests/golden/seed003_sales_commission.ksf (XLSX) carry the hand arithmetic of each case in
their ``note`` column; the rule files carry the same arithmetic in comments.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

import ksf
from ksf.cases import amount, check_cases, run_cases
from ksf.cli import main
from ksf.errors import DataError
from ksf.io.read_cases import beside, read_cases

GOLDEN = Path(__file__).parent / "golden"
TEAM = GOLDEN / "seed000_team.ksf"
TEAM_CASES = GOLDEN / "seed000_team.cases.csv"
SALES = GOLDEN / "seed003_sales_commission.ksf"
SALES_CASES = GOLDEN / "seed003_sales_commission.cases.xlsx"


def _team_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(TEAM_CASES.read_text(encoding="utf-8"))))


def _write(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _edited(tmp_path: Path, employee: str, column: str, value: str) -> Path:
    """The team's case sheet with one cell changed."""
    rows = _team_rows()
    k = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == employee:
            row[k] = value
    return _write(tmp_path / "team.cases.csv", rows)


def _error(book: ksf.Rulebook, path: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        run_cases(book, read_cases(path))
    return caught.value


# ---- the golden sheets --------------------------------------------------------------------


def test_golden_sheets_are_found_beside_their_rules() -> None:
    """pay.ksf finds pay.cases.csv / pay.cases.xlsx by name, and nothing else."""
    assert beside(TEAM) == [TEAM_CASES]
    assert beside(SALES) == [SALES_CASES]
    assert beside(GOLDEN / "seed001_awards.ksf") == []


def test_golden_csv_sheet_passes() -> None:
    """The team's four cases pay their hand-worked amounts (E01 11,646.21 … E04 2,360.00)."""
    report = run_cases(ksf.load(TEAM), read_cases(TEAM_CASES))
    assert report.passed
    assert len(report.labels) == 4
    assert report.labels[0] == "E01 (line 2 of seed000_team.cases.csv)"
    assert report.text() == "tests/golden/seed000_team.cases.csv: 4 cases passed\n".replace(
        "tests/golden/", str(GOLDEN) + "/"
    )


def test_golden_xlsx_sheet_passes() -> None:
    """The ten commission cases pass, E08's total typed as text ¥14,999.99 (999,999 × 0.75%)."""
    pytest.importorskip("openpyxl")
    sheet = read_cases(SALES_CASES)
    assert sheet.noun == "sheet rows"
    assert sheet.rows == tuple(range(2, 12))  # the header is sheet row 1
    cases = check_cases(ksf.load(SALES), sheet)
    # 7,500 + 7,499.99 = 14,999.99: 1,499,999 cents
    assert cases.expected["total"][0][7] == 1_499_999
    assert not cases.expected["growth_commission"][1][0]  # blank: E01's card has no such line
    assert run_cases(ksf.load(SALES), sheet).passed


def test_cli_runs_the_golden_sheets(capsys: pytest.CaptureFixture[str]) -> None:
    """``ksf test RULES`` with no CASES runs the sheet beside the rules: exit 0."""
    pytest.importorskip("openpyxl")
    assert main(["test", str(TEAM)]) == 0
    assert main(["test", str(SALES)]) == 0
    out = capsys.readouterr().out
    assert "seed000_team.cases.csv: 4 cases passed" in out
    assert "seed003_sales_commission.cases.xlsx: 10 cases passed" in out


# ---- an amount edited: a failure, explained -------------------------------------------


def test_one_edited_amount_fails_with_its_explanation(tmp_path: Path) -> None:
    """E02's promo_roi edited to 3,100: expected 3,100.00, got 3,000.00 (1,500 + 1,800 → cap)."""
    book = ksf.load(TEAM)
    report = run_cases(book, read_cases(_edited(tmp_path, "E02", "expected_promo_roi", "3100")))
    assert not report.passed
    [failure] = report.failures
    assert (failure.line, failure.expected, failure.actual) == (
        "promo_roi",
        Decimal("3100.00"),
        Decimal("3000.00"),
    )
    # the explanation of that line alone: the pot 1,500 + 10 × 60 + 12 × 100 = 3,300 → cap 3,000
    assert failure.explanation.splitlines()[0] == "promo_roi: 3,000.00"
    assert "plus the pot 1,500.00 = 3,300" in failure.explanation
    assert "floor 0, cap 3,000: applied: 3,300 → 3,000" in failure.explanation
    assert "base" not in failure.explanation
    text = report.text()
    assert text.startswith(
        "FAIL E02 (line 3 of team.cases.csv), card operator: "
        "promo_roi expected 3,100.00, got 3,000.00\n    note: grade A 4000"
    )
    assert text.endswith("team.cases.csv: 1 of 4 cases failed\n")


def test_an_edited_total_explains_the_whole_row(tmp_path: Path) -> None:
    """E04's total edited to 2,320 (before the top-up): the whole explanation, top-up 40 in it."""
    book = ksf.load(TEAM)
    report = run_cases(book, read_cases(_edited(tmp_path, "E04", "expected_total", "2,320.00")))
    [failure] = report.failures
    assert (failure.line, failure.expected, failure.actual) == (
        "total",
        Decimal("2320.00"),
        Decimal("2360.00"),
    )
    assert failure.explanation.startswith("E04 (line 5 of team.cases.csv), card operator")
    assert "total: 2,360.00 CNY" in failure.explanation


def test_a_line_and_the_total_wrong_explain_the_row_once(tmp_path: Path) -> None:
    """E02's promo_roi 3,100 and total 11,339.88 (+100): two heads, one explanation."""
    rows = _team_rows()
    rows[2][rows[0].index("expected_promo_roi")] = "3100"
    rows[2][rows[0].index("expected_total")] = "11339.88"
    report = run_cases(ksf.load(TEAM), read_cases(_write(tmp_path / "t.cases.csv", rows)))
    assert [f.line for f in report.failures] == ["promo_roi", "total"]
    text = report.text()
    assert text.count("\n    base: 4,000.00\n") == 1
    assert text.count("FAIL E02") == 2
    assert text.endswith("t.cases.csv: 1 of 4 cases failed\n")


def test_cli_exit_1_and_the_report_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A failure exits 1; --lang zh writes the report and the explanation in Chinese."""
    edited = _edited(tmp_path, "E02", "expected_promo_roi", "3100")
    assert main(["test", str(TEAM), str(edited), "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        "未通过 E02（team.cases.csv 第 3 行），计薪卡 operator："
        "promo_roi 应为 3,100.00，实际 3,000.00\n"
    )
    assert "        加上分配额 1,500.00 = 3,300\n" in out
    assert out.endswith(f"{edited}：4 个用例中有 1 个未通过\n")


def test_xlsx_amount_edited_fails(tmp_path: Path) -> None:
    """E08's total edited in the workbook to 14,999.98: one cent off is a failure."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(SALES_CASES)
    book.active["I9"] = 14999.98  # sheet row 9: E08
    book.save(tmp_path / "s.cases.xlsx")
    report = run_cases(ksf.load(SALES), read_cases(tmp_path / "s.cases.xlsx"))
    [failure] = report.failures
    assert (failure.expected, failure.actual) == (Decimal("14999.98"), Decimal("14999.99"))
    assert report.labels[failure.case] == "E08 (sheet row 9 of s.cases.xlsx)"


# ---- amounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1,234.50", "1234.50"),
        ("1234.5", "1234.5"),
        ("¥1,234.50", "1234.50"),
        ("￥-3", "-3"),
        ("-¥1,100", "-1100"),
        ("  7500 ", "7500"),
        ("12,000元", "12000"),
        (1234.5, "1234.5"),
        (14999.99, "14999.99"),
        (7500, "7500"),
    ],
)
def test_amounts_as_typed(cell: object, value: str) -> None:
    """An amount reads as the decimal written, whatever the style (never through a float sum)."""
    assert amount(cell) == Decimal(value)


@pytest.mark.parametrize("cell", ["1,2", "0,285", "about 3000", "=A1+B1", "12%", "--3", True])
def test_not_amounts(cell: object) -> None:
    """Text, a formula, a percentage, a decimal comma or TRUE is no amount: refused."""
    with pytest.raises(ValueError, match=r"text|formula"):
        amount(cell)


def test_blank_expected_checks_nothing() -> None:
    """A blank or empty cell is no expectation (None)."""
    assert amount(None) is None
    assert amount("  ") is None


# ---- mistakes in a sheet ------------------------------------------------------------------


def test_expected_column_naming_no_line(tmp_path: Path) -> None:
    """expected_promo_rio names no line: the file, the column and a did-you-mean."""
    rows = _team_rows()
    rows[0][rows[0].index("expected_promo_roi")] = "expected_promo_rio"
    error = _error(ksf.load(TEAM), _write(tmp_path / "t.cases.csv", rows))
    assert error.column == "expected_promo_rio"
    assert error.message.startswith(
        f"{tmp_path / 't.cases.csv'}: column `expected_promo_rio` names no line of any card"
    )
    assert error.message.endswith("did you mean 'expected_promo_roi'?")


def test_input_left_out(tmp_path: Path) -> None:
    """The sheet without ad_spend: card operator reads it; its cases are lines 3 and 5."""
    rows = _team_rows()
    k = rows[0].index("ad_spend")
    for row in rows:
        del row[k]
    error = _error(ksf.load(TEAM), _write(tmp_path / "t.cases.csv", rows))
    assert error.column == "ad_spend"
    assert "card operator reads `ad_spend`, but the sheet has no column `ad_spend`" in error.message
    assert error.labels == ("3", "5")
    assert str(error).endswith("\n  lines: 3, 5")


def test_text_in_an_amount(tmp_path: Path) -> None:
    """'about 6800' in E03's expected_total: named with its line (4) and column."""
    error = _error(ksf.load(TEAM), _edited(tmp_path, "E03", "expected_total", "about 6800"))
    assert error.column == "expected_total"
    assert error.labels == ("4",)
    assert "`expected_total` holds text where an amount is expected (about 6800)" in error.message


def test_an_amount_finer_than_a_cent(tmp_path: Path) -> None:
    """6828.005 cannot be a payroll amount rounded to 0.01: refused, not compared."""
    error = _error(ksf.load(TEAM), _edited(tmp_path, "E03", "expected_total", "6828.005"))
    assert "finer than the rounding unit 0.01 (6828.005)" in error.message
    assert error.labels == ("4",)


def test_a_formula_in_a_workbook(tmp_path: Path) -> None:
    """=7500+7500 in an expected cell is refused: an expected amount is worked out by hand."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(SALES_CASES)
    book.active["I2"] = "=7500+7500"
    book.save(tmp_path / "f.cases.xlsx")
    error = _error(ksf.load(SALES), tmp_path / "f.cases.xlsx")
    assert "`expected_total` holds a formula (=7500+7500)" in error.message
    assert (error.labels, error.noun) == (("2",), "sheet rows")
    assert str(error).endswith("\n  sheet rows: 2")


def test_two_cases_with_one_id(tmp_path: Path) -> None:
    """E01 twice in one card: which is meant? Both lines are named."""
    rows = _team_rows()
    rows.append(list(rows[1]))
    error = _error(ksf.load(TEAM), _write(tmp_path / "t.cases.csv", rows))
    assert "two cases have one id (E01) in the same period" in error.message
    assert error.labels == ("2", "6")


def test_one_id_on_two_cards(tmp_path: Path) -> None:
    """E01 copied as a supply_chain case: one employee, one card a period; both lines named."""
    rows = _team_rows()
    copied = list(rows[1])
    copied[rows[0].index("card")] = "supply_chain"
    rows.append(copied)
    path = _write(tmp_path / "t.cases.csv", rows)
    error = _error(ksf.load(TEAM), path)
    assert error.message.startswith(f"{path}: two cases have one id (E01) in the same period")
    assert (error.column, error.labels) == ("employee", ("2", "6"))
    assert str(error).endswith("(column 'employee')\n  lines: 2, 6")
    assert error.render("zh").startswith(f"数据错误：{path}：同一期间中有两个用例的编号相同（E01）")


def test_one_id_once_a_period(tmp_path: Path) -> None:
    """E01 in July and in August (a period column): two cases, both run."""
    rows = _team_rows()
    rows[0].append("period")
    for row in rows[1:]:
        row.append("2026-07")
    again = [*rows[1][:-1], "2026-08"]
    rows.append(again)
    report = run_cases(ksf.load(TEAM), read_cases(_write(tmp_path / "t.cases.csv", rows)))
    assert len(report.labels) == 5
    assert report.passed  # E01's inputs, hence its 11,646.21, are the same in August


def test_a_case_expecting_nothing(tmp_path: Path) -> None:
    """A case with every expected cell blank checks nothing: refused."""
    rows = _team_rows()
    for k, name in enumerate(rows[0]):
        if name.startswith("expected_"):
            rows[2][k] = ""
    error = _error(ksf.load(TEAM), _write(tmp_path / "t.cases.csv", rows))
    assert "a case with no expected amount" in error.message
    assert error.labels == ("3",)


def test_no_expected_column(tmp_path: Path) -> None:
    """A sheet of inputs alone says nothing to check."""
    path = _write(tmp_path / "t.cases.csv", [["employee", "card"], ["E01", "operator"]])
    assert "no expected_total or expected_<line> column" in _error(ksf.load(TEAM), path).message


def test_a_missing_input_value(tmp_path: Path) -> None:
    """An empty ad_spend for E02 is the data error a payroll gives, at the sheet's line 3."""
    error = _error(ksf.load(TEAM), _edited(tmp_path, "E02", "ad_spend", ""))
    assert error.labels == ("3 (E02)",)
    assert error.column == "ad_spend"
    assert error.message.startswith(str(tmp_path / "team.cases.csv"))
    assert str(error).endswith("\n  lines: 3 (E02)")


def test_a_row_longer_than_the_header(tmp_path: Path) -> None:
    """An unquoted 6,828.00 splits into two cells: refused, never read as 6."""
    text = TEAM_CASES.read_text(encoding="utf-8").replace(",6828.00,", ",6,828.00,")
    (tmp_path / "t.cases.csv").write_text(text, encoding="utf-8")
    error = _error(ksf.load(TEAM), tmp_path / "t.cases.csv")
    assert "a row has another number of cells" in error.message
    assert error.labels == ("4",)


# ---- YAML ---------------------------------------------------------------------------------

YAML_CASES = """\
# E01 and E07 of seed003_sales_commission, for engineers
- id: E01
  card: operator
  note: 1,000,000 × 0.75% = 7500 × 1.0; total 15000
  input: {sales: 1000000, perf_score: 85}
  expected: {total: 15000, commission_sales: 7500}
- id: E07
  card: operator_retroactive
  input: {sales: 1000000, perf_score: 85}
  expected: {total: "17,500.00"}
"""


def test_yaml_cases(tmp_path: Path) -> None:
    """A YAML list of cases runs as a sheet does; each case is named by its first line."""
    pytest.importorskip("yaml")
    (tmp_path / "s.cases.yaml").write_text(YAML_CASES, encoding="utf-8")
    sheet = read_cases(tmp_path / "s.cases.yaml")
    assert sheet.rows == (2, 7)
    report = run_cases(ksf.load(SALES), sheet)
    assert report.passed
    assert report.labels == ("E01 (line 2 of s.cases.yaml)", "E07 (line 7 of s.cases.yaml)")


def test_yaml_key_a_case_does_not_take(tmp_path: Path) -> None:
    """`expect:` for `expected:` is refused at its case's line, not ignored."""
    pytest.importorskip("yaml")
    (tmp_path / "s.cases.yaml").write_text(
        YAML_CASES.replace('  expected: {total: "17', '  expect: {total: "17'), encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"line 7: a case takes id, card, .* not `expect`"):
        read_cases(tmp_path / "s.cases.yaml")


# ---- JUnit XML ----------------------------------------------------------------------------


def test_junit_xml_escapes_and_counts(tmp_path: Path) -> None:
    """One failure of four; an id with <, & and an escape character stays well-formed XML."""
    edited = _edited(tmp_path, "E02", "expected_promo_roi", "3100")
    text = edited.read_text(encoding="utf-8").replace("\nE03,", '\n"E03<&\x1b>",')
    edited.write_text(text, encoding="utf-8")
    assert main(["test", str(TEAM), str(edited), "--junit", str(tmp_path / "j.xml")]) == 1
    root = ET.parse(tmp_path / "j.xml").getroot()  # noqa: S314 - the file this test wrote
    [suite] = root
    assert (suite.get("tests"), suite.get("failures")) == ("4", "1")
    names = [case.get("name") for case in suite]
    assert names[2] == "E03<&\\x1b> (line 4 of team.cases.csv)"
    [failed] = [case for case in suite if case.find("failure") is not None]
    failure = failed.find("failure")
    assert failure is not None
    assert failure.get("message", "").endswith("promo_roi expected 3,100.00, got 3,000.00")
    assert "plus the pot 1,500.00 = 3,300" in (failure.text or "")


def test_junit_names_a_sheet_with_a_mistake(tmp_path: Path) -> None:
    """A sheet that cannot run is a JUnit <error> (not a <failure>) beside a wrong amount's."""
    mistake = _edited(tmp_path, "E03", "expected_total", "about 6800")
    wrong = _write(tmp_path / "wrong.cases.csv", _team_rows())
    rows = _team_rows()
    rows[2][rows[0].index("expected_promo_roi")] = "3100"  # E02: 3,000 is paid
    _write(wrong, rows)
    junit = tmp_path / "j.xml"
    assert main(["test", str(TEAM), str(mistake), str(wrong), "--junit", str(junit)]) == 1
    broken, failing = ET.parse(junit).getroot()  # noqa: S314 - the file this test wrote
    assert (broken.get("tests"), broken.get("errors"), broken.get("failures")) == ("1", "1", "0")
    [case] = broken
    [error] = case
    assert error.tag == "error"
    assert "holds text where an amount is expected (about 6800)" in error.get("message", "")
    assert (failing.get("errors"), failing.get("failures")) == ("0", "1")
    assert [child.tag for case in failing for child in case] == ["failure"]


# ---- the command --------------------------------------------------------------------------


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No sheet beside the rules, a sheet of another format, --init without -o: exit 2."""
    shutil.copy(TEAM, tmp_path / "pay.ksf")
    assert main(["test", str(tmp_path / "pay.ksf")]) == 2
    assert "no case sheet beside" in capsys.readouterr().err
    assert main(["test", str(TEAM), str(tmp_path / "cases.json")]) == 2
    assert "a case sheet is .csv, .xlsx or .yaml" in capsys.readouterr().err
    assert main(["test", str(TEAM), str(tmp_path / "old.cases.xls"), "--lang", "zh"]) == 2
    assert "是旧版 Excel 工作簿（.xls），ksf 不读取；请在 Excel 中另存为" in capsys.readouterr().err
    assert main(["test", "--init", str(TEAM), str(GOLDEN / "seed000_team.csv")]) == 2
    assert main(["test", str(TEAM), "-o", "x.csv"]) == 2
    assert "-o goes with --init" in capsys.readouterr().err
    assert main(["test", str(TEAM), str(TEAM_CASES), "--sheet", "7月"]) == 2
    assert "is not a workbook" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".yaml"])
def test_init_writes_a_sheet_that_passes(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--init: the columns the cards read, the payroll's amounts as expected_; it passes as is."""
    pytest.importorskip("openpyxl")
    pytest.importorskip("yaml")
    data = tmp_path / "july.csv"
    rows = list(csv.reader(io.StringIO(SALES.with_suffix(".csv").read_text(encoding="utf-8"))))
    _write(data, [[*row, "team lead" if k else "remark"] for k, row in enumerate(rows)])
    out = tmp_path / f"pay.cases{suffix}"
    assert main(["test", "--init", str(SALES), str(data), "-o", str(out)]) == 0
    assert "10 cases to check" in capsys.readouterr().err
    sheet = read_cases(out)
    # no `remark` (no card reads it); blank where a case's card has no such line
    assert "remark" not in sheet.cells
    assert {c for c in sheet.cells if c.startswith("expected_")} == {
        "expected_base",
        "expected_commission_sales",
        "expected_growth_commission",
        "expected_total",
    }
    report = run_cases(ksf.load(SALES), sheet)
    assert report.passed
    assert amount(sheet.cells["expected_total"][7]) == Decimal("14999.99")


def test_init_never_replaces_an_edited_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--init onto an existing sheet is refused (exit 2), the sheet kept; --force replaces it."""
    out = tmp_path / "pay.cases.csv"
    out.write_text("employee,expected_total\nE01,2900\n", encoding="utf-8")
    data = SALES.with_suffix(".csv")
    assert main(["test", "--init", str(SALES), str(data), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "employee,expected_total\nE01,2900\n"
    assert main(["test", "--init", str(SALES), str(data), "-o", str(out), "--force"]) == 0
    assert "expected_commission_sales" in out.read_text(encoding="utf-8")


def test_yaml_without_pyyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without PyYAML a YAML sheet says what to install; the command exits 2 (usage)."""
    monkeypatch.setitem(sys.modules, "yaml", None)  # `import yaml` now fails
    (tmp_path / "s.cases.yaml").write_text(YAML_CASES, encoding="utf-8")
    with pytest.raises(ImportError, match=r"needs PyYAML: pip install 'ksf\[yaml\]'"):
        read_cases(tmp_path / "s.cases.yaml")
    assert main(["test", str(SALES), str(tmp_path / "s.cases.yaml")]) == 2


def test_a_column_almost_named_expected(tmp_path: Path) -> None:
    """`Expected total` would be read as an input and check nothing: refused, renamed for you."""
    rows = _team_rows()
    rows[0][rows[0].index("expected_total")] = "Expected total"
    error = _error(ksf.load(TEAM), _write(tmp_path / "t.cases.csv", rows))
    assert error.message.endswith(
        "column `Expected total` looks like an expected amount, but only a column named "
        "expected_<line> is checked: name it `expected_total`"
    )


def test_a_misspelt_input_column_is_suggested(tmp_path: Path) -> None:
    """`ad_spnd` for `ad_spend`: the missing input, and the column the sheet has, suggested."""
    rows = _team_rows()
    rows[0][rows[0].index("ad_spend")] = "ad_spnd"
    error = _error(ksf.load(TEAM), _write(tmp_path / "t.cases.csv", rows))
    assert error.message.endswith("did you mean 'ad_spnd'?")
    assert error.column == "ad_spend"


def test_params_the_same_for_every_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--param: a scalar the rules name; 8% of a 100,000 profit over 50,000 = 4,000."""
    (tmp_path / "p.ksf").write_text(
        "card c {\n  base 3000\n  bonus 8% of (profit - last_year_profit) when profit > "
        "last_year_profit as growth\n}\n",
        encoding="utf-8",
    )
    (tmp_path / "p.cases.csv").write_text(
        "employee,profit,expected_growth,expected_total,note\n"
        "E1,100000,4000,7000,8% × (100000 − 50000) = 4000\n"
        "E2,40000,0,3000,below last year: no bonus\n",
        encoding="utf-8",
    )
    rules = str(tmp_path / "p.ksf")
    assert main(["test", rules, "--param", "last_year_profit=50,000"]) == 0
    assert capsys.readouterr().out.endswith("p.cases.csv: 2 cases passed\n")
    assert main(["test", rules]) == 1  # without it, last_year_profit is an input left out
    assert "card c reads `last_year_profit`" in capsys.readouterr().err


def test_an_input_formula_never_computed(tmp_path: Path) -> None:
    """A workbook written by a program: =1000000 in `sales` has no saved value; refused."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(SALES_CASES)
    book.active["D3"] = "=1000000*1.2"  # E02's sales, sheet row 3; openpyxl saves no value
    book.save(tmp_path / "u.cases.xlsx")
    with pytest.raises(DataError, match="formula cells have no saved value") as caught:
        read_cases(tmp_path / "u.cases.xlsx")
    assert (caught.value.column, caught.value.labels) == ("sales", ("3",))


def test_a_warning_is_printed_once_a_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A promo_roi column in two sheets hides the file's indicator: one warning, not two."""
    rows = _team_rows()
    rows[0].append("promo_roi")
    for row in rows[1:]:
        row.append("3.5")
    first = _write(tmp_path / "a.cases.csv", rows)
    second = _write(tmp_path / "b.cases.csv", rows)
    assert main(["test", str(TEAM), str(first), str(second)]) == 0
    captured = capsys.readouterr()
    said = "warning: the data has a column `promo_roi`, but this file's indicator is used instead"
    assert captured.err.count(said) == 1
    assert captured.out.count("4 cases passed") == 2
    assert main(["test", str(TEAM), str(first), "--lang", "zh"]) == 0
    assert capsys.readouterr().err.count("警告: 数据中有列 `promo_roi`") == 1
