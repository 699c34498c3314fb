"""Impossible values: data a column's declaration says it cannot hold (a negative count).

`checked_columns` finds the columns that bound expressions read and must check;
`check_domain` checks a block of one.

Checked on the rows that read the column, by the card run and by the pool split, before any
amount is computed; missing values are left to the missing-value policy (`ksf.missing`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ksf import ir
from ksf._typing import BoolArray, FloatArray, IntArray
from ksf.errors import DataError
from ksf.frame import global_rows


def checked_columns(
    exprs: Sequence[ir.Expr],
    library: Mapping[str, ir.ColumnSpec],
    declared: Mapping[str, ir.ColumnSpec],
) -> dict[str, ir.ColumnSpec]:
    """The columns that bound expressions read whose values must lie in a declared domain.

    The file's own `column` declarations (``declared``) hold wherever the expressions read
    the column, and so do the standard library's (``library``): a count of orders is never
    negative, whether a standard indicator or a line reads it. A column named like a
    standard indicator (origin ``indicator``) stands in for the indicator.
    """
    found: dict[str, ir.ColumnSpec] = {}
    # One walk over every expression, so a definition read by many lines is visited once.
    for node in ir.walk(ir.Op("inputs", tuple(exprs))):
        if isinstance(node, ir.Column) and node.name in declared:
            found[node.name] = declared[node.name]
        elif isinstance(node, ir.Column) and node.name in library:
            found[node.name] = library[node.name]
        elif isinstance(node, ir.Named) and node.origin == "library":
            for inner in ir.walk(node.expr):
                name = inner.name if isinstance(inner, ir.Column) else ""
                if name in library and name not in declared:
                    found[name] = library[name]
    return {n: s for n, s in found.items() if s.low > -math.inf or s.high < math.inf}


def check_domain(
    values: FloatArray, spec: ir.ColumnSpec, block: slice | IntArray, alike: bool = False
) -> None:
    """Refuse values a column's declaration says it cannot hold (a negative count).

    The least and the greatest known value first (two reductions, no temporary); the rows
    are only looked for when one of them is outside. Missing values are left to the
    missing-value check. ``alike``: the block's values are all the same, so the first one
    answers for the block.
    """
    if len(values) == 0:
        return
    # NaN ignored: a missing value is left to the missing-value check. A side with no bound
    # (a point read per row has only a greatest value) needs no reduction: NaN passes.
    least, most = (
        (values[0], values[0])
        if alike
        else (
            np.fmin.reduce(values) if spec.low > -math.inf else math.nan,
            np.fmax.reduce(values) if spec.high < math.inf else math.nan,
        )
    )
    if not (_outside_value(float(least), spec) or _outside_value(float(most), spec)):
        return
    outside = _outside_rows(values, spec)
    msg = _outside(spec)
    raise DataError(msg, column=spec.name, rows=global_rows(block, np.flatnonzero(outside)))


def _outside_value(value: float, spec: ir.ColumnSpec) -> bool:
    """`_outside_rows` for one number (NaN is outside nothing), without an array."""
    low = value <= spec.low if spec.low_open else value < spec.low
    return low or (value >= spec.high if spec.high_open else value > spec.high)


def _outside_rows(values: FloatArray, spec: ir.ColumnSpec) -> BoolArray:
    with np.errstate(invalid="ignore"):
        low = values <= spec.low if spec.low_open else values < spec.low
        outside: BoolArray = low | (values >= spec.high if spec.high_open else values > spec.high)
    return outside


def _outside(spec: ir.ColumnSpec) -> str:
    """Why a value outside a column's domain is refused, and what to do about it."""
    points = "does the column hold percentage points (28.5 for 28.5%)? divide it by 100"
    if spec.origin == "indicator":
        return (
            f"impossible value: `{spec.name}` stands in for the standard indicator of that "
            f"name, a share that must be {spec.text}; {points}, or write its cells as 28.5%"
        )
    if spec.origin == "points":
        return (
            f"`{spec.name}` holds values above 100 (above 10000%), but a line reads it "
            f"against points written in percent ({spec.text}): {points} or write its cells "
            "as 28.5%; or write the line's points without %"
        )
    if spec.origin == "per_row_points":
        return (
            f"`{spec.name}` is a balance point read per row on a line written in percent "
            f"({spec.text}), so a value of 10 or more means 1000% or more: {points} "
            "(25% is 0.25), or write its cells as 25%"
        )
    if spec.origin == "per_row_kpi_points":
        return (
            f"`{spec.name}` is a KPI's baseline, target or challenge read per row against "
            f"points written in percent ({spec.text}), so a value of 10 or more means 1000% "
            f"or more: {points} (90% is 0.9), or write its cells as 90%"
        )
    if spec.origin == "per_row_rate":
        return (
            f"`{spec.name}` is a commission rate read per row on an amount of money, so a "
            "value above 1 pays more than all of it: does the column hold percentages "
            "(1.5 for 1.5%)? divide it by 100, or write its cells as 1.5%"
        )
    what = f"a {spec.unit}" if spec.unit else "a value"
    where = "the standard library" if spec.origin == "library" else "the rule file"
    return (
        f"impossible value: `{spec.name}` is {what} that must be {spec.text} "
        f"(as {where} declares it)"
    )
