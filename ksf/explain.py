"""A row's trace → text a finance person can check by hand.

`lines` builds the list of text lines and `explain` joins them (the split openfisca's
computation log uses). The numbers all come from the kernels' own trace of the row; this
module only lays them out.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

import attrs
import numpy as np

from ksf import ir, kernels
from ksf.code import CardCode
from ksf.error_bounds import compared_with_error, comparison_magnitude, magnitude
from ksf.money import AMOUNT_ERROR, unit_decimals
from ksf.pools import past_threshold

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


def _scalar(value: Any) -> float:
    return float(np.asarray(value).reshape(-1)[0])


class _Writer:
    """Formats one row's trace."""

    def __init__(self, compiled: CardCode, trace: dict[str, Any], unit: float) -> None:
        self.code = compiled.code
        self.slots: dict[int, Any] = trace["slots"]
        self.records: dict[str, dict[str, Any]] = trace["lines"]
        self.unit = unit
        self.places = unit_places(unit)
        self.out: list[str] = []

    def money(self, value: float) -> str:
        """An amount to the places of the rounding unit."""
        return money(value, self.places)

    def value_of(self, node: ir.Expr) -> Any:
        if isinstance(node, ir.Const):
            return node.value
        slot = self.code.slot_of.get(node)
        return self.slots.get(slot) if slot is not None else math.nan

    def describe(self, node: ir.Expr, text: str, depth: int = 2) -> None:
        """The value of an input expression and the raw values it was computed from."""
        pad = INDENT * depth
        unit = node.unit if isinstance(node, ir.Named) else None
        shown = (
            f"{node.name} = {node.text} = "
            if isinstance(node, ir.Named)
            else ("" if isinstance(node, ir.Column | ir.Param) else f"{text} = ")
        )
        label = node.name + " = " if isinstance(node, ir.Column | ir.Param) else ""
        self.out.append(f"{pad}{label}{shown}{number(self.value_of(node), unit)}")
        leaves = [
            n
            for n in ir.walk(node)
            if n is not node and isinstance(n, ir.Column | ir.Param | ir.Named)
        ]
        if leaves:
            parts = [
                f"{n.name} = {number(self.value_of(n), getattr(n, 'unit', None))}"
                for n in dict.fromkeys(leaves)
            ]
            self.out.append(f"{pad}{INDENT}where " + ", ".join(parts))
        self.scores(node, depth + 1)

    def line(self, code_line: ir.Line, rounded: float) -> None:
        record = self.records[code_line.name]
        self.out.append(f"{code_line.name}: {self.money(rounded)}")
        pad = INDENT
        if "missing" in record:
            self.out.append(
                f"{pad}a value is missing; the card says `missing as {record['missing']}`"
            )
        if isinstance(code_line, ir.FixedLine):
            amount = code_line.amount
            shown = self.money(amount) if round(amount, self.places) == amount else number(amount)
            self.out.append(f"{pad}fixed amount {shown}")
        elif isinstance(code_line, ir.ByLine):
            self.out.append(
                f"{pad}{code_line.column} = {record.get('key', '')} → {self.money(rounded)}"
            )
        elif isinstance(code_line, ir.ShareLine):
            self.share(code_line, record["pool"])
        elif isinstance(code_line, ir.BalanceLine):
            self.balance(code_line, record)
        elif isinstance(code_line, ir.CommissionLine):
            self.commission(code_line, record)
        elif isinstance(code_line, ir.BonusLine):
            self.bonus(code_line, record)
        amount = _scalar(record["amount"])
        if amount != rounded:
            self.out.append(
                f"{pad}{figure(amount, 10, decimals=self.places + 4)} rounded half-up to "
                f"{number(self.unit)} → {self.money(rounded)}"
            )

    def share(self, line: ir.ShareLine, pool: dict[str, Any]) -> None:
        spec: ir.PoolSpec = pool["spec"]
        group = f" (group {pool['group']})" if str(pool["group"]) else ""
        base = float(pool["base"])
        raw = float(past_threshold(np.array([base]), spec.threshold)[0]) * spec.share
        self.out.append(
            f"{INDENT}pool {line.pool}{group}: base {spec.text or 'value'} = {number(base)}"
        )
        self.out.append(
            f"{INDENT * 2}max(0, {number(base)} − {number(spec.threshold)}) × "
            f"{number(spec.share, 'percent')} = {number(raw)}"
        )
        if spec.cap is not None:
            verdict = "applied" if raw > spec.cap else "not reached"
            self.out.append(f"{INDENT * 2}cap {number(spec.cap)}: {verdict}")
        self.out.append(f"{INDENT * 2}pool {self.money(float(pool['pool']))}")
        weight, of, amount = float(pool["weight"]), float(pool["group_weight"]), float(pool["pool"])
        self.out.append(
            f"{INDENT}weight {number(weight)} of {number(of)}: {self.money(amount)} × "
            f"{number(weight)} / {number(of)} = {number(amount * weight / of)}, "
            "to the unit by largest remainder"
        )

    def scores(self, node: ir.Expr, depth: int) -> None:
        """Each KPI's value and points for every score an input reads."""
        for found in dict.fromkeys(ir.walk(node)):
            if not (isinstance(found, ir.Named) and isinstance(found.expr, ir.ScoreValue)):
                continue
            spec = found.expr.score
            for kpi in spec.kpis:
                points = np.empty(1)
                single = ir.ScoreSpec(spec.name, (attrs.evolve(kpi, weight=1.0),), spec.points)
                inputs = [self.value_of(kpi.value)]
                bounded = compared_with_error(kpi.value)  # its baseline within its float error
                if bounded:
                    inputs.append(self.value_of(magnitude(kpi.value)))
                kernels.score(single, [bounded])(points, *inputs)
                self.out.append(
                    f"{INDENT * depth}{found.name}: {kpi.text} = "
                    f"{number(self.value_of(kpi.value))} → {number(points[0])} points × "
                    f"{number(kpi.weight * 100)}%"
                )

    def balance(self, line: ir.BalanceLine, record: dict[str, Any]) -> None:
        pad = INDENT
        unit = line.value.unit if isinstance(line.value, ir.Named) else None
        self.out.append(f"{pad}value:")
        self.describe(line.value, line.text)
        value = _scalar(record["inputs"][0])
        if math.isnan(value):  # the card's `missing as` policy: the value the kernel used
            value = line.balance if record.get("missing") == "balance" else 0.0
        better = "higher" if (line.direction or 1) > 0 else "lower"
        delta, steps = _scalar(record["delta"]) + 0.0, _scalar(record["steps"]) + 0.0
        first, second = (value, line.balance) if better == "higher" else (line.balance, value)
        self.out.append(
            f"{pad}balance {number(line.balance, unit)}, step {number(line.step, unit)}, "
            f"{better} is better: ({number(first, unit)} − {number(second, unit)}) / "
            f"{number(line.step, unit)} = "
            + (
                f"{figure(steps, 9, decimals=1, sign=True)} steps (prorated)"
                if line.prorate
                else f"{_steps_before_truncation(delta, steps)} steps → "
                f"{figure(steps, 6, sign=True)} whole steps"
            )
        )
        parts = _tier_parts(steps, line)
        step_amount = _scalar(record["step_amount"])
        self.out.append(
            f"{pad}steps pay {' + '.join(parts) if parts else '0'} = {number(step_amount)}"
        )
        if line.pot:
            self.out.append(
                f"{pad}plus the pot {self.money(line.pot)} = {number(step_amount + line.pot)}"
            )
        self.clip(line.floor, line.cap, record)

    def clip(self, floor: float | None, cap: float | None, record: dict[str, Any]) -> None:
        if floor is None and cap is None:
            return
        before, after = _scalar(record["unclipped"]), _scalar(record["amount"])
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

    def commission(self, line: ir.CommissionLine, record: dict[str, Any]) -> None:
        pad = INDENT
        self.out.append(f"{pad}base:")
        self.describe(line.base, line.text)
        rates = ", ".join(
            (f"{_rate(t.rate)}" if i == 0 else f"{_rate(t.rate)} beyond {number(t.at)}")
            for i, t in enumerate(line.tiers)
        )
        kind = "retroactive" if line.retroactive else "marginal" if len(line.tiers) > 1 else ""
        unscaled = _scalar(record["unscaled"])
        self.out.append(
            f"{pad}rate {rates}{' (' + kind + ')' if kind else ''} → {number(unscaled)}"
        )
        base = _scalar(record["inputs"][0])
        self.out.append(
            f"{pad}{INDENT}{_commission_parts(line, base, record)} = {number(unscaled)}"
        )
        if line.scale is not None:
            self.out.append(f"{pad}scaled by:")
            self.describe(line.scale, line.scale_text)
            self.product(unscaled, _scalar(record["inputs"][1]))
        self.clip(line.floor, line.cap, record)

    def product(self, amount: float, scale: float) -> None:
        """``amount × scale = product``: the arithmetic of a `scaled_by` clause."""
        self.out.append(f"{INDENT}{number(amount)} × {number(scale)} = {number(amount * scale)}")

    def bonus(self, line: ir.BonusLine, record: dict[str, Any]) -> None:
        pad = INDENT
        self.out.append(f"{pad}amount:")
        self.describe(line.amount, line.text)
        holds = line.when is None or _scalar(record["inputs"][-1]) != 0
        if line.scale is not None:
            self.out.append(f"{pad}scaled by:")
            self.describe(line.scale, line.scale_text)
            if holds:  # an unpaid bonus's product is no part of the arithmetic
                self.product(_scalar(record["inputs"][0]), _scalar(record["inputs"][1]))
        if line.when is not None:
            self.out.append(f"{pad}condition {'holds' if holds else 'does not hold'}:")
            self.describe(line.when, line.when_text)
            self.comparisons(line.when, 3)

    def comparisons(self, node: ir.Expr, depth: int) -> None:
        """Comparisons whose two sides were equal only up to float noise (LANGUAGE.md 7).

        ``1 - cost/revenue`` is 0.19999999999999996 in floats and 0.2 by hand; the line says
        it was compared as 0.2, equal to the 20% on the other side.
        """
        for found in ir.walk(node):
            if not (isinstance(found, ir.Op) and found.op in _SYMBOLS):
                continue
            left, right = (_scalar(self.value_of(arg)) for arg in found.args)
            error = 0.0  # the float error of a side that cancels digits (sales - refunds)
            if any(map(compared_with_error, found.args)):
                error = AMOUNT_ERROR * _scalar(self.value_of(comparison_magnitude(found)))
            if left != right and (_equal(left, right) or abs(left - right) <= error):
                self.out.append(
                    f"{INDENT * depth}compared {number(left)} {_SYMBOLS[found.op]} "
                    f"{number(right)}, equal up to float noise"
                )


_SYMBOLS = {"lt": "<", "le": "<=", "gt": ">", "ge": ">=", "eq": "==", "ne": "!="}


def _equal(a: float, b: float) -> bool:
    """Equal as LANGUAGE.md 7 compares: within one part in 10^9 (10^-9 below 1)."""
    return abs(a - b) < kernels.EQUAL * max(abs(a), abs(b), 1.0)


def _commission_parts(line: ir.CommissionLine, base: float, record: dict[str, Any]) -> str:
    """``1,000,000 × 0.75% + 300,000 × 1%``: the part of the base each rate applies to."""
    if line.retroactive and len(line.tiers) > 1:
        reached = _scalar(record["rate"])
        return f"the whole {number(base)} × {number(reached, 'percent')}"
    parts = []
    for tier, following in zip(line.tiers, (*line.tiers[1:], None), strict=True):
        end = following.at if following is not None else math.inf
        first = tier.at == -math.inf  # the base rate: everything up to the first tier
        inside = min(base, end) - (0.0 if first else tier.at)
        if inside > 0 or (first and inside != 0):
            parts.append(f"{number(inside)} × {number(tier.rate, 'percent')}")
    rate = number(line.tiers[0].rate, "percent")
    return " + ".join(parts) if parts else f"{number(base)} × {rate}"


def _rate(rate: float) -> str:
    """A tier's rate as written: 0.0075 → 0.75%, 0.0000001 → 0.00001%."""
    return figure(rate * 100, 6) + "%"


def _tier_parts(steps: float, line: ir.BalanceLine) -> list[str]:
    """``5 × 200 + 2 × 300``: the steps in each tier and its rate."""
    tiers = line.good if steps > 0 else line.bad
    size = abs(steps)
    parts = []
    for tier, following in zip(tiers, (*tiers[1:], None), strict=True):
        end = following.at if following is not None else math.inf
        inside = min(size, end) - tier.at
        if inside > 0:
            sign = "" if steps > 0 else "−"
            parts.append(f"{sign}{figure(inside, 6, decimals=1)} × {number(tier.rate)}")
    return parts


def lines(
    compiled: CardCode,
    trace: dict[str, Any],
    amounts: dict[str, float],
    total: float,
    heading: str,
    unit: float,
    currency: str,
) -> list[str]:
    """The explanation of one row, as a list of text lines."""
    writer = _Writer(compiled, trace, unit)
    writer.out.append(heading)
    for line in compiled.card.lines:
        writer.line(line, amounts[line.name])
    if compiled.card.min_pay is not None:
        topup = amounts.get("min_pay_topup", 0.0)
        before = total - topup
        verdict = (
            f"the lines add up to {writer.money(before)}, below it: top-up {writer.money(topup)}"
            if topup
            else f"the lines add up to {writer.money(before)}: no top-up"
        )
        writer.out.append(f"min_pay_topup: {writer.money(topup)}")
        writer.out.append(f"{INDENT}min_pay {writer.money(compiled.card.min_pay)}; {verdict}")
    writer.out.append(f"total: {writer.money(total)} {currency} (the sum of the rounded lines)")
    return writer.out


def explain(*args: Any) -> str:
    """The explanation of one row as text; see `lines` for the arguments."""
    return "\n".join(lines(*args))
