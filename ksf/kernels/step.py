"""Expression steps: arithmetic, comparisons, Kleene logic, truth and ``min``/``max``.

`STEP_KERNELS` maps each operation of the IR to the kernel that computes it into ``out``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ksf._typing import FloatArray
from ksf.catalogue import data_run as say
from ksf.kernels.tolerance import EQUAL, PLAIN_COMPARE, above_equal, below_equal, tolerant
from ksf.kernels.values import BadValues, Value
from ksf.money import AMOUNT_ERROR


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
    PLAIN_COMPARE[plain](a, bound, out=out, casting="unsafe")


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
        raise BadValues(np.broadcast_to(bad, out.shape), say.CONDITION_NOT_0_1())
    out[...] = values


def reduce(ufunc: np.ufunc) -> Callable[..., None]:
    """``min(a, b, …)`` / ``max(…)``; a missing argument makes the result missing."""

    def kernel(out: FloatArray, first: Value, *rest: Value) -> None:
        out[...] = first
        for arg in rest:
            ufunc(out, arg, out=out)

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
