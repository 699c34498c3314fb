"""Vectorised building blocks: each works on whole arrays (a block of rows), in place.

Step kernels compute one expression node into ``out``; line kernels turn a line's inputs
into its amount. Loops here run over tiers, table rows or arguments — never over data
rows. A kernel given a ``trace`` dict also records its intermediate values there; that is
how `Payroll.explain` shows the arithmetic without a second implementation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ksf import ir
from ksf._typing import BoolArray, FloatArray
from ksf.money import AMOUNT_ERROR, at_least, at_most, copysign

Trace = dict[str, Any] | None
Value = FloatArray | float

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


class BadValues(Exception):  # noqa: N818 - an internal signal, turned into DataError by the caller
    """Values a kernel cannot accept; ``mask`` marks them within the block."""

    def __init__(self, mask: BoolArray, message: str) -> None:
        super().__init__(message)
        self.mask = mask
        self.message = message


# ---- expression steps -----------------------------------------------------------------------


def _finite_or_nan(out: FloatArray) -> None:
    """Division by zero gives ±inf or NaN; every non-finite result becomes NaN (missing)."""
    if not np.isfinite(np.add.reduce(out, axis=None)):  # one pass, no temporary
        out[~np.isfinite(out)] = np.nan


def divide(out: FloatArray, a: Value, b: Value) -> None:
    """``a / b``; a zero divisor gives a missing value."""
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(a, b, out=out)
    _finite_or_nan(out)


def _nan_where_unknown(out: FloatArray, args: Sequence[Value]) -> None:
    for arg in args:
        if isinstance(arg, np.ndarray):
            unknown = np.isnan(arg)
            if unknown.any():
                out[unknown] = np.nan


# LANGUAGE.md 7: two numbers that differ by less than one part in 10^9 of the larger magnitude
# (10^-9 absolute when both are below 1) are equal wherever they are compared.
EQUAL = 1e-9


def below_equal(b: float) -> float:
    """The largest value that is below ``b`` and not equal to it (LANGUAGE.md 7).

    ``a`` is equal to ``b`` or above it exactly when ``a > below_equal(b)``. For ``b >= 0``
    (or ``|b| < 1``) the tolerance is that of ``b`` itself; a larger negative ``b`` is
    compared with the larger magnitude of ``a``: ``a + 1e-9·|a| = b``.
    """
    if b >= 0 or -b <= 1 - EQUAL:
        return b - EQUAL * max(abs(b), 1.0)
    return b / (1 - EQUAL)


def above_equal(b: float) -> float:
    """The smallest value above ``b`` and not equal to it: ``a > b`` exactly when ``a >= this``."""
    return -below_equal(-b)


def tolerant(op: str, b: float) -> tuple[str, float]:
    """``x op b`` with float noise ignored, as a plain comparison with a moved bound."""
    if op in (">=", "ge"):
        return ">", below_equal(b)
    if op in (">", "gt"):
        return ">=", above_equal(b)
    if op in ("<=", "le"):
        return "<", above_equal(b)
    return "<=", below_equal(b)  # "<"


_SWAPPED = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}


def _tolerance(a: Value, b: Value) -> FloatArray:
    """``1e-9 · max(|a|, |b|, 1)``: how far apart two equal values may be."""
    scale = np.maximum(np.abs(a), np.abs(b))
    np.maximum(scale, 1.0, out=scale)
    scale *= EQUAL
    return np.asarray(scale)


def _compare_with_scalar(out: FloatArray, op: str, a: Value, b: float) -> None:
    """``a op b`` for a constant (or param) ``b``: one comparison against a moved bound."""
    if op in ("eq", "ne"):
        inside = (np.greater(a, below_equal(b))) & (np.less(a, above_equal(b)))
        out[...] = inside if op == "eq" else ~inside
        return
    plain, bound = tolerant(op, b)
    _COMPARE[plain](a, bound, out=out, casting="unsafe")


def _compare_arrays(out: FloatArray, op: str, a: Value, b: Value) -> None:
    """``a op b`` for two computed values: their difference against their tolerance."""
    with np.errstate(invalid="ignore"):
        tolerance = _tolerance(a, b)
        difference = np.subtract(a, b)
    if op == "ge":
        np.greater(difference, -tolerance, out=out, casting="unsafe")
    elif op == "gt":
        np.greater_equal(difference, tolerance, out=out, casting="unsafe")
    elif op == "le":
        np.less(difference, tolerance, out=out, casting="unsafe")
    elif op == "lt":
        np.less_equal(difference, -tolerance, out=out, casting="unsafe")
    else:
        equal = np.abs(difference) < tolerance
        out[...] = equal if op == "eq" else ~equal


def _is_scalar(value: Value) -> bool:
    return not isinstance(value, np.ndarray) or value.ndim == 0


def compare(op: str) -> Callable[[FloatArray, Value, Value], None]:
    """A comparison giving 1.0 / 0.0, and a missing value where an operand is missing.

    Values within float noise of each other are equal (LANGUAGE.md 7). Against a constant or
    a param, that is one comparison with the bound moved by the tolerance.
    """

    def kernel(out: FloatArray, a: Value, b: Value) -> None:
        if _is_scalar(b):
            _compare_with_scalar(out, op, a, float(b))
        elif _is_scalar(a):
            _compare_with_scalar(out, _SWAPPED[op], b, float(a))
        else:
            _compare_arrays(out, op, a, b)
        _nan_where_unknown(out, (a, b))

    return kernel


def compare_within(op: str) -> Callable[..., None]:
    """``compare(op)`` on a value that cancels digits, given the magnitude of ``a`` and ``b``.

    Two values closer than their float error (`ksf.money.AMOUNT_ERROR` × the magnitude) are
    equal: ``sales - refunds >= 377.63`` holds for 4,798,925.63 − 4,798,548 whatever the last
    bits of the millions say (LANGUAGE.md 7).
    """
    plain = compare(op)

    def kernel(out: FloatArray, a: Value, b: Value, magnitude: Value) -> None:
        with np.errstate(invalid="ignore"):
            error = np.multiply(magnitude, AMOUNT_ERROR)
            near = np.abs(np.subtract(a, b)) <= error
        plain(out, np.where(near, b, a), b)

    return kernel


def lookup_within(table: ir.TableSpec) -> Callable[[FloatArray, Value, Value], None]:
    """``lookup(table)`` on a value that cancels digits, given its magnitude.

    A value within its float error of a row's bound is on the bound (LANGUAGE.md 7):
    2,000,000.3 − 1,999,999.5 is 0.8 by hand and meets ``>= 0.8``.
    """
    plain = lookup(table)
    thresholds = sorted(set(table.thresholds))

    def kernel(out: FloatArray, x: Value, magnitude: Value) -> None:
        with np.errstate(invalid="ignore"):
            error = np.multiply(magnitude, AMOUNT_ERROR)
            snapped = np.array(x, dtype=np.float64)
            for t in thresholds:  # a few rows; each pass is vectorised over the block
                np.copyto(snapped, t, where=np.abs(np.subtract(x, t)) <= error)
        plain(out, snapped)

    return kernel


def logical_and(out: FloatArray, a: Value, b: Value) -> None:
    """Kleene ``and``: false if either side is false, else missing if either is missing."""
    np.fmin(a, b, out=out)
    unknown = np.isnan(a) | np.isnan(b)
    out[unknown & (out != 0)] = np.nan


def logical_or(out: FloatArray, a: Value, b: Value) -> None:
    """Kleene ``or``: true if either side is true, else missing if either is missing."""
    np.fmax(a, b, out=out)
    unknown = np.isnan(a) | np.isnan(b)
    out[unknown & (out != 1)] = np.nan


def logical_not(out: FloatArray, a: Value) -> None:
    """``not``: 1 − a, missing stays missing."""
    np.subtract(1.0, a, out=out)


def truth(out: FloatArray, a: Value) -> None:
    """A number used as a condition must be 0 or 1 (or missing)."""
    values = np.asarray(a, dtype=np.float64)
    bad = ~((values == 0) | (values == 1) | np.isnan(values))
    if bad.any():
        raise BadValues(
            np.broadcast_to(bad, out.shape), "a condition must be 0 or 1, found other values"
        )
    out[...] = values


def reduce(ufunc: np.ufunc) -> Callable[..., None]:
    """``min(a, b, …)`` / ``max(…)``; a missing argument makes the result missing."""

    def kernel(out: FloatArray, first: Value, *rest: Value) -> None:
        out[...] = first
        for arg in rest:
            ufunc(out, arg, out=out)

    return kernel


# Up to this many rows, a table lookup counts the thresholds each value reaches (one
# comparison pass per row, vectorised); past it a binary search wins. searchsorted over a
# 4-row table was measured 6x slower than counting on 65,536 values.
COUNT_ROWS = 16


class _Scratch(threading.local):
    """Per-thread work arrays for a kernel that needs more than its ``out`` buffer.

    Allocating a block-sized array per call costs more than the arithmetic (fresh pages
    from the OS), so each kernel keeps one of each kind and grows it when a block is bigger.
    """

    def __init__(self) -> None:
        self.arrays: dict[str, Any] = {}

    def get(self, n: int, dtype: type[Any]) -> Any:
        key = np.dtype(dtype).str
        array = self.arrays.get(key)
        if array is None or len(array) < n:
            array = self.arrays[key] = np.empty(n, dtype=dtype)
        return array[:n]


def lookup(table: ir.TableSpec) -> Callable[[FloatArray, Value], None]:
    """A table lookup: first matching row wins; a missing value stays missing.

    Each row's bound is moved by the tolerance of LANGUAGE.md 7 once, here: ``>= 90`` becomes
    ``> 89.99999991``, so a score of 89.99999999999997 is on the row and no lookup costs more.
    """
    moved = [tolerant(op, t) for op, t in zip(table.ops, table.thresholds, strict=True)]
    row_ops = [op for op, _ in moved]
    ops = set(row_ops)
    values = np.array([*table.values, table.otherwise])
    thresholds = np.array([t for _, t in moved])
    if (ops <= {">=", ">"} and np.all(np.diff(thresholds) < 0)) or len(thresholds) == 0:
        ascending = thresholds[::-1]
        side = "right" if ops <= {">="} else "left"
        if len(ops) == 1 or not ops:
            if len(thresholds) <= COUNT_ROWS:
                return _counting_lookup(ascending, values[::-1].copy(), ops <= {">="})

            def descending_rows(out: FloatArray, x: Value) -> None:
                x = np.broadcast_to(x, out.shape)  # a params scalar fills the block
                found = np.searchsorted(ascending, x, side=side)  # type: ignore[call-overload]
                index = np.where(found == 0, len(ascending), len(ascending) - found)
                np.take(values, index, out=out)
                out[np.isnan(x)] = np.nan

            return descending_rows

    def first_match(out: FloatArray, x: Value) -> None:
        arr = np.broadcast_to(np.asarray(x, dtype=np.float64), out.shape)
        out.fill(table.otherwise)
        done = np.zeros(out.shape, dtype=bool)
        for op, t, v in zip(row_ops, thresholds, table.values, strict=True):
            hit = _COMPARE[op](arr, t) & ~done
            out[hit] = v
            done |= hit
        out[np.isnan(arr)] = np.nan

    return first_match


def _counting_lookup(
    ascending: FloatArray, by_count: FloatArray, inclusive: bool
) -> Callable[[FloatArray, Value], None]:
    """Rows ``>= t`` (or all ``> t``) with falling thresholds: count the thresholds reached.

    A value reaching k of the thresholds matches the k-th row from the bottom, so
    ``by_count[k]`` (``else`` first, then the rows bottom-up) is its value. A missing value
    reaches none; it is put back as missing afterwards.
    """
    reaches = np.greater_equal if inclusive else np.greater
    scratch = _Scratch()

    def counting_rows(out: FloatArray, x: Value) -> None:
        n = out.shape[0] if out.ndim else 1
        # Counts fit a byte (at most COUNT_ROWS); byte additions are 20x cheaper than adding
        # booleans into an intp array, and one widening copy feeds np.take.
        count = scratch.get(n, np.uint8).reshape(out.shape)
        hit = scratch.get(n, np.bool_).reshape(out.shape)
        index = scratch.get(n, np.intp).reshape(out.shape)
        count.fill(0)
        for threshold in ascending:
            reaches(x, threshold, out=hit)
            np.add(count, hit.view(np.uint8), out=count)
        np.copyto(index, count)
        np.take(by_count, index, out=out)
        if not np.isfinite(np.add.reduce(x, axis=None)):
            out[np.isnan(np.broadcast_to(x, out.shape))] = np.nan

    return counting_rows


_COMPARE: dict[str, Callable[..., BoolArray]] = {
    ">=": np.greater_equal,
    ">": np.greater,
    "<=": np.less_equal,
    "<": np.less,
}


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


STEP_KERNELS: dict[str, Callable[..., None]] = {
    "add": lambda out, a, b: np.add(a, b, out=out),
    "sub": lambda out, a, b: np.subtract(a, b, out=out),
    "mul": lambda out, a, b: np.multiply(a, b, out=out),
    "div": divide,
    "neg": lambda out, a: np.negative(a, out=out),
    "abs": lambda out, a: np.abs(a, out=out),
    "min": reduce(np.minimum),
    "max": reduce(np.maximum),
    "lt": compare("lt"),
    "le": compare("le"),
    "gt": compare("gt"),
    "ge": compare("ge"),
    "eq": compare("eq"),
    "ne": compare("ne"),
    "and": logical_and,
    "or": logical_or,
    "not": logical_not,
    "truth": truth,
}


# ---- line amounts ----------------------------------------------------------------------------


def step_noise(balance: float, step: float) -> float:
    """The distance in steps within which a value is on a whole step (the constant part).

    The 9-decimal rounding of LANGUAGE.md 3.1, plus the float error that the balance's own
    magnitude brings (`STEP_ERROR`); the part proportional to delta is a factor `1 + STEP_ERROR`.
    """
    return STEP_NOISE + STEP_ERROR * abs(balance) / step


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


def whole_steps(delta: FloatArray, scratch: FloatArray, noise: float = STEP_NOISE) -> None:
    """Truncate distances in steps toward zero, in place, after removing float noise."""
    copysign(noise, delta, out=scratch)
    delta += scratch
    np.trunc(delta, out=delta)


def clean_steps(delta: FloatArray, noise: float = STEP_NOISE) -> None:
    """Round distances in steps to 9 decimals, in place (prorated steps).

    Where the balance is large next to the step, a distance within float noise of a whole
    step is that step (100,000.07 from 100,000 by 0.01 is 7 steps, not 6.99999999930).
    """
    if noise > STEP_NOISE + STEP_ERROR * LARGE_BALANCE:
        nearest = np.rint(delta)
        close = np.abs(delta - nearest) <= noise + STEP_ERROR * np.abs(delta)
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
    trace: Trace = None,
    error: StepError | None = None,
) -> None:
    """The KSF balance rule (LANGUAGE.md 3.1) for each value, into ``out``.

    ``error``, for a value that cancels digits (sales − refunds), bounds the float error of
    the distances in steps that lie just below a whole step (`onto_whole_steps`).

    With n the signed whole steps, the amount is
    ``n·(R if n > 0 else P) + Σ ΔR·max(n − a, 0) + Σ ΔP·min(n + a, 0) + pot``: the reward or
    the penalty rate for every step, and each tier's extra rate past its start (tax-bracket
    style). ``max(n − a, 0)`` is computed as ``max(n, a) − a`` so the
    constants fold into the pot and each tier costs three passes over the block.
    """
    direction = line.direction or 1
    np.subtract(value, line.balance, out=steps)
    noise = step_noise(line.balance, line.step)
    if trace is not None:
        trace["delta"] = steps * (direction / line.step)
    if line.prorate:
        steps *= direction / line.step
        clean_steps(steps, noise)
    else:
        # The part of the float error that grows with delta is one relative factor, folded
        # into the division by the step so that it costs no pass of its own.
        steps *= direction / line.step * (1 + STEP_ERROR)
        if error is not None:
            onto_whole_steps(steps, error)
        whole_steps(steps, scratch, noise)
    if trace is not None:
        trace["steps"] = steps.copy()
    if line.reward == line.penalty:
        np.multiply(steps, line.penalty, out=out)
    else:
        # n·R on the good side and n·P on the bad one is the larger of the two products when
        # R > P (the smaller when R < P): three passes, none against a scalar bound.
        np.multiply(steps, line.reward, out=out)
        np.multiply(steps, line.penalty, out=scratch)
        (np.maximum if line.reward > line.penalty else np.minimum)(out, scratch, out=out)
    constant = line.pot
    for tiers, side in ((line.good, 1.0), (line.bad, -1.0)):
        previous = tiers[0].rate if tiers else 0.0
        for tier in tiers[1:]:
            extra = tier.rate - previous
            if side > 0:
                at_least(steps, tier.at, out=scratch)
            else:
                at_most(steps, -tier.at, out=scratch)
            scratch *= extra
            out += scratch
            constant -= side * extra * tier.at
            previous = tier.rate
    out += constant  # adding even 0.0 turns a -0.0 into 0.0, so no payslip shows "-0.00"
    if trace is not None:
        trace["step_amount"] = out - line.pot
    clip(out, line.floor, line.cap, trace)


def clip(out: FloatArray, floor: float | None, cap: float | None, trace: Trace = None) -> None:
    """Clip amounts to [floor, cap] in place, recording the unclipped amount when tracing."""
    if trace is not None:
        trace["unclipped"] = out.copy()
    if floor is not None and cap is not None:
        np.clip(out, floor, cap, out=out)
    elif floor is not None:
        at_least(out, floor, out=out)
    elif cap is not None:
        at_most(out, cap, out=out)


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


def commission(
    base: Value,
    scale: Value | None,
    out: FloatArray,
    line: ir.CommissionLine,
    scratch: FloatArray,
    trace: Trace = None,
    error: ErrorBound | None = None,
) -> None:
    """Commission on ``base`` (LANGUAGE.md 3.2): plain, marginal tiers or retroactive.

    ``error``, for a retroactive base that cancels digits (sales − refunds), bounds the
    base's float error on the rows just below a threshold (`tiers_reached`).
    """
    rates = np.array([t.rate for t in line.tiers])
    if line.retroactive and len(line.tiers) > 1:
        reached = tiers_reached(np.broadcast_to(base, out.shape), line.tiers[1:], error)
        np.take(rates, reached, out=out)
        if trace is not None:
            trace["rate"] = out.copy()
        out *= base
    else:
        np.multiply(base, line.tiers[0].rate, out=out)
        previous = line.tiers[0].rate
        for tier in line.tiers[1:]:
            np.subtract(base, tier.at, out=scratch)
            at_least(scratch, 0.0, out=scratch)
            scratch *= tier.rate - previous
            out += scratch
            previous = tier.rate
    if trace is not None:
        trace["unscaled"] = out.copy()
    if scale is not None:
        out *= scale
    clip(out, line.floor, line.cap, trace)


def bonus(amount: Value, scale: Value | None, when: Value | None, out: FloatArray) -> None:
    """``bonus EXPR scaled_by S when C``: amount × scale where the condition holds, else 0."""
    out[...] = amount
    if scale is not None:
        out *= scale
    if when is not None:
        out[np.asarray(when) == 0] = 0.0


def _as_number(key: str) -> float:
    try:
        return float(key)
    except ValueError:
        return np.nan  # a key like "A" never matches a numeric column


def by_key(keys: Sequence[str], amounts: Sequence[float]) -> Callable[[Any, FloatArray], None]:
    """A lookup of amounts by a column's value (text, or numbers such as grade 1, 2, 3).

    An unlisted or empty value is bad data.
    """
    text_order = np.argsort(np.array(keys, dtype=str))
    text_keys = np.array(keys, dtype=str)[text_order]
    text_amounts = np.array(amounts, dtype=np.float64)[text_order]
    numbers = np.array([_as_number(k) for k in keys])
    number_order = np.argsort(numbers)
    number_keys = numbers[number_order]
    number_amounts = np.array(amounts, dtype=np.float64)[number_order]

    def kernel(column: Any, out: FloatArray) -> None:
        values = np.asarray(column)
        numeric = values.dtype.kind == "f"
        sorted_keys = number_keys if numeric else text_keys
        probe = values if numeric else values.astype(str)
        found = np.minimum(np.searchsorted(sorted_keys, probe), len(sorted_keys) - 1)
        known = sorted_keys[found] == probe
        if not known.all():
            shown = sorted(
                {
                    "(empty)" if str(v) in ("", "nan") else f"{v:g}" if numeric else str(v)
                    for v in values[~known].tolist()
                }
            )
            raise BadValues(~known, "value not listed in the line's table: " + ", ".join(shown[:5]))
        np.take(number_amounts if numeric else text_amounts, found, out=out)

    return kernel
