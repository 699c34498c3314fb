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
from ksf.catalogue import data_run as say
from ksf.errors import DataError
from ksf.frame import global_rows
from ksf.message import Message


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
    raise DataError(
        _outside(spec), column=spec.name, rows=global_rows(block, np.flatnonzero(outside))
    )


def _outside_value(value: float, spec: ir.ColumnSpec) -> bool:
    """`_outside_rows` for one number (NaN is outside nothing), without an array."""
    low = value <= spec.low if spec.low_open else value < spec.low
    return low or (value >= spec.high if spec.high_open else value > spec.high)


def _outside_rows(values: FloatArray, spec: ir.ColumnSpec) -> BoolArray:
    with np.errstate(invalid="ignore"):
        low = values <= spec.low if spec.low_open else values < spec.low
        outside: BoolArray = low | (values >= spec.high if spec.high_open else values > spec.high)
    return outside


def _outside(spec: ir.ColumnSpec) -> Message:
    """Why a value outside a column's domain is refused, and what to do about it."""
    name, domain, points = spec.name, spec.text, say.PERCENT_POINTS()
    match spec.origin:
        case "indicator":
            return say.OUTSIDE_INDICATOR(name=name, domain=domain, points=points)
        case "points":
            return say.OUTSIDE_POINTS(name=name, domain=domain, points=points)
        case "per_row_points":
            return say.OUTSIDE_PER_ROW_POINTS(name=name, domain=domain, points=points)
        case "per_row_kpi_points":
            return say.OUTSIDE_PER_ROW_KPI_POINTS(name=name, domain=domain, points=points)
        case "per_row_rate":
            return say.OUTSIDE_PER_ROW_RATE(name=name)
        case _:
            unit = say.UNITS[spec.unit]() if spec.unit in say.UNITS else spec.unit
            what = say.A_UNIT(unit=unit) if spec.unit else say.A_VALUE()
            where = say.THE_LIBRARY() if spec.origin == "library" else say.THE_RULE_FILE()
            return say.OUTSIDE_DECLARED(name=name, what=what, domain=domain, where=where)
