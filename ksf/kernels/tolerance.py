"""Equality up to float noise (LANGUAGE.md 7), as comparisons against moved bounds."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ksf._typing import BoolArray, FloatArray

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


def below_equal_each(b: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """`below_equal` of each value of an array (a clause value read per row).

    ``out``: a buffer of the array's shape for the usual case (no new array then).
    """
    if np.size(b) == 0 or bool(np.min(b) >= 0):  # the usual case: the first formula on every row
        if out is None:
            out = np.empty(np.shape(b))
        np.maximum(b, 1.0, out=out)
        out *= EQUAL
        np.subtract(b, out, out=out)
        return out
    low: FloatArray = np.where(
        (b >= 0) | (-b <= 1 - EQUAL), b - EQUAL * np.maximum(np.abs(b), 1.0), b / (1 - EQUAL)
    )
    return low


def above_equal_each(b: float | FloatArray) -> float | FloatArray:
    """`above_equal` of a number, or of each value of an array."""
    return above_equal(b) if isinstance(b, float) else -below_equal_each(-b)


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


PLAIN_COMPARE: dict[str, Callable[..., BoolArray]] = {
    ">=": np.greater_equal,
    ">": np.greater,
    "<=": np.less_equal,
    "<": np.less,
}


def equal_up_to_noise(a: float, b: float) -> bool:
    """Equal as LANGUAGE.md 7 compares: within one part in 10^9 (10^-9 below 1)."""
    return abs(a - b) < EQUAL * max(abs(a), abs(b), 1.0)
