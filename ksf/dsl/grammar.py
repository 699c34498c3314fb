"""``grammar.lark`` built into one Lark parser per process, and the keywords it names.

The `Lark` object is built once, behind a lock (ERP callers compile from several threads);
`ksf.dsl.parser` runs it, and `ksf.dsl.syntax_errors` reads its terminals to say what was
expected in words.
"""

from __future__ import annotations

import threading
from importlib import resources

import lark

from ksf.spelling import EN

_lock = threading.Lock()
_parser: lark.Lark | None = None


def lark_parser() -> lark.Lark:
    """The LALR parser of the rule language, built on first use."""
    global _parser  # noqa: PLW0603 - built once per process, behind the lock
    with _lock:
        if _parser is None:
            grammar = resources.files("ksf.dsl").joinpath("grammar.lark").read_text("utf-8")
            _parser = lark.Lark(
                grammar, parser="lalr", lexer="contextual", propagate_positions=True
            )
        return _parser


def keywords() -> set[str]:
    """Every keyword of the grammar, in both spellings."""
    return {
        t.pattern.value
        for t in lark_parser().terminals
        if isinstance(t.pattern, lark.lexer.PatternStr) and t.pattern.value.isidentifier()
    }


def chinese_terminals() -> frozenset[str]:
    """The names Lark gives the terminals of the Chinese keywords."""
    return frozenset(
        t.name
        for t in lark_parser().terminals
        if isinstance(t.pattern, lark.lexer.PatternStr) and t.pattern.value in EN
    )
