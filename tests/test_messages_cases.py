"""``ksf test``'s messages in Chinese: a case sheet's mistakes and the report of a run.

Each expected text is the catalogue's Chinese (ksf/catalogue/cases.py) filled in by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ksf
from ksf.cases import run_cases
from ksf.cli import main
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


ZH_RULES = """\
language zh
指标 毛利率 = (销售额 - 成本) / 销售额  percent 越高越好

计薪卡 运营 "运营推广" {
  底薪 4000
  毛利率 平衡点 25% 每 1% 奖励 150 扣减 100 封顶 2500 保底 -1000
  最低工资 2360
}

计薪卡 组长 {
  底薪 8000
  毛利率 平衡点 25% 每 1% 奖励 300 扣减 200
}
"""


def _zh_run(tmp_path: Path, text: str) -> DataError | str:
    (tmp_path / "工资.cases.csv").write_text(text, encoding="utf-8")
    book = ksf.compile(ZH_RULES, name="工资.ksf")
    try:
        return run_cases(book, read_cases(tmp_path / "工资.cases.csv")).text()
    except DataError as error:
        return error


def test_lines_named_as_the_chinese_report_names_them(tmp_path: Path) -> None:
    """expected_底薪, expected_保底补足 and expected_合计 check base, the top-up and the total.

    E1: margin 23% → −2 steps × 100 = −200; 4,000 − 200 = 3,800, no top-up; the sheet says
    3,700, so the total (合计) fails and the base (底薪 4,000) and top-up (0) pass.
    """
    said = _zh_run(
        tmp_path,
        "工号,card,销售额,成本,expected_底薪,expected_保底补足,expected_合计\n"
        "E1,运营,860000,662200,4000,0,3700\n",
    )
    assert isinstance(said, str)
    assert said.startswith(
        "未通过 E1（工资.cases.csv 第 2 行），计薪卡 运营：合计 应为 3,700.00，实际 3,800.00\n"
    )
    assert "底薪 应为" not in said
    assert "保底补足 应为" not in said


def test_an_expected_amount_headed_in_chinese_is_named(tmp_path: Path) -> None:
    """应发合计 would be read as an input and check nothing: refused, expected_合计 offered."""
    error = _zh_run(tmp_path, "工号,card,销售额,成本,应发合计\nE1,运营,1,1,4000\n")
    assert isinstance(error, DataError)
    assert error.render("zh").endswith("请改名为 `expected_total`")


def test_one_line_checked_by_two_columns_is_refused(tmp_path: Path) -> None:
    """expected_合计 and expected_total are one line: which figure is meant? Refused."""
    text = "工号,card,销售额,成本,expected_合计,expected_total\nE1,运营,1,1,4000,4000\n"
    error = _zh_run(tmp_path, text)
    assert isinstance(error, DataError)
    assert error.render("zh") == (
        f"数据错误：{tmp_path / '工资.cases.csv'}：列 `expected_total` 与另一列核对的是同一个"
        "项目 total；请只保留一列"
    )


def test_a_card_column_headed_in_chinese_is_named(tmp_path: Path) -> None:
    """A 计薪卡 column is not the card column (as in data): told to rename it, not --card."""
    error = _zh_run(tmp_path, "工号,计薪卡,销售额,成本,expected_合计\nE1,运营,1,1,4000\n")
    assert isinstance(error, DataError)
    assert error.render("zh") == (
        f"数据错误：{tmp_path / '工资.cases.csv'}：`计薪卡` 列不会被当作用例所用的计薪卡读取；"
        "请把列名改为 `card`"
    )
    error = _zh_run(tmp_path, "工号,销售额,成本,expected_合计\nE1,1,1,4000\n")
    assert isinstance(error, DataError)
    assert "--card" not in error.render("zh")
    assert error.render("en").endswith(
        "the rule file has several cards (运营, 组长); add a column `card` naming each case's card"
    )


def test_init_heads_a_chinese_sheet_as_the_report_names_lines(tmp_path: Path) -> None:
    """--init for a `language zh` file: expected_底薪 … expected_合计 and 备注; it then passes."""
    pytest.importorskip("openpyxl")
    import openpyxl

    (tmp_path / "工资.ksf").write_text(ZH_RULES, encoding="utf-8")
    (tmp_path / "七月.csv").write_text(
        "工号,card,销售额,成本\nE1,运营,1250000,906250\nL1,组长,5000000,3500000\n",
        encoding="utf-8",
    )
    out = tmp_path / "新.cases.xlsx"
    assert main(["test", "--init", str(tmp_path / "工资.ksf"), str(tmp_path / "七月.csv"),
                 "-o", str(out)]) == 0  # fmt: skip
    header = next(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert header == (
        "工号", "card", "销售额", "成本",
        "expected_底薪", "expected_毛利率", "expected_保底补足", "expected_合计", "备注",
    )  # fmt: skip
    assert main(["test", str(tmp_path / "工资.ksf"), str(out)]) == 0


def test_a_computed_indicator_given_as_a_column_is_explained(tmp_path: Path) -> None:
    """A 毛利率 column instead of 销售额 and 成本: the missing input, and why 毛利率 is not read."""
    error = _zh_run(tmp_path, "工号,card,毛利率,expected_合计\nE1,运营,27.5%,4300\n")
    assert isinstance(error, DataError)
    assert error.render("zh") == (
        f"数据错误：{tmp_path / '工资.cases.csv'}：计薪卡 运营 需要读取 `销售额`，"
        "但用例表没有 `销售额` 列；请加上这一列并填写每个用例的值"
        "（用例表中的 `毛利率` 列不会被读取：规则文件会用它的输入列自行计算）\n  文件行：2"
    )
