"""Bind: LANGUAGE.md section 2, "Names and where their values come from", at data time.

A definition in the file, then a data column or a `params` scalar, then the standard
indicator library; names none of these define are positioned errors with a suggestion.
"""

from __future__ import annotations

import pytest
from test_semantics import pay_of

import ksf

GM = "gross_margin balance 30% step 1% reward 200 penalty 100"
CARD = f"card a {{ {GM} }}"


def line(text, data, name, params=None):
    """The amounts of line ``name`` with every row on card a."""
    return ksf.compile(text).evaluate(data, card="a", params=params)[name].tolist()


# --- where a name's value comes from ----------------------------------------------------------


def test_library_defines_a_name_from_raw_columns():
    """Without a gross_margin column, the library's (revenue - cogs) / revenue is used."""
    # (100,000 - 67,000) / 100,000 = 33% -> 3 steps * 200
    assert line(CARD, {"revenue": [100_000.0], "cogs": [67_000.0]}, "gross_margin") == [600.0]


def test_data_column_wins_over_the_library():
    """A gross_margin column is read as is, even when revenue and cogs would define it."""
    data = {"gross_margin": [0.35], "revenue": [100_000.0], "cogs": [67_000.0]}
    assert line(CARD, data, "gross_margin") == [1000.0]  # 35%: 5 steps * 200, not 33%'s 600


def test_param_wins_over_the_library():
    """A `params` scalar of the same name is used for every row before the library."""
    data = {"revenue": [100_000.0, 100_000.0], "cogs": [67_000.0, 90_000.0]}
    pay = line(CARD, data, "gross_margin", params={"gross_margin": 0.27})
    assert pay == [-300.0, -300.0]  # 27%: -3 steps * 100 on both rows


def test_file_definition_wins_over_data_and_library():
    """An indicator defined in the file is used even when the data has that column."""
    text = "indicator gross_margin = profit / revenue percent\n" + CARD
    data = {"profit": [32_000.0], "revenue": [100_000.0], "gross_margin": [0.99]}
    assert line(text, data, "gross_margin") == [400.0]  # 32%: 2 steps * 200


@pytest.mark.parametrize(
    "data",
    [{"ad_spend": [25.0, 34.0], "ad_sales": [100.0, 100.0]}, {"acos": [0.25, 0.34]}],
    ids=["from the library", "as a column"],
)
def test_library_direction_holds_for_its_name(data):
    """acos is lower-is-better in the library, whether computed or given as a column."""
    text = "card a { acos balance 30% step 1% reward 100 penalty 50 }"
    # 25%: -(0.25 - 0.30) / 0.01 = +5 steps * 100; 34%: -4 steps * 50
    assert line(text, data, "acos") == [500.0, -200.0]


def test_column_and_param_of_one_name_is_a_data_error():
    """A name given both as a column and as a param is ambiguous, so it is refused."""
    with pytest.raises(ksf.DataError) as info:
        line(CARD, {"gross_margin": [0.33]}, "gross_margin", params={"gross_margin": 0.3})
    assert info.value.column == "gross_margin"


def test_file_indicator_shadows_data_column():
    """An indicator defined in the file wins over a data column of the same name."""
    text = (
        "indicator gross_margin = (revenue - cogs) / revenue percent higher_is_better\n"
        f"card a {{ {GM} }}"
    )
    data = {"revenue": [100_000.0], "cogs": [67_000.0], "gross_margin": [0.99]}
    # the file's 33% gives 3 steps * 200 = 600; the column's 99% would give 13800
    assert pay_of(text, data)["gross_margin"].tolist() == [600.0]


def test_params_scalar_is_a_name():
    """A scalar in `params` is usable by name in every row."""
    pay = pay_of("card a { bonus 1% of profit }", {"x": [1.0, 2.0]}, params={"profit": 1_500_000})
    assert pay["bonus"].tolist() == [15_000.0, 15_000.0]  # 0.01 * 1500000


# --- names unknown until the data is bound ----------------------------------------------------

TYPO_CARD = """\
card product_developer {
  base 6000
  gross_margn balance 30% step 1% reward 200
}
"""


def test_unknown_name_suggests_the_closest_column():
    """`gross_margn` against a `gross_margin` column: positioned, with 'did you mean'."""
    book = ksf.compile(TYPO_CARD, name="pay.ksf")
    with pytest.raises(ksf.KsfCompileError) as info:
        book.evaluate({"gross_margin": [0.33]})
    error = info.value
    assert (error.line, error.column, error.end_line, error.end_column) == (3, 3, 3, 14)
    assert error.message == "unknown name `gross_margn`"
    assert error.hint is not None
    assert error.hint.startswith("did you mean 'gross_margin'")
    assert str(error).startswith("pay.ksf:3:3: error: unknown name `gross_margn`\n")


def test_unknown_name_suggests_a_param():
    """A misspelt params scalar is suggested from the params given."""
    book = ksf.compile("card p { bonus 5% of last_year_proft }")
    with pytest.raises(ksf.KsfCompileError) as info:
        book.evaluate({"x": [1.0]}, params={"last_year_profit": 1e6})
    assert info.value.hint == "did you mean 'last_year_profit'?"


def test_unknown_name_without_a_close_match_says_where_names_come_from():
    """With nothing close, the hint lists the places a name could have come from."""
    book = ksf.compile("card p { bonus qqq * 2 }")
    with pytest.raises(ksf.KsfCompileError) as info:
        book.evaluate({"x": [1.0]})
    assert info.value.hint is not None
    assert "not a column of the data" in info.value.hint


def test_unknown_library_indicator_names_the_missing_columns():
    """A standard indicator the data cannot define says which columns it lacks."""
    book = ksf.compile("card p { gross_margin balance 30% step 1% reward 200 }")
    with pytest.raises(ksf.KsfCompileError) as info:
        book.evaluate({"revenue": [100.0]})
    assert info.value.message == "unknown name `gross_margin`"
    assert info.value.hint is not None
    assert "cogs" in info.value.hint


def test_all_unknown_names_are_reported_together():
    """Two misspelt names in one card give one error listing both, in source order."""
    text = "card p {\n  bonus revenu * 1%\n  bonus cgs * 1% as b2\n}\n"
    book = ksf.compile(text)
    with pytest.raises(ksf.KsfCompileError) as info:
        book.evaluate({"revenue": [100.0], "cogs": [60.0]})
    messages = [(d.span.line, d.message, d.hint) for d in info.value.errors]
    assert messages == [
        (2, "unknown name `revenu`", "did you mean 'revenue'?"),
        (3, "unknown name `cgs`", "did you mean 'cogs'?"),
    ]


def test_unknown_names_only_in_unused_cards_do_not_stop_evaluation():
    """Only the cards the rows use are bound, so a typo in another card is no error yet."""
    text = "card a { bonus x }\ncard b { bonus typo }\n"
    pay = ksf.compile(text).evaluate({"x": [2.0]}, card="a")
    assert pay.total.tolist() == [2.0]
