"""The `ksf.dsl.to_ast` callbacks of numbers, expressions and clauses, as a base class.

`v_args` wraps only the methods a class defines itself (Lark skips inherited ones), so
this base carries its own ``@v_args(meta=True, inline=True)``, the same as `_ToAst`'s;
`_ToAst` adds the statements and binds every callback once per parse.
"""

from __future__ import annotations

import math
from typing import Any

from lark import Token, Transformer_NonRecursive, v_args

from ksf.catalogue import syntax as say
from ksf.dsl import ast
from ksf.dsl.numbers import decode, out_of_range
from ksf.errors import Diagnostic, KsfSyntaxError
from ksf.message import Message
from ksf.source import Source, Span
from ksf.spelling import english


@v_args(meta=True, inline=True)
class _ExprCallbacks(Transformer_NonRecursive):  # type: ignore[type-arg]
    """Builds the AST of numbers, expressions and clauses; spans and errors for every node."""

    source: Source  # set by `_ToAst.__init__`: the file of this parse

    def _span(self, meta: Any) -> Span:
        if getattr(meta, "empty", True):
            return ast.NOWHERE
        return Span(meta.line, meta.column, meta.end_line, meta.end_column)

    def _token_span(self, token: Token) -> Span:
        return Span(token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0)

    def _error(self, message: Message, span: Span) -> KsfSyntaxError:
        return KsfSyntaxError([Diagnostic(message, span, self.source)])

    # numbers
    def number(self, meta: Any, token: Token) -> ast.Number:
        value = decode(token.value)
        if math.isnan(value):  # a ratio with a zero left side
            msg = say.RATIO_NOTHING_SPENT(ratio=token.value)
            raise self._error(msg, self._span(meta))
        self._finite(value, token.value, meta)
        return ast.Number(value, token.value, span=self._span(meta))

    def _finite(self, value: float, text: str, meta: Any) -> None:
        """Refuse a number outside the range rules may write (`ksf.dsl.numbers`)."""
        refused = out_of_range(value, text)
        if refused is not None:
            msg, hint = refused
            raise KsfSyntaxError([Diagnostic(msg, self._span(meta), self.source, hint)])

    def signed_number(self, meta: Any, *children: Any) -> ast.Number:
        number = children[-1]
        if len(children) == 2:
            # + 0.0: "-0" is zero, not a negative zero that would print as "-0.00"
            return ast.Number(-number.value + 0.0, "-" + number.text, span=self._span(meta))
        return ast.Number(number.value, number.text, span=self._span(meta))

    def key_number(self, meta: Any, *children: Any) -> ast.Number:
        text = "".join(str(c) for c in children)
        self._finite(decode(text.lstrip("-")), text, meta)
        return ast.Number(
            decode(text.lstrip("-")) * (-1 if text.startswith("-") else 1),
            text,
            span=self._span(meta),
        )

    # expressions
    def name(self, meta: Any, token: Token) -> ast.Name:
        return ast.Name(str(token), span=self._span(meta))

    def call(self, meta: Any, func: Token, *args: Any) -> ast.Call:
        real = tuple(a for a in args if a is not None)
        return ast.Call(str(func), real, span=self._span(meta), func_span=self._token_span(func))

    def group_call(self, meta: Any, func: Token, *rest: Any) -> ast.Group:
        *arg, (over, over_span) = rest  # `count(over team)` has no expression
        return ast.Group(
            str(func),
            arg[0] if arg else None,
            over,
            span=self._span(meta),
            func_span=self._token_span(func),
            over_span=over_span,
        )

    def over(self, meta: Any, key: Any) -> tuple[str | None, Span]:
        """The key column of a group aggregate, None for `over all` (`全体`)."""
        if isinstance(key, Token):
            return str(key), self._token_span(key)
        return None, key

    def over_all(self, meta: Any, token: Token) -> Span:
        return self._token_span(token)

    def binary(self, meta: Any, left: Any, op: Token, right: Any) -> ast.Binary:
        return ast.Binary(str(op), left, right, span=self._span(meta))

    def compare(self, meta: Any, left: Any, op: Token, right: Any) -> ast.Binary:
        return ast.Binary(str(op), left, right, span=self._span(meta))

    def of(self, meta: Any, left: ast.Number, right: Any) -> ast.Binary:
        return ast.Binary("of", left, right, span=self._span(meta))

    def and_op(self, meta: Any, left: Any, right: Any) -> ast.Binary:
        return ast.Binary("and", left, right, span=self._span(meta))

    def or_op(self, meta: Any, left: Any, right: Any) -> ast.Binary:
        return ast.Binary("or", left, right, span=self._span(meta))

    def not_op(self, meta: Any, operand: Any) -> ast.Unary:
        return ast.Unary("not", operand, span=self._span(meta))

    def negate(self, meta: Any, *children: Any) -> ast.Unary:
        return ast.Unary("-", children[-1], span=self._span(meta))

    # clauses
    def clause_keyword(self, meta: Any, token: Token) -> str:
        return english(str(token))  # 平衡点 → balance: both spellings make one tree

    beyond_kind = flag = direction = fixed_kind = clause_keyword

    def missing_mode(self, meta: Any, token: Token) -> Token:
        return token

    def unit(self, meta: Any, token: Token) -> Token:
        return token

    def alias(self, meta: Any, token: Token) -> ast.Clause:
        return ast.Clause("as", str(token), span=self._span(meta))

    def clause_number(self, meta: Any, keyword: str, value: ast.Expr) -> ast.Clause:
        # a number, or a value read per row: a name or a parenthesised expression (§9)
        return ast.Clause(keyword, value, span=self._span(meta))

    def clause_beyond(self, meta: Any, at: ast.Expr, kind: str, amount: ast.Expr) -> ast.Beyond:
        return ast.Beyond(at, kind, amount, span=self._span(meta))

    def clause_flag(self, meta: Any, flag: str) -> ast.Clause:
        return ast.Clause(flag, span=self._span(meta))

    def clause_alias(self, meta: Any, alias: ast.Clause) -> ast.Clause:
        return alias

    def clause_scaled_by(self, meta: Any, expr: Any) -> ast.Clause:
        return ast.Clause("scaled_by", expr, span=self._span(meta))

    def clause_when(self, meta: Any, expr: Any) -> ast.Clause:
        return ast.Clause("when", expr, span=self._span(meta))
