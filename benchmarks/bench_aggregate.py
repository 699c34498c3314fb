"""Raw exports → indicator table: ksf.indicators.aggregate against a pandas groupby version.

    python benchmarks/bench_aggregate.py --lines 10400000   # 10M lines after lost sales
    python benchmarks/bench_aggregate.py --smoke            # 20,000 lines, agreement only

Both get the same tables from the seeded synthetic seller (ksf.examples.synthetic): pandas
DataFrames whose key columns are Categoricals, as a Parquet export gives. The script first
checks that both produce the same figures on every column ksf produces (to 1e-9
relative), then times ``--repeat`` runs of each, interleaved (median and best), and traces one run's
peak memory (tracemalloc: NumPy and pandas report their buffers to it), compared with the
size of the input tables.
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
from typing import Any

import numpy as np

if importlib.util.find_spec("ksf") is None:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pandas_aggregate import pandas_aggregate

from ksf.examples.synthetic import generate
from ksf.indicators import aggregate

TABLES = ("orders", "owners", "fx", "ads", "inventory", "receipts", "returns", "complaints")
TABLES += ("reviews", "skus", "targets")


def data(lines: int, skus: int, months: int, seed: int) -> dict[str, Any]:
    """The synthetic seller's raw tables as DataFrames with Categorical keys."""
    return generate(seed=seed, skus=skus, months=months, order_lines=lines, frames=True)


def run_ksf(raw: dict[str, Any]) -> Any:
    tables = {name: raw[name] for name in TABLES}
    return aggregate(**tables, start=raw["start"], end=raw["end"]).table


def run_pandas(raw: dict[str, Any]) -> Any:
    tables = {name: raw[name] for name in TABLES}
    return pandas_aggregate(tables, start=raw["start"], end=raw["end"])


def agree(ours: Any, theirs: Any) -> list[str]:
    """The columns on which the two disagree (beyond float noise), with the first row."""
    keys = ["employee", "role", "period"]
    problems = [
        f"{key}: the rows differ"
        for key in keys
        if ours[key].tolist() != theirs[key].astype(str).tolist()
    ]
    for name, values in ours.items():
        if name in keys:
            continue
        other = theirs[name].to_numpy(dtype=np.float64)
        close = np.isclose(values, other, rtol=1e-9, atol=1e-6, equal_nan=True)
        if not close.all():
            row = int(np.flatnonzero(~close)[0])
            problems.append(
                f"{name}: {int((~close).sum())} rows differ, first row {row}: "
                f"ksf {values[row]!r}, pandas {other[row]!r}"
            )
    return problems


def timed(run: Callable[[dict[str, Any]], Any], raw: dict[str, Any]) -> float:
    """Seconds of one run."""
    started = time.perf_counter()
    run(raw)
    return time.perf_counter() - started


def traced(run: Callable[[dict[str, Any]], Any], raw: dict[str, Any]) -> int:
    """The peak of memory traced during one run, above what was traced before it."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    run(raw)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def input_bytes(raw: dict[str, Any]) -> int:
    return sum(int(raw[name].memory_usage(index=False, deep=True).sum()) for name in TABLES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--skus", type=int, default=2_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each")
    parser.add_argument("--smoke", action="store_true", help="20,000 lines, agreement only")
    args = parser.parse_args(argv)
    if args.smoke:
        args.lines, args.skus, args.months = 20_000, 60, 6
    started = time.perf_counter()
    raw = data(args.lines, args.skus, args.months, args.seed)
    print(
        f"{len(raw['orders']):,} order lines ({args.lines:,} demanded, the rest lost to "
        f"stock-outs), {args.skus:,} SKUs, {args.months} months "
        f"(generated in {time.perf_counter() - started:.1f} s); input "
        f"{input_bytes(raw) / 2**20:,.0f} MiB"
    )
    ours = run_ksf(raw)
    theirs = run_pandas(raw)
    problems = agree(ours, theirs)
    if problems:
        print("ksf and pandas DISAGREE:")
        for problem in problems:
            print("  " + problem)
        return 1
    print(f"ksf and pandas agree on all {len(ours) - 3} columns of {len(ours['employee'])} rows")
    if args.smoke:
        return 0
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) / 2:
        print(f"note: load average {load:.2f} on {os.cpu_count()} CPUs: timings are noisy")
    size = input_bytes(raw)
    contenders = (("ksf", run_ksf), ("pandas", run_pandas))
    seconds: dict[str, list[float]] = {name: [] for name, _ in contenders}
    for repeat in range(args.repeat):  # interleaved, the order alternating
        for name, run in contenders[:: 1 if repeat % 2 == 0 else -1]:
            seconds[name].append(timed(run, raw))
    print(f"{'':8}{'median s':>10}{'best s':>9}{'peak MiB':>10}{'peak / input':>14}")
    for name, run in contenders:
        peak = traced(run, raw)
        median, best = statistics.median(seconds[name]), min(seconds[name])
        print(f"{name:8}{median:>10.2f}{best:>9.2f}{peak / 2**20:>10,.0f}{peak / size:>14.2f}")
    ratio = statistics.median(seconds["ksf"]) / statistics.median(seconds["pandas"])
    print(f"ksf / pandas, medians of {args.repeat} runs each: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
