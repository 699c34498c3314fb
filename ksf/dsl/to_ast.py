"""Lark's parse tree → frozen `ksf.dsl.ast` nodes with ksf's own `Span`s.

A `Transformer_NonRecursive`, created fresh for every parse (it holds the source), builds
one node per rule of the grammar; numbers are decoded once here (`ksf.dsl.numbers`), keeping
their lexeme for ``ksf fmt``, and both keyword spellings make one tree. Lark's `Token`s and
`meta` stop here.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Tree, v_args
from lark.exceptions import VisitError

from ksf.catalogue import syntax as say
from ksf.dsl import ast
from ksf.dsl.numbers import decode
from ksf.dsl.to_ast_exprs import _ExprCallbacks
from ksf.errors import Diagnostic, KsfSyntaxError
from ksf.message import Keyword
from ksf.source import Source, Span
from ksf.spelling import EN_VALUES, english


def to_ast(tree: Tree[Token], source: Source) -> ast.Rulebook:
    """The AST of a parse tree already bounded in depth and size.

    Raises:
        KsfSyntaxError: a number that is too large, or a ratio with nothing spent.
    """
    try:
        result = _ToAst(source).transform(tree)
    except VisitError as exc:
        raise exc.orig_exc from None
    assert isinstance(result, ast.Rulebook)  # noqa: S101 - the start rule builds one
    return result


def _value_word(token: Token) -> str:
    """A value written as a name, in English: ``零`` → zero, ``四舍五入`` → half_up."""
    text = str(token)
    if token.type != "NAME":  # the keyword 平衡点 in `缺失按 平衡点`
        return english(text)
    return EN_VALUES.get(text, text)


DEFAULT_WORDS = frozenset({"else", "其他"})  # a table's default row, not a `base by` key


@v_args(meta=True, inline=True)
class _ToAst(_ExprCallbacks):
    """Builds AST nodes; holds the per-parse source, so one instance serves one parse."""

    def __init__(self, source: Source) -> None:
        # No callback takes a token alone, so tokens need not be visited one by one.
        super().__init__(visit_tokens=False)
        self.source = source
        # `v_args` callbacks are descriptors that build a new wrapper on every attribute
        # lookup, that is once per tree node; bound once here, the transformer runs a third
        # faster. The instance attribute shadows the (non-data) descriptor of the class.
        for name in _CALLBACKS:
            setattr(self, name, getattr(self, name))

    # statements
    def currency(self, meta: Any, code: Token) -> ast.Currency:
        return ast.Currency(str(code), span=self._span(meta), code_span=self._token_span(code))

    def language(self, meta: Any, code: Token) -> ast.Language:
        return ast.Language(str(code), span=self._span(meta), code_span=self._token_span(code))

    def rounding(self, meta: Any, unit: ast.Number, mode: Token | None = None) -> ast.Rounding:
        return ast.Rounding(
            unit,
            _value_word(mode) if mode is not None else None,
            span=self._span(meta),
            mode_span=self._token_span(mode) if mode is not None else ast.NOWHERE,
        )

    def indicator(self, meta: Any, name: Token, *rest: Any) -> ast.Indicator:
        label = None
        if isinstance(rest[0], Token) and rest[0].type == "STRING":
            label, rest = str(rest[0])[1:-1], rest[1:]
        expr, rest = rest[0], rest[1:]
        unit = next((r for r in rest if isinstance(r, Token)), None)
        direction = next((r for r in rest if isinstance(r, str) and not isinstance(r, Token)), None)
        return ast.Indicator(
            str(name),
            expr,
            str(unit) if unit is not None else None,
            direction,
            span=self._span(meta),
            name_span=self._token_span(name),
            unit_span=self._token_span(unit) if unit is not None else ast.NOWHERE,
            label=label,
        )

    def bound(self, meta: Any, op: Token, *tokens: Token) -> ast.Bound:
        text = "".join(str(t) for t in tokens)
        value = decode(text.lstrip("-"))
        self._finite(value, text, meta)
        first, last = self._token_span(tokens[0]), self._token_span(tokens[-1])
        span = Span(first.line, first.column, last.end_line, last.end_column)
        number = ast.Number(-value + 0.0 if text.startswith("-") else value, text, span=span)
        return ast.Bound(str(op), number, span=self._span(meta))

    def column(self, meta: Any, name: Token, *rest: Any) -> ast.Column:
        label = None
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            label, rest = str(rest[0])[1:-1], rest[1:]
        unit = next((r for r in rest if isinstance(r, Token)), None)
        return ast.Column(
            str(name),
            str(unit) if unit is not None else None,
            tuple(r for r in rest if isinstance(r, ast.Bound)),
            label,
            span=self._span(meta),
            name_span=self._token_span(name),
            unit_span=self._token_span(unit) if unit is not None else ast.NOWHERE,
        )

    def table_row(self, meta: Any, op: Token, key: ast.Number, value: ast.Number) -> ast.TableRow:
        return ast.TableRow(str(op), key, value, span=self._span(meta))

    def table_else(self, meta: Any, value: ast.Number) -> ast.TableRow:
        return ast.TableRow(None, None, value, span=self._span(meta))

    def table(self, meta: Any, name: Token, *rest: Any) -> ast.Table:
        keys: tuple[str, ...] = ()
        keys_span = ast.NOWHERE
        if rest and isinstance(rest[0], tuple):
            (keys, keys_span), rest = rest[0], rest[1:]
        span, name_span = self._span(meta), self._token_span(name)
        if len(keys) < 2 and not any(isinstance(r, ast.MatrixRow) for r in rest):
            return ast.Table(str(name), rest, span=span, name_span=name_span, keys=keys)
        # A matrix keeps every row in order, so the checker can count cells and find `else`.
        matrix = tuple(_matrix_row(r) if isinstance(r, ast.TableRow) else r for r in rest)
        return ast.Table(
            str(name),
            (),
            span=span,
            name_span=name_span,
            keys=keys,
            matrix=matrix,
            keys_span=keys_span,
        )

    def table_keys(self, meta: Any, *names: Token) -> tuple[tuple[str, ...], Span]:
        return tuple(str(n) for n in names), self._span(meta)

    def matrix_row(self, meta: Any, *children: Any) -> ast.MatrixRow:
        *cells, value = children
        return ast.MatrixRow(tuple(cells), value, span=self._span(meta))

    def cell_compare(self, meta: Any, op: Token, number: ast.Number) -> ast.Cell:
        return ast.Cell("compare", str(op), number, span=self._span(meta))

    def cell_number(self, meta: Any, number: ast.Number) -> ast.Cell:
        return ast.Cell("number", None, number, span=self._span(meta))

    def cell_name(self, meta: Any, name: Token) -> ast.Cell:
        return ast.Cell("name", text=str(name), span=self._token_span(name))

    def cell_string(self, meta: Any, text: Token) -> ast.Cell:
        return ast.Cell("string", text=str(text)[1:-1], span=self._token_span(text))

    def cell_any(self, meta: Any) -> ast.Cell:
        return ast.Cell("any", span=self._span(meta))

    def kpi(self, meta: Any, expr: Any, *clauses: ast.AnyClause) -> ast.Kpi:
        return ast.Kpi(expr, clauses, span=self._span(meta))

    def points(self, meta: Any, *values: ast.Number) -> tuple[tuple[ast.Number, ...], Span]:
        return values, self._span(meta)

    def score(self, meta: Any, name: Token, *items: Any) -> ast.Score:
        kpis = tuple(i for i in items if isinstance(i, ast.Kpi))
        points = [i for i in items if isinstance(i, tuple)]
        values, span = points[-1] if points else (None, ast.NOWHERE)
        return ast.Score(
            str(name),
            kpis,
            values,
            span=self._span(meta),
            name_span=self._token_span(name),
            points_span=span,
        )

    def pool_amount(self, meta: Any, expr: Any, *clauses: ast.AnyClause) -> ast.PoolAmount:
        return ast.PoolAmount(expr, clauses, span=self._span(meta))

    def split(self, meta: Any, column: Token) -> ast.Clause:
        return ast.Clause("split_by", str(column), span=self._span(meta))

    def pool_clause(self, meta: Any, keyword: str, value: ast.Expr) -> ast.Clause:
        return ast.Clause(keyword, value, span=self._span(meta))

    def pool(self, meta: Any, name: Token, *items: Any) -> ast.Pool:
        per = None
        if items and isinstance(items[0], Token):
            per, items = str(items[0]), items[1:]
        amounts = tuple(i for i in items if isinstance(i, ast.PoolAmount))
        splits = tuple(i for i in items if isinstance(i, ast.Clause) and i.keyword == "split_by")
        clauses = tuple(i for i in items if isinstance(i, ast.Clause) and i.keyword != "split_by")
        return ast.Pool(
            str(name),
            per,
            amounts,
            splits,
            clauses,
            span=self._span(meta),
            name_span=self._token_span(name),
        )

    def entry(self, meta: Any, key: Token, value: ast.Number) -> ast.Entry:
        text = str(key)
        if key.type == "STRING":
            text = text[1:-1]
        elif text in DEFAULT_WORDS:  # `其他: 6000` meant as a default, which `base by` has not
            msg = say.BASE_BY_DEFAULT(base=Keyword("base"), by=Keyword("by"), word=text)
            hint = say.BASE_BY_QUOTE(word=text)
            raise KsfSyntaxError([Diagnostic(msg, self._token_span(key), self.source, hint)])
        return ast.Entry(text, value, span=self._span(meta))

    def entries(self, meta: Any, *items: Any) -> tuple[ast.Entry, ...]:
        return tuple(i for i in items if isinstance(i, ast.Entry))

    def fixed(
        self, meta: Any, kind: str, amount: ast.Number, alias: ast.Clause | None = None
    ) -> ast.Fixed:
        name = alias.value if alias is not None else None
        return ast.Fixed(
            kind, amount, alias=name if isinstance(name, str) else None, span=self._span(meta)
        )

    def fixed_name(
        self, meta: Any, kind: str, name: Token, alias: ast.Clause | None = None
    ) -> ast.Fixed:
        amount = ast.Name(str(name), span=self._token_span(name))
        alias_name = alias.value if alias is not None else None
        return ast.Fixed(
            kind,
            None,
            alias=alias_name if isinstance(alias_name, str) else None,
            span=self._span(meta),
            expr=amount,
        )

    def fixed_expr(
        self, meta: Any, kind: str, expr: ast.Expr, alias: ast.Clause | None = None
    ) -> ast.Fixed:
        name = alias.value if alias is not None else None
        return ast.Fixed(
            kind,
            None,
            alias=name if isinstance(name, str) else None,
            span=self._span(meta),
            expr=expr,
        )

    def fixed_by(
        self,
        meta: Any,
        kind: str,
        column: Token,
        entries: tuple[ast.Entry, ...],
        alias: ast.Clause | None = None,
    ) -> ast.Fixed:
        name = alias.value if alias is not None else None
        return ast.Fixed(
            kind,
            None,
            by=str(column),
            entries=entries,
            alias=name if isinstance(name, str) else None,
            span=self._span(meta),
            by_span=self._token_span(column),
        )

    def rule(self, meta: Any, expr: Any, *clauses: ast.AnyClause) -> ast.Rule:
        return ast.Rule(expr, clauses, span=self._span(meta))

    def commission(self, meta: Any, expr: Any, *clauses: ast.AnyClause) -> ast.Commission:
        return ast.Commission(expr, clauses, span=self._span(meta))

    def bonus(self, meta: Any, expr: Any, *clauses: ast.AnyClause) -> ast.Bonus:
        return ast.Bonus(expr, clauses, span=self._span(meta))

    def share(self, meta: Any, pool: Token, alias: ast.Clause | None = None) -> ast.Share:
        name = alias.value if alias is not None else None
        return ast.Share(
            str(pool),
            name if isinstance(name, str) else None,
            span=self._span(meta),
            pool_span=self._token_span(pool),
        )

    def min_pay(self, meta: Any, amount: ast.Number) -> ast.MinPay:
        return ast.MinPay(amount, span=self._span(meta))

    def missing(self, meta: Any, mode: Token) -> ast.Missing:
        return ast.Missing(
            _value_word(mode), span=self._span(meta), mode_span=self._token_span(mode)
        )

    def effective(self, meta: Any, month: Token) -> Token:
        return month

    def card(self, meta: Any, name: Token, *items: Any) -> ast.Card:
        label = None
        if items and isinstance(items[0], Token) and items[0].type == "STRING":
            label, items = str(items[0])[1:-1], items[1:]
        month = items[0] if items and isinstance(items[0], Token) else None
        return ast.Card(
            str(name),
            label,
            tuple(items[1:] if month is not None else items),
            effective=None if month is None else str(month),
            span=self._span(meta),
            name_span=self._token_span(name),
            effective_span=ast.NOWHERE if month is None else self._token_span(month),
        )

    def start(self, meta: Any, *statements: Any) -> ast.Rulebook:
        return ast.Rulebook(tuple(statements), span=self._span(meta))


def _matrix_row(row: ast.TableRow) -> ast.MatrixRow:
    """A one-cell row (or ``else``) of a matrix, as a matrix row."""
    if row.op is None or row.threshold is None:
        return ast.MatrixRow(None, row.value, span=row.span)
    cell = ast.Cell("compare", row.op, row.threshold, span=row.threshold.span)
    return ast.MatrixRow((cell,), row.value, span=row.span)


# The callbacks `_ToAst.__init__` binds once per parse: every public method, its own and
# those of `_ExprCallbacks`.
_CALLBACKS = tuple(
    name for cls in (_ExprCallbacks, _ToAst) for name in vars(cls) if not name.startswith("_")
)
