"""Group aggregates (LANGUAGE.md §11) against pandas: `sum(x over team)`, `rank(x over all)`.

    python benchmarks/groups.py                   # 1M rows, 10,000 teams
    python benchmarks/groups.py --smoke           # 20,000 rows, agreement only

The aggregate's pre-pass (`ksf.groups.run_groups`, what `evaluate` runs before any card)
is timed against the pandas equivalent on a DataFrame built beforehand:
``groupby("team")["x"].transform("sum")`` and ``x.rank(method="min", ascending=False)``,
for team keys held as integers and as text. Both are first checked to agree (sums to
1e-9 relative, ranks exactly); then ``--repeat`` interleaved runs of each are timed
(best and median) and the ratio ksf / pandas is printed from this one run. The whole
`evaluate` of a one-line card reading the aggregate is timed too, for scale.
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

import pandas as pd

import ksf
from ksf import ir
from ksf.columns import from_data
from ksf.groups import run_groups

SUM = ir.Group("sum", ir.Column("x"), "team")
RANK = ir.Group("rank", ir.Column("x"), None)


def make_data(rows: int, groups: int, seed: int, text: bool) -> dict[str, Any]:
    """Sales in cents with a few ties, and a team per row (an integer or a name)."""
    rng = np.random.default_rng(seed)
    team = rng.integers(0, groups, rows)
    x = np.round(rng.gamma(2.0, 5000.0, rows), 2)  # noqa: TID251 - test data, not pay
    return {"team": np.char.add("team", team.astype(str)).astype(object) if text else team, "x": x}


def contenders(data: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    """The four timed functions: ksf and pandas, for the sum and for the rank."""
    columns = from_data(data)
    frame = pd.DataFrame(data)
    return {
        "ksf sum": lambda: run_groups([SUM], columns, {}, {}, {})[SUM].value,
        "pandas sum": lambda: frame.groupby("team")["x"].transform("sum").to_numpy(),
        "ksf rank": lambda: run_groups([RANK], columns, {}, {}, {})[RANK].value,
        "pandas rank": lambda: frame["x"].rank(method="min", ascending=False).to_numpy(),
    }


def check(runs: dict[str, Callable[[], Any]]) -> list[str]:
    """Where ksf and pandas disagree: sums beyond 1e-9 relative, ranks at all."""
    problems = []
    if not np.allclose(runs["ksf sum"](), runs["pandas sum"](), rtol=1e-9, atol=0):
        problems.append("sum(x over team) differs from groupby().transform('sum')")
    if not np.array_equal(runs["ksf rank"](), runs["pandas rank"]()):
        problems.append("rank(x over all) differs from rank(method='min', ascending=False)")
    return problems


def timings(runs: dict[str, Callable[[], Any]], repeat: int) -> dict[str, list[float]]:
    """Interleaved runs of each contender, so drift in the machine hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return times


def evaluate_time(data: dict[str, Any]) -> float:
    """One whole `evaluate` of a card paying 0.2% of the team's sales (bind, run, round)."""
    book = ksf.compile("card lead { commission sum(x over team) rate 0.2% }")
    start = time.perf_counter()
    book.evaluate(data, card="lead")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="20,000 rows, agreement only")
    args = parser.parse_args(argv)
    rows, groups = (20_000, 200) if args.smoke else (args.rows, args.groups)
    failed = False
    for text in (False, True):
        kind = "text" if text else "integer"
        data = make_data(rows, groups, args.seed, text)
        runs = contenders(data)
        problems = check(runs)
        if problems:
            failed = True
            print(f"{kind} keys: " + "; ".join(problems))
            continue
        print(f"{kind} keys, {rows:,} rows, {groups:,} groups: ksf and pandas agree")
        if args.smoke:
            continue
        times = timings(runs, args.repeat)
        for what in ("sum", "rank"):
            ours, theirs = times[f"ksf {what}"], times[f"pandas {what}"]
            print(
                f"  {what:4}: ksf best {min(ours) * 1e3:7.1f} ms (median "
                f"{statistics.median(ours) * 1e3:7.1f}), pandas best {min(theirs) * 1e3:7.1f} ms "
                f"(median {statistics.median(theirs) * 1e3:7.1f}); ratio ksf / pandas "
                f"{min(ours) / min(theirs):.2f} (best), "
                f"{statistics.median(ours) / statistics.median(theirs):.2f} (median)"
            )
        print(f"  whole evaluate of `commission sum(x over team) rate 0.2%`: "
              f"{evaluate_time(data) * 1e3:.1f} ms")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
