"""ksf against its peers on one reference card, side by side, in one run.

    python benchmarks/run.py                       # 10k, 100k, 1M, 10M rows; 5 runs each
    python benchmarks/run.py --smoke               # 2,000 rows, agreement checks only (CI)
    python benchmarks/run.py --update-docs         # also rewrite the table in docs/performance.md

1. For each size, builds seeded data for the reference card (benchmarks/reference_card.py).
2. Every contender computes the payroll; every line and the total must agree with the
   hand-written NumPy to the cent, or the command stops with exit status 1 naming the first
   differing row. Timing only starts after that.
3. Times the contenders interleaved in one process (median of --repeat rounds), measures
   each one's peak memory above its inputs (tracemalloc), and prints one table.
4. Reports the compile time of a 200-card rulebook, whether a second evaluate skips binding
   and compiling, the machine's memory bandwidth, the bandwidth-limited lower bound for
   ksf's inputs and outputs, and ksf's distance from it.

See docs/performance.md for the method and the results.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import peers
import reference_card as rc
from measure import (
    Result,
    bandwidth,
    batch_size,
    compile_times,
    peak_memory,
    second_evaluate_is_cached,
    timed,
)
from report import DOCS, ROOT, Report, machine_facts, update_docs, warn_if_busy

import ksf.frame


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d[\d_]*)([kKmM]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a row count: {text!r} (try 10k, 1M, 250000)")
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match[2].lower()]
    return int(match[1].replace("_", "")) * scale


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="row counts (default 10k,100k,1M,10M)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument(
        "--per-row-repeat",
        type=int,
        default=None,
        help="timed rounds for per-row peers (default: --repeat)",
    )
    parser.add_argument(
        "--per-row-max",
        type=parse_size,
        default=None,
        help="largest size for per-row peers (default: each peer's own, 100k; 10k for rule-engine)",
    )
    parser.add_argument(
        "--only",
        default=None,
        help="comma-separated contender names, e.g. "
        "ksf,numpy (matched by prefix, case-insensitive)",
    )
    parser.add_argument("--seed", type=int, default=20260701, help="random seed")
    parser.add_argument("--block", type=int, default=None, help="ksf row block size")
    parser.add_argument("--cards", type=int, default=200, help="cards in the compile test")
    parser.add_argument(
        "--smoke", action="store_true", help="2,000 rows, agreement checks only (CI)"
    )
    parser.add_argument(
        "--markdown",
        type=Path,
        default=None,
        help="also write the results as markdown to this file",
    )
    parser.add_argument(
        "--update-docs",
        action="store_true",
        help="rewrite the results section of docs/performance.md",
    )
    args = parser.parse_args(argv)
    default = "2000" if args.smoke else "10k,100k,1M,10M"
    args.sizes = [parse_size(s) for s in (args.sizes or default).split(",")]
    if args.repeat < 1 or min(args.sizes) < 1:
        parser.error("--repeat and --sizes must be at least 1")
    args.per_row_repeat = args.per_row_repeat or args.repeat
    return args


def select(found: list[peers.Contender], only: str | None) -> list[peers.Contender]:
    if not only:
        return found
    wanted = [w.strip().lower() for w in only.split(",") if w.strip()]
    chosen = [
        c
        for c in found
        if any(
            c.name.lower().startswith(w) or (w == "numpy" and c.name == peers.NumPy.name)
            for w in wanted
        )
    ]
    if not chosen:
        raise SystemExit(f"--only {only!r} matches no contender")
    return chosen


def run_size(
    n: int, contenders: list[peers.Contender], args: argparse.Namespace
) -> dict[str, Result]:
    """Agreement first, then timing and memory, for every contender that runs at ``n`` rows."""
    data = rc.make_data(n, args.seed)
    ref = rc.numpy_payroll(data)
    runs = {}
    batches = {}
    for contender in contenders:
        cap = peers.limit(contender, args.per_row_max)
        if cap is not None and n > cap:
            continue
        run = contender.setup(data)
        start = time.perf_counter()
        result = run()
        batches[contender.name] = batch_size(time.perf_counter() - start)  # untimed warm-up
        expected = contender.reference(data, ref)
        problems = rc.disagreements(contender.name, contender.lines(result), expected, data)
        del result
        if problems:
            print(f"\n{contender.name} and hand-written NumPy disagree at {n:,} rows:")
            print("\n".join(problems))
            raise SystemExit(1)
        runs[contender.name] = run
    print(f"{n:>12,} rows: {len(runs)} contenders agree to the cent on every line and the total")
    print(f"{'':>14}data covers: {rc.coverage(ref, data)}")
    del ref
    if args.smoke:
        return {}
    results = {name: Result() for name in runs}
    per_row = {c.name for c in contenders if c.per_row}
    for k in range(max(args.repeat, args.per_row_repeat)):
        names = list(runs) if k % 2 == 0 else list(reversed(runs))
        for name in names:
            if k >= (args.per_row_repeat if name in per_row else args.repeat):
                continue
            results[name].seconds.append(timed(runs[name], batches[name]))
    for name, run in runs.items():
        results[name].peak = peak_memory(run)
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.block is not None:
        ksf.frame.BLOCK_ROWS = args.block
    found = select(peers.contenders(os.cpu_count() or 1, args.seed), args.only)
    contenders = []
    skipped = {}
    for contender in found:
        reason = contender.missing()
        if reason:
            skipped[contender.name] = reason
        else:
            contenders.append(contender)
    facts = machine_facts()
    print("ksf benchmark:", ", ".join(f"{k} {v}" for k, v in facts.items()))
    warn_if_busy()
    for name, reason in skipped.items():
        print(f"skipped {name}: {reason}")

    results = {n: run_size(n, contenders, args) for n in args.sizes}
    cached = second_evaluate_is_cached(rc.make_data(1000, args.seed))
    print(
        f"second evaluate with the same columns skips binding and compiling: "
        f"{'yes' if cached else 'NO'}"
    )
    if args.smoke:
        if "ksf" not in [c.name for c in contenders] or not cached:
            return 1
        print(
            "smoke: agreement checks passed"
            + (f"; skipped {len(skipped)} peer(s)" if skipped else "")
        )
        return 0

    compiled = compile_times(args.cards)
    speed = bandwidth()
    report = Report(args, facts, contenders, skipped, results, compiled, speed, cached)
    print()
    print(report.text())
    warn_if_busy()
    markdown = report.markdown()
    if args.markdown:
        args.markdown.write_text(markdown, encoding="utf-8")
        print(f"wrote {args.markdown}")
    if args.update_docs:
        update_docs(markdown)
        print(f"updated {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
