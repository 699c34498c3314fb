"""Compiled cards + data → rounded line amounts and totals.

For each block of a card's rows: load the columns, run the expression steps, check each
line's inputs for missing values (applying the card's `missing` policy), compute every line
with its kernel, round it half-up, add up the total and top it up to ``min_pay``. Pools are
split first, over the rows of every card that shares them. With ``trace`` the same code runs
on one row and records what `explain` prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ksf import ir, kernels, pools
from ksf._typing import AnyArray, FloatArray, IntArray
from ksf.code import CardCode, Code, LineCode
from ksf.codegen import checked_columns, compile_exprs
from ksf.columns import Columns
from ksf.error_bounds import cancels, magnitude
from ksf.errors import DataError
from ksf.frame import Frame, block_rows, blocks, global_rows, run_code
from ksf.money import (
    AMOUNT_ERROR,
    MAX_UNITS,
    below_halves,
    is_whole_units,
    onto_halves,
    round_half_up,
    snap,
)


def run_pools(
    program: ir.Program,
    members: Mapping[str, IntArray],
    data: Columns,
    params: Mapping[str, float],
    library: Mapping[str, ir.ColumnSpec] | None = None,
) -> dict[str, tuple[IntArray, pools.PoolSplit]]:
    """Split every pool among its member rows (sorted, so ties go to the earlier row).

    ``library``: the standard library's column declarations, checked with the file's on
    the members' rows (`ksf.codegen.checked_columns`).
    """
    results = {}
    declared = {c.name: c for c in program.columns}
    for spec in program.pools:
        rows = members.get(spec.name)
        if rows is None or len(rows) == 0:
            continue
        for name, column in checked_columns([spec.base], library or {}, declared).items():
            check_domain(data.numeric[name][rows], column, rows)
        exprs = [spec.base, magnitude(spec.base)] if cancels(spec.base) else [spec.base]
        found = run_code(compile_exprs(exprs), data, params, rows)
        base_array, *bound = (
            np.broadcast_to(np.asarray(value, dtype=np.float64), (len(rows),)) for value in found
        )
        groups = _column(data, spec.per, rows) if spec.per else None
        weights = data.numeric[spec.split_by][rows] if spec.split_by else None
        split = pools.split(
            spec, base_array, groups, weights, rows, program.unit, bound[0] if bound else None
        )
        results[spec.name] = (rows, split)
    return results


def _column(data: Columns, name: str, rows: slice | IntArray) -> AnyArray:
    column = data.text[name] if name in data.text else data.numeric[name]
    return column[rows]


def pool_amounts(
    n_rows: int,
    splits: Mapping[str, tuple[IntArray, pools.PoolSplit]],
) -> dict[str, FloatArray]:
    """Each pool's member amounts spread over all rows (0 for non-members)."""
    spread = {}
    for name, (rows, result) in splits.items():
        full = np.zeros(n_rows)
        full[rows] = result.amount
        spread[name] = full
    return spread


class CardRun:
    """Runs one compiled card over its rows, writing into the payroll's arrays."""

    def __init__(
        self,
        compiled: CardCode,
        data: Columns,
        params: Mapping[str, float],
        unit: float,
        splits: Mapping[str, tuple[IntArray, pools.PoolSplit]],
    ) -> None:
        self.compiled = compiled
        self.card = compiled.card
        self.data = data
        self.params = params
        self.unit = unit
        self.splits = splits
        # Whole lines add up to an exact whole total, so a whole min_pay needs no rounding.
        self.whole_total = all(line.whole_units for line in compiled.lines) and (
            compiled.card.min_pay is None or float(compiled.card.min_pay).is_integer()
        )
        self.shares = pool_amounts(data.n_rows, splits)
        fixed = np.array(
            [line.line.amount for line in compiled.lines if isinstance(line.line, ir.FixedLine)]
        )
        self.fixed_sum = float(round_half_up(fixed, unit).sum())
        min_pay = compiled.card.min_pay
        self.whole_min_pay = min_pay is not None and is_whole_units(min_pay, unit)

    def run(self, rows: IntArray | None, amounts: FloatArray, total: FloatArray) -> None:
        """Evaluate rows (all when None) into ``amounts[line, row]`` and ``total[row]``."""
        n = self.data.n_rows if rows is None else len(rows)
        size = min(block_rows(), max(n, 1))
        frame = Frame(self.compiled.code, self.params, size)
        if rows is None:
            frame.scan_whole_columns(self.data)
        work = (np.empty(size), np.empty(size))  # the line kernels' scratch
        # Index blocks stage each line and the total in buffers, then scatter them back;
        # slice blocks write straight into views of the payroll.
        staged = None if rows is None else (np.empty(size), np.empty(size))
        first: DataError | None = None
        found: list[IntArray] = []
        for block in blocks(self.data.n_rows, rows):
            try:
                self.block(block, frame, amounts, total, work, staged)
            except DataError as error:  # noqa: PERF203 - free when nothing is raised (3.11)
                # Keep going, so the error names every row with the same problem, not only
                # those of the first block; the payroll is not returned anyway.
                if first is None:
                    first = error
                if (error.message, error.column) == (first.message, first.column):
                    found.append(np.asarray(error.rows, dtype=np.intp))
        if first is not None:
            every = np.unique(np.concatenate(found)) if found else ()
            raise DataError(first.message, column=first.column, rows=every, table=first.table)

    def block(
        self,
        block: slice | IntArray,
        frame: Frame,
        amounts: FloatArray,
        total: FloatArray,
        work: tuple[FloatArray, FloatArray],
        staged: tuple[FloatArray, FloatArray] | None,
    ) -> None:
        """Evaluate one row block into the payroll."""
        length = _length(block)
        frame.load(self.data, block)
        for slot, spec in self.compiled.domains:
            check_domain(frame.values[slot], spec, block)
        frame.run(length, block)
        block_total = total[block] if staged is None else staged[1][:length]
        block_total.fill(self.fixed_sum)  # fixed lines are added up once, here
        for line in self.compiled.lines:
            target = amounts[line.index, block] if staged is None else staged[0][:length]
            self.line(line, frame, block, target, work[0][:length], work[1][:length])
            if not isinstance(line.line, ir.FixedLine):
                block_total += target
            if staged is not None:
                amounts[line.index, block] = target
        self.check_range(block_total, amounts, block)
        if not self.whole_total:
            snap(block_total, self.unit)
        self.top_up(block_total, amounts, block)
        if staged is not None:
            total[block] = block_total

    def check_range(
        self, block_total: FloatArray, amounts: FloatArray, block: slice | IntArray
    ) -> None:
        """Refuse totals past what float64 rounds exactly to the unit, or that overflowed.

        One pass over the block's totals (NaN fails both comparisons); the lines are only
        looked at to name the culprit.
        """
        limit = MAX_UNITS * self.unit
        if block_total.size == 0 or (block_total.max() <= limit and block_total.min() >= -limit):
            return
        rows = global_rows(block, np.flatnonzero(~(np.abs(block_total) <= limit)))
        culprit = next(
            (
                code.line.name
                for code in self.compiled.lines
                if not (np.abs(amounts[code.index, rows]) <= limit).all()
            ),
            None,
        )
        what = f"line {culprit!r}" if culprit else f"the total of card {self.card.name!r}"
        msg = (
            f"{what} comes to more than {limit:,.0f} or overflows; amounts that large cannot "
            f"be rounded exactly to the unit {self.unit:g} (a coarser `rounding` allows more)"
        )
        raise DataError(msg, column=culprit, rows=rows)

    def line(
        self,
        code: LineCode,
        frame: Frame,
        block: slice | IntArray,
        out: FloatArray,
        scratch: FloatArray,
        spare: FloatArray,
        trace: dict[str, Any] | None = None,
    ) -> None:
        """One line's rounded amounts for one block, into ``out``."""
        line = code.line
        values = [frame.values[s] for s in code.inputs]
        inputs, silenced = self.inputs(code, values, block, trace, frame.complete)
        if isinstance(line, ir.FixedLine):
            out.fill(line.amount)
        elif isinstance(line, ir.ByLine):
            self.by_line(code, line, block, out, trace)
        elif isinstance(line, ir.ShareLine):
            self.share_line(line, block, out, trace)
        elif isinstance(line, ir.BalanceLine):
            error = None
            if code.value_magnitude is not None:
                error = self.value_error(code.value_magnitude, 1 / line.step, block)
            kernels.balance(inputs[0], out, line, scratch, spare, trace, error)
        elif isinstance(line, ir.CommissionLine):
            scale = inputs[1] if line.scale is not None else None
            error = None
            if code.value_magnitude is not None:
                error = self.value_error(code.value_magnitude, 1.0, block)
            kernels.commission(inputs[0], scale, out, line, scratch, trace, error)
        else:
            assert isinstance(line, ir.BonusLine)  # noqa: S101 - the last line kind
            rest = iter(inputs[1:])
            scale = next(rest) if line.scale is not None else None
            when = next(rest) if line.when is not None else None
            kernels.bonus(inputs[0], scale, when, out)
        if silenced is not None:
            out[silenced] = 0.0
        if code.magnitude is not None:
            self.onto_halves(code.magnitude, out, block)
        if trace is not None:
            trace["amount"] = out.copy()
        if not code.whole_units:
            round_half_up(out, self.unit, out=out, scratch=scratch)

    def value_error(
        self, magnitude: Code, per: float, block: slice | IntArray
    ) -> kernels.ErrorBound:
        """The float error of a cancelling value at given positions of the block, × ``per``.

        ``per`` is ``1 / step`` for a balance rule (the error in steps), 1 for a commission base.
        """

        def error(local: IntArray) -> FloatArray:
            (bound,) = run_code(magnitude, self.data, self.params, global_rows(block, local))
            return np.broadcast_to(np.asarray(bound) * (AMOUNT_ERROR * per), (len(local),))

        return error

    def onto_halves(self, magnitude: Code, out: FloatArray, block: slice | IntArray) -> None:
        """Amounts within their float error below a half-way point are on it (LANGUAGE.md 7).

        Only the rows just below a half-way point are looked at; their error bound comes
        from the magnitudes that were added and subtracted (`ksf.codegen.line_magnitude`).
        """
        local = below_halves(out, self.unit)
        if len(local) == 0:
            return
        (bound,) = run_code(magnitude, self.data, self.params, global_rows(block, local))
        near = out[local]
        onto_halves(near, AMOUNT_ERROR * np.asarray(bound), self.unit)
        out[local] = near

    def by_line(
        self,
        code: LineCode,
        line: ir.ByLine,
        block: slice | IntArray,
        out: FloatArray,
        trace: dict[str, Any] | None,
    ) -> None:
        """``base by COLUMN { … }``: amounts looked up by each row's key."""
        assert code.by_kernel is not None  # noqa: S101 - compiled with the line
        values = _column(self.data, line.column, block)
        if trace is not None:
            trace["key"] = values[0] if len(values) else ""
        try:
            code.by_kernel(values, out)
        except kernels.BadValues as bad:
            rows = global_rows(block, np.flatnonzero(bad.mask))
            raise DataError(bad.message, column=line.column, rows=rows) from None

    def share_line(
        self,
        line: ir.ShareLine,
        block: slice | IntArray,
        out: FloatArray,
        trace: dict[str, Any] | None,
    ) -> None:
        """``share POOL``: the members' exact parts, split before the cards ran."""
        out[...] = self.shares[line.pool][block]
        if trace is not None:
            members, split = self.splits[line.pool]
            member = int(np.searchsorted(members, _as_array(block)[0]))
            trace["pool"] = {
                field: getattr(split, field)[member]
                for field in ("pool", "base", "weight", "group_weight", "group")
            }
            trace["pool"]["spec"] = split.spec

    def inputs(
        self,
        code: LineCode,
        values: list[Any],
        block: slice | IntArray,
        trace: dict[str, Any] | None,
        complete: set[int],
    ) -> tuple[list[Any], Any]:
        """The line's input values, with the card's missing-value policy applied."""
        line = code.line
        silenced = None
        when_false = None
        if isinstance(line, ir.BonusLine) and line.when is not None:
            when_false = np.asarray(values[-1]) == 0
        for position, value in enumerate(values):
            if code.inputs[position] in complete or np.isfinite(np.add.reduce(value, axis=None)):
                continue
            missing = ~np.isfinite(np.asarray(value, dtype=np.float64))
            if when_false is not None and position < len(values) - 1:
                missing = missing & ~when_false  # a bonus not paid needs no amount or scale
            if not missing.any():
                values[position] = np.where(np.isfinite(value), value, 0.0)
                continue
            node = ir.line_inputs(line)[position]
            if self.card.missing == "error":
                raise _missing_error(
                    node, self.data, global_rows(block, np.flatnonzero(missing)), line.name
                )
            if trace is not None:
                trace["missing"] = self.card.missing
            if self.card.missing == "zero":
                values[position] = np.where(missing, 0.0, value)
            elif isinstance(line, ir.BalanceLine):
                values[position] = np.where(missing, line.balance, value)
            else:
                values[position] = np.where(missing, 0.0, value)
                silenced = missing if silenced is None else silenced | missing
        return values, silenced

    def top_up(self, block_total: FloatArray, amounts: FloatArray, block: slice | IntArray) -> None:
        """``min_pay``: the missing part of the total goes into the ``min_pay_topup`` line.

        Only rows below ``min_pay`` (a few percent, usually) are touched: the others keep the
        0 the payroll's arrays start with, and their totals stand.
        """
        min_pay = self.card.min_pay
        if self.compiled.topup_index is None or min_pay is None:
            return
        low = np.flatnonzero(block_total < min_pay)
        if len(low) == 0:
            return
        short = min_pay - block_total[low]
        if self.whole_min_pay:
            # The total is whole units and so is min_pay: the top-up is their exact difference
            # (snapped to remove float noise) and the new total is min_pay itself.
            if not self.whole_total:
                snap(short, self.unit)
            block_total[low] = min_pay
        else:
            round_half_up(short, self.unit, out=short)
            topped = block_total[low] + short
            snap(topped, self.unit)
            block_total[low] = topped
        amounts[self.compiled.topup_index, global_rows(block, low)] = short

    def trace(self, row: int) -> dict[str, Any]:
        """Every intermediate value of one row: slot values and each line's arithmetic."""
        rows = np.array([row], dtype=np.intp)
        frame = Frame(self.compiled.code, self.params, 1, keep_all=True)
        frame.load(self.data, rows)
        frame.run(1, rows)
        lines = {}
        buffers = [np.empty(1) for _ in range(3)]
        for code in self.compiled.lines:
            record: dict[str, Any] = {"inputs": [frame.values[s] for s in code.inputs]}
            self.line(code, frame, rows, buffers[0], buffers[1], buffers[2], record)
            record["rounded"] = float(buffers[0][0])
            lines[code.line.name] = record
        slots = {slot: frame.values[slot] for slot in range(self.compiled.code.n_slots)}
        return {"slots": slots, "lines": lines}


def check_domain(values: FloatArray, spec: ir.ColumnSpec, block: slice | IntArray) -> None:
    """Refuse values a column's declaration says it cannot hold (a negative count).

    Two comparisons over the block; missing values are left to the missing-value check.
    """
    with np.errstate(invalid="ignore"):
        low = values <= spec.low if spec.low_open else values < spec.low
        outside = low | (values >= spec.high if spec.high_open else values > spec.high)
    if not outside.any():
        return
    msg = _outside(spec)
    raise DataError(msg, column=spec.name, rows=global_rows(block, np.flatnonzero(outside)))


def _outside(spec: ir.ColumnSpec) -> str:
    """Why a value outside a column's domain is refused, and what to do about it."""
    points = "does the column hold percentage points (28.5 for 28.5%)? divide it by 100"
    if spec.origin == "indicator":
        return (
            f"impossible value: `{spec.name}` stands in for the standard indicator of that "
            f"name, a share that must be {spec.text}; {points}, or write its cells as 28.5%"
        )
    if spec.origin == "points":
        return (
            f"`{spec.name}` holds values above 100 (above 10000%), but a line reads it "
            f"against points written in percent ({spec.text}): {points} or write its cells "
            "as 28.5%; or write the line's points without %"
        )
    what = f"a {spec.unit}" if spec.unit else "a value"
    where = "the standard library" if spec.origin == "library" else "the rule file"
    return (
        f"impossible value: `{spec.name}` is {what} that must be {spec.text} "
        f"(as {where} declares it)"
    )


def _as_array(block: slice | IntArray) -> IntArray:
    if isinstance(block, slice):
        return np.arange(block.start, block.stop, dtype=np.intp)
    return block


def _length(block: slice | IntArray) -> int:
    if isinstance(block, slice):
        return int(block.stop - block.start)
    return len(block)


def _missing_error(node: ir.Expr, data: Columns, rows: IntArray, line: str) -> DataError:
    """Name the column with a missing value, or the indicator that divided by zero."""
    for column in dict.fromkeys(n.name for n in ir.walk(node) if isinstance(n, ir.Column)):
        empty = np.isnan(data.numeric[column][rows])
        if empty.any():
            return DataError(
                f"missing value read by line {line!r}", column=column, rows=rows[empty]
            )
    named = [
        n
        for n in ir.walk(node)
        if isinstance(n, ir.Named)
        and any(isinstance(m, ir.Op) and m.op == "div" for m in ir.walk(n.expr))
    ]
    what = named[-1].name if named else line
    text = f" = {named[-1].text}" if named and named[-1].text else ""
    return DataError(f"division by zero in {what}{text} (line {line!r})", column=what, rows=rows)
