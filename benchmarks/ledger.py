"""The ledger (LANGUAGE.md §13): posting, reading back, history and rerun, timed.

    python benchmarks/ledger.py                          # 20,000 rows, a SQLite file
    python benchmarks/ledger.py --rows 5000 --url postgresql+psycopg://me@localhost/scratch
    python benchmarks/ledger.py --smoke                  # 500 rows: every step agrees

A five-line card is evaluated for ``--rows`` employees (three values read per row), then
posted to a new ledger (a SQLite file in a temporary directory, or the database ``--url``
names, which must be empty), read back as a payroll (compared to the cent), read as history
(one query), and computed again with `Ledger.rerun` (every amount as posted). Each step's
time is printed, with the evaluation's for scale.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

if importlib.util.find_spec("ksf") is None:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ksf

T = TypeVar("T")

RULES = """card operator {
  base 5000
  gross_margin balance 25% step 1% reward 200 penalty 100
  commission sales rate 0.5%
  bonus 1000 when returns <= 5%
  allowance 300 as housing
}
"""


def timed(label: str, rows: int, step: Callable[[], T]) -> T:
    """Run ``step``, print its time and rows a second, return its result."""
    start = time.perf_counter()
    result = step()
    took = time.perf_counter() - start
    print(f"  {label:<10} {took:8.3f} s   {rows / took:12,.0f} rows/s")
    return result


def main() -> None:
    """Time every step on one ledger."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rows", type=int, default=20_000)
    options.add_argument("--url", help="an empty database's SQLAlchemy URL (default: SQLite)")
    options.add_argument("--smoke", action="store_true", help="500 rows, agreement only")
    args = options.parse_args()
    n = 500 if args.smoke else args.rows
    rng = np.random.default_rng(7)
    ids = [f"E{k:07d}" for k in range(n)]
    data = {"employee": ids, "gross_margin": rng.uniform(0.1, 0.4, n),
            "sales": rng.uniform(0, 1e6, n), "returns": rng.uniform(0, 0.1, n)}  # fmt: skip
    book = ksf.compile(RULES, name="bench.ksf")
    print(f"{n:,} rows × 5 lines, {'a SQLite file' if args.url is None else args.url}")
    pay = timed("evaluate", n, lambda: book.evaluate(data, period="2026-07"))
    with tempfile.TemporaryDirectory() as folder:
        where = args.url or str(Path(folder) / "pay.db")
        with ksf.Ledger(where) as ledger:
            timed("post", n, lambda: ledger.post(pay))
            back = timed("read", n, lambda: ledger.payroll("2026-07"))
            names = ["sales", "total"]
            history = timed("history", n, lambda: ledger.history(ids, "2026-07", "2026-07", names))
            rerun = timed("rerun", n, lambda: ledger.rerun("2026-07"))
    assert np.array_equal(back.total, pay.total)
    assert np.array_equal(history.values["total"][0], pay.total)
    assert rerun.same
    print("  every amount read back, in history and recomputed is the one posted")


if __name__ == "__main__":
    main()
