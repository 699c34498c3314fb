"""Hypothesis building blocks for the random books: short decimals, fresh names, and the
values lines read (file indicators, tables, scores, scales, conditions), each drawn with data
that lands on its edges."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from .model import (
    Bin,
    Cmp,
    Cond,
    Expr,
    Indicator,
    Kpi,
    Logic,
    Lookup,
    Name,
    Not,
    Num,
    Pool,
    Score,
    Table,
)

Draw = Any  # hypothesis' draw function

# Known disagreement classes to leave out of a campaign, to look for others behind them:
# "subtract" (half cents after subtracting large amounts), "ties" (tied pool remainders),
# "retroactive" (retroactive commissions), "indicator" (file indicators that subtract).
AVOID = set(os.environ.get("KSF_ORACLE_AVOID", "").split(","))


def text(value: Fraction) -> str:
    """A finite decimal as plain digits (``Fraction(369, 200)`` → ``"1.845"``)."""
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
        if places > 30:
            raise ValueError(f"{value} is not a short decimal")
    digits = str(abs(value * 10**places).numerator).rjust(places + 1, "0")
    whole, frac = digits[: len(digits) - places], digits[len(digits) - places :]
    sign = "-" if value < 0 else ""
    return sign + whole + ("." + frac if frac else "")


def percent(value: Fraction) -> str:
    """A value written as a percent (``Fraction(3, 10)`` → ``"30%"``)."""
    return text(value * 100) + "%"


def decimal(draw: Draw, low: int, high: int, places: int) -> Fraction:
    """A decimal in [low, high] with at most ``places`` decimals."""
    return Fraction(draw(st.integers(low * 10**places, high * 10**places)), 10**places)


def short(draw: Draw, low: int, high: int) -> Fraction:
    """A decimal in [low, high] with 0 to 2 decimals."""
    return decimal(draw, low, high, draw(st.integers(0, 2)))


def maybe(draw: Draw, make: Any) -> Any:
    """``make()`` or None, half the time each."""
    return make() if draw(st.booleans()) else None


@dataclass
class Builder:
    """The book and the data being drawn, with fresh names for everything."""

    draw: Draw
    rows: int
    count: int = 0
    numbers: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    pools: list[Pool] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)

    def fresh(self, prefix: str) -> str:
        """A new name (``x3``, ``t4``...)."""
        self.count += 1
        return f"{prefix}{self.count}"

    def column(self, values: list[Fraction]) -> str:
        """A new number column holding these values."""
        name = self.fresh("x")
        self.numbers[name] = [text(v) for v in values]
        return name

    def each(self, pick: Any) -> list[Fraction]:
        """One value per row from ``pick(draw)``."""
        return [pick(self.draw) for _ in range(self.rows)]


def source(b: Builder, values: list[Fraction]) -> str:
    """A column holding ``values``, or a file indicator that computes them by hand exactly:
    a difference of large amounts or a ratio of two columns."""
    kind = b.draw(st.sampled_from(["column", "column", "difference", "ratio"]))
    if kind == "column" or "subtract" in AVOID or (kind == "difference" and "indicator" in AVOID):
        return b.column(values)
    if kind == "difference":
        large = [short(b.draw, 100000, 9999999) for _ in values]
        expr: Expr = Bin(
            "-",
            Name(b.column([v + x for v, x in zip(values, large, strict=True)])),
            Name(b.column(large)),
        )
    else:
        below = [
            Fraction(b.draw(st.sampled_from([1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100])))
            for _ in values
        ]
        expr = Bin(
            "/",
            Name(b.column([v * d for v, d in zip(values, below, strict=True)])),
            Name(b.column(below)),
        )
    name = b.fresh("m")
    b.indicators.append(Indicator(name, expr))
    return name


# -- commission rates ---------------------------------------------------------------------

RATES = ["30%", "0.75%", "2.5%", "1%", "15%", "10%", "0.3%", "4.5%", "12.5%", "20%", "3%"]


def half_cent(draw: Draw, rate: Fraction) -> Fraction | None:
    """A short decimal that ``rate`` turns into an exact half cent, if one is near."""
    start = draw(st.integers(0, 2000))
    for cents in range(start, start + 60):
        value = (Fraction(cents) + Fraction(1, 2)) / 100 / rate
        if (value * 10**4).denominator == 1:
            return value
    return None


# -- tables, scores, scales -----------------------------------------------------------------


def score(b: Builder) -> Name:
    """A new score with 1-3 KPIs on fresh columns, values on a grid of its bounds."""
    draw = b.draw
    count = draw(st.integers(1, 3))
    cuts = sorted(
        draw(st.lists(st.integers(1, 99), min_size=count - 1, max_size=count - 1, unique=True))
    )
    weights = [c - p for p, c in zip([0, *cuts], [*cuts, 100], strict=True)]
    kpis = []
    for weight in weights:
        sign = draw(st.sampled_from([1, -1]))
        base = decimal(draw, 50, 100, 0) / 100 if sign == 1 else decimal(draw, 5, 15, 1) / 100
        gap1 = decimal(draw, 1, 20, 1) / 100
        gap2 = decimal(draw, 1, 20, 1) / 100
        target, challenge = base + sign * gap1, base + sign * (gap1 + gap2)

        def value(
            d: Draw,
            base: Fraction = base,
            target: Fraction = target,
            gap1: Fraction = gap1,
            gap2: Fraction = gap2,
            sign: int = sign,
        ) -> Fraction:
            if d(st.booleans()):
                return base + sign * gap1 * Fraction(d(st.integers(-2, 8)), 8)
            return target + sign * gap2 * Fraction(d(st.integers(0, 6)), 4)

        kpis.append(
            Kpi(
                source(b, b.each(value)),
                f"{weight}%",
                percent(base),
                percent(target),
                percent(challenge),
                None if sign == 1 and draw(st.booleans()) else sign,
            )
        )
    marks = draw(
        st.none() | st.sampled_from([("50", "100", "150"), ("0", "80", "100"), ("60", "90", "100")])
    )
    name = b.fresh("s")
    b.scores.append(Score(name, tuple(kpis), marks))
    return Name(name)


def table(b: Builder, grid: list[Fraction]) -> str:
    """A new table whose thresholds come from ``grid`` (values its argument takes)."""
    draw = b.draw
    picks = sorted(set(draw(st.lists(st.sampled_from(grid), min_size=1, max_size=4))))
    if draw(st.booleans()):
        ops = [draw(st.sampled_from([">=", ">"])) for _ in picks]
        picks = picks[::-1]
    else:
        ops = [draw(st.sampled_from(["<=", "<"])) for _ in picks]
    values = [
        draw(st.sampled_from(["1.2", "1", "0.8", "0.5", "120%", "1.05", "0.333"])) for _ in picks
    ]
    name = b.fresh("t")
    b.tables.append(
        Table(name, tuple(zip(ops, (text(p) for p in picks), values, strict=True)), "0")
    )
    return name


SCORE_GRID = [Fraction(x, 2) for x in range(80, 250, 5)]


def lookup(b: Builder) -> Expr:
    """A table looked up on a score or on a column drawn at its thresholds."""
    if b.draw(st.booleans()):
        arg: Expr = score(b)
        return Lookup(table(b, SCORE_GRID), arg)
    grid = [short(b.draw, -100, 1000) for _ in range(4)]
    name = table(b, grid)
    values = b.each(
        lambda d: d(st.sampled_from(grid)) + d(st.sampled_from([0, 0, Fraction(1, 100), -1]))
    )
    return Lookup(name, Name(source(b, values)))


def scale(b: Builder) -> Expr:
    """A ``scaled_by`` value: a literal, a table lookup or a score over 100."""
    kind = b.draw(st.sampled_from(["number", "lookup", "score"]))
    if kind == "number":
        return Num(b.draw(st.sampled_from(["1.2", "0.5", "2", "0.333", "110%"])))
    if kind == "lookup":
        return lookup(b)
    return Bin("/", score(b), Num("100"))


# -- conditions ---------------------------------------------------------------------------


def condition(b: Builder, depth: int = 0) -> Cond:
    """A `when` condition whose two sides are often exactly equal by hand."""
    draw = b.draw
    if depth < 2 and draw(st.integers(0, 3)) == 0:
        if draw(st.booleans()):
            return Not(condition(b, depth + 1))
        return Logic(
            draw(st.sampled_from(["and", "or"])), condition(b, depth + 1), condition(b, depth + 1)
        )
    op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
    kind = draw(st.sampled_from(["column", "margin", "product", "score"]))
    if kind == "margin":  # 1 - cost / revenue against a percent
        limit = decimal(draw, 0, 100, 0) / 100
        revenue = [short(draw, 1, 100000) for _ in range(b.rows)]
        cost = [r * (1 - limit) + draw(st.sampled_from([0, 0, Fraction(1, 100)])) for r in revenue]
        left: Expr = Bin("-", Num("1"), Bin("/", Name(b.column(cost)), Name(b.column(revenue))))
        return Cmp(op, left, Num(percent(limit)))
    if kind == "product":  # 0.1 * 3 * x against 0.3 * x written out
        x = b.column(b.each(lambda d: short(d, 0, 1000000)))
        limit = short(draw, 0, 300000)
        return Cmp(op, Bin("*", Bin("*", Num("0.1"), Num("3")), Name(x)), Num(text(limit)))
    if kind == "score":
        return Cmp(op, score(b), Num(text(draw(st.sampled_from(SCORE_GRID)))))
    limit = short(draw, -100, 10000)
    values = b.each(lambda d: limit + d(st.sampled_from([0, 0, Fraction(1, 100), -1, 5])))
    return Cmp(op, Name(source(b, values)), Num(text(limit)))
