"""Syntax errors are reported all at once: parsing starts again at the next statement.

The first error is the exception's own position and message (as when it was the only one);
``.errors`` lists every one found, and ``str()`` shows the first five in full.
"""

from __future__ import annotations

import pytest

import ksf
from ksf.dsl import parser

THREE_SLIPS = """\
currency CNY
card a {
  base 6,000
  x balance 5 step 1 reward 2
}
card b {
  y balnce 5 step 1 reward 2
}
card c {
  base 1
card d {
  base 4
}
"""


def test_one_error_per_statement_in_file_order() -> None:
    """Three slips in three statements: three errors in file order, the first the exception's."""
    with pytest.raises(ksf.KsfSyntaxError) as caught:
        ksf.compile(THREE_SLIPS, name="pay.ksf")
    error = caught.value
    assert [(d.span.line, d.span.column) for d in error.errors] == [(3, 9), (7, 5), (11, 1)]
    assert (error.line, error.column) == (3, 9)
    assert error.message == error.errors[0].message
    assert str(error) == (
        "pay.ksf:3:9: error: unexpected ','; expected '-', '}', a name, a new line or ';', "
        "a number, a percentage, a ratio like 1:3, the end of the file, 'above', 'as', …\n"
        "2 | card a {\n"
        "3 |   base 6,000\n"
        "  |         ^\n"
        "hint: write thousands without commas: 6000 or 6_000\n"
        "\n"
        "pay.ksf:7:5: error: unexpected name 'balnce'; expected 'above', 'as', 'balance', "
        "'baseline', 'beyond', 'cap', 'challenge', 'floor', 'higher_is_better', "
        "'lower_is_better', …\n"
        "6 | card b {\n"
        "7 |   y balnce 5 step 1 reward 2\n"
        "  |     ^^^^^^\n"
        "hint: did you mean 'balance'?\n"
        "\n"
        # the unclosed block is reported at the statement that follows it, which is then
        # parsed (and found fine): nothing after an error is skipped unread
        "pay.ksf:11:1: error: the block opened on line 9 is not closed\n"
        "10 |   base 1\n"
        "11 | card d {\n"
        "   | ^\n"
        "hint: add '}' before this statement"
    )


def test_a_single_error_renders_as_before() -> None:
    """One slip: one diagnostic, and the exception reads exactly like that diagnostic."""
    with pytest.raises(ksf.KsfSyntaxError) as caught:
        ksf.compile("card a {\n  base 6000 as\n}\ncard b { base 1 }\n", name="a.ksf")
    assert len(caught.value.errors) == 1
    assert str(caught.value) == caught.value.errors[0].render()


def test_more_than_five_are_counted() -> None:
    """Eight errors: all eight are in `.errors`; str() shows five and "… and 3 more errors"."""
    text = "".join(f"card c{i} {{ base 1,000 }}\n" for i in range(8))
    with pytest.raises(ksf.KsfSyntaxError) as caught:
        ksf.compile(text, name="many.ksf")
    assert [d.span.line for d in caught.value.errors] == list(range(1, 9))
    assert str(caught.value).endswith("\n\n… and 3 more errors")


def test_an_error_at_the_end_of_the_file_stops_the_search() -> None:
    """An unfinished statement at the end of the file is the last error reported."""
    with pytest.raises(ksf.KsfSyntaxError) as caught:
        ksf.compile("card a { base 1,0 }\ncard b {\n  base 1\n")
    assert [d.message for d in caught.value.errors] == [
        caught.value.errors[0].message,
        "the file ends in the middle of a statement",
    ]


def test_the_number_of_errors_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """No more than MAX_SYNTAX_ERRORS errors are collected, however many statements are wrong."""
    monkeypatch.setattr(parser, "MAX_SYNTAX_ERRORS", 3)
    text = "".join(f"card c{i} {{ base 1,000 }}\n" for i in range(10))
    with pytest.raises(ksf.KsfSyntaxError) as caught:
        ksf.compile(text)
    assert len(caught.value.errors) == 3


def test_errors_found_after_recovery_point_into_the_original_file() -> None:
    """The excerpt of a later error shows the line before it, as in the file."""
    with pytest.raises(ksf.KsfSyntaxError) as caught:
        ksf.compile("card a { base % }\n# note\ncard b {\n  base 5 reward\n}\n", name="f.ksf")
    later = caught.value.errors[1]
    assert later.render().splitlines()[1:3] == ["3 | card b {", "4 |   base 5 reward"]
