"""Money: half-up rounding to the rounding unit and exact largest-remainder splits.

This is the only module in ksf that rounds money. Amounts are float64 arrays; a value
within float noise of a half-way point is treated as exactly half-way, which is what
"exact decimal semantics" means for a float that prints as ``2.675``.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np

from ksf._typing import FloatArray, IntArray
from ksf.fast_ops import copysign

# A float that prints as 2.675 is stored as 2.67499999999999982236431605997495353221893310546875,
# so a strict half-way test would round it down. Values within this many units (relative
# plus absolute) of a half-way point are taken to be on it.
_RELATIVE_NOISE = 16 * np.finfo(np.float64).eps
_ABSOLUTE_NOISE = 1e-9
# Past this many rounding units (10,000,000,000.00 at 0.01) float64 can no longer round an
# amount exactly: the half-way test's noise margin (16 ulps, see above) grows past a few
# thousandths of a unit, and beyond 1.4e14 units it moves whole amounts.
MAX_UNITS = 1e12


def unit_inverse(unit: float) -> float | None:
    """``1/unit`` when it is a whole number (0.01 → 100), else None.

    Dividing a whole count of cents by 100 gives the float nearest the decimal amount;
    multiplying by 0.01 can be one ulp off.
    """
    inverse = 1.0 / unit
    nearest = float(math.floor(inverse + 0.5))
    if nearest >= 1 and abs(inverse - nearest) <= 1e-9 * nearest:
        return nearest
    return None


def round_half_up(
    values: FloatArray,
    unit: float,
    out: FloatArray | None = None,
    scratch: FloatArray | None = None,
) -> FloatArray:
    """Round to a multiple of ``unit``, halves away from zero (四舍五入).

    Args:
        values: amounts; NaN stays NaN.
        unit: the rounding unit, e.g. 0.01 or 1.
        out: optional destination (may be ``values`` itself).
        scratch: optional work array of the same shape, to avoid allocating one.

    Returns:
        The rounded amounts.

    Examples:
        >>> round_half_up(np.array([0.125, -0.125, 2.675, 1.004]), 0.01).tolist()
        [0.13, -0.13, 2.68, 1.0]
    """
    if out is None:
        out = np.empty_like(values)
    if scratch is None:
        scratch = np.empty_like(values)
    inverse = unit_inverse(unit)
    scale = inverse if inverse is not None else 1.0 / unit
    # Away from zero at the half: trunc(x + 0.5) for x >= 0, trunc(x - 0.5) for x < 0.
    np.multiply(values, scale * (1.0 + _RELATIVE_NOISE), out=out)
    copysign(0.5 + _ABSOLUTE_NOISE, out, out=scratch)
    out += scratch
    np.trunc(out, out=out)
    if inverse is not None:
        out /= inverse
    else:
        out *= unit
    out += 0.0  # turns -0.0 into 0.0 so payslips never print "-0.00"
    return out


# The float error a computed amount may carry, in units of 2^-53 of its magnitude (the sum of
# the magnitudes of everything added or subtracted on the way, `ksf.error_bounds.magnitude`):
# each operation adds at most one such unit of its operands, and pay rules are short.
AMOUNT_ERROR = 32 * 2.0**-53
# Rows closer than this (in rounding units) below a half-way point are looked at with their
# error bound; 1/100 of a cent covers the error of amounts up to tens of billions.
HALF_WINDOW = 0.01


def below_halves(values: FloatArray, unit: float, window: float = HALF_WINDOW) -> IntArray:
    """Positions of the values just below a half-way point (by up to ``window`` units).

    Only these can be half-way by hand and below it in floats: 1,957,006.15 − 1,957,000 is
    6.1499999999068677 and × 30% is 0.00000000003 below the half cent of 1.845.
    """
    units = np.abs(values) / unit
    below = np.floor(units) + 0.5 - units
    return np.flatnonzero((below > 0) & (below <= window))


def onto_halves(values: FloatArray, error: FloatArray, unit: float) -> None:
    """Put values within ``error`` (money) below a half-way point on it, in place.

    LANGUAGE.md 7 asks for the number a person computes: a value the float error of its
    operands could have moved off a half cent is on the half cent, and rounds away from zero.
    """
    units = np.abs(values) / unit
    half = np.floor(units) + 0.5
    with np.errstate(invalid="ignore"):
        on = (half - units) <= error / unit  # a missing bound (NaN) moves nothing
    values[on] = np.copysign(half[on] * unit, values[on])


def unit_decimals(unit: float) -> int:
    """The decimal places of a rounding unit: 0.01 → 2, 0.05 → 2, 0.001 → 3, 1 → 0, 10 → 0."""
    exponent = Decimal(repr(unit)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 2


def is_whole_units(amount: float, unit: float) -> bool:
    """Whether an amount is a whole number of rounding units (2360 of 0.01: yes)."""
    units = amount / unit
    return abs(units - math.floor(units + 0.5)) <= 1e-9 * max(1.0, abs(units))


def snap(amounts: FloatArray, unit: float) -> None:
    """Make a sum of rounded amounts the float nearest its decimal value, in place.

    0.1 + 0.2 is 0.30000000000000004 in floats; the sum of whole cents is a whole number of
    cents, so this only removes float noise and never moves an amount by a cent.
    """
    inverse = unit_inverse(unit)
    if inverse is None:
        amounts /= unit
        np.rint(amounts, out=amounts)
        amounts *= unit
        return
    amounts *= inverse
    np.rint(amounts, out=amounts)
    amounts /= inverse


def to_units(amounts: FloatArray, unit: float) -> FloatArray:
    """Whole numbers of units in already-rounded amounts (an exact float, e.g. cents)."""
    units = amounts / unit
    return np.floor(units + 0.5)


def from_units(units: FloatArray, unit: float) -> FloatArray:
    """Amounts from whole numbers of units, as the float nearest the decimal value."""
    inverse = unit_inverse(unit)
    if inverse is not None:
        return units / inverse
    return units * unit


def allocate(pools: FloatArray, group: IntArray, weights: FloatArray, unit: float) -> FloatArray:
    """Split each group's rounded pool among its members in proportion to their weights.

    Largest-remainder method: every member first gets the whole units below its exact share;
    the units left over go one each to the largest remainders, ties to the earlier row. So
    the members' amounts add up exactly to the pool.

    Args:
        pools: the rounded pool amount of each group.
        group: each member's group index into ``pools``.
        weights: each member's non-negative weight; every group's total must be positive.
        unit: the rounding unit.

    Returns:
        Each member's amount, in member order.

    Examples:
        >>> allocate(np.array([100.0]), np.array([0, 0, 0]), np.ones(3), 0.01).tolist()
        [33.34, 33.33, 33.33]
    """
    pool_units = to_units(pools, unit)
    exact = _integer_shares(pool_units, group, weights)
    if exact is not None:
        whole, remainder = exact
    else:
        whole, remainder = _float_shares(pool_units, group, weights)
    left = pool_units - np.bincount(group, weights=whole, minlength=len(pools))
    rows = np.arange(len(group))
    order = np.lexsort((rows, -remainder, group))
    sorted_group = group[order]
    first_of_group = np.searchsorted(sorted_group, sorted_group, side="left")
    rank = np.arange(len(order)) - first_of_group
    extra = np.zeros(len(group))
    extra[order] = rank < left[sorted_group]
    return from_units(whole + extra, unit)


# Weights written with up to this many decimals are split in exact integer arithmetic.
_WEIGHT_PLACES = 9
_EXACT_LIMIT = 2.0**62  # products of units and scaled weights must fit an int64


def _integer_shares(
    pool_units: FloatArray, group: IntArray, weights: FloatArray
) -> tuple[FloatArray, FloatArray] | None:
    """Whole units and remainders of each exact share, in integers; None when not possible.

    Weights such as 1, 0.1, 0.1 are decimals; scaled to whole numbers (10, 1, 1) each share
    is ``units × w // W`` with remainder ``units × w % W`` exactly, so equal remainders are
    equal (float remainders of ⅓ differ in the last bits and would pick the wrong row).
    Remainders are compared within a group, where W is the same.
    """
    for places in range(_WEIGHT_PLACES + 1):
        scaled = weights * 10.0**places
        whole_weights = np.rint(scaled)
        if np.all(np.abs(scaled - whole_weights) <= 1e-9 * np.maximum(whole_weights, 1.0)):
            break
    else:
        return None
    totals = np.bincount(group, weights=whole_weights, minlength=len(pool_units))
    largest = float(np.max(pool_units, initial=0.0)) * float(np.max(whole_weights, initial=0.0))
    if largest >= _EXACT_LIMIT or float(np.max(totals, initial=0.0)) >= _EXACT_LIMIT:
        return None
    numerator = pool_units.astype(np.int64)[group] * whole_weights.astype(np.int64)
    total = totals.astype(np.int64)[group]
    return (numerator // total).astype(np.float64), (numerator % total).astype(np.float64)


def _float_shares(
    pool_units: FloatArray, group: IntArray, weights: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Whole units and remainders of each share in floats, remainders to 10^-9 of a unit.

    For weights that are no short decimals (1/3 …): remainders equal up to float noise count
    as equal (LANGUAGE.md 7), so ties still go to the earlier row.
    """
    total_weight = np.bincount(group, weights=weights, minlength=len(pool_units))
    exact = pool_units[group] * weights / total_weight[group]
    # Exact shares that are whole numbers up to float noise must not lose a unit.
    whole = np.floor(exact + 1e-9)
    remainder = np.rint((exact - whole) * 1e9)
    return whole, remainder
