"""ksf against straightforward hand-written NumPy on one 8-line KSF card.

    python benchmarks/bench_evaluate.py [--rows N] [--repeat K] [--seed S] [--block B] [--smoke]

1. Builds N rows of seeded random data for the reference card below.
2. Computes the payroll twice: with ``ksf`` and with the whole-array NumPy a competent
   engineer would write without ksf.
3. Checks that both agree to the cent on every line and on the total (aborts if not).
4. Times both, interleaved in one process (median of K runs), and reports rows/second and
   the ratio ksf / NumPy. DESIGN.md's bar: at most 0.6x at 1,000,000 rows.
5. Measures the peak memory each one allocates above its inputs (tracemalloc; NumPy reports
   its buffers to it) against the size of the payroll it returns. Bar: at most 1.5x.

``--smoke`` runs the agreement check alone on 10,000 rows (CI). ``--block`` sets the row
block size ksf runs with. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

if importlib.util.find_spec("ksf") is None:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ksf
import ksf.execute
import ksf.machine

CARD = "reference"

RULES = """
indicator gross_margin = (revenue - cogs) / revenue  percent higher_is_better

card reference "benchmark reference card" {
  base 3000
  gross_margin    balance 30% step 1% reward 200 penalty 100 cap 3000 floor -1500
  complaint_rate  balance 2% step 0.1% reward 50 lower_is_better
  sell_through    balance 60% step 1% reward 30 penalty 40 beyond 75% reward 60 floor -800
  store_sales     pot 1400 balance 820000 step 5000 reward 15 floor 0
  repurchase_rate balance 20% step 1% reward 45 prorate floor -900
  allowance 300 as housing
  min_pay 2360
}
"""

LINES = (
    "base",
    "gross_margin",
    "complaint_rate",
    "sell_through",
    "store_sales",
    "repurchase_rate",
    "housing",
    "min_pay_topup",
)

Data = dict[str, np.ndarray]


# ---- data ------------------------------------------------------------------------------------


def make_data(n: int, seed: int) -> Data:
    """Plausible monthly figures, rounded the way exports round them.

    The rounding is deliberate: rates with few decimals land exactly on step boundaries (so
    the 9-decimal clean-up before truncating matters) and the prorated line hits half-cent
    ties (so half-up rounding matters).
    """
    rng = np.random.default_rng(seed)
    revenue = np.round(rng.lognormal(np.log(400_000), 0.5, n), 2)  # noqa: TID251 - data, not pay
    margin = rng.normal(0.30, 0.06, n)
    cogs = np.round(revenue * (1.0 - margin), 2)  # noqa: TID251
    return {
        "revenue": revenue,
        "cogs": cogs,
        "complaint_rate": np.round(rng.gamma(4.0, 0.005, n), 4),  # noqa: TID251
        "sell_through": np.round(rng.beta(6.0, 4.0, n), 3),  # noqa: TID251
        "store_sales": np.round(np.maximum(rng.normal(820_000, 200_000, n), 0.0)),  # noqa: TID251
        "repurchase_rate": np.round(rng.beta(4.0, 16.0, n), 5),  # noqa: TID251
    }


# ---- the same payroll in hand-written NumPy ----------------------------------------------------


def half_up(x: np.ndarray) -> np.ndarray:
    """Round to the cent, halves away from zero."""
    return np.floor(np.abs(x) * 100 + 0.5 + 1e-9) * np.sign(x) / 100


def whole_steps(value: np.ndarray, balance: float, step: float, direction: int = 1) -> np.ndarray:
    """Whole steps from the balance point toward zero, after removing float noise."""
    return np.trunc(np.round((value - balance) * (direction / step), 9))  # noqa: TID251


def numpy_payroll(d: Mapping[str, np.ndarray]) -> Data:
    """The reference card, written directly: one whole-array expression per line."""
    n = len(d["revenue"])
    pay: Data = {"base": np.full(n, 3000.0)}

    margin = (d["revenue"] - d["cogs"]) / d["revenue"]
    steps = whole_steps(margin, 0.30, 0.01)
    pay["gross_margin"] = np.clip(np.where(steps > 0, 200 * steps, 100 * steps), -1500, 3000)

    pay["complaint_rate"] = 50 * whole_steps(d["complaint_rate"], 0.02, 0.001, -1)

    steps = whole_steps(d["sell_through"], 0.60, 0.01)
    good = 30 * steps + (60 - 30) * np.maximum(steps - 15, 0)
    pay["sell_through"] = np.maximum(np.where(steps > 0, good, 40 * steps), -800)

    steps = whole_steps(d["store_sales"], 820_000, 5000)
    pay["store_sales"] = np.maximum(1400 + 15 * steps, 0)

    steps = np.round((d["repurchase_rate"] - 0.20) * (1 / 0.01), 9)  # noqa: TID251 - prorated
    pay["repurchase_rate"] = half_up(np.maximum(45 * steps, -900))

    pay["housing"] = np.full(n, 300.0)

    total = sum(pay.values())
    topup = half_up(np.maximum(2360 - total, 0))
    pay["min_pay_topup"] = topup
    pay["total"] = total + topup
    return pay


# ---- ksf -----------------------------------------------------------------------------------------


def ksf_payroll(book: ksf.Rulebook, d: Mapping[str, np.ndarray]) -> ksf.Payroll:
    return book.evaluate(d, card=CARD)


def set_block_rows(rows: int) -> None:
    """Make ksf run in blocks of ``rows`` rows (ksf reads the setting at each call)."""
    ksf.machine.BLOCK_ROWS = rows
    if len(ksf.machine.blocks(10 * rows, None)) != 10:
        raise SystemExit(f"could not set ksf's block size to {rows} rows")


def block_rows() -> int:
    return ksf.machine.block_rows()


# ---- checks and measurements -----------------------------------------------------------------


def check_agreement(pay: ksf.Payroll, ref: Data, data: Data) -> None:
    """Every line and the total to the cent, or abort naming the rows that differ."""
    if pay.lines != LINES:
        raise SystemExit(f"ksf returned lines {pay.lines}, expected {LINES}")
    problems = []
    for name in (*LINES, "total"):
        got = pay.total if name == "total" else pay[name]
        differ = np.flatnonzero(~(np.abs(got - ref[name]) < 0.005))
        if len(differ):
            row = int(differ[0])
            inputs = ", ".join(f"{k}={float(v[row])!r}" for k, v in data.items())
            problems.append(
                f"  {name}: {len(differ):,} rows differ; first is row {row}: "
                f"ksf {float(got[row])!r}, numpy {float(ref[name][row])!r} ({inputs})"
            )
    if problems:
        raise SystemExit("ksf and hand-written NumPy disagree:\n" + "\n".join(problems))


def coverage(ref: Data, data: Data) -> str:
    """How much of the card's logic the data exercises."""
    steps = np.round((data["repurchase_rate"] - 0.20) * (1 / 0.01), 9)  # noqa: TID251
    cents = np.abs(np.maximum(45 * steps, -900)) * 100
    parts = {
        "half-cent ties in repurchase_rate": np.abs(cents - np.floor(cents) - 0.5) < 1e-6,
        "on a step boundary in complaint_rate": np.rint(data["complaint_rate"] * 1e4) % 10 == 0,
        "gross_margin at cap/floor": np.isin(ref["gross_margin"], (3000, -1500)),
        "sell_through past 75%": ref["sell_through"] > 30 * 15,
        "store_sales at floor 0": ref["store_sales"] == 0,
        "topped up to min_pay": ref["min_pay_topup"] > 0,
    }
    return "; ".join(f"{np.mean(hit):.1%} {what}" for what, hit in parts.items())


def timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def peak_memory(run: Callable[[], Any]) -> int:
    """Bytes allocated at the peak of ``run()`` above what was live when it started."""
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak - start


# ---- the command -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=None, help="rows (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=None, help="timed runs (default 5)")
    parser.add_argument("--seed", type=int, default=20260701, help="random seed")
    parser.add_argument("--block", type=int, default=None, help="ksf block size in rows")
    parser.add_argument(
        "--smoke", action="store_true", help="10,000 rows, agreement check only (CI)"
    )
    args = parser.parse_args(argv)
    if args.rows is None:
        args.rows = 10_000 if args.smoke else 1_000_000
    if args.repeat is None:
        args.repeat = 1 if args.smoke else 5
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    if args.block is not None and args.block < 1:
        parser.error("--block must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.block is not None:
        set_block_rows(args.block)
    book = ksf.compile(RULES, name="bench_evaluate")
    data = make_data(args.rows, args.seed)

    pay = ksf_payroll(book, data)  # also binds and compiles the card (cached afterwards)
    ref = numpy_payroll(data)
    check_agreement(pay, ref, data)
    print(f"agreement: {args.rows:,} rows, every line and the total match to the cent")
    print(f"  data covers: {coverage(ref, data)}")
    del pay, ref
    if args.smoke:
        return 0

    contenders: dict[str, Callable[[], Any]] = {
        "hand-written NumPy": lambda: numpy_payroll(data),
        "ksf": lambda: ksf_payroll(book, data),
    }
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for k in range(args.repeat):
        order = list(contenders) if k % 2 == 0 else list(reversed(contenders))
        for name in order:
            times[name].append(timed(contenders[name]))
    medians = {name: statistics.median(t) for name, t in times.items()}
    peaks = {name: peak_memory(run) for name, run in contenders.items()}
    payroll_bytes = (len(LINES) + 1) * args.rows * 8

    pairs = [k / n for k, n in zip(times["ksf"], times["hand-written NumPy"], strict=True)]

    print(
        f"\n{args.rows:,} rows x {len(LINES)}-line card; {args.repeat} runs each, interleaved; "
        f"ksf block {block_rows():,} rows; numpy {np.__version__}"
    )
    header = f"{'':<20}{'median':>10}{'best':>10}{'rows/s':>13}{'peak mem':>12}{'x payroll':>11}"
    print(header)
    print("-" * len(header))
    for name in contenders:
        seconds, peak = medians[name], peaks[name]
        print(
            f"{name:<20}{seconds * 1e3:>8.1f}ms{min(times[name]) * 1e3:>8.1f}ms"
            f"{args.rows / seconds:>13,.0f}{peak / 2**20:>9.1f}MiB{peak / payroll_bytes:>10.2f}x"
        )
    print("-" * len(header))
    ratio = medians["ksf"] / medians["hand-written NumPy"]
    memory = peaks["ksf"] / payroll_bytes
    print(f"payroll returned: {payroll_bytes / 2**20:.1f} MiB ({len(LINES)} lines + total)")
    print(
        f"ksf / NumPy time:   {ratio:.2f}x  (target <= 0.60x: {_verdict(ratio <= 0.6)}; "
        f"run by run {min(pairs):.2f}x to {max(pairs):.2f}x)"
    )
    print(f"ksf peak / payroll: {memory:.2f}x  (target <= 1.50x: {_verdict(memory <= 1.5)})")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    cpus = os.cpu_count() or 1
    if load > cpus / 2:
        print(f"note: load average {load:.1f} on {cpus} CPUs; other work skews these timings")
    return 0


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
