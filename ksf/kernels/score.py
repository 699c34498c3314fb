"""Weighted KPI scores: points interpolated baseline → target → challenge, then summed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
import numpy as np

from ksf import ir
from ksf._typing import FloatArray
from ksf.kernels.tolerance import below_equal
from ksf.kernels.values import Value
from ksf.money import AMOUNT_ERROR


def score(spec: ir.ScoreSpec, bounded: Sequence[bool] = ()) -> Callable[..., None]:
    """A weighted KPI score: points interpolated baseline → target → challenge, then summed.

    ``bounded[i]`` marks a KPI that cancels digits (sales − refunds): the kernel then takes,
    after the KPI values, one magnitude (`ksf.error_bounds.magnitude`) for each such KPI, and a
    value below the baseline by no more than its float error is at the baseline (LANGUAGE.md
    7): 8,715,926.29 − 8,715,925.4 is 0.89 by hand whatever the last bits of the millions say.
    """
    low, mid, high = spec.points
    # A value equal to the baseline up to float noise (LANGUAGE.md 7) earns the baseline
    # points: the curve starts at the first value that is not below the baseline. Past it the
    # points are continuous, so noise there moves them by noise only.
    curves = []
    for kpi in spec.kpis:
        sign = kpi.direction or 1
        baseline = kpi.baseline * sign
        start = np.nextafter(below_equal(baseline), np.inf)
        xp = [start, baseline, kpi.target * sign, kpi.challenge * sign]
        curves.append((sign, xp, [low, low, mid, high]))
    marks = [i < len(bounded) and bounded[i] for i in range(len(spec.kpis))]

    def kernel(out: FloatArray, *inputs: Value) -> None:
        out.fill(0.0)
        values, magnitudes = inputs[: len(curves)], iter(inputs[len(curves) :])
        for kpi, value, (sign, xp, fp), mark in zip(spec.kpis, values, curves, marks, strict=True):
            x = np.asarray(value, dtype=np.float64) * sign
            if mark:
                error = np.asarray(next(magnitudes), dtype=np.float64) * AMOUNT_ERROR
                baseline = xp[1]
                x = np.where((x < baseline) & (baseline - x <= error), baseline, x)
            points = np.interp(x, xp, fp, left=0.0, right=high)
            out += kpi.weight * points

    return kernel


def kpi_points(spec: ir.ScoreSpec, kpi: ir.KpiSpec, value: Value, magnitude: Value | None) -> float:
    """The points one KPI earns on its own, as an explanation shows them beside its weight.

    ``magnitude``: for a KPI that cancels digits, the magnitude `score` takes for it.
    """
    points = np.empty(1)
    single = ir.ScoreSpec(spec.name, (attrs.evolve(kpi, weight=1.0),), spec.points)
    inputs = [value] if magnitude is None else [value, magnitude]
    score(single, [magnitude is not None])(points, *inputs)
    return float(points[0])
