"""The missing-value policy (LANGUAGE.md section 7): which missing values count, and what they pay.

A NaN, an empty cell or a division by zero that a row's card reads is a data error naming
the column and rows, unless the card says `missing as balance` or `missing as zero`; values a
row's card never reads do not count; infinite values are always errors.
"""

from __future__ import annotations

import math

import pytest
from test_edge_cases import TWO_CARDS
from test_edge_cases import pay_of as pay_on_cards
from test_money import GM, NAN, pay_of

import ksf

INF = math.inf


# --- missing values a card reads are data errors ----------------------------------------------


def test_nan_is_a_data_error_naming_column_and_rows():
    """A NaN the card reads is a DataError with the column and the 0-based rows."""
    with pytest.raises(ksf.DataError) as info:
        pay_of(f"card a {{ {GM} }}", {"gross_margin": [0.33, NAN, 0.30, NAN]})
    assert info.value.column == "gross_margin"
    assert info.value.rows == (1, 3)


def test_empty_cell_is_a_data_error():
    """An empty cell (None) in a column the card reads is missing, hence a DataError."""
    with pytest.raises(ksf.DataError) as info:
        pay_of("card a { bonus x }", {"x": [1.0, 2.0, None]})
    assert info.value.column == "x"
    assert info.value.rows == (2,)


def test_data_error_names_employees_by_id():
    """Where an id column exists, the message names the employees by id."""
    data = {"id": ["E01", "E02", "E03"], "gross_margin": [0.33, NAN, 0.30]}
    with pytest.raises(ksf.DataError) as info:
        pay_of(f"card a {{ {GM} }}", data)
    assert info.value.rows == (1,)
    assert "E02" in str(info.value)


def test_nan_in_indicator_input_is_a_data_error():
    """A NaN feeding a file indicator is a DataError on that row."""
    text = (
        "indicator gross_margin = (revenue - cogs) / revenue percent higher_is_better\n"
        f"card a {{ {GM} }}"
    )
    with pytest.raises(ksf.DataError) as info:
        pay_of(text, {"revenue": [100.0, NAN], "cogs": [67.0, 50.0]})
    assert info.value.rows == (1,)
    assert info.value.column in {"revenue", "gross_margin"}  # "the column or indicator"


# --- only what a row's card reads counts ------------------------------------------------------

MIXED_ROLES = """
card dev { gross_margin balance 30% step 1% reward 200 penalty 100 }
card wh  { accuracy balance 99% step 0.1% reward 100 }
"""


def test_empty_cell_in_unread_column_is_not_an_error():
    """A row's empty cell in a column its card never reads is not an error."""
    data = {
        "card": ["dev", "wh", "dev"],
        "gross_margin": [0.33, NAN, 0.27],
        "accuracy": [NAN, 0.995, None],
    }
    pay = ksf.compile(MIXED_ROLES).evaluate(data)
    assert pay["gross_margin"].tolist() == [600.0, 0.0, -300.0]  # +3 * 200; -; -3 * 100
    assert pay["accuracy"].tolist() == [0.0, 500.0, 0.0]  # 99.5%: +5 steps * 100
    assert pay.total.tolist() == [600.0, 500.0, -300.0]


def test_only_rows_that_read_a_missing_value_are_reported():
    """The DataError lists only the rows whose card reads the missing cell."""
    data = {
        "card": ["dev", "wh", "dev", "wh"],
        "gross_margin": [0.33, NAN, NAN, NAN],
        "accuracy": [NAN, 0.995, NAN, 0.99],
    }
    with pytest.raises(ksf.DataError) as info:
        ksf.compile(MIXED_ROLES).evaluate(data)
    assert info.value.column == "gross_margin"
    assert info.value.rows == (2,)


# --- infinite values and division by zero -----------------------------------------------------


@pytest.mark.parametrize("header", ["", "missing as zero", "missing as balance"])
@pytest.mark.parametrize("value", [INF, -INF], ids=["inf", "-inf"])
def test_infinite_value_is_always_a_data_error(header, value):
    """An infinite value is a DataError even where missing values are allowed."""
    text = f"card a {{\n {header}\n {GM}\n}}"
    with pytest.raises(ksf.DataError) as info:
        pay_of(text, {"gross_margin": [0.33, value, 0.30]})
    assert info.value.column == "gross_margin"
    assert info.value.rows == (1,)


MARGIN = "indicator margin = (revenue - cogs) / revenue  percent higher_is_better\n"


MARGIN_RULE = "margin balance 30% step 1% reward 200 penalty 100"


ZERO_REVENUE = {"revenue": [100_000.0, 0.0, 0.0], "cogs": [67_000.0, 0.0, 500.0]}


def test_division_by_zero_is_a_data_error():
    """Division by zero (0/0 or x/0) is missing, so a DataError by default."""
    with pytest.raises(ksf.DataError) as info:
        pay_of(MARGIN + f"card a {{ {MARGIN_RULE} }}", ZERO_REVENUE)
    assert info.value.rows == (1, 2)
    assert info.value.column in {"margin", "revenue"}  # "the column or indicator"


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("balance", [600.0, 0.0, 0.0]), ("zero", [600.0, -3000.0, -3000.0])],
    ids=["missing as balance", "missing as zero"],
)
def test_division_by_zero_with_missing_as(choice, expected):
    """`missing as ...` covers a division by zero, whether 0/0 or -500/0."""
    # 33% -> +3 * 200; balance -> 0; zero: (0 - 0.30) / 0.01 = -30 steps * 100 = -3000
    text = MARGIN + f"card a {{\n missing as {choice}\n {MARGIN_RULE}\n}}"
    assert pay_of(text, ZERO_REVENUE)["margin"].tolist() == expected


def test_division_by_zero_in_a_bonus():
    """A division by zero inside a line's expression is a DataError on that row."""
    with pytest.raises(ksf.DataError) as info:
        pay_of("card a { bonus 1000 * x / y }", {"x": [1.0, 1.0], "y": [2.0, 0.0]})
    assert info.value.rows == (1,)


def test_division_by_zero_in_a_bonus_missing_as_zero():
    """With `missing as zero`, a bonus over a division by zero is 0."""
    text = "card a {\n missing as zero\n bonus 1000 * x / y\n}"
    pay = pay_of(text, {"x": [1.0, 1.0], "y": [2.0, 0.0]})
    assert pay["bonus"].tolist() == [500.0, 0.0]


# --- missing as balance, missing as zero ------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("balance", [600.0, 0.0]), ("zero", [600.0, -3000.0])],
    ids=["missing as balance", "missing as zero"],
)
def test_missing_as(choice, expected):
    """`missing as balance` pays as at the balance point; `missing as zero` reads 0."""
    # zero: (0 - 0.30) / 0.01 = -30 steps * 100 = -3000
    pay = pay_of(f"card a {{\n missing as {choice}\n {GM}\n}}", {"gross_margin": [0.33, NAN]})
    assert pay["gross_margin"].tolist() == expected


def test_missing_as_zero_in_a_bonus():
    """`missing as zero` makes a missing bonus base 0."""
    pay = pay_of("card a {\n missing as zero\n bonus x\n}", {"x": [5.0, NAN]})
    assert pay["bonus"].tolist() == [5.0, 0.0]


def test_explain_shows_the_missing_choice():
    """explain mentions the missing value and how the card treated it."""
    pay = pay_of(f"card a {{\n missing as balance\n {GM}\n}}", {"gross_margin": [0.33, NAN]})
    assert "missing" in pay.explain(1).lower()


# --- a card never reads what a failed condition skips -----------------------------------------


def test_nan_only_where_the_rows_card_does_not_read_it():
    """NaN in x on a card-a row and in gross_margin on a card-b row is no error."""
    data = {"card": ["a", "b"], "gross_margin": [0.33, NAN], "x": [NAN, 2.0]}
    # a: 6000 + 3 * 200; b: 100 + 2 * 1
    assert pay_on_cards(TWO_CARDS, data).total.tolist() == [6600.0, 102.0]


def test_a_bonus_whose_condition_fails_needs_neither_amount_nor_scale():
    """Row 0's condition is false, so its missing amount and scale are never read."""
    pay = pay_on_cards(
        "card a { bonus x scaled_by k when f }", {"x": [NAN, 1.0], "k": [NAN, 2.0], "f": [0, 1]}
    )
    assert pay["bonus"].tolist() == [0.0, 2.0]  # not paid; 1 * 2
    with pytest.raises(ksf.DataError) as info:  # where the condition holds, they are read
        pay_on_cards("card a { bonus x scaled_by k when f }", {"x": [1.0], "k": [NAN], "f": [1]})
    assert (info.value.column, info.value.rows) == ("k", (0,))
