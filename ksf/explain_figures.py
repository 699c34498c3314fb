"""How explanations and payslips write figures: amounts, percentages, steps, never an exponent.

Split from `ksf.explain`, which lays a row's trace out with them; `ksf.reasons` (a payslip's
one-line reasons) writes its figures the same way.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

import numpy as np

from ksf import ir
from ksf.explain_words import Lang, line_word, say
from ksf.money import unit_decimals
from ksf.spelling import ZH
from ksf.trace import ClauseFigures, CommissionTrace, ShareTrace

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


def number(value: Any, unit: str | None = None, lang: Lang = "en") -> str:
    """A value as a person writes it: 0.335 → 33.5% for percentages, 820000 → 820,000."""
    x = float(np.asarray(value).reshape(-1)[0])
    if math.isnan(x):
        return say(lang, "missing")
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


def steps_before_truncation(delta: float, steps: float) -> str:
    """The distance in steps, with digits enough that it truncates to ``steps`` as written.

    Six significant digits read best, but 49.9999996 would show as 50 beside "49 whole
    steps"; the kernel truncates the distance rounded to 9 places, so that many are shown
    when fewer would cross a whole step.
    """
    shown = figure(delta, 6, decimals=1, sign=True)
    if math.trunc(Decimal(shown.replace(",", ""))) == steps:
        return shown
    return figure(round(delta, 9), 18, decimals=1, sign=True)


def commission_parts(trace: CommissionTrace, lang: Lang) -> str:
    """``1,000,000 × 0.75% + 300,000 × 1%``: the part of the base each rate applies to."""
    line, base = trace.line, number(trace.base, None, lang)
    if line.retroactive and (len(line.tiers) > 1 or line.beyond):
        return say(lang, "whole_base", base=base, rate=number(trace.rate, "percent"))
    parts = [f"{number(p.size)} × {number(p.rate, 'percent')}" for p in trace.parts]
    rate = number(line.tiers[0].rate, "percent")
    return " + ".join(parts) if parts else f"{base} × {rate}"


def commission_tiers(line: ir.CommissionLine, row: ClauseFigures) -> list[tuple[float, float]]:
    """The traced row's tiers, (threshold, rate), the first at -inf: written or read per row."""
    if line.beyond:
        return [(-math.inf, row.reward), *row.tiers]
    first = [(-math.inf, row.reward)] if line.rate is not None else []
    return first or [(t.at, t.rate) for t in line.tiers]


def beyond_read(
    points: tuple[ir.Beyond, ...], read: tuple[float, ...], unit: str | None, lang: Lang
) -> list[str]:
    """The `beyond` points (in the value's unit) and amounts read for this row (§9)."""
    lines = []
    for given, value in zip(ir.beyond_per_row(points), read, strict=True):
        shown = number(value, unit if given.clause == "beyond" else None, lang)
        shown = rate_text(value) if given.clause == "beyond rate" else shown
        clause = beyond_clause(given, points, lang)
        lines.append(" " * 4 + say(lang, "this_row", clause=clause, text=given.text, value=shown))
    return lines


def pool_read(share: ShareTrace, lang: Lang) -> list[str]:
    """A pool's `above`, `share` and `cap` read per row (§9), with this row's values."""
    values = {"above": share.threshold, "share": share.share, "cap": share.cap}
    lines = []
    for given in ir.pool_per_row(share.spec):
        value = values[given.clause]
        shown = number(value, "percent" if given.clause == "share" else None, lang)
        clause = ZH.get(given.clause, given.clause) if lang == "zh" else given.clause
        said = say(lang, "this_row", clause=clause, text=given.text, value=shown)
        lines.append(" " * 8 + said)
    return lines


def beyond_clause(given: ir.PerRow, points: tuple[ir.Beyond, ...], lang: Lang) -> str:
    """How a `beyond` value read per row is named: ``beyond``, or ``beyond stretch_gm reward``.

    A point is named by the keyword, an amount by the clause it is the amount of.
    """
    word = {"en": {}, "zh": ZH}[lang]
    if given.clause == "beyond":
        return word.get("beyond", "beyond")
    point = next(b for b in points if b.rate is given)
    at = point.at.text if isinstance(point.at, ir.PerRow) else point.text
    return f"{word.get('beyond', 'beyond')} {at} {word.get(point.kind, point.kind)}"


def rate_text(rate: float) -> str:
    """A tier's rate as written: 0.0075 → 0.75%, 0.0000001 → 0.00001%."""
    return figure(rate * 100, 6) + "%"


def outside_groups(node: ir.Expr) -> list[ir.Expr]:
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


def named(node: ir.Named | ir.Column | ir.Param, lang: Lang) -> str:
    """An indicator or a score by its label in Chinese (毛利率), else by its name."""
    label = node.label if isinstance(node, ir.Named) else None
    return label if lang == "zh" and label else node.name


def line_name(line: ir.Line, lang: Lang) -> str:
    """A line's heading: ksf's own names in ``lang`` (底薪), an indicator's line by its label.

    A line named after its indicator is titled by the label in Chinese, as payslips do.
    """
    value = line.value if isinstance(line, ir.BalanceLine) else None
    if isinstance(value, ir.Named) and value.name == line.name:
        return named(value, lang)
    return line_word(line.name, lang)
