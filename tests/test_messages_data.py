"""Data errors (binding and evaluating) written in Chinese as well as English (issue 14).

Each test raises a real error from real rules and data, and checks both spellings: the
English exactly as it has always been, the Chinese as worked out by hand from the catalogue
(`ksf.catalogue.data`, `data_run`, `data_rows`, `data_tables`).
"""

from __future__ import annotations

import pytest

import ksf
from ksf.errors import DataError
from ksf.indicators.tables import Table
from ksf.message import Message
from ksf.rule_text import format_text

POOL = """
pool team_pool per team {
  profit above last_profit share team_share
  cap team_cap
}
card c { share team_pool }
"""


def test_text_in_a_number_column_names_the_employees_in_chinese():
    """A text cell where a rule reads a number: column, first bad cell and employees."""
    book = ksf.compile("card c { bonus revenue * 0.01 }")
    data = {"employee": ["E1", "E2", "E3"], "revenue": ["100", "1 万元", "abc"]}
    with pytest.raises(DataError) as caught:
        book.evaluate(data, card="c")
    error = caught.value
    assert isinstance(error.said, Message)
    assert str(error) == (
        "data error: column 'revenue' holds text where the rules need numbers, e.g. '1 万元'"
        "\n  employees: E2, E3"
    )
    # TEXT_NOT_NUMBER in the frame of common.DATA_ERROR + WHO: it names the column itself
    assert error.render("zh") == (
        "数据错误：列 'revenue' 在规则需要数字的地方存的是文本，例如 '1 万元'\n  员工：E2, E3"
    )


def test_a_yes_no_column_is_told_to_hold_1_and_0_in_chinese():
    """Every bad cell a yes/no word: the message says to write 1 and 0, in either language."""
    book = ksf.compile("card c { bonus revenue * 0.01 }")
    with pytest.raises(DataError) as caught:
        book.evaluate({"employee": ["E1", "E2"], "revenue": ["是", "否"]}, card="c")
    assert caught.value.render("zh") == (
        "数据错误：列 'revenue' 在规则需要数字的地方存的是文本，例如 '是'；是/否列请用 1 表示是、"
        "0 表示否（.xlsx 中可用 TRUE/FALSE 单元格）\n  员工：E1, E2"
    )


def test_an_unknown_name_at_bind_suggests_the_column_in_chinese():
    """`revenu` is not a column, param nor indicator: the hint names `revenue`."""
    with pytest.raises(ksf.KsfCompileError) as caught:
        ksf.compile("card c { bonus revenu * 0.01 }").evaluate({"revenue": [1.0]}, card="c")
    error = caught.value
    excerpt = "\n1 | card c { bonus revenu * 0.01 }\n  |                ^^^^^^\n"
    assert error.render("en") == (
        "<string>:1:16: error: unknown name `revenu`" + excerpt + "hint: did you mean 'revenue'?"
    )
    assert error.render("zh") == (
        "<string>:1:16: 错误: 未知名称 `revenu`" + excerpt + "提示：是不是要写 'revenue'？"
    )


def test_an_unknown_library_need_is_said_in_chinese():
    """A standard indicator whose column the data lacks: the hint names the column."""
    with pytest.raises(ksf.KsfCompileError) as caught:
        ksf.compile("card c { bonus acos * 100 }").evaluate({"ad_spend": [1.0]}, card="c")
    hint = caught.value.render("zh").rsplit("\n", 1)[-1]
    assert hint == "提示：标准指标 `acos` 需要列 ad_sales，数据中没有"
    assert caught.value.hint == (
        "the standard indicator `acos` needs the column ad_sales, which the data lacks"
    )


def test_a_per_row_step_not_above_0_names_employees_and_the_chinese_keyword():
    """`step s` read per row: rows with 0 or −1 are refused; in Chinese the clause is `每 s`."""
    book = ksf.compile("card c { v balance 1 step s reward 1 }")
    data = {"employee": ["E1", "E2", "E3"], "v": [1.0, 2.0, 3.0], "s": [1.0, 0.0, -1.0]}
    with pytest.raises(DataError) as caught:
        book.evaluate(data, card="c")
    error = caught.value
    assert str(error) == (
        "data error: `step s` of line 'v' must be above 0 (column 's')\n  employees: E2, E3"
    )
    # CLAUSE_OF_LINE_IS: 项目 {line} 的 `{clause}` {words}; `step` is 每 in Chinese
    assert error.render("zh") == (
        "数据错误：项目 'v' 的 `每 s` 必须大于 0（列 's'）\n  员工：E2, E3"
    )


def test_a_pool_value_that_varies_in_a_group_is_said_in_chinese():
    """A pool threshold read per row must be one value per group: team x has two."""
    data = {
        "employee": ["A", "B", "C"],
        "team": ["x", "x", "y"],
        "profit": [1_500_000.0, 1_500_000.0, 900_000.0],
        "last_profit": [1_200_000.0, 1_100_000.0, 800_000.0],  # A and B differ
        "team_share": [0.2, 0.2, 0.1],
        "team_cap": [50_000.0, 50_000.0, 20_000.0],
    }
    with pytest.raises(DataError) as caught:
        ksf.compile(POOL).evaluate(data, card="c")
    error = caught.value
    assert str(error) == (
        "data error: pool 'team_pool': its `above last_profit` must have one value per pool, "
        "but it varies in group 'x' (column 'last_profit')\n  employees: A, B"
    )
    assert error.render("zh") == (
        "数据错误：奖金池 'team_pool' 的 `超出 last_profit` 在每个奖金池中只能有一个值，"
        "但它在组 'x' 中的值不一致（列 'last_profit'）\n  员工：A, B"
    )


def test_a_group_hint_quotes_all_as_the_rule_file_spells_it():
    """A missing `over` column: the hint's `all` is `全体` in a Chinese file, `all` otherwise."""
    english = "card c {\n  bonus sales / sum(sales over zone) * 1000\n}\n"
    data = {"sales": [1.0, 3.0], "team": ["a", "b"]}
    hints = []
    for text in (english, format_text(english, lang="zh")):
        with pytest.raises(ksf.KsfCompileError) as caught:
            ksf.compile(text).evaluate(data, card="c")
        hints.append(caught.value.render("zh").rsplit("\n", 1)[-1])
        assert "数据中没有 `sum(sales " in caught.value.render("zh")
    assert hints == [
        "提示：`over`（`按`）后写一个列名，该列取值相同的行为一组；或写 `all`",
        "提示：`over`（`按`）后写一个列名，该列取值相同的行为一组；或写 `全体`",
    ]


def test_an_aggregate_table_error_names_the_table_in_chinese():
    """A raw table without a required column: the table, the column and the closest name."""
    with pytest.raises(DataError) as caught:
        Table("orders", {"qyt": [1.0]}, ("qty",), ())
    error = caught.value
    assert str(error) == (
        "data error: the orders table has no column 'qty'; did you mean 'qyt'? "
        "(table 'orders', column 'qty')"
    )
    assert error.render("zh") == (
        "数据错误：orders 表中没有列 'qty'；是不是要写 'qyt'？（表 'orders'，列 'qty'）"
    )


def test_a_prorated_base_divided_by_a_zero_column_names_the_line_and_that_column():
    """A prorated 底薪 with 应出勤天数 0: the line as the file spells it, and the zero column."""
    text = "语言 zh\n计薪卡 运营 {\n  底薪 (6000 * 出勤天数 / 应出勤天数)\n}\n"
    book = ksf.compile(text)
    data = {"工号": ["A1", "A2"], "出勤天数": [20, 0], "应出勤天数": [22, 0]}
    with pytest.raises(DataError) as caught:
        book.evaluate(data, id_column="工号")
    error = caught.value
    # row A2 only: 0 / 0; the line ksf names `base` is 底薪 in Chinese, `base` in English
    assert error.column == "应出勤天数"
    assert error.rows == (1,)
    assert error.render("zh") == (
        "数据错误：项目 '底薪' 中出现除以零：除数为 0（列 '应出勤天数'）\n  员工：A2"
    )
    assert str(error) == (
        "data error: division by zero in line 'base': the divisor is 0 (column '应出勤天数')\n"
        "  employees: A2"
    )


def test_a_division_by_zero_of_an_expression_names_no_column():
    """Dividing by `(a - b)`, which is 0: the line is named, and no column that does not exist."""
    book = ksf.compile("card c { base (6000 / (a - b)) }")
    with pytest.raises(DataError) as caught:
        book.evaluate({"a": [3.0, 2.0], "b": [1.0, 2.0]})
    error = caught.value
    # row 1: 2 - 2 = 0
    assert error.column is None
    assert error.rows == (1,)
    assert str(error) == "data error: division by zero in line 'base'\n  rows: 1"
    assert error.render("zh") == "数据错误：项目 '底薪' 中出现除以零\n  行：1"


def test_repeated_ids_name_the_command_line_flag_and_the_python_argument_in_chinese():
    """Duplicate ids: the Chinese names `--allow-duplicate-ids` and, for Python, the argument."""
    book = ksf.compile("card c { base 6000 }")
    with pytest.raises(DataError) as caught:
        book.evaluate({"employee": ["E1", "E1"]})
    assert "请在命令行加上 `--allow-duplicate-ids`（Python 中传入 `allow_duplicate_ids=True`）" in (
        caught.value.render("zh")
    )


def test_no_card_column_but_a_chinese_card_column_says_it_must_be_named_card():
    """Two cards, a 计薪卡 column and no `card` column: the error says how to name it."""
    book = ksf.compile("语言 zh\n计薪卡 a { 底薪 6000 }\n计薪卡 b { 底薪 5000 }\n")
    with pytest.raises(DataError) as caught:
        book.evaluate({"employee": ["E1"], "计薪卡": ["a"]})
    assert caught.value.render("zh") == (
        "数据错误：数据中没有 `card` 列（`计薪卡` 列不会被当作计薪卡列读取，计薪卡列必须命名为 "
        "`card`）；请传入 `card=名称`，或添加一列写明每行所用的计薪卡（计薪卡：a, b）"
    )
    assert str(caught.value) == (
        "data error: the data has no `card` column (the column `计薪卡` is not read as the card "
        "column, which must be named `card`); pass card=NAME or add a column naming each row's "
        "card (cards: a, b)"
    )


def test_a_chinese_card_column_in_a_one_card_file_is_warned_about():
    """One card and a 计薪卡 column: `check_data` warns that it is not the card column."""
    book = ksf.compile("语言 zh\n计薪卡 a { 底薪 6000 }\n")
    (warning,) = book.check_data(["employee", "计薪卡"])
    assert warning.message == (
        "the data has a column `计薪卡`, but it is not read as the card column: that column "
        "must be named `card`"
    )
    assert warning.span.line == 2
    assert book.check_data(["employee", "计薪卡", "card"]) == ()
    assert book.check_data(["employee"]) == ()
