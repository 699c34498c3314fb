"""Card versions in rule text and on the command line (LANGUAGE.md §12, §13).

The checker's errors for versions that a period could not choose between, `ksf fmt` in both
spellings, a Chinese file, payslips that show the version, and ``--period``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ksf
import ksf.io
from ksf.cli import main
from ksf.dsl.parser import parse
from ksf.io.payslip_html import payslips_html, write_payslips
from ksf.payslip import payslips
from ksf.rule_text import format_text, rule_source

TWO_VERSIONS = """\
card operator "运营" effective 2026-01 {
  base 5000
  gross_margin balance 30% step 1% reward 200 penalty 100
}

card operator "运营" effective 2026-07 {
  base 5000
  gross_margin balance 25% step 1% reward 200 penalty 100
}
"""

CHINESE = """\
计薪卡 运营 "运营推广" 生效 2026-01 {
  底薪 5000
  毛利率 平衡点 30% 每 1% 奖励 200 扣减 100
}

计薪卡 运营 "运营推广" 生效 2026-07 {
  底薪 5000
  毛利率 平衡点 25% 每 1% 奖励 200 扣减 100
}
"""


def _tree(text: str):
    return parse(rule_source(text, "v.ksf"))


# ---- the checker ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "message", "hint"),
    [
        (
            "card a effective 2026-07 { base 1 }\ncard a effective 2026-07 { base 2 }",
            (2, 18),
            "card `a` has two versions effective 2026-07",
            "the other is on line 1",
        ),
        (
            "card a { base 1 }\ncard a effective 2026-07 { base 2 }",
            (2, 6),
            "card `a` is written twice, and a version without `effective` is in force in every "
            "period",
            "give each version the month it takes effect in (`effective 2026-07`)",
        ),
        (
            "card a effective 2026-07 { base 1 }\ncard a { base 2 }",
            (2, 6),
            "card `a` is written twice",
            "the other is on line 1",
        ),
        (
            "card a { base 1 }\ncard a { base 2 }",
            (2, 6),
            "card `a` is written twice",
            "or delete one",
        ),
        (
            "card a effective 2026-13 { base 1 }",
            (1, 18),
            "2026-13 is not a period: there is no month 13 (months are 01 to 12)",
            "a version of a card takes effect in a month: `effective 2026-07`",
        ),
        (
            "card a effective 26-07 { base 1 }",
            (1, 18),
            "26-07 is not a period: write the year in four digits (2026-07)",
            "`effective 2026-07`",
        ),
        (
            "card a effective 2026-7 { base 1 }",
            (1, 18),
            "2026-7 is not a period: write the month in two digits (2026-07)",
            "`effective 2026-07`",
        ),
        (
            "card a effective 2026Q3 { base 1 }",
            (1, 18),
            "card `a` takes effect in 2026Q3, a quarter; a version takes effect in a month",
            "write `effective 2026-07`, the first month of 2026Q3",
        ),
    ],
    ids=[
        "same-month",
        "unversioned-first",
        "unversioned-second",
        "both-unversioned",
        "month-13",
        "short-year",
        "one-digit-month",
        "quarter",
    ],
)
def test_versions_a_period_could_not_choose_between_are_compile_errors(text, where, message, hint):
    """Each mistake is a KsfCompileError at its line and column, with a hint."""
    with pytest.raises(ksf.KsfCompileError) as caught:
        ksf.compile(text, name="v.ksf")
    error = caught.value
    assert (error.line, error.column) == where
    assert error.message.startswith(message)
    assert hint in (error.hint or "")


def test_three_versions_two_of_one_month_name_the_repeat():
    """Only the version that repeats a month is wrong; the others stay valid versions."""
    text = (
        "card a effective 2026-01 { base 1 }\ncard a effective 2026-07 { base 2 }\n"
        "card a effective 2026-07 { base 3 }"
    )
    with pytest.raises(ksf.KsfCompileError) as caught:
        ksf.compile(text)
    assert [(e.span.line, e.message) for e in caught.value.errors] == [
        (3, "card `a` has two versions effective 2026-07")
    ]


def test_a_version_still_shares_the_namespace_with_other_definitions():
    """A table named like a versioned card is defined twice, as before versions."""
    with pytest.raises(ksf.KsfCompileError, match="`a` is defined twice"):
        ksf.compile("card a effective 2026-01 { base 1 }\ntable a { else: 1 }")


def test_chinese_errors_spell_effective_as_the_file_does():
    """In a Chinese file the hint quotes `生效`, and the message is in Chinese when asked."""
    with pytest.raises(ksf.KsfCompileError) as caught:
        ksf.compile("计薪卡 a 生效 2026-7 { 底薪 1 }", name="v.ksf")
    written = caught.value.render("zh")
    assert "2026-7 不是有效的期间：月份要写两位数字（2026-07）" in written
    assert "`生效 2026-07`" in written


def test_a_month_that_does_not_lex_is_a_syntax_error():
    """`effective July` names no month: the parser says a month like 2026-07 was expected."""
    with pytest.raises(ksf.KsfSyntaxError) as caught:
        ksf.compile("card a effective July { base 1 }")
    assert (caught.value.line, caught.value.column) == (1, 18)
    assert "expected a month like 2026-07" in caught.value.message


def test_effective_is_still_a_name_where_no_keyword_stands():
    """A column called `effective` is still read (keywords are contextual)."""
    book = ksf.compile("card a { base 1; effective balance 1 step 1 reward 10 }")
    # (3 − 1) / 1 = 2 steps × 10 = 20
    assert book.evaluate({"effective": [3]}).total.tolist() == [21.0]


# ---- ksf fmt and the Chinese spelling -------------------------------------------------------


def test_fmt_keeps_versions_in_both_spellings():
    """fmt --lang zh writes 生效, --lang en writes effective; both parse to the same tree."""
    chinese = format_text(TWO_VERSIONS, "v.ksf", "zh")
    assert '计薪卡 operator "运营" 生效 2026-01 {' in chinese
    english = format_text(chinese, "v.ksf", "en")
    assert english == TWO_VERSIONS
    assert _tree(chinese) == _tree(TWO_VERSIONS) == _tree(english)
    assert format_text(TWO_VERSIONS, "v.ksf") == TWO_VERSIONS


def test_fmt_keeps_a_malformed_month_as_written():
    """fmt does not check: a wrong month is kept for the checker to point at."""
    assert format_text("card a effective 2026-7 { base 1 }") == (
        "card a effective 2026-7 {\n  base 1\n}\n"
    )


def test_a_chinese_file_with_versions_pays_as_the_english_one():
    """生效 is effective: the same versions, the same pay, to the cent."""
    data = {"毛利率": [0.28]}
    chinese = ksf.compile(CHINESE).evaluate(data, period="2026-08")
    english = ksf.compile(CHINESE.replace("生效", "effective")).evaluate(data, period="2026-08")
    # July version: (28% − 25%) / 1% = 3 steps × 200 = 600
    assert chinese.total.tolist() == english.total.tolist() == [5600.0]
    assert chinese.versions.tolist() == ["2026-07"]
    assert _tree(format_text(CHINESE, "v.ksf", "en")) == _tree(CHINESE)


# ---- payslips --------------------------------------------------------------------------------


def test_payslips_show_the_card_version_and_the_period(tmp_path: Path):
    """The payslip's facts name the version in its language; HTML and XLSX both show it."""
    openpyxl = pytest.importorskip("openpyxl")
    book = ksf.compile(TWO_VERSIONS)
    data = {"employee": ["E1"], "姓名": ["王芳"], "gross_margin": [0.28]}
    pay = book.evaluate(data, period="2026-08")
    zh = payslips(pay, data)[0]
    assert ("计薪卡版本", "2026-07 起生效") in zh.facts()
    assert ("期间", "2026-08") in zh.facts()  # from the payroll: the data has no period column
    en = payslips(pay, data, lang="en")[0]
    assert ("Card version", "effective 2026-07") in en.facts()
    assert "<th>计薪卡版本</th><td>2026-07 起生效</td>" in payslips_html([zh])
    assert "（2026-07 起生效的版本），期间 2026-08" in zh.audit.splitlines()[0]
    write_payslips([en], tmp_path / "slip.xlsx")
    cells = [c.value for row in openpyxl.load_workbook(tmp_path / "slip.xlsx").worksheets[0]
             .iter_rows() for c in row]  # fmt: skip
    assert "Card version" in cells
    assert "effective 2026-07" in cells


def test_payslips_of_unversioned_cards_show_no_version():
    """A card without versions has no version line on its payslip."""
    pay = ksf.compile("card a { base 1 }").evaluate({"employee": ["E1"]})
    assert [k for k, _ in payslips(pay)[0].facts()] == ["工号", "岗位", "单位"]


# ---- the command line -------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pay.ksf").write_text(TWO_VERSIONS, encoding="utf-8")
    (tmp_path / "aug.csv").write_text("employee,gross_margin\nE1,28%\nE2,31%\n", encoding="utf-8")
    return tmp_path


def test_run_with_period_pays_by_the_version_in_force(files, capsys):
    """``ksf run --period 2026-08``: the July version, with a version column."""
    assert main(["run", "pay.ksf", "aug.csv", "--period", "2026-08", "--format", "csv"]) == 0
    # E1: 3 steps × 200 = 600; E2: (31% − 25%) / 1% = 6 steps × 200 = 1200
    assert capsys.readouterr().out.splitlines() == [
        "id,card,version,base,gross_margin,total",
        "E1,operator,2026-07,5000.00,600.00,5600.00",
        "E2,operator,2026-07,5000.00,1200.00,6200.00",
    ]
    assert main(["run", "pay.ksf", "aug.csv", "--period", "2026-06", "--format", "csv"]) == 0
    # June: E1 −2 steps × 100 = −200; E2 (31% − 30%) / 1% = 1 step × 200 = 200
    assert capsys.readouterr().out.splitlines()[1:] == [
        "E1,operator,2026-01,5000.00,-200.00,4800.00",
        "E2,operator,2026-01,5000.00,200.00,5200.00",
    ]


def test_run_without_period_says_to_give_one(files, capsys):
    """A file with versions and no --period: exit 1, the message names --period."""
    assert main(["run", "pay.ksf", "aug.csv"]) == 1
    assert "--period 2026-08" in capsys.readouterr().err


@pytest.mark.parametrize("period", ["2026-13", "2026Q5", "26-08", "August"])
def test_a_malformed_period_is_a_usage_error(files, capsys, period):
    """--period that is no month or quarter: exit 2, in the language asked for."""
    assert main(["run", "pay.ksf", "aug.csv", "--period", period]) == 2
    assert f"{period} is not a period" in capsys.readouterr().err
    assert main(["run", "pay.ksf", "aug.csv", "--period", period, "--lang", "zh"]) == 2
    assert f"{period} 不是有效的期间" in capsys.readouterr().err


def test_explain_and_payslip_take_the_period(files, capsys):
    """``ksf explain --period`` names the version; ``ksf payslip --period`` shows it."""
    assert main(["explain", "pay.ksf", "aug.csv", "--period", "2026Q3", "--employee", "E1"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        'E1 (line 2 of aug.csv), card operator "运营" (version effective 2026-07), period 2026Q3'
    )
    assert main(["payslip", "pay.ksf", "aug.csv", "--period", "2026-08", "-o", "s.html"]) == 0
    assert "<th>计薪卡版本</th><td>2026-07 起生效</td>" in (files / "s.html").read_text("utf-8")


def test_check_reports_a_version_error_with_its_position(files, capsys):
    """``ksf check`` on two versions of one month: exit 1, file:line:column."""
    (files / "bad.ksf").write_text(
        "card a effective 2026-07 { base 1 }\ncard a effective 2026-07 { base 2 }\n",
        encoding="utf-8",
    )
    assert main(["check", "bad.ksf"]) == 1
    assert "bad.ksf:2:18: error: card `a` has two versions effective 2026-07" in (
        capsys.readouterr().err
    )
    assert main(["check", "pay.ksf"]) == 0
    assert "cards operator" in capsys.readouterr().out


def test_plot_lint_and_test_take_the_period(files, capsys):
    """``--period`` chooses the version ksf plot, ksf lint and ksf test look at."""
    pytest.importorskip("matplotlib")
    assert main(["plot", "pay.ksf", "--line", "gross_margin", "-o", "g.svg"]) == 1
    assert "--period 2026-08" in capsys.readouterr().err
    argv = ["plot", "pay.ksf", "--line", "gross_margin", "-o", "g.svg", "--period", "2026-08"]
    assert main(argv) == 0
    assert main(["lint", "--payout", "pay.ksf", "--period", "2026-08"]) == 0
    init = ["test", "--init", "pay.ksf", "aug.csv", "-o", "aug.cases.csv", "--period", "2026-08"]
    assert main(init) == 0
    capsys.readouterr()
    assert main(["test", "pay.ksf", "aug.cases.csv", "--period", "2026-08"]) == 0
    assert "2 cases passed" in capsys.readouterr().out
    # June's rules pay E1 −2 steps × 100 = −200, not the 600 of August's sheet
    assert main(["test", "pay.ksf", "aug.cases.csv", "--period", "2026-06"]) == 1
    assert "gross_margin expected 600.00, got -200.00" in capsys.readouterr().out


def test_parquet_keeps_the_period_and_the_versions(tmp_path: Path):
    """A payroll written to Parquet keeps its period in the metadata and a version column."""
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pay = ksf.compile(TWO_VERSIONS).evaluate({"gross_margin": [0.28]}, period="2026-08")
    ksf.io.write_payroll(pay, tmp_path / "pay.parquet")
    table = pq.read_table(tmp_path / "pay.parquet")
    assert table.schema.metadata[b"ksf.period"] == b"2026-08"
    assert table.column("version").to_pylist() == ["2026-07"]
    assert table.column("total").to_pylist() == [5600.0]  # 3 steps × 200 on 5000


def test_the_payroll_table_names_the_version(files, capsys):
    """``ksf run --format table``: each card's table title names the version that paid."""
    assert main(["run", "pay.ksf", "aug.csv", "--period", "2026-08", "--format", "table"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "card operator (运营) (version effective 2026-07)"
    )
    argv = ["run", "pay.ksf", "aug.csv", "--period", "2026-06", "--format", "table", "--lang", "zh"]
    assert main(argv) == 0
    assert (
        capsys.readouterr().out.splitlines()[0] == "计薪卡 operator（运营）（2026-01 起生效的版本）"
    )
