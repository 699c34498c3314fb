"""Bound IR → compiled code, in named passes.

1. ``lower``: expressions become a flat list of steps over slots; a node seen twice (an
   indicator read by three lines) is computed once, constants are folded.
2. ``attach``: each line gets its input slots and, for lookups, its kernel.
3. ``allocate``: registers get cache-sized buffers, reused after their last reader.

No Lark, no AST: only `ksf.ir` in, `ksf.machine` code out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from ksf import ir, kernels
from ksf.machine import CardCode, Code, LineCode, Step, assign_buffers, walk

FOLDABLE = frozenset({"add", "sub", "mul", "div", "neg", "abs", "min", "max"})
_COMPARES = frozenset({"lt", "le", "gt", "ge", "eq", "ne"})


class _Lowering:
    """Pass 1: expressions → steps, sharing every repeated node."""

    def __init__(self) -> None:
        self.slot_of: dict[ir.Expr, int] = {}
        self.steps: list[Step] = []
        self.columns: dict[int, str] = {}
        self.params: dict[int, str] = {}
        self.consts: dict[int, float] = {}
        self.nodes: dict[int, ir.Expr] = {}
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
        if node in self.slot_of:
            return self.slot_of[node]
        if isinstance(node, ir.Const):
            return self.const(node.value)
        if isinstance(node, ir.Column):
            slot = self.new_slot(node)
            self.columns[slot] = node.name
            return slot
        if isinstance(node, ir.Param):
            slot = self.new_slot(node)
            self.params[slot] = node.name
            return slot
        if isinstance(node, ir.Named):
            slot = self.lower(node.expr)
            self.slot_of[node] = slot
            self.nodes.setdefault(slot, node)
            if isinstance(self.nodes[slot], ir.Op | ir.Lookup | ir.ScoreValue):
                self.nodes[slot] = node  # explain shows the name, not the operation
            return slot
        if isinstance(node, ir.Free):
            msg = f"unbound name {node.name!r} reached the compiler"
            raise TypeError(msg)
        args = tuple(self.lower(child) for child in ir.children(node))
        if isinstance(node, ir.Op) and node.op in FOLDABLE and all(a in self.consts for a in args):
            return self.const(_fold(node.op, [self.consts[a] for a in args]))
        kernel, args = self.kernel(node, args)
        slot = self.new_slot(node)
        self.steps.append(Step(kernel, slot, args, node))
        return slot

    def kernel(
        self, node: ir.Expr, args: tuple[int, ...]
    ) -> tuple[Callable[..., None], tuple[int, ...]]:
        """The kernel computing ``node`` and its input slots.

        A comparison, lookup or score of a value that cancels digits (sales − refunds) also
        reads that value's magnitude, to compare it within its float error bound.
        """
        if isinstance(node, ir.Op) and node.op in _COMPARES:
            if any(map(compared_with_error, node.args)):
                return kernels.compare_within(node.op), (
                    *args,
                    self.lower(comparison_magnitude(node)),
                )
            return kernels.STEP_KERNELS[node.op], args
        if isinstance(node, ir.Op):
            return kernels.STEP_KERNELS[node.op], args
        if isinstance(node, ir.Lookup):
            if compared_with_error(node.arg):
                return kernels.lookup_within(node.table), (*args, self.lower(magnitude(node.arg)))
            return kernels.lookup(node.table), args
        assert isinstance(node, ir.ScoreValue)  # noqa: S101 - the last expression kind
        bounded = [compared_with_error(kpi.value) for kpi in node.score.kpis]
        extra = [magnitude(k.value) for k, b in zip(node.score.kpis, bounded, strict=True) if b]
        return kernels.score(node.score, bounded), (*args, *(self.lower(m) for m in extra))

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
        )


def _fold(op: str, values: list[float]) -> float:
    out = np.empty(1)
    with np.errstate(all="ignore"):
        kernels.STEP_KERNELS[op](out, *(np.array([v]) for v in values))
    return float(out[0])


def compile_exprs(exprs: Sequence[ir.Expr]) -> Code:
    """Code computing each expression; outputs in the same order."""
    lowering = _Lowering()
    outputs = [lowering.lower(e) for e in exprs]
    code = lowering.code(outputs)
    assign_buffers(code)
    return code


def _whole(value: float | None, unit: float) -> bool:
    """True when an amount is a whole number of money, so rounding it changes nothing."""
    return value is None or (float(value).is_integer() and unit <= 1 and (1 / unit).is_integer())


def whole_units(line: ir.Line, unit: float) -> bool:
    """Pass 2 helper: can this line's amount ever have a fraction of the rounding unit?"""
    if isinstance(line, ir.FixedLine):
        return _whole(line.amount, unit)
    if isinstance(line, ir.ByLine):
        return all(_whole(a, unit) for a in line.amounts)
    if isinstance(line, ir.BalanceLine):
        rates = [t.rate for t in (*line.good, *line.bad)]
        amounts = [line.pot, line.cap, line.floor, *rates]
        return not line.prorate and all(_whole(a, unit) for a in amounts)
    return isinstance(line, ir.ShareLine)


def checked_columns(
    exprs: Sequence[ir.Expr],
    library: Mapping[str, ir.ColumnSpec],
    declared: Mapping[str, ir.ColumnSpec],
) -> dict[str, ir.ColumnSpec]:
    """The columns that bound expressions read whose values must lie in a declared domain.

    The file's own `column` declarations (``declared``) hold wherever the expressions read
    the column, and so do the standard library's (``library``): a count of orders is never
    negative, whether a standard indicator or a line reads it. A column named like a
    standard indicator (origin ``indicator``) stands in for the indicator.
    """
    found: dict[str, ir.ColumnSpec] = {}
    # One walk over every expression, so a definition read by many lines is visited once.
    for node in walk(ir.Op("inputs", tuple(exprs))):
        if isinstance(node, ir.Column) and node.name in declared:
            found[node.name] = declared[node.name]
        elif isinstance(node, ir.Column) and node.name in library:
            found[node.name] = library[node.name]
        elif isinstance(node, ir.Named) and node.origin == "library":
            for inner in walk(node.expr):
                name = inner.name if isinstance(inner, ir.Column) else ""
                if name in library and name not in declared:
                    found[name] = library[name]
    return {n: s for n, s in found.items() if s.low > -math.inf or s.high < math.inf}


def card_inputs(card: ir.Card) -> tuple[ir.Expr, ...]:
    """Every expression a card's lines read."""
    return tuple(root for line in card.lines for root in ir.line_inputs(line))


# ---- error bounds -------------------------------------------------------------------------

_CANCELS = frozenset({"add", "sub"})


def cancels(expr: ir.Expr) -> bool:
    """Whether an expression adds or subtracts values it reads (so it may cancel digits).

    Products, quotients and lookups carry an error of a few ulps of their own value; a
    difference of millions that comes to 6.15 carries the ulps of the millions, and so does a
    score with such a KPI (its points are linear in the KPI's value).
    """
    return any(
        (isinstance(node, ir.Op) and node.op in _CANCELS)
        or (isinstance(node, ir.ScoreValue) and any(cancels(k.value) for k in node.score.kpis))
        for node in _nodes(expr)
    )


def _nodes(expr: ir.Expr) -> list[ir.Expr]:
    """The arithmetic of an expression, without the inputs of its lookups and scores.

    A table's value is a number of the file and carries no float error of its input; a
    score's points carry their KPIs' (`cancels`, `magnitude`).
    """
    found, stack, seen = [], [expr], set()
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            found.append(node)
            if not isinstance(node, ir.Lookup | ir.ScoreValue):
                stack.extend(ir.children(node))
    return found


def _op(op: str, *args: ir.Expr) -> ir.Expr:
    return ir.Op(op, args)


def magnitude(expr: ir.Expr, memo: dict[int, ir.Expr] | None = None) -> ir.Expr:
    """An expression bounding the magnitudes that went into ``expr``'s float value.

    ``mag(a ± b) = mag(a) + mag(b)``, ``mag(a × b) = mag(a)·|b| + |a|·mag(b)``,
    ``mag(a / b) = mag(a)/|b| + |a|·mag(b)/b²``, and ``|x|`` for anything that cancels
    nothing. The float error of ``expr`` is below `ksf.money.AMOUNT_ERROR` × this.
    """
    memo = {} if memo is None else memo
    known = memo.get(id(expr))
    if known is not None:
        return known
    result = _magnitude(expr, memo)
    memo[id(expr)] = result
    return result


def _magnitude(expr: ir.Expr, memo: dict[int, ir.Expr]) -> ir.Expr:
    if isinstance(expr, ir.Const):
        return ir.Const(abs(expr.value))
    if isinstance(expr, ir.Named):
        return magnitude(expr.expr, memo)
    if isinstance(expr, ir.ScoreValue):
        return _score_magnitude(expr, memo)
    if not (isinstance(expr, ir.Op) and cancels(expr)):
        return _op("abs", expr)
    args = [magnitude(arg, memo) for arg in expr.args]
    if expr.op in _CANCELS:
        return _op("add", *args)
    if expr.op == "mul":
        a, b = expr.args
        return _product(args[0], _op("abs", a), args[1], _op("abs", b))
    if expr.op == "div":
        a, b = expr.args
        return _op(
            "add",
            _op("div", args[0], _op("abs", b)),
            _op("div", _op("mul", _op("abs", a), args[1]), _op("mul", b, b)),
        )
    if expr.op in ("min", "max") and len(args) > 1:
        return _op("max", *args)
    return args[0]  # neg, abs, and a one-argument min or max


def _product(mag_a: ir.Expr, abs_a: ir.Expr, mag_b: ir.Expr, abs_b: ir.Expr) -> ir.Expr:
    """``mag(a × b) = mag(a)·|b| + |a|·mag(b)``: each factor's error times the other factor.

    (Not ``mag(a)·mag(b)``: −41.075 × a score of 97.2 whose KPI subtracts 845,492 would
    then be off by 0.02, and no half cent could be told from one below it.)
    """
    return _op("add", _op("mul", mag_a, abs_b), _op("mul", abs_a, mag_b))


def _score_magnitude(expr: ir.ScoreValue, memo: dict[int, ir.Expr]) -> ir.Expr:
    """``|score| + Σ weight × slope × mag(kpi)`` over the KPIs that cancel digits.

    A KPI's points are linear between baseline, target and challenge, so an error ``e`` in
    its value moves them by at most the steeper slope × ``e``: a KPI of
    200,000.000125 − 200,000 with 40 points from 0% to 100% carries 40 × its error.
    """
    spec = expr.score
    low, mid, high = spec.points
    result: ir.Expr = _op("abs", expr)
    for kpi in spec.kpis:
        if not cancels(kpi.value):
            continue
        slopes = [
            abs(rise) / abs(run)
            for rise, run in (
                (mid - low, kpi.target - kpi.baseline),
                (high - mid, kpi.challenge - kpi.target),
            )
            if run != 0
        ]
        factor = abs(kpi.weight) * max(slopes, default=0.0)
        result = _op("add", result, _op("mul", magnitude(kpi.value, memo), ir.Const(factor)))
    return result


def comparison_magnitude(node: ir.Op) -> ir.Expr:
    """The magnitude bounding the float error of a comparison's two sides together."""
    return _op("add", *(magnitude(arg) for arg in node.args))


def line_magnitude(line: ir.Line) -> ir.Expr | None:
    """The magnitude bounding a line amount's float error, for lines that may cancel digits.

    None for lines whose amount carries only the few ulps of its own value (half-up rounding
    already allows for those), so that only such lines pay for the bound.
    """
    if isinstance(line, ir.CommissionLine) and (cancels(line.base) or _cancels(line.scale)):
        rate_sum = ir.Const(sum(abs(t.rate) for t in line.tiers))
        amount = _op("mul", magnitude(line.base), rate_sum)
        if line.scale is None:
            return amount
        size = _op("mul", _op("abs", line.base), rate_sum)  # at least the unscaled amount
        return _product(amount, size, magnitude(line.scale), _op("abs", line.scale))
    if isinstance(line, ir.BonusLine) and (cancels(line.amount) or _cancels(line.scale)):
        amount = magnitude(line.amount)
        if line.scale is None:
            return amount
        size = _op("abs", line.amount)
        return _product(amount, size, magnitude(line.scale), _op("abs", line.scale))
    if isinstance(line, ir.BalanceLine) and line.prorate:
        if not cancels(line.value) and abs(line.balance) / line.step < kernels.LARGE_BALANCE:
            return None
        value = _op("add", magnitude(line.value), ir.Const(abs(line.balance)))
        delta = _op("div", value, ir.Const(line.step))
        rates = sum(t.rate for t in (*line.good, *line.bad))
        return _op("add", _op("mul", delta, ir.Const(rates)), ir.Const(abs(line.pot)))
    return None


def value_magnitude(line: ir.Line) -> ir.Expr | None:
    """The magnitude bounding the float error of a value compared with whole steps or tiers.

    For a balance rule in whole steps, its value; for a retroactive commission, its base
    (whose tier is the highest threshold it reaches). None when the value cancels nothing,
    or only in a form whose error the comparison's own tolerance already bounds from the
    value itself (`kernels.step_noise`, LANGUAGE.md 7): ``x ± c`` with a constant ``c``, and
    a ratio such as ``(revenue − cogs) / revenue``, whose magnitude is
    ``1 + |cogs / revenue|``, below ``2 + |value|``. So only a rule on a difference of two
    figures (``sales − refunds``) looks at the rows just below a whole step or a threshold.
    """
    if isinstance(line, ir.CommissionLine) and line.retroactive and len(line.tiers) > 1:
        return None if _self_bounded(line.base) else magnitude(line.base)
    if not isinstance(line, ir.BalanceLine) or line.prorate or _self_bounded(line.value):
        return None
    return magnitude(line.value)


def _self_bounded(expr: ir.Expr) -> bool:
    """Whether an expression's float error is a few ulps of ``2 + |its value|`` at most."""
    while isinstance(expr, ir.Named):
        expr = expr.expr
    if not cancels(expr):
        return True
    if not isinstance(expr, ir.Op):
        return False
    if expr.op in _CANCELS:
        a, b = expr.args
        return (_constant(a) and _self_bounded(b)) or (_constant(b) and _self_bounded(a))
    if expr.op == "div":
        return _ratio(expr)
    if expr.op in ("neg", "abs"):
        return _self_bounded(expr.args[0])
    return False


def _ratio(expr: ir.Op) -> bool:
    """``(revenue − cogs) / revenue``: a quotient whose error is a few ulps of ``2 + |value|``."""
    top, bottom = (_unnamed(arg) for arg in expr.args)
    return (
        isinstance(top, ir.Op)
        and top.op in _CANCELS
        and not cancels(bottom)
        and any(_unnamed(arg) == bottom for arg in top.args)
        and all(not cancels(arg) for arg in top.args)
    )


def compared_with_error(expr: ir.Expr) -> bool:
    """Whether a value compared with a bound needs its float error bound (LANGUAGE.md 7).

    So it is for a KPI's baseline, a condition or a table row on a value that cancels digits,
    unless only as a ratio such as ``(revenue − cogs) / revenue``, whose error one part in
    10^9 already covers.
    """
    expr = _unnamed(expr)
    while isinstance(expr, ir.Op) and expr.op in ("neg", "abs"):
        expr = _unnamed(expr.args[0])
    if isinstance(expr, ir.Op) and expr.op == "div" and _ratio(expr):
        return False
    return cancels(expr)


def _unnamed(expr: ir.Expr) -> ir.Expr:
    while isinstance(expr, ir.Named):
        expr = expr.expr
    return expr


_READS = (ir.Column, ir.Param, ir.Free, ir.Lookup, ir.ScoreValue)


def _constant(expr: ir.Expr) -> bool:
    """Whether an expression reads no data (a number, or arithmetic of numbers)."""
    return not any(isinstance(node, _READS) for node in _nodes(expr))


def _cancels(expr: ir.Expr | None) -> bool:
    return expr is not None and cancels(expr)


def compile_card(
    card: ir.Card,
    index_of: Mapping[str, int],
    unit: float,
    domains: Mapping[str, ir.ColumnSpec] | None = None,
) -> CardCode:
    """Compile one bound card; ``index_of`` maps line names to payroll columns.

    ``domains``: the columns whose values the card must check (`checked_columns`).
    """
    lowering = _Lowering()
    lines = []
    for line in card.lines:
        inputs = tuple(lowering.lower(e) for e in ir.line_inputs(line))
        by_kernel = kernels.by_key(line.keys, line.amounts) if isinstance(line, ir.ByLine) else None
        whole = whole_units(line, unit)
        bound = None if whole else line_magnitude(line)
        value_bound = value_magnitude(line)
        lines.append(
            LineCode(
                line,
                index_of[line.name],
                inputs,
                whole,
                by_kernel,
                compile_exprs([bound]) if bound is not None else None,
                compile_exprs([value_bound]) if value_bound is not None else None,
            )
        )
    code = lowering.code([slot for line in lines for slot in line.inputs])
    assign_buffers(code)
    topup = index_of["min_pay_topup"] if card.min_pay is not None else None
    checks = tuple(
        (lowering.slot_of[ir.Column(name)], spec) for name, spec in (domains or {}).items()
    )
    return CardCode(card, code, lines, topup, checks)


def line_names(cards: Sequence[ir.Card]) -> list[str]:
    """Payroll line names: the union over cards, in card order as first seen."""
    names: dict[str, None] = {}
    for card in cards:
        for line in card.lines:
            names.setdefault(line.name, None)
        if card.min_pay is not None:
            names.setdefault("min_pay_topup", None)
    return list(names)
