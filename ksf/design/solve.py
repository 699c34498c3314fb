"""Solving for a clause value: the number at which a line pays a target amount.

A line's pay as a function of one clause value is piecewise linear: a rate, a reward, a
penalty or a pot scales the pay (until a cap or floor clips it), whole steps make a balance
point's pay a staircase. Both solvers are handed ``pays``, which evaluates the real card
for many candidate values in one call (one row per candidate), and never trust algebra
alone: a value is accepted only when the card pays the target to the cent.

- `linear`: the straight-line solution (the pay at nothing, and the pay per unit on the
  piece that starts at 0), written with the fewest decimals that still pay the target to
  the cent; when the target lies past a bend (a tier), a bracketed search over candidates
  spread from 10⁻⁹ to 10¹², narrowed a thousandfold per call.
- `on_grid`: a balance point on the grid of whole steps (so ``beyond`` points stay whole
  steps away); the grid point nearest the start that pays the target.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

import attrs
import numpy as np

from ksf._typing import BoolArray, FloatArray
from ksf.design.rewrite import decimal

Pays = Callable[[FloatArray], FloatArray]
Keep = Callable[[FloatArray], BoolArray]
DIGITS = 15  # the most decimals a written value gets
SPREAD = np.array([m * 10.0**k for k in range(-9, 13) for m in (1, 2, 5)])
ROUNDS = 40  # narrowing calls of the bracketed search
# Why no value pays the target (`NoSolution.kind`):
INDEPENDENT = "independent"  # the pay does not move with the value
UNREACHABLE = "unreachable"  # the pay never gets to the target (a cap, a floor)
JUMPS = "jumps"  # the pay steps over the target


@attrs.frozen
class Solved:
    """A value that pays the target, and the straight-line solution it was rounded from."""

    value: Decimal
    exact: Decimal | None = None  # (target − pay at 0) ÷ pay per unit, when the line is straight
    per_unit: float | None = None  # what the line pays per unit of the value at this performance
    at_zero: float = 0.0


@attrs.frozen
class NoSolution(Exception):  # noqa: N818 - read as "no solution", raised to the caller
    """Why no value pays the target: ``kind`` and the nearest pays either side."""

    kind: str  # INDEPENDENT, UNREACHABLE or JUMPS
    low: float  # the highest pay below the target found (or the lowest reached)
    high: float  # the lowest pay above it (or the highest reached)


def _hits(paid: FloatArray, target: float, unit: float) -> np.ndarray:
    """Which candidates pay the target to the cent (amounts are already rounded)."""
    return np.asarray(np.abs(paid - target) < unit / 2)


def linear(pays: Pays, target: float, unit: float) -> Solved:
    """The smallest-written non-negative value at which the line pays ``target``.

    Raises:
        NoSolution: the pay does not move with the value, never reaches the target, or
            jumps over it.
    """
    at_zero, per_unit = _first_piece(pays, unit)
    if per_unit > 0 or per_unit < 0:
        exact = (decimal(target) - decimal(at_zero)) / decimal(per_unit)
        if exact >= 0:
            found = _fewest_decimals(pays, exact, target, unit)
            if found is not None:
                return Solved(found, exact, per_unit, at_zero)
    return Solved(_searched(pays, target, unit))


def _first_piece(pays: Pays, unit: float) -> tuple[float, float]:
    """The pay at 0 and per unit of the value, on the straight piece that starts at 0.

    Probed at 0 and at 1, 0.1, … 10⁻⁹ in one call: the slope is read at the largest probe
    that agrees with the next smaller one, within what rounding to the unit can move it,
    so a cap or tier past 1 % does not bend it and rounding does not blur it.
    """
    probes = 10.0 ** -np.arange(10)
    paid = pays(np.concatenate(([0.0], probes)))
    slopes = (paid[1:] - paid[0]) / probes
    for k in range(len(probes) - 1):
        if abs(slopes[k] - slopes[k + 1]) <= 2 * unit / probes[k + 1]:
            return float(paid[0]), float(slopes[k])
    return float(paid[0]), float(slopes[0])


def _fewest_decimals(pays: Pays, exact: Decimal, target: float, unit: float) -> Decimal | None:
    """``exact`` rounded to the fewest significant digits that still pay the target."""
    shift = exact.adjusted()
    written = [
        exact.quantize(Decimal(1).scaleb(shift - d), rounding=ROUND_HALF_UP) for d in range(DIGITS)
    ]
    candidates = [exact, *written] if exact.is_zero() else written
    paid = pays(np.array([float(c) for c in candidates]))
    hits = np.flatnonzero(_hits(paid, target, unit))
    return candidates[int(hits[0])] if len(hits) else None


def _searched(pays: Pays, target: float, unit: float) -> Decimal:
    """A bracketed search from a wide spread of candidates down to the paying interval."""
    xs: FloatArray = np.concatenate(([0.0], SPREAD))
    paid = pays(xs)
    if np.ptp(paid) == 0:
        raise NoSolution(INDEPENDENT, float(paid[0]), float(paid[0]))
    for _ in range(ROUNDS):
        hits = np.flatnonzero(_hits(paid, target, unit))
        if len(hits):
            return _fewest_between(pays, xs, hits, target, unit)
        crossing = np.flatnonzero(np.diff(np.sign(paid - target)) != 0)
        if not len(crossing):
            raise NoSolution(UNREACHABLE, float(paid.min()), float(paid.max()))
        k = int(crossing[0])
        low, high = float(xs[k]), float(xs[k + 1])
        if high - low <= 1e-15 * max(1.0, abs(high)):
            below, above = sorted((float(paid[k]), float(paid[k + 1])))
            raise NoSolution(JUMPS, below, above)
        xs = np.linspace(low, high, 1001)
        paid = pays(xs)
    raise NoSolution(JUMPS, float(paid.min()), float(paid.max()))


def _fewest_between(
    pays: Pays, xs: FloatArray, hits: np.ndarray, target: float, unit: float
) -> Decimal:
    """The value with the fewest decimals between the first run of paying candidates."""
    first = int(hits[0])
    last = first
    while last + 1 < len(xs) and last + 1 in hits:
        last += 1
    low, high = decimal(xs[first]), decimal(xs[last])
    candidates = [
        (low / Decimal(1).scaleb(-d)).to_integral_value(rounding=ROUND_CEILING)
        * Decimal(1).scaleb(-d)
        for d in range(-12, DIGITS + 6)
    ]
    inside = [c for c in candidates if low <= c <= high] + [low]
    paid = pays(np.array([float(c) for c in inside]))
    ok = np.flatnonzero(_hits(paid, target, unit))
    return inside[int(ok[0])] if len(ok) else low


def on_grid(
    pays: Pays, target: float, unit: float, start: Decimal, step: Decimal, keep: Keep
) -> Decimal:
    """The grid point ``start + j × step`` nearest ``start`` that pays ``target``.

    The grid is searched a widening window at a time: ±2,000 steps, then ±200,000; points
    of magnitude ``limit`` or more (a percentage point of 1000%) are left out.

    Raises:
        NoSolution: no grid point pays the target (its nearest pays either side), or the
            pay does not move with the point.
    """
    paid = np.zeros(1)
    for reach in (2_000, 200_000):
        j = np.arange(-reach, reach + 1)
        points: FloatArray = np.asarray(float(start) + j * float(step), dtype=np.float64)
        kept = keep(points)
        j, points = j[kept], points[kept]
        if not len(points):
            break
        paid = pays(points)
        if np.ptp(paid) == 0:
            raise NoSolution(INDEPENDENT, float(paid[0]), float(paid[0]))
        hits = np.flatnonzero(_hits(paid, target, unit))
        if len(hits):
            best = int(hits[np.argmin(np.abs(j[hits]))])
            return start + int(j[best]) * step
        below, above = paid[paid < target], paid[paid > target]
        if len(below) and len(above):
            raise NoSolution(JUMPS, float(below.max()), float(above.min()))
    raise NoSolution(UNREACHABLE, float(paid.min()), float(paid.max()))
