"""Mixed-card payrolls: rows of 20 cards interleaved, against the same rows grouped by card.

    python benchmarks/mixed.py                    # 10M rows, 5 interleaved rounds
    python benchmarks/mixed.py --rows 5M --repeat 7 --chunk-rows 245760
    python benchmarks/mixed.py --smoke            # 20,000 rows: agreement only (CI)

The book is the 20-card variation of the reference card (`measure.rulebook_text(20)`), the
data the reference card's (`reference_card.make_data(n, 1)`). Contenders, all in one run:

- **mixed**: row k is paid by card ``c{k % 20}``, the 20 cards interleaved row by row;
- **random**: each row's card drawn at random (seeded): no regular pattern to exploit;
- **grouped** (the anchor): the same rows as *mixed*, sorted by card, so each card's rows
  are consecutive;
- **one card**: every row paid by ``c000`` (``card=``), no card column at all;
- **mixed, N threads**: *mixed* with ``threads=N`` (N: the cores available), when N > 1.

The others run with ``threads=--threads`` (default 1). First the payrolls must agree: each
contender with a card column pays every row, every line and the total bit for bit, what
its rows sorted by card pay (*mixed*'s sorted rows are *grouped*). Then ``--repeat``
rounds are timed, the contenders in turn (the order reversed every other round), and each
one's median is reported in rows per second and as a ratio to *grouped*: on a machine
shared with other work, the ratios from one run are what to compare, not the seconds. The
process's CPU time is reported too (median, and its ratio): a contender that waits for the
CPU while others run is not charged for the wait (on several threads it adds up theirs).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

if importlib.util.find_spec("ksf") is None:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import reference_card as rc
from measure import rulebook_text
from report import machine_facts, warn_if_busy
from run import parse_size

import ksf
import ksf.row_plan
from ksf.row_plan import available_cores

CARDS = 20


def datasets(n: int, seed: int) -> dict[str, dict[str, Any]]:
    """The data of each contender: the same figures, their cards in different orders."""
    data = rc.make_data(n, 1)
    names = np.array([f"c{k:03d}" for k in range(CARDS)])
    interleaved = np.arange(n) % CARDS
    order = np.argsort(interleaved, kind="stable")
    drawn = np.random.default_rng(seed).integers(0, CARDS, n)
    return {
        "mixed": {**data, "card": names[interleaved]},
        "random": {**data, "card": names[drawn]},
        "grouped": {name: values[order] for name, values in data.items()}
        | {"card": names[interleaved[order]]},
        "one card": data,
    }


def contenders(
    book: ksf.Rulebook, sets: dict[str, dict[str, Any]], threads: int, many: int
) -> dict[str, Callable[[], ksf.Payroll]]:
    """The timed calls, by name."""
    runs: dict[str, Callable[[], ksf.Payroll]] = {
        name: (lambda data=data: book.evaluate(data, threads=threads))
        for name, data in sets.items()
        if name != "one card"
    }
    runs["one card"] = lambda: book.evaluate(sets["one card"], card="c000", threads=threads)
    if many > 1:
        runs[f"mixed, {many} threads"] = lambda: book.evaluate(sets["mixed"], threads=many)
    return runs


def payroll(result: ksf.Payroll) -> np.ndarray:
    """Every line and the total, one row per data row."""
    return np.vstack([result[line] for line in result.lines] + [result.total])


def disagreement(
    book: ksf.Rulebook,
    sets: dict[str, dict[str, Any]],
    runs: dict[str, Callable[[], ksf.Payroll]],
) -> str | None:
    """How a contender's payroll differs from its rows' grouped by card, or None.

    Each contender with a card column is compared with its own rows sorted by card (a
    stable sort), evaluated and put back in the data's order: *mixed*'s sorted rows are
    *grouped*'s.
    """
    for name, run in runs.items():
        if name in ("grouped", "one card"):
            continue
        data = sets["mixed" if name.startswith("mixed") else name]
        order = np.argsort(data["card"], kind="stable")
        wanted = np.empty_like(payroll(run()))
        wanted[:, order] = payroll(book.evaluate({k: v[order] for k, v in data.items()}))
        got = payroll(run())
        if not np.array_equal(got, wanted):
            rows = np.flatnonzero((got != wanted).any(axis=0))
            return f"{name}: {len(rows):,} rows differ from grouped; the first is row {rows[0]}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=parse_size, default=10_000_000, help="rows (default 10M)")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--threads", type=int, default=1, help="threads= of the contenders")
    parser.add_argument(
        "--chunk-rows", type=parse_size, default=None, help="ksf.row_plan.CHUNK_ROWS"
    )
    parser.add_argument("--seed", type=int, default=20260701, help="seed of the random cards")
    parser.add_argument("--smoke", action="store_true", help="20,000 rows, agreement only")
    args = parser.parse_args(argv)
    n = 20_000 if args.smoke else args.rows
    ksf.row_plan.CHUNK_ROWS = 4_096 if args.smoke else args.chunk_rows  # smoke: several chunks
    facts = machine_facts()
    print("ksf mixed-card benchmark:", ", ".join(f"{k} {v}" for k, v in facts.items()))
    warn_if_busy()
    book = ksf.compile(rulebook_text(CARDS))
    sets = datasets(n, args.seed)
    runs = contenders(book, sets, args.threads, available_cores())
    problem = disagreement(book, sets, runs)
    if problem:
        print(problem)
        return 1
    print(f"{n:,} rows: every contender's payroll equals grouped's, row for row, bit for bit")
    if args.smoke:
        return 0
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for round_ in range(args.repeat):
        for name in list(runs) if round_ % 2 == 0 else list(reversed(runs)):
            start, used = time.perf_counter(), time.process_time()
            runs[name]()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - used)
    anchor = statistics.median(wall["grouped"])
    anchor_cpu = statistics.median(cpu["grouped"])
    print(f"\n{'contender':<20}{'median s':>10}{'rows/s':>10}{'/ grouped':>11}", end="")
    print(f"{'CPU s':>9}{'/ grouped':>11}")
    for name in runs:
        median, used = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"{name:<20}{median:>10.3f}{n / median / 1e6:>9.1f}M{median / anchor:>11.2f}", end="")
        print(f"{used:>9.3f}{used / anchor_cpu:>11.2f}")
    warn_if_busy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
