"""The check stage's errors and warnings in Chinese and in English (issue 14).

Real rule files are compiled and their errors rendered with ``render("zh")``: the Chinese
text is worked out by hand from the catalogue (`ksf.catalogue.check*`), a keyword the
message quotes is spelt as the file spells it (`每`, `奖励`, `其他`, `保底`), and the same
mistake in an English file still reads, in English, exactly as it always has.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ksf
from ksf import catalogue
from ksf.catalogue import check_lines
from ksf.dsl.check_report import keywords
from ksf.message import Keyword, Message

FIXTURES = sorted((Path(__file__).parent / "errors").glob("*.ksf"))
ZH_STEP_0 = "计薪卡 运营 {\n  底薪 5000\n  毛利率 平衡点 25% 每 0 奖励 200\n}\n"
EN_STEP_0 = "card a {\n  base 5000\n  gross_margin balance 25% step 0 reward 200\n}\n"


def _compile_error(text: str) -> ksf.KsfCompileError:
    """The compile error ``text`` raises."""
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(text)
    return info.value


def test_a_step_of_0_in_a_chinese_file_quotes_the_chinese_keyword():
    """`每 0`: the Chinese message quotes `每` as the file spells it, under a caret."""
    error = _compile_error(ZH_STEP_0)
    # 每 is column 15: two spaces, 毛利率 (3), a space, 平衡点 (3), a space, 25% (3), a space.
    # The caret covers `每 0`: 每 is two cells wide, then a space and 0: four carets.
    assert error.render("zh") == (
        "<string>:3:15: 错误: `每` 必须大于 0\n"
        "2 |   底薪 5000\n"
        "3 |   毛利率 平衡点 25% 每 0 奖励 200\n"
        "  |                     ^^^^"
    )
    # `.message` is English with English keywords; rendered, it quotes the file's keyword.
    assert error.message == "the step must be greater than 0"
    assert error.render("en").startswith("<string>:3:15: error: the 每 must be greater than 0\n")


def test_the_same_error_in_an_english_file_reads_as_it_always_has():
    """`step 0` in English: `str()` and `render("en")` are the unchanged English text."""
    error = _compile_error(EN_STEP_0)
    assert str(error) == error.render("en")
    assert str(error) == (
        "<string>:3:28: error: the step must be greater than 0\n"
        "2 |   base 5000\n"
        "3 |   gross_margin balance 25% step 0 reward 200\n"
        "  |                            ^^^^^^"
    )
    # In Chinese, the keyword stays as the English file spells it.
    assert error.render("zh").startswith("<string>:3:28: 错误: `step` 必须大于 0\n")


def test_a_missing_clause_and_a_clause_a_commission_does_not_take_in_chinese():
    """Two errors of one Chinese file: the example and the list of clauses are in Chinese."""
    text = "计薪卡 运营 {\n  毛利率 平衡点 25% 每 1%\n  提成 销售额 比例 1% 奖励 5\n}\n"
    error = _compile_error(text)
    first, second = (d.render("zh") for d in error.errors)
    assert first.startswith("<string>:2:3: 错误: 这条平衡点规则缺少 `奖励`\n")
    assert first.endswith("\n提示：写成：指标名 平衡点 30% 每 1% 奖励 200")
    # A commission takes as, beyond, cap, floor, rate, retroactive, scaled_by (in that
    # order, sorted as English), in the file's spelling: 记为、超过、封顶、保底、比例、
    # 全额累进、乘以.
    assert second.startswith("<string>:3:16: 错误: `奖励` 不能用在提成上\n")
    assert second.endswith("\n提示：可以用的有：记为、超过、封顶、保底、比例、全额累进、乘以")


def test_the_same_two_errors_in_english():
    """The English file's two errors keep their English words and English keyword list."""
    text = "card a {\n  gm balance 25% step 1%\n  commission sales rate 1% reward 5\n}\n"
    first, second = _compile_error(text).errors
    assert first.message == "this balance rule has no `reward`"
    assert first.hint == "write: INDICATOR balance 30% step 1% reward 200"
    assert second.message == "`reward` is not a clause of a commission"
    assert second.hint == "it may take: as, beyond, cap, floor, rate, retroactive, scaled_by"


def test_a_table_without_else_names_the_chinese_else():
    """A Chinese table without `其他`: message and hint quote `其他`, the file's word."""
    text = "系数表 系数 {\n  >= 90% : 1.2\n  >= 60% : 1\n}\n"
    error = _compile_error(text + "计薪卡 运营 {\n  底薪 5000\n  奖金 1000 乘以 系数(达成率)\n}\n")
    assert error.render("zh") == (
        "<string>:1:1: 错误: 系数表 `系数` 没有 `其他` 行\n"
        "1 | 系数表 系数 {\n"
        "  | ^^^^^^^^^^^^^\n"
        "提示：在表的最后加一行 `其他 : 数值`，让每个数都能找到对应的行"
    )


def test_a_warning_from_a_chinese_file_in_chinese():
    """`保底 500` on a balance rule warns, in Chinese, with `保底` as the file writes it."""
    text = "计薪卡 运营 {\n  底薪 5000\n  毛利率 平衡点 25% 每 1% 奖励 200 保底 500\n}\n"
    book = ksf.compile(text)
    (warning,) = book.warnings
    # 500 is column 30: the line's 29 characters before it (2 + 3 + 1 + 3 + 1 + 3 + 1 + 2 +
    # 1 + 2 + 1 + 3 + 1 + 2 + 1 + 2 + 1); its caret is three cells wide.
    assert warning.render("zh") == (
        "<string>:3:30: 警告: `保底 500` 让这一项无论结果多差都至少发 500；没有分配额时，"
        "这一项在平衡点发 0，低于平衡点就扣减\n"
        "2 |   底薪 5000\n"
        "3 |   毛利率 平衡点 25% 每 1% 奖励 200 保底 500\n"
        "  |                                         ^^^\n"
        "提示：是不是要写 `保底 -500`，即最多扣减 500？"
    )


def test_the_same_warning_from_an_english_file_in_english():
    """`floor 500` in English: the warning's English text is as it always was."""
    text = "card a {\n  base 5000\n  gross_margin balance 25% step 1% reward 200 floor 500\n}\n"
    (warning,) = ksf.compile(text).warnings
    assert str(warning) == warning.render("en")
    assert warning.message == (
        "`floor 500` pays at least 500 on this line, however bad the result; without a pot, "
        "a line pays 0 at the balance point and deducts below it"
    )
    assert warning.hint == "did you mean `floor -500`, a deduction of at most 500?"


def test_a_list_of_keywords_is_joined_as_each_language_joins_a_list():
    """`keywords` spells each word as the file does and joins with `, ` or `、`."""
    listed = keywords(["cap", "floor", "rate"])
    assert isinstance(listed, Message)
    assert check_lines.LIST(first=Keyword("as"), rest=listed).text("en") == "as, cap, floor, rate"
    assert listed.text("zh") == "封顶、保底、比例"
    assert listed.text("zh", keywords="en") == "cap、floor、rate"


def test_every_check_entry_is_in_the_catalogue():
    """The check stage's four modules are listed, so each entry is held to both spellings."""
    stages = {name.split(".", 1)[0] for name in catalogue.entries()}
    assert {"check", "check_lines", "check_exprs", "check_lint"} <= stages


def _diagnostics(path: Path) -> tuple[ksf.errors.Diagnostic, ...]:
    """The compile errors, or else the warnings, of one fixture; () for other errors."""
    try:
        return ksf.compile(path.read_text(encoding="utf-8"), name=path.name).warnings
    except ksf.KsfCompileError as error:
        return error.errors
    except ksf.KsfError:
        return ()  # a syntax error: the parser's stage, not this one


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_every_fixture_error_of_the_check_stage_is_said_in_chinese(path):
    """Each compile error and warning of tests/errors is a catalogue message, hint included."""
    for found in _diagnostics(path):
        assert isinstance(found.said, Message), found.message
        assert isinstance(found.hint_said, Message | None), found.hint
        assert found.said.text("zh") != found.said.text("en")
