"""Group aggregates and rankings (LANGUAGE.md §11), computed before any card runs.

An aggregate needs every row of the evaluation, not one block, so `run_groups` computes each
one the cards (and the pools they share) read in a pre-pass: its value over all rows
(`ksf.frame.run_code`), one group index from ``np.unique(return_inverse=True)``, then
``bincount`` for counts and sums, a sort for min, max and rank. No loop over rows or groups.
`with_groups` then adds each result as a synthetic column (`ksf.codegen.group_column`) that the
card code reads like any other (`ksf.codegen`).

Groups span every row of the evaluation whose value is known, whatever its card (the
contract's "every row of the same evaluation"); `over card` groups the rows of each card:
by the data's card column, or all rows when one card runs them all (`with_cards`). A row
with no key (an empty `team` cell) is a `DataError`, as for pools.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import attrs
import numpy as np

from ksf import ir
from ksf._typing import AnyArray, BoolArray, FloatArray, IntArray
from ksf.catalogue import data_run as say
from ksf.code import CardCode, Code
from ksf.codegen import compile_exprs, group_column
from ksf.columns import Columns
from ksf.domains import check_domain, checked_columns
from ksf.error_bounds import cancels, magnitude
from ksf.errors import DataError
from ksf.frame import check_infinite, run_code
from ksf.kernels.tolerance import EQUAL
from ksf.text_keys import text_codes
from ksf.trace import GroupTrace

CARD = "card"  # `over card`: the rows of each card, whatever says which card a row runs


@attrs.frozen
class GroupValues:
    """One aggregate over the evaluation: each row's value, group and the group's row count."""

    node: ir.Group
    value: FloatArray  # the aggregate, per row
    codes: IntArray  # each row's group number
    counts: IntArray  # each group's rows with a known value: those the aggregate took
    keys: AnyArray | None  # the key column's cells, None for `over all`

    def trace(self, row: int) -> GroupTrace:
        """What an explanation shows of the row's group."""
        key = "all" if self.keys is None else _key_name(self.keys[row])
        taken = int(self.counts[self.codes[row]])
        return GroupTrace(node=self.node, key=key, rows=taken, value=float(self.value[row]))


def group_keys(exprs: Iterable[ir.Expr]) -> set[str]:
    """The key columns (``over team``) of the aggregates the expressions read; text or numbers."""
    return {n.key for e in exprs for n in ir.walk(e) if isinstance(n, ir.Group) and n.key}


def group_traces(
    groups: Mapping[ir.Group, GroupValues], nodes: Iterable[ir.Expr], row: int
) -> tuple[GroupTrace, ...]:
    """The group of each aggregate among a traced row's ``nodes``, as explain shows it."""
    return tuple(groups[n].trace(row) for n in nodes if isinstance(n, ir.Group) and n in groups)


def group_nodes(cards: Iterable[CardCode], pools: Iterable[ir.PoolSpec]) -> list[ir.Group]:
    """Every aggregate the compiled cards, their error bounds and the pools read, once."""
    codes: list[Code] = []
    for card in cards:
        codes.append(card.code)
        for line in card.lines:
            codes.extend(c for c in (line.magnitude, line.value_magnitude) if c is not None)
    found = [n for code in codes for n in code.nodes.values() if isinstance(n, ir.Group)]
    for pool in pools:
        roots = [pool.base, magnitude(pool.base)] if cancels(pool.base) else [pool.base]
        found.extend(n for root in roots for n in ir.walk(root) if isinstance(n, ir.Group))
    return list(dict.fromkeys(found))


def run_groups(
    nodes: Iterable[ir.Group],
    data: Columns,
    params: Mapping[str, float],
    library: Mapping[str, ir.ColumnSpec],
    declared: Mapping[str, ir.ColumnSpec],
    cards: tuple[Sequence[str], IntArray | None] | None = None,
) -> dict[ir.Group, GroupValues]:
    """Each aggregate's values over every row of ``data``.

    ``library`` and ``declared``: the standard library's and the file's column declarations,
    whose domains the aggregated values must respect, as where a card reads them. ``cards``:
    the cards evaluated and each row's (`ksf.rows.card_rows`), for `over card`.

    Raises:
        DataError: an infinite or impossible value in a column an aggregate reads, or a row
            with no key.
    """
    domains = (library, declared)
    nodes = list(nodes)
    if cards is not None and any(node.key == CARD for node in nodes):
        data = with_cards(data, *cards)
    grouped: dict[str | None, tuple[IntArray, int]] = {}
    with np.errstate(over="ignore", invalid="ignore"):  # one-pass checks may overflow: fine
        return {node: _run(node, data, params, domains, grouped) for node in nodes}


def with_cards(data: Columns, names: Sequence[str], codes: IntArray | None) -> Columns:
    """The data with `card` naming the card each row runs, for `over card` (LANGUAGE.md §11).

    That is the data's card column when it chose the cards; with ``evaluate(card=…)``, or a
    rule file of one card and data without the column, every row's card is that one, so
    `over card` takes all rows, as the rows of that card.
    """
    if not names:  # no rows, no cards
        return data
    column = np.full(data.n_rows, names[0]) if codes is None else np.asarray(names)[codes]
    numeric = {k: v for k, v in data.numeric.items() if k != CARD}
    return attrs.evolve(data, numeric=numeric, text={**data.text, CARD: column})


def with_groups(data: Columns, groups: Mapping[ir.Group, GroupValues]) -> Columns:
    """The data with each aggregate's values added as its synthetic column."""
    if not groups:
        return data
    numeric = dict(data.numeric)
    numeric.update({group_column(node): found.value for node, found in groups.items()})
    return attrs.evolve(data, numeric=numeric)


def _run(
    node: ir.Group,
    data: Columns,
    params: Mapping[str, float],
    domains: tuple[Mapping[str, ir.ColumnSpec], Mapping[str, ir.ColumnSpec]],
    grouped: dict[str | None, tuple[IntArray, int]],
) -> GroupValues:
    n = data.n_rows
    if node.expr is None:  # count: every row of the group counts
        values = np.zeros(n)
    elif isinstance(node.expr, ir.Column):  # `sum(sales over team)`: the column itself
        _check_inputs(node.expr, data, domains)
        values = data.numeric[node.expr.name]
    else:
        _check_inputs(node.expr, data, domains)
        found = run_code(compile_exprs([node.expr]), data, params, None)[0]
        values = np.broadcast_to(np.asarray(found, dtype=np.float64), (n,))
    keys = None if node.key is None else _keys(node.key, data)
    if node.key not in grouped:  # aggregates over one key share its group numbers
        codes, n_groups, blank = _codes(keys, n)
        if blank is not None and node.key is not None:
            raise _no_key(node.key, codes == blank)
        grouped[node.key] = codes, n_groups
    codes, n_groups = grouped[node.key]
    known, known_codes = None, codes
    if not np.isfinite(np.add.reduce(values)):  # one pass: a finite sum means no NaN
        known = np.flatnonzero(~np.isnan(values))
        values, known_codes = values[known], codes[known]
    counts = np.bincount(known_codes, minlength=n_groups)
    result = aggregate(node.op, values, known_codes, counts)
    if np.isinf(result).any():  # finite values whose sum overflows: say so, by group
        said = say.GROUP_TOO_LARGE(what=node.text or node.op)
        raise DataError(said, column=node.key, rows=np.flatnonzero(np.isinf(result[codes])))
    if node.op != "rank":
        per_row = result[codes]
    elif known is None:
        per_row = result
    else:
        per_row = np.full(n, np.nan)
        per_row[known] = result
    return GroupValues(node, per_row, codes, counts, keys)


def aggregate(op: str, values: FloatArray, codes: IntArray, counts: IntArray) -> FloatArray:
    """Per group (``sum mean min max count``), or per value (``rank``), of known values.

    ``codes`` give each value's group; ``counts`` how many values each group has. A group
    without values sums to 0 and counts 0; its mean, min and max are missing (NaN).
    """
    n_groups = len(counts)
    match op:
        case "count":
            return counts.astype(np.float64)
        case "sum":
            return group_sums(values, codes, n_groups)
        case "mean":
            with np.errstate(invalid="ignore", divide="ignore"):
                return group_sums(values, codes, n_groups) / counts  # 0 / 0 is NaN
        case "min" | "max":
            return _extreme(op, values, codes, n_groups)
        case "rank":
            return ranks(values, codes, n_groups)
        case _:
            msg = f"unknown group aggregate {op!r}"
            raise ValueError(msg)


def group_sums(values: FloatArray, codes: IntArray, n_groups: int) -> FloatArray:
    """Sums per group, within about one unit in the last place of the exact sum.

    ``bincount`` adds in row order, which can lose digits over thousands of rows, so each
    value is split into a high part on a grid of ``2^e`` coarse enough that every partial
    sum of high parts is exact, and the low remainder (exact too), whose own sum's error is
    negligible. The float error bound of a group sum (`ksf.error_bounds`) relies on it.
    """
    if len(values) == 0:
        return np.zeros(n_groups)
    top = max(float(values.max()), -float(values.min()))
    bound = top * len(values)
    if bound == 0 or not math.isfinite(bound):
        return np.asarray(np.bincount(codes, weights=values, minlength=n_groups), np.float64)
    # Adding 1.5 × 2^(k+52) rounds |x| < 2^(k+51) to a multiple of 2^k, exactly; with 2^k
    # = 2^-51 × (a power of two above n × max|x|), every partial sum of high parts is exact.
    magic = 1.5 * 2.0 ** (math.frexp(bound)[1] + 1)
    high = values + magic
    high -= magic
    low = values - high  # exact: what rounding to the grid took off
    sums = np.bincount(codes, weights=high, minlength=n_groups)
    return np.asarray(sums + np.bincount(codes, weights=low, minlength=n_groups), np.float64)


def _extreme(op: str, values: FloatArray, codes: IntArray, n_groups: int) -> FloatArray:
    """Each group's least or greatest value: a sort by group, then one `reduceat`."""
    out = np.full(n_groups, np.nan)
    if len(values) == 0:
        return out
    order = _by_group(codes, n_groups)
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    reduce = np.minimum if op == "min" else np.maximum
    out[sorted_codes[starts]] = reduce.reduceat(values[order], starts)
    return out


def ranks(values: FloatArray, codes: IntArray, n_groups: int) -> FloatArray:
    """Each value's rank in its group: 1 + how many are strictly greater (ties share the best).

    One sort by value from the highest, then a stable sort by group; a value's rank is where
    its run of equal values starts, counted from where its group starts. Neighbours equal up
    to float noise (LANGUAGE.md 7: within one part in 10^9) are one run, so 250,000.10 −
    0.30 ties with 249,999.80 as it does by hand.
    """
    n = len(values)
    out = np.empty(n)
    if n == 0:
        return out
    order = np.argsort(-values)  # ties in any order: they share the rank of their run
    if n_groups > 1:
        order = order[_by_group(codes[order], n_groups)]
    sorted_codes, sorted_values = codes[order], values[order]
    position = np.arange(n)
    new_group = np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]
    higher, lower = sorted_values[:-1], sorted_values[1:]
    size = np.maximum(np.maximum(np.abs(higher), np.abs(lower)), 1.0)
    new_run = new_group | np.r_[True, higher - lower >= EQUAL * size]
    run_start = np.maximum.accumulate(np.where(new_run, position, 0))
    group_start = np.maximum.accumulate(np.where(new_group, position, 0))
    out[order] = run_start - group_start + 1
    return out


def _by_group(codes: IntArray, n_groups: int) -> IntArray:
    """The stable order that sorts ``codes``: a radix sort when they fit in 16 bits."""
    small = codes.astype(np.uint16) if n_groups <= 1 << 16 else codes
    return np.argsort(small, kind="stable")


def _keys(name: str, data: Columns) -> AnyArray:
    """The key column's cells; a row without one would silently make a group of its own."""
    keys = data.text[name] if name in data.text else data.numeric[name]
    if keys.dtype.kind == "U" or (keys.dtype.kind == "f" and np.isfinite(np.add.reduce(keys))):
        return keys  # text: the empty key is found among the groups (`_codes`)
    blank = ~np.isfinite(keys) if keys.dtype.kind == "f" else keys == ""
    if blank.any():
        raise _no_key(name, blank)
    return keys


def _no_key(name: str, blank: BoolArray) -> DataError:
    return DataError(say.GROUP_KEY_BLANK(column=name), column=name, rows=np.flatnonzero(blank))


def _codes(keys: AnyArray | None, n: int) -> tuple[IntArray, int, int | None]:
    """Each row's group number, how many there are (some may be unused), and the empty key's.

    Whole-number keys in a range not much wider than the data (team 1 to 10,000) are their
    own group numbers, with no sort; text keys are hashed (`ksf.text_keys`); other numbers go
    through ``np.unique``.
    """
    if keys is None:
        return np.zeros(n, dtype=np.intp), 1, None
    if keys.dtype.kind == "f" and n:
        numbers = np.asarray(keys, dtype=np.float64)
        low, high = float(numbers.min()), float(numbers.max())
        if high - low <= 4 * n:
            whole = numbers.astype(np.intp)
            if np.array_equal(whole, numbers):  # team numbers, not 1.5
                whole -= int(low)
                return whole, int(high - low) + 1, None
    if keys.dtype.kind in "OU":
        return text_codes(keys)
    uniques, inverse = np.unique(keys, return_inverse=True)
    return inverse.reshape(-1).astype(np.intp, copy=False), len(uniques), None


def _check_inputs(
    expr: ir.Expr,
    data: Columns,
    domains: tuple[Mapping[str, ir.ColumnSpec], Mapping[str, ir.ColumnSpec]],
) -> None:
    """Infinite values and values outside a column's declared domain, in every row."""
    everything = slice(0, data.n_rows)
    for node in ir.walk(expr):
        if isinstance(node, ir.Column):
            check_infinite(data.numeric[node.name], node.name, everything)
    for name, spec in checked_columns([expr], *domains).items():
        check_domain(data.numeric[name], spec, everything)


def _key_name(label: object) -> str:
    """A group as its export wrote it: a numeric team 7 is '7', not '7.0'."""
    if isinstance(label, float | np.floating) and float(label).is_integer():
        return str(int(label))
    return str(label)
