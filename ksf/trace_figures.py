"""The figures of a row's explanation that no line kernel computes on its own.

Each KPI's points beside its weight, and the comparisons in a bonus's condition whose sides
were equal only up to float noise (LANGUAGE.md 7). The card run records them in the row's
trace (`ksf.trace`), computed by the same kernels and error bounds as the payroll.
"""

from __future__ import annotations

from collections.abc import Mapping

from ksf import ir
from ksf.columns import Columns
from ksf.error_bounds import compared_with_error, comparison_magnitude, magnitude
from ksf.kernels.matrix import bounds_of, matched_row, snap
from ksf.kernels.score import kpi_points
from ksf.kernels.tolerance import equal_up_to_noise
from ksf.money import AMOUNT_ERROR
from ksf.trace import KpiPoints, MatrixTrace, NearEqual, node_value

SYMBOLS = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}


def score_points(
    card: ir.Card, values: Mapping[ir.Expr, float]
) -> dict[ir.Named, tuple[KpiPoints, ...]]:
    """Each KPI's value and points, for every score the card's lines read."""
    found: dict[ir.Named, tuple[KpiPoints, ...]] = {}
    for line in card.lines:
        for node in ir.line_inputs(line):
            for named in ir.walk(node):
                match named:
                    case ir.Named(expr=ir.ScoreValue(score=spec)) if named not in found:
                        found[named] = _kpis(spec, values)
                    case _:
                        pass
    return found


def _kpis(spec: ir.ScoreSpec, values: Mapping[ir.Expr, float]) -> tuple[KpiPoints, ...]:
    kpis = []
    for kpi in spec.kpis:
        value = node_value(values, kpi.value)
        # A KPI that cancels digits is at its baseline within its float error.
        bound = node_value(values, magnitude(kpi.value)) if compared_with_error(kpi.value) else None
        read = tuple((p, node_value(values, p.expr)) for p in ir.kpi_per_row(kpi))
        points = kpi_points(spec, kpi, value, bound, [v for _, v in read])
        kpis.append(
            KpiPoints(text=kpi.text, value=value, points=points, weight=kpi.weight, read=read)
        )
    return tuple(kpis)


def near_equal(node: ir.Expr, values: Mapping[ir.Expr, float]) -> tuple[NearEqual, ...]:
    """Comparisons in ``node`` whose two sides were equal only up to float noise.

    ``1 - cost/revenue`` is 0.19999999999999996 in floats and 0.2 by hand: it was compared
    as 0.2, equal to the 20% on the other side.
    """
    found = []
    for op in ir.walk(node):
        if not (isinstance(op, ir.Op) and op.op in SYMBOLS):
            continue
        left, right = (node_value(values, arg) for arg in op.args)
        error = 0.0  # the float error of a side that cancels digits (sales - refunds)
        if any(map(compared_with_error, op.args)):
            error = AMOUNT_ERROR * node_value(values, comparison_magnitude(op))
        if left != right and (equal_up_to_noise(left, right) or abs(left - right) <= error):
            found.append(NearEqual(left, SYMBOLS[op.op], right))
    return tuple(found)


def matrix_rows(
    card: ir.Card, values: Mapping[ir.Expr, float], data: Columns, row: int
) -> dict[ir.MatrixLookup, MatrixTrace]:
    """Each decision matrix the card's lines read: its keys on the row and the row matched."""
    found: dict[ir.MatrixLookup, MatrixTrace] = {}
    for line in card.lines:
        for node in ir.line_inputs(line):
            for lookup in ir.walk(node):
                if not isinstance(lookup, ir.MatrixLookup) or lookup in found:
                    continue
                numbers = [_key(lookup.table, k, arg, values) for k, arg in enumerate(lookup.args)]
                shown = tuple(
                    str(data.text[arg.column][row]) if isinstance(arg, ir.TextCodes) else n
                    for arg, n in zip(lookup.args, numbers, strict=True)
                )
                found[lookup] = MatrixTrace(
                    spec=lookup.table,
                    keys=shown,
                    row=matched_row(lookup.table, numbers),
                    value=node_value(values, lookup),
                )
    return found


def _key(spec: ir.MatrixSpec, key: int, arg: ir.Expr, values: Mapping[ir.Expr, float]) -> float:
    """A key's value as the lookup compared it: on a cell's bound within its float error."""
    value = node_value(values, arg)
    if not compared_with_error(arg):
        return value
    bound = node_value(values, magnitude(arg))
    return float(snap(value, bound, bounds_of(spec, key)))
