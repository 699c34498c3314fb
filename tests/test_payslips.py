"""Staff payslips (ksf.payslip, ksf.reasons, ksf.io.payslip_html, ksf.io.payslip_xlsx).

A small team in Shenzhen, worked by hand: each reason line and each total below is the
arithmetic in its comment. Then the renderers: hostile names escaped, one employee per
page or sheet, and `--employee` by id or by name.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import attrs
import numpy as np
import pytest

import ksf
import ksf.io
from ksf.cli import main
from ksf.errors import AmbiguousEmployeeError
from ksf.io.payslip_html import payslips_html, write_payslips
from ksf.payslip import Payslip, find_employee, payslips
from ksf.reasons import money_text
from ksf.trace import RowTrace

RULES = """\
currency CNY
card 产品开发岗 "产品开发" {
  base by 职级 { A: 6000, B: 5000 }
  allowance 300 as 房补
  gross_margin balance 25% step 1% reward 200 penalty 100 beyond 30% reward 300 cap 2000 floor -1500
  commission 销售额 rate 1% beyond 100000 rate 2% as 销售提成
  bonus 500 when 新品数 >= 2 as 新品奖
  min_pay 5200
}
"""


def team() -> dict[str, list[object]]:
    """Four employees of July 2026; two of them are called 王芳."""
    return {
        "工号": ["E001", "E002", "E003", "E004"],
        "姓名": ["王芳", "李雷", "王芳", "韩梅梅"],
        "月份": ["2026-07"] * 4,
        "职级": ["A", "B", "B", "A"],
        "revenue": [100000, 100000, 50000, 100000],
        "cogs": [68000, 80000, 47500, 60000],
        "销售额": [120000, 20000, 0, 100000],
        "新品数": [3, 1, 0, 2],
    }


def slips(lang: str = "zh", data: dict[str, list[object]] | None = None) -> list[Payslip]:
    """Everyone's payslip, in ``lang``."""
    data = team() if data is None else data
    pay = ksf.compile(RULES).evaluate(data)
    return payslips(pay, data, company="深圳示例科技", lang=lang)  # type: ignore[arg-type]


def reasons(slip: Payslip) -> dict[str, str]:
    """Each line's title → its reason."""
    return {line.title: line.reason for line in slip.lines}


def test_reasons_above_the_balance_with_a_beyond_tier() -> None:
    """王芳 (E001): every line's reason and the total, worked by hand."""
    slip = slips()[0]
    assert (slip.employee_id, slip.name, slip.period) == ("E001", "王芳", "2026-07")
    assert (slip.company, slip.card_title) == ("深圳示例科技", "产品开发")
    assert reasons(slip) == {
        "底薪": "职级为 A → +6,000.00",
        "房补": "固定金额 → +300.00",
        # margin (100,000 − 68,000) / 100,000 = 32%: 7 steps above 25%; 25%→30% is 5 steps
        # at 200, 30%→32% is 2 steps at 300 (beyond): 1,000 + 600 = 1,600.
        "毛利率": "毛利率 32%，高于平衡点 25% 共 7 档，其中 5 档每档 200、2 档每档 300 → +1,600.00",
        # marginal: 100,000 × 1% = 1,000, the 20,000 beyond at 2% = 400: 1,400.
        "销售提成": "销售额 120,000：100,000 × 1% + 20,000 × 2% → +1,400.00",
        "新品奖": "满足条件 新品数 >= 2：奖金 500 → +500.00",
        # 6,000 + 300 + 1,600 + 1,400 + 500 = 9,800 >= 5,200.
        "保底补足": "各项合计 9,800.00，不低于保底工资 5,200.00，无需补足",
    }
    assert slip.total == 9800.0
    assert slip.total_text() == "¥9,800.00"


def test_reasons_below_the_balance_and_the_min_pay_top_up() -> None:
    """李雷 (E002): a penalty, a bonus not paid, and min_pay topping the total up."""
    slip = slips()[1]
    assert reasons(slip) == {
        "底薪": "职级为 B → +5,000.00",
        "房补": "固定金额 → +300.00",
        # margin 20,000 / 100,000 = 20%: 5 steps below 25% × 100 = −500.
        "毛利率": "毛利率 20%，低于平衡点 25% 共 5 档，每档扣 100 → -500.00",
        "销售提成": "销售额 20,000 × 1% → +200.00",  # 20,000 × 1% = 200
        "新品奖": "未满足条件 新品数 >= 2 → 0.00",  # 1 new product
        # 5,000 + 300 − 500 + 200 + 0 = 5,000 < 5,200: top-up 200.
        "保底补足": "各项合计 5,000.00，低于保底工资 5,200.00，补足 200.00",
    }
    assert slip.total == 5200.0


def test_reasons_name_the_floor_and_the_cap() -> None:
    """E003 hits the floor, E004 the cap; the reason says which."""
    _, _, floor, cap = slips()
    # 2,500 / 50,000 = 5%: 20 steps × 100 = −2,000, floored at −1,500;
    # 5,000 + 300 − 1,500 = 3,800, topped up by 1,400 to 5,200.
    assert (
        reasons(floor)["毛利率"]
        == "毛利率 5%，低于平衡点 25% 共 20 档，每档扣 100，最低 -1,500 → -1,500.00"
    )
    assert reasons(floor)["保底补足"] == "各项合计 3,800.00，低于保底工资 5,200.00，补足 1,400.00"
    assert floor.total == 5200.0
    # 40%: 5 × 200 + 10 × 300 = 4,000, capped at 2,000; 6,000 + 300 + 2,000 + 1,000 + 500.
    assert reasons(cap)["毛利率"] == (
        "毛利率 40%，高于平衡点 25% 共 15 档，其中 5 档每档 200、10 档每档 300，"
        "封顶 2,000 → +2,000.00"
    )
    assert cap.total == 9800.0


def test_reasons_in_english() -> None:
    """The same lines in English: the indicator by its name, ksf's own lines translated."""
    # In Chinese the line named after gross_margin is titled by its label, 毛利率.
    first, second, *_ = slips("en")
    assert reasons(first)["gross margin"] == (
        "gross margin 32%, 7 steps above the balance point 25%, 5 at 200 each and 2 at 300 each"
        " → +1,600.00"
    )
    assert reasons(second)["gross margin"] == (
        "gross margin 20%, 5 steps below the balance point 25%, 100 off a step → -500.00"
    )
    assert reasons(second)["minimum pay top-up"] == (
        "the lines add up to 5,000.00, below the minimum pay 5,200.00: topped up by 200.00"
    )
    assert first.amount_heading() == "Amount (CNY)"


def test_money_as_finance_staff_write_it() -> None:
    """Thousands separators, two places, a minus sign; the total with ¥ or the currency."""
    assert money_text(12345.6) == "12,345.60"
    assert money_text(-800) == "-800.00"
    assert money_text(800, sign=True) == "+800.00"
    assert money_text(-0.001, sign=True) == "0.00"  # rounds to zero: no sign, no -0.00
    slip = slips()[0]
    assert attrs_evolve(slip, total=-800.0).total_text() == "-¥800.00"
    assert attrs_evolve(slip, currency="USD", total=1234.5).total_text() == "1,234.50 USD"
    assert slip.amount_heading() == "金额（元）"


def attrs_evolve(slip: Payslip, **changes: object) -> Payslip:
    """A copy of ``slip`` with some fields changed."""
    return attrs.evolve(slip, **changes)  # type: ignore[arg-type]


def test_payroll_trace_is_the_typed_trace_of_a_row() -> None:
    """`Payroll.trace` gives the RowTrace explain lays out; a row out of range is refused."""
    pay = ksf.compile(RULES).evaluate(team())
    trace = pay.trace(1)
    assert isinstance(trace, RowTrace)
    assert trace.total == pay.total[1] == 5200.0
    assert trace.amounts["gross_margin"] == -500.0
    with pytest.raises(IndexError, match="row 4 is out of range"):
        pay.trace(4)


HOSTILE = {"name": "<script>alert(1)</script>", "id": "=cmd|'/c calc'!A1"}


def hostile_team() -> dict[str, list[object]]:
    """The team with a name that is markup and an id that is a formula."""
    data = team()
    data["姓名"][1] = HOSTILE["name"]
    data["工号"][2] = HOSTILE["id"]
    return data


def test_html_escapes_hostile_names() -> None:
    """A name that is a script shows as text; the page has no script at all."""
    page = payslips_html(slips(data=hostile_team()))
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "=cmd|&#x27;/c calc&#x27;!A1" in page


def test_xlsx_writes_hostile_names_as_text(tmp_path: Path) -> None:
    """A formula-like id and a script-like name are text cells; the workbook has no formula."""
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "slips.xlsx"
    write_payslips(slips(data=hostile_team()), path)
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    formula = [c for c in cells if c.value == HOSTILE["id"]]
    assert formula
    assert all(c.data_type == "s" for c in formula)
    assert any(c.value == HOSTILE["name"] for c in cells)
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml for xml in sheets)


def test_one_employee_per_html_page() -> None:
    """Every page names one employee and no other's id, name or figures."""
    everyone = slips()
    page = payslips_html(everyone)
    pages = re.findall(r'<section class="page [a-z]+">(.*?)</section>', page, re.DOTALL)
    assert len(pages) == 2 * len(everyone)  # a payslip and its audit trail each
    for k, text in enumerate(pages):
        mine = everyone[k // 2]
        assert mine.employee_id in text
        for other in everyone:
            if other.employee_id != mine.employee_id:
                assert other.employee_id not in text
                if other.name != mine.name:  # E001 and E003 are both 王芳
                    assert other.name not in text
    # a break before every page but the first, so each prints on a page of its own
    assert page.count('class="new-page"') == len(pages) - 1


def test_one_employee_per_xlsx_sheet(tmp_path: Path) -> None:
    """A payslip sheet and an audit sheet per employee, each naming only that employee."""
    openpyxl = pytest.importorskip("openpyxl")
    everyone = slips()
    write_payslips(everyone, tmp_path / "all.xlsx")
    book = openpyxl.load_workbook(tmp_path / "all.xlsx")
    assert book.sheetnames == ["E001", "E001 明细", "E002", "E002 明细", "E003", "E003 明细",
                               "E004", "E004 明细"]  # fmt: skip
    for k, sheet in enumerate(book.worksheets):
        text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
        mine = everyone[k // 2]
        assert mine.employee_id in text
        others = [s for s in everyone if s.employee_id != mine.employee_id]
        assert not [s.employee_id for s in others if s.employee_id in text]
        assert not [s.name for s in others if s.name != mine.name and s.name in text]
    first = book["E001"]
    amounts = {r[0].value: r[1] for r in first.iter_rows() if isinstance(r[1].value, int | float)}
    assert amounts["毛利率"].value == 1600
    assert amounts["应发合计"].value == 9800  # a number the sheet can add up, not text
    assert {c.number_format for c in amounts.values()} == {"#,##0.00"}


def test_find_employee_by_id_name_and_the_errors() -> None:
    """An id, a unique name, a name two share (their ids), and a near miss (a hint)."""
    data = team()
    pay = ksf.compile(RULES).evaluate(data)
    names = np.asarray(data["姓名"])
    assert find_employee(pay, "E003", names).tolist() == [2]
    assert find_employee(pay, "韩梅梅", names).tolist() == [3]
    with pytest.raises(
        AmbiguousEmployeeError, match=r"2 employees are named '王芳' \(ids E001, E003\)"
    ):
        find_employee(pay, "王芳", names)
    with pytest.raises(
        ksf.UnknownEmployeeError, match="no employee '韩梅' in the data; did you mean '韩梅梅'"
    ):
        find_employee(pay, "韩梅", names)


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The rules and the team as CSV, in the working directory."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pay.ksf").write_text(RULES, encoding="utf-8")
    data = team()
    rows = [",".join(str(v) for v in values) for values in zip(*data.values(), strict=True)]
    (tmp_path / "july.csv").write_text(",".join(data) + "\n" + "\n".join(rows) + "\n", "utf-8")
    return tmp_path


def test_cli_employee_by_name_and_by_id(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf explain --employee` takes a name or an id; the same row either way."""
    assert main(["explain", "pay.ksf", "july.csv", "--employee", "李雷"]) == 0
    by_name = capsys.readouterr().out
    assert main(["explain", "pay.ksf", "july.csv", "--employee", "E002"]) == 0
    assert capsys.readouterr().out == by_name
    assert by_name.startswith("E002 (line 3 of july.csv)")


def test_cli_ambiguous_and_unknown_names(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A shared name lists the ids (exit 2); a near miss gets the close names; so does --name."""
    assert main(["explain", "pay.ksf", "july.csv", "--employee", "王芳"]) == 2
    assert (
        "2 employees are named '王芳' (ids E001, E003); name one by its id"
        in capsys.readouterr().err
    )
    assert main(["payslip", "pay.ksf", "july.csv", "--employee", "李蕾", "-o", "x.html"]) == 2
    assert "no employee '李蕾' in the data; did you mean '李雷'?" in capsys.readouterr().err
    assert main(["payslip", "pay.ksf", "july.csv", "--name", "staff", "-o", "x.html"]) == 2
    assert "--name staff: the data has no such column" in capsys.readouterr().err
    assert not (files / "x.html").exists()


def test_cli_payslip_files(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One employee's HTML payslip; everyone's workbook; another extension refused."""
    pytest.importorskip("openpyxl")
    argv = ["payslip", "pay.ksf", "july.csv", "--employee", "韩梅梅", "--company", "深圳示例科技"]
    assert main([*argv, "-o", "韩梅梅.html"]) == 0
    assert capsys.readouterr().err == "韩梅梅.html: 1 payslip\n"
    page = (files / "韩梅梅.html").read_text(encoding="utf-8")
    assert "深圳示例科技 工资条" in page
    assert "¥9,800.00" in page
    assert "李雷" not in page
    assert main(["payslip", "pay.ksf", "july.csv", "--lang", "en", "-o", "all.xlsx"]) == 0
    assert capsys.readouterr().err == "all.xlsx: 4 payslips\n"
    assert main(["payslip", "pay.ksf", "july.csv", "-o", "all.pdf"]) == 2


def test_xlsx_payslip_renders_through_libreoffice(tmp_path: Path) -> None:
    """LibreOffice opens the payslip workbook and prints its Chinese text (when installed)."""
    pytest.importorskip("openpyxl")
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        pytest.skip("LibreOffice or poppler is not installed")
    write_payslips(slips()[:1], tmp_path / "王芳.xlsx", audit=False)
    command = [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    subprocess.run(
        [*command, str(tmp_path / "王芳.xlsx")], check=True, capture_output=True, timeout=120
    )
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "王芳.pdf"), "-"], check=True, capture_output=True
    ).stdout.decode()
    assert "深圳示例科技 工资条" in text
    assert "毛利率 32%，高于平衡点 25% 共 7 档" in text
    assert "9,800.00" in text


def test_the_payslip_docs_cli_md_shows_is_what_ksf_writes() -> None:
    """Every reason and the total in docs/cli.md's payslip of 陈静 (E002) are ksf's own."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    files = dict(re.findall(r"<!--\s*file:\s*(\S+)\s*-->\n```\w*\n(.*?)\n```", text, re.DOTALL))
    shown = text.split("陈静's payslip (E002) reads:", 1)[1].split("```text\n", 1)[1]
    shown = shown.split("```", 1)[0]
    data = ksf.io.parse_csv(files["july.csv"] + "\n", keep_text=["employee", "name"])
    pay = ksf.compile(files["pay.ksf"]).evaluate(data)
    (slip,) = payslips(pay, data, rows=[1], company="深圳示例科技")
    # margin 197,800 / 860,000 = 23%: 2 steps below 25% × 100 = −200; ROI 2.8: 2 steps × 80
    # = −160, floored at 0; 4,000 − 200 + 0 = 3,800 >= 2,360.
    assert [line.amount for line in slip.lines] == [4000.0, -200.0, 0.0, 0.0]
    for line in slip.lines:
        assert f"{slip.money(line.amount)}  {line.reason}" in shown
    assert slip.total_text() == "¥3,800.00"
    assert slip.total_text() in shown


PARTNER_RULES = """\
pool 合伙池 {
  profit above 100000 share 20%
  split by 权重
}
card 合伙人 "合伙人" {
  base 8000
  commission 销售额 rate 1% beyond 500000 rate 2% retroactive scaled_by 系数 as 提成
  bonus 1000 scaled_by 系数 when 评级 >= 3 as 绩效奖
  毛利 balance 50000 step 10000 reward 100
  share 合伙池
  missing as zero
}
"""


def test_reasons_of_a_pool_share_a_scaled_retroactive_commission_and_a_missing_value() -> None:
    """A retroactive commission scaled, a scaled bonus, `missing as zero`, a pool share."""
    data = {
        "工号": ["P1", "P2"],
        "姓名": ["周杰", "林娜"],
        "profit": [160000, 160000],
        "权重": [2, 1],
        "销售额": [600000, 300000],
        "系数": [0.9, 1.2],
        "评级": [4, 2],
        "毛利": [float("nan"), 72000],
    }
    pay = ksf.compile(PARTNER_RULES).evaluate(data)
    first, _ = payslips(pay, data)
    assert reasons(first) == {
        "底薪": "固定金额 → +8,000.00",
        # 600,000 reaches 500,000: all of it at 2% = 12,000, × 0.9 = 10,800.
        "提成": "销售额 600,000，全额按 2%，乘以 系数 0.9 → +10,800.00",
        "绩效奖": "满足条件 评级 >= 3：奖金 1,000，乘以 系数 0.9 → +900.00",  # 1,000 × 0.9
        # missing 毛利 counts as 0: (0 − 50,000) / 10,000 = −5 steps × 100 = −500.
        "毛利": "数据缺失，按 0 计：毛利 0，低于平衡点 50,000 共 5 档，每档扣 100 → -500.00",
        # pool (160,000 − 100,000) × 20% = 12,000; weight 2 of 2 + 1 = 3: 8,000.
        "合伙池": "奖金池 合伙池 12,000.00，按权重 2 / 3 分得 → +8,000.00",
    }
    # 8,000 + 10,800 + 900 − 500 + 8,000 = 27,200.
    assert first.total == 27200.0
    (english,) = payslips(pay, data, rows=[1], lang="en")
    assert reasons(english)["合伙池"] == "pool 合伙池 12,000.00, weight 1 of 3 → +4,000.00"
    # 300,000 below 500,000: all at 1% = 3,000, × 1.2 = 3,600.
    assert reasons(english)["提成"] == "销售额 300,000, all of it at 1%, times 系数 1.2 → +3,600.00"


def test_a_payslip_states_the_clause_values_read_for_that_row():
    """A balance point, cap and rate read per row (§9) appear in the reason as that row's."""
    book = ksf.compile(
        'card operator "运营" {\n'
        "  gross_margin balance target_gm step 1% reward 200 cap 500\n"
        "  commission sales rate my_rate\n"
        "}\n"
    )
    data = {
        "employee": ["E1", "E2"],
        "姓名": ["王芳", "陈静"],
        "gross_margin": [0.28, 0.28],
        "target_gm": [0.25, 0.30],
        "sales": [1000, 2000],
        "my_rate": [0.01, 0.02],
    }
    wang, chen = payslips(book.evaluate(data), data, lang="zh")
    # 王芳: (0.28 − 0.25) / 1% = 3 steps × 200 = 600, capped at 500; 1,000 × 1% = 10
    assert wang.lines[0].reason.endswith("高于平衡点 0.25 共 3 档，每档 200，封顶 500 → +500.00")
    assert wang.lines[1].reason == "sales 1,000 × 1% → +10.00"
    # 陈静: (0.28 − 0.30) / 1% = −2 steps × 200 = −400; 2,000 × 2% = 40
    assert chen.lines[0].reason.endswith("低于平衡点 0.3 共 2 档，每档扣 200 → -400.00")
    assert chen.lines[1].reason == "sales 2,000 × 2% → +40.00"


def test_a_base_from_the_data_is_not_called_a_fixed_amount():
    """An attendance-prorated base says how it was computed; a written one is fixed."""
    book = ksf.compile('card c "运营" {\n base (6000 * days / payable)\n allowance 300\n}')
    data = {"employee": ["E1"], "days": [20], "payable": [22]}
    (slip,) = payslips(book.evaluate(data), data, lang="zh")
    # 6000 × 20 / 22 = 5,454.5454… → 5,454.55 half-up
    assert slip.lines[0].reason == "按 6000 * days / payable 计算 → +5,454.55"
    assert slip.lines[1].reason == "固定金额 → +300.00"


def test_xlsx_payslips_without_ids_or_names_count_rows_from_one(tmp_path: Path) -> None:
    """No id and no name: the sheets are named by the row as people count it, 第 1 行."""
    openpyxl = pytest.importorskip("openpyxl")
    pay = ksf.compile("card c { base 3000 }").evaluate({"x": [1, 2]})
    write_payslips(payslips(pay, lang="zh"), tmp_path / "slips.xlsx", audit=False)
    assert openpyxl.load_workbook(tmp_path / "slips.xlsx").sheetnames == ["第 1 行", "第 2 行"]
    write_payslips(payslips(pay, lang="en"), tmp_path / "en.xlsx", audit=False)
    assert openpyxl.load_workbook(tmp_path / "en.xlsx").sheetnames == ["row 1", "row 2"]
