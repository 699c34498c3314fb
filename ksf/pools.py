"""Profit pools (LANGUAGE.md section 10): who shares which pool, and the split to the cent.

`pool_members` says which rows share each pool (those of every card with a ``share`` line for
it); `run_pools` computes each pool's base on its members' rows and `split`s it: one group
index from ``np.unique(return_inverse=True)``, group facts with ``bincount`` and
``reduceat``, and the exact split from `ksf.money.allocate`. No loop over rows or groups.
The card run then reads each member's part (`pool_amounts`).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import numpy as np

from ksf import ir
from ksf._typing import AnyArray, FloatArray, IntArray
from ksf.catalogue import data_run as say
from ksf.code import CardCode
from ksf.codegen import compile_exprs
from ksf.columns import Columns
from ksf.domains import check_domain, checked_columns
from ksf.error_bounds import cancels, magnitude
from ksf.errors import DataError
from ksf.frame import run_code
from ksf.kernels.tolerance import above_equal_each
from ksf.kernels.values import read_column
from ksf.message import Keyword, Message
from ksf.money import AMOUNT_ERROR, allocate, onto_halves, round_half_up
from ksf.trace import ShareTrace

# ---- membership: which rows share which pool ------------------------------------------------


def pool_members(
    program: ir.Program,
    cards: Mapping[str, CardCode],
    rows_of: Mapping[str, IntArray | None],
    n_rows: int,
) -> dict[str, IntArray]:
    """Each pool's member rows, sorted: the rows of every card with a ``share`` line for it.

    ``rows_of[card]`` is the card's rows, None for all ``n_rows``.
    """
    found = {}
    for spec in program.pools:
        sharing = [
            name
            for name, code in cards.items()
            if any(
                isinstance(line, ir.ShareLine) and line.pool == spec.name
                for line in code.card.lines
            )
        ]
        parts = [_all_rows(rows_of[name], n_rows) for name in sharing]
        found[spec.name] = np.sort(np.concatenate(parts)) if parts else np.arange(0)
    return found


def _all_rows(rows: IntArray | None, n: int) -> IntArray:
    return np.arange(n, dtype=np.intp) if rows is None else rows


# ---- running: each pool's base on its members' rows, then the split -------------------------

Splits = Mapping[str, tuple[IntArray, "PoolSplit"]]


def run_pools(
    program: ir.Program,
    members: Mapping[str, IntArray],
    data: Columns,
    params: Mapping[str, float],
    library: Mapping[str, ir.ColumnSpec] | None = None,
) -> dict[str, tuple[IntArray, PoolSplit]]:
    """Split every pool among its member rows (sorted, so ties go to the earlier row).

    ``library``: the standard library's column declarations, checked with the file's on
    the members' rows (`ksf.domains.checked_columns`).
    """
    results = {}
    declared = {c.name: c for c in program.columns}
    for spec in program.pools:
        rows = members.get(spec.name)
        if rows is None or len(rows) == 0:
            continue
        for name, column in checked_columns([spec.base], library or {}, declared).items():
            check_domain(data.numeric[name][rows], column, rows)
        read = ir.pool_per_row(spec)  # clause values read per row come after the base
        exprs = [spec.base, magnitude(spec.base)] if cancels(spec.base) else [spec.base]
        found = run_code(compile_exprs([*exprs, *(p.expr for p in read)]), data, params, rows)
        base_array, *bound = (
            np.broadcast_to(np.asarray(value, dtype=np.float64), (len(rows),))
            for value in found[: len(exprs)]
        )
        given = {
            p.clause: np.broadcast_to(np.asarray(v, dtype=np.float64), (len(rows),))
            for p, v in zip(read, found[len(exprs) :], strict=True)
        }
        groups = _column(data, spec.per, rows) if spec.per else None
        weights = data.numeric[spec.split_by][rows] if spec.split_by else None
        magnitudes = bound[0] if bound else None
        results[spec.name] = (
            rows,
            split(spec, base_array, groups, weights, rows, program.unit, magnitudes, given),
        )
    return results


def _column(data: Columns, name: str, rows: slice | IntArray) -> AnyArray:
    column = data.text[name] if name in data.text else data.numeric[name]
    return column[rows]


def pool_amounts(n_rows: int, splits: Splits) -> dict[str, FloatArray]:
    """Each pool's member amounts spread over all rows (0 for non-members)."""
    spread = {}
    for name, (rows, result) in splits.items():
        full = np.zeros(n_rows)
        full[rows] = result.amount
        spread[name] = full
    return spread


def share_trace(line: ir.ShareLine, splits: Splits, row: int) -> ShareTrace:
    """A member row's share of its pool, with the pool's facts, as an explanation shows them."""
    rows, split = splits[line.pool]
    member = int(np.searchsorted(rows, row))
    spec = split.spec
    base = float(split.base[member])
    threshold, share, cap = (
        float(split.given[c][member]) if isinstance(v, ir.PerRow) else v
        for c, v in (("above", spec.threshold), ("share", spec.share), ("cap", spec.cap))
    )
    assert threshold is not None  # noqa: S101 - a pool has both
    assert share is not None  # noqa: S101
    past = float(past_threshold(np.array([base]), threshold)[0]) * share
    pool, weight = float(split.pool[member]), float(split.weight[member])
    group_weight = float(split.group_weight[member])
    return ShareTrace(
        line=line,
        spec=spec,
        threshold=threshold,
        share=share,
        cap=cap,
        group=str(split.group[member]),
        base=base,
        past=past,
        capped=cap is not None and past > cap,
        pool=pool,
        weight=weight,
        group_weight=group_weight,
        exact=pool * weight / group_weight,
    )


# ---- splitting: the pool of each group, and each member's part to the cent ------------------

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
    # The clause values read per row (`above`, `share`, `cap`), each member's group's.
    given: Mapping[str, FloatArray] = attrs.field(factory=dict)


def split(
    spec: ir.PoolSpec,
    base: FloatArray,
    groups: AnyArray | None,
    weights: FloatArray | None,
    rows: IntArray,
    unit: float,
    magnitude: FloatArray | None = None,
    given: Mapping[str, FloatArray] | None = None,
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
        given: the clause values read per row (`ir.pool_per_row`), by clause.

    Raises:
        DataError: a base (or a clause value) that differs within a group, a missing or
            negative weight, or a group whose members weigh nothing in total.
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
    group_magnitude = np.abs(group_base) if magnitude is None else magnitude[first]
    given = given or {}
    clauses = _group_clauses(spec, given, group, labels, rows, first)  # above, share, cap
    pools = group_pools(spec, group_base, group_magnitude, unit, clauses)
    weight = _weights(spec, weights, rows, n)
    group_weight = np.asarray(
        np.bincount(group, weights=weight, minlength=len(labels)), dtype=np.float64
    )
    empty = group_weight[group] <= 0
    if empty.any():
        said = say.POOL_ZERO_WEIGHT(pool=repr(spec.name))
        raise DataError(said, column=spec.split_by, rows=rows[empty])
    amount = allocate(pools, group, weight, unit)
    return PoolSplit(
        amount,
        pools[group],
        group_base[group],
        weight,
        group_weight[group],
        labels[group] if groups is not None else np.full(n, "", dtype=str),
        spec,
        {c: v[first][group] for c, v in given.items()},
    )


# A pool's `above`, `share` and `cap` for each group: a number, or the group's values.
GroupClauses = tuple[float | FloatArray, float | FloatArray, float | FloatArray | None]


def group_pools(
    spec: ir.PoolSpec,
    base: FloatArray,
    magnitude: FloatArray,
    unit: float,
    clauses: GroupClauses,
) -> FloatArray:
    """Each group's pool from its base: ``max(0, base − threshold) × share``, capped, rounded.

    ``magnitude`` bounds the magnitudes that went into each base (`ksf.error_bounds.magnitude`);
    ``clauses``: the threshold, share and cap of each group (`_group_clauses`).
    """
    threshold, share, cap = clauses
    pools = past_threshold(base, threshold) * share
    # A half cent by hand stays one after subtracting a large threshold (LANGUAGE.md 7).
    error = AMOUNT_ERROR * (magnitude + np.abs(threshold)) * np.abs(share)
    onto_halves(pools, error, unit)
    if cap is not None:
        np.minimum(pools, cap, out=pools)
    return round_half_up(pools, unit)


def past_threshold(base: FloatArray, threshold: float | FloatArray) -> FloatArray:
    """``max(0, base − threshold)``, 0 where the base equals the threshold up to float noise.

    LANGUAGE.md 7: a profit of 1,200,000.0000001 is on a threshold of 1,200,000, not past it.
    """
    past = np.subtract(base, threshold)
    past[~(base >= above_equal_each(threshold))] = 0.0
    return past


def _group_clauses(
    spec: ir.PoolSpec,
    given: Mapping[str, FloatArray],
    group: IntArray,
    labels: AnyArray,
    rows: IntArray,
    first: IntArray,
) -> GroupClauses:
    """The pool's threshold, share and cap: numbers as written, or each group's values.

    A value read per row is a fact of the pool, like its base: one value in each group
    (LANGUAGE.md §6), known, and for a share or a cap not negative; else a `DataError`
    naming the clause, the column and the group's rows.
    """
    found: dict[str, float | FloatArray | None] = {}
    for clause, value in (("above", spec.threshold), ("share", spec.share), ("cap", spec.cap)):
        if not isinstance(value, ir.PerRow):
            found[clause] = value
            continue
        read, column = given[clause], read_column(value)
        written = say.WRITTEN(keyword=Keyword(clause), text=value.text)
        what = say.POOL_CLAUSE(pool=repr(spec.name), clause=written)
        for bad, words in (
            (~np.isfinite(read), say.IS_MISSING),
            (read < 0, say.CANNOT_BE_NEGATIVE),
        ):
            if (clause != "above" or words is say.IS_MISSING) and bad.any():
                raise DataError(words(what=what), column=column, rows=rows[bad])
        _same_within_groups(spec, read, group, labels, rows, (what, column))
        found[clause] = read[first]
    threshold, share = found["above"], found["share"]
    assert threshold is not None  # noqa: S101 - a pool has both
    assert share is not None  # noqa: S101
    return threshold, share, found["cap"]


def _groups_known(spec: ir.PoolSpec, groups: AnyArray, rows: IntArray) -> None:
    """A member with no group would silently form a pool of its own; that is bad data."""
    blank = ~np.isfinite(groups) if groups.dtype.kind == "f" else groups == ""
    if blank.any():
        said = say.POOL_NO_GROUP(pool=repr(spec.name), per=Keyword("per"), column=repr(spec.per))
        raise DataError(said, column=spec.per, rows=rows[blank])


def _group_name(label: object) -> str:
    """A group as its export wrote it: a numeric team 7 is '7', not '7.0'."""
    if isinstance(label, float | np.floating) and float(label).is_integer():
        return str(int(label))
    return str(label)


def _same_within_groups(
    spec: ir.PoolSpec,
    base: FloatArray,
    group: IntArray,
    labels: AnyArray,
    rows: IntArray,
    clause: tuple[Message, str] | None = None,
) -> None:
    """Refuse a base (or, with ``clause``, a clause value read per row) that varies in a pool.

    ``clause``: the words naming the clause value, and the column it reads.
    """
    if clause is None and not np.isfinite(base).all():
        bad = ~np.isfinite(base)
        raise DataError(say.IS_MISSING(what=_base(spec)), rows=rows[bad])
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
    low = np.minimum.reduceat(base[order], starts)
    high = np.maximum.reduceat(base[order], starts)
    differs = (high - low) > _SAME * np.maximum(1.0, np.abs(high))
    if differs.any():
        bad_group = int(np.flatnonzero(differs)[0])
        what, column = clause or (_base(spec), spec.per)
        said = (
            say.ONE_VALUE_PER_GROUP(what=what, group=_group_name(labels[bad_group]))
            if spec.per
            else say.ONE_VALUE_PER_POOL(what=what)
        )
        raise DataError(said, column=column, rows=rows[group == bad_group])


def _base(spec: ir.PoolSpec) -> Message:
    """The pool's base, as a message names it."""
    return say.POOL_BASE(pool=repr(spec.name), base=spec.text or say.POOL_BASE_VALUE())


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
        raise DataError(
            say.POOL_WEIGHTS(pool=repr(spec.name)),
            column=spec.split_by,
            rows=rows[bad],
        )
    return weights
