"""Bounds on the input, checked before anything recursive runs.

The text is measured before parsing (characters, lines, line length, tokens), and the parse
tree right after it (depth and node count), so that every later recursive walk (check,
compile, format) stays far from the stack limit and no file makes the parser spend minutes.
"""

from __future__ import annotations

import itertools
import re

from lark import Token, Tree

from ksf.catalogue import syntax as say
from ksf.errors import KsfSyntaxError
from ksf.source import Source, Span

MAX_CHARS = 2_000_000  # a rule file is a few kilobytes; anything this large is not one
MAX_BYTES = 4 * MAX_CHARS  # UTF-8 takes at most four bytes a character
MAX_DEPTH = 200  # expression nesting; keeps every later recursive walk far from the stack limit
MAX_NODES = 500_000
MAX_LINE = 10_000  # characters; a real rule line is under 200, and Lark is slow on huge ones
MAX_LINES = 50_000  # a real rule file has a few hundred
# Words, numbers and signs outside comments and labels: Lark parses about 25,000 a second on
# a busy machine; a real rule file has a few hundred (the example team's cards: ~250).
MAX_TOKENS = 30_000
# What `check_length` counts as one token: a label, a comment (not counted), a name or a
# number (with its `.`, `_` and `%`), or any other sign.
_TOKENS = re.compile(r'"[^"\n]*"|#[^\n]*|[\w.%]+|\S')
MAX_SYNTAX_ERRORS = 50  # after so many, the rest of the report would not help


def check_length(source: Source) -> None:
    """Refuse absurdly long files and lines before the parser spends seconds on them."""
    if len(source.text) > MAX_CHARS:
        msg = say.TOO_MANY_CHARACTERS(count=f"{len(source.text):,}", limit=f"{MAX_CHARS:,}")
        raise KsfSyntaxError.at(msg, Span.point(1, 1), source)
    if len(source.lines()) > MAX_LINES:
        msg = say.TOO_MANY_LINES(count=f"{len(source.lines()):,}", limit=f"{MAX_LINES:,}")
        raise KsfSyntaxError.at(msg, Span.point(MAX_LINES + 1, 1), source)
    for number, line in enumerate(source.lines(), start=1):
        if len(line) > MAX_LINE and len(line.split("#", 1)[0]) > MAX_LINE:
            msg = say.LINE_TOO_LONG(line=number, count=f"{len(line):,}", limit=f"{MAX_LINE:,}")
            span = Span(number, 1, number, 2)
            raise KsfSyntaxError.at(msg, span, source, say.SPLIT_STATEMENT())
    _check_tokens(source)


def _check_tokens(source: Source) -> None:
    """Refuse more than `MAX_TOKENS` tokens: parsing them would take seconds."""
    tokens = _TOKENS.finditer(source.text)
    counted = (t for t in tokens if t.group()[0] != "#")
    past = next(itertools.islice(counted, MAX_TOKENS, None), None)
    if past is not None:
        line = source.text.count("\n", 0, past.start()) + 1
        column = past.start() - source.text.rfind("\n", 0, past.start())
        msg = say.TOO_MANY_TOKENS(limit=f"{MAX_TOKENS:,}")
        hint = say.SPLIT_OR_TABLE()
        raise KsfSyntaxError.at(msg, Span.point(line, column), source, hint)


def check_size(tree: Tree[Token], source: Source) -> None:
    """Reject trees too deep or too large, iteratively, before any recursive walk."""
    stack: list[tuple[Tree[Token], int]] = [(tree, 0)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH or nodes > MAX_NODES:
            meta = node.meta
            span = Span.point(getattr(meta, "line", 1), getattr(meta, "column", 1))
            msg = (
                say.TOO_DEEP(depth=MAX_DEPTH)
                if depth > MAX_DEPTH
                else say.TOO_MANY_NODES(count=f"{MAX_NODES:,}")
            )
            raise KsfSyntaxError.at(msg, span, source)
        depth += 1
        # A plain loop: a generator (or a list) per node made this walk half again as slow.
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, depth))  # noqa: PERF401 - see above
