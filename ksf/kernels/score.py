"""Weighted KPI scores: points interpolated baseline → target → challenge, then summed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
import numpy as np

from ksf import ir
from ksf._typing import BoolArray, FloatArray
from ksf.catalogue import data_run as say
from ksf.fast_ops import put
from ksf.kernels.tolerance import below_equal, below_equal_each
from ksf.kernels.values import BadValues, Value, read_column, steady
from ksf.message import Keyword
from ksf.money import AMOUNT_ERROR

# A literal KPI's curve: its sign, the points' positions and the points there (`np.interp`).
Curve = tuple[int, list[float], list[float]]


def score(spec: ir.ScoreSpec, bounded: Sequence[bool] = ()) -> Callable[..., None]:
    """A weighted KPI score: points interpolated baseline → target → challenge, then summed.

    ``bounded[i]`` marks a KPI that cancels digits (sales − refunds): the kernel then takes,
    after the KPI values, one magnitude (`ksf.error_bounds.magnitude`) for each such KPI, and a
    value below the baseline by no more than its float error is at the baseline (LANGUAGE.md
    7): 8,715,926.29 − 8,715,925.4 is 0.89 by hand whatever the last bits of the millions say.
    Between the values and the magnitudes come the KPIs' points read per row (`ir.children`).
    """
    high = spec.points[2]
    curves: list[Curve | None] = []
    for kpi in spec.kpis:
        if ir.kpi_per_row(kpi):
            curves.append(None)  # placed on each row by `_per_row`
            continue
        assert isinstance(kpi.baseline, float)  # noqa: S101 - none is read per row
        assert isinstance(kpi.target, float)  # noqa: S101
        assert isinstance(kpi.challenge, float)  # noqa: S101
        curves.append(_curve(spec, kpi, (kpi.baseline, kpi.target, kpi.challenge)))
    marks = [i < len(bounded) and bounded[i] for i in range(len(spec.kpis))]
    counts = [len(ir.kpi_per_row(kpi)) for kpi in spec.kpis]
    first = len(spec.kpis) + sum(counts)  # where the magnitudes start

    def kernel(out: FloatArray, *inputs: Value) -> None:
        out.fill(0.0)
        values, magnitudes = inputs[: len(curves)], iter(inputs[first:])
        read = iter(inputs[len(curves) : first])
        for kpi, value, written, mark, count in zip(
            spec.kpis, values, curves, marks, counts, strict=True
        ):
            error = np.asarray(next(magnitudes), dtype=np.float64) * AMOUNT_ERROR if mark else None
            curve = written
            if curve is None:
                given = [steady(next(read)) for _ in range(count)]
                curve = _steady_curve(spec, kpi, given)
                if curve is None:
                    points = _per_row(spec, kpi, value, given, error, out.shape)
                    points *= kpi.weight
                    out += points
                    continue
            sign, xp, fp = curve
            x = _signed(value, sign)
            if error is not None:
                baseline = xp[1]
                x = np.where((x < baseline) & (baseline - x <= error), baseline, x)
            points = np.interp(x, xp, fp, left=0.0, right=high)
            points *= kpi.weight
            out += points

    return kernel


def _curve(spec: ir.ScoreSpec, kpi: ir.KpiSpec, given: tuple[float, float, float]) -> Curve:
    """A KPI's curve from its baseline, target and challenge as numbers (`np.interp`).

    A value equal to the baseline up to float noise (LANGUAGE.md 7) earns the baseline
    points: the curve starts at the first value that is not below the baseline. Past it the
    points are continuous, so noise there moves them by noise only.
    """
    low, mid, high = spec.points
    sign = kpi.direction or 1
    baseline, target, challenge = (v * sign for v in given)
    start = np.nextafter(below_equal(baseline), np.inf)
    return sign, [start, baseline, target, challenge], [low, low, mid, high]


def _steady_curve(spec: ir.ScoreSpec, kpi: ir.KpiSpec, read: list[Value]) -> Curve | None:
    """The curve of a KPI whose points read per row are each one number over the block.

    None when one still varies by row (`ksf.kernels.values.steady`), or when the numbers are
    out of order: `_per_row` then refuses the block's rows as it would any other.
    """
    if not all(isinstance(v, float) for v in read):
        return None
    given = iter(read)
    written = (kpi.baseline, kpi.target, kpi.challenge)
    points = [next(given) if isinstance(v, ir.PerRow) else v for v in written]
    sign = kpi.direction or 1
    baseline, target, challenge = (float(v) * sign for v in points)
    if not baseline < target < challenge:
        return None
    return _curve(spec, kpi, (float(points[0]), float(points[1]), float(points[2])))


def _per_row(
    spec: ir.ScoreSpec,
    kpi: ir.KpiSpec,
    value: Value,
    read: list[Value],
    error: Value | None,
    shape: tuple[int, ...],
) -> FloatArray:
    """A KPI's points on each row from that row's baseline, target and challenge.

    `np.interp` over the curve a literal KPI gets, written out for points that differ by
    row, with the same arithmetic (``slope × (x − left end) + points there``), so a row earns
    exactly what the literal card with its values gives it. ``shape``: the block's. Each
    segment is worked out in a buffer and copied onto the rows it covers (no new arrays).
    """
    low, mid, high = spec.points
    sign = kpi.direction or 1
    given = iter(read)
    b, t, c = (
        _signed(next(given) if isinstance(v, ir.PerRow) else v, sign)
        for v in (kpi.baseline, kpi.target, kpi.challenge)
    )
    x = _signed(value, sign)
    result, rise, run = np.empty(shape), np.empty(shape), np.empty(shape)
    # t − b and c − t, which the slopes divide by, are above 0 exactly where the points are
    # in order (NaN is in no order): their least values tell, and the rows to refuse are
    # only looked for when some are out of order or missing.
    np.subtract(t, b, out=run)
    np.subtract(c, t, out=rise)
    if not (run.min() > 0 and rise.min() > 0):
        _check(spec, kpi, (b, t, c), read, shape)
    if error is not None:
        x = np.where((x < b) & (b - x <= error), b, x)
    with np.errstate(all="ignore"):  # a segment's figure on rows off it is not taken
        # second: (high − mid) / (c − t) × (x − t) + mid, on every row to begin with
        np.divide(high - mid, rise, out=rise)
        np.subtract(x, t, out=result)
        result *= rise
        result += mid
        # first: (mid − low) / (t − b) × (x − b) + low, on the rows below the target
        np.divide(mid - low, run, out=run)
        np.subtract(x, b, out=rise)
        rise *= run
        rise += low
        # Below the baseline the first segment is below `low` (its slope is 0 or more, as
        # `points` increase), on or past it not: the larger of the two is `where(x < b, …)`.
        np.maximum(rise, low, out=rise)
    below = np.empty(shape, dtype=bool)
    np.less(x, t, out=below)
    put(result, below, rise, run)  # branch-free masked copies (`ksf.fast_ops.put`)
    np.greater_equal(x, c, out=below)  # a missing x is made missing again below
    put(result, below, high, run)
    np.less_equal(x, below_equal_each(b, out=rise), out=below)
    put(result, below, 0.0, run)
    if not np.isfinite(np.add.reduce(x, axis=None)):  # one pass: a missing value stays missing
        result[np.isnan(np.broadcast_to(x, result.shape))] = np.nan
    return result


def _signed(value: Value | ir.ClauseValue, sign: int) -> FloatArray:
    """Values times the KPI's sign (×1 changes no bit, so it is skipped)."""
    values: FloatArray = np.asarray(value, dtype=np.float64)
    return values if sign == 1 else values * sign


def _check(
    spec: ir.ScoreSpec,
    kpi: ir.KpiSpec,
    points: tuple[FloatArray, FloatArray, FloatArray],
    read: list[Value],
    shape: tuple[int, ...],
) -> None:
    """Refuse rows with a missing point, or whose points are out of order (LANGUAGE.md §9).

    The clause named is the first one read per row of a pair out of order.
    """
    where = say.KPI_OF_SCORE(kpi=kpi.text, score=spec.name)
    given = ir.kpi_per_row(kpi)
    for clause, value in zip(given, read, strict=True):
        missing: BoolArray = np.broadcast_to(np.isnan(value), shape)
        if missing.any():
            message = say.KPI_CLAUSE_MISSING(clause=Keyword(clause.clause), where=where)
            raise BadValues(np.array(missing), message, read_column(clause))
    named = {p.clause: p for p in given}
    b, t, c = points
    for pair, (left, right) in zip(
        (("baseline", "target"), ("target", "challenge")), ((b, t), (t, c)), strict=True
    ):
        wrong = np.broadcast_to(~(left < right), shape)
        either = named.get(pair[0]) or named.get(pair[1])
        if either is not None and wrong.any():
            order = say.KPI_POINTS_DECREASE if (kpi.direction or 1) < 0 else say.KPI_POINTS_INCREASE
            written = say.WRITTEN(keyword=Keyword(either.clause), text=either.text)
            message = order(clause=written, where=where)
            raise BadValues(np.array(wrong), message, read_column(either))


def kpi_points(
    spec: ir.ScoreSpec,
    kpi: ir.KpiSpec,
    value: Value,
    magnitude: Value | None,
    read: Sequence[Value] = (),
) -> float:
    """The points one KPI earns on its own, as an explanation shows them beside its weight.

    ``magnitude``: for a KPI that cancels digits, the magnitude `score` takes for it;
    ``read``: its points read per row (`ir.kpi_per_row`), on the row.
    """
    points = np.empty(1)
    single = ir.ScoreSpec(spec.name, (attrs.evolve(kpi, weight=1.0),), spec.points)
    inputs = [value, *read] if magnitude is None else [value, *read, magnitude]
    score(single, [magnitude is not None])(points, *inputs)
    return float(points[0])
