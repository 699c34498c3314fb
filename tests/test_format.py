"""The canonical formatter (``ksf fmt``): round trips, idempotence, comments kept.

- ``parse(format(tree)) == tree`` for every rule file in the repository and for random trees
  (tests/strategies.py), so formatting never changes what a file means;
- ``format(format(text)) == format(text)``, and the files in tests/fmt are canonical already
  (``format(text) == text``), pinning the layout itself;
- every comment survives, with its text, in order.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from strategies import rulebooks
from test_docs import doc_files, read_blocks

import ksf
from ksf.dsl import grammar, parser
from ksf.dsl.format import format_rulebook
from ksf.dsl.format_expr import KEYWORDS, expression
from ksf.rulebook import format_text
from ksf.source import Source

ROOT = Path(__file__).resolve().parents[1]
CANONICAL = sorted((ROOT / "tests" / "fmt").glob("*.ksf"))
RULE_FILES = [
    *sorted((ROOT / "tests" / "golden").glob("*.ksf")),
    *sorted((ROOT / "ksf" / "examples").glob("*.ksf")),
    ROOT / "ksf" / "indicators" / "standard.ksf",
    *CANONICAL,
]


def _doc_rules() -> list[tuple[str, str]]:
    """Every ```ksf example of the docs that parses (some are deliberate syntax errors)."""
    found = []
    for path in doc_files():
        for block in read_blocks(path):
            if block.lang != "ksf":
                continue
            try:
                parser.parse(Source(block.text))
            except ksf.KsfSyntaxError:
                continue
            found.append((f"{block.path}:{block.line}", block.text))
    return found


def _all_texts() -> list[object]:
    files = [
        pytest.param(p.read_text(encoding="utf-8"), id=p.relative_to(ROOT).as_posix())
        for p in RULE_FILES
    ]
    return files + [pytest.param(text, id=where) for where, text in _doc_rules()]


def tree(text: str) -> object:
    return parser.parse(Source(text))


@pytest.mark.parametrize("text", _all_texts())
def test_round_trip_and_idempotence(text: str) -> None:
    """Formatting keeps the meaning, and formatting again changes nothing."""
    once = format_text(text)
    assert tree(once) == tree(text)
    assert format_text(once) == once


@pytest.mark.parametrize("text", _all_texts())
def test_comments_survive(text: str) -> None:
    """The same comments, in the same order, with the same text (trailing spaces aside)."""
    before = [c.text for c in parser.parse(Source(text)).comments]
    after = [c.text for c in parser.parse(Source(format_text(text))).comments]
    assert after == before


@pytest.mark.parametrize("path", CANONICAL, ids=lambda p: p.name)
def test_canonical_files_are_fixed_points(path: Path) -> None:
    """tests/fmt holds files already in canonical layout: the formatter leaves them alone."""
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text


def test_there_are_canonical_files() -> None:
    """At least three canonical rule files exist for the formatter's round-trip tests."""
    assert len(CANONICAL) >= 3


@given(rulebooks)
def test_random_trees_round_trip(book: object) -> None:
    """A tree built in code prints as text that parses back to the same tree."""
    assert isinstance(book, parser.ast.Rulebook)
    text = format_rulebook(book)
    assert tree(text) == book
    assert format_text(text) == text


def test_layout_of_a_messy_file() -> None:
    """Statements split onto lines, two-space blocks, tables aligned, comments where they were."""
    messy = (
        "# pay rules\n"
        "currency CNY; rounding 0.01 half_up\n"
        "table t { >= 90%:1.2; else:1 }  # coefficients\n"
        'card c "卡" {base by grade {A: 9000,\n'
        "   # juniors\n"
        "   B: 7000}\n"
        "\n\n\n"
        "   x balance 5 step 1 reward 2   # per step\n"
        "}\n"
    )
    assert format_text(messy) == (
        "# pay rules\n"
        "currency CNY\n"
        "rounding 0.01 half_up\n"
        "\n"
        "table t {\n"
        "  >= 90% : 1.2\n"
        "  else   : 1\n"
        "}  # coefficients\n"
        "\n"
        'card c "卡" {\n'
        "  base by grade {\n"
        "    A: 9000\n"
        "    # juniors\n"
        "    B: 7000\n"
        "  }\n"
        "\n"
        "  x balance 5 step 1 reward 2  # per step\n"
        "}\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a - (b - c)", "a - (b - c)"),  # right operand of '-' keeps its parentheses
        ("(a - b) - c", "a - b - c"),  # left-associative: none needed
        ("-(a + b) * c", "-(a + b) * c"),
        ("30% of (x + y)", "30% of (x + y)"),
        ("(30% of x) + y", "30% of x + y"),
        ("30% of -x", "30% of -x"),
        ("not (a > 1 or b)", "not (a > 1 or b)"),
        ("(a < b) == c", "(a < b) == c"),
        ("min((a), max(b, c))", "min(a, max(b, c))"),
        ("-(not a)", "-(not a)"),
    ],
)
def test_parentheses_are_exactly_the_needed_ones(text: str, expected: str) -> None:
    """The formatter writes only the parentheses that precedence and associativity need."""
    book = tree(f"indicator i = {text}")
    statement = book.statements[0]
    assert expression(statement.expr) == expected


def test_entry_keys_are_quoted_when_they_must_be() -> None:
    """A key that spells a keyword, holds a space or starts like a number stays quoted."""
    text = 'card c {\n  base by g { "base": 1, "B 级": 2, 3: 4, "3a": 5, A: 6 }\n}\n'
    assert format_text(text) == text


def test_labels_and_strings_with_hashes_are_not_comments() -> None:
    """A `#` inside a quoted label is text; only the trailing `# really a comment` is a comment."""
    text = 'indicator n "#1 指标" = x  # really a comment\n'
    assert format_text(text) == text
    assert [c.text for c in tree(text).comments] == ["# really a comment"]


def test_keywords_match_the_grammar() -> None:
    """The formatter's list of reserved words is the parser's."""
    assert grammar.keywords() == KEYWORDS


def test_long_by_table_goes_one_entry_per_line() -> None:
    """A `base by` table of 12 grades is written one entry per line."""
    entries = ", ".join(f"G{i}: {1000 + i}" for i in range(12))
    text = format_text(f"card c {{ base by grade {{ {entries} }} }}")
    assert text.splitlines()[1:4] == ["  base by grade {", "    G0: 1000", "    G1: 1001"]


def test_empty_file_and_comment_only_file() -> None:
    """An empty file stays empty; a file of one comment becomes that comment, trimmed."""
    assert format_text("") == ""
    assert format_text("\n\n  # only a note   \n\n") == "# only a note\n"


def test_syntax_errors_are_raised_not_formatted() -> None:
    """Formatting text with a syntax error raises KsfSyntaxError naming the source."""
    with pytest.raises(ksf.KsfSyntaxError) as caught:
        format_text("card a {\n  base 6000\n", name="a.ksf")
    assert caught.value.source_name == "a.ksf"


def test_byte_order_mark_is_dropped() -> None:
    """A leading byte-order mark is not written back."""
    assert format_text("\ufeffcurrency CNY\n") == "currency CNY\n"


def test_empty_blocks_and_windows_line_ends() -> None:
    """Empty blocks shrink to `{}` (keeping comments); CRLF line ends become LF."""
    assert format_text("card a {\n}\ncard b {  # later\n}\n") == (
        "card a {}\n\ncard b {}  # later\n"
    )
    assert format_text("card a {\n  # to do\n}") == "card a {\n  # to do\n}\n"
    assert format_text("# a\r\ncard a {  # b\r\n\r\n  base 1\r\n}\r\n") == (
        "# a\ncard a {  # b\n  base 1\n}\n"
    )


def test_trailing_comments_of_a_block_opened_on_one_line_stay_in_order() -> None:
    """`card a { base 1  # one` splits into two lines; each comment stays with its code."""
    text = "card a { base 1  # one\n}  # two\n"
    once = format_text(text)
    assert [c.text for c in tree(once).comments] == ["# one", "# two"]
    assert format_text(once) == once


def test_column_declarations_are_aligned_like_indicators() -> None:
    """A run of `column` lines gets its units and bounds in columns; a blank line ends a run."""
    messy = (
        'column  stock "库存"   count>=0\ncolumn rate percent >= 0%   <= 100%\n\ncolumn x  money\n'
    )
    assert format_text(messy) == (
        'column stock "库存" count    >= 0\n'
        "column rate         percent  >= 0% <= 100%\n"
        "\n"
        "column x money\n"
    )
