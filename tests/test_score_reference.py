"""KPI scores (LANGUAGE.md section 5) against exact decimal arithmetic, and their monotonicity.

points = 0 on the bad side of the baseline; linear from the low to the middle points
between baseline and target; linear from the middle to the high points between target and
challenge; the high points past the challenge. The score is the weighted sum.
"""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import ksf

CENT = Decimal("0.01")


def decimals(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals ``units / 10**places`` with units in [low, high]."""
    return st.integers(low, high).map(lambda units: Decimal(units).scaleb(-places))


@st.composite
def kpis(draw):
    """One KPI: direction, baseline < target < challenge on its good side, and a weight."""
    lower = draw(st.booleans())
    cuts = sorted(draw(st.sets(st.integers(1, 300), min_size=3, max_size=3)))
    baseline, target, challenge = (Decimal(c) / 100 for c in cuts)
    if lower:
        baseline, challenge = challenge, baseline
    return lower, baseline, target, challenge


@st.composite
def scores(draw):
    """Two or three KPIs with whole-percent weights adding up to 100%, and the points."""
    count = draw(st.integers(2, 3))
    specs = [draw(kpis()) for _ in range(count)]
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    weights = [Decimal(b - a) / 100 for a, b in itertools.pairwise(bounds)]
    low = draw(st.integers(0, 80))
    mid = draw(st.integers(low + 1, 110))
    high = draw(st.integers(mid, 150))
    return specs, weights, (Decimal(low), Decimal(mid), Decimal(high))


def render(specs, weights, points) -> str:
    """The score as rule text, and a card paying the score itself as a bonus."""
    rows = []
    for k, ((lower, b, t, c), w) in enumerate(zip(specs, weights, strict=True)):
        direction = " lower_is_better" if lower else ""
        rows.append(f"  k{k} weight {w * 100}% baseline {b} target {t} challenge {c}{direction}")
    rows.append("  points " + " ".join(str(p) for p in points))
    return "score s {\n" + "\n".join(rows) + "\n}\ncard a { bonus s }"


def decimal_points(value, lower, baseline, target, challenge, points) -> Fraction:
    """The points of one KPI, exactly (fractions: 6.195 / 0.37 is no finite decimal)."""
    low, mid, high = (Fraction(p) for p in points)
    sign = -1 if lower else 1
    v, b, t, c = (sign * Fraction(x) for x in (value, baseline, target, challenge))
    if v < b:
        return Fraction(0)
    if v <= t:
        return low + (v - b) / (t - b) * (mid - low)
    if v <= c:
        return mid + (v - t) / (c - t) * (high - mid)
    return high


@given(
    case=scores(),
    values=st.lists(st.lists(decimals(0, 400, 3), min_size=3, max_size=3), min_size=1, max_size=20),
)
def test_score_agrees_with_decimal_arithmetic(case, values):
    """Each row's score, rounded to the cent, equals the exact weighted sum of points."""
    specs, weights, points = case
    data = {f"k{k}": np.array([float(row[k]) for row in values]) for k in range(len(specs))}
    pay = ksf.compile(render(specs, weights, points)).evaluate(data)
    for row, got in zip(values, pay["bonus"].tolist(), strict=True):
        exact = sum(
            (Fraction(w) * decimal_points(row[k], *spec, points))
            for k, (spec, w) in enumerate(zip(specs, weights, strict=True))
        )
        # half-up to the cent, on the exact value: a score of 40.145 pays 40.15 (scores >= 0)
        cents = math.floor(exact * 100 + Fraction(1, 2))
        assert Decimal(repr(got)).quantize(CENT) == Decimal(cents).scaleb(-2), row


@given(case=scores(), data=st.data())
def test_score_is_monotone_in_each_kpi(case, data):
    """A better value of one KPI (the others fixed) never lowers the score."""
    specs, weights, points = case
    k = data.draw(st.integers(0, len(specs) - 1), label="kpi")
    sweep = sorted(data.draw(st.lists(decimals(0, 400, 3), min_size=2, max_size=30)))
    others = data.draw(st.lists(decimals(0, 400, 3), min_size=len(specs), max_size=len(specs)))
    columns = {f"k{j}": np.full(len(sweep), float(others[j])) for j in range(len(specs)) if j != k}
    columns[f"k{k}"] = np.array([float(v) for v in sweep])
    pay = ksf.compile(render(specs, weights, points)).evaluate(columns)["bonus"]
    change = np.diff(pay) * (-1 if specs[k][0] else 1)
    assert (change >= 0).all(), (sweep, pay.tolist())
