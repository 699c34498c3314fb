"""``ksf test``'s messages in Chinese: a case sheet's mistakes and the report of a run.

Each expected text is the catalogue's Chinese (ksf/catalogue/cases.py) filled in by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ksf
from ksf.cases import run_cases
from ksf.errors import DataError
from ksf.io.read_cases import read_cases

RULES = """\
indicator ad_roi = promo_sales / ad_spend higher_is_better

card operator {
  base 4000
  ad_roi balance 3 step 0.1 reward 60 penalty 80 floor 0
}
"""


def _error(tmp_path: Path, text: str, name: str = "工资.cases.csv") -> DataError:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        run_cases(ksf.compile(RULES, name="工资.ksf"), read_cases(tmp_path / name))
    return caught.value


def test_unknown_expected_column_in_chinese(tmp_path: Path) -> None:
    """A misspelt expected_ column: the lines listed, the close column suggested, in Chinese."""
    error = _error(tmp_path, "employee,promo_sales,ad_spend,expected_ad_rio\nE1,210000,75000,0\n")
    assert error.render("zh") == (
        f"数据错误：{tmp_path / '工资.cases.csv'}：列 `expected_ad_rio` 不是任何计薪卡的项目"
        "（项目有：base, ad_roi, total）；是不是要写 'expected_ad_roi'？"
    )


def test_input_left_out_in_chinese(tmp_path: Path) -> None:
    """A column the card reads, missing: named in the message (not again after it), line 2."""
    error = _error(tmp_path, "employee,promo_sales,expected_total\nE1,210000,4000\n")
    assert error.render("zh") == (
        f"数据错误：{tmp_path / '工资.cases.csv'}：计薪卡 operator 需要读取 `ad_spend`，"
        "但用例表没有 `ad_spend` 列；请加上这一列并填写每个用例的值\n"
        "  文件行：2"
    )


def test_text_in_an_amount_in_chinese(tmp_path: Path) -> None:
    """Text where an amount goes: the cell quoted, an example of a number given."""
    error = _error(tmp_path, "employee,promo_sales,ad_spend,expected_total\nE1,1,1,约4000\n")
    assert error.render("zh") == (
        f"数据错误：{tmp_path / '工资.cases.csv'}："
        "`expected_total` 中应为金额，却是文字（约4000）；"
        "请写数字，例如 1,234.50\n"
        "  文件行：2"
    )


def test_yaml_key_in_chinese(tmp_path: Path) -> None:
    """A YAML case with a key it does not take: the line and the six keys, in Chinese."""
    pytest.importorskip("yaml")
    (tmp_path / "c.cases.yaml").write_text("- id: E1\n  expect: {total: 1}\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_cases(tmp_path / "c.cases.yaml")
    assert caught.value.render("zh") == (
        f"数据错误：{tmp_path / 'c.cases.yaml'} 第 1 行：用例只能有 id、card、period、note、"
        "input 和 expected，不能有 `expect`"
    )


def test_passing_report_in_chinese(tmp_path: Path) -> None:
    """All cases pass: one line, in Chinese (E1: ROI 2.8 → −160 → floor 0; 4,000)."""
    (tmp_path / "p.cases.csv").write_text(
        "employee,promo_sales,ad_spend,expected_total\nE1,210000,75000,4000\n", encoding="utf-8"
    )
    report = run_cases(ksf.compile(RULES), read_cases(tmp_path / "p.cases.csv"), lang="zh")
    assert report.text() == f"{tmp_path / 'p.cases.csv'}：1 个用例通过\n"


def test_report_in_the_rule_files_language(tmp_path: Path) -> None:
    """`language zh` in the rule file: the report is Chinese without being asked (E1 4,000)."""
    (tmp_path / "p.cases.csv").write_text(
        "employee,promo_sales,ad_spend,expected_total\nE1,210000,75000,4100\n", encoding="utf-8"
    )
    book = ksf.compile("language zh\n" + RULES)
    report = run_cases(book, read_cases(tmp_path / "p.cases.csv"))
    assert report.text().startswith(
        "未通过 E1（p.cases.csv 第 2 行），计薪卡 operator：合计 应为 4,100.00，实际 4,000.00\n"
    )


@pytest.mark.parametrize(
    ("sheet", "column"),
    [
        ("employee,promo_sales,ad_spend,expected_ad_rio\nE1,210000,75000,0\n", "expected_ad_rio"),
        ("employee,promo_sales,expected_total\nE1,210000,4000\n", "ad_spend"),
        ("employee,promo_sales,ad_spend,expected_total\nE1,1,1,about 4000\n", "expected_total"),
        ("employee,promo_sales,ad_spend,expected_total\nE1,1,1,4000.005\n", "expected_total"),
        ("employee,promo_sales,ad_spend,expect_total\nE1,1,1,4000\n", "expect_total"),
    ],
    ids=["unknown line", "input left out", "text amount", "finer than a cent", "near name"],
)
def test_a_sheet_mistake_names_its_column_once(tmp_path: Path, sheet: str, column: str) -> None:
    """The message names the column; no `(column '…')` repeats it, in English or Chinese."""
    error = _error(tmp_path, sheet)
    assert error.column == column  # still there for a program to read
    en, zh = error.render("en"), error.render("zh")
    assert f"`{column}`" in en
    assert f"`{column}`" in zh
    assert f"(column '{column}')" not in en
    assert f"（列 '{column}'）" not in zh
