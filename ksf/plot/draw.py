"""Drawing a curve with matplotlib (``pip install 'ksf[plot]'``), off screen, to PNG or SVG.

The balance point, the ``beyond`` points, the commission tiers, the cap and the floor are
marked; a ``scaled_by`` family is drawn as lighter curves, and what the curve leaves out is
written under the axes. Every piece of text is drawn in a font that has all its glyphs
(`ksf.plot.fonts`): a plot that cannot be drawn so is refused with a one-line message
instead of boxes and a screenful of warnings.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ksf.catalogue import io as say
from ksf.optional import requires
from ksf.plot import fonts, words
from ksf.plot.sweep import Curve

MARK_COLOURS = ("#2a9d3f", "#d08c00", "#b03a9a", "#555555")
FAMILY_COLOURS = ("#7fa7d6", "#9b6fc0", "#d99a5b", "#6fb58f", "#bbbbbb")


def plot(curve_: Curve, path: str | Path) -> None:
    """Draw a curve to a PNG or SVG file (by extension) with matplotlib, off screen.

    The words are in the curve's language (``curve(…, lang="zh")``).

    Raises:
        ImportError: matplotlib is not installed.
        ValueError: the file is not .png or .svg.
        MissingFontError: the plot has Chinese text and no CJK font is installed (a
            `ValueError` whose message names the fonts to install).
    """
    file = Path(path)
    if file.suffix.lower() not in {".png", ".svg"}:
        raise ValueError(say.PLOT_FORMATS(name=file.name))
    figure = figure_of(curve_)
    with warnings.catch_warnings():
        # Every glyph was checked in figure_of; a warning left would be matplotlib's noise.
        warnings.simplefilter("ignore", UserWarning)
        figure.savefig(file, dpi=120)


def figure_of(curve_: Curve) -> Any:
    """The matplotlib Figure of a curve, its text checked against its fonts.

    Raises:
        ImportError: matplotlib is not installed.
        MissingFontError: some text has a character no installed font can draw.
    """
    with requires("matplotlib", "ksf plot", "plot"):
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter, PercentFormatter

    lang = curve_.lang
    heading = words.title(lang, curve_.card, curve_.card_label, curve_.line)
    title = heading + "\n" + "\n".join(textwrap.wrap(curve_.text, 90))
    x_label = words.x_label(lang, curve_.indicator, curve_.indicator_label)
    y_label = words.y_label(lang, curve_.line, curve_.currency)
    texts = [title, x_label, y_label, *_legend(curve_), *curve_.notes]
    family = fonts.families_for(texts)
    # A Figure without pyplot: no global backend state, safe inside a host application;
    # the font goes on each text rather than into the global rcParams for the same reason.
    figure = Figure(figsize=(9, 5.2), layout="constrained")
    axes = figure.subplots()
    _draw_curves(axes, curve_)
    axes.axhline(0, color="#888888", lw=0.8)
    _draw_marks(axes, curve_)
    if curve_.percent:
        axes.xaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=None))
    else:
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.10g}"))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    axes.set_xlabel(x_label, fontfamily=family)
    axes.set_ylabel(y_label, fontfamily=family)
    axes.set_title(title, fontsize=10, fontfamily=family)
    axes.grid(True, alpha=0.3)
    if _legend(curve_):  # a plain rate has no mark to name, and an empty legend warns
        axes.legend(loc="best", framealpha=0.9, prop={"family": family, "size": 8})
    if curve_.notes:  # under the x axis label, where constrained layout makes room for it
        axes.annotate(
            "\n".join(curve_.notes),
            xy=(0, 0),
            xycoords="axes fraction",
            xytext=(0, -42),
            textcoords="offset points",
            va="top",
            fontsize=8,
            fontfamily=family,
            color="#8d4a1f",
        )
    check_glyphs(figure)
    return figure


def check_glyphs(figure: Any) -> None:
    """Raise MissingFontError if a text of ``figure`` has a character its fonts lack."""
    from matplotlib.text import Text

    with warnings.catch_warnings():  # matplotlib's glyph warnings: this check says it once
        warnings.simplefilter("ignore", UserWarning)
        figure.draw_without_rendering()  # so that the tick labels have their text
    lacking: set[str] = set()
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text()]
    for text in texts:
        lacking |= fonts.uncovered(text.get_text(), text.get_fontfamily())
    if lacking:
        joined = "\n".join(text.get_text() for text in texts)
        raise fonts.MissingFontError.for_text(joined, lacking)


def _legend(curve_: Curve) -> list[str]:
    """Every legend entry, so that the font is chosen for all of them."""
    entries = [label for label, _ in curve_.marks]
    entries += [f"{label} {level:,.10g}" for label, level in curve_.bounds]
    if curve_.scaled:
        values = [1.0, *(value for value, _ in curve_.scaled)]
        entries += [words.factor(curve_.lang, f"{v:.10g}", curve_.scale_text) for v in values]
    return entries


def _draw_curves(axes: Any, curve_: Curve) -> None:
    """The curve, and for a ``scaled_by`` table one lighter curve per other value."""
    lang, scale = curve_.lang, curve_.scale_text
    main = words.factor(lang, "1", scale) if curve_.scaled else None
    axes.plot(
        curve_.values, curve_.amounts, drawstyle="steps-post", color="#1f5fa8", lw=2, label=main
    )
    colours = _cycle(FAMILY_COLOURS, len(curve_.scaled))
    for (value, amounts), colour in zip(curve_.scaled, colours, strict=True):
        label = words.factor(lang, f"{value:.10g}", scale)
        axes.plot(curve_.values, amounts, drawstyle="steps-post", color=colour, lw=1.2, label=label)


def _draw_marks(axes: Any, curve_: Curve) -> None:
    balance = curve_.kind == "balance"
    styles = iter(_cycle(MARK_COLOURS, len(curve_.marks)))
    for k, (label, at) in enumerate(curve_.marks):
        colour = "#c0392b" if k == 0 and balance else next(styles)
        axes.axvline(at, color=colour, ls="--" if k == 0 else ":", lw=1.3, label=label)
        if k == 0 and balance:
            paid = float(curve_.amounts[np.searchsorted(curve_.values, at)])
            axes.plot([at], [paid], "o", color=colour)
    cap = words.bound(curve_.lang, "cap")
    for label, level in curve_.bounds:
        colour = "#2e7d32" if label == cap else "#8d4a1f"
        axes.axhline(level, color=colour, ls="-.", lw=1, label=f"{label} {level:,.10g}")


def _cycle(colours: Sequence[str], count: int) -> list[str]:
    return [colours[k % len(colours)] for k in range(count)]
