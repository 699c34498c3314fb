"""Payout curves: what one balance or commission line pays across its indicator's range.

`curve` evaluates the line with the real kernels: the card's line alone (no other lines,
no minimum pay), its indicator replaced by a column that sweeps the range, so the amounts
are exactly what `Rulebook.evaluate` pays at each value. `plot` draws the curve with
matplotlib (``pip install 'ksf[plot]'``) and marks the balance point, the ``beyond``
points, the commission tiers, the cap and the floor.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, assert_never

import attrs
import numpy as np

from ksf import ir
from ksf._typing import FloatArray
from ksf.errors import UnknownCardError
from ksf.optional import requires
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


def curve(
    book: Rulebook, card: str, line: str, value_range: tuple[float, float] | None = None
) -> Curve:
    """The payout curve of ``line`` on ``card``.

    Args:
        book: the rulebook.
        card: the card's name.
        line: the line's name (as the payroll names it).
        value_range: the values to sweep; by default the balance point ± enough steps to
            show every tier, the cap and the floor (0 to past the last tier for commission).

    Raises:
        UnknownCardError: no such card (a `KeyError` and a `ksf.DataError`).
        KeyError: no such line.
        ValueError: the line is not a balance or commission line.
    """
    shape = _shape(_line(book, card, line))
    found, column = shape.line, shape.column
    program = attrs.evolve(
        book.program,
        cards=(ir.Card(name=card, label=None, lines=(shape.isolated,)),),
        pools=(),
    )
    alone = Rulebook(program)
    low, high = value_range or shape.default_range
    if value_range is None and shape.steps is not None:
        low, high = _trimmed(alone, found.name, column, shape.marks, (low, high), shape.steps)
    # The marked points themselves are sampled, so the curve shows what they pay exactly.
    inside = [at for _, at in shape.marks if low <= at <= high]
    values = np.union1d(np.linspace(low, high, SAMPLES), inside)
    payroll = alone.evaluate({column: values})
    return Curve(
        card=card,
        line=line,
        kind=shape.kind,
        indicator=column,
        percent=shape.percent,
        values=values,
        amounts=np.array(payroll[line]),
        marks=shape.marks,
        bounds=_bounds(found),
        text=(book.source.line_text(found.span.line) or found.text).strip(),
        currency=book.currency,
    )


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


def _line(book: Rulebook, card: str, name: str) -> ir.Line:
    found = book.program.card(card)
    if found is None:
        raise UnknownCardError.named(card, book.cards)
    lines = {line.name: line for line in found.lines}
    if name not in lines:
        msg = f"card {card!r} has no line {name!r}; its lines are: {', '.join(lines)}"
        raise KeyError(msg)
    return lines[name]


def _shape(line: ir.Line) -> _Shape:
    """The curve's parts for a balance or commission line; other lines draw no curve."""
    match line:
        case ir.BalanceLine() | ir.CommissionLine() if ir.per_row(line):
            raise _not_a_curve(line, "a line whose clause values are read per row")
        case ir.BalanceLine():
            column = _swept_name(line.value, line.name)
            return _Shape(
                line,
                "balance",
                column,
                _isolated(line, column),
                _balance_marks(line),
                _balance_range(line),
                percent=_is_percent(line.value),
                steps=(_written(line.balance), _written(line.step)),
            )
        case ir.CommissionLine():
            column = _swept_name(line.base, line.name)
            # The swept amount is the commission base; a scaled_by factor is held at 1.
            isolated = attrs.evolve(line, base=ir.Free(column), scale=None)
            return _Shape(
                line,
                "commission",
                column,
                isolated,
                _commission_marks(line),
                _commission_range(line),
            )
        case ir.FixedLine():
            raise _not_a_curve(line, "a fixed amount")
        case ir.ByLine():
            raise _not_a_curve(line, "an amount looked up by a column (`by`)")
        case ir.BonusLine():
            raise _not_a_curve(line, "a bonus")
        case ir.ShareLine():
            raise _not_a_curve(line, "a share of a pool")
        case _:
            assert_never(line)


def _not_a_curve(line: ir.Line, kind: str) -> ValueError:
    msg = f"line {line.name!r} is {kind}, not a curve; ksf plots {PLOTTABLE}"
    return ValueError(msg)


def _swept_name(value: ir.Expr, line_name: str) -> str:
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
    steps += [abs(b.at - balance) / step + 5 for b in line.beyond]
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
    """A clause value written as a number; `_shape` refuses rules that read one per row."""
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


def _commission_marks(line: ir.CommissionLine) -> tuple[tuple[str, float], ...]:
    return tuple(
        (f"beyond {t.at:,.10g} rate {t.rate * 100:.10g}%", t.at)
        for t in line.tiers
        if np.isfinite(t.at)
    )


def _balance_marks(line: ir.BalanceLine) -> tuple[tuple[str, float], ...]:
    at = _written(line.balance)
    balance = (f"balance {line.balance_text or _g(at)}", at)
    beyond = tuple(
        (f"beyond {b.text or _g(b.at)} {b.kind} {_g(b.rate)}", b.at) for b in line.beyond
    )
    return (balance, *beyond)


def _bounds(line: ir.BalanceLine | ir.CommissionLine) -> tuple[tuple[str, float], ...]:
    given = (("cap", line.cap), ("floor", line.floor))
    return tuple((k, _written(v)) for k, v in given if v is not None)


def _g(number: float) -> str:
    return f"{number:,.10g}"


def plot(curve_: Curve, path: str | Path) -> None:
    """Draw a curve to a PNG or SVG file (by extension) with matplotlib, off screen.

    Raises:
        ImportError: matplotlib is not installed.
        ValueError: the file is not .png or .svg.
    """
    file = Path(path)
    if file.suffix.lower() not in {".png", ".svg"}:
        msg = f"cannot draw {file.name}: the plot is written as .png or .svg"
        raise ValueError(msg)
    with requires("matplotlib", "ksf plot", "plot"):
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter, PercentFormatter
    # A Figure without pyplot: no global backend state, safe inside a host application.
    figure = Figure(figsize=(9, 5.2), layout="constrained")
    axes = figure.subplots()
    axes.plot(curve_.values, curve_.amounts, drawstyle="steps-post", color="#1f5fa8", lw=2)
    axes.axhline(0, color="#888888", lw=0.8)
    _draw_marks(axes, curve_)
    if curve_.percent:
        axes.xaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=None))
    else:
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.10g}"))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    axes.set_xlabel(curve_.indicator)
    axes.set_ylabel(f"{curve_.line} ({curve_.currency})")
    title = f"card {curve_.card}, line {curve_.line}"
    axes.set_title(title + "\n" + "\n".join(textwrap.wrap(curve_.text, 90)), fontsize=10)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="best", fontsize=8, framealpha=0.9)
    figure.savefig(file, dpi=120)


def _draw_marks(axes: Any, curve_: Curve) -> None:
    styles = iter(["#2a9d3f", "#d08c00", "#b03a9a", "#555555"] * 10)
    for k, (label, at) in enumerate(curve_.marks):
        colour = "#c0392b" if k == 0 and curve_.kind == "balance" else next(styles)
        axes.axvline(at, color=colour, ls="--" if k == 0 else ":", lw=1.3, label=label)
        if k == 0 and curve_.kind == "balance":
            paid = float(curve_.amounts[np.searchsorted(curve_.values, at)])
            axes.plot([at], [paid], "o", color=colour)
    for label, level in curve_.bounds:
        colour = "#2e7d32" if label == "cap" else "#8d4a1f"
        axes.axhline(level, color=colour, ls="-.", lw=1, label=f"{label} {level:,.10g}")
