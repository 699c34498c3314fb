"""Odd but valid input a payroll meets in practice: dtypes, empty and one-row data, rounding
units other than the cent, negative and huge amounts. (Pools with gaps in their groups are
in test_pools.py.)

Every figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import ksf

NAN = math.nan
GM = "gross_margin balance 30% step 1% reward 200 penalty 100"
ONE_CARD = f"card a {{\n base 6000\n {GM}\n}}"
TWO_CARDS = ONE_CARD + "\ncard b {\n base 100\n x balance 0 step 1 reward 1\n}"


def pay_of(text, data, **kwargs):
    """Compile ``text`` and evaluate ``data``."""
    return ksf.compile(text).evaluate(data, **kwargs)


# --- shapes of data -------------------------------------------------------------------------


def test_zero_rows_with_a_card_argument():
    """No rows in, no rows out, each line an empty float64 array."""
    pay = pay_of(ONE_CARD, {"gross_margin": []}, card="a")
    assert pay.total.dtype == np.float64
    assert pay.total.tolist() == []
    assert pay["gross_margin"].tolist() == []


def test_one_row():
    """A single row: 6000 + 3 steps * 200 = 6600."""
    pay = pay_of(ONE_CARD, {"gross_margin": [0.33]})
    assert pay.total.tolist() == [6600.0]
    assert "total: 6,600.00" in pay.explain(0)


@pytest.mark.parametrize(
    "values",
    [np.array([1, 0]), np.array([1, 0], dtype=np.int32), np.array([True, False])],
    ids=["int64", "int32", "bool"],
)
def test_integer_and_boolean_columns_are_numbers(values):
    """1 (or True) is 100%: (1 - 0.30) / 0.01 = 70 steps * 200; 0 is -30 steps * 100."""
    pay = pay_of(ONE_CARD, {"gross_margin": values})
    assert pay["gross_margin"].tolist() == [14_000.0, -3_000.0]


def test_object_column_with_none_is_missing():
    """An object column of numbers and None: the None is a missing value on its row."""
    values = np.array([0.33, None], dtype=object)
    with pytest.raises(ksf.DataError) as info:
        pay_of(ONE_CARD, {"gross_margin": values})
    assert (info.value.column, info.value.rows) == ("gross_margin", (1,))


def test_pandas_nullable_integer_with_na_is_missing():
    """pandas' Int64 with <NA>: the NA is missing; the 1 is 70 steps * 200 = 14000."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"gross_margin": pd.array([1, None], dtype="Int64")})
    with pytest.raises(ksf.DataError) as info:
        pay_of(ONE_CARD, frame)
    assert info.value.rows == (1,)
    frame = pd.DataFrame({"gross_margin": pd.array([1, None], dtype="Int64")})
    pay = pay_of("card a {\n missing as balance\n" + GM + "\n}", frame)
    assert pay["gross_margin"].tolist() == [14_000.0, 0.0]


def test_pandas_categorical_card_column():
    """A categorical card column picks each row's card; unused categories do not matter."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "card": pd.Categorical(["a", "b", "a"], categories=["a", "b", "unused"]),
            "gross_margin": [0.33, NAN, 0.27],  # card b never reads it
            "x": [NAN, 5.0, NAN],  # card a never reads it
        }
    )
    pay = pay_of(TWO_CARDS, frame)
    # a: 6000 + 600; b: 100 + 5 steps * 1; a: 6000 - 300
    assert pay.total.tolist() == [6600.0, 105.0, 5700.0]
    assert pay.cards.tolist() == ["a", "b", "a"]


def test_pandas_categorical_card_column_with_an_empty_cell():
    """A row with no card is a DataError on that row, not a row silently dropped."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"card": pd.Categorical(["a", None]), "gross_margin": [0.33, 0.33], "x": [1.0, 1.0]}
    )
    with pytest.raises(ksf.DataError) as info:
        pay_of(TWO_CARDS, frame)
    assert (info.value.column, info.value.rows) == ("card", (1,))


def test_unknown_card_names_every_row_that_uses_it():
    """Rows 1 and 3 name a card the file lacks; both are reported, row 0 is fine."""
    data = {"card": ["a", "zz", "b", "zz"], "gross_margin": [0.3] * 4, "x": [1.0] * 4}
    with pytest.raises(ksf.DataError) as info:
        pay_of(TWO_CARDS, data)
    assert info.value.rows == (1, 3)
    assert "'zz'" in str(info.value)


def test_unknown_card_names_the_employees_by_id():
    """Where an id column exists, the unknown-card error names employees, not row numbers."""
    data = {"employee": ["E01", "E02"], "card": ["a", "zz"], "gross_margin": [0.3, 0.3]}
    with pytest.raises(ksf.DataError) as info:
        pay_of(TWO_CARDS, {**data, "x": [1.0, 1.0]})
    assert info.value.rows == (1,)
    assert info.value.labels == ("E02",)


# --- money -----------------------------------------------------------------------------------


def test_negative_amounts_round_half_up_away_from_zero():
    """-0.125 -> -0.13, -0.005 -> -0.01, -0.0049 -> -0.00 shown as 0.0 (never -0.0)."""
    pay = pay_of("card a { bonus x }", {"x": [-0.125, -0.005, -0.0049]})
    assert pay["bonus"].tolist() == [-0.13, -0.01, 0.0]
    assert math.copysign(1.0, pay["bonus"][2]) == 1.0


@pytest.mark.parametrize(
    ("unit", "values", "expected"),
    [
        # whole yuan: 0.5 -> 1, 2.5 -> 3 (not NumPy's 2), -0.5 -> -1, 2.4999 -> 2
        ("1", [0.5, 2.5, -0.5, 2.4999], [1.0, 3.0, -1.0, 2.0]),
        # 5 fen: 0.025 is half of 0.05 -> 0.05; 1.024 is 20.48 units -> 1.00; 1.025 -> 1.05
        ("0.05", [0.025, 1.024, 1.025, -0.025], [0.05, 1.0, 1.05, -0.05]),
        # tens of yuan: 5 -> 10, 14.9 -> 10, 15 -> 20, -5 -> -10
        ("10", [5.0, 14.9, 15.0, -5.0], [10.0, 10.0, 20.0, -10.0]),
    ],
    ids=["1", "0.05", "10"],
)
def test_rounding_units_other_than_the_cent(unit, values, expected):
    """`rounding U half_up` rounds each line to a multiple of U, halves away from zero."""
    pay = pay_of(f"rounding {unit} half_up\ncard a {{ bonus x }}", {"x": values})
    assert pay["bonus"].tolist() == expected


def test_total_in_five_fen_units_is_the_sum_of_rounded_lines():
    """0.025 + 0.025 rounds line by line to 0.05 + 0.05 = 0.10, plus base 0.05 = 0.15."""
    text = "rounding 0.05\ncard a {\n base 0.05\n bonus x as p\n bonus x as q\n}"
    pay = pay_of(text, {"x": [0.025, 0.075]})
    # row 1: 0.075 is 1.5 units -> 2 units = 0.10 twice: 0.05 + 0.10 + 0.10 = 0.25
    assert pay.total.tolist() == [0.15, 0.25]


def test_large_amounts_stay_exact_to_the_cent():
    """123,456,789.125 rounds half-up to 123,456,789.13; 9,999,999,999.99 is kept as is."""
    pay = pay_of("card a { bonus x }", {"x": [123_456_789.125, 9_999_999_999.99]})
    assert pay["bonus"].tolist() == [123_456_789.13, 9_999_999_999.99]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # 1e13 yuan is 1e15 cents: float64 would round it to 10,000,000,000,000.04
        ("card a { bonus x }", [5.0, 1e13 + 0.004]),
        # 1e308 * 2 overflows to inf in the total
        ("card a {\n bonus x as p\n bonus x as q\n}", [5.0, 1e308]),
        # a fixed line near the limit, with a bonus that takes the total past it
        ("card a {\n base 9_999_999_999\n bonus x\n}", [0.5, 5.0]),
    ],
    ids=["too large to round", "overflow", "huge base"],
)
def test_amounts_too_large_to_round_exactly_are_a_data_error(text, values):
    """An amount past 1e12 rounding units, or an overflow, is bad data, not a payslip."""
    with pytest.raises(ksf.DataError) as info:
        pay_of(text, {"x": values})
    assert 1 in info.value.rows
    assert "rounded exactly" in str(info.value)


# --- messages --------------------------------------------------------------------------------


def test_syntax_error_at_a_line_end_reads_as_english():
    """A statement cut short by the end of its line says so in plain words."""
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.compile("card a {\n base 6000\n bonus 1 +\n}")
    assert info.value.message.startswith("unexpected end of the line; expected ")
    assert (info.value.line, info.value.column) == (3, 11)


@pytest.mark.parametrize(
    "text",
    [
        "card a { bonus " + "9" * 400 + " }",
        "table t { >= " + "9" * 400 + ": 1\n else: 0 }\ncard a { bonus t(x) }",
        "card a { bonus x * " + "9" * 400 + "% }",
    ],
    ids=["amount", "table key", "percent"],
)
def test_a_number_too_large_for_float64_is_a_syntax_error(text):
    """A 400-digit literal would be inf; it is refused where it is written."""
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.compile(text)
    assert info.value.message.startswith("the number 9999")
    assert info.value.message.endswith("is too large")


@pytest.mark.parametrize(
    "text",
    ["card a { bonus x when 1 / (2 - 2) > 1 }", "card a { bonus x / 0% }"],
    ids=["folded in a condition", "zero percent"],
)
def test_division_by_a_constant_zero_is_a_compile_error(text):
    """Every row would be missing (or a condition silently false), so it is refused."""
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(text)
    assert info.value.message.startswith("division by zero")


def test_lines_follow_the_file_order_of_cards_whatever_the_row_order():
    """`pay.lines` is the union in the file's card order, so permuting rows never reorders it."""
    data = {"card": ["b", "a"], "gross_margin": [NAN, 0.33], "x": [5.0, NAN]}
    pay = pay_of(TWO_CARDS, data)
    # card a (first in the file): base, gross_margin; then card b adds x
    assert pay.lines == ("base", "gross_margin", "x")
    assert pay["x"].tolist() == [5.0, 0.0]
    assert pay.total.tolist() == [105.0, 6600.0]  # 100 + 5 * 1; 6000 + 3 * 200
    # only the cards the data uses contribute lines
    assert pay_of(TWO_CARDS, {"card": ["b"], "x": [1.0]}).lines == ("base", "x")


def test_many_unknown_cards_are_listed_briefly():
    """10,000 rows naming 10,000 different unknown cards: five shown, the rest counted."""
    names = [f"c{k:05d}" for k in range(10_000)]
    with pytest.raises(ksf.DataError) as info:
        pay_of(TWO_CARDS, {"card": names, "gross_margin": [0.3] * 10_000, "x": [1.0] * 10_000})
    assert len(info.value.rows) == 10_000
    assert "'c00000', 'c00001', 'c00002', 'c00003', 'c00004' and 9,995 more" in str(info.value)
    assert len(str(info.value)) < 500


def test_pandas_string_grade_with_na_is_a_missing_grade():
    """A base looked up by a grade that is pd.NA is a data error on that row."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"grade": pd.array(["A", None], dtype="string")})
    with pytest.raises(ksf.DataError) as info:
        pay_of("card a { base by grade { A: 9000, B: 7500 } }", frame)
    assert (info.value.column, info.value.rows) == ("grade", (1,))
    assert "(empty)" in str(info.value)


def test_a_gbk_rule_file_is_a_positioned_error_with_a_hint(tmp_path):
    """A file saved as GBK (Chinese Windows) is a KsfSyntaxError at its first non-UTF-8 byte."""
    path = tmp_path / "pay.ksf"
    path.write_bytes("card a {\n  base 6000\n}\n# 产品开发\n".encode("gbk"))
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.load(path)
    assert info.value.message == "the file is not UTF-8 text (byte 0xB2)"  # 产 is B2 FA
    assert (info.value.line, info.value.column) == (4, 3)
    assert "GBK" in (info.value.hint or "")
    assert str(info.value).startswith(f"{path}:4:3: error: ")


def test_a_utf8_file_with_a_byte_order_mark_still_loads(tmp_path):
    """The BOM Notepad writes is not part of the rules."""
    path = tmp_path / "pay.ksf"
    path.write_bytes(b"\xef\xbb\xbf" + "card 产品开发 { base 6000 }\n".encode())
    assert ksf.load(path).evaluate({"x": [1.0]}).total.tolist() == [6000.0]
