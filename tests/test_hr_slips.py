"""The slips of an HR manager writing rules in a Chinese Windows editor, end to end.

Each test runs the ``ksf`` command on files as such an editor and Excel save them: a BOM,
CRLF line ends, tab indents, full-width digits, GBK, thousands commas in quoted cells.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ksf.cli import main

RULES = """\
card 天猫运营 "天猫运营" {
  base by 职级 { A: 7500, B: 6000 }
  commission 销售额 rate 0.75%
  毛利率 balance 20% step 1% reward 200 penalty 100
}
"""
# 007: 7500 + 1,200,000 × 0.75% = 9000 + (33% − 20%) = 13 steps × 200 = 2600 → 19100.
# 008: 6000 +   800,000 × 0.75% = 6000 + (18% − 20%) = −2 steps × 100 = −200 → 11800.
PAYROLL = """\
id,card,base,commission_销售额,毛利率,total
007,天猫运营,7500.00,9000.00,2600.00,19100.00
008,天猫运营,6000.00,6000.00,-200.00,11800.00
"""
# "CSV UTF-8" from Excel: a BOM, CRLF, quoted thousands, percentages, a trailing empty column.
EXCEL_CSV = '\ufeff工号,职级,销售额,毛利率,\r\n007,A,"1,200,000",33%,\r\n008,B,"800,000",18%,\r\n'


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def excel_csv(tmp_path: Path) -> Path:
    path = tmp_path / "八月.csv"
    path.write_bytes(EXCEL_CSV.encode("utf-8"))
    return path


def test_rules_as_a_windows_editor_saves_them(
    tmp_path: Path, excel_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A BOM, CRLF, tab indents and full-width digits give the same payroll as the plain file."""
    # BOM, CRLF, tab indents and full-width digits typed by the IME: the same pay.
    text = RULES.replace("  ", "\t").replace("20%", "２０%").replace("\n", "\r\n")
    rules = tmp_path / "提成.ksf"
    rules.write_bytes(("\ufeff" + text).encode("utf-8"))
    assert run(capsys, "run", rules, excel_csv) == (0, PAYROLL, "")


def test_rules_saved_as_gbk_ask_for_utf8(
    tmp_path: Path, excel_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A GBK rule file fails `ksf check`: "not UTF-8 text", with a hint to save it as UTF-8."""
    rules = tmp_path / "提成.ksf"
    rules.write_bytes(RULES.encode("gbk"))
    code, out, err = run(capsys, "check", rules)
    assert (code, out) == (1, "")
    assert "error: the file is not UTF-8 text" in err
    assert "hint: save the file as UTF-8; it reads as GBK" in err


def test_a_csv_saved_as_gbk_asks_for_csv_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A GBK data file fails, naming the Excel choice: 'CSV UTF-8 (Comma delimited)'."""
    rules = tmp_path / "提成.ksf"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / "八月.csv"
    data.write_bytes(EXCEL_CSV.removeprefix("\ufeff").encode("gbk"))
    code, _, err = run(capsys, "run", rules, data)
    assert code == 1
    assert "the file is not UTF-8; in Excel save it as 'CSV UTF-8 (Comma delimited)'" in err


def test_a_column_missing_from_the_export_is_named_at_its_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A column the export lacks is an unknown name at its rule, line 4 column 3, caret under it."""
    rules = tmp_path / "提成.ksf"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / "八月.csv"
    data.write_text("工号,职级,销售额\n007,A,1200000\n", encoding="utf-8")
    code, _, err = run(capsys, "check", rules, "--data", data)
    assert code == 1
    # Line 4, column 3: the indicator name, under which the caret spans 3 × 2 columns.
    assert f"{rules}:4:3: error: unknown name `毛利率`" in err
    assert "  |   ^^^^^^\n" in err


def test_an_unknown_card_in_the_data_names_the_employee(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A card the rule file lacks is an error naming the cards it has and the employee, 007."""
    rules = tmp_path / "提成.ksf"
    rules.write_text(RULES, encoding="utf-8")
    data = tmp_path / "八月.csv"
    data.write_text("工号,card,职级,销售额,毛利率\n007,天猫运营2,A,1,20%\n", encoding="utf-8")
    code, _, err = run(capsys, "run", rules, data)
    assert code == 1
    assert "unknown card '天猫运营2'; the rule file has: 天猫运营" in err
    assert "employees: 007" in err
