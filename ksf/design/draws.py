"""The bootstrap: employee-months drawn from a card's history rows, and their percentiles.

A simulated month gives each of a card's employees one whole row of the card's history,
drawn uniformly with replacement, so the indicators of one row (margin, ROI, returns) stay
together as they happened. Pay is a function of the row alone (cards that pool or aggregate
over the team are refused before this), so an employee-month pays exactly what its row paid
in history: the draws are row indices, and what they cost is summed in whole rounding units.
"""

from __future__ import annotations

import attrs
import numpy as np

from ksf._typing import FloatArray, IntArray

PERCENTS = (5, 50, 95)
# Runs are drawn in blocks of about this many employee-months: a block's indices (8 bytes
# each) stay a few MiB, however many runs are asked for.
BLOCK_DRAWS = 1 << 20


@attrs.frozen
class Draws:
    """A card's draws: how often each history row was drawn, and each month's cost.

    ``counts[i]``: employee-months that drew history row ``i`` (over every run);
    ``month_units``: each simulated month's cost of the card, in whole rounding units.
    """

    counts: IntArray
    month_units: IntArray


def draw(rng: np.random.Generator, total_units: IntArray, employees: int, runs: int) -> Draws:
    """``runs`` months of ``employees`` draws from the rows whose totals are ``total_units``."""
    rows = len(total_units)
    counts = np.zeros(rows, dtype=np.int64)
    month_units = np.empty(runs, dtype=np.int64)
    block = max(1, BLOCK_DRAWS // max(employees, 1))
    for start in range(0, runs, block):  # blocks of runs; each block is whole-array NumPy
        stop = min(runs, start + block)
        picks = rng.integers(0, rows, size=(stop - start, employees))
        counts += np.bincount(picks.ravel(), minlength=rows)
        month_units[start:stop] = total_units[picks].sum(axis=1)
    return Draws(counts, month_units)


def percentiles(values: FloatArray | IntArray, weights: IntArray) -> tuple[float, float, float]:
    """P5, P50, P95 of ``values`` drawn ``weights`` times each (the inverted CDF).

    Each is the smallest value that at least that share of the draws is at or below: always
    one of the values (an amount paid, never an average of two), so money stays exact.
    """
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    total = int(cumulative[-1])
    found = []
    for percent in PERCENTS:
        need = max(1, -(-total * percent // 100))  # ceil(total × percent / 100), in integers
        found.append(float(values[order[np.searchsorted(cumulative, need)]]))
    return found[0], found[1], found[2]


def team_months(months: list[IntArray]) -> IntArray:
    """The whole team's cost of each simulated month: the cards' costs of that month."""
    total: IntArray = np.sum(months, axis=0, dtype=np.int64)
    return total
