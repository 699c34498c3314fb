"""Profit pools (LANGUAGE.md section 6): grouped, capped, and split to the cent.

One group index from ``np.unique(return_inverse=True)``, group facts with ``bincount`` and
``reduceat``, and the exact split from `ksf.money.allocate`. No loop over rows or groups.
"""

from __future__ import annotations

import attrs
import numpy as np

from ksf import ir
from ksf._typing import AnyArray, FloatArray, IntArray
from ksf.errors import DataError
from ksf.kernels import above_equal
from ksf.money import AMOUNT_ERROR, allocate, onto_halves, round_half_up

# A group-level base read from a column may differ by float noise between members.
_SAME = 1e-9


@attrs.frozen
class PoolSplit:
    """A pool's result for each member row (in member order)."""

    amount: FloatArray  # the member's share, to the cent
    pool: FloatArray  # the rounded pool of the member's group
    base: FloatArray  # the group's base value
    weight: FloatArray
    group_weight: FloatArray
    group: AnyArray  # the member's group key ("" without `per`)
    spec: ir.PoolSpec


def split(
    spec: ir.PoolSpec,
    base: FloatArray,
    groups: AnyArray | None,
    weights: FloatArray | None,
    rows: IntArray,
    unit: float,
    magnitude: FloatArray | None = None,
) -> PoolSplit:
    """Compute each group's pool and each member's exact share.

    Args:
        spec: the pool.
        base: the pool's base expression for each member.
        groups: each member's ``per`` column value, or None for one pool.
        weights: each member's ``split by`` weight, or None for an equal split.
        rows: each member's row in the data (for error messages).
        unit: the rounding unit.
        magnitude: for a base that adds or subtracts, each member's bound on the magnitudes
            that went into it (`ksf.error_bounds.magnitude`); None means ``|base|``.

    Raises:
        DataError: a base that differs within a group, a missing or negative weight, or a
            group whose members weigh nothing in total.
    """
    n = len(base)
    if groups is not None:
        _groups_known(spec, groups, rows)
    keys = groups if groups is not None else np.zeros(n, dtype=np.int8)
    labels, group = np.unique(keys, return_inverse=True)
    group = np.asarray(group, dtype=np.intp).reshape(-1)
    _same_within_groups(spec, base, group, labels, rows)
    first = np.zeros(len(labels), dtype=np.intp)
    first[group[::-1]] = np.arange(n)[::-1]  # each group's first member
    group_base = base[first]
    pools = past_threshold(group_base, spec.threshold) * spec.share
    # A half cent by hand stays one after subtracting a large threshold (LANGUAGE.md 7).
    group_magnitude = np.abs(group_base) if magnitude is None else magnitude[first]
    error = AMOUNT_ERROR * (group_magnitude + abs(spec.threshold)) * abs(spec.share)
    onto_halves(pools, error, unit)
    if spec.cap is not None:
        np.minimum(pools, spec.cap, out=pools)
    pools = round_half_up(pools, unit)
    weight = _weights(spec, weights, rows, n)
    group_weight = np.asarray(
        np.bincount(group, weights=weight, minlength=len(labels)), dtype=np.float64
    )
    empty = group_weight[group] <= 0
    if empty.any():
        msg = f"pool {spec.name!r}: the members of a group have a total weight of 0"
        raise DataError(
            msg,
            column=spec.split_by,
            rows=rows[empty],
        )
    amount = allocate(pools, group, weight, unit)
    return PoolSplit(
        amount,
        pools[group],
        group_base[group],
        weight,
        group_weight[group],
        labels[group] if groups is not None else np.full(n, "", dtype=str),
        spec,
    )


def past_threshold(base: FloatArray, threshold: float) -> FloatArray:
    """``max(0, base − threshold)``, 0 where the base equals the threshold up to float noise.

    LANGUAGE.md 7: a profit of 1,200,000.0000001 is on a threshold of 1,200,000, not past it.
    """
    past = np.subtract(base, threshold)
    past[~(base >= above_equal(threshold))] = 0.0
    return past


def _groups_known(spec: ir.PoolSpec, groups: AnyArray, rows: IntArray) -> None:
    """A member with no group would silently form a pool of its own; that is bad data."""
    blank = ~np.isfinite(groups) if groups.dtype.kind == "f" else groups == ""
    if blank.any():
        msg = f"pool {spec.name!r}: members without a value in the `per` column {spec.per!r}"
        raise DataError(msg, column=spec.per, rows=rows[blank])


def _group_name(label: object) -> str:
    """A group as its export wrote it: a numeric team 7 is '7', not '7.0'."""
    if isinstance(label, float | np.floating) and float(label).is_integer():
        return str(int(label))
    return str(label)


def _same_within_groups(
    spec: ir.PoolSpec, base: FloatArray, group: IntArray, labels: AnyArray, rows: IntArray
) -> None:
    if not np.isfinite(base).all():
        bad = ~np.isfinite(base)
        msg = f"pool {spec.name!r}: its base {spec.text or 'value'} is missing"
        raise DataError(msg, rows=rows[bad])
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
    low = np.minimum.reduceat(base[order], starts)
    high = np.maximum.reduceat(base[order], starts)
    differs = (high - low) > _SAME * np.maximum(1.0, np.abs(high))
    if differs.any():
        bad_group = int(np.flatnonzero(differs)[0])
        where = f" in group '{_group_name(labels[bad_group])}'" if spec.per else ""
        msg = (
            f"pool {spec.name!r}: its base {spec.text or 'value'} must have one value per "
            f"pool, but it varies{where}"
        )
        raise DataError(
            msg,
            column=spec.per,
            rows=rows[group == bad_group],
        )


def _weights(
    spec: ir.PoolSpec,
    weights: FloatArray | None,
    rows: IntArray,
    n: int,
) -> FloatArray:
    if weights is None:
        return np.ones(n)
    bad = ~np.isfinite(weights) | (weights < 0)
    if bad.any():
        msg = f"pool {spec.name!r}: weights must be numbers of 0 or more"
        raise DataError(
            msg,
            column=spec.split_by,
            rows=rows[bad],
        )
    return weights
