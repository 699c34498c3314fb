"""What the benchmark measures besides the contenders' payrolls: time, memory, bandwidth,
compile time and the cache."""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import reference_card as rc

import ksf
import ksf.bound

MIN_BATCH_SECONDS = 0.05  # fast calls are repeated within a timed run to beat timer noise


@dataclass
class Result:
    """One contender at one size."""

    seconds: list[float] = field(default_factory=list)  # per call, one entry per round
    peak: int | None = None  # bytes above the inputs

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def batch_size(once: float) -> int:
    """Calls per timed run so that one run lasts at least MIN_BATCH_SECONDS."""
    return max(1, min(1000, int(MIN_BATCH_SECONDS / max(once, 1e-7))))


def timed(run: Callable[[], Any], calls: int) -> float:
    """Seconds per call over ``calls`` calls (results dropped as they come)."""
    start = time.perf_counter()
    for _ in range(calls):
        run()
    return (time.perf_counter() - start) / calls


def peak_memory(run: Callable[[], Any]) -> int:
    """Bytes allocated at the peak of one call above what was live when it started."""
    gc.collect()
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak - start


def bandwidth(gib: float = 1.0, repeat: int = 5) -> float:
    """Bytes per second moved (read + written) by a large NumPy copy, median of ``repeat``."""
    n = int(gib * 2**30) // 8
    source = np.ones(n)
    target = np.empty(n)
    np.copyto(target, source)  # touch every page first
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        np.copyto(target, source)
        times.append(time.perf_counter() - start)
    return 2 * n * 8 / statistics.median(times)


COMPILE_SCRIPT = """
import json, sys, time
sys.path.insert(0, {here!r})
import numpy as np
import reference_card as rc
import ksf
import ksf.bound
text = {text!r}
start = time.perf_counter(); book = ksf.compile(text); cold = time.perf_counter() - start
warm = []
for _ in range(3):
    start = time.perf_counter(); ksf.compile(text); warm.append(time.perf_counter() - start)
spent = {{"bind": 0.0}}
def timing(function):
    def call(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent["bind"] += time.perf_counter() - start
    return call
ksf.bound.bind = timing(ksf.bound.bind)
ksf.bound.compile_card = timing(ksf.bound.compile_card)
data = rc.make_data({rows}, 1)
data["card"] = np.array([f"c{{k % {cards}:03d}}" for k in range({rows})])
start = time.perf_counter(); book.evaluate(data); first = time.perf_counter() - start
print(json.dumps({{"cold": cold, "warm": sorted(warm)[1], "bind": spent["bind"],
                  "first": first}}))
"""


def beyond(k: int) -> str:
    return f"beyond {70 + k % 10}% reward 60"


def rulebook_text(cards: int) -> str:
    """``cards`` variations of the reference card, 8 lines each, sharing its table."""
    head = rc.RULES[: rc.RULES.index("card reference")]
    body = "\n".join(
        f"""card c{k:03d} {{
  base {3000 + 10 * k}
  gross_margin    balance {20 + k % 15}% step 1% reward {200 + k} penalty 100 cap 3000 floor -1500
  complaint_rate  balance 2% step 0.1% reward 50 penalty {80 + k % 7} floor -1200 lower_is_better
  sell_through    balance 60% step 1% reward 30 penalty 40 {beyond(k)} floor -800
  store_sales     pot 1400 balance {800_000 + 1000 * k} step 5000 reward 15 floor 0
  repurchase_rate balance 20% step 1% reward 45 prorate floor -900
  commission sales rate {1 + k % 3}% scaled_by perf_coefficient(kpi)
  min_pay 2360
}}"""
        for k in range(cards)
    )
    return head + body + "\n"


def compile_times(cards: int) -> dict[str, float]:
    """Parse+check (in a fresh process, and again warm) and bind+compile of a big rulebook."""
    script = COMPILE_SCRIPT.format(
        here=str(Path(__file__).resolve().parent),
        text=rulebook_text(cards),
        rows=10 * cards,
        cards=cards,
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=600
    )
    return json.loads(out.stdout)


def second_evaluate_is_cached(data: rc.Data) -> bool:
    """Evaluate twice with the same columns; the second must not bind or compile again."""
    book = ksf.compile(rc.RULES)
    calls = {"bind": 0, "compile_card": 0}
    originals = {name: getattr(ksf.bound, name) for name in calls}

    def counting(name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return originals[name](*args, **kwargs)

        return call

    for name in calls:
        setattr(ksf.bound, name, counting(name))
    try:
        book.evaluate(data, card=rc.CARD)
        first = dict(calls)
        book.evaluate(dict(data), card=rc.CARD)  # a new mapping with the same columns
    finally:
        for name, original in originals.items():
            setattr(ksf.bound, name, original)
    return first == {"bind": 1, "compile_card": 1} and calls == first
