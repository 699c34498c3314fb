"""Payout curves: what one balance or commission line pays across its indicator's range.

`curve` evaluates the line with the real kernels: the card's line alone (no other lines,
no minimum pay), its indicator replaced by a column that sweeps the range, so the amounts
are exactly what `Rulebook.evaluate` pays at each value. A commission ``scaled_by`` a
table (``perf_coefficient(review)``) is drawn once per value of the table; one scaled by a
column or a score, whose values only the data knows, is drawn at 1 with a note saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_never

import attrs
import numpy as np

from ksf import ir, versions
from ksf._typing import FloatArray
from ksf.catalogue import io as say
from ksf.errors import UnknownCardError
from ksf.explain_words import Lang
from ksf.message import Keyword, Message
from ksf.plot import held, words
from ksf.rulebook import Rulebook, standard_library

PLOTTABLE = "balance lines (KSF factors) and commission lines"
MAX_STEPS = 400  # steps either side of the balance point, at most
SAMPLES = 4000


@attrs.frozen
class Curve:
    """A line's payout at evenly spaced values of what it reads, and where it changes."""

    card: str
    line: str
    kind: str  # "balance" or "commission"
    indicator: str  # what the x axis sweeps
    percent: bool  # the indicator is a rate shown as a percentage
    values: FloatArray
    amounts: FloatArray
    marks: tuple[tuple[str, float], ...]  # vertical: ("balance 30%", 0.3), ("beyond …", …)
    bounds: tuple[tuple[str, float], ...]  # horizontal: ("cap", 3000.0), ("floor", …)
    text: str  # the line as written
    currency: str
    lang: Lang = "en"  # the language of the marks, and of the title and axes when drawn
    indicator_label: str | None = None  # the indicator's Chinese label (毛利率), if it has one
    card_label: str | None = None
    # scaled_by a table: the line's amounts at each other value of the table, and its text
    scaled: tuple[tuple[float, FloatArray], ...] = ()
    scale_text: str = ""
    notes: tuple[str, ...] = ()  # what the curve leaves out, printed on the plot
    held: str = ""  # the values of clauses read per row it is drawn at (among the notes)


def curve(
    book: Rulebook,
    card: str,
    line: str,
    value_range: tuple[float, float] | None = None,
    *,
    lang: str = "en",
    at: Mapping[str, float] | None = None,
    data: Any = None,
) -> Curve:
    """The payout curve of ``line`` on ``card``.

    Args:
        book: the rulebook.
        card: the card's name.
        line: the line's name (as the payroll names it).
        value_range: the values to sweep; by default the balance point ± enough steps to
            show every tier, the cap and the floor (0 to past the last tier for commission).
        lang: ``"en"`` or ``"zh"``: the language of the marks (平衡点 25%, 封顶 2,500) and,
            when `ksf.plot.plot` draws the curve, of its title and axes.
        at: the values of the names a clause read per row reads (``{"target_gm": 0.25}``).
        data: rows (as `Rulebook.evaluate` takes them) whose median is used for such a name
            ``at`` lacks (`ksf.plot.held`); a note on the plot says which values were used.

    Raises:
        UnknownCardError: no such card (a `KeyError` and a `ksf.DataError`).
        KeyError: no such line.
        ValueError: not a balance or commission line, a bad ``lang``, or a value neither
            ``at`` nor ``data`` gives.
    """
    spoken = words.checked(lang)
    chosen, note = held.held_line(book, card, _line(book, card, line), at or {}, data, spoken)
    shape = _shape(chosen, spoken)
    found, column = shape.line, shape.column
    values = _sampled(alone := _alone(book, card, shape.isolated), shape, value_range)
    payroll = alone.evaluate({column: values})
    scaled = tuple(
        (factor, np.array(_alone(book, card, isolated).evaluate({column: values})[line]))
        for factor, isolated in shape.family
    )
    return Curve(
        card=card,
        line=line,
        kind=shape.kind,
        indicator=column,
        percent=shape.percent,
        values=values,
        amounts=np.array(payroll[line]),
        marks=shape.marks,
        bounds=_bounds(found, spoken),
        text=(book.source.line_text(found.span.line) or found.text).strip(),
        currency=book.currency,
        lang=spoken,
        indicator_label=_label(found),
        card_label=_card_label(book, card),
        scaled=scaled,
        scale_text=found.scale_text if isinstance(found, ir.CommissionLine) else "",
        notes=(*shape.notes, *filter(None, [note])),
        held=note,
    )


def _sampled(alone: Rulebook, shape: _Shape, value_range: tuple[float, float] | None) -> FloatArray:
    """The values a curve is computed at: the range (trimmed when not given) and its marks."""
    low, high = value_range or shape.default_range
    if value_range is None and shape.steps is not None:
        low, high = _trimmed(
            alone, shape.line.name, shape.column, shape.marks, (low, high), shape.steps
        )
    # The marked points themselves are sampled, so the curve shows what they pay exactly.
    inside = [point for _, point in shape.marks if low <= point <= high]
    values: FloatArray = np.union1d(np.linspace(low, high, SAMPLES), inside)
    return values


def _alone(book: Rulebook, card: str, line: ir.Line) -> Rulebook:
    """A rulebook of ``line`` alone on its card: no other line, no minimum pay, no pool."""
    cards = (ir.Card(name=card, label=None, lines=(line,)),)
    return Rulebook(attrs.evolve(book.program, cards=cards, pools=()))


def _card_label(book: Rulebook, card: str) -> str | None:
    found = versions.one(book.program, card)
    return found.label if found is not None else None


def _label(line: ir.BalanceLine | ir.CommissionLine) -> str | None:
    """The Chinese label of the indicator a line reads (毛利率 for gross_margin), if any."""
    value = line.value if isinstance(line, ir.BalanceLine) else line.base
    if isinstance(value, ir.Free):
        value = standard_library().get(value.name) or value
    return value.label if isinstance(value, ir.Named) else None


@attrs.frozen
class _Shape:
    """What a curve needs of its line, whose kind `_shape` tells apart."""

    line: ir.BalanceLine | ir.CommissionLine
    kind: str  # "balance" or "commission"
    column: str  # the name the x axis sweeps
    isolated: ir.Line  # the line reading ``column`` instead of its indicator's formula
    marks: tuple[tuple[str, float], ...]
    default_range: tuple[float, float]
    percent: bool = False
    steps: tuple[float, float] | None = None  # balance point and step, to trim the range to
    family: tuple[tuple[float, ir.Line], ...] = ()  # scaled_by a table: (value, line) each
    notes: tuple[str, ...] = ()


class NoSuchLineError(KeyError):
    """A line the card does not have: a `KeyError`, as a failed lookup by name is."""

    def __init__(self, said: Message) -> None:
        super().__init__(said)
        self.said = said

    def __str__(self) -> str:
        return self.said.text()  # KeyError's own __str__ would quote the message


def _line(book: Rulebook, card: str, name: str) -> ir.Line:
    found = versions.one(book.program, card)  # a card with versions: plot one period's
    if found is None:
        raise UnknownCardError.named(card, book.cards)
    lines = {line.name: line for line in found.lines}
    if name not in lines:
        raise NoSuchLineError(say.NO_LINE(card=repr(card), line=repr(name), lines=", ".join(lines)))
    return lines[name]


def _shape(line: ir.Line, lang: Lang) -> _Shape:
    """The curve's parts for a balance or commission line; other lines draw no curve."""
    match line:
        case ir.BalanceLine():
            column = _swept_name(line.value, line.name)
            return _Shape(
                line,
                "balance",
                column,
                _isolated(line, column),
                _balance_marks(line, lang),
                _balance_range(line),
                percent=_is_percent(line.value),
                steps=(_written(line.balance), _written(line.step)),
            )
        case ir.CommissionLine():
            column = _swept_name(line.base, line.name)
            # The swept amount is the commission base; the scale is drawn as _scaling says.
            isolated, family, notes = _scaling(attrs.evolve(line, base=ir.Free(column)), lang)
            return _Shape(
                line,
                "commission",
                column,
                isolated,
                _commission_marks(line, lang),
                _commission_range(line),
                family=family,
                notes=notes,
            )
        case ir.FixedLine():
            raise _not_a_curve(line, say.FIXED_AMOUNT())
        case ir.ByLine():
            raise _not_a_curve(line, say.LOOKED_UP(by=Keyword("by")))
        case ir.BonusLine():
            raise _not_a_curve(line, say.A_BONUS())
        case ir.ShareLine():
            raise _not_a_curve(line, say.A_SHARE())
        case _:
            assert_never(line)


def _scaling(
    line: ir.CommissionLine, lang: Lang
) -> tuple[ir.CommissionLine, tuple[tuple[float, ir.Line], ...], tuple[str, ...]]:
    """The line drawn at factor 1, the lines at the other factors, and what is left out.

    A number (``scaled_by 2%``) is known, so it stays. A table (``perf_coefficient(review)``)
    pays one of its values: one curve each. Anything else (a column, a score) is known only
    from the data: the curve is drawn at 1 and a note says so.
    """
    scale = line.scale
    while isinstance(scale, ir.Named):  # `indicator coef = perf_coefficient(review)`
        scale = scale.expr
    if scale is None or isinstance(scale, ir.Const):
        return line, (), ()
    at_one = attrs.evolve(line, scale=None)
    if isinstance(scale, ir.Lookup):
        values = sorted({*scale.table.values, scale.table.otherwise} - {1.0}, reverse=True)
        family = tuple((v, attrs.evolve(line, scale=ir.Const(v))) for v in values)
        return at_one, family, ()
    return at_one, (), (words.held_at_one(lang, line.scale_text or "…"),)


def _not_a_curve(line: ir.Line, kind: Message) -> ValueError:
    return ValueError(say.NOT_A_CURVE(line=repr(line.name), kind=kind))


def _swept_name(value: ir.Expr, line_name: str) -> str:
    if isinstance(value, ir.Group) and value.text:  # the x axis is the group's value
        return value.text
    return value.name if isinstance(value, ir.Named | ir.Free) else line_name


def _isolated(line: ir.BalanceLine, column: str) -> ir.BalanceLine:
    """The balance rule reading ``column`` instead of its indicator's formula."""
    value = line.value
    if isinstance(value, ir.Named):
        # Keep the definition (unit, direction) and replace only its formula.
        return attrs.evolve(line, value=attrs.evolve(value, expr=ir.Free(column)))
    if isinstance(value, ir.Free):
        return line  # a column already: the binder keeps a library name's direction
    return attrs.evolve(line, value=ir.Named(column, ir.Free(column)))


def _is_percent(value: ir.Expr) -> bool:
    if isinstance(value, ir.Named):
        return value.unit == "percent"
    if isinstance(value, ir.Free):
        named = standard_library().get(value.name)
        return named is not None and named.unit == "percent"
    return False


def _commission_range(line: ir.CommissionLine) -> tuple[float, float]:
    points = [t.at for t in line.tiers if np.isfinite(t.at)]
    rate = max((t.rate for t in line.tiers), default=0.0)
    if line.cap is not None and rate > 0:
        points.append(_written(line.cap) / rate)
    top = 1.5 * max(points) if points else 100_000.0
    return 0.0, top


def _balance_range(line: ir.BalanceLine) -> tuple[float, float]:
    balance, step, pot = _written(line.balance), _written(line.step), _written(line.pot)
    reward, penalty = _written(line.reward), _written(line.penalty)
    steps = [10.0]
    steps += [abs(_written(b.at) - balance) / step + 5 for b in line.beyond]
    if line.cap is not None and reward > 0:
        steps.append(abs(_written(line.cap) - pot) / reward + 3)
    if line.floor is not None and penalty > 0:
        steps.append(abs(pot - _written(line.floor)) / penalty + 3)
    n = min(max(steps), MAX_STEPS)
    low, high = balance - n * step, balance + n * step
    # Rates, counts and amounts of money are rarely negative: start at 0 when the balance
    # point is positive, rather than drawing values nobody can have.
    return (max(low, 0.0) if balance >= 0 else low), high


def _written(value: ir.ClauseValue) -> float:
    """A clause value written as a number; `curve` writes those read per row as numbers."""
    assert isinstance(value, float)  # noqa: S101 - refused before
    return value


def _trimmed(
    alone: Rulebook,
    line: str,
    column: str,
    marks: tuple[tuple[str, float], ...],
    wide: tuple[float, float],
    steps: tuple[float, float],
) -> tuple[float, float]:
    """The wide range cut to where the line changes, plus three steps of flat either side.

    ``steps``: the balance rule's balance point and step.
    """
    balance, step = steps
    values = np.linspace(*wide, SAMPLES)
    amounts = alone.evaluate({column: values})[line]
    changes = np.flatnonzero(np.diff(amounts) != 0)
    if not len(changes):
        return wide
    points = [at for _, at in marks]
    low = min(values[changes[0]] - 3 * step, balance - 5 * step, *points)
    high = max(values[changes[-1] + 1] + 3 * step, balance + 5 * step, *points)
    return max(low, wide[0]), min(high, wide[1])


def _commission_marks(line: ir.CommissionLine, lang: Lang) -> tuple[tuple[str, float], ...]:
    return tuple(
        (words.tier_mark(lang, f"{t.at:,.10g}", f"{t.rate * 100:.10g}"), t.at)
        for t in line.tiers
        if np.isfinite(t.at)
    )


def _balance_marks(line: ir.BalanceLine, lang: Lang) -> tuple[tuple[str, float], ...]:
    at = _written(line.balance)
    balance = (words.balance_mark(lang, line.balance_text or _g(at)), at)
    beyond = tuple(
        (
            words.beyond_mark(lang, b.text or _g(_written(b.at)), b.kind, _g(_written(b.rate))),
            _written(b.at),
        )
        for b in line.beyond
    )
    return (balance, *beyond)


def _bounds(line: ir.BalanceLine | ir.CommissionLine, lang: Lang) -> tuple[tuple[str, float], ...]:
    given = (("cap", line.cap), ("floor", line.floor))
    return tuple((words.bound(lang, k), _written(v)) for k, v in given if v is not None)


def _g(number: float) -> str:
    return f"{number:,.10g}"
