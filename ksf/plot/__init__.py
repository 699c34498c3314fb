"""Payout curves: what one balance or commission line pays across its indicator's range.

`curve` computes a line's curve with the real kernels (`ksf.plot.sweep`), `plot` draws it
with matplotlib (`ksf.plot.draw`) in English or Chinese (`ksf.plot.words`), in a font that
has every glyph of its text (`ksf.plot.fonts`).
"""

from __future__ import annotations

from ksf.plot import words
from ksf.plot.draw import figure_of, plot
from ksf.plot.sweep import PLOTTABLE, Curve, curve

__all__ = ["PLOTTABLE", "Curve", "curve", "figure_of", "plot", "words"]
