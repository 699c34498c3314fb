"""A KPI score with its six points read per row (LANGUAGE.md §9) against the written score.

    python benchmarks/score_points.py                 # 1M rows, 7 interleaved runs
    python benchmarks/score_points.py --smoke         # 20,000 rows, agreement only

Three cards pay ``10 × score``: one with the KPIs' baseline, target and challenge written,
one reading all six from columns holding those same numbers on every row, and one reading
them from columns that vary by row (each store's points a step or two apart). The first two
must agree to the cent, and the third must pay, on each shift's rows, the written score
with its points moved by that shift (checked before timing). Then
``--repeat`` interleaved `evaluate` calls of each, and the ratios per-row / written from
this one run (target: the alike columns within 1.3× the written score).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

if importlib.util.find_spec("ksf") is None:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ksf

TEMPLATE = """
score s {{
  sales  weight 60% baseline {sales_low} target {sales_goal} challenge {sales_top}
  profit weight 40% baseline {profit_low} target {profit_goal} challenge {profit_top}
}}
card c {{ bonus 10 * s }}
"""

POINTS = {
    "sales_low": 0.9,
    "sales_goal": 1.0,
    "sales_top": 1.1,
    "profit_low": 0.8,
    "profit_goal": 1.0,
    "profit_top": 1.2,
}


def written(shift: float = 0.0) -> str:
    """The score with its six points written, each ``shift`` up (0.01: one point)."""
    return TEMPLATE.format(**{k: f"{(v + shift) * 100:g}%" for k, v in POINTS.items()})


WRITTEN = written()
PER_ROW = TEMPLATE.format(**{k: k for k in POINTS})


def make_data(rows: int, seed: int) -> dict[str, dict[str, Any]]:
    """Attainments with three decimals (so some sit exactly on a point), per contender."""
    rng = np.random.default_rng(seed)
    kpis = {
        "sales": np.round(rng.normal(1.0, 0.12, rows), 3),  # noqa: TID251 - data, not pay
        "profit": np.round(rng.normal(1.0, 0.15, rows), 3),  # noqa: TID251
    }
    alike = {name: np.full(rows, value) for name, value in POINTS.items()}
    shift = rng.integers(-2, 3, rows) / 100  # each store's points 0-2 points up or down
    # rounded to 9 places: the float a file's decimal gives (0.9 + 0.01 is that of 91%)
    varying = {name: np.round(value + shift, 9) for name, value in POINTS.items()}  # noqa: TID251
    return {
        "written": kpis,
        "per-row, alike": {**kpis, **alike},
        "per-row, varying": {**kpis, **varying},
    }


def literal_total(data: dict[str, Any]) -> np.ndarray:
    """The varying points' pay from written scores: for each shift, its rows by the score
    with its six points written that many points up or down."""
    shift = np.round(data["sales_goal"] - POINTS["sales_goal"], 9)  # noqa: TID251
    total = np.full(len(shift), np.nan)
    for moved in np.unique(shift):
        rows = np.flatnonzero(shift == moved)
        subset = {k: v[rows] for k, v in data.items() if k in ("sales", "profit")}
        total[rows] = ksf.compile(written(float(moved))).evaluate(subset, card="c").total
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="20,000 rows, agreement only")
    args = parser.parse_args(argv)
    rows = 20_000 if args.smoke else args.rows
    data = make_data(rows, args.seed)
    books = {name: ksf.compile(WRITTEN if name == "written" else PER_ROW) for name in data}
    paid = {name: books[name].evaluate(data[name], card="c") for name in data}  # binds too
    if not np.array_equal(paid["written"].total, paid["per-row, alike"].total):
        print("the score with its points read per row differs from the written score")
        return 1
    if not np.array_equal(paid["per-row, varying"].total, literal_total(data["per-row, varying"])):
        print("the score with points varying per row differs from the scores written per point")
        return 1
    print(
        f"{rows:,} rows: the score with its points read per row pays the written score, "
        "and with points varying per row each point's written score"
    )
    if args.smoke:
        return 0
    times: dict[str, list[float]] = {name: [] for name in data}
    for k in range(args.repeat):
        for name in list(data) if k % 2 == 0 else reversed(list(data)):
            start = time.perf_counter()
            books[name].evaluate(data[name], card="c")
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["written"])
    for name, seconds in times.items():
        median = statistics.median(seconds)
        print(
            f"  {name:17}: best {min(seconds) * 1e3:6.1f} ms, median {median * 1e3:6.1f} ms; "
            f"× written {median / base:.2f} (median), {min(seconds) / min(times['written']):.2f}"
            " (best)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
