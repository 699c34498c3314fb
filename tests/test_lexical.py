"""Lexical rules of LANGUAGE.md section 1, checked through compiled and evaluated rule text.

Every literal is observed as money: a `bonus` line multiplies it by a known column, so the
value the lexer gave it shows up, rounded to the cent, in ``pay["bonus"]``.
"""

from __future__ import annotations

import pytest

import ksf

ONE_ROW = {"x": [1000.0]}


def pay_of(text, data, card="a"):
    """Compile ``text`` and evaluate ``data`` with every row on ``card``."""
    return ksf.compile(text).evaluate(data, card=card)


# --- numbers, percents, ratios ------------------------------------------------------------

LITERALS = [
    ("200", 200_000.0),  # 1000 * 200
    ("0.75", 750.0),  # 1000 * 0.75
    ("1_200_000", 1_200_000_000.0),  # underscores ignored: 1000 * 1200000
    ("1_000.5", 1_000_500.0),  # 1000 * 1000.5
    ("30%", 300.0),  # 30% is 0.30: 1000 * 0.30
    ("0.1%", 1.0),  # 0.1% is 0.001: 1000 * 0.001
    ("100%", 1000.0),  # 1.00
    ("1:3", 3000.0),  # a:b is b/a: 3/1 = 3.0
    ("2:5", 2500.0),  # 5/2 = 2.5
    ("4:1", 250.0),  # 1/4 = 0.25
    ("3:1", 333.33),  # 1/3: 1000/3 = 333.333... -> 333.33
]


@pytest.mark.parametrize(
    ("literal", "expected"), LITERALS, ids=[literal for literal, _ in LITERALS]
)
def test_literal_has_its_stated_value(literal, expected):
    """A number, percent or ratio literal means the number section 1 gives it."""
    pay = pay_of(f"card a {{ bonus x * {literal} }}", ONE_ROW)
    assert pay["bonus"].tolist() == [expected]


def test_percent_alone_is_a_fraction():
    """`bonus 30%` pays 0.30, not 30."""
    assert pay_of("card a { bonus 30% }", ONE_ROW)["bonus"].tolist() == [0.3]


def test_negative_number_literal():
    """`-1500` is minus one thousand five hundred."""
    assert pay_of("card a { bonus -1500 }", ONE_ROW)["bonus"].tolist() == [-1500.0]


def test_negative_floor_literal():
    """`floor -1500` limits a deduction to 1500."""
    text = "card a { gross_margin balance 30% step 1% reward 200 penalty 100 floor -1500 }"
    # 10%: (0.10 - 0.30) / 0.01 = -20 steps * 100 = -2000, floored at -1500
    pay = pay_of(text, {"gross_margin": [0.10]})
    assert pay["gross_margin"].tolist() == [-1500.0]


def test_ratio_as_balance_point():
    """`balance 1:3` is a balance point of 3.0 (one spent, three earned)."""
    text = "card a { roi balance 1:3 step 0.5 reward 100 }"
    # roi 4.0: (4 - 3) / 0.5 = 2 steps -> 200; 3.0 -> 0; 2.0: -2 steps -> -200
    pay = pay_of(text, {"roi": [4.0, 3.0, 2.0]})
    assert pay["roi"].tolist() == [200.0, 0.0, -200.0]


def test_underscores_in_rule_clauses():
    """Underscores in numbers are ignored inside rule clauses too."""
    text = "card a { store_sales balance 820_000 step 5_000 reward 15 }"
    # 835000: (835000 - 820000) / 5000 = 3 steps * 15 = 45
    pay = pay_of(text, {"store_sales": [835_000.0]})
    assert pay["store_sales"].tolist() == [45.0]


# --- identifiers --------------------------------------------------------------------------

NAMES = ["毛利率", "_margin", "sales_2024", "毛利率_2024", "Gross_Margin", "x1"]


@pytest.mark.parametrize("name", NAMES, ids=["cjk", "underscore", "digits", "mixed", "caps", "x1"])
def test_identifier_names_a_column(name):
    """A letter (CJK included) or `_` followed by letters, digits, `_` is one identifier."""
    text = f"card a {{ {name} balance 30% step 1% reward 200 }}"
    # 33%: 3 steps * 200 = 600
    pay = pay_of(text, {name: [0.33]})
    assert pay[name].tolist() == [600.0]


def test_cjk_names_for_card_table_lines_and_columns():
    """Cards, tables, line names and columns may all be CJK identifiers."""
    text = """
table 绩效系数 {
  >= 90 : 1.2
  else  : 0
}
card 产品开发 "产品开发" {
  毛利率 balance 30% step 1% reward 200 as 毛利奖罚
  bonus 1000 * 绩效系数(考核分) as 绩效奖金
}
"""
    pay = pay_of(text, {"毛利率": [0.33], "考核分": [95.0]}, card="产品开发")
    assert pay["毛利奖罚"].tolist() == [600.0]  # 3 steps * 200
    assert pay["绩效奖金"].tolist() == [1200.0]  # 1000 * 1.2


def test_identifier_cannot_start_with_a_digit():
    """`2x` is not a name (a number then a name is a syntax error)."""
    with pytest.raises(ksf.KsfSyntaxError):
        pay_of("card a { bonus 2x }", {"x": [1.0]})


# --- comments -----------------------------------------------------------------------------


def test_comments_run_to_end_of_line():
    """`#` starts a comment to the end of the line, whatever it contains."""
    text = """# 产品开发的 KSF 薪酬卡 {
card a {   # the card; opens here
  # a whole-line comment with a brace } and a semicolon ;
  base 6000   # old salary: 5000; raised {2024}
  gross_margin balance 30% step 1% reward 200  # 33% -> 600
}
# a last comment with no newline after it"""
    pay = pay_of(text, {"gross_margin": [0.33]})
    assert pay["base"].tolist() == [6000.0]
    assert pay["gross_margin"].tolist() == [600.0]
    assert pay.total.tolist() == [6600.0]  # 6000 + 600


def test_hash_inside_a_label_is_not_a_comment():
    """A `#` inside a string label belongs to the label."""
    pay = pay_of('card a "A # team" { base 1 }', ONE_ROW)
    assert pay["base"].tolist() == [1.0]


# --- statement ends -----------------------------------------------------------------------

SAME_CARD = {
    "newlines": (
        "card a {\n"
        "  base 6000\n"
        "  allowance 300 as housing\n"
        "  gross_margin balance 30% step 1% reward 200\n"
        "}\n"
    ),
    "semicolons": (
        "card a { base 6000; allowance 300 as housing; "
        "gross_margin balance 30% step 1% reward 200 }"
    ),
    "mixed": (
        "card a {\n"
        "  base 6000; allowance 300 as housing\n"
        "  gross_margin balance 30% step 1% reward 200\n"
        "}"
    ),
    "semicolon then newline": (
        "card a {\n"
        "  base 6000;\n"
        "\n"
        "  allowance 300 as housing;\n"
        "  gross_margin balance 30% step 1% reward 200;\n"
        "}\n"
    ),
    "crlf": (
        "card a {\r\n"
        "  base 6000\r\n"
        "  allowance 300 as housing\r\n"
        "  gross_margin balance 30% step 1% reward 200\r\n"
        "}\r\n"
    ),
    "top-level semicolons": (
        "currency CNY; rounding 0.01 half_up\n"
        "card a { base 6000; allowance 300 as housing\n"
        "  gross_margin balance 30% step 1% reward 200 }"
    ),
}


@pytest.mark.parametrize("text", list(SAME_CARD.values()), ids=list(SAME_CARD))
def test_newline_and_semicolon_both_end_statements(text):
    """A newline and a `;` end a statement equally well."""
    pay = pay_of(text, {"gross_margin": [0.33]})
    assert pay["base"].tolist() == [6000.0]
    assert pay["housing"].tolist() == [300.0]
    assert pay["gross_margin"].tolist() == [600.0]
    assert pay.total.tolist() == [6900.0]  # 6000 + 300 + 600


def test_two_statements_on_one_line_need_a_semicolon():
    """Without `;` two statements on one line are a syntax error."""
    with pytest.raises(ksf.KsfSyntaxError):
        pay_of("card a {\n  base 6000 allowance 300 as housing\n}", ONE_ROW)


def test_newline_ends_a_rule_midway():
    """A newline ends the statement, so a rule cannot continue on the next line."""
    text = "card a {\n  gross_margin balance 30% step 1%\n  reward 200\n}"
    with pytest.raises(ksf.KsfSyntaxError):
        pay_of(text, {"gross_margin": [0.33]})


# --- keywords -----------------------------------------------------------------------------

WRONG_CASE = {
    "Base": "card a { Base 6000 }",
    "BALANCE": "card a { gross_margin BALANCE 30% step 1% reward 200 }",
    "Card": "Card a { base 6000 }",
    "Reward": "card a { gross_margin balance 30% step 1% Reward 200 }",
}


@pytest.mark.parametrize("text", list(WRONG_CASE.values()), ids=list(WRONG_CASE))
def test_keywords_are_lower_case_only(text):
    """A keyword written in another case is not that keyword."""
    with pytest.raises(ksf.KsfSyntaxError):
        pay_of(text, {"gross_margin": [0.33]})


def test_keyword_in_another_case_is_an_identifier():
    """`Reward` is an ordinary name, so a column may be called that."""
    text = "card a { Reward balance 100 step 10 reward 5 }"
    # (130 - 100) / 10 = 3 steps * 5 = 15
    pay = pay_of(text, {"Reward": [130.0]})
    assert pay["Reward"].tolist() == [15.0]


SOFT_KEYWORDS = {
    # Keywords are contextual: where no keyword can stand, a keyword's spelling is a name,
    # so export columns called `rate`, `weight` or `target` need no renaming.
    # rate 13%: (0.13 - 0.10) / 0.01 = 3 steps × 5 = 15
    "rule on rate": ("card a { rate balance 10% step 1% reward 5 }", "rate", "rate", 0.13, 15.0),
    # 1000 × 0.5 = 500
    "column weight": ("card a { bonus 1000 * weight }", "weight", "bonus", 0.5, 500.0),
    # 1000 × 2% = 20
    "column target": ("card a { bonus target scaled_by 2% }", "target", "bonus", 1000.0, 20.0),
}


@pytest.mark.parametrize(("text", "column", "line", "value", "amount"),
                         list(SOFT_KEYWORDS.values()), ids=list(SOFT_KEYWORDS))
def test_keywords_are_names_where_no_keyword_fits(text, column, line, value, amount):
    """A keyword's spelling in a position where only a name fits is a name."""
    pay = pay_of(text, {column: [value]})
    assert pay[line].tolist() == [amount]


def test_keyword_where_a_keyword_fits_is_the_keyword():
    """At the start of a card line, `bonus` is the statement keyword, not a column."""
    with pytest.raises(ksf.KsfSyntaxError):
        pay_of("card a { bonus balance 1 step 1 reward 1 }", {"bonus": [1.0]})


# --- `:` inside tables and `base by` ------------------------------------------------------

PERF_TABLES = {
    "no spaces": "table perf {\n >= 90:1.2\n >= 80:1.0\n >= 70:0.8\n >= 60:0.5\n else:0\n}",
    "spaced": "table perf {\n >= 90 : 1.2\n >= 80 : 1.0\n >= 70 : 0.8\n >= 60 : 0.5\n else : 0\n}",
    "lopsided": "table perf {\n >= 90 :1.2\n >= 80: 1.0\n >=70:0.8\n >= 60 :0.5\n else :0\n}",
    "semicolons": "table perf { >= 90:1.2; >= 80:1.0; >= 70:0.8; >= 60:0.5; else:0 }",
}


@pytest.mark.parametrize("table", list(PERF_TABLES.values()), ids=list(PERF_TABLES))
def test_colon_in_table_row_separates_threshold_and_value(table):
    """`>= 90:1.2` in a table row is threshold 90, value 1.2, never the ratio 90:1.2."""
    text = table + "\ncard a { bonus 1000 * perf(score) }"
    # 95 -> 1.2, 85 -> 1.0, 75 -> 0.8, 65 -> 0.5, 10 -> 0; times 1000
    pay = pay_of(text, {"score": [95.0, 85.0, 75.0, 65.0, 10.0]})
    assert pay["bonus"].tolist() == [1200.0, 1000.0, 800.0, 500.0, 0.0]


def test_percent_keys_and_values_in_a_table_row():
    """`>= 30%:120%` is threshold 0.30, value 1.20."""
    text = "table t {\n >= 30%:120%\n >= 25%:80%\n else:0\n}\ncard a { bonus 1000 * t(gm) }"
    # 0.33 -> 1.20; 0.27 -> 0.80; 0.20 -> 0; times 1000
    pay = pay_of(text, {"gm": [0.33, 0.27, 0.20]})
    assert pay["bonus"].tolist() == [1200.0, 800.0, 0.0]


GRADE_MAPS = {
    "no spaces": "{ A:9000, B:7500,C:6000 }",
    "spaced": "{ A: 9000, B: 7500, C: 6000 }",
}


@pytest.mark.parametrize("grades", list(GRADE_MAPS.values()), ids=list(GRADE_MAPS))
def test_colon_in_base_by_grade_separates_key_and_value(grades):
    """`A:9000` inside `base by grade { ... }` is key A, value 9000."""
    pay = pay_of(f"card a {{ base by grade {grades} }}", {"grade": ["A", "B", "C"]})
    assert pay["base"].tolist() == [9000.0, 7500.0, 6000.0]
