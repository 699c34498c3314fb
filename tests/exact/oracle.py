"""Pay a `model.Book` exactly, with `Fraction`, following LANGUAGE.md sections 1-8 as written.

Nothing here comes from ksf's own code: each function cites the paragraph it implements.
Rows are paid one at a time (this is a reference, not an engine).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from .model import (
    Allowance,
    Balance,
    Base,
    Bonus,
    Book,
    Call,
    Cmp,
    Commission,
    Cond,
    Data,
    Expr,
    Kpi,
    Line,
    Lookup,
    Name,
    Not,
    Num,
    Of,
    Pool,
    Score,
    Share,
    Table,
    number,
)

NOISE = Fraction(1, 10**9)  # section 7: one part in 10^9


# -- section 7: comparisons and rounding ----------------------------------------------------


def equal(a: Fraction, b: Fraction) -> bool:
    """Section 7: equal when they differ by less than 1e-9 of the larger magnitude, or by
    less than 1e-9 when both are below 1."""
    larger = max(abs(a), abs(b))
    if larger < 1:
        return abs(a - b) < NOISE
    return abs(a - b) < NOISE * larger


def compare(op: str, a: Fraction, b: Fraction) -> bool:
    """``a op b`` with section 7's equality."""
    same = equal(a, b)
    results = {
        "==": same,
        "!=": not same,
        ">=": same or a > b,
        "<=": same or a < b,
        ">": not same and a > b,
        "<": not same and a < b,
    }
    return results[op]


def half_up(value: Fraction, unit: Fraction) -> Fraction:
    """Section 7: round to the unit, half away from zero (0.125 → 0.13, -0.125 → -0.13)."""
    units = abs(value) / unit
    whole = math.floor(units + Fraction(1, 2))
    return (whole if value >= 0 else -whole) * unit


def clip(amount: Fraction, floor: str | None, cap: str | None) -> Fraction:
    """Clip to [floor, cap] where given (3.1, 3.2)."""
    if floor is not None:
        amount = max(amount, number(floor))
    if cap is not None:
        amount = min(amount, number(cap))
    return amount


# -- section 3.1: the balance rule ----------------------------------------------------------


def tiered(steps: Fraction, rate: Fraction, tiers: list[tuple[Fraction, Fraction]]) -> Fraction:
    """``steps`` (>= 0) paid ``rate`` each, and each tier's rate past its point (tax brackets).

    ``tiers`` are (steps from the balance point, rate), sorted by the point.
    """
    edges = [Fraction(0)] + [point for point, _ in tiers]
    rates = [rate] + [tier_rate for _, tier_rate in tiers]
    total = Fraction(0)
    for i, (start, each) in enumerate(zip(edges, rates, strict=True)):
        end = edges[i + 1] if i + 1 < len(edges) else None
        reach = steps if end is None else min(steps, end)
        if reach > start:
            total += (reach - start) * each
    return total


def whole_steps(delta: Fraction) -> Fraction:
    """3.1: delta rounded to 9 decimal places, then truncated toward zero."""
    scaled = half_up(delta, NOISE)
    return Fraction(math.trunc(scaled))


def balance_amount(rule: Balance, value: Fraction, sign: int) -> Fraction:
    """3.1: pot plus the step amount, clipped to [floor, cap]."""
    balance, step = number(rule.balance), number(rule.step)
    delta = sign * (value - balance) / step
    steps = delta if rule.prorate else whole_steps(delta)
    reward = number(rule.reward)
    penalty = reward if rule.penalty is None else number(rule.penalty)
    good = sorted((sign * (number(x) - balance) / step, number(r)) for x, r in rule.good)
    bad = sorted((-sign * (number(y) - balance) / step, number(p)) for y, p in rule.bad)
    if steps > 0:
        amount = tiered(steps, reward, good)
    elif steps < 0:
        amount = -tiered(-steps, penalty, bad)
    else:
        amount = Fraction(0)
    pot = Fraction(0) if rule.pot is None else number(rule.pot)
    return clip(pot + amount, rule.floor, rule.cap)


# -- section 3.2: commission ----------------------------------------------------------------


def commission_amount(line: Commission, value: Fraction, scale: Fraction) -> Fraction:
    """3.2: marginal tiers (the part above T earns R2) or retroactive (all at the tier
    reached, a tier reached when the value is >= its threshold), times the scale, clipped."""
    thresholds = [number(t) for t, _ in line.tiers]
    rates = [number(line.rate)] + [number(r) for _, r in line.tiers]
    if line.retroactive:
        reached = sum(1 for t in thresholds if compare(">=", value, t))
        amount = value * rates[reached]
    else:
        amount = rates[0] * (value if not thresholds else min(value, thresholds[0]))
        for i, start in enumerate(thresholds):
            end = thresholds[i + 1] if i + 1 < len(thresholds) else None
            reach = value if end is None else min(value, end)
            if reach > start:
                amount += (reach - start) * rates[i + 1]
    return clip(amount * scale, line.floor, line.cap)


# -- sections 4 and 5: tables and scores ----------------------------------------------------


def lookup(table: Table, value: Fraction) -> Fraction:
    """Section 4: the first row whose comparison holds wins, else the `else` value."""
    for op, threshold, result in table.rows:
        if compare(op, value, number(threshold)):
            return number(result)
    return number(table.otherwise)


def points(kpi: Kpi, value: Fraction, marks: tuple[Fraction, Fraction, Fraction]) -> Fraction:
    """Section 5: 0 on the bad side of the baseline, linear baseline→target (P0→P1),
    target→challenge (P1→P2), P2 past the challenge. Direction as in 3.1."""
    sign = kpi.direction or 1
    v = sign * value
    base, target, challenge = (sign * number(x) for x in (kpi.baseline, kpi.target, kpi.challenge))
    low, mid, high = marks
    if compare("<", v, base):
        return Fraction(0)
    if compare(">=", v, challenge):
        return high
    if compare(">=", v, target):
        return mid + (high - mid) * (v - target) / (challenge - target)
    return low + (mid - low) * (v - base) / (target - base)


def score_value(score: Score, read: Callable[[str], Fraction]) -> Fraction:
    """Section 5: the weighted sum of the KPIs' points."""
    texts = score.points or ("60", "100", "120")
    marks = (number(texts[0]), number(texts[1]), number(texts[2]))
    return sum(
        (number(k.weight) * points(k, read(k.column), marks) for k in score.kpis), Fraction(0)
    )


# -- expressions ----------------------------------------------------------------------------


@dataclass
class Row:
    """One row's view of the book: its values, the tables and the scores."""

    book: Book
    values: Mapping[str, Fraction]

    def read(self, name: str) -> Fraction:
        """Section 2 names: an indicator or score defined in the file first, then a column
        or a param."""
        for indicator in self.book.indicators:
            if indicator.name == name:
                return self.expr(indicator.expr)
        for score in self.book.scores:
            if score.name == name:
                return score_value(score, self.read)
        return self.values[name]

    def expr(self, e: Expr) -> Fraction:
        """The exact value of an expression."""
        if isinstance(e, Num):
            return number(e.text)
        if isinstance(e, Name):
            return self.read(e.name)
        if isinstance(e, Of):
            return number(e.percent) * self.expr(e.expr)
        if isinstance(e, Lookup):
            table = next(t for t in self.book.tables if t.name == e.table)
            return lookup(table, self.expr(e.arg))
        if isinstance(e, Call):
            args = [self.expr(a) for a in e.args]
            return {"min": min, "max": max}[e.fn](args) if e.fn != "abs" else abs(args[0])
        left, right = self.expr(e.left), self.expr(e.right)
        if e.op == "+":
            return left + right
        if e.op == "-":
            return left - right
        if e.op == "*":
            return left * right
        return left / right  # the strategies never divide by zero

    def cond(self, c: Cond) -> bool:
        """A condition, comparisons made as section 7 says."""
        if isinstance(c, Cmp):
            return compare(c.op, self.expr(c.left), self.expr(c.right))
        if isinstance(c, Not):
            return not self.cond(c.cond)
        if c.op == "and":
            return self.cond(c.left) and self.cond(c.right)
        return self.cond(c.left) or self.cond(c.right)

    def line(self, line: Line, shares: Mapping[str, Fraction]) -> Fraction:
        """A line's exact amount before rounding (3, 3.1, 3.2)."""
        if isinstance(line, (Base, Allowance)):
            return number(line.amount)
        if isinstance(line, Balance):
            return balance_amount(line, self.read(line.column), line.direction or 1)
        if isinstance(line, Commission):
            scale = Fraction(1) if line.scale is None else self.expr(line.scale)
            return commission_amount(line, self.expr(line.expr), scale)
        if isinstance(line, Bonus):
            if line.when is not None and not self.cond(line.when):
                return Fraction(0)
            scale = Fraction(1) if line.scale is None else self.expr(line.scale)
            return self.expr(line.amount) * scale
        assert isinstance(line, Share)
        return shares[line.pool]


# -- section 6: pools -----------------------------------------------------------------------


def split(pool: Fraction, weights: list[Fraction], unit: Fraction) -> list[Fraction]:
    """Section 6: pool × weight / total, rounded down to the unit, the units left over to the
    largest remainders, ties to the earlier row; the parts add up exactly to the pool."""
    total = sum(weights, Fraction(0))
    exact = [pool * w / total / unit for w in weights]
    whole = [math.floor(x) for x in exact]
    left = int(pool / unit) - sum(whole)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in order[:left]:
        whole[i] += 1
    return [w * unit for w in whole]


def pool_shares(
    book: Book, data: Data, values: list[dict[str, Fraction]]
) -> list[dict[str, Fraction]]:
    """Every row's part of every pool its card shares (rows outside a pool get nothing)."""
    unit = number(book.rounding)
    shares: list[dict[str, Fraction]] = [{} for _ in range(data.rows)]
    cards = {c.name: c for c in book.cards}
    for pool in book.pools:
        members = [
            r
            for r in range(data.rows)
            if any(
                isinstance(x, Share) and x.pool == pool.name
                for x in cards[card_of(book, data, r)].lines
            )
        ]
        groups: dict[str, list[int]] = {}
        for r in members:
            groups.setdefault(data.texts[pool.per][r] if pool.per else "", []).append(r)
        for rows in groups.values():
            amount = pool_amount(pool, Row(book, values[rows[0]]).read(pool.base), unit)
            weights = [values[r][pool.split] if pool.split else Fraction(1) for r in rows]
            for r, part in zip(rows, split(amount, weights, unit), strict=True):
                shares[r][pool.name] = part
    return shares


def pool_amount(pool: Pool, base: Fraction, unit: Fraction) -> Fraction:
    """Section 6: max(0, base − threshold) × share, capped, rounded to the unit (half-up)."""
    above = number(pool.above)
    amount = Fraction(0) if compare("<=", base, above) else (base - above) * number(pool.share)
    if pool.cap is not None:
        amount = min(amount, number(pool.cap))
    return half_up(amount, unit)


# -- the payroll ----------------------------------------------------------------------------


def card_of(book: Book, data: Data, row: int) -> str:
    """The row's card: the `card` column, or the book's only card."""
    if "card" in data.texts:
        return data.texts["card"][row]
    return book.cards[0].name


def line_names(book: Book, data: Data) -> list[str]:
    """Section 8: the line names of the cards the rows use, in card order, each once."""
    used = {card_of(book, data, r) for r in range(data.rows)}
    names: list[str] = []
    for card in book.cards:
        if card.name in used:
            topup = ["min_pay_topup"] if card.min_pay is not None else []
            names += [x for x in [*(x.name for x in card.lines), *topup] if x not in names]
    return names


def pay(book: Book, data: Data) -> dict[str, list[Fraction]]:
    """Every line's rounded amount per row, and ``total``: section 3's table, min_pay last."""
    unit = number(book.rounding)
    values = [
        {
            **{k: number(v) for k, v in data.params.items()},
            **{k: number(col[r]) for k, col in data.numbers.items()},
        }
        for r in range(data.rows)
    ]
    shares = pool_shares(book, data, values)
    names = line_names(book, data)
    out: dict[str, list[Fraction]] = {n: [Fraction(0)] * data.rows for n in [*names, "total"]}
    cards = {c.name: c for c in book.cards}
    for r in range(data.rows):
        card = cards[card_of(book, data, r)]
        row = Row(book, values[r])
        for line in card.lines:
            out[line.name][r] = half_up(row.line(line, shares[r]), unit)
        total = sum((out[x.name][r] for x in card.lines), Fraction(0))
        if card.min_pay is not None:
            topup = max(Fraction(0), half_up(number(card.min_pay), unit) - total)
            out["min_pay_topup"][r] = topup
            total += topup
        out["total"][r] = total
    return out
