"""Commission (LANGUAGE.md 3.2): a plain rate, marginal tiers or retroactive tiers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from ksf import ir
from ksf._typing import FloatArray
from ksf.fast_ops import at_least
from ksf.kernels.balance import ErrorBound, clip
from ksf.kernels.tolerance import below_equal, below_equal_each
from ksf.kernels.values import Value
from ksf.trace import ClauseFigures, CommissionTrace, TierPart

# Bases closer than this below a retroactive threshold (absolute, plus a part in 10^6 of the
# threshold) are looked at with the error bound of a base that cancels digits: the error of
# amounts up to 10^12 is below 0.004.
THRESHOLD_WINDOW = 0.01


def tiers_reached(base: FloatArray, tiers: Sequence[ir.Tier], error: ErrorBound | None) -> Any:
    """How many of the (increasing) tier thresholds each base reaches (LANGUAGE.md 3.2).

    A threshold is reached by a base equal to it or above, equal as in LANGUAGE.md 7 (within
    one part in 10^9): 377.62999999999 reaches 377.63. ``error(positions)``, for a base that
    cancels digits, gives the float error of the bases at those positions; it is asked only
    for those just below a threshold, and a base within its error below one reaches it:
    4,798,925.63 − 4,798,548 is 377.63 by hand whatever the last bits of the millions say.
    """
    starts = np.array([below_equal(t.at) for t in tiers])
    reached = np.searchsorted(starts, base, side="left")  # thresholds t with base > below(t)
    if error is None:
        return reached
    lows = np.array([s - THRESHOLD_WINDOW - 1e-6 * abs(s) for s in starts])
    near = np.flatnonzero(np.searchsorted(lows, base, side="left") > reached)
    if len(near) > 0:
        bound = np.nan_to_num(np.asarray(error(near), dtype=np.float64), nan=0.0)
        lifted = np.searchsorted(starts, base[near] + np.abs(bound), side="left")
        reached[near] = np.maximum(reached[near], lifted)
    return reached


@attrs.frozen
class Given:
    """A commission's rate, cap and floor for one block, when some are read per row (§9)."""

    rate: Value | None  # None: the rate written (the first tier's)
    cap: Value | None
    floor: Value | None
    # The tiers past the first, (threshold, rate), when one is read per row (`line.beyond`)
    tiers: tuple[tuple[Value, Value], ...] | None = None


def commission(
    base: Value,
    scale: Value | None,
    out: FloatArray,
    line: ir.CommissionLine,
    scratch: FloatArray,
    trace: CommissionTrace | None = None,
    error: ErrorBound | None = None,
    given: Given | None = None,
) -> None:
    """Commission on ``base`` (LANGUAGE.md 3.2): plain, marginal tiers or retroactive.

    ``error``, for a retroactive base that cancels digits (sales − refunds), bounds the
    base's float error on the rows just below a threshold (`tiers_reached`). ``given``: the
    rate, cap and floor when some are read per row (a rate read per row has no tiers).
    """
    if given is None:
        given = Given(None, _written(line.cap), _written(line.floor))
    if trace is not None:
        trace.given = _figures(line, given)
        if given.rate is not None:  # one rate, the row's
            trace.parts = (TierPart(trace.base, trace.given.reward),)
    if given.tiers is not None:
        first = line.tiers[0].rate if given.rate is None else given.rate
        tiers = ((-math.inf, first), *given.tiers)
        row_tiers(base, out, line.retroactive, tiers, scratch, error, trace)
        if trace is not None:
            trace.parts = row_tier_parts(line.retroactive, given, first, trace)
    elif line.retroactive and len(line.tiers) > 1:
        rates = np.array([t.rate for t in line.tiers])
        reached = tiers_reached(np.broadcast_to(base, out.shape), line.tiers[1:], error)
        np.take(rates, reached, out=out)
        if trace is not None:
            trace.rate = float(out.reshape(-1)[0])
        out *= base
    else:
        np.multiply(base, line.tiers[0].rate if given.rate is None else given.rate, out=out)
        previous = line.tiers[0].rate
        for tier in line.tiers[1:]:
            np.subtract(base, tier.at, out=scratch)
            at_least(scratch, 0.0, out=scratch)
            scratch *= tier.rate - previous
            out += scratch
            previous = tier.rate
    if trace is not None:
        trace.unscaled = float(out.reshape(-1)[0])
    if scale is not None:
        out *= scale
    clip(out, given.floor, given.cap, trace)


def row_tiers(
    base: Value,
    out: FloatArray,
    retroactive: bool,
    tiers: Sequence[tuple[Value, Value]],
    scratch: FloatArray,
    error: ErrorBound | None,
    trace: CommissionTrace | None = None,
) -> None:
    """Commission on tiers whose thresholds or rates are read per row (LANGUAGE.md §9).

    The same arithmetic as tiers written as numbers, each tier's values those of the row:
    marginal, ``base·r0 + Σ (r_i − r_{i−1})·max(base − t_i, 0)``; retroactive, the whole
    base at the rate of the highest threshold the row's base reaches (equal as in LANGUAGE.md
    7, and within the base's float error where it cancels digits, as `tiers_reached`).
    """
    if not retroactive:
        np.multiply(base, tiers[0][1], out=out)
        previous = tiers[0][1]
        for at, rate in tiers[1:]:
            np.subtract(base, at, out=scratch)
            at_least(scratch, 0.0, out=scratch)
            scratch *= np.subtract(rate, previous)
            out += scratch
            previous = rate
        return
    values = np.broadcast_to(base, out.shape)
    out[...] = tiers[0][1]
    for at, rate in tiers[1:]:  # thresholds increase on every row (checked per row)
        low = below_equal_each(np.broadcast_to(np.asarray(at, dtype=np.float64), out.shape))
        reached = values > low
        if error is not None:
            window = low - THRESHOLD_WINDOW - 1e-6 * np.abs(low)
            near = np.flatnonzero(~reached & (values > window))
            if len(near) > 0:
                bound = np.nan_to_num(np.asarray(error(near), dtype=np.float64), nan=0.0)
                reached[near] = values[near] + np.abs(bound) > low[near]
        np.copyto(out, np.broadcast_to(rate, out.shape), where=reached)
    if trace is not None:
        trace.rate = float(out.reshape(-1)[0])
    out *= base


def row_tier_parts(
    retroactive: bool, given: Given, first: Value, trace: CommissionTrace
) -> tuple[TierPart, ...]:
    """The traced row's parts of the base at each rate, its tiers read per row."""
    assert given.tiers is not None  # noqa: S101 - asked only for tiers read per row
    tiers = [(-math.inf, _first(first)), *((_first(a), _first(r)) for a, r in given.tiers)]
    if retroactive:
        return ()  # the rate reached is recorded by the kernel (`trace.rate`)
    written = ir.CommissionLine("", ir.Const(0.0), tuple(ir.Tier(a, r) for a, r in tiers))
    return tier_parts(written, trace.base)


def _written(value: ir.ClauseValue | None) -> float | None:
    """A cap or floor written as a number; one read per row comes in `Given`."""
    if isinstance(value, ir.PerRow):
        msg = f"`{value.clause} {value.text}` is read per row; pass it to the kernel"
        raise TypeError(msg)
    return value


def _figures(line: ir.CommissionLine, given: Given) -> ClauseFigures:
    """The traced row's rate (as ``reward``), cap and floor."""
    rate = line.tiers[0].rate if given.rate is None else _first(given.rate)
    cap = None if given.cap is None else _first(given.cap)
    floor = None if given.floor is None else _first(given.floor)
    tiers = tuple((_first(at), _first(r)) for at, r in given.tiers or ())
    read = [(b, t) for b, t in zip(line.beyond, tiers, strict=False)]
    beyond = tuple(
        x for b, (at, r) in read for v, x in ((b.at, at), (b.rate, r)) if not isinstance(v, float)
    )
    return ClauseFigures(
        balance=0.0,
        step=1.0,
        reward=rate,
        penalty=rate,
        cap=cap,
        floor=floor,
        beyond=beyond,
        tiers=tiers,
    )


def tier_parts(line: ir.CommissionLine, base: float) -> tuple[TierPart, ...]:
    """The part of the base each marginal rate applies to (``1,000,000 × 0.75% + 300,000 × 1%``).

    A missing base shows as missing under the base rate.
    """
    parts = []
    for tier, following in zip(line.tiers, (*line.tiers[1:], None), strict=True):
        end = following.at if following is not None else math.inf
        first = tier.at == -math.inf  # the base rate: everything up to the first tier
        inside = min(base, end) - (0.0 if first else tier.at)
        if inside > 0 or (first and inside != 0):
            parts.append(TierPart(inside, tier.rate))
    return tuple(parts)


def _first(values: Value) -> float:
    """The first row's value: a trace runs on one row."""
    return float(np.asarray(values).reshape(-1)[0])
