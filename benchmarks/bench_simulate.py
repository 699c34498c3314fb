"""ksf.simulate against hand-written NumPy bootstraps of the same card, in one run.

    python benchmarks/bench_simulate.py                      # 10,000 runs × 1,000 employees
    python benchmarks/bench_simulate.py --runs 2000 --repeat 5
    python benchmarks/bench_simulate.py --smoke              # 200 × 50: agreement only (CI)

The card is the benchmark's reference card (reference_card.py: eight lines, a table, a
prorated line, min_pay) and its hand-written NumPy payroll. The history is ``--months`` ×
``--employees`` rows of its seeded data. Three contenders compute the same figures — each
simulated month's cost, its P5/P50/P95 and mean, and one employee-month's total pay at
P5/P50/P95 — drawing the same rows (each uses the stream ksf gives the card, in the same
blocks of runs):

- ``ksf``: ``ksf.simulate(book, history, runs=, employees=)``, which also computes every
  line's percentiles, costs, shares and best/balance/worst;
- ``numpy-resample``: the textbook bootstrap loop: for each block of runs, draw row indices,
  take those rows of every input column and compute the card on them (``numpy_payroll``);
- ``numpy-index``: the card computed once on the history rows, then each block's draws
  summed from those totals (the way ksf does it, by hand).

Agreement first, to the cent (exit status 1 otherwise); then ``--repeat`` interleaved timed
runs (median) and one traced run of each (tracemalloc peak). The ratios ksf / anchor are
printed with the target, ≤ 1.5.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

if importlib.util.find_spec("ksf") is None:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import reference_card as rc

import ksf
from ksf.design.draws import BLOCK_DRAWS

TARGET = 1.5
Figures = tuple[float, ...]  # month cost P5, P50, P95, mean; employee total P5, P50, P95


def history(months: int, employees: int, seed: int) -> dict[str, np.ndarray]:
    """``months`` × ``employees`` rows of the reference card's seeded data."""
    return rc.make_data(months * employees, seed)


def card_stream(seed: int) -> np.random.Generator:
    """The stream ksf draws the reference card's months from (its one card, the first)."""
    return np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])


def run_ksf(book: ksf.Rulebook, data: dict, runs: int, employees: int, seed: int) -> Figures:
    sim = ksf.simulate(book, data, runs=runs, employees=employees, seed=seed)
    card = sim.card(rc.CARD)
    return (card.cost_p5, card.cost_p50, card.cost_p95, card.cost, card.p5, card.p50, card.p95)


def run_resample(data: dict, runs: int, employees: int, seed: int) -> Figures:
    """The textbook loop: each block's drawn rows, the card computed on them."""
    rng, n = card_stream(seed), len(data["revenue"])
    months = np.empty(runs, dtype=np.int64)
    pays = []
    block = max(1, BLOCK_DRAWS // employees)
    for start in range(0, runs, block):
        stop = min(runs, start + block)
        picks = rng.integers(0, n, size=(stop - start, employees)).ravel()
        total = rc.numpy_payroll({k: v[picks] for k, v in data.items()})["total"]
        cents = np.rint(total * 100).astype(np.int64)
        months[start:stop] = cents.reshape(stop - start, employees).sum(axis=1)
        pays.append(cents)
    return _figures(months, np.concatenate(pays), None)


def run_index(data: dict, runs: int, employees: int, seed: int) -> Figures:
    """The card computed once per history row; the draws summed from its totals."""
    rng, n = card_stream(seed), len(data["revenue"])
    cents = np.rint(rc.numpy_payroll(data)["total"] * 100).astype(np.int64)
    months = np.empty(runs, dtype=np.int64)
    counts = np.zeros(n, dtype=np.int64)
    block = max(1, BLOCK_DRAWS // employees)
    for start in range(0, runs, block):
        stop = min(runs, start + block)
        picks = rng.integers(0, n, size=(stop - start, employees))
        counts += np.bincount(picks.ravel(), minlength=n)
        months[start:stop] = cents[picks].sum(axis=1)
    return _figures(months, cents, counts)


def _figures(months: np.ndarray, cents: np.ndarray, counts: np.ndarray | None) -> Figures:
    """Month cost P5/P50/P95/mean and the employee total's P5/P50/P95 (inverted CDF)."""
    pay = np.repeat(cents, counts) if counts is not None else cents
    found = [np.percentile(months, q, method="inverted_cdf") for q in (5, 50, 95)]
    runs = len(months)
    whole, rest = divmod(int(months.sum()), runs)
    found.append(whole + (2 * rest >= runs))  # half-up; every month costs more than zero
    found += [np.percentile(pay, q, method="inverted_cdf") for q in (5, 50, 95)]
    return tuple(float(x) / 100 for x in found)


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def traced(run: Callable[[], object]) -> int:
    """The peak of memory traced during one run, above what was traced before it."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    run()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--employees", type=int, default=1_000)
    parser.add_argument("--months", type=int, default=12, help="months of history per employee")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each")
    parser.add_argument("--smoke", action="store_true", help="200 runs × 50: agreement only")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs, args.employees, args.months = 200, 50, 6
    data = history(args.months, args.employees, args.seed)
    book = ksf.compile(rc.RULES)
    shape = (args.runs, args.employees, args.seed)
    contenders: dict[str, Callable[[], Figures]] = {
        "ksf": lambda: run_ksf(book, data, *shape),
        "numpy-resample": lambda: run_resample(data, *shape),
        "numpy-index": lambda: run_index(data, *shape),
    }
    print(f"{args.runs:,} runs × {args.employees:,} employees, from {len(data['revenue']):,} "
          f"rows of history ({args.months} months)")  # fmt: skip
    results = {name: run() for name, run in contenders.items()}
    for name, found in results.items():
        if found != results["ksf"]:
            print(f"ksf and {name} DISAGREE: {results['ksf']} against {found}")
            return 1
    print("ksf, numpy-resample and numpy-index agree to the cent: month cost P5/P50/P95/mean "
          f"{results['ksf'][:4]}, an employee's total P5/P50/P95 {results['ksf'][4:]}")  # fmt: skip
    if args.smoke:
        return 0
    return _timings(contenders, args.repeat)


def _timings(contenders: dict[str, Callable[[], Figures]], repeat: int) -> int:
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) / 2:
        print(f"note: load average {load:.2f} on {os.cpu_count()} CPUs: timings are noisy")
    seconds: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for k in range(repeat):  # interleaved, the order alternating
        for name in names[:: 1 if k % 2 == 0 else -1]:
            seconds[name].append(timed(contenders[name]))
    print(f"{'':16}{'median s':>10}{'best s':>9}{'peak MiB':>10}")
    for name, run in contenders.items():
        median, best = statistics.median(seconds[name]), min(seconds[name])
        print(f"{name:16}{median:>10.3f}{best:>9.3f}{traced(run) / 2**20:>10,.0f}")
    ours = statistics.median(seconds["ksf"])
    met = True
    for anchor in names[1:]:
        ratio = ours / statistics.median(seconds[anchor])
        met &= ratio <= TARGET
        print(f"ksf / {anchor}, medians of {repeat} runs: {ratio:.2f} (target ≤ {TARGET})")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
