"""A row's trace → text a finance person can check by hand.

`explanation_lines` lays out the list of text lines and `explain` joins them (the split
openfisca's computation log uses); `heading` is the first of them. Every figure comes from
the row's trace (`ksf.trace`), recorded by the kernels, the pool split and the card run that
computed the payroll; this module only lays figures out and computes none.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, assert_never

import numpy as np

from ksf import ir
from ksf.money import unit_decimals
from ksf.trace import (
    BalanceTrace,
    BonusTrace,
    ByTrace,
    CommissionTrace,
    FixedTrace,
    LineTrace,
    RowTrace,
    ShareTrace,
    node_value,
)

INDENT = "    "
# Enough digits for any float in positional notation (1.8e308 has 309 digits, 5e-324 shows
# 6 significant digits 323 places down): quantize must never round or raise.
_EXACT = Context(prec=400)


def money(value: float, places: int = 2) -> str:
    """An amount with thousands separators and cents (more places for a finer unit)."""
    return f"{value:,.{places}f}"


def unit_places(unit: float) -> int:
    """Decimal places an explanation shows: 2 for 0.01, 0.05 and 1; 3 for 0.001.

    Whole-yuan amounts still show cents here (50.00), so an explanation reads like a payslip.
    """
    return max(2, unit_decimals(unit))


def number(value: Any, unit: str | None = None) -> str:
    """A value as a person writes it: 0.335 → 33.5% for percentages, 820000 → 820,000."""
    x = float(np.asarray(value).reshape(-1)[0])
    if math.isnan(x):
        return "missing"
    if math.isinf(x):
        return "-∞" if x < 0 else "∞"
    if unit == "percent":
        return _plain(x * 100) + "%"
    return _plain(x)


def _plain(x: float) -> str:
    """Thousands separators and up to 6 decimals, never an exponent, for money.

    7499.9925 shows as 7,499.9925, not 7,499.99, which would hide the rounding still to come;
    a value under 1 keeps 6 significant digits (0.0000123, not 1.23e-05).
    """
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) < 1:
        return figure(x, 6)
    return figure(x, 0, decimals=6)


def figure(x: float, digits: int, *, decimals: int = 0, sign: bool = False) -> str:
    """``x`` to ``digits`` significant digits in positional notation: never an exponent.

    Unlike ``%g``, every digit left of the point is kept (1,039,520, not 1.03952e+06), with
    thousands separators, and at least ``decimals`` places; trailing zeros are dropped. The
    last digit is rounded half-up (四舍五入) on the figure as written (repr). ``sign`` writes
    ``+`` before a value that is not negative.

    Args:
        x: the value (an infinity shows as ∞).
        digits: significant digits to keep, at the least.
        decimals: places to keep, at the least.
        sign: write a ``+`` for values >= 0.
    """
    if math.isinf(x):
        return "-∞" if x < 0 else ("+∞" if sign else "∞")
    # The shortest decimal that reads back as x (repr): the figure a person typed, not the
    # binary expansion (1.5e300 is 15 and zeros; 2.675 rounds to 2.68 as written).
    written = Decimal(repr(x + 0.0))  # + 0.0: -0.0 shows as 0
    magnitude = written.adjusted() + 1 if written else 1  # digits left of the point
    places = max(digits - magnitude, decimals, 0)
    shown = written.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP, _EXACT)
    text = f"{shown:{'+' if sign else ''},f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _steps_before_truncation(delta: float, steps: float) -> str:
    """The distance in steps, with digits enough that it truncates to ``steps`` as written.

    Six significant digits read best, but 49.9999996 would show as 50 beside "49 whole
    steps"; the kernel truncates the distance rounded to 9 places, so that many are shown
    when fewer would cross a whole step.
    """
    shown = figure(delta, 6, decimals=1, sign=True)
    if math.trunc(Decimal(shown.replace(",", ""))) == steps:
        return shown
    return figure(round(delta, 9), 18, decimals=1, sign=True)


class _Writer:
    """Lays out one row's trace."""

    def __init__(self, trace: RowTrace, unit: float) -> None:
        self.trace = trace
        self.unit = unit
        self.places = unit_places(unit)
        self.out: list[str] = []

    def money(self, value: float) -> str:
        """An amount to the places of the rounding unit."""
        return money(value, self.places)

    def value_of(self, node: ir.Expr) -> float:
        """A node's value on the row."""
        return node_value(self.trace.values, node)

    def describe(self, node: ir.Expr, text: str, depth: int = 2) -> None:
        """The value of an input expression and the raw values it was computed from."""
        pad = INDENT * depth
        unit = None
        match node:
            case ir.Named():
                label, shown, unit = "", f"{node.name} = {node.text} = ", node.unit
            case ir.Column() | ir.Param():
                label, shown = node.name + " = ", ""
            case ir.Const() | ir.Free() | ir.Op() | ir.Lookup() | ir.ScoreValue() | ir.Group():
                label, shown = "", f"{text} = "
            case ir.MatrixLookup() | ir.TextCodes():
                label, shown = "", f"{text} = "
            case ir.LineRef() | ir.Subtotal():
                label, shown = "", ""
            case _:
                assert_never(node)
        if isinstance(node, ir.LineRef | ir.Subtotal):
            self.out.append(f"{pad}{self.leaf(node)}")
        else:
            self.out.append(f"{pad}{label}{shown}{number(self.value_of(node), unit)}")
        leaves = [
            n
            for n in _outside_groups(node)
            if n is not node
            and isinstance(n, ir.Column | ir.Param | ir.Named | ir.LineRef | ir.Subtotal)
        ]
        if leaves:
            parts = [self.leaf(n) for n in dict.fromkeys(leaves)]
            self.out.append(f"{pad}{INDENT}where " + ", ".join(parts))
        self.scores(node, depth + 1)
        self.matrices(node, depth + 1)
        self.groups(node, depth + 1)

    def groups(self, node: ir.Expr, depth: int) -> None:
        """Each group aggregate the value reads: the row's group, its size and the value."""
        pad = INDENT * depth
        for group in self.trace.groups:
            if any(n == group.node for n in ir.walk(node)):
                where = "all rows" if group.node.key is None else f"{group.node.key} = {group.key}"
                taken = f"{group.rows} row{'' if group.rows == 1 else 's'}"
                what = "rank" if group.node.op == "rank" else group.node.op
                self.out.append(
                    f"{pad}{group.node.text}: group {where}, {taken} → {what} {number(group.value)}"
                )

    def leaf(self, node: ir.Column | ir.Param | ir.Named | ir.LineRef | ir.Subtotal) -> str:
        """A value an input reads: a raw value, or a line above with its rounded amount."""
        value = self.value_of(node)
        match node:
            case ir.LineRef():
                return f"line {node.name} = {self.money(value)}"
            case ir.Subtotal():
                added = " + ".join(line.name for line in self.trace.card.lines[: node.count])
                return f"subtotal ({added}) = {self.money(value)}"
            case ir.Column() | ir.Param() | ir.Named():
                return f"{node.name} = {number(value, getattr(node, 'unit', None))}"
            case _:
                assert_never(node)

    def line(self, traced: LineTrace, rounded: float) -> None:
        """One line: its amount, then its arithmetic by kind."""
        detail = traced.detail
        self.out.append(f"{detail.line.name}: {self.money(rounded)}")
        pad = INDENT
        if traced.missing is not None:
            self.out.append(f"{pad}a value is missing; the card says `missing as {traced.missing}`")
        match detail:
            case FixedTrace() if not isinstance(detail.line.amount, ir.Const):
                self.out.append(f"{pad}amount:")  # from the data (LANGUAGE.md 9)
                self.describe(detail.line.amount, detail.line.text)
            case FixedTrace():
                amount = detail.amount
                shown = (
                    self.money(amount) if round(amount, self.places) == amount else number(amount)
                )
                self.out.append(f"{pad}fixed amount {shown}")
            case ByTrace():
                self.out.append(f"{pad}{detail.line.column} = {detail.key} → {self.money(rounded)}")
            case ShareTrace():
                self.share(detail)
            case BalanceTrace():
                self.balance(detail, traced.amount)
            case CommissionTrace():
                self.commission(detail, traced.amount)
            case BonusTrace():
                self.bonus(detail)
            case _:
                assert_never(detail)
        if traced.amount != rounded:
            self.out.append(
                f"{pad}{figure(traced.amount, 10, decimals=self.places + 4)} rounded half-up to "
                f"{number(self.unit)} → {self.money(rounded)}"
            )

    def share(self, share: ShareTrace) -> None:
        """A member's share: the group's pool, then the member's part of it."""
        spec = share.spec
        group = f" (group {share.group})" if share.group else ""
        self.out.append(
            f"{INDENT}pool {share.line.pool}{group}: base {spec.text or 'value'} = "
            f"{number(share.base)}"
        )
        self.out.append(
            f"{INDENT * 2}max(0, {number(share.base)} − {number(spec.threshold)}) × "
            f"{number(spec.share, 'percent')} = {number(share.past)}"
        )
        if spec.cap is not None:
            verdict = "applied" if share.capped else "not reached"
            self.out.append(f"{INDENT * 2}cap {number(spec.cap)}: {verdict}")
        self.out.append(f"{INDENT * 2}pool {self.money(share.pool)}")
        weight, of = number(share.weight), number(share.group_weight)
        self.out.append(
            f"{INDENT}weight {weight} of {of}: {self.money(share.pool)} × {weight} / {of} = "
            f"{number(share.exact)}, to the unit by largest remainder"
        )

    def scores(self, node: ir.Expr, depth: int) -> None:
        """Each KPI's value and points for every score an input reads."""
        for found in dict.fromkeys(_outside_groups(node)):  # a group's scores are other rows'
            if not (isinstance(found, ir.Named) and found in self.trace.kpis):
                continue  # not a score
            for kpi in self.trace.kpis[found]:
                self.out.append(
                    f"{INDENT * depth}{found.name}: {kpi.text} = "
                    f"{number(kpi.value)} → {number(kpi.points)} points × "
                    f"{number(kpi.weight * 100)}%"
                )

    def matrices(self, node: ir.Expr, depth: int) -> None:
        """The row of each decision matrix an input reads, with the keys that chose it."""
        for found in dict.fromkeys(ir.walk(node)):
            matrix = self.trace.matrices.get(found) if isinstance(found, ir.MatrixLookup) else None
            if matrix is None:
                continue
            spec = matrix.spec
            keys = ", ".join(
                f"{key} = {value if isinstance(value, str) else number(value)}"
                for key, value in zip(spec.keys, matrix.keys, strict=True)
            )
            if math.isnan(matrix.value):
                chosen = "a key is missing"
            elif matrix.row is None:
                chosen = f"else : {number(spec.otherwise)}"
            else:
                cells = ", ".join(cell.text for cell in spec.rows[matrix.row])
                chosen = f"row {matrix.row + 1}: {cells} : {number(spec.values[matrix.row])}"
            self.out.append(
                f"{INDENT * depth}{spec.name}({keys}) → {chosen} → {number(matrix.value)}"
            )

    def balance(self, trace: BalanceTrace, amount: float) -> None:
        """The balance rule: the value, its steps, what each tier's steps pay, floor and cap."""
        line, pad, row = trace.line, INDENT, trace.clauses
        assert row is not None  # noqa: S101 - the kernel records the row's clause values
        unit = line.value.unit if isinstance(line.value, ir.Named) else None
        self.out.append(f"{pad}value:")
        self.describe(line.value, line.text)
        for given in ir.per_row(line):  # clause values read per row (LANGUAGE.md §9)
            figure_unit = unit if given.clause in ("balance", "step") else None
            value = number(getattr(row, given.clause), figure_unit)
            self.out.append(f"{pad}{given.clause} {given.text} = {value} (this row's)")
        better = "higher" if (line.direction or 1) > 0 else "lower"
        first, second = (
            (trace.value, row.balance) if better == "higher" else (row.balance, trace.value)
        )
        self.out.append(
            f"{pad}balance {number(row.balance, unit)}, step {number(row.step, unit)}, "
            f"{better} is better: ({number(first, unit)} − {number(second, unit)}) / "
            f"{number(row.step, unit)} = "
            + (
                f"{figure(trace.steps, 9, decimals=1, sign=True)} steps (prorated)"
                if line.prorate
                else f"{_steps_before_truncation(trace.delta, trace.steps)} steps → "
                f"{figure(trace.steps, 6, sign=True)} whole steps"
            )
        )
        sign = "" if trace.steps > 0 else "−"
        parts = [f"{sign}{figure(p.size, 6, decimals=1)} × {number(p.rate)}" for p in trace.tiers]
        self.out.append(
            f"{pad}steps pay {' + '.join(parts) if parts else '0'} = {number(trace.step_amount)}"
        )
        if row.pot:
            self.out.append(
                f"{pad}plus the pot {self.money(row.pot)} = {number(trace.step_amount + row.pot)}"
            )
        self.clip(row.floor, row.cap, trace.unclipped, amount)

    def clip(self, floor: float | None, cap: float | None, before: float, after: float) -> None:
        """Floor and cap, and whether either applied."""
        if floor is None and cap is None:
            return
        bounds = ", ".join(
            b
            for b in (
                f"floor {number(floor)}" if floor is not None else "",
                f"cap {number(cap)}" if cap is not None else "",
            )
            if b
        )
        verdict = (
            f"applied: {number(before)} → {number(after)}" if before != after else "not reached"
        )
        self.out.append(f"{INDENT}{bounds}: {verdict}")

    def commission(self, trace: CommissionTrace, amount: float) -> None:
        """Commission: the base, the rates and the part of the base each applies to."""
        line, pad, row = trace.line, INDENT, trace.given
        assert row is not None  # noqa: S101 - the kernel records the row's rate, cap and floor
        self.out.append(f"{pad}base:")
        self.describe(line.base, line.text)
        for given in ir.per_row(line):  # clause values read per row (LANGUAGE.md §9)
            value = {"cap": row.cap, "floor": row.floor}.get(given.clause)
            shown = _rate(row.reward) if given.clause == "rate" else number(value)
            self.out.append(f"{pad}{given.clause} {given.text} = {shown} (this row's)")
        rates = ", ".join(
            (f"{_rate(t.rate)}" if i == 0 else f"{_rate(t.rate)} beyond {number(t.at)}")
            for i, t in enumerate(line.tiers)
        )
        rates = rates if line.rate is None else _rate(row.reward)
        kind = "retroactive" if line.retroactive else "marginal" if len(line.tiers) > 1 else ""
        unscaled = number(trace.unscaled)
        self.out.append(f"{pad}rate {rates}{' (' + kind + ')' if kind else ''} → {unscaled}")
        self.out.append(f"{pad}{INDENT}{_commission_parts(trace)} = {unscaled}")
        if line.scale is not None:
            self.out.append(f"{pad}scaled by:")
            self.describe(line.scale, line.scale_text)
            self.product(trace.unscaled, trace.scale, trace.scaled)
        self.clip(row.floor, row.cap, trace.unclipped, amount)

    def product(self, amount: float, scale: float, product: float) -> None:
        """``amount × scale = product``: the arithmetic of a `scaled_by` clause."""
        self.out.append(f"{INDENT}{number(amount)} × {number(scale)} = {number(product)}")

    def bonus(self, trace: BonusTrace) -> None:
        """A bonus: its amount, its scale and its condition."""
        line, pad = trace.line, INDENT
        self.out.append(f"{pad}amount:")
        self.describe(line.amount, line.text)
        if line.scale is not None:
            self.out.append(f"{pad}scaled by:")
            self.describe(line.scale, line.scale_text)
            if trace.paid:  # an unpaid bonus's product is no part of the arithmetic
                self.product(trace.amount, trace.scale, trace.scaled)
        if line.when is not None:
            self.out.append(f"{pad}condition {'holds' if trace.paid else 'does not hold'}:")
            self.describe(line.when, line.when_text)
            for near in trace.near_equal:  # equal only up to float noise (LANGUAGE.md 7)
                self.out.append(
                    f"{INDENT * 3}compared {number(near.left)} {near.symbol} "
                    f"{number(near.right)}, equal up to float noise"
                )

    def min_pay(self) -> None:
        """The ``min_pay`` top-up, for a card that has one."""
        top = self.trace.min_pay
        if top is None:
            return
        before, topup = self.money(top.lines_total), self.money(top.topup)
        verdict = (
            f"the lines add up to {before}, below it: top-up {topup}"
            if top.topup
            else f"the lines add up to {before}: no top-up"
        )
        self.out.append(f"min_pay_topup: {topup}")
        self.out.append(f"{INDENT}min_pay {self.money(top.min_pay)}; {verdict}")


def _commission_parts(trace: CommissionTrace) -> str:
    """``1,000,000 × 0.75% + 300,000 × 1%``: the part of the base each rate applies to."""
    line = trace.line
    if line.retroactive and len(line.tiers) > 1:
        return f"the whole {number(trace.base)} × {number(trace.rate, 'percent')}"
    parts = [f"{number(p.size)} × {number(p.rate, 'percent')}" for p in trace.parts]
    rate = number(line.tiers[0].rate, "percent")
    return " + ".join(parts) if parts else f"{number(trace.base)} × {rate}"


def _rate(rate: float) -> str:
    """A tier's rate as written: 0.0075 → 0.75%, 0.0000001 → 0.00001%."""
    return figure(rate * 100, 6) + "%"


def _outside_groups(node: ir.Expr) -> list[ir.Expr]:
    """The nodes of an expression, leaving out what a group aggregate reads of other rows."""
    found, stack, seen = [], [node], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:  # an indicator read twice is one node: visit it once
            continue
        seen.add(id(current))
        found.append(current)
        if not isinstance(current, ir.Group):
            stack.extend(reversed(ir.children(current)))
    return found


def heading(row: int, ident: object | None, card: ir.Card) -> str:
    """The first line of an explanation: who (the id and the row) and which card."""
    who = f"{ident} (row {row})" if ident is not None else f"row {row}"
    label = f' "{card.label}"' if card.label else ""
    return f"{who}, card {card.name}{label}"


def explanation_lines(trace: RowTrace, heading: str, unit: float, currency: str) -> list[str]:
    """The explanation of one row, as a list of text lines."""
    writer = _Writer(trace, unit)
    writer.out.append(heading)
    for line in trace.card.lines:
        writer.line(trace.lines[line.name], trace.amounts[line.name])
    writer.min_pay()
    writer.out.append(
        f"total: {writer.money(trace.total)} {currency} (the sum of the rounded lines)"
    )
    return writer.out


def explain(trace: RowTrace, heading: str, unit: float, currency: str) -> str:
    """The explanation of one row as text: `explanation_lines`, joined."""
    return "\n".join(explanation_lines(trace, heading, unit, currency))
