"""Charts of the plan report as inline SVG, drawn from the figures (no plotting library).

A line's chart is two panels on one x axis: the payout curve above (its balance, beyond and
tier points as dashed verticals, its cap and floor as dotted horizontals) and the bars of
the data's rows under it; a card's totals are bars alone. The SVG is text in the page: its
words take the page's font stack (CJK included) and every word and value is escaped.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence

import attrs
import numpy as np

from ksf._typing import FloatArray
from ksf.source import visible

WIDTH = 600
BAR_WIDTH = 420  # a card's totals: three side by side at the same size of text
LEFT, RIGHT = 78, 24  # room for the amounts' labels, and for the last x label
CURVE_TOP, CURVE_BOTTOM = 22, 190
BARS_TOP, BARS_BOTTOM = 206, 262
HEIGHT = 292
BINS = 24
MARK_ROW = 14  # the height of one mark's label
CURVE_COLOUR = "#1f5fa8"
FAMILY_COLOUR = "#9ab6d8"
BAR_COLOUR = "#e0a458"
MARK_COLOURS = ("#2a9d3f", "#b03a9a", "#d08c00", "#555555")
Format = Callable[[float], str]


def e(text: str) -> str:
    """Text for HTML or SVG: control characters shown as escapes, markup escaped."""
    return html.escape(visible(text), quote=True)


@attrs.frozen
class Axis:
    """A linear map from values to pixels."""

    low: float
    high: float
    start: float  # the pixel of ``low``
    end: float  # the pixel of ``high``

    def __call__(self, value: float) -> float:
        """The pixel of ``value``."""
        span = self.high - self.low or 1.0
        return self.start + (value - self.low) / span * (self.end - self.start)


@attrs.frozen
class Bars:
    """A histogram: bin edges, counts, and how each bar's tooltip names its bin."""

    edges: FloatArray
    counts: FloatArray
    label: str  # under the bars' axis: "rows"


def ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round values (1, 2 or 5 × a power of ten apart) between ``low`` and ``high``."""
    if not math.isfinite(low) or not math.isfinite(high) or high <= low:
        return [low]
    raw = (high - low) / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    count = math.floor((high - first) / step + 1e-9) + 1
    return [first + i * step for i in range(count)]


def histogram(values: FloatArray, low: float, high: float, label: str) -> Bars:
    """The values counted in `BINS` equal bins over [low, high] (values outside dropped)."""
    counts, edges = np.histogram(values, bins=BINS, range=(low, high) if high > low else None)
    return Bars(edges.astype(np.float64), counts.astype(np.float64), label)


def steps_of(values: FloatArray, amounts: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The corners of a sampled curve: where its slope changes, plus both ends.

    A step curve of 4,000 samples keeps two points per step; a straight (prorated) stretch
    keeps its ends: the path is the same to the eye at a tenth of the size.
    """
    if len(values) < 3:
        return values, amounts
    slope = np.diff(amounts) / np.where(np.diff(values) == 0, 1.0, np.diff(values))
    scale = max(float(np.abs(slope).max()), 1e-12)
    bends = np.flatnonzero(np.abs(np.diff(slope)) > 1e-9 * scale) + 1
    keep = np.unique(np.concatenate([[0, len(values) - 1], bends]))
    return values[keep], amounts[keep]


def line_chart(
    *,
    values: FloatArray,
    amounts: FloatArray,
    family: Sequence[FloatArray],
    marks: Sequence[tuple[str, float]],
    bounds: Sequence[tuple[str, float]],
    bars: Bars | None,
    x_format: Format,
    y_format: Format,
    y_label: str,
    caption: str,
) -> str:
    """A payout curve over the bars of the data's values: one `<svg>` element."""
    x = Axis(float(values[0]), float(values[-1]), LEFT, WIDTH - RIGHT)
    every = [amounts, *family, np.array([b for _, b in bounds] + [0.0])]
    low = min(float(np.min(a)) for a in every)
    high = max(float(np.max(a)) for a in every)
    pad = (high - low) * 0.08 or max(abs(high), 1.0) * 0.1
    # The marks' labels sit in a band of their own above the curve, one row each.
    shown = [m for m in marks if values[0] <= m[1] <= values[-1]]
    y = Axis(low - pad, high + pad, CURVE_BOTTOM, CURVE_TOP + MARK_ROW * len(shown))
    parts = [_frame(x, CURVE_TOP, BARS_BOTTOM if bars else CURVE_BOTTOM, x_format)]
    parts += _y_grid(y, y_format, y_label)
    parts += [_path(x, y, v, a, FAMILY_COLOUR, 1.2) for v, a in _family(values, family)]
    parts += _bounds(x, y, bounds, y_format)
    parts += _marks(x, shown)
    parts.append(_path(x, y, *steps_of(values, amounts), CURVE_COLOUR, 2.2))
    if bars is not None:
        parts += _bars(x, bars, BARS_TOP, BARS_BOTTOM, x_format)
    return _svg(parts, caption)


def bar_chart(bars: Bars, x_format: Format, x_label: str, caption: str) -> str:
    """Bars alone (a card's totals), narrower than a line's chart: one `<svg>` element."""
    width = BAR_WIDTH
    x = Axis(float(bars.edges[0]), float(bars.edges[-1]), LEFT, width - RIGHT)
    top, bottom = 12, 130
    parts = [_frame(x, top, bottom, x_format, width)]
    parts += _bars(x, bars, top, bottom, x_format)
    parts.append(
        f'<text class="axis" x="{(LEFT + width - RIGHT) / 2:.0f}" y="{bottom + 32}" '
        f'text-anchor="middle">{e(x_label)}</text>'
    )
    return _svg(parts, caption, height=bottom + 40, width=width)


def _svg(parts: list[str], caption: str, height: int = HEIGHT, width: int = WIDTH) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{e(caption)}</title>{"".join(parts)}</svg>'
    )


def _family(
    values: FloatArray, family: Sequence[FloatArray]
) -> list[tuple[FloatArray, FloatArray]]:
    return [steps_of(values, amounts) for amounts in family]


def _frame(x: Axis, top: float, bottom: float, x_format: Format, width: int = WIDTH) -> str:
    """The x axis under everything, its ticks and their labels."""
    out = [
        f'<line class="axis-line" x1="{LEFT}" y1="{bottom}" x2="{width - RIGHT}" y2="{bottom}"/>'
    ]
    for tick in ticks(x.low, x.high, 6 if width == WIDTH else 4):
        px = x(tick)
        out.append(f'<line class="grid" x1="{px:.1f}" y1="{top}" x2="{px:.1f}" y2="{bottom}"/>')
        out.append(
            f'<text class="tick" x="{px:.1f}" y="{bottom + 16}" text-anchor="middle">'
            f"{e(x_format(tick))}</text>"
        )
    return "".join(out)


def _y_grid(y: Axis, y_format: Format, label: str) -> list[str]:
    out = []
    for tick in ticks(y.low, y.high, 6):
        py = y(tick)
        cls = "zero" if tick == 0 else "grid"
        out.append(
            f'<line class="{cls}" x1="{LEFT}" y1="{py:.1f}" x2="{WIDTH - RIGHT}" y2="{py:.1f}"/>'
        )
        out.append(
            f'<text class="tick" x="{LEFT - 6}" y="{py + 4:.1f}" text-anchor="end">'
            f"{e(y_format(tick))}</text>"
        )
    out.append(f'<text class="axis" x="{LEFT}" y="{CURVE_TOP - 8}">{e(label)}</text>')
    return out


def _path(
    x: Axis, y: Axis, values: FloatArray, amounts: FloatArray, colour: str, width: float
) -> str:
    points = " ".join(
        f"{x(float(v)):.1f},{y(float(a)):.1f}" for v, a in zip(values, amounts, strict=True)
    )
    return (
        f'<polyline fill="none" stroke="{colour}" stroke-width="{width}" '
        f'stroke-linejoin="round" points="{points}"/>'
    )


def _marks(x: Axis, marks: Sequence[tuple[str, float]]) -> list[str]:
    """Dashed verticals at the balance point, beyond points and tiers, labelled at the top."""
    out = []
    for k, (label, at) in enumerate(marks):
        px, colour = x(at), MARK_COLOURS[k % len(MARK_COLOURS)]
        anchor = "end" if px > (LEFT + WIDTH) / 2 else "start"
        shift = -4 if anchor == "end" else 4
        out.append(
            f'<line x1="{px:.1f}" y1="{CURVE_TOP}" x2="{px:.1f}" y2="{CURVE_BOTTOM}" '
            f'stroke="{colour}" stroke-width="1.2" stroke-dasharray="5 3"/>'
            f'<text class="mark" x="{px + shift:.1f}" y="{CURVE_TOP + 11 + MARK_ROW * k}" '
            f'text-anchor="{anchor}" fill="{colour}">{e(label)}</text>'
        )
    return out


def _bounds(x: Axis, y: Axis, bounds: Sequence[tuple[str, float]], y_format: Format) -> list[str]:
    """Dotted horizontals at the cap and the floor, labelled with their amounts at the right."""
    out = []
    for word, at in bounds:
        label = f"{word} {y_format(at)}"
        py = y(at)
        out.append(
            f'<line x1="{LEFT}" y1="{py:.1f}" x2="{WIDTH - RIGHT}" y2="{py:.1f}" '
            f'stroke="#c0392b" stroke-width="1" stroke-dasharray="2 3"/>'
            f'<text class="mark" x="{WIDTH - RIGHT - 2}" y="{py - 4:.1f}" text-anchor="end" '
            f'fill="#c0392b">{e(label)}</text>'
        )
    return out


def _bars(x: Axis, bars: Bars, top: float, bottom: float, x_format: Format) -> list[str]:
    """The histogram in [top, bottom], each bar's tooltip its range and count."""
    most = float(bars.counts.max()) if len(bars.counts) else 0.0
    out = [
        f'<text class="axis" x="{LEFT - 30}" y="{(top + bottom) / 2 + 4:.1f}" '
        f'text-anchor="end">{e(bars.label)}</text>'
    ]
    for k, count in enumerate(bars.counts):
        if count == 0:
            continue
        left, right = x(float(bars.edges[k])), x(float(bars.edges[k + 1]))
        h = (bottom - top) * count / most
        tip = f"{x_format(float(bars.edges[k]))} – {x_format(float(bars.edges[k + 1]))}: {count:g}"
        out.append(
            f'<rect class="bar" x="{left + 0.5:.1f}" y="{bottom - h:.1f}" '
            f'width="{max(right - left - 1, 1):.1f}" height="{h:.1f}" fill="{BAR_COLOUR}">'
            f"<title>{e(tip)}</title></rect>"
        )
    out.append(
        f'<text class="tick" x="{LEFT - 6}" y="{bottom:.1f}" text-anchor="end">0</text>'
        f'<text class="tick" x="{LEFT - 6}" y="{top + 8:.1f}" text-anchor="end">{most:g}</text>'
    )
    return out


def range_chart(
    rows: Sequence[tuple[str, float, float, float]], x_format: Format, x_label: str
) -> str:
    """One bar per row from its P5 to its P95, its median a tick: one `<svg>` element.

    ``rows``: (label, p5, p50, p95), drawn top to bottom on one x axis (0 included).
    """
    left, row = 170, 22
    bottom = 10 + row * len(rows)
    values = [v for _, *figures in rows for v in figures] + [0.0]
    low, high = min(values), max(values)
    pad = (high - low) * 0.04 or 1.0
    x = Axis(low - pad, high + pad, left, WIDTH - RIGHT)
    parts = [
        f'<line class="axis-line" x1="{left}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}"/>'
    ]
    for tick in ticks(x.low, x.high, 6):
        px = x(tick)
        cls = "zero" if tick == 0 else "grid"
        parts.append(
            f'<line class="{cls}" x1="{px:.1f}" y1="6" x2="{px:.1f}" y2="{bottom}"/>'
            f'<text class="tick" x="{px:.1f}" y="{bottom + 16}" text-anchor="middle">'
            f"{e(x_format(tick))}</text>"
        )
    for k, (label, p5, p50, p95) in enumerate(rows):
        y = 10 + row * k + row / 2
        tip = f"{label}: P5 {x_format(p5)} · P50 {x_format(p50)} · P95 {x_format(p95)}"
        parts.append(
            f'<text class="axis" x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{e(label)}</text>'
            f'<g><title>{e(tip)}</title><rect x="{x(p5):.1f}" y="{y - 6:.1f}" '
            f'width="{max(x(p95) - x(p5), 2):.1f}" height="12" rx="3" fill="{FAMILY_COLOUR}"/>'
            f'<line x1="{x(p50):.1f}" y1="{y - 8:.1f}" x2="{x(p50):.1f}" y2="{y + 8:.1f}" '
            f'stroke="{CURVE_COLOUR}" stroke-width="3"/></g>'
        )
    parts.append(
        f'<text class="axis" x="{(left + WIDTH - RIGHT) / 2:.0f}" y="{bottom + 32}" '
        f'text-anchor="middle">{e(x_label)}</text>'
    )
    return _svg(parts, x_label, height=bottom + 40)
