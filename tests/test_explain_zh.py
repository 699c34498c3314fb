"""Explanations, tables and payslip sheets in Chinese: ``lang="zh"``, ``--lang zh``, ``语言 zh``.

Every phrase comes from `ksf.explain_words`; the English explanation is pinned byte for byte
by tests/test_explain.py, so these tests check the Chinese one and the switches.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import attrs
import numpy as np
import pytest

import ksf
from ksf.cli import main
from ksf.explain_words import PHRASES, Phrase, line_word, say
from ksf.payslip import payslip
from ksf.rule_text import format_text

# Every line kind in one card, written in English and rewritten in Chinese keywords by
# `ksf fmt --lang zh`: the Chinese file's only English words are then the names it defines.
ALL_KINDS_EN = """
language zh
indicator gross_margin "毛利率" = (revenue - cogs) / revenue percent higher_is_better
table perf {
  >= 90 : 1.2
  else : 0
}
score kpi {
  sales_att weight 100% baseline 90% target 100% challenge 110%
  points 60 100 120
}
pool partners per team { profit above 100000 share 20%; split by w; cap 50000 }
card operator "运营推广" {
  missing as zero
  base by grade { A: 5000, B: 3000 }
  allowance 300 as meals
  gross_margin balance 25% step 1% reward 200 cap 3000 floor -1000 as margin_pay
  commission sales rate 1% beyond 100000 rate 2% as sales_pay
  commission sales rate 1% beyond 100000 rate 2% retroactive scaled_by perf(kpi) as retro_pay
  bonus 500 scaled_by perf(kpi) when sales > 50000 as kpi_bonus
  bonus sum(sales over team) * 0.1% as team_bonus
  bonus 10% of sales_pay as extra
  share partners
  min_pay 9000
}
"""
ALL_KINDS_ZH = format_text(ALL_KINDS_EN, lang="zh")
DATA = {
    "employee": ["E001", "E002", "E003"],
    "grade": ["A", "B", "B"],
    "team": ["t1", "t1", "t1"],
    "w": [3, 1, 0],
    "revenue": [100_000, 100_000, np.nan],  # E003: no revenue, `missing as zero`
    "cogs": [71_000, 80_000, np.nan],
    "sales": [120_005, 0, 0],
    "sales_att": [1.05, 0.8, 0.8],
}
PARAMS = {"profit": 150_000}


@pytest.fixture(scope="module")
def pay() -> ksf.Payroll:
    """The all-kinds card on three rows."""
    return ksf.compile(ALL_KINDS_ZH).evaluate(DATA, params=PARAMS)


def test_balance_rule_in_chinese() -> None:
    """A balance line: 29% against 25% by steps of 1% is +4 steps, 4 × 200 = 800."""
    book = ksf.compile(
        "card operator {\n  base 3000\n  gross_margin balance 25% step 1% reward 200 cap 3000\n}\n"
    )
    pay = book.evaluate({"employee": ["E002"], "gross_margin": [0.29]})
    # (29% − 25%) / 1% = 4 whole steps; 4 × 200 = 800 under the cap of 3,000;
    # total 3,000 + 800 = 3,800.
    assert pay.explain("E002", lang="zh") == (
        "员工 E002（第 1 行），计薪卡 operator\n"
        "底薪：3,000.00\n"
        "    固定金额 3,000.00\n"
        "gross_margin：800.00\n"
        "    数值：\n"
        "        gross_margin = 0.29\n"
        "    平衡点 0.25，每档 0.01，越高越好：(0.29 − 0.25) / 0.01 = +4 档 → +4 整档\n"
        "    档数计酬 4 × 200 = 800\n"
        "    封顶 3,000：未触及\n"
        "合计：3,800.00 元（各项取整后相加）"
    )


def test_commission_with_tiers_in_chinese(pay: ksf.Payroll) -> None:
    """Marginal: 100,000 × 1% + 20,005 × 2% = 1,400.10; retroactive: the whole at 2% × 1.2."""
    text = pay.explain("E001", lang="zh")
    assert (
        "sales_pay：1,400.10\n"
        "    基数：\n"
        "        sales = 120,005\n"
        "    提成比例 1%，超过 100,000 部分 2%（超额累进） → 1,400.1\n"
        "        100,000 × 1% + 20,005 × 2% = 1,400.1\n"
    ) in text
    # kpi: sales_att 105% is halfway from target 100% (100 points) to challenge 110% (120)
    # → 110 points ≥ 90 → perf 1.2; 120,005 × 2% = 2,400.1; × 1.2 = 2,880.12
    assert "        全额 120,005 × 2% = 2,400.1\n" in text
    assert "            kpi：sales_att = 1.05 → 110 分 × 100%\n" in text
    assert "    2,400.1 × 1.2 = 2,880.12\n" in text
    assert pay["retro_pay"][0] == pytest.approx(2880.12, abs=1e-9)


def test_bonus_in_chinese(pay: ksf.Payroll) -> None:
    """A scaled bonus: 500 × 1.2 = 600 when sales > 50,000; E002's condition fails: 0."""
    assert (
        "kpi_bonus：600.00\n"
        "    金额：\n"
        "        500 = 500\n"
        "    乘以系数：\n"
        "        perf(kpi) = 1.2\n"
    ) in pay.explain("E001", lang="zh")
    assert "    500 × 1.2 = 600\n    条件成立：\n" in pay.explain("E001", lang="zh")
    assert "    条件不成立：\n        sales > 50000 = 0\n" in pay.explain("E002", lang="zh")


def test_rounding_and_group_in_chinese(pay: ksf.Payroll) -> None:
    """sum(sales over team) = 120,005; × 0.1% = 120.005, half-up to the cent → 120.01."""
    text = pay.explain("E001", lang="zh")
    assert "sum(sales 按 team)：分组 team = t1，3 行 → 合计 120,005\n" in text
    assert "    120.005 按 0.01 四舍五入 → 120.01\n" in text
    assert "            其中 项目 sales_pay = 1,400.10\n" in text  # 10% of it: 140.01


def test_pool_share_in_chinese(pay: ksf.Payroll) -> None:
    """(150,000 − 100,000) × 20% = 10,000 under the cap 50,000; weights 3:1:0 → 7,500."""
    assert (
        "partners：7,500.00\n"
        "    奖金池 partners（分组 t1）：基数 profit = 150,000\n"
        "        (150,000 − 100,000，不低于 0) × 20% = 10,000\n"
        "        封顶 50,000：未触及\n"
        "        奖金池 10,000.00\n"
        "    权重 3（共 4）：10,000.00 × 3 / 4 = 7,500，按最大余数法分到取整单位\n"
    ) in pay.explain("E001", lang="zh")


def test_min_pay_topup_in_chinese(pay: ksf.Payroll) -> None:
    """E002: 3,000 + 300 − 1,000 + 120.01 + 2,500 = 4,920.01, topped up by 4,079.99 to 9,000."""
    text = pay.explain("E002", lang="zh")
    assert text.endswith(
        "保底补足：4,079.99\n"
        "    最低工资 9,000.00；各项合计 4,920.01，低于最低工资：补足 4,079.99\n"
        "合计：9,000.00 元（各项取整后相加）"
    )


def test_missing_policy_in_chinese(pay: ksf.Payroll) -> None:
    """E003 has no revenue: `缺失按 零` reads the margin as 0%, floored at -1,000."""
    text = pay.explain("E003", lang="zh")
    assert "margin_pay：-1,000.00\n    有值缺失；计薪卡规定 `缺失按 零`\n" in text
    assert "毛利率 = (revenue - cogs) / revenue = 缺失\n" in text  # by its label
    # (0% − 25%) / 1% = −25 steps; −25 × 200 = −5,000, below the floor −1,000
    assert "    保底 -1,000，封顶 3,000：已生效：-5,000 → -1,000\n" in text


def test_no_english_word_is_left_in_a_chinese_explanation(pay: ksf.Payroll) -> None:
    """Every ASCII word of a Chinese explanation is a name from the rule file or the data."""
    names = set(re.findall(r"[A-Za-z_]\w*", ALL_KINDS_ZH))
    names |= {str(v) for column in ("employee", "team") for v in DATA[column]}
    for row in range(len(pay)):
        left = set(re.findall(r"[A-Za-z_]\w*", pay.explain(row, lang="zh"))) - names
        assert not left, (row, left)
    # the rule file is all Chinese keywords: none of the English ones whitelisted the words
    assert not {"balance", "step", "base", "total", "rate", "pool", "cap"} & names


# The line kinds and clauses the card above leaves out: a decision matrix, a pot with
# prorated steps, `subtotal`, a condition equal only up to float noise.
MORE_KINDS_EN = """
table coef(grade, s) {
  A, >= 70 : 1.5
  *, >= 70 : 1.0
  else     : 0.8
}
card operator {
  base 1000
  gross_margin pot 500 balance 25% step 1% reward 100 prorate as pot_pay
  bonus 100 scaled_by coef(grade, s) as matrix_bonus
  bonus 50 when x * 3 == 0.3 as near_bonus
  bonus -max(0, subtotal - 2000) as variable_cap
}
"""


def test_no_english_word_is_left_in_the_other_line_kinds() -> None:
    """Matrix, pot, prorate, subtotal and float-noise lines in Chinese keep only names."""
    zh = format_text(MORE_KINDS_EN, lang="zh")
    data = {"grade": ["A", "C"], "s": [80, 50], "gross_margin": [0.275, 0.2], "x": [0.1, 0.1]}
    pay = ksf.compile(zh).evaluate(data, params={})
    names = set(re.findall(r"[A-Za-z_]\w*", zh)) | {"C"}
    for row in range(len(pay)):
        text = pay.explain(row, lang="zh")
        assert not set(re.findall(r"[A-Za-z_]\w*", text)) - names, text
    text = pay.explain(0, lang="zh")
    # 27.5% is 2.5 prorated steps above 25%: 2.5 × 100 = 250, plus the pot 500 = 750
    assert "    加上分配额 500.00 = 750\n" in text
    assert "coef(grade = A, s = 80) → 第 1 行：A, >= 70 : 1.5 → 1.5" in text
    assert "在浮点误差内相等" in text  # 0.1 × 3 is 0.30000000000000004
    # 1,000 + 750 + 150 + 50 = 1,950, under 2,000: the cap line takes nothing back
    assert pay.total[0] == pytest.approx(1950.0, abs=1e-9)


def test_every_phrase_has_both_spellings_with_the_same_marks() -> None:
    """Each phrase has an English and a Chinese spelling naming the same {figures}."""
    marks = string.Formatter()
    for key, phrase in PHRASES.items():
        assert phrase.en, key
        assert phrase.zh, key
        en = {m for _, m, _, _ in marks.parse(phrase.en) if m}
        zh = {m for _, m, _, _ in marks.parse(phrase.zh) if m}
        assert en == zh, key
        words = re.findall(r"[A-Za-z_]+", re.sub(r"\{\w+\}", "", phrase.zh))
        assert set(words) <= {"ksf", "explain"}, (key, words)  # the command's own name
    with pytest.raises(TypeError):
        Phrase("only English")  # type: ignore[call-arg]
    assert attrs.has(Phrase)


def test_english_is_the_default_and_the_same_as_lang_en(pay: ksf.Payroll) -> None:
    """Without a `language` setting explain is English; lang="en" gives the same text."""
    english = ksf.compile(ALL_KINDS_EN.replace("language zh\n", ""))
    plain = english.evaluate(DATA, params=PARAMS)
    assert plain.language is None
    assert plain.explain(0) == plain.explain(0, lang="en")
    assert plain.explain(0).startswith("E001 (row 0), card operator")
    # 5,000 + 300 + 800 + 1,400.10 + 2,880.12 + 600 + 120.01 + 140.01 + 7,500 = 18,740.24
    assert plain.explain(0).endswith("total: 18,740.24 CNY (the sum of the rounded lines)")


def test_language_zh_sets_the_default(pay: ksf.Payroll) -> None:
    """`language zh` (and 语言 zh) makes Chinese the default; lang="en" still overrides."""
    assert pay.language == "zh"
    assert pay.explain(0) == pay.explain(0, lang="zh")
    assert pay.explain(0).startswith('员工 E001（第 1 行），计薪卡 operator "运营推广"')
    assert pay.explain(0, lang="en").startswith('E001 (row 0), card operator "运营推广"')
    assert ksf.compile("language en\ncard a { base 1 }").evaluate({"x": [1]}).language == "en"


def test_language_round_trips_through_fmt() -> None:
    """`ksf fmt` keeps the setting: language zh ↔ 语言 zh."""
    assert format_text("language zh\ncard a { base 1 }\n", lang="zh").startswith("语言 zh\n")
    assert format_text("语言 zh\ncard a { base 1 }\n", lang="en").startswith("language zh\n")


def test_an_unknown_language_is_a_located_error() -> None:
    """`language fr` is refused at its word, with the two languages there are."""
    with pytest.raises(ksf.KsfCompileError) as error:
        ksf.compile("language fr\ncard a { base 1 }", name="pay.ksf")
    assert "pay.ksf:1:10: error: unknown language `fr`" in str(error.value)
    assert "write `language zh` (Chinese) or `language en` (English)" in str(error.value)


def test_a_bad_lang_is_refused(pay: ksf.Payroll) -> None:
    """explain(lang="fr") is a ValueError naming the choices."""
    with pytest.raises(ValueError, match="'zh' or 'en'"):
        pay.explain(0, lang="fr")  # type: ignore[arg-type]


def test_payslip_audit_follows_its_language(pay: ksf.Payroll) -> None:
    """A payslip's audit section is `explain` in the payslip's language, rows counted from 1."""
    assert payslip(pay, 0).audit == pay.explain(0, lang="zh")  # the file's language zh
    english = pay.explain(0, lang="en")  # E001 (row 0): the number a program passes
    # A person counts the first row as row 1: only the heading differs.
    assert payslip(pay, 0, lang="en").audit == english.replace("(row 0)", "(row 1)", 1)


def test_chinese_rows_are_counted_from_one(pay: ksf.Payroll) -> None:
    """explain(1) in Chinese names the second row 第 2 行; English keeps the 0-based row 1."""
    assert pay.explain(1, lang="zh").startswith("员工 E002（第 2 行）")
    assert pay.explain(1, lang="en").startswith("E002 (row 1), card ")
    assert payslip(pay, 1, lang="zh").audit.startswith("员工 E002（第 2 行）")
    assert payslip(pay, 1, lang="en").audit.startswith("E002 (row 2), card ")
    at = payslip(pay, 1, lang="zh", where="七月.csv 第 3 行").audit  # header line 1, E002 line 3
    assert at.startswith("员工 E002（七月.csv 第 3 行）")


def test_payslips_name_the_file_line(files: Path) -> None:
    """`ksf payslip` from a CSV names each audit by its line in the file, as Excel shows it."""
    assert main(["payslip", "pay.ksf", "july.csv", "-o", "slips.html", "--lang", "en"]) == 0
    text = (files / "slips.html").read_text(encoding="utf-8")
    # july.csv: the header on line 1, E1 on line 2, E2 on line 3.
    assert "E1 (line 2 of july.csv), card seller" in text
    assert "E2 (line 3 of july.csv), card seller" in text
    assert main(["payslip", "pay.ksf", "july.csv", "-o", "zh.html", "--lang", "zh"]) == 0
    assert "员工 E2（july.csv 第 3 行），计薪卡 seller" in (files / "zh.html").read_text("utf-8")


def test_line_words() -> None:
    """The names ksf gives lines show in Chinese; a card's own names stay as written."""
    assert [line_word(n, "zh") for n in ("base", "min_pay_topup", "sales_pay")] == [
        "底薪",
        "保底补足",
        "sales_pay",
    ]
    assert say("en", "t_total") == "total"


RULES = "card seller {\n  base 3000\n  commission sales rate 1%\n}\n"
CSV = "employee,sales\nE1,100000\nE2,50000\n"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A rule file and a CSV in the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pay.ksf").write_text(RULES, encoding="utf-8")
    (tmp_path / "july.csv").write_text(CSV, encoding="utf-8")
    return tmp_path


def test_cli_explain_lang_zh(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf explain --lang zh`: the heading names the file line; 3,000 + 1% × 100,000 = 4,000."""
    assert main(["explain", "pay.ksf", "july.csv", "--employee", "E1", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("员工 E1（july.csv 第 2 行），计薪卡 seller\n底薪：3,000.00\n")
    assert out.endswith("合计：4,000.00 元（各项取整后相加）\n")
    assert main(["explain", "pay.ksf", "july.csv", "--row", "1"]) == 0
    assert capsys.readouterr().out.startswith("E2 (line 3 of july.csv), card seller")


def test_cli_run_lang_zh(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf run --lang zh --format table`: Chinese headings; 4,000 + 3,500 = 7,500 in all."""
    assert main(["run", "pay.ksf", "july.csv", "--format", "table", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "计薪卡 seller" in out
    assert "底薪" in out
    assert "合计（元）" in out
    assert out.endswith("合计：7,500.00 元\n")


def test_cli_follows_the_language_setting(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With `语言 zh` in the rule file, explain and run default to Chinese; --lang en wins."""
    (files / "pay.ksf").write_text("语言 zh\n" + RULES, encoding="utf-8")
    assert main(["explain", "pay.ksf", "july.csv", "--row", "1"]) == 0
    assert capsys.readouterr().out.startswith("员工 E2（july.csv 第 3 行）")
    assert main(["explain", "pay.ksf", "july.csv", "--row", "1", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("E2 (line 3 of july.csv)")
    assert main(["run", "pay.ksf", "july.csv", "--format", "table"]) == 0
    assert capsys.readouterr().out.endswith("合计：7,500.00 元\n")


def test_cli_demo_lang_zh(capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf demo --lang zh` prints the tables and the first explanation in Chinese."""
    assert main(["demo", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ksf 示例：27 张工资条")
    assert "第一张工资条的计算过程（ksf explain）：\n\n员工 E001（第 1 行）" in out


def test_xlsx_payslip_sheets_in_chinese(files: Path) -> None:
    """`ksf run -o pay.xlsx --lang zh`: the payslip sheet's headings and lines are Chinese."""
    openpyxl = pytest.importorskip("openpyxl")
    assert main(["run", "pay.ksf", "july.csv", "-o", "pay.xlsx", "--lang", "zh"]) == 0
    sheet = openpyxl.load_workbook(files / "pay.xlsx")["E1"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "员工 E1（july.csv 第 2 行），计薪卡 seller"  # line 1 is the header
    assert rows[1][0] == "金额单位：元"
    assert rows[3] == ("项目", "金额（元）", None, "计算过程")
    assert rows[4] == ("底薪", 3000, None, "固定金额 3,000.00")
    # the last row: 3,000 + 1% × 100,000 = 4,000
    assert rows[-1] == ("合计", 4000, None, "4,000.00 元（各项取整后相加）")


def test_xlsx_payroll_sheet_in_chinese(files: Path) -> None:
    """`--lang zh`: the payroll sheet's name, headings and total row are Chinese, none English."""
    openpyxl = pytest.importorskip("openpyxl")
    assert main(["run", "pay.ksf", "july.csv", "-o", "pay.xlsx", "--lang", "zh"]) == 0
    book = openpyxl.load_workbook(files / "pay.xlsx")
    assert book.sheetnames == ["工资表", "E1", "E2"]
    rows = list(book["工资表"].iter_rows(values_only=True))
    # the line commission_sales keeps its name (ksf names it); base is 底薪 in Chinese
    assert rows[0] == ("工号", "计薪卡", "底薪", "commission_sales", "合计")
    # E1: 3,000 + 1% × 100,000 = 4,000; E2: 3,000 + 1% × 50,000 = 3,500; 7,500 in all
    assert rows[1] == ("E1", "seller", 3000, 1000, 4000)
    assert rows[-1] == ("合计", None, 6000, 1500, 7500)
    english = {"id", "card", "base", "total", "payroll", "min_pay_topup"}
    words = {c for r in rows for c in r if isinstance(c, str)} | set(book.sheetnames)
    assert not english & words


def test_xlsx_payroll_sheet_labels_and_rows_in_chinese(tmp_path: Path) -> None:
    """A line named after a labelled indicator is headed by the label; rows count from 1."""
    openpyxl = pytest.importorskip("openpyxl")
    book = ksf.compile(LABELLED)
    pay = book.evaluate({"revenue": [100.0, 100.0], "cogs": [71.0, 75.0]})  # no ids
    ksf.io.write_payroll(pay, tmp_path / "pay.xlsx", lang="zh")
    workbook = openpyxl.load_workbook(tmp_path / "pay.xlsx")
    assert workbook.sheetnames == ["工资表", "第 1 行", "第 2 行"]
    head = next(workbook["工资表"].iter_rows(values_only=True))
    assert head == ("计薪卡", "底薪", "毛利率", "bonus", "合计")


def test_clause_values_read_per_row_in_chinese() -> None:
    """A balance point and a rate read per row (§9) show as that row's, with no English left."""
    en = (
        "card operator {\n"
        "  gross_margin balance target_gm step 1% reward 200\n"
        "  commission sales rate r\n"
        "}\n"
    )
    zh = format_text(en, lang="zh")
    data = {"gross_margin": [0.28], "target_gm": [0.25], "sales": [10_000], "r": [0.02]}
    text = ksf.compile(zh).evaluate(data).explain(0, lang="zh")
    # (28% − 25%) / 1% = 3 steps × 200 = 600; 10,000 × 2% = 200
    assert "    平衡点 target_gm = 0.25（本行的值）\n" in text  # a column of unknown unit
    assert "    比例 r = 2%（本行的值）\n" in text
    names = set(re.findall(r"[A-Za-z_]\w*", zh)) | {"commission_sales"}  # the line's name
    assert not set(re.findall(r"[A-Za-z_]\w*", text)) - names
    assert ksf.compile(zh).evaluate(data).total.tolist() == [800.0]


LABELLED = """indicator gross_margin "毛利率" = (revenue - cogs) / revenue
card operator {
  base 3000
  gross_margin balance 25% step 1% reward 200
  bonus 100 when gross_margin > 20%
}
"""


def test_chinese_explanation_names_indicators_by_their_labels() -> None:
    """In Chinese an indicator is its label (毛利率), as payslips say; English keeps the name."""
    pay = ksf.compile(LABELLED).evaluate({"employee": ["E1"], "revenue": [100.0], "cogs": [71.0]})
    # (100 − 71) / 100 = 0.29: (0.29 − 0.25) / 0.01 = 4 steps × 200 = 800
    zh = pay.explain(0, lang="zh").splitlines()
    assert zh[3] == "毛利率：800.00"  # the line named after its indicator
    assert zh[5] == "        毛利率 = (revenue - cogs) / revenue = 0.29"
    assert zh[-2] == "            其中 毛利率 = 0.29，revenue = 100，cogs = 71"
    assert payslip(pay, 0).lines[1].title == "毛利率"  # the payslip's title agrees
    en = pay.explain(0, lang="en")
    assert "毛利率" not in en
    assert "gross_margin: 800.00\n    value:\n        gross_margin = (revenue - cogs)" in en
    assert "where gross_margin = 0.29, revenue = 100, cogs = 71" in en


def test_cli_run_table_shows_the_name_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ksf run --format table` names rows by 工号 and 姓名, or the `--name` column."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pay.ksf").write_text("语言 zh\n计薪卡 a { 底薪 6000 }\n", encoding="utf-8")
    (tmp_path / "d.csv").write_text("工号,姓名\nA1,张三\nA2,李四\n", encoding="utf-8")
    assert main(["run", "pay.ksf", "d.csv", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"工号 +姓名 +底薪", out)
    assert re.search(r"A2 +李四 +6,000\.00", out)
    (tmp_path / "e.csv").write_text("工号,员工名\nA1,张三\nA2,李四\n", encoding="utf-8")
    assert main(["run", "pay.ksf", "e.csv", "--format", "table", "--name", "员工名"]) == 0
    assert re.search(r"A1 +张三 +6,000\.00", capsys.readouterr().out)
    assert main(["run", "pay.ksf", "e.csv", "--format", "table", "--name", "名"]) == 2
