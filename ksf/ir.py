"""The checked, desugared intermediate representation (IR) that every later stage reads.

`ksf.dsl.check` builds it, names the file leaves free kept as `Free`; `ksf.bind` makes each
a `Column`, a `Param` or a library definition. Nodes are frozen and compare structurally
(spans excluded), so the compiler shares sub-expressions as dictionary keys; hashes are
cached, as a chain of shared definitions must not be rehashed once per path.
"""

from __future__ import annotations

import functools
from typing import TypeAlias, assert_never

import attrs

from ksf.errors import RuleWarning
from ksf.explain_words import Lang

# Re-exported (mypy strict wants the `as`): every stage names them ir.MatrixSpec and so on.
from ksf.ir_leaves import BALANCE_CLAUSES as BALANCE_CLAUSES  # noqa: PLC0414
from ksf.ir_leaves import COMMISSION_CLAUSES as COMMISSION_CLAUSES  # noqa: PLC0414
from ksf.ir_leaves import CONDITION_OPS as CONDITION_OPS  # noqa: PLC0414
from ksf.ir_leaves import NOWHERE as NOWHERE  # noqa: PLC0414
from ksf.ir_leaves import Beyond as Beyond  # noqa: PLC0414
from ksf.ir_leaves import Column as Column  # noqa: PLC0414
from ksf.ir_leaves import ColumnSpec as ColumnSpec  # noqa: PLC0414
from ksf.ir_leaves import Const as Const  # noqa: PLC0414
from ksf.ir_leaves import Free as Free  # noqa: PLC0414
from ksf.ir_leaves import LineRef as LineRef  # noqa: PLC0414
from ksf.ir_leaves import Param as Param  # noqa: PLC0414
from ksf.ir_leaves import Subtotal as Subtotal  # noqa: PLC0414
from ksf.ir_leaves import TableSpec as TableSpec  # noqa: PLC0414
from ksf.ir_leaves import Tier as Tier  # noqa: PLC0414
from ksf.ir_leaves import _span
from ksf.ir_leaves import beyond_per_row as beyond_per_row  # noqa: PLC0414
from ksf.ir_matrix import MatrixCell as MatrixCell  # noqa: PLC0414
from ksf.ir_matrix import MatrixSpec as MatrixSpec  # noqa: PLC0414
from ksf.ir_matrix import TextCodes as TextCodes  # noqa: PLC0414
from ksf.periods import Period
from ksf.source import Source, Span

# ---- expressions --------------------------------------------------------------------------


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
    baseline: ClauseValue  # each may be read per row (LANGUAGE.md §9)
    target: ClauseValue
    challenge: ClauseValue
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


# ---- lines --------------------------------------------------------------------------------


@attrs.frozen(cache_hash=True)
class PerRow:
    """A clause value read per row (LANGUAGE.md §9), ``balance target_gm``; text as written."""

    clause: str
    expr: Expr
    text: str = attrs.field(default="", eq=False)
    span: Span = _span()


ClauseValue: TypeAlias = float | PerRow  # a number written in the file, or a value per row


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
    balance: ClauseValue
    step: ClauseValue
    reward: ClauseValue
    penalty: ClauseValue
    beyond: tuple[Beyond, ...]
    pot: ClauseValue = 0.0
    cap: ClauseValue | None = None
    floor: ClauseValue | None = None
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
    cap: ClauseValue | None = None
    floor: ClauseValue | None = None
    rate: PerRow | None = None  # the rate read per row (§9); the one tier's rate is then 0
    beyond: tuple[Beyond, ...] = ()  # tiers as written, when one reads per row (`tiers`: 1)
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
    effective: Period | None = None  # a version's first month (§13); None: in every period
    span: Span = _span()

    def pools(self) -> frozenset[str]:
        """The pools whose amounts this card's ``share`` lines take a part of."""
        return frozenset(line.pool for line in self.lines if isinstance(line, ShareLine))


@attrs.frozen(cache_hash=True)
class PoolSpec:
    """A profit pool: max(0, base − threshold) × share, capped, split among members."""

    name: str
    base: Expr
    threshold: ClauseValue  # `above`; each may be read per row, one value per group (§9)
    share: ClauseValue
    cap: ClauseValue | None = None
    per: str | None = None
    split_by: str | None = None
    text: str = attrs.field(default="", eq=False)
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
    # Out of equality (not computed with): warnings for `ksf check`, definitions for data warnings
    warnings: tuple[RuleWarning, ...] = attrs.field(default=(), eq=False)
    definitions: tuple[tuple[str, str, Span], ...] = attrs.field(default=(), eq=False)

    def card(self, name: str) -> Card | None:
        """The card called ``name`` (its first version, `ksf.versions` chooses one), or None."""
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
        case ScoreValue():  # the KPIs' values, then their points read per row, in order
            kpis = expr.score.kpis
            return (*(k.value for k in kpis), *(p.expr for k in kpis for p in kpi_per_row(k)))
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
            return (line.value, *(p.expr for p in per_row(line)))
        case CommissionLine():
            scale = (line.scale,) if line.scale is not None else ()
            return (line.base, *scale, *(p.expr for p in per_row(line)))
        case BonusLine():
            extra = tuple(e for e in (line.scale, line.when) if e is not None)
            return (line.amount, *extra)
        case FixedLine():
            return () if isinstance(line.amount, Const) else (line.amount,)
        case ByLine() | ShareLine():
            return ()
        case _:
            assert_never(line)


@functools.lru_cache(maxsize=4096)  # asked per row block; lines hash once (cache_hash)
def per_row(line: Line) -> tuple[PerRow, ...]:
    """A line's clause values read per row, its last inputs (`line_inputs`), then `beyond`'s."""
    match line:
        case BalanceLine() | CommissionLine():
            return (*clause_per_row(line), *beyond_per_row(line.beyond))
        case FixedLine() | ByLine() | BonusLine() | ShareLine():
            return ()  # these kinds take no clause values
        case _:
            assert_never(line)


def clause_per_row(line: BalanceLine | CommissionLine) -> tuple[PerRow, ...]:
    """A line's single clauses read per row (`balance`, `rate`, …), in order."""
    names = BALANCE_CLAUSES if isinstance(line, BalanceLine) else COMMISSION_CLAUSES
    return tuple(v for c in names if isinstance(v := getattr(line, c), PerRow))


def kpi_per_row(kpi: KpiSpec) -> tuple[PerRow, ...]:
    """A KPI's baseline, target and challenge read per row (LANGUAGE.md §9), in that order."""
    values = (kpi.baseline, kpi.target, kpi.challenge)
    return tuple(v for v in values if isinstance(v, PerRow))


def pool_per_row(pool: PoolSpec) -> tuple[PerRow, ...]:
    """A pool's `above`, `share` and `cap` read per row (LANGUAGE.md §9), in that order."""
    return tuple(v for v in (pool.threshold, pool.share, pool.cap) if isinstance(v, PerRow))


def walk(node: Expr) -> list[Expr]:
    """Every node once, parents first: a shared node once (a chain of them has 2^n paths)."""
    found, stack, seen = [], [node], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        found.append(current)
        stack.extend(reversed(children(current)))
    return found
