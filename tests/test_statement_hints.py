"""Syntax errors a new HR user makes at the start of a line get a hint that names the fix.

A misspelt statement keyword (`comission`) gets "did you mean", at the misspelt word; a rule
continued on the next line gets "a statement ends at the end of its line".
"""

from __future__ import annotations

import pytest

import ksf


def syntax_error(text):
    """The KsfSyntaxError that compiling ``text`` raises."""
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.compile(text, name="t.ksf")
    return info.value


@pytest.mark.parametrize(
    ("line", "word", "keyword"),
    [
        ("comission sales rate 3%", "comission", "commission"),
        ("allowence 300", "allowence", "allowance"),
        ("minpay 3000", "minpay", "min_pay"),
        ("bouns 500 when x > 1", "bouns", "bonus"),
        ("bsae 6000", "bsae", "base"),
        ("shar p", "shar", "share"),
    ],
)
def test_a_misspelt_card_statement_keyword_gets_did_you_mean(line, word, keyword):
    """The error is on the first word and names the keyword it resembles."""
    error = syntax_error(f"card a {{\n  base 1000\n  {line}\n}}")
    assert error.message == f"unknown statement '{word}'"
    assert error.hint == f"did you mean '{keyword}'?"
    assert (error.line, error.column, error.end_column) == (3, 3, 3 + len(word))


@pytest.mark.parametrize(
    ("text", "keyword"),
    [("tabel t { else: 1 }", "table"), ("crad a { base 1 }", "card")],
)
def test_a_misspelt_file_statement_keyword_gets_did_you_mean(text, keyword):
    """Top-level statements already said so; they still do."""
    error = syntax_error(text)
    assert error.hint == f"did you mean '{keyword}'?"
    assert (error.line, error.column) == (1, 1)


def test_a_capitalised_statement_keyword_in_a_card_says_lower_case():
    """`Base 6000` is the keyword in capitals, not a typo."""
    error = syntax_error("card a {\n  Base 6000\n}")
    assert error.hint == "keywords are lower case: 'base'"
    assert (error.line, error.column) == (2, 3)


def test_a_misspelt_clause_still_wins_over_a_name_like_a_keyword():
    """`bonus_rate balence …`: balence is the typo (0.86 to balance, bonus_rate 0.67 to bonus)."""
    error = syntax_error("card a {\n  bonus_rate balence 30% step 1% reward 200\n}")
    assert error.hint.startswith("did you mean 'balance'")
    assert (error.line, error.column) == (2, 14)


@pytest.mark.parametrize(
    ("rule", "continued", "word"),
    [
        ("gross_margin balance 30% step 1%", "reward 200", "reward"),
        ("gross_margin balance 30%", "step 1% reward 200", "step"),
        ("commission sales", "rate 3%", "rate"),
    ],
)
def test_a_rule_split_across_two_lines_gets_a_one_line_hint(rule, continued, word):
    """The second line fails; the hint says a statement ends at its line and where it began."""
    error = syntax_error(f"card a {{\n  base 1000\n  {rule}\n\n  # comment\n  {continued}\n}}")
    assert error.line == 6
    assert error.hint == (
        f"a statement ends at the end of its line: if `{word}` belongs to the statement on "
        "line 3, move it to the end of that line"
    )


def test_a_clause_word_after_an_opening_brace_gets_no_continuation_hint():
    """`reward 200` right after `card a {` continues nothing."""
    error = syntax_error("card a {\n  reward 200\n}")
    assert error.hint is None or "statement ends" not in error.hint


def test_a_pool_amount_split_across_two_lines_says_where_it_belongs():
    """`share 20%` on the line after `profit above 100` was "not a clause of a pool"."""
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile("pool p {\n  profit above 100\n  share 20%\n}\ncard a { share p }")
    split = info.value.errors[-1]
    assert (split.span.line, split.span.column) == (3, 3)
    assert split.message == "`share` belongs on the pool's amount line"
    assert split.hint == (
        "a statement ends at the end of its line: move `share 20%` to the end of line 2"
    )
