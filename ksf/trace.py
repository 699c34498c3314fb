"""What a one-row run records for `ksf.explain`: one class per line kind, plus the row's facts.

The same code that computes the payroll fills these when it runs one row again: the line
kernels (`ksf.kernels`) their intermediate values, the pool split its pool's facts, the card
run the missing-value policy and the ``min_pay`` top-up. Every figure an explanation prints
is recorded here, so `ksf.explain` only lays figures out and never recomputes one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TypeAlias

import attrs

from ksf import ir

NAN = math.nan


@attrs.frozen
class TierPart:
    """The part of a line's steps (or base) that falls in one tier, and the tier's rate."""

    size: float
    rate: float


@attrs.define(kw_only=True)
class FixedTrace:
    """A fixed amount: written in the card, or read from the data (LANGUAGE.md 9)."""

    line: ir.FixedLine
    amount: float = NAN  # as the line read it, before rounding


@attrs.define(kw_only=True)
class ByTrace:
    """An amount looked up by the row's key."""

    line: ir.ByLine
    key: str = ""


@attrs.frozen(kw_only=True)
class ClauseFigures:
    """A balance rule's clause values on the traced row: as written, or read per row (§9)."""

    balance: float
    step: float
    reward: float
    penalty: float
    pot: float = 0.0
    cap: float | None = None
    floor: float | None = None
    beyond: tuple[float, ...] = ()  # `beyond` points and amounts read per row (§9), in order
    tiers: tuple[tuple[float, float], ...] = ()  # a commission's tiers read per row, this row's


@attrs.define(kw_only=True)
class BalanceTrace:
    """The balance rule's arithmetic (LANGUAGE.md 3.1), filled by `ksf.kernels.balance`."""

    line: ir.BalanceLine
    clauses: ClauseFigures | None = None  # the row's balance, step, rates, pot, floor and cap
    value: float = NAN  # the value the rule read, after the missing-value policy
    delta: float = NAN  # the signed distance in steps, before whole steps are taken
    steps: float = NAN  # the signed steps paid
    tiers: tuple[TierPart, ...] = ()  # the steps in each tier of the side they fall on
    step_amount: float = NAN  # what the steps pay, before the pot
    unclipped: float = NAN  # the amount before floor and cap


@attrs.define(kw_only=True)
class CommissionTrace:
    """Commission on a base (LANGUAGE.md 3.2), filled by `ksf.kernels.commission`."""

    line: ir.CommissionLine
    given: ClauseFigures | None = None  # a rate, cap or floor read per row (§9), on this row
    base: float = NAN  # as the line read it
    rate: float = NAN  # the rate a retroactive base reached
    parts: tuple[TierPart, ...] = ()  # the part of the base each marginal rate applies to
    unscaled: float = NAN
    scale: float = NAN  # as the line read it
    scaled: float = NAN  # unscaled × scale
    unclipped: float = NAN  # the amount before floor and cap


@attrs.frozen
class NearEqual:
    """A comparison whose two sides were equal only up to float noise (LANGUAGE.md 7)."""

    left: float
    symbol: str
    right: float


@attrs.define(kw_only=True)
class BonusTrace:
    """A bonus: its amount, its scale and whether its condition held."""

    line: ir.BonusLine
    paid: bool = True  # the condition holds, or there is none
    amount: float = NAN  # as the line read it
    scale: float = NAN
    scaled: float = NAN  # amount × scale
    near_equal: tuple[NearEqual, ...] = ()  # in the condition, in the order written


@attrs.frozen(kw_only=True)
class ShareTrace:
    """A member's share of a pool, with the pool's facts (LANGUAGE.md 10)."""

    line: ir.ShareLine
    spec: ir.PoolSpec
    threshold: float  # the group's `above`, `share` and `cap` (read per row or written)
    share: float
    cap: float | None
    group: str  # "" without `per`
    base: float  # the group's base value
    past: float  # max(0, base − threshold) × share, before the cap
    capped: bool  # the cap applied
    pool: float  # the group's rounded pool
    weight: float
    group_weight: float
    exact: float  # pool × weight / group weight, before the split to the unit


LineDetail: TypeAlias = (
    FixedTrace | ByTrace | BalanceTrace | CommissionTrace | BonusTrace | ShareTrace
)


@attrs.frozen(kw_only=True)
class LineTrace:
    """One line of the row: its arithmetic and its amount before rounding."""

    detail: LineDetail
    amount: float  # before rounding to the unit
    missing: str | None = None  # the card's `missing as` policy, where a value was missing


@attrs.frozen(kw_only=True)
class KpiPoints:
    """One KPI of a score on the row: its value and the points it earned."""

    text: str
    value: float
    points: float
    weight: float
    # Its baseline, target or challenge read per row (LANGUAGE.md §9), with the row's values.
    read: tuple[tuple[ir.PerRow, float], ...] = ()


@attrs.frozen(kw_only=True)
class MatrixTrace:
    """A decision matrix on the row (LANGUAGE.md 10): its keys' values and the row matched.

    ``keys`` holds each key's value, a text key's as the data writes it; ``row`` is the
    index of the matching row in ``spec.rows``, None for ``else`` (or a missing key).
    """

    spec: ir.MatrixSpec
    keys: tuple[float | str, ...]
    row: int | None
    value: float


@attrs.frozen(kw_only=True)
class MinPayTrace:
    """The ``min_pay`` top-up: what the lines add up to and what was added."""

    min_pay: float
    lines_total: float
    topup: float


@attrs.frozen(kw_only=True)
class GroupTrace:
    """A group aggregate on the row (LANGUAGE.md §11): the row's group, its size, the value."""

    node: ir.Group
    key: str  # the row's value in the key column, "all" for `over all`
    rows: int  # the group's rows with a known value: those the aggregate took
    value: float  # the aggregate (for `rank`, the row's rank)


@attrs.frozen(kw_only=True)
class RowTrace:
    """Everything an explanation of one row prints."""

    card: ir.Card
    values: Mapping[ir.Expr, float]  # every computed node's value on the row
    kpis: Mapping[ir.Named, tuple[KpiPoints, ...]]  # each score a line reads
    lines: Mapping[str, LineTrace]
    amounts: Mapping[str, float]  # the payroll's rounded amounts
    total: float
    min_pay: MinPayTrace | None = None
    matrices: Mapping[ir.MatrixLookup, MatrixTrace] = attrs.field(factory=dict)
    groups: tuple[GroupTrace, ...] = ()  # each group aggregate a line reads


def node_value(values: Mapping[ir.Expr, float], node: ir.Expr) -> float:
    """A node's value on the traced row: a constant's own, else the one computed (or NaN)."""
    if isinstance(node, ir.Const):
        return node.value
    return values.get(node, NAN)
