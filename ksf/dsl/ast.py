"""Frozen AST nodes mirroring the surface syntax; each carries its `Span`.

Spans are excluded from equality so two parses of the same rules compare equal whatever
their layout (the `ksf fmt` round-trip relies on it). Children are tuples.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import attrs

from ksf.dsl.ast_settings import Language as Language  # noqa: PLC0414
from ksf.source import Span

NOWHERE = Span(0, 0, 0, 0)


def _span() -> Span:
    return attrs.field(default=NOWHERE, eq=False, repr=False, kw_only=True)


# ---- expressions --------------------------------------------------------------------------


@attrs.frozen
class Number:
    """A numeric literal, decoded (``30%`` → 0.3, ``1:3`` → 3.0); ``text`` keeps the lexeme."""

    value: float
    text: str
    span: Span = _span()


@attrs.frozen
class Name:
    """An identifier used as a value."""

    name: str
    span: Span = _span()


@attrs.frozen
class Unary:
    """``-x`` or ``not x``."""

    op: str
    operand: Expr
    span: Span = _span()


@attrs.frozen
class Binary:
    """Arithmetic (``+ - * /``), ``of``, comparison (``< <= > >= == !=``), ``and``/``or``."""

    op: str
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Call:
    """``min(a, b)``, ``max(…)``, ``abs(x)`` or a table lookup ``table_name(x)``."""

    func: str
    args: tuple[Expr, ...]
    span: Span = _span()
    func_span: Span = _span()


@attrs.frozen
class Group:
    """``sum(x over team)``, ``count(over all)``, ``rank(-x over team)`` (LANGUAGE.md §11).

    ``arg`` is None for ``count``; ``over`` is the key column, None for ``over all``.
    """

    func: str
    arg: Expr | None
    over: str | None
    span: Span = _span()
    func_span: Span = _span()
    over_span: Span = _span()


Expr: TypeAlias = Number | Name | Unary | Binary | Call | Group


# ---- clauses ------------------------------------------------------------------------------


@attrs.frozen
class Clause:
    """A keyword clause after an expression: ``step 1%``, ``prorate``, ``as gm``, ``when c``."""

    keyword: str
    value: Number | Expr | str | None = None
    span: Span = _span()


@attrs.frozen
class Beyond:
    """``beyond X reward R`` / ``beyond Y penalty P`` / ``beyond T rate R``."""

    at: Expr  # a number, or read per row (LANGUAGE.md §9): a name or an expression
    kind: str
    amount: Expr
    span: Span = _span()


AnyClause: TypeAlias = Clause | Beyond


# ---- top-level statements -----------------------------------------------------------------


@attrs.frozen
class Currency:
    """``currency CNY``."""

    code: str
    span: Span = _span()
    code_span: Span = _span()


@attrs.frozen
class Rounding:
    """``rounding 0.01 half_up``."""

    unit: Number
    mode: str | None
    span: Span = _span()
    mode_span: Span = _span()


@attrs.frozen
class Indicator:
    """``indicator NAME ["label"] = EXPR [unit] [direction]``."""

    name: str
    expr: Expr
    unit: str | None = None
    direction: str | None = None
    span: Span = _span()
    name_span: Span = _span()
    unit_span: Span = _span()
    label: str | None = None


@attrs.frozen
class Bound:
    """``>= 0`` in a ``column`` declaration."""

    op: str
    value: Number
    span: Span = _span()


@attrs.frozen
class Column:
    """``column NAME ["label"] [unit] [bound]…``: a raw data column's unit and domain."""

    name: str
    unit: str | None = None
    bounds: tuple[Bound, ...] = ()
    label: str | None = None
    span: Span = _span()
    name_span: Span = _span()
    unit_span: Span = _span()


@attrs.frozen
class TableRow:
    """``>= 90 : 1.2``; ``op`` is None for the ``else`` row."""

    op: str | None
    threshold: Number | None
    value: Number
    span: Span = _span()


@attrs.frozen
class Cell:
    """One cell of a decision-matrix row (LANGUAGE.md 10).

    ``kind``: ``compare`` (``>= 90``, with ``op`` and ``number``), ``number`` (the key equals
    ``number``), ``name`` or ``string`` (a text key equals ``text``), or ``any`` (``*``).
    """

    kind: str
    op: str | None = None
    number: Number | None = None
    text: str = ""
    span: Span = _span()


@attrs.frozen
class MatrixRow:
    """``A, >= 90 : 1.5``; ``cells`` is None for the ``else`` row."""

    cells: tuple[Cell, ...] | None
    value: Number
    span: Span = _span()


@attrs.frozen
class Table:
    """``table NAME { rows }``, or ``table NAME(k1, k2) { matrix rows }`` (LANGUAGE.md 10).

    A table with one key keeps its rows in ``rows``; a table declaring several keys, or
    written with a row of several cells, keeps every row (``else`` too) in ``matrix``.
    """

    name: str
    rows: tuple[TableRow, ...]
    span: Span = _span()
    name_span: Span = _span()
    keys: tuple[str, ...] = ()
    matrix: tuple[MatrixRow, ...] = ()
    keys_span: Span = _span()


@attrs.frozen
class Kpi:
    """One KPI of a score: ``EXPR weight W baseline B target T challenge C``."""

    expr: Expr
    clauses: tuple[AnyClause, ...]
    span: Span = _span()


@attrs.frozen
class Score:
    """``score NAME { kpis [points a b c] }``."""

    name: str
    kpis: tuple[Kpi, ...]
    points: tuple[Number, ...] | None = None
    span: Span = _span()
    name_span: Span = _span()
    points_span: Span = _span()


@attrs.frozen
class PoolAmount:
    """``EXPR above X share S`` inside a pool."""

    expr: Expr
    clauses: tuple[AnyClause, ...]
    span: Span = _span()


@attrs.frozen
class Pool:
    """``pool NAME [per COLUMN] { amount, split by COLUMN, cap C }``."""

    name: str
    per: str | None
    amounts: tuple[PoolAmount, ...]
    split_by: tuple[Clause, ...]
    clauses: tuple[Clause, ...]
    span: Span = _span()
    name_span: Span = _span()


# ---- card lines ---------------------------------------------------------------------------


@attrs.frozen
class Entry:
    """``A: 9000`` inside ``base by grade { … }``."""

    key: str
    value: Number
    span: Span = _span()


@attrs.frozen
class Fixed:
    """``base 6000``, ``allowance 300 as housing``, ``base by grade { … }``.

    ``base base_salary`` and ``base (6000 * days_worked / payable_days)`` have no ``amount``
    but an ``expr``, a name or an expression read per row (LANGUAGE.md 9).
    """

    kind: str
    amount: Number | None
    by: str | None = None
    entries: tuple[Entry, ...] = ()
    alias: str | None = None
    span: Span = _span()
    by_span: Span = _span()
    expr: Expr | None = None


@attrs.frozen
class Rule:
    """A KSF balance rule: ``EXPR balance B step S reward R …``."""

    expr: Expr
    clauses: tuple[AnyClause, ...]
    span: Span = _span()


@attrs.frozen
class Commission:
    """``commission EXPR rate R …``."""

    expr: Expr
    clauses: tuple[AnyClause, ...]
    span: Span = _span()


@attrs.frozen
class Bonus:
    """``bonus EXPR [scaled_by EXPR] [when COND] [as NAME]``."""

    expr: Expr
    clauses: tuple[AnyClause, ...]
    span: Span = _span()


@attrs.frozen
class Share:
    """``share POOL [as NAME]``."""

    pool: str
    alias: str | None = None
    span: Span = _span()
    pool_span: Span = _span()


@attrs.frozen
class MinPay:
    """``min_pay 2360``."""

    amount: Number
    span: Span = _span()


@attrs.frozen
class Missing:
    """``missing as balance`` or ``missing as zero``."""

    mode: str
    span: Span = _span()
    mode_span: Span = _span()


# The card items that become one `ksf.ir.Line` each; `min_pay` and `missing` set the card.
PayItem: TypeAlias = Fixed | Rule | Commission | Bonus | Share
CardItem: TypeAlias = PayItem | MinPay | Missing


@attrs.frozen
class Card:
    """``card NAME ["label"] [effective MONTH] { lines }``; the month as written (§13)."""

    name: str
    label: str | None
    items: tuple[CardItem, ...]
    effective: str | None = attrs.field(default=None, kw_only=True)
    span: Span = _span()
    name_span: Span = _span()
    effective_span: Span = _span()


Statement: TypeAlias = (
    Currency | Rounding | Language | Indicator | Column | Table | Score | Pool | Card
)


@attrs.frozen
class Comment:
    """A ``# …`` comment: where it starts, its text, and whether code precedes it on its line."""

    line: int
    column: int
    text: str
    own_line: bool


def _layout() -> Any:
    # Comments and blank lines are layout, not meaning: kept for `ksf fmt`, never compared.
    return attrs.field(factory=tuple, eq=False, repr=False, kw_only=True)


@attrs.frozen
class Rulebook:
    """A whole rule file.

    ``comments`` and ``blank_lines`` (1-based numbers of the empty lines) record the layout
    the formatter keeps; like spans, they take no part in equality.
    """

    statements: tuple[Statement, ...]
    span: Span = _span()
    comments: tuple[Comment, ...] = _layout()
    blank_lines: tuple[int, ...] = _layout()
