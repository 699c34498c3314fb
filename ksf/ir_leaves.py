"""The IR nodes that hold no expression: leaf expressions, tables, tiers, column specs.

They live below `ksf.ir` (which re-exports them, so every stage still names them
``ir.Column``, ``ir.TableSpec`` and so on) to keep `ksf.ir` short; `ksf.ir_matrix` is the
same pattern for decision matrices.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from ksf.source import Span

if TYPE_CHECKING:  # a `beyond` point or amount read per row holds an expression (`ksf.ir`)
    from ksf.ir import PerRow

NOWHERE = Span(0, 0, 0, 0)


def _span() -> Span:
    return attrs.field(default=NOWHERE, eq=False, repr=False, kw_only=True)


# ---- leaf expressions ---------------------------------------------------------------------


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
class LineRef:
    """An earlier line of the card: its rounded amount, filled in once computed (LANGUAGE.md 9)."""

    name: str


@attrs.frozen(cache_hash=True)
class Subtotal:
    """``subtotal``: the sum of the rounded amounts of the card's first ``count`` lines."""

    count: int


CONDITION_OPS = frozenset({"lt", "le", "gt", "ge", "eq", "ne", "and", "or", "not", "truth"})


# ---- what lines and definitions hold ------------------------------------------------------


@attrs.frozen(cache_hash=True)
class TableSpec:
    """A lookup table: rows tried top-down, the first whose comparison holds wins."""

    name: str
    ops: tuple[str, ...]
    thresholds: tuple[float, ...]
    values: tuple[float, ...]
    otherwise: float


@attrs.frozen(cache_hash=True)
class Tier:
    """A progressive tier: past ``at`` (steps from the balance, or an amount) pay ``rate``."""

    at: float
    rate: float
    span: Span = _span()


@attrs.frozen(cache_hash=True)
class Beyond:
    """A `beyond` clause as written, before the direction puts it on a side.

    The point and the amount are numbers written in the file, or read per row (§9): a
    rule's tiers are then placed, and checked, on each row (`ksf.per_row`).
    """

    at: float | PerRow
    kind: str  # "reward" or "penalty" ("rate" for a commission's tier read per row)
    rate: float | PerRow
    text: str = attrs.field(default="", eq=False)  # the point as written, e.g. 35%
    span: Span = _span()


def beyond_per_row(points: tuple[Beyond, ...]) -> tuple[PerRow, ...]:
    """The `beyond` points and amounts read per row (LANGUAGE.md §9), in the order written."""
    return tuple(v for b in points for v in (b.at, b.rate) if not isinstance(v, float))


def map_per_row(points: tuple[Beyond, ...], f: Callable[[PerRow], PerRow]) -> tuple[Beyond, ...]:
    """The `beyond` clauses with ``f`` applied to each value they read per row."""
    return tuple(
        attrs.evolve(
            b,
            at=b.at if isinstance(b.at, float) else f(b.at),
            rate=b.rate if isinstance(b.rate, float) else f(b.rate),
        )
        for b in points
    )


def written_point(point: Beyond) -> tuple[float, float] | None:
    """A `beyond` clause's point and amount when both are written as numbers, else None."""
    at, rate = point.at, point.rate
    return (at, rate) if isinstance(at, float) and isinstance(rate, float) else None


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


# The clauses that may be read per row, in the order a line's inputs list them (`ksf.ir.per_row`).
BALANCE_CLAUSES = ("balance", "step", "reward", "penalty", "pot", "cap", "floor")
COMMISSION_CLAUSES = ("rate", "cap", "floor")  # a rate only without `beyond` tiers
