"""Text → AST: the Lark boundary, where Lark's parser runs and its exceptions stop.

One LALR parser is built per process (behind a lock). Input is bounded before anything
recursive runs; the tree becomes frozen `ksf.dsl.ast` nodes in `ksf.dsl.parser_transform`
(the only other module that imports Lark); every Lark exception becomes a `KsfSyntaxError` in
plain words, and `ksf.dsl.recover` finds the errors after the first. The comments and blank
lines the AST leaves out come from `ksf.dsl.layout`.
"""

from __future__ import annotations

import threading
import unicodedata
from importlib import resources

import attrs
import lark
from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from ksf.dsl import ast
from ksf.dsl.layout import layout
from ksf.dsl.parser_transform import to_ast
from ksf.dsl.recover import UNCLOSED, every_error, unclosed_block
from ksf.errors import Diagnostic, KsfSyntaxError, suggest
from ksf.source import Source, Span

MAX_CHARS = 2_000_000  # a rule file is a few kilobytes; anything this large is not one
MAX_DEPTH = 200  # expression nesting; keeps every later recursive walk far from the stack limit
MAX_NODES = 500_000
MAX_LINE = 10_000  # characters; a real rule line is under 200, and Lark is slow on huge ones
MAX_SYNTAX_ERRORS = 50  # after so many, the rest of the report would not help

_lock = threading.Lock()
_parser: lark.Lark | None = None


def _lark() -> lark.Lark:
    global _parser  # noqa: PLW0603 - built once per process, behind the lock
    with _lock:
        if _parser is None:
            grammar = resources.files("ksf.dsl").joinpath("grammar.lark").read_text("utf-8")
            _parser = lark.Lark(
                grammar, parser="lalr", lexer="contextual", propagate_positions=True
            )
        return _parser


def parse(source: Source) -> ast.Rulebook:
    """Parse a rule file into its AST.

    Raises:
        KsfSyntaxError: the text does not parse, or is too large or too deeply nested.
    """
    _check_length(source)
    tree = _parse_all(source)
    _check_size(tree, source)
    comments, blanks = layout(source.text)
    return attrs.evolve(to_ast(tree, source), comments=comments, blank_lines=blanks)


def _parse_all(source: Source) -> Tree[Token]:
    """Lark's tree of the text, or every syntax error found, at once (see `ksf.dsl.recover`)."""
    try:
        return _lark().parse(source.text)
    except UnexpectedInput as exc:
        first = _syntax_error(exc, source).errors[0]
    budget = MAX_CHARS - len(source.text)  # characters parsed again, so a huge file stays quick
    raise KsfSyntaxError(
        every_error(source, first, _first_error, limit=MAX_SYNTAX_ERRORS, budget=budget)
    )


def _first_error(source: Source) -> Diagnostic | None:
    """The first syntax error of a text, or None when it parses."""
    try:
        _lark().parse(source.text)
    except UnexpectedInput as exc:
        return _syntax_error(exc, source).errors[0]
    return None


# ---- bounds -------------------------------------------------------------------------------


def _check_length(source: Source) -> None:
    """Refuse absurdly long files and lines before the parser spends seconds on them."""
    if len(source.text) > MAX_CHARS:
        msg = (
            f"the file has {len(source.text):,} characters; rule files are limited to {MAX_CHARS:,}"
        )
        raise KsfSyntaxError.at(msg, Span.point(1, 1), source)
    for number, line in enumerate(source.text.split("\n"), start=1):
        if len(line) > MAX_LINE and len(line.split("#", 1)[0]) > MAX_LINE:
            msg = (
                f"line {number} has {len(line):,} characters; rule lines are limited to "
                f"{MAX_LINE:,}"
            )
            raise KsfSyntaxError.at(
                msg,
                Span(number, 1, number, 2),
                source,
                "split the statement, or define parts of it as indicators",
            )


def _check_size(tree: Tree[Token], source: Source) -> None:
    """Reject trees too deep or too large, iteratively, before any recursive walk."""
    stack: list[tuple[Tree[Token], int]] = [(tree, 0)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH or nodes > MAX_NODES:
            meta = node.meta
            span = Span.point(getattr(meta, "line", 1), getattr(meta, "column", 1))
            what = (
                f"an expression more than {MAX_DEPTH} operations deep (nested or chained)"
                if depth > MAX_DEPTH
                else f"more than {MAX_NODES:,} syntax nodes"
            )
            msg = f"the rules contain {what}"
            raise KsfSyntaxError.at(msg, span, source)
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))


# ---- errors -------------------------------------------------------------------------------

_WORDS = {
    "NAME": "a name",
    "DECIMAL": "a number",
    "PERCENT": "a percentage",
    "RATIO": "a ratio like 1:3",
    "STRING": 'a quoted label like "产品开发"',
    "COMP_OP": "a comparison (>=, >, <=, <)",
    "_SEP": "a new line or ';'",
    "$END": "the end of the file",
}


def _expected_words(names: set[str]) -> str:
    terminals = {t.name: t for t in _lark().terminals}
    words = set()
    for name in names:
        if name in _WORDS:
            words.add(_WORDS[name])
        elif name in terminals and isinstance(terminals[name].pattern, lark.lexer.PatternStr):
            words.add(f"'{terminals[name].pattern.value}'")
        else:
            words.add(name.lower())
    # Punctuation first (a missing '}' is the likeliest slip), then kinds of token, then keywords.
    ordered = sorted(words, key=lambda w: (not _is_punctuation(w), w.startswith("'"), w))
    shown = ordered[:10] + (["…"] if len(ordered) > 10 else [])
    return ", ".join(shown)


def _is_punctuation(word: str) -> bool:
    return len(word) == 3 and word[0] == word[2] == "'" and not word[1].isalnum()


def _keywords() -> set[str]:
    return {
        t.pattern.value
        for t in _lark().terminals
        if isinstance(t.pattern, lark.lexer.PatternStr) and t.pattern.value.isidentifier()
    }


def _describe(token: Token) -> str:
    if token.type == "$END":
        return "end of the file"
    if token.type == "_SEP":
        return "end of the line" if "\n" in token.value else "';'"
    if token.type == "NAME":
        return f"name '{token.value}'"
    if token.type in ("DECIMAL", "PERCENT", "RATIO"):
        return f"number {token.value}"
    return f"'{token.value}'"


def _token_hint(token: Token, expected: set[str], source: Source) -> str | None:
    """A labelled hint for common slips: thousands commas, misspelt clauses, capitals."""
    if token.type == "COMMA":
        line = source.line_text(token.line or 1) or ""
        before = line[: (token.column or 1) - 1].rstrip()
        if before[-1:].isdigit():
            return "write thousands without commas: 6000 or 6_000"
    if token.type == "NAME":
        keywords = {
            w.strip("'")
            for w in (_expected_words({n}) for n in expected)
            if w.startswith("'") and w.strip("'").isidentifier()
        }
        if token.value.lower() in _keywords() and token.value != token.value.lower():
            return f"keywords are lower case: '{token.value.lower()}'"
        close = suggest(token.value, keywords)
        if close:
            return close
    return None


def _syntax_error(exc: UnexpectedInput, source: Source) -> KsfSyntaxError:
    """A Lark exception in plain words, positioned in ``source``."""
    if isinstance(exc, UnexpectedCharacters):
        return _character_error(exc, source)
    token = getattr(exc, "token", None)
    expected = set(getattr(exc, "expected", set()) or getattr(exc, "accepts", set()) or ())
    if isinstance(exc, UnexpectedEOF) or token is None or token.type == "$END":
        lines = source.text.rstrip("\n").split("\n")
        span = Span.point(len(lines), len(lines[-1].rstrip("\r")) + 1)
        message = "the file ends in the middle of a statement"
        return KsfSyntaxError.at(message, span, source, f"expected {_expected_words(expected)}")
    return _token_error(token, expected, source)


def _character_error(exc: UnexpectedCharacters, source: Source) -> KsfSyntaxError:
    position = int(getattr(exc, "pos_in_stream", 0) or 0)
    char = source.text[position] if position < len(source.text) else "?"
    message = f"unexpected character {char!r}"
    hint = None
    plain = unicodedata.normalize("NFKC", char)
    if char == "%":
        message = "'%' must follow a plain number directly, as in 30%"
    elif char == ":":
        hint = "a ratio is written with numbers on both sides, as in 1:3"
    elif plain != char and plain.isascii():
        hint = f"this is a full-width character; type '{plain}' instead"
    return KsfSyntaxError.at(message, Span.point(exc.line, exc.column), source, hint)


def _token_error(token: Token, expected: set[str], source: Source) -> KsfSyntaxError:
    line = token.line or 1
    column = token.column or 1
    opened = unclosed_block(source, line)
    if opened is not None:
        message = f"{UNCLOSED} {opened} is not closed"
        return KsfSyntaxError.at(
            message, Span.point(line, 1), source, "add '}' before this statement"
        )
    if token.type == "_SEP" and token.value.startswith("\n"):
        end = source.line_text(line) or ""
        span = Span.point(line, len(end) + 1)
    else:
        width = max(len(token.value.split("\n")[0]), 1)
        span = Span(line, column, line, column + width)
    message = f"unexpected {_describe(token)}; expected {_expected_words(expected)}"
    return KsfSyntaxError.at(message, span, source, _token_hint(token, expected, source))
