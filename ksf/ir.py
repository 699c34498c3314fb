"""The checked, desugared intermediate representation (IR) that every later stage reads.

`ksf.dsl.check` builds it from the AST with names the file defines resolved and names it
leaves free kept as `Free`; `ksf.bind` replaces each `Free` with a `Column`, a `Param` or a
standard-library definition once the data's columns are known. Nodes are frozen and
compare structurally (spans excluded), so the compiler can share sub-expressions by
using nodes as dictionary keys. Hashes are cached: an indicator read by two others is one
shared node, and hashing a chain of such definitions must not revisit it once per path.
"""

from __future__ import annotations

import math
from typing import TypeAlias, assert_never

import attrs

from ksf.errors import RuleWarning
from ksf.explain_words import Lang

# Re-exported (mypy strict wants the `as`): every stage names them ir.MatrixSpec and so on.
from ksf.ir_matrix import MatrixCell as MatrixCell  # noqa: PLC0414
from ksf.ir_matrix import MatrixSpec as MatrixSpec  # noqa: PLC0414
from ksf.ir_matrix import TextCodes as TextCodes  # noqa: PLC0414
from ksf.source import Source, Span

NOWHERE = Span(0, 0, 0, 0)


def _span() -> Span:
    return attrs.field(default=NOWHERE, eq=False, repr=False, kw_only=True)


# ---- expressions --------------------------------------------------------------------------


@attrs.frozen(cache_hash=True)
class Const:
    """A number known at compile time."""

    value: float


@attrs.frozen(cache_hash=True)
class Free:
    """A name the rule file does not define; bound to a column, param or library entry later."""

    name: str
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class Column:
    """A numeric column of the evaluated data."""

    name: str


@attrs.frozen(cache_hash=True)
class Param:
    """A scalar passed in ``params``; the value is read at evaluation time."""

    name: str


@attrs.frozen(cache_hash=True)
class Op:
    """An operation on numbers or conditions (1.0 true, 0.0 false, NaN unknown).

    Numbers: ``add sub mul div neg min max abs``; conditions: ``lt le gt ge eq ne and or
    not truth``.
    """

    op: str
    args: tuple[Expr, ...]
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class TableSpec:
    """A lookup table: rows tried top-down, the first whose comparison holds wins."""

    name: str
    ops: tuple[str, ...]
    thresholds: tuple[float, ...]
    values: tuple[float, ...]
    otherwise: float


@attrs.frozen(cache_hash=True)
class Lookup:
    """``table_name(arg)``."""

    table: TableSpec
    arg: Expr
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class MatrixLookup:
    """``table_name(a, b, …)`` on a decision matrix; one argument per key."""

    table: MatrixSpec
    args: tuple[Expr, ...]
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class KpiSpec:
    """One KPI of a score, with its direction resolved (+1 higher is better, -1 lower)."""

    value: Expr
    weight: float
    baseline: float
    target: float
    challenge: float
    direction: int | None
    text: str = attrs.field(default="", eq=False)
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class ScoreSpec:
    """A weighted KPI score; points at baseline, target and challenge."""

    name: str
    kpis: tuple[KpiSpec, ...]
    points: tuple[float, float, float]


@attrs.frozen(cache_hash=True)
class ScoreValue:
    """The value of a score for each employee."""

    score: ScoreSpec


@attrs.frozen(cache_hash=True)
class Named:
    """A named definition (a file or library ``indicator``, or a ``score``) wrapping its value.

    Kept as a node so that explain can show the name and so that an indicator used by three
    lines is computed once.
    """

    name: str
    expr: Expr
    unit: str | None = None
    direction: int | None = None
    origin: str = "file"
    text: str = attrs.field(default="", eq=False)
    label: str | None = attrs.field(default=None, eq=False)  # e.g. "毛利率", for listings


@attrs.frozen(cache_hash=True)
class Group:
    """A group aggregate (LANGUAGE.md §11): ``sum(expr over key)``, ``count(over all)``.

    ``op``: ``sum mean min max count rank``; ``expr`` is None for ``count``, ``key`` None
    for ``over all``. Computed over the whole evaluation before cards run (`ksf.groups`).
    """

    op: str
    expr: Expr | None
    key: str | None
    text: str = attrs.field(default="", eq=False)  # as written: `sum(sales over team)`
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class LineRef:
    """An earlier line of the card: its rounded amount, filled in once computed (LANGUAGE.md 9)."""

    name: str


@attrs.frozen(cache_hash=True)
class Subtotal:
    """``subtotal``: the sum of the rounded amounts of the card's first ``count`` lines."""

    count: int


Expr: TypeAlias = (
    Const
    | Free
    | Column
    | Param
    | Op
    | Lookup
    | ScoreValue
    | Named
    | MatrixLookup
    | TextCodes
    | Group
    | LineRef
    | Subtotal
)

CONDITION_OPS = frozenset({"lt", "le", "gt", "ge", "eq", "ne", "and", "or", "not", "truth"})


# ---- lines --------------------------------------------------------------------------------


@attrs.frozen(cache_hash=True)
class Tier:
    """A progressive tier: past ``at`` (steps from the balance, or an amount) pay ``rate``."""

    at: float
    rate: float
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class Beyond:
    """A `beyond` clause as written, before the direction puts it on a side."""

    at: float
    kind: str  # "reward" or "penalty"
    rate: float
    text: str = attrs.field(default="", eq=False)  # the point as written, e.g. 35%
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class FixedLine:
    """``base 6000``, ``allowance 300 as housing``; ``base base_salary`` is read per row."""

    name: str
    amount: Expr
    text: str = attrs.field(default="", eq=False)  # an amount from the data, as written
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class ByLine:
    """``base by grade { A: 9000, … }``: an amount looked up from a text column."""

    name: str
    column: str
    keys: tuple[str, ...]
    amounts: tuple[float, ...]
    span: Span = _span()
    column_span: Span = _span()


@attrs.frozen(cache_hash=True)
class BalanceLine:
    """A KSF balance rule (LANGUAGE.md 3.1).

    ``good`` and ``bad`` hold the tiers in whole steps from the balance point; the first tier
    is always at 0 with the reward (or penalty) rate.
    """

    name: str
    value: Expr
    balance: float
    step: float
    reward: float
    penalty: float
    beyond: tuple[Beyond, ...]
    pot: float = 0.0
    cap: float | None = None
    floor: float | None = None
    prorate: bool = False
    direction: int | None = None
    good: tuple[Tier, ...] = ()
    bad: tuple[Tier, ...] = ()
    text: str = attrs.field(default="", eq=False)
    balance_text: str = attrs.field(default="", eq=False)
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class CommissionLine:
    """``commission EXPR rate R [beyond T rate R2]… [retroactive] [scaled_by EXPR]``."""

    name: str
    base: Expr
    tiers: tuple[Tier, ...]  # first at -inf with the base rate
    retroactive: bool = False
    scale: Expr | None = None
    cap: float | None = None
    floor: float | None = None
    text: str = attrs.field(default="", eq=False)
    scale_text: str = attrs.field(default="", eq=False)
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class BonusLine:
    """``bonus EXPR [scaled_by EXPR] [when COND]``."""

    name: str
    amount: Expr
    scale: Expr | None = None
    when: Expr | None = None
    text: str = attrs.field(default="", eq=False)
    scale_text: str = attrs.field(default="", eq=False)
    when_text: str = attrs.field(default="", eq=False)
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class ShareLine:
    """``share POOL``: the employee's part of a pool."""

    name: str
    pool: str
    span: Span = _span()


Line: TypeAlias = FixedLine | ByLine | BalanceLine | CommissionLine | BonusLine | ShareLine


@attrs.frozen(cache_hash=True)
class Card:
    """A pay card: its lines in order, the minimum pay and the missing-value policy."""

    name: str
    label: str | None
    lines: tuple[Line, ...]
    min_pay: float | None = None
    missing: str = "error"  # or "balance", "zero"
    span: Span = _span()

    def pools(self) -> frozenset[str]:
        """The pools whose amounts this card's ``share`` lines take a part of."""
        return frozenset(line.pool for line in self.lines if isinstance(line, ShareLine))


@attrs.frozen(cache_hash=True)
class PoolSpec:
    """A profit pool: max(0, base − threshold) × share, capped, split among members."""

    name: str
    base: Expr
    threshold: float
    share: float
    cap: float | None = None
    per: str | None = None
    split_by: str | None = None
    text: str = attrs.field(default="", eq=False)
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class ColumnSpec:
    """A raw data column's unit and the values it can hold (``column orders count >= 0``).

    ``low``/``high`` bound the values (open when ``*_open``); a value outside is impossible
    data, refused where a card reads it (through the standard library when ``origin`` is
    ``library``, anywhere in the file when it is ``file``).
    """

    name: str
    unit: str | None = None
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    origin: str = "file"
    text: str = attrs.field(default="", eq=False)  # the bounds as written: ">= 0"
    label: str | None = attrs.field(default=None, eq=False)
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class Program:
    """A whole checked rulebook."""

    source: Source
    currency: str
    unit: float
    cards: tuple[Card, ...]
    pools: tuple[PoolSpec, ...]
    indicators: tuple[Named, ...]  # the file's own indicator definitions, for listings
    columns: tuple[ColumnSpec, ...] = ()  # the file's `column` declarations
    # `language zh`: the default language of explain, payslips and the CLI (None: not set)
    language: Lang | None = attrs.field(default=None, eq=False)
    # Data columns of unknown unit that a line reads in percent (`ksf.dsl.units.read_in_percent`)
    percent_read: tuple[ColumnSpec, ...] = ()
    # Not part of what the program computes, so out of equality: the warnings `ksf check`
    # reports, and the file's definitions (name, kind, where) that data-time warnings
    # compare with the data's columns.
    warnings: tuple[RuleWarning, ...] = attrs.field(default=(), eq=False)
    definitions: tuple[tuple[str, str, Span], ...] = attrs.field(default=(), eq=False)

    def card(self, name: str) -> Card | None:
        """The card called ``name``, or None."""
        return next((c for c in self.cards if c.name == name), None)


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of an expression."""
    match expr:
        case Op():
            return expr.args
        case Lookup():
            return (expr.arg,)
        case MatrixLookup():
            return expr.args
        case Named():
            return (expr.expr,)
        case ScoreValue():
            return tuple(k.value for k in expr.score.kpis)
        case Group():
            return () if expr.expr is None else (expr.expr,)
        case Const() | Free() | Column() | Param() | TextCodes() | LineRef() | Subtotal():
            return ()
        case _:
            assert_never(expr)


def line_inputs(line: Line) -> tuple[Expr, ...]:
    """The expressions a line reads."""
    match line:
        case BalanceLine():
            return (line.value,)
        case CommissionLine():
            return (line.base,) + ((line.scale,) if line.scale is not None else ())
        case BonusLine():
            extra = tuple(e for e in (line.scale, line.when) if e is not None)
            return (line.amount, *extra)
        case FixedLine():
            return () if isinstance(line.amount, Const) else (line.amount,)
        case ByLine() | ShareLine():
            return ()
        case _:
            assert_never(line)


def walk(node: Expr) -> list[Expr]:
    """Every node of an expression once, parents first.

    A node shared by several parents (an indicator read by two others) is visited once: a
    chain of such definitions has exponentially many paths.
    """
    found, stack, seen = [], [node], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.append(current)
        stack.extend(reversed(children(current)))
    return found
