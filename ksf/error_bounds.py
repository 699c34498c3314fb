"""Float error bounds: how far a value computed in floats may be from the decimal one.

Most values carry a few ulps of their own size, which the tolerance of comparisons
(LANGUAGE.md 7) and of half-up rounding already allow for. A value that adds or subtracts
(``sales − refunds``) carries the ulps of what it subtracted; for those, `magnitude` builds
an IR expression bounding that error, which `ksf.codegen` compiles and `ksf.card_run` runs
on the few rows near a step, a threshold or a half cent.
"""

from __future__ import annotations

import math
from typing import assert_never

import attrs

from ksf import ir
from ksf.kernels.balance import LARGE_BALANCE
from ksf.money import AMOUNT_ERROR

_CANCELS = frozenset({"add", "sub"})
GROUP_SUMS = frozenset({"sum", "mean"})  # group aggregates that add values up


def cancels(expr: ir.Expr) -> bool:
    """Whether an expression adds or subtracts values it reads (so it may cancel digits).

    Products, quotients and lookups carry an error of a few ulps of their own value; a
    difference of millions that comes to 6.15 carries the ulps of the millions, and so does a
    score with such a KPI (its points are linear in the KPI's value).
    """
    return any(
        (isinstance(node, ir.Op) and node.op in _CANCELS)
        or (isinstance(node, ir.ScoreValue) and any(cancels(k.value) for k in node.score.kpis))
        or (isinstance(node, ir.Group) and node.op in GROUP_SUMS)
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
            # A group's value is an input to the card: computed over other rows (`ksf.groups`)
            if not isinstance(node, ir.Lookup | ir.MatrixLookup | ir.ScoreValue | ir.Group):
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
    match expr:
        case ir.Const():
            return ir.Const(abs(expr.value))
        case ir.Named():
            return magnitude(expr.expr, memo)
        case ir.ScoreValue():
            return _score_magnitude(expr, memo)
        case ir.Op() if cancels(expr):
            return _op_magnitude(expr, memo)
        case ir.Group(op=op, expr=inner) if op in GROUP_SUMS and inner is not None:
            # A group sum is near correctly rounded (`ksf.groups.group_sums`), so its error is
            # its rows' errors added up: the same aggregate of their magnitudes.
            return attrs.evolve(expr, expr=magnitude(inner, memo), text="")
        case ir.Op() | ir.Lookup() | ir.Column() | ir.Param() | ir.Free() | ir.Group():
            return _op("abs", expr)
        case ir.MatrixLookup() | ir.TextCodes():
            return _op("abs", expr)
        case ir.LineRef() | ir.Subtotal():
            return _op("abs", expr)  # a rounded amount: no float error beyond its own value
        case _:
            assert_never(expr)


def _op_magnitude(expr: ir.Op, memo: dict[int, ir.Expr]) -> ir.Expr:
    """The magnitude of an operation on values that cancel digits, from its arguments'."""
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

    A KPI's points are linear from baseline to target and from target to challenge, flat
    before and past them (the step up at the baseline is a comparison made with the KPI's
    error bound, `ksf.kernels.score`): an error ``e`` in its value moves them by at most ``e``
    × the steepest slope of the segments within ``e`` of it (`_slope_near`). A KPI of
    200,000.000125 − 200,000 with 40 points from 0% to 100% carries 40 × its error.
    """
    spec = expr.score
    low, mid, high = spec.points
    result: ir.Expr = _op("abs", expr)
    for kpi in spec.kpis:
        if not cancels(kpi.value):
            continue
        size = magnitude(kpi.value, memo)
        b, t, c = (_clause(kpi.baseline), _clause(kpi.target), _clause(kpi.challenge))
        near = (kpi.value, _op("mul", ir.Const(AMOUNT_ERROR), size))  # ± its float error
        slopes = [
            _slope_near(abs(kpi.weight * rise), x, y, near)
            for rise, x, y in ((mid - low, b, t), (high - mid, t, c))
            if not (isinstance(x, ir.Const) and isinstance(y, ir.Const) and x == y)
        ]
        if slopes:  # (a segment of no width is a step)
            factor = slopes[0] if len(slopes) == 1 else _op("max", *slopes)
            result = _op("add", result, _op("mul", size, factor))
    return result


def _slope_near(rise: float, x: ir.Expr, y: ir.Expr, near: tuple[ir.Expr, ir.Expr]) -> ir.Expr:
    """``rise / |y − x|`` where ``value ± error`` may lie between ``x`` and ``y``, else 0.

    Points are flat off the segment; the comparisons are tolerant (LANGUAGE.md 7,
    `ksf.kernels.step.compare_within`), holding more often than exact ones: safe.
    """
    value, error = near  # (y ≠ x: rows out of order are refused, literal ones left out)
    slope = _op("div", ir.Const(rise), _op("abs", _op("sub", y, x)))
    lo, hi = _op("min", x, y), _op("max", x, y)
    meets = _op(
        "and", _op("ge", _op("add", value, error), lo), _op("le", _op("sub", value, error), hi)
    )
    return _op("mul", slope, meets)


def comparison_magnitude(node: ir.Op) -> ir.Expr:
    """The magnitude bounding the float error of a comparison's two sides together."""
    return _op("add", *(magnitude(arg) for arg in node.args))


def line_magnitude(line: ir.Line) -> ir.Expr | None:
    """The magnitude bounding a line amount's float error, for lines that may cancel digits.

    None for lines whose amount carries only the few ulps of its own value (half-up rounding
    already allows for those), so that only such lines pay for the bound.
    """
    match line:
        case ir.CommissionLine():
            return _commission_magnitude(line)
        case ir.BonusLine() if cancels(line.amount) or _cancels(line.scale):
            amount = magnitude(line.amount)
            if line.scale is None:
                return amount
            size = _op("abs", line.amount)
            return _product(amount, size, magnitude(line.scale), _op("abs", line.scale))
        case ir.BalanceLine() if line.prorate:
            return _prorated_magnitude(line)
        case ir.FixedLine() if cancels(line.amount):
            return magnitude(line.amount)
        case ir.BonusLine() | ir.BalanceLine() | ir.FixedLine() | ir.ByLine() | ir.ShareLine():
            return None
        case _:
            assert_never(line)


def _commission_magnitude(line: ir.CommissionLine) -> ir.Expr | None:
    """A commission's bound: its base's magnitude times its steepest rate, and its scale's.

    Plain, marginal and retroactive commission are piecewise linear in the base with slopes
    the tiers' rates, so an error ``e`` in the base moves the amount by at most the largest
    ``|rate|`` × ``e`` (not the sum of the rates). Which tier a retroactive base reaches is
    a comparison, made with the base's own error bound (`value_magnitude`); a cap or a floor
    only clips, which moves no two amounts further apart. A plain or retroactive amount is
    one product (its own ulps are half-up rounding's); a marginal one adds a part per tier.
    """
    if not (cancels(line.base) or _cancels(line.scale)):
        return None
    tiers, base = _tiers(line), line.base
    rates = [_op("abs", rate) for _, rate in tiers]
    size, slope = magnitude(base), rates[0] if len(rates) == 1 else _op("max", *rates)
    for at, _ in tiers[len(tiers) if line.retroactive else 1 :]:  # a marginal one's tiers:
        # a few roundings each, of up to 2 × (|base| + |at|) × the steepest rate
        size = _op("add", size, _op("add", _op("abs", base), _op("abs", at)))
    amount = _op("mul", size, slope)
    if line.scale is None:
        return amount
    # |A'·S' − A·S| ≤ |A|·err(S) + |S'|·err(A) (' in floats, `_product`); |A| ≤ |A'| + err(A)
    unscaled = _unscaled(base, tiers, line.retroactive)
    size = _op("add", unscaled, _op("mul", ir.Const(AMOUNT_ERROR), amount))
    return _product(amount, size, magnitude(line.scale), _op("abs", line.scale))


def _tiers(line: ir.CommissionLine) -> list[tuple[ir.Expr, ir.Expr]]:
    """A commission's tiers as (threshold, rate): numbers, or read per row (LANGUAGE.md §9)."""
    first = ir.Const(line.tiers[0].rate) if line.rate is None else line.rate.expr
    tiers: tuple[ir.Tier | ir.Beyond, ...] = (*line.tiers[1:], *line.beyond)
    return [(ir.Const(-math.inf), first), *((_clause(t.at), _clause(t.rate)) for t in tiers)]


def _unscaled(base: ir.Expr, tiers: list[tuple[ir.Expr, ir.Expr]], retro: bool) -> ir.Expr:
    """At least the magnitude of a commission before its scale (LANGUAGE.md 3.2).

    Plain and marginal: ``|amount|`` by the kernel's own arithmetic (`ksf.kernels.commission`).
    Retroactive: ``|base|`` × the largest ``|rate|`` of the tiers the kernel may take: those
    the base reaches once its float error ``e`` is added (`tiers_reached` lifts a base by no
    more) and whose next threshold ``base − e`` may not reach. The tolerant comparisons
    (LANGUAGE.md 7, `ksf.kernels.step.compare_within`) only let more tiers in.
    """
    if retro and len(tiers) > 1:
        error = _op("mul", ir.Const(AMOUNT_ERROR), magnitude(base))
        up, down = _op("add", base, error), _op("sub", base, error)
        rates: list[ir.Expr] = []
        for i, (at, rate) in enumerate(tiers):
            taken = rate if i == 0 else _op("mul", rate, _op("ge", up, at))  # ``base + e`` reaches
            if i + 1 < len(tiers):  # and ``base − e`` may not reach the next one
                taken = _op("mul", taken, _op("le", down, tiers[i + 1][0]))
            rates.append(_op("abs", taken))
        return _op("mul", _op("abs", base), _op("max", *rates))
    amount, previous = _op("mul", base, tiers[0][1]), tiers[0][1]
    for at, rate in tiers[1:]:  # the part above each tier, at the change of rate
        part = _op("max", _op("sub", base, at), ir.Const(0.0))
        amount = _op("add", amount, _op("mul", part, _op("sub", rate, previous)))
        previous = rate
    return _op("abs", amount)


def _prorated_magnitude(line: ir.BalanceLine) -> ir.Expr | None:
    """A prorated balance rule's bound: its distance in steps times every rate, plus the pot.

    Clause values read per row (LANGUAGE.md §9) enter the bound as the expressions they are.
    """
    balance, step = line.balance, line.step
    literal = isinstance(balance, float) and isinstance(step, float)
    if (
        literal
        and not cancels(line.value)
        and abs(_number(balance)) / _number(step) < LARGE_BALANCE
    ):
        return None
    value = _op("add", magnitude(line.value), _op("abs", _clause(balance)))
    delta = _op("div", value, _clause(step))
    rates: ir.Expr = ir.Const(sum(t.rate for t in (*line.good, *line.bad)))
    if not (line.good or line.bad):  # rates, or tiers, placed per row
        rates = _op("add", _op("abs", _clause(line.reward)), _op("abs", _clause(line.penalty)))
        for b in line.beyond:  # an amount read per row enters as the expression it is
            rates = _op("add", rates, _op("abs", _clause(b.rate)))
    return _op("add", _op("mul", delta, rates), _op("abs", _clause(line.pot)))


def _number(value: ir.ClauseValue) -> float:
    return value if isinstance(value, float) else math.nan


def _clause(value: ir.ClauseValue) -> ir.Expr:
    """A clause's value as an expression: its number, or what it reads per row."""
    return value.expr if isinstance(value, ir.PerRow) else ir.Const(value)


def value_magnitude(line: ir.Line) -> ir.Expr | None:
    """The magnitude bounding the float error of a value compared with whole steps or tiers.

    For a balance rule in whole steps, its value; for a retroactive commission, its base
    (whose tier is the highest threshold it reaches). None when the value cancels nothing,
    or only in a form whose error the comparison's own tolerance already bounds from the
    value itself (`ksf.kernels.balance.step_noise`, LANGUAGE.md 7): ``x ± c`` with a
    constant ``c``, and a ratio such as ``(revenue − cogs) / revenue``, whose magnitude is
    ``1 + |cogs / revenue|``, below ``2 + |value|``. So only a rule on a difference of two
    figures (``sales − refunds``) looks at the rows just below a whole step or a threshold.
    """
    match line:
        case ir.CommissionLine() if line.retroactive and (len(line.tiers) > 1 or line.beyond):
            return None if _self_bounded(line.base) else magnitude(line.base)
        case ir.BalanceLine() if isinstance(line.step, ir.PerRow) and not line.prorate:
            # In steps already: the kernel's error bound is scaled by 1 / step per row.
            bound = None if _self_bounded(line.value) else magnitude(line.value)
            return None if bound is None else _op("div", bound, line.step.expr)
        case ir.BalanceLine() if not line.prorate and not _self_bounded(line.value):
            return magnitude(line.value)
        case (
            ir.CommissionLine()
            | ir.BalanceLine()
            | ir.BonusLine()
            | ir.FixedLine()
            | ir.ByLine()
            | ir.ShareLine()
        ):
            return None
        case _:
            assert_never(line)


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


_READS = (
    ir.Column,
    ir.Param,
    ir.Free,
    ir.Lookup,
    ir.ScoreValue,
    ir.MatrixLookup,
    ir.TextCodes,
    ir.Group,
)


def _constant(expr: ir.Expr) -> bool:
    """Whether an expression reads no data (a number, or arithmetic of numbers)."""
    return not any(isinstance(node, _READS) for node in _nodes(expr))


def _cancels(expr: ir.Expr | None) -> bool:
    return expr is not None and cancels(expr)
