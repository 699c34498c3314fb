"""Syntax errors and their hints written in Chinese (issue 14), the English ones unchanged.

Each expected text is written out in full: ``file:line:col``, ``错误``, the excerpt with its
caret (a CJK character is two cells wide) and ``提示``. What the parser expected is a list
of figures joined with ``、`` in Chinese; a keyword in an example follows the file's spelling.
"""

from __future__ import annotations

import pytest

import ksf
from ksf.catalogue import syntax as say
from ksf.dsl.syntax_errors import expected_words
from ksf.message import Message
from ksf.rule_text import read_rules


def _syntax_error(text: str) -> ksf.KsfSyntaxError:
    """The syntax error ``text`` raises, compiled as ``销售.ksf``."""
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.compile(text, name="销售.ksf")
    return info.value


def test_a_unit_after_a_number_in_a_chinese_file_is_reported_in_chinese():
    """`100万元`: the parser stops at `元` (line 2, column 10), the hint drops the unit."""
    error = _syntax_error("计薪卡 销售 {\n  底薪 100万元\n}\n")
    # The caret: "  底薪 100万" is 2 + 4 + 1 + 3 + 2 = 12 cells, then `元` takes two.
    assert error.render("zh") == (
        "销售.ksf:2:10: 错误: 此处不应出现名称 '元'；期望：'}'、换行或 ';'、'记为'\n"
        "1 | 计薪卡 销售 {\n"
        "2 |   底薪 100万元\n"
        "  |             ^^\n"
        "提示：数字不带单位：100万元 请写作 100万"
    )


def test_the_same_slip_in_an_english_file_reads_as_it_always_has():
    """The English rendering of an English file is unchanged, and it is `str(error)`."""
    error = _syntax_error("card sales {\n  base 100万元\n}\n")
    # `  base 100万` is 2 + 4 + 1 + 3 + 2 = 12 cells too; `元` is column 12 here.
    assert (
        str(error)
        == error.render("en")
        == (
            "销售.ksf:2:12: error: unexpected name '元'; expected '}', a new line or ';', 'as'\n"
            "1 | card sales {\n"
            "2 |   base 100万元\n"
            "  |             ^^\n"
            "hint: numbers carry no unit: write 100万 for 100万元"
        )
    )
    assert error.message == "unexpected name '元'; expected '}', a new line or ';', 'as'"
    assert error.hint == "numbers carry no unit: write 100万 for 100万元"


def test_a_clause_without_its_value_quotes_the_example_as_the_file_spells_it():
    """`平衡点 每 1%`: the hint's example is written with the file's own keywords."""
    error = _syntax_error("计薪卡 销售 {\n  毛利率 平衡点 每 1% 奖励 200\n}\n")
    # `每` is column 11; before it "  毛利率 平衡点 " is 2 + 6 + 1 + 6 + 1 = 16 cells.
    assert error.render("zh") == (
        "销售.ksf:2:11: 错误: `平衡点` 缺少取值：`每` 是关键字，不是取值\n"
        "1 | 计薪卡 销售 {\n"
        "2 |   毛利率 平衡点 每 1% 奖励 200\n"
        "  |                 ^^\n"
        "提示：在 `平衡点` 后面写上取值：平衡点 30% 每 1% 奖励 200"
    )
    # In English the file's keywords are still its own; `.hint` keeps the English words.
    assert error.render("en").endswith(
        "hint: write the value after `平衡点`: 平衡点 30% 每 1% 奖励 200"
    )
    assert error.hint == "write the value after `平衡点`: balance 30% step 1% reward 200"


def test_an_english_file_without_a_value_gets_the_english_example():
    """The same slip in English: the example says `balance 30% step 1% reward 200`."""
    error = _syntax_error("card sales {\n  gross_margin balance step 1% reward 200\n}\n")
    assert error.render("en") == (
        "销售.ksf:2:24: error: `balance` has no value: `step` is a keyword, not a value\n"
        "1 | card sales {\n"
        "2 |   gross_margin balance step 1% reward 200\n"
        "  |                        ^^^^\n"
        "hint: write the value after `balance`: balance 30% step 1% reward 200"
    )
    assert error.render("zh").endswith(
        "提示：在 `balance` 后面写上取值：balance 30% step 1% reward 200"
    )


def test_a_default_row_in_base_by_names_the_keywords_as_the_file_does():
    """`底薪 按 级别 { 其他: … }`: `base by` is written `底薪 按` for a Chinese file."""
    error = _syntax_error("计薪卡 销售 {\n  底薪 按 级别 { 其他: 6000 }\n}\n")
    assert error.render("zh") == (
        "销售.ksf:2:13: 错误: `底薪 按` 没有 `其他` 行：数据列的每个取值都要逐一列出\n"
        "1 | 计薪卡 销售 {\n"
        "2 |   底薪 按 级别 { 其他: 6000 }\n"
        "  |                  ^^^^\n"
        '提示：请列出该数据列的每个取值；若某个取值就叫 其他，请加引号："其他"'
    )
    assert error.message == "`base by` has no `其他` row: every value of the column is listed"


def test_an_unclosed_block_at_the_end_is_reported_in_chinese():
    """The file ends inside `计薪卡 销售 {`: the caret is after the last character."""
    error = _syntax_error("计薪卡 销售 {\n  底薪 6000\n")
    # "  底薪 6000" is 9 characters, so the end is column 10, 2 + 4 + 1 + 4 = 11 cells in.
    assert error.render("zh") == (
        "销售.ksf:2:10: 错误: 文件在一条语句的中途结束了\n"
        "1 | 计薪卡 销售 {\n"
        "2 |   底薪 6000\n"
        "  |            ^\n"
        "提示：第 1 行开始的块没有闭合：请在文件末尾加上 '}'"
    )


def test_a_block_left_open_before_the_next_card_is_still_found_after_it():
    """The unclosed-block error is known by its catalogue entry, so recovery goes on."""
    error = _syntax_error("计薪卡 a {\n  底薪 100\n\n计薪卡 b {\n  底薪 ,\n}\n")
    first = error.errors[0]
    assert isinstance(first.said, Message)
    assert first.said.said is say.NOT_CLOSED
    assert first.render("zh").split("\n")[0] == "销售.ksf:4:1: 错误: 第 1 行开始的块没有闭合"
    assert [e.span.line for e in error.errors] == [4, 5]


def test_what_the_parser_expected_is_listed_in_either_language():
    """Kinds of token are said in the reader's language, in one order for both."""
    listed = expected_words({"DECIMAL", "PERCENT", "_SEP", "RBRACE"})
    assert isinstance(listed, Message)
    # '}' first (punctuation), then kinds of token sorted by their English words.
    assert listed.text("en") == "'}', a new line or ';', a number, a percentage"
    assert listed.text("zh") == "'}'、换行或 ';'、一个数字、一个百分数"


def test_a_misspelt_clause_is_hinted_in_chinese():
    """`stp` in an English file: 是不是要写 'step'？ (the name, as typed, is not translated)."""
    error = _syntax_error("card a {\n  gross_margin balance 30% stp 1% reward 200\n}\n")
    assert error.render("zh").startswith("销售.ksf:2:28: 错误: 此处不应出现名称 'stp'；期望：'}'、")
    assert error.render("zh").endswith("\n提示：是不是要写 'step'？")


def test_a_gbk_file_is_told_to_be_saved_as_utf8_in_chinese(tmp_path):
    """A GBK file: the hint's optional part (it reads as GBK) is said in Chinese too."""
    path = tmp_path / "规则.ksf"
    path.write_bytes("计薪卡 a { 底薪 100 }\n".encode("gbk"))
    with pytest.raises(ksf.KsfSyntaxError) as info:
        read_rules(path)
    # 计 is BC C6 in GBK; 0xBC is a UTF-8 continuation byte, so the very first byte is bad.
    zh = info.value.render("zh")
    assert zh.startswith(f"{path}:1:1: 错误: 文件不是 UTF-8 文本（字节 0xBC）\n")
    assert zh.endswith(
        "提示：请把文件另存为 UTF-8 编码；它可按 GBK 读出，这是中文 Windows 编辑器默认保存的编码"
    )
    assert info.value.hint == (
        "save the file as UTF-8; it reads as GBK, the encoding Chinese Windows editors save "
        "by default"
    )


@pytest.mark.parametrize(
    ("text", "head", "hint"),
    [
        (
            "计薪卡 a {\n  底薪 6000；\n}\n",
            "销售.ksf:2:10: 错误: 此处不应出现字符 '；'",
            "提示：这是全角字符，请改用 ';'",
        ),
        (
            "计薪卡 a { 奖金 销售额 × 2 }",
            "销售.ksf:1:16: 错误: 此处不应出现字符 '×'",
            "提示：运算符要用 ASCII 字符书写：请改用 '*'",
        ),
        (
            "计薪卡 a {\u3000底薪 1 }",
            "销售.ksf:1:8: 错误: 此处不应出现字符 '\\u3000'",
            "提示：这是全角空格，请改用普通（半角）空格",
        ),
        (
            "计薪卡 a {\n  最低工次 2360\n}",
            "销售.ksf:2:3: 错误: 未知的语句 '最低工次'",
            "提示：是不是要写 '最低工资'？",
        ),
        (
            "计薪卡 a { 底薪 100 万 }",
            "销售.ksf:1:16: 错误: 此处不应出现名称 '万'；期望：'}'、换行或 ';'、'记为'",
            "提示：万 要紧跟在数字后面，中间不留空格：100万",
        ),
        (
            "计薪卡 a { 底薪 3亿 }",  # 3 × 100,000,000 = 300000000
            "销售.ksf:1:13: 错误: 此处不应出现名称 '亿'；期望：'}'、换行或 ';'、'记为'",
            "提示：数字除 万 以外不带单位：3亿 请写作 300000000",
        ),
        (
            "Card a { base 1 }",
            "销售.ksf:1:1: 错误: 此处不应出现名称 'Card'；期望：换行或 ';'、'card'、'column'、"
            "'currency'、'indicator'、'language'、'pool'、'rounding'、'score'、'table'",
            "提示：关键字要用小写：'card'",
        ),
    ],
)
def test_each_slip_has_its_chinese_hint(text, head, hint):
    """Full-width signs, `×`, a misspelt statement, 万 and 亿, capitals: each said in Chinese."""
    lines = _syntax_error(text).render("zh").split("\n")
    assert (lines[0], lines[-1]) == (head, hint)


def test_a_name_run_into_a_keyword_is_hinted_in_chinese():
    """`毛利率平衡点`: the hint puts the space back, in Chinese."""
    error = _syntax_error("计薪卡 a { 毛利率平衡点 25% 每 1% 奖励 200 }")
    assert error.render("zh").endswith(
        "\n提示：关键字与名称之间要用空格隔开：是不是要写 `毛利率 平衡点`？"
    )
