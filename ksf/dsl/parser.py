"""Text → AST: the Lark boundary, where Lark's parser runs and its exceptions stop.

`parse` is the whole front end in order: the input is bounded before anything recursive
runs (`ksf.dsl.limits`), the one LALR parser (`ksf.dsl.grammar`) builds Lark's tree, and
`ksf.dsl.to_ast` turns it into frozen `ksf.dsl.ast` nodes. Every Lark exception becomes a
`KsfSyntaxError` in plain words (`ksf.dsl.syntax_errors`, with the slips of
`ksf.dsl.hints`), and `ksf.dsl.recover` finds the errors after the first. Lark is imported
by this module, `grammar`, `limits`, `syntax_errors` and `to_ast` alone: its `Token`s, `Tree`s
and `meta` stop here. The comments and blank lines the AST leaves out come from
`ksf.dsl.layout`.
"""

from __future__ import annotations

import attrs
from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from ksf.dsl import ast
from ksf.dsl.grammar import lark_parser
from ksf.dsl.layout import layout
from ksf.dsl.limits import MAX_CHARS, MAX_SYNTAX_ERRORS, check_length, check_size
from ksf.dsl.recover import every_error
from ksf.dsl.syntax_errors import syntax_error
from ksf.dsl.to_ast import to_ast
from ksf.errors import Diagnostic, KsfSyntaxError
from ksf.source import Source


def parse(source: Source) -> ast.Rulebook:
    """Parse a rule file into its AST.

    Raises:
        KsfSyntaxError: the text does not parse, or is too large or too deeply nested.
    """
    check_length(source)
    tree = _parse_all(source)
    check_size(tree, source)
    comments, blanks = layout(source.text)
    return attrs.evolve(to_ast(tree, source), comments=comments, blank_lines=blanks)


def _parse_all(source: Source) -> Tree[Token]:
    """Lark's tree of the text, or every syntax error found, at once (see `ksf.dsl.recover`)."""
    try:
        return lark_parser().parse(source.text)
    except UnexpectedInput as exc:
        first = syntax_error(exc, source).errors[0]
    budget = MAX_CHARS - len(source.text)  # characters parsed again, so a huge file stays quick
    raise KsfSyntaxError(
        every_error(source, first, _first_error, limit=MAX_SYNTAX_ERRORS, budget=budget)
    )


def _first_error(source: Source) -> Diagnostic | None:
    """The first syntax error of a text, or None when it parses."""
    try:
        lark_parser().parse(source.text)
    except UnexpectedInput as exc:
        return syntax_error(exc, source).errors[0]
    return None
