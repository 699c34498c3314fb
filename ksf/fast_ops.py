"""Fast forms of NumPy operations, identical in result bit for bit.

NumPy's ``copysign`` and ``maximum``/``minimum`` against a constant are not vectorised; these
give the same bits in fewer, vectorised passes (docs/performance.md). `ksf.money` rounds with
`copysign`; the line kernels bound amounts with `at_least` and `at_most`.
"""

from __future__ import annotations

import numpy as np

from ksf._typing import BoolArray, FloatArray

_SIGN_BIT = np.uint64(1 << 63)


def copysign(magnitude: float, signs: FloatArray, out: FloatArray) -> FloatArray:
    """``np.copysign(magnitude, signs, out=out)`` for a constant magnitude, bit for bit.

    The magnitude's bits with the sign bit of each value (NaN and ±0 included), in two
    integer passes; NumPy's copysign is not vectorised and costs three times as much.
    """
    if not (out.flags.c_contiguous and signs.flags.c_contiguous and out.shape == signs.shape):
        return np.copysign(magnitude, signs, out=out)
    bits = out.view(np.uint64)
    np.bitwise_and(signs.view(np.uint64), _SIGN_BIT, out=bits)
    np.bitwise_or(bits, np.float64(abs(magnitude)).view(np.uint64), out=bits)
    return out


def copysign_each(magnitudes: FloatArray, signs: FloatArray, out: FloatArray) -> FloatArray:
    """``np.copysign(magnitudes, signs, out=out)`` for non-negative magnitudes, bit for bit.

    The same two integer passes as `copysign`, one magnitude per value (a tolerance per row).
    """
    if not (
        out.flags.c_contiguous
        and signs.flags.c_contiguous
        and magnitudes.flags.c_contiguous
        and out.shape == signs.shape == magnitudes.shape
    ):
        return np.copysign(magnitudes, signs, out=out)
    bits = out.view(np.uint64)
    np.bitwise_and(signs.view(np.uint64), _SIGN_BIT, out=bits)
    np.bitwise_or(bits, magnitudes.view(np.uint64), out=bits)
    return out


def at_least(values: FloatArray, low: float | FloatArray, out: FloatArray) -> FloatArray:
    """``np.maximum(values, low)`` for a constant ``low`` (NaN stays NaN), as a one-sided clip.

    NumPy's maximum against a scalar is not vectorised; clip is, and is 1.5x faster.
    """
    return np.clip(values, low, np.inf, out=out)


def at_most(values: FloatArray, high: float | FloatArray, out: FloatArray) -> FloatArray:
    """``np.minimum(values, high)`` for a constant ``high`` (NaN stays NaN)."""
    return np.clip(values, -np.inf, high, out=out)


def put(out: FloatArray, where: BoolArray, value: FloatArray | float, spare: FloatArray) -> None:
    """``np.copyto(out, value, where=where)``, bit for bit, without a branch per value.

    NumPy's masked copy branches on each value and costs ten times a pass when the mask is
    irregular; this is ``out ^ ((out ^ value) × mask)`` on the bits, the mask 0 or 1, in three
    integer passes (``spare``, a buffer of ``out``'s shape, is overwritten).
    """
    bits, work = out.view(np.uint64), spare.view(np.uint64)
    given = value if isinstance(value, np.ndarray) else np.float64(value)
    np.bitwise_xor(bits, given.view(np.uint64), out=work)
    np.multiply(work, where, out=work, dtype=np.uint64)
    np.bitwise_xor(bits, work, out=bits)
