"""Compiled cards + data → rounded line amounts and totals.

For each block of a card's rows (`CardRun.step`; `ksf.row_plan` orders the blocks of every
card): load the columns, run the expression steps, check each line's inputs for missing
values (applying the card's `missing` policy), compute every line with its kernel, round it
half-up, add up the total and top it up to ``min_pay`` (`ksf.card_total`). Pools are
split first (`ksf.pools`), over the rows of every card that shares them; the missing-value
policy is `ksf.missing`. `CardRun.trace` runs the same code on one row and records what
`ksf.explain` prints (`ksf.trace`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_never

import attrs
import numpy as np

from ksf import ir
from ksf._typing import FloatArray, IntArray
from ksf.bonus_line import bonus_line
from ksf.card_total import CardTotal
from ksf.code import CardCode, Code, LineCode
from ksf.columns import Columns
from ksf.domains import check_domain
from ksf.errors import DataError
from ksf.frame import Frame, RefValues, Scratch, global_rows, run_code
from ksf.kernels.balance import ErrorBound, balance
from ksf.kernels.commission import commission, tier_parts
from ksf.kernels.values import BadValues
from ksf.missing import apply_policy
from ksf.money import (
    AMOUNT_ERROR,
    below_halves,
    onto_halves,
    round_half_up,
)
from ksf.per_row import balance_clauses, commission_clauses, step_scale
from ksf.pools import Splits, pool_amounts, share_trace
from ksf.ref_values import after_line, before_line, from_payroll, from_row, literal
from ksf.steady_clauses import clause_slots, needs_bound, steady_clauses
from ksf.trace import (
    BalanceTrace,
    ByTrace,
    CommissionTrace,
    FixedTrace,
    LineDetail,
    LineTrace,
    MinPayTrace,
    RowTrace,
)
from ksf.trace_figures import matrix_rows, score_points


@attrs.define
class CardPass:
    """One card's blocks on one thread: its frame, its buffers, the data errors found."""

    frame: Frame
    work: tuple[FloatArray, FloatArray]
    staged: tuple[FloatArray, FloatArray] | None  # index blocks' lines and total
    found: list[tuple[int, DataError]] = attrs.Factory(list)  # by the chunk of the block


class CardRun:
    """Runs one compiled card over blocks of its rows, writing into the payroll's arrays.

    `start` sets the card up on a thread once; `step` runs one block, so the blocks of
    several cards can interleave (`ksf.row_plan`).
    """

    def __init__(
        self,
        compiled: CardCode,
        data: Columns,
        params: Mapping[str, float],
        unit: float,
        splits: Splits,
    ) -> None:
        self.compiled = compiled
        self.card = compiled.card
        self.data = data
        self.params = params
        self.unit = unit
        self.splits = splits
        self.totals = CardTotal(compiled, unit)
        self.shares = pool_amounts(data.n_rows, splits)
        self.summed = [literal(code.line) is None for code in compiled.lines]
        fixed = np.array([literal(code.line) or 0.0 for code in compiled.lines])
        self.fixed_sum = float(round_half_up(fixed, unit).sum())
        self.refs: RefValues | None = None  # where line references are read (LANGUAGE.md 9)

    def writes_to(self, amounts: FloatArray) -> None:
        """Read line references from ``amounts``, the payroll the blocks fill (LANGUAGE.md 9)."""
        self.refs = from_payroll(self.compiled, amounts, self.unit)

    def scan(self) -> Frame:
        """A frame that has checked the card's whole columns once (one card on all rows)."""
        frame = Frame(self.compiled.code, self.params, 1)
        with np.errstate(over="ignore", invalid="ignore"):  # a sum past float64: not finite
            frame.scan_whole_columns(self.data, clause_slots(self.compiled.lines))
        return frame

    def start(self, scratch: Scratch, scanned: Frame | None = None) -> CardPass:
        """Set the card up to run blocks on one thread, borrowing ``scratch``'s buffers.

        ``scanned``: what `scan` found, when every block is a slice of all rows.
        """
        code, whole = self.compiled.code, scanned is not None
        frame = Frame(code, self.params, scratch.size, scratch=scratch.rewind(), gathers=not whole)
        if scanned is not None:
            frame.scanned_like(scanned)
        work, spare = scratch.take(2)  # the line kernels' scratch
        staged = None if whole else (scratch.take(1)[0], scratch.take(1)[0])  # slices need none
        return CardPass(frame, (work, spare), staged)

    def step(
        self,
        state: CardPass,
        chunk: int,
        block: slice | IntArray,
        amounts: FloatArray,
        total: FloatArray,
    ) -> None:
        """Evaluate one block (``chunk`` orders it) into the payroll; data errors are kept.

        Blocks go on after a `DataError`, so the error names every row with the same problem,
        not only those of the first block; the payroll is not returned anyway. Index blocks
        stage each line and the total in buffers, then scatter them back; slices write
        straight into views of the payroll.
        """
        staged = None if isinstance(block, slice) else state.staged
        try:
            self.block(block, state.frame, amounts, total, state.work, staged)
        except DataError as error:
            state.found.append((chunk, error))

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
            check_domain(frame.values[slot], spec, block, isinstance(frame.steady(slot), float))
        block_total = total[block] if staged is None else staged[1][:length]
        block_total.fill(self.fixed_sum)  # literal fixed lines are added up once, here
        for position, line in enumerate(self.compiled.lines):
            before_line(frame, self.compiled, position, length, block)
            target = amounts[line.index, block] if staged is None else staged[0][:length]
            self.line(line, frame, block, target, work[0][:length], work[1][:length])
            if self.summed[position]:
                block_total += target
            if staged is not None:
                amounts[line.index][block] = target  # a row's view: NumPy's 1-D scatter is faster
            after_line(frame, self.compiled, position, self.refs, block)
        self.totals.finish(block_total, amounts, block)
        if staged is not None:
            total[block] = block_total

    def line(
        self,
        code: LineCode,
        frame: Frame,
        block: slice | IntArray,
        out: FloatArray,
        scratch: FloatArray,
        spare: FloatArray,
        row_values: Mapping[ir.Expr, float] | None = None,
    ) -> LineTrace | None:
        """One line's rounded amounts for one block, into ``out``.

        With ``row_values`` (every node's value on a one-row block), also the line's trace.
        """
        values = [frame.values[s] for s in code.inputs]
        read = None if row_values is None else [_first(v) for v in values]
        policy = apply_policy(self.card, code, values, block, self.data, frame.complete)
        values = steady_clauses(code, frame, policy.values)
        detail = self.amounts(code, values, block, out, (scratch, spare), read, row_values)
        if policy.silenced is not None:
            out[policy.silenced] = 0.0
        if code.magnitude is not None and needs_bound(code.line, values):
            self.onto_halves(code.magnitude, out, block)
        traced = None
        if detail is not None:
            missing = self.card.missing if policy.applied else None
            traced = LineTrace(detail=detail, amount=_first(out), missing=missing)
        if not code.whole_units:
            round_half_up(out, self.unit, out=out, scratch=scratch)
        return traced

    def amounts(
        self,
        code: LineCode,
        values: list[Any],
        block: slice | IntArray,
        out: FloatArray,
        work: tuple[FloatArray, FloatArray],
        read: list[float] | None,
        row_values: Mapping[ir.Expr, float] | None,
    ) -> LineDetail | None:
        """The line's amounts before rounding, by its kind.

        With ``read`` (its inputs as read on a one-row block), also the line's trace.
        """
        line = code.line
        match line:
            case ir.FixedLine():  # written in the card, or from the data (LANGUAGE.md 9)
                out[...] = values[0] if values else literal(line)
                return None if read is None else FixedTrace(line=line, amount=_first(out))
            case ir.ByLine():
                key = self.by_line(code, line, block, out)
                return None if read is None else ByTrace(line=line, key=key)
            case ir.ShareLine():
                out[...] = self.shares[line.pool][block]
                if read is None:
                    return None
                row = block.start if isinstance(block, slice) else block[0]
                return share_trace(line, self.splits, int(row))
            case ir.BalanceLine():
                trace = None if read is None else BalanceTrace(line=line)
                given = balance_clauses(line, values[1:], block, len(out))
                error = None
                if code.value_magnitude is not None:
                    error = self.value_error(code.value_magnitude, step_scale(line), block)
                balance(values[0], out, line, work[0], work[1], trace, error, given)
                return trace
            case ir.CommissionLine():
                return self.commission_line(code, line, values, block, out, work[0], read)
            case ir.BonusLine():
                return bonus_line(line, values, out, read, row_values)
            case _:
                assert_never(line)

    def commission_line(
        self,
        code: LineCode,
        line: ir.CommissionLine,
        values: list[Any],
        block: slice | IntArray,
        out: FloatArray,
        scratch: FloatArray,
        read: list[float] | None,
    ) -> CommissionTrace | None:
        """Commission on the line's base; with ``read``, its trace (from the base as read)."""
        scale = values[1] if line.scale is not None else None
        magnitude = code.value_magnitude
        error = None if magnitude is None else self.value_error(magnitude, 1.0, block)
        trace = None
        if read is not None:
            trace = CommissionTrace(line=line, base=read[0], parts=tier_parts(line, read[0]))
        given = commission_clauses(line, values, block, len(out))
        commission(values[0], scale, out, line, scratch, trace, error, given)
        if trace is not None and read is not None and line.scale is not None:
            trace.scale = read[1]
            trace.scaled = trace.unscaled * read[1]
        return trace

    def value_error(self, magnitude: Code, per: float, block: slice | IntArray) -> ErrorBound:
        """The float error of a cancelling value at given positions of the block, × ``per``.

        ``per`` is ``1 / step`` for a balance rule (the error in steps), 1 for a commission base.
        """

        def error(local: IntArray) -> FloatArray:
            rows = global_rows(block, local)
            (bound,) = run_code(magnitude, self.data, self.params, rows, self.refs)
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
        rows = global_rows(block, local)
        (bound,) = run_code(magnitude, self.data, self.params, rows, self.refs)
        near = out[local]
        onto_halves(near, AMOUNT_ERROR * np.asarray(bound), self.unit)
        out[local] = near

    def by_line(
        self, code: LineCode, line: ir.ByLine, block: slice | IntArray, out: FloatArray
    ) -> str:
        """``base by COLUMN { … }``: amounts looked up by each row's key; the first row's key."""
        assert code.by_kernel is not None  # noqa: S101 - compiled with the line
        column = self.data.text if line.column in self.data.text else self.data.numeric
        values = column[line.column][block]
        try:
            code.by_kernel(values, out)
        except BadValues as bad:
            rows = global_rows(block, np.flatnonzero(bad.mask))
            raise DataError(bad.message, column=line.column, rows=rows) from None
        return str(values[0]) if len(values) else ""

    def trace(self, row: int, amounts: Mapping[str, float], total: float) -> RowTrace:
        """Every figure of one row's explanation, given its payroll amounts and total."""
        rows = np.array([row], dtype=np.intp)
        frame = Frame(self.compiled.code, self.params, 1, keep_all=True)
        frame.load(self.data, rows)
        self.refs = from_row(self.card, amounts, self.unit)
        frame.fill(self.refs, rows)
        frame.run(1, rows)
        row_values = {
            node: _first(frame.values[slot])
            for node, slot in self.compiled.code.slot_of.items()
            if frame.values[slot] is not None
        }
        lines = {}
        out, scratch, spare = (np.empty(1) for _ in range(3))
        for code in self.compiled.lines:
            traced = self.line(code, frame, rows, out, scratch, spare, row_values)
            assert traced is not None  # noqa: S101 - row_values asks for it
            lines[code.line.name] = traced
        min_pay = None
        if self.card.min_pay is not None:
            topup = amounts.get("min_pay_topup", 0.0)
            min_pay = MinPayTrace(min_pay=self.card.min_pay, lines_total=total - topup, topup=topup)
        return RowTrace(
            card=self.card,
            values=row_values,
            kpis=score_points(self.card, row_values),
            lines=lines,
            amounts=amounts,
            total=total,
            min_pay=min_pay,
            matrices=matrix_rows(self.card, row_values, self.data, row),
        )


def _first(values: Any) -> float:
    """The first row's value: a trace runs on one row."""
    return float(np.asarray(values).reshape(-1)[0])


def _length(block: slice | IntArray) -> int:
    if isinstance(block, slice):
        return int(block.stop - block.start)
    return len(block)
