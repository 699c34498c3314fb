"""Bound IR → card code (`ksf.code`), in named passes.

1. `lower`: expressions become a flat list of steps over slots; a node seen twice (an
   indicator read by three lines) is computed once, constants are folded.
2. `attach`: each line gets its input slots and, for lookups, its kernel.
3. `allocate`: registers get cache-sized buffers, reused after their last reader.

`PASSES` lists them in the order `compile_card` runs them.

No Lark, no AST: only `ksf.ir` in, `ksf.code` out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import assert_never

import attrs
import numpy as np

from ksf import ir
from ksf.code import CardCode, Code, LineCode, Step
from ksf.error_bounds import (
    compared_with_error,
    comparison_magnitude,
    line_magnitude,
    magnitude,
    value_magnitude,
)
from ksf.kernels.bonus import by_key
from ksf.kernels.lookup import lookup, lookup_within
from ksf.kernels.matrix import matrix_lookup
from ksf.kernels.score import score
from ksf.kernels.step import STEP_KERNELS, compare_within

FOLDABLE = frozenset({"add", "sub", "mul", "div", "neg", "abs", "min", "max"})
_COMPARES = frozenset({"lt", "le", "gt", "ge", "eq", "ne"})


class _Lowering:
    """Expressions → steps, sharing every repeated node (the work of the `lower` pass)."""

    def __init__(self) -> None:
        self.slot_of: dict[ir.Expr, int] = {}
        self.steps: list[Step] = []
        self.columns: dict[int, str] = {}
        self.params: dict[int, str] = {}
        self.consts: dict[int, float] = {}
        self.text_codes: dict[int, ir.TextCodes] = {}
        self.nodes: dict[int, ir.Expr] = {}
        self.refs: dict[int, ir.LineRef | ir.Subtotal] = {}  # filled by the card run
        self.n_slots = 0

    def new_slot(self, node: ir.Expr) -> int:
        slot = self.n_slots
        self.n_slots += 1
        self.slot_of[node] = slot
        self.nodes[slot] = node
        return slot

    def const(self, value: float) -> int:
        node = ir.Const(value)
        if node in self.slot_of:
            return self.slot_of[node]
        slot = self.new_slot(node)
        self.consts[slot] = value
        return slot

    def lower(self, node: ir.Expr) -> int:
        """The slot holding ``node``'s value, adding the steps that compute it."""
        if node in self.slot_of:
            return self.slot_of[node]
        match node:
            case ir.Const():
                return self.const(node.value)
            case ir.Column():
                slot = self.new_slot(node)
                self.columns[slot] = node.name
                return slot
            case ir.Param():
                slot = self.new_slot(node)
                self.params[slot] = node.name
                return slot
            case ir.TextCodes():
                slot = self.new_slot(node)
                self.text_codes[slot] = node
                return slot
            case ir.Group():
                # Computed over the whole evaluation before cards run (`ksf.groups`), then
                # read like a column of the data.
                slot = self.new_slot(node)
                self.columns[slot] = group_column(node)
                return slot
            case ir.Named():
                return self.named(node)
            case ir.Subtotal(count=0):
                return self.const(0.0)  # no line above: nothing to add up
            case ir.LineRef() | ir.Subtotal():
                slot = self.new_slot(node)
                self.refs[slot] = node
                return slot
            case ir.Free():
                msg = f"unbound name {node.name!r} reached the compiler"
                raise TypeError(msg)
            case ir.Op() | ir.Lookup() | ir.ScoreValue() | ir.MatrixLookup():
                return self.step(node)
            case _:
                assert_never(node)

    def named(self, node: ir.Named) -> int:
        """A definition shares its value's slot; explain shows the name, not the operation."""
        slot = self.lower(node.expr)
        self.slot_of[node] = slot
        self.nodes.setdefault(slot, node)
        if isinstance(self.nodes[slot], ir.Op | ir.Lookup | ir.ScoreValue | ir.MatrixLookup):
            self.nodes[slot] = node
        return slot

    def step(self, node: ir.Op | ir.Lookup | ir.ScoreValue | ir.MatrixLookup) -> int:
        """A step computing ``node`` from its children's slots, or a constant it folds to."""
        args = tuple(self.lower(child) for child in ir.children(node))
        if isinstance(node, ir.Op) and node.op in FOLDABLE and all(a in self.consts for a in args):
            return self.const(_fold(node.op, [self.consts[a] for a in args]))
        kernel, args = self.kernel(node, args)
        slot = self.new_slot(node)
        self.steps.append(Step(kernel, slot, args, node))
        return slot

    def kernel(
        self, node: ir.Op | ir.Lookup | ir.ScoreValue | ir.MatrixLookup, args: tuple[int, ...]
    ) -> tuple[Callable[..., None], tuple[int, ...]]:
        """The kernel computing ``node`` and its input slots.

        A comparison, lookup or score of a value that cancels digits (sales − refunds) also
        reads that value's magnitude, to compare it within its float error bound.
        """
        match node:
            case ir.Op(op=op) if op in _COMPARES and any(map(compared_with_error, node.args)):
                return compare_within(op), (*args, self.lower(comparison_magnitude(node)))
            case ir.Op(op=op):
                return STEP_KERNELS[op], args
            case ir.Lookup() if compared_with_error(node.arg):
                return lookup_within(node.table), (*args, self.lower(magnitude(node.arg)))
            case ir.Lookup():
                return lookup(node.table), args
            case ir.MatrixLookup():
                bounded = [compared_with_error(arg) for arg in node.args]
                extra = [magnitude(a) for a, b in zip(node.args, bounded, strict=True) if b]
                kernel = matrix_lookup(node.table, bounded)
                return kernel, (*args, *(self.lower(m) for m in extra))
            case ir.ScoreValue():
                kpis = node.score.kpis
                bounded = [compared_with_error(kpi.value) for kpi in kpis]
                extra = [magnitude(k.value) for k, b in zip(kpis, bounded, strict=True) if b]
                return score(node.score, bounded), (*args, *(self.lower(m) for m in extra))
            case _:
                assert_never(node)

    def code(self, outputs: Sequence[int]) -> Code:
        return Code(
            self.steps,
            self.columns,
            self.params,
            self.consts,
            self.nodes,
            tuple(outputs),
            self.n_slots,
            dict(self.slot_of),
            text_codes=dict(self.text_codes),
            refs=dict(self.refs),
        )


def group_column(node: ir.Group) -> str:
    """The synthetic column holding a group aggregate's values (`ksf.groups.with_groups`).

    Structural (spans and text excluded), so two spellings of one aggregate share it; the
    leading NUL keeps it apart from every data column name.
    """
    return "\0group " + repr(node)


def _fold(op: str, values: list[float]) -> float:
    out = np.empty(1)
    with np.errstate(all="ignore"):
        STEP_KERNELS[op](out, *(np.array([v]) for v in values))
    return float(out[0])


def assign_buffers(code: Code) -> None:
    """Give registers physical buffers, reusing a buffer once its last reader has run."""
    last_use: dict[int, int] = {}
    for position, step in enumerate(code.steps):
        for arg in step.args:
            last_use[arg] = position
    end = len(code.steps)
    for slot in code.outputs:
        last_use[slot] = end
    free: list[int] = []
    code.buffer_of = {}
    code.n_buffers = 0
    for position, step in enumerate(code.steps):
        if free:
            code.buffer_of[step.out] = free.pop()
        else:
            code.buffer_of[step.out] = code.n_buffers
            code.n_buffers += 1
        free.extend(
            code.buffer_of[arg]
            for arg in set(step.args)
            if arg in code.buffer_of and last_use.get(arg) == position
        )
        if last_use.get(step.out, -1) < position:  # a result nobody reads
            free.append(code.buffer_of[step.out])


def compile_exprs(exprs: Sequence[ir.Expr]) -> Code:
    """Code computing each expression; outputs in the same order."""
    lowering = _Lowering()
    outputs = [lowering.lower(e) for e in exprs]
    code = lowering.code(outputs)
    assign_buffers(code)
    return code


def _whole(value: ir.ClauseValue | None, unit: float) -> bool:
    """True when an amount is a whole number of money, so rounding it changes nothing.

    An amount read per row (LANGUAGE.md §9) may be any number, so it is rounded.
    """
    if isinstance(value, ir.PerRow):
        return False
    return value is None or (float(value).is_integer() and unit <= 1 and (1 / unit).is_integer())


def whole_units(line: ir.Line, unit: float) -> bool:
    """Whether a line's amount is always a whole number of rounding units (so not rounded)."""
    match line:
        case ir.FixedLine():
            return isinstance(line.amount, ir.Const) and _whole(line.amount.value, unit)
        case ir.ByLine():
            return all(_whole(a, unit) for a in line.amounts)
        case ir.BalanceLine():
            rates: list[ir.ClauseValue] = [t.rate for t in (*line.good, *line.bad)]
            rates += [b.rate for b in line.beyond]  # tiers placed per row are not in good/bad
            amounts = [line.pot, line.cap, line.floor, line.reward, line.penalty, *rates]
            return not line.prorate and all(_whole(a, unit) for a in amounts)
        case ir.ShareLine():
            return True  # pools are split in whole units (`ksf.money.allocate`)
        case ir.CommissionLine() | ir.BonusLine():
            return False
        case _:
            assert_never(line)


def card_inputs(card: ir.Card) -> tuple[ir.Expr, ...]:
    """Every expression a card's lines read."""
    return tuple(root for line in card.lines for root in ir.line_inputs(line))


@attrs.define
class _CardBuild:
    """A card on its way to `CardCode`: what each pass reads and what it leaves."""

    card: ir.Card
    index_of: Mapping[str, int]
    unit: float
    lowering: _Lowering = attrs.field(factory=_Lowering)
    inputs: list[tuple[int, ...]] = attrs.field(factory=list)  # by `lower`, per line
    stages: list[int] = attrs.field(factory=list)  # by `lower`: steps to run before each line
    lines: list[LineCode] = attrs.field(factory=list)  # by `attach`
    code: Code | None = None  # by `allocate`


def lower(build: _CardBuild) -> None:
    """Pass 1: every expression the lines read becomes steps over slots, shared when repeated.

    Lines are lowered in order, so the steps a line needs first come after those of the
    lines above it: a line that reads an earlier line's amount runs after it (`stages`).
    """
    lowering = build.lowering
    for line in build.card.lines:
        build.inputs.append(tuple(lowering.lower(e) for e in ir.line_inputs(line)))
        build.stages.append(len(lowering.steps))


def attach(build: _CardBuild) -> None:
    """Pass 2: each line gets its input slots, its `base by` kernel and its error bounds."""
    build.lines = [
        _line_code(line, build.index_of[line.name], inputs, build.unit)
        for line, inputs in zip(build.card.lines, build.inputs, strict=True)
    ]


def _line_code(line: ir.Line, index: int, inputs: tuple[int, ...], unit: float) -> LineCode:
    """A line's code: a whole-unit line is not rounded, so it needs no error bound either."""
    whole = whole_units(line, unit)
    bound = None if whole else line_magnitude(line)
    value_bound = value_magnitude(line)
    return LineCode(
        line,
        index,
        inputs,
        whole,
        by_key(line.keys, line.amounts) if isinstance(line, ir.ByLine) else None,
        compile_exprs([bound]) if bound is not None else None,
        compile_exprs([value_bound]) if value_bound is not None else None,
    )


def allocate(build: _CardBuild) -> None:
    """Pass 3: the steps become code whose registers share buffers (`assign_buffers`)."""
    build.code = build.lowering.code([slot for line in build.lines for slot in line.inputs])
    assign_buffers(build.code)


# The passes `compile_card` runs, in order; each reads what the ones before it left.
PASSES: tuple[Callable[[_CardBuild], None], ...] = (lower, attach, allocate)


def compile_card(
    card: ir.Card,
    index_of: Mapping[str, int],
    unit: float,
    domains: Mapping[str, ir.ColumnSpec] | None = None,
) -> CardCode:
    """Compile one bound card; ``index_of`` maps line names to payroll columns.

    ``domains``: the columns whose values the card must check (`checked_columns`).
    """
    build = _CardBuild(card, index_of, unit)
    for run in PASSES:
        run(build)
    assert build.code is not None  # noqa: S101 - `allocate` ran
    topup = index_of["min_pay_topup"] if card.min_pay is not None else None
    slot_of = build.lowering.slot_of
    # A column read only inside a group aggregate is checked by the pre-pass (`ksf.groups`)
    checks = tuple(
        (slot_of[ir.Column(name)], spec)
        for name, spec in (domains or {}).items()
        if ir.Column(name) in slot_of
    )
    if not build.code.refs:  # no line reads another: all steps run at once
        return CardCode(card, build.code, build.lines, topup, checks)
    return CardCode(
        card,
        build.code,
        build.lines,
        topup,
        checks,
        stages=tuple(build.stages),
        fills=_fills(card, build.code.refs),
    )


def _fills(
    card: ir.Card, refs: Mapping[int, ir.LineRef | ir.Subtotal]
) -> tuple[tuple[tuple[int, ir.LineRef | ir.Subtotal], ...], ...]:
    """For each line of the card, the reference slots its rounded amount completes."""
    position = {line.name: i for i, line in enumerate(card.lines)}
    after: list[list[tuple[int, ir.LineRef | ir.Subtotal]]] = [[] for _ in card.lines]
    for slot, node in refs.items():
        last = position[node.name] if isinstance(node, ir.LineRef) else node.count - 1
        after[last].append((slot, node))
    return tuple(tuple(found) for found in after)


def line_names(cards: Sequence[ir.Card]) -> list[str]:
    """Payroll line names: the union over cards, in card order as first seen."""
    names: dict[str, None] = {}
    for card in cards:
        for line in card.lines:
            names.setdefault(line.name, None)
        if card.min_pay is not None:
            names.setdefault("min_pay_topup", None)
    return list(names)
