"""LANGUAGE.md section 2, "Names and where their values come from": a definition in the file,
then a data column or a `params` scalar, then the standard indicator library.
"""

from __future__ import annotations

import pytest

import ksf

GM = "gross_margin balance 30% step 1% reward 200 penalty 100"
CARD = f"card a {{ {GM} }}"


def line(text, data, name, params=None):
    """The amounts of line ``name`` with every row on card a."""
    return ksf.compile(text).evaluate(data, card="a", params=params)[name].tolist()


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
