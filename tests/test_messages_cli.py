"""The messages of files, payslips, plots, ksf.testing and the command line, in both languages.

``--lang zh|en`` chooses the language of everything ksf prints; without it, the rule file's
`language` setting does (its ``language zh`` line when the file does not compile), else
English. Every expected text below is written out by hand from the catalogue entries
(`ksf.catalogue.io`, `ksf.catalogue.cli`, `ksf.catalogue.common`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ksf
import ksf.plot
from ksf.cli import main
from ksf.errors import DataError
from ksf.message import text as message_text
from ksf.spelling import declared_language
from ksf.testing import assert_monotone

# A Chinese file that asks for Chinese, with an error: a step of 0 (line 4, column 15).
BROKEN_ZH = """\
语言 zh
计薪卡 运营 {
  底薪 4000
  毛利率 平衡点 25% 每 0 奖励 150
}
"""
# The same file with a comment for its `语言 zh` line (the lines keep their numbers), and
# the two with a step of 1%, which compile.
BROKEN_PLAIN = BROKEN_ZH.replace("语言 zh", "# 运营推广")
GOOD_ZH = BROKEN_ZH.replace("每 0", "每 1%")
GOOD_PLAIN = BROKEN_PLAIN.replace("每 0", "每 1%")
# Row E2 has two cells under a header of three: the file's line 3.
RAGGED = "employee,revenue,cogs\nE1,100,50\nE2,200\n"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The rule files and the ragged data file, in the working directory."""
    monkeypatch.chdir(tmp_path)
    for name, text in {
        "zh.ksf": BROKEN_ZH,
        "plain.ksf": BROKEN_PLAIN,
        "good_zh.ksf": GOOD_ZH,
        "good.ksf": GOOD_PLAIN,
        "七月.csv": RAGGED,
    }.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _err(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The exit status, standard output and standard error of ``ksf ARGV``."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _step_error(severity: str, message: str) -> str:
    """The report of the step of 0 in zh.ksf / plain.ksf: position, excerpt and caret."""
    return (
        f"{severity}{message}\n"
        "3 |   底薪 4000\n"
        "4 |   毛利率 平衡点 25% 每 0 奖励 150\n"
        "  |                     ^^^^\n"
    )


# The checker's message (ksf.catalogue.check_lines) for these files, which spell their
# keywords in Chinese: the keyword is quoted as the file spells it, in English too.
STEP = "the 每 must be greater than 0"


def _said_zh(text: str) -> str:
    """The checker's own message for the first error of ``text``, in Chinese.

    The words are the checker's (tests/test_messages_check*.py hold them); what is tested
    here is the frame the command puts around them, and that it asks for Chinese.
    """
    with pytest.raises(ksf.KsfCompileError) as error:
        ksf.compile(text)
    return message_text(error.value.errors[0].said, "zh", "zh")


# In Chinese: check_lines.STEP_NOT_POSITIVE, "`{step}` 必须大于 0", the step as the file spells it.
STEP_ZH = "`每` 必须大于 0"


def test_check_lang_zh_reports_a_chinese_file_in_chinese(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``ksf check --lang zh``: the frame of the report is Chinese, the excerpt as written."""
    status, out, err = _err(capsys, "check", "--lang", "zh", "plain.ksf")
    assert status == 1
    assert out == ""
    # `错误` for `error`; the position and the source line as they are in English.
    assert err == _step_error("plain.ksf:4:15: 错误: ", STEP_ZH)
    assert _said_zh(BROKEN_PLAIN) == STEP_ZH  # the checker's own words, as written above


def test_a_language_zh_line_makes_check_chinese_without_lang(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that does not compile is reported in the language its `语言 zh` line asks for."""
    status, _, err = _err(capsys, "check", "zh.ksf")
    assert status == 1
    assert err == _step_error("zh.ksf:4:15: 错误: ", STEP_ZH)
    # --lang wins over the file's line.
    _, _, err = _err(capsys, "check", "--lang", "en", "zh.ksf")
    assert err == _step_error("zh.ksf:4:15: error: ", STEP)


def test_english_is_unchanged_by_default(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --lang or a `language` line, every message is the English it has always been."""
    _, _, err = _err(capsys, "check", "plain.ksf")
    assert err == _step_error("plain.ksf:4:15: error: ", STEP)
    status, out, _ = _err(capsys, "check", "good.ksf")
    assert (status, out) == (0, "good.ksf: ok — cards 运营\n")
    status, _, err = _err(capsys, "run", "good.ksf", "七月.csv")
    assert status == 1
    assert err == (
        "七月.csv: data error: the header has 3 columns but not every row has 3 cells "
        "(line 3 has 2); a row needs a cell, maybe empty, per column\n  lines: 3\n"
    )
    assert (
        _err(capsys, "run", "good.ksf", "nosuch.csv")[2] == "ksf: error: no such file: nosuch.csv\n"
    )


def test_check_ok_and_its_count_in_chinese(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that compiles says `通过` in its own language; two files' errors are counted."""
    status, out, _ = _err(capsys, "check", "good_zh.ksf")
    assert (status, out) == (0, "good_zh.ksf：通过——计薪卡 运营\n")
    two = BROKEN_ZH.replace("}", "  周转 平衡点 6 每 0 奖励 150\n}")
    (files / "two.ksf").write_text(two, encoding="utf-8")
    _, _, err = _err(capsys, "check", "--lang", "zh", "two.ksf")
    assert err.count(": 错误: ") == 2
    assert err.endswith("\n\n共 2 处错误\n")


def test_run_lang_zh_reports_a_data_error_in_chinese(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ragged CSV row, from ``ksf run --lang zh``: file, message and lines all in Chinese."""
    status, out, err = _err(capsys, "run", "--lang", "zh", "good.ksf", "七月.csv")
    assert (status, out) == (1, "")
    # DATA_IN_FILE "{path}：{error}" around DATA_ERROR "数据错误：{message}" around RAGGED
    # (columns 3, counts LINE_HAS line 3 cells 2), then WHO with LINES "文件行" and line 3.
    assert err == (
        "七月.csv：数据错误：表头有 3 列，但并非每行都有 3 个单元格（第 3 行有 2 个）；"
        "每行每列都要有一个单元格，可以为空\n  文件行：3\n"
    )


def test_a_rule_file_s_language_zh_makes_data_errors_chinese(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``语言 zh`` in a file that compiles: its data errors are Chinese without --lang."""
    status, _, err = _err(capsys, "run", "good_zh.ksf", "七月.csv")
    assert status == 1
    assert err.startswith("七月.csv：数据错误：表头有 3 列")
    status, _, err = _err(capsys, "run", "--lang", "en", "good_zh.ksf", "七月.csv")
    assert err.startswith("七月.csv: data error: the header has 3 columns")


def test_usage_errors_in_chinese(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``ksf: error:`` becomes ``ksf：错误：``, and what follows is said in Chinese."""
    status, _, err = _err(capsys, "run", "--lang", "zh", "good.ksf", "nosuch.csv")
    assert (status, err) == (2, "ksf：错误：没有这个文件：nosuch.csv\n")
    status, _, err = _err(capsys, "run", "good_zh.ksf", "七月.csv", "--param", "x")
    assert status == 2
    assert err == (
        "ksf：错误：--param 的写法是 NAME=NUMBER，例如 profit=1500000 或 profit=150万；"
        "收到的是 'x'\n"
    )
    status, _, err = _err(capsys, "check", "--lang", "zh", "--card", "运营", "good.ksf")
    assert status == 2
    assert err == "ksf：错误：--card、--param、--sheet 和 --data-format 须与 --data DATA 一起使用\n"


def test_a_plot_usage_error_quotes_a_keyword_in_chinese(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A `base by` line is no curve: the quoted keyword `by` is written `按` in Chinese."""
    pytest.importorskip("matplotlib")
    (files / "by.ksf").write_text("card a { base by grade { A: 9000, B: 7500 } }\n", "utf-8")
    argv = ["plot", "by.ksf", "--line", "base", "-o", "a.png"]
    status, _, err = _err(capsys, *argv, "--lang", "zh")
    assert status == 2
    assert err == (
        "ksf：错误：项目 'base' 是按某列查表得出的金额（`按`），画不出曲线；"
        "ksf 只画平衡点项目（KSF 因子）和提成项目\n"
    )
    assert _err(capsys, *argv)[2] == (
        "ksf: error: line 'base' is an amount looked up by a column (`by`), not a curve; "
        "ksf plots balance lines (KSF factors) and commission lines\n"
    )


def test_a_reader_s_error_renders_in_chinese(tmp_path: Path) -> None:
    """`error.render("zh")` of a file error: the file named first, then the message."""
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DataError) as error:
        ksf.io.read_data(empty)
    assert str(error.value) == f"data error: {empty}: the file is empty; it needs a header row"
    assert error.value.render("zh") == f"数据错误：{empty}：文件是空的；至少需要一行表头"


def test_assert_monotone_fails_in_either_language() -> None:
    """`assert_monotone`'s failure is a message: its direction keyword is `越高越好` in Chinese."""
    book = ksf.compile("card c { x balance 10 step 1 reward 5; bonus 100 when x < target * y }")
    with pytest.raises(AssertionError) as failure:
        assert_monotone(book, "c", "x", data={"x": [10.0], "y": [2.0]}, params={"target": 6})
    # x = 11.5: 1 step × 5 + the bonus 100 (11.5 < 6 × 2) = 105; x = 12: 2 × 5 = 10, no bonus.
    assert failure.value.args[0].text("zh") == (
        "`x` 从 11.5 升到 12 时，计薪卡 'c' 的应发合计反而下降，而它的规则 `x` 是 越高越好：\n"
        "  x = 11.5 时发 105.00\n"
        "  x = 12 时发 10.00\n"
        "  该行其余数值：y=2"
    )
    assert str(failure.value).startswith("total pay of card 'c' falls as `x` rises from 11.5")


@pytest.mark.parametrize(
    "text",
    [GOOD_ZH, GOOD_PLAIN, "language en\ncard a { base 1 }", '# language zh\ncard a "语言 zh" {}'],
)
def test_the_language_line_scan_agrees_with_the_compiled_setting(text: str) -> None:
    """For a file that compiles, the scan finds exactly its `ir.Program.language`."""
    assert declared_language(text) == ksf.compile(text).program.language


def test_check_speaks_each_file_s_own_language(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``ksf check`` of several files: each is reported in the language it asks for."""
    status, out, err = _err(capsys, "check", "good_zh.ksf", "good.ksf", "zh.ksf", "plain.ksf")
    assert status == 1
    assert out == "good_zh.ksf：通过——计薪卡 运营\ngood.ksf: ok — cards 运营\n"
    assert err == (
        _step_error("zh.ksf:4:15: 错误: ", STEP_ZH) + _step_error("plain.ksf:4:15: error: ", STEP)
    )


def test_a_per_row_plot_names_its_clause_by_the_keyword_of_the_language() -> None:
    """The clause a line reads per row is `balance` in English and `平衡点` in Chinese."""
    book = ksf.compile("card o {\n  gross_margin balance target_gm step 1% reward 200\n}\n")
    with pytest.raises(ValueError, match=r"^line 'gross_margin' reads clause values") as error:
        ksf.plot.curve(book, "o", "gross_margin")
    assert error.value.args[0].text("zh") == (
        "项目 'gross_margin' 的条款按行取值（平衡点 target_gm），画曲线需要 target_gm 的值："
        "请传 --at target_gm=VALUE（如 --at target_gm=25%），或用 --data FILE 取该列的中位数"
        "（Python 中：at={'target_gm': …} 或 data=…）"
    )
