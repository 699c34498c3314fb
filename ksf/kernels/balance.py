"""The balance rule (LANGUAGE.md 3.1): steps from the balance point, tiers, floor and cap."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from ksf import ir
from ksf._typing import FloatArray
from ksf.fast_ops import at_least, at_most, copysign, copysign_each
from ksf.kernels.values import Value
from ksf.trace import BalanceTrace, ClauseFigures, CommissionTrace, TierPart

# Float noise below this many steps never gains or loses a step: (0.33 - 0.30) / 0.01 is
# 3.0000000000000027 and (0.3 - 0.27) / 0.01 is 2.9999999999999996; both are 3 steps.
STEP_NOISE = 5e-10
# The float error of delta = (v − B) / S, in units of 2^-53 of the operands' magnitudes: v and B
# are each within half an ulp of the decimals written, and the subtraction, the division and
# S itself add a relative ulp each, so the error is below 2u·|B|/S + 5u·|delta| (with
# |v| <= |B| + |delta|·S). A factor 8 for both leaves room for a value computed in a few
# operations. With balance 100,000 and step 0.01 that is 9e-9 of a step: 100,000.07 is
# 6.99999999930 steps in floats, and 7 by hand.
STEP_ERROR = 8 * 2.0**-53
# From this many steps between zero and the balance point, the balance's float error reaches
# 1e-11 of a step and prorated steps snap to a whole step within it; below, 9 places suffice.
LARGE_BALANCE = 1e4


# A side's tiers past the first: where each starts, in steps, and its rate (each one per row,
# or one for all).
Tiers = tuple[tuple[Value, Value], ...]


@attrs.frozen
class Clauses:
    """A balance rule's clause values for one block: numbers, or arrays read per row (§9)."""

    balance: Value
    step: Value
    reward: Value
    penalty: Value
    pot: Value = 0.0
    cap: Value | None = None
    floor: Value | None = None
    # `beyond` tiers placed per row (a balance or step read per row), each side's tiers in
    # order: (start in whole steps from the balance point, rate); None: the line's own.
    tiers: tuple[Tiers, Tiers] | None = None
    read: tuple[Value, ...] = ()  # the `beyond` points and amounts read per row, in order


@functools.lru_cache(maxsize=4096)  # asked per row block; lines hash once (cache_hash)
def written(line: ir.BalanceLine) -> Clauses:
    """The clause values of a rule whose clauses are all numbers written in the file."""
    values = [getattr(line, name) for name in ir.BALANCE_CLAUSES]
    if any(isinstance(v, ir.PerRow) for v in values):
        msg = f"line {line.name!r} reads clause values per row; pass them to the kernel"
        raise TypeError(msg)
    return Clauses(*values)


def step_noise(balance: Value, step: Value, out: FloatArray | None = None) -> Value:
    """The distance in steps within which a value is on a whole step (the constant part).

    The 9-decimal rounding of LANGUAGE.md 3.1, plus the float error that the balance's own
    magnitude brings (`STEP_ERROR`); the part proportional to delta is a factor `1 + STEP_ERROR`.
    One per row when the balance or the step is read per row, by the same arithmetic (into
    ``out`` when given: a block buffer, so no new array).
    """
    if isinstance(balance, float) and isinstance(step, float):
        return STEP_NOISE + STEP_ERROR * abs(balance) / step
    shape = np.broadcast_shapes(np.shape(balance), np.shape(step))
    noise: FloatArray = np.empty(shape) if out is None else out
    if isinstance(step, float):
        # STEP_ERROR is a power of two, so STEP_ERROR·|B| / S is |B| / (S / STEP_ERROR) bit
        # for bit (a subnormal difference vanishes in + STEP_NOISE): three passes, not four.
        np.divide(balance, step / STEP_ERROR, out=noise)
        np.abs(noise, out=noise)
    else:
        np.abs(balance, out=noise)
        noise *= STEP_ERROR
        noise /= step
    noise += STEP_NOISE
    return noise


def largest_noise(balance: Value, step: Value) -> float | None:
    """`step_noise` of the row with the largest one, or None when the step is read per row.

    The noise grows with |balance| (each operation rounds monotonically), so the least and
    the greatest balance point tell it: two reductions, no array.
    """
    if not isinstance(step, float):
        return None
    if isinstance(balance, float):
        return float(step_noise(balance, step))
    return float(step_noise(max(abs(float(np.min(balance))), abs(float(np.max(balance)))), step))


def steps_apart(start: float, end: float, step: float) -> float:
    """Distance from ``start`` to ``end`` in steps, a whole number when only noise says not.

    The beyond points of LANGUAGE.md 3.1: (100000.01 - 100000) / 0.01 is 1.00000000093 in
    floats and one step by hand. Other distances are rounded to 9 places.
    """
    distance = (end - start) / step
    whole = float(round(distance))
    error = step_noise(start, step) + STEP_ERROR * (abs(end) / step + abs(distance))
    return whole if abs(distance - whole) <= error else round(distance, 9)


# Distances closer than this (in steps) below a whole step are looked at with the error bound
# of a value that cancels digits (`onto_whole_steps`).
STEP_WINDOW = 1e-3

# ``error(positions)``: the float error bound of the values at those positions of a block.
ErrorBound = Callable[[Any], FloatArray]
StepError = ErrorBound


def onto_whole_steps(delta: FloatArray, error: StepError) -> None:
    """Put distances within their float error below a whole step on it, in place.

    ``error(positions)`` gives the bound, in steps, for the distances at those positions;
    it is asked only for those just below a whole step (by up to `STEP_WINDOW`).
    """
    size = np.abs(delta)
    below = np.ceil(size) - size
    near = np.flatnonzero((below > 0) & (below <= STEP_WINDOW))
    if len(near) == 0:
        return
    with np.errstate(invalid="ignore"):
        on = near[below[near] <= error(near)]  # a missing bound (NaN) moves nothing
    delta[on] = np.copysign(np.ceil(size[on]), delta[on])


def onto_nearest_steps(delta: FloatArray, error: StepError) -> None:
    """Put prorated distances within their float error of a whole step on it, in place.

    A prorated count may sit either side of its whole step (0.7283 from 9,664,398.9283 −
    9,664,398.2 is −6.99998528 steps of 0.01% from 72.9%); near ones ask ``error`` for a bound.
    """
    nearest = np.rint(delta)
    off = np.abs(delta - nearest)
    near = np.flatnonzero((off <= STEP_WINDOW) & (off > 0))  # on a whole step: no bound
    if len(near) == 0:
        return
    with np.errstate(invalid="ignore"):
        on = near[off[near] <= error(near)]  # a missing bound (NaN) moves nothing
    delta[on] = nearest[on]


def whole_steps(
    delta: FloatArray,
    scratch: FloatArray,
    noise: Value = STEP_NOISE,
    spare: FloatArray | None = None,
) -> None:
    """Truncate distances in steps toward zero, in place, after removing float noise.

    ``noise`` is one number, or one per row when the balance or the step is read per row;
    ``spare``, when given, takes the signed noise (so ``noise`` may be held in ``scratch``).
    """
    signed = scratch if spare is None else spare
    if isinstance(noise, float):
        copysign(noise, delta, out=signed)
    else:
        copysign_each(noise, delta, out=signed)
    delta += signed
    np.trunc(delta, out=delta)


def clean_steps(delta: FloatArray, balance: Value, step: Value) -> None:
    """Round distances in steps to 9 decimals, in place (prorated steps).

    Where the balance is large next to the step, a distance within float noise of a whole
    step is that step (100,000.07 from 100,000 by 0.01 is 7 steps, not 6.99999999930).
    The balance point and the step are one number each, or one per row (LANGUAGE.md §9);
    the noise per row is only worked out when some row's balance point is large.
    """
    threshold = STEP_NOISE + STEP_ERROR * LARGE_BALANCE
    largest = largest_noise(balance, step)
    if largest is None or largest > threshold:
        noise = step_noise(balance, step)
        large = np.greater(noise, threshold)
        if large.any():
            nearest = np.rint(delta)
            close = np.abs(delta - nearest) <= noise + STEP_ERROR * np.abs(delta)
            close &= large
            delta[close] = nearest[close]
    delta *= 1e9
    np.rint(delta, out=delta)
    delta /= 1e9


def balance(
    value: Value,
    out: FloatArray,
    line: ir.BalanceLine,
    scratch: FloatArray,
    steps: FloatArray,
    trace: BalanceTrace | None = None,
    error: StepError | None = None,
    given: Clauses | None = None,
) -> None:
    """The KSF balance rule (LANGUAGE.md 3.1) for each value, into ``out``.

    ``error``, for a value that cancels digits (sales − refunds), bounds the float error of
    the distances in steps that lie just below a whole step (`onto_whole_steps`), or prorated
    just either side of one (`onto_nearest_steps`). ``given``:
    the clause values when some are read per row (LANGUAGE.md §9), else those written.
    Each row's arithmetic is the same, operation for operation, as with its values written.

    With n the signed whole steps, the amount is
    ``n·(R if n > 0 else P) + Σ ΔR·max(n − a, 0) + Σ ΔP·min(n + a, 0) + pot``: the reward or
    the penalty rate for every step, and each tier's extra rate past its start (tax-bracket
    style). ``max(n − a, 0)`` is computed as ``max(n, a) − a`` so the
    constants fold into the pot and each tier costs three passes over the block.
    """
    clauses = written(line) if given is None else given
    direction = line.direction or 1
    np.subtract(value, clauses.balance, out=steps)
    figures = None if trace is None else _figures(clauses)
    if trace is not None:
        trace.clauses = figures
        trace.value = _first(value)
        trace.delta = _first(steps * (direction / clauses.step)) + 0.0
    if line.prorate:
        steps *= direction / clauses.step
        if error is not None:
            onto_nearest_steps(steps, error)
        clean_steps(steps, clauses.balance, clauses.step)
    else:
        # The part of the float error that grows with delta is one relative factor, folded
        # into the division by the step so that it costs no pass of its own.
        steps *= direction / clauses.step * (1 + STEP_ERROR)
        if error is not None:
            onto_whole_steps(steps, error)
        # A noise per row is held in `scratch` and signed into `out`, not yet written.
        noise = step_noise(clauses.balance, clauses.step, out=scratch)
        whole_steps(steps, scratch, noise, spare=out)
    if trace is not None and figures is not None:
        trace.steps = _first(steps) + 0.0
        trace.tiers = tier_steps(trace.steps, line, figures, clauses.tiers)
    _step_amounts(out, steps, scratch, clauses)
    _add_tiers(out, steps, scratch, _tiers(line, clauses), clauses.pot)
    if trace is not None:
        trace.step_amount = _first(out - clauses.pot)
    clip(out, clauses.floor, clauses.cap, trace)


def _step_amounts(out: FloatArray, steps: FloatArray, scratch: FloatArray, given: Clauses) -> None:
    """``n·R`` where the steps are above the balance point, ``n·P`` elsewhere, into ``out``."""
    reward, penalty = given.reward, given.penalty
    if not (isinstance(reward, float) and isinstance(penalty, float)):
        # Rates read per row: the rate of each row's side, then the same product per row.
        np.multiply(steps, np.where(steps > 0, reward, penalty), out=out)
    elif reward == penalty:
        np.multiply(steps, penalty, out=out)
    else:
        # n·R on the good side and n·P on the bad one is the larger of the two products when
        # R > P (the smaller when R < P): three passes, none against a scalar bound.
        np.multiply(steps, reward, out=out)
        np.multiply(steps, penalty, out=scratch)
        (np.maximum if reward > penalty else np.minimum)(out, scratch, out=out)


def _tiers(line: ir.BalanceLine, clauses: Clauses) -> tuple[Tiers, Tiers]:
    """Each side's tiers as (start, rate), the first (at 0, the reward or penalty) included."""
    return _line_tiers(line) if clauses.tiers is None else clauses.tiers


@functools.lru_cache(maxsize=4096)
def _line_tiers(line: ir.BalanceLine) -> tuple[Tiers, Tiers]:
    good, bad = (tuple((t.at, t.rate) for t in side) for side in (line.good, line.bad))
    return good, bad


def _add_tiers(
    out: FloatArray,
    steps: FloatArray,
    scratch: FloatArray,
    sides: tuple[Tiers, Tiers],
    pot: Value,
) -> None:
    """Add each tier's extra rate past its start to ``out``, then the constant and the pot.

    ``ΔR·max(n, a)`` is added and ``ΔR·a`` folded into the constant, with the pot. Tiers
    placed per row (an array ``a``) make the constant one per row, by the same arithmetic,
    worked out in ``steps`` once the tiers no longer need it (no new array).
    """
    folded: list[tuple[Value, Value]] = []
    for tiers, side in zip(sides, (1.0, -1.0), strict=True):
        previous = tiers[0][1] if tiers else 0.0
        for at, rate in tiers[1:]:
            extra = rate - previous
            _past(steps, at, side, scratch)
            scratch *= extra
            out += scratch
            folded.append((side * extra, at))
            previous = rate
    out += _constant(pot, folded, steps, scratch)  # -0.0 → 0.0


def _past(steps: FloatArray, at: Value, side: float, out: FloatArray) -> None:
    """``max(n, a)`` on the good side, ``min(n, −a)`` on the bad one, into ``out``.

    A start placed per row is compared with NumPy's maximum, three times faster than a clip
    to an array (a start is a whole step past 0, so no signed zero can tie).
    """
    if isinstance(at, float):
        (at_least if side > 0 else at_most)(steps, side * at, out=out)
    elif side > 0:
        np.maximum(steps, at, out=out)
    else:
        np.negative(at, out=out)
        np.minimum(steps, out, out=out)


def _constant(
    pot: Value, folded: list[tuple[Value, Value]], into: FloatArray, scratch: FloatArray
) -> Value:
    """``pot − Σ ΔR·a`` in the order written: a number, or per row in ``into``."""
    constant = pot
    for extra, at in folded:
        if isinstance(constant, float) and isinstance(at, float) and isinstance(extra, float):
            constant = constant - extra * at
            continue
        np.multiply(extra, at, out=scratch)
        np.subtract(constant, scratch, out=into)
        constant = into
    return constant


def clip(
    out: FloatArray,
    floor: Value | None,
    cap: Value | None,
    trace: BalanceTrace | CommissionTrace | None = None,
) -> None:
    """Clip amounts to [floor, cap] in place, recording the unclipped amount when tracing."""
    if trace is not None:
        trace.unclipped = _first(out)
    if floor is not None and cap is not None:
        np.clip(out, floor, cap, out=out)
    elif floor is not None:
        at_least(out, floor, out=out)
    elif cap is not None:
        at_most(out, cap, out=out)


def tier_steps(
    steps: float,
    line: ir.BalanceLine,
    row: ClauseFigures,
    placed: tuple[Tiers, Tiers] | None = None,
) -> tuple[TierPart, ...]:
    """The steps that fall in each tier of the side ``steps`` lie on (``5 × 200 + 2 × 300``).

    A rule whose rates are read per row has one tier a side, at the row's rate (``row``);
    tiers placed per row (``placed``) start where they do on this row.
    """
    tiers = line.good if steps > 0 else line.bad
    if placed is not None:
        side = placed[0] if steps > 0 else placed[1]
        tiers = tuple(ir.Tier(_first(at), _first(rate)) for at, rate in side)
    if not tiers:
        tiers = (ir.Tier(0.0, row.reward if steps > 0 else row.penalty),)
    size = abs(steps)
    parts = []
    for tier, following in zip(tiers, (*tiers[1:], None), strict=True):
        end = following.at if following is not None else math.inf
        inside = min(size, end) - tier.at
        if inside > 0:
            parts.append(TierPart(inside, tier.rate))
    return tuple(parts)


def _figures(given: Clauses) -> ClauseFigures:
    """The traced row's clause values."""
    cap, floor = given.cap, given.floor
    return ClauseFigures(
        balance=_first(given.balance),
        step=_first(given.step),
        reward=_first(given.reward),
        penalty=_first(given.penalty),
        pot=_first(given.pot),
        cap=None if cap is None else _first(cap),
        floor=None if floor is None else _first(floor),
        beyond=tuple(_first(v) for v in given.read),
    )


def _first(values: Value) -> float:
    """The first row's value: a trace runs on one row."""
    return float(np.asarray(values).reshape(-1)[0])
