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
import gc
import os
import platform
import re
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
import peers
import reference_card as rc

import ksf
import ksf.machine
import ksf.rulebook

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"
MIN_BATCH_SECONDS = 0.05  # fast calls are repeated within a timed run to beat timer noise


# ---- measurements ------------------------------------------------------------------------------


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
import ksf.rulebook
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
ksf.rulebook.bind = timing(ksf.rulebook.bind)
ksf.rulebook.compile_card = timing(ksf.rulebook.compile_card)
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
    import json

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
    originals = {name: getattr(ksf.rulebook, name) for name in calls}

    def counting(name: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return originals[name](*args, **kwargs)

        return call

    for name in calls:
        setattr(ksf.rulebook, name, counting(name))
    try:
        book.evaluate(data, card=rc.CARD)
        first = dict(calls)
        book.evaluate(dict(data), card=rc.CARD)  # a new mapping with the same columns
    finally:
        for name, original in originals.items():
            setattr(ksf.rulebook, name, original)
    return first == {"bind": 1, "compile_card": 1} and calls == first


# ---- the run -------------------------------------------------------------------------------------


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


def limit(contender: peers.Contender, args: argparse.Namespace) -> int | None:
    """The largest size this contender runs at (None: every size)."""
    if not contender.per_row:
        return None
    return args.per_row_max or contender.max_rows


def run_size(
    n: int, contenders: list[peers.Contender], args: argparse.Namespace
) -> dict[str, Result]:
    """Agreement first, then timing and memory, for every contender that runs at ``n`` rows."""
    data = rc.make_data(n, args.seed)
    ref = rc.numpy_payroll(data)
    runs = {}
    batches = {}
    for contender in contenders:
        cap = limit(contender, args)
        if cap is not None and n > cap:
            continue
        run = contender.setup(data)
        start = time.perf_counter()
        result = run()
        batches[contender.name] = batch_size(time.perf_counter() - start)  # untimed warm-up
        problems = rc.disagreements(contender.name, contender.lines(result), ref, data)
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
        ksf.machine.BLOCK_ROWS = args.block
    found = select(peers.contenders(os.cpu_count() or 1), args.only)
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


# ---- reporting -----------------------------------------------------------------------------------


def machine_facts() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    model = Path("/proc/cpuinfo")
    if model.exists():
        for line in model.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "CPU": f"{cpu} ({os.cpu_count()} cores)",
        "Python": platform.python_version(),
        "NumPy": np.__version__,
        "ksf": ksf.__version__,
        "load": load_text(),
    }


def load_text() -> str:
    if not hasattr(os, "getloadavg"):
        return "unknown"
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def warn_if_busy() -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    cpus = os.cpu_count() or 1
    if load > cpus / 2:
        print(f"WARNING: load average {load:.1f} on {cpus} CPUs; other work skews these timings")


def size_label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return f"{n:,}"


def rate(n: int, seconds: float) -> str:
    per_second = n / seconds
    if per_second >= 1e6:
        return f"{per_second / 1e6:.1f}M"
    if per_second >= 1e3:
        return f"{per_second / 1e3:.1f}k"
    return f"{per_second:.0f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


@dataclass
class Report:
    args: argparse.Namespace
    facts: dict[str, str]
    contenders: list[peers.Contender]
    skipped: dict[str, str]
    results: dict[int, dict[str, Result]]
    compiled: dict[str, float]
    speed: float
    cached: bool

    def command(self) -> str:
        parts = ["python benchmarks/run.py"]
        if self.args.sizes != [10_000, 100_000, 1_000_000, 10_000_000]:
            parts.append("--sizes " + ",".join(size_label(n) for n in self.args.sizes))
        if self.args.repeat != 5:
            parts.append(f"--repeat {self.args.repeat}")
        if self.args.per_row_repeat != self.args.repeat:
            parts.append(f"--per-row-repeat {self.args.per_row_repeat}")
        if self.args.per_row_max:
            parts.append(f"--per-row-max {self.args.per_row_max}")
        if self.args.only:
            parts.append(f"--only {self.args.only}")
        if self.args.cards != 200:
            parts.append(f"--cards {self.args.cards}")
        if self.args.seed != 20260701:
            parts.append(f"--seed {self.args.seed}")
        if self.args.block is not None:
            parts.append(f"--block {self.args.block}")
        return " ".join(parts)

    def table(self) -> list[list[str]]:
        """Rows of cells: the header, then one row per contender."""
        sizes = self.args.sizes
        header = ["contender"]
        for n in sizes:
            header += [f"{size_label(n)} rows/s", f"{size_label(n)} peak"]
        rows = [header]
        for contender in self.contenders:
            cells = [contender.name]
            for n in sizes:
                found = self.results[n].get(contender.name)
                if found is None:
                    cap = limit(contender, self.args)
                    cells += [f"— (stops at {size_label(cap or 0)})", ""]
                    continue
                peak = found.peak or 0
                ratio = peak / rc.payroll_bytes(n)
                cells += [rate(n, found.median), f"{peak / 2**20:.1f} MiB ({ratio:.2f}×)"]
            rows.append(cells)
        return rows

    def ratios(self, a: str, b: str) -> dict[int, tuple[float, float, float]]:
        """a/b median time ratio per size, with the run-by-run range."""
        out = {}
        for n, found in self.results.items():
            if a in found and b in found:
                pairs = [x / y for x, y in zip(found[a].seconds, found[b].seconds, strict=False)]
                out[n] = (found[a].median / found[b].median, min(pairs), max(pairs))
        return out

    def targets(self) -> list[tuple[str, str, str]]:
        """(target, measured, verdict) rows."""
        rows = []
        numpy_ratio = self.ratios("ksf", peers.NumPy.name)
        for n in (1_000_000, 10_000_000):
            if n in numpy_ratio:
                r, lo, hi = numpy_ratio[n]
                rows.append(
                    (
                        f"ksf ≤ 0.6× hand-written NumPy time at {size_label(n)} rows",
                        f"{r:.2f}× (run by run {lo:.2f}–{hi:.2f}×)",
                        verdict(r <= 0.6),
                    )
                )
        loop = self.ratios(peers.PythonLoop.name, "ksf")
        if loop:
            n = max(loop)
            r = loop[n][0]
            rows.append(
                (
                    f"ksf ≥ 100× faster than the Python loop (at {size_label(n)} rows)",
                    f"{r:,.0f}×",
                    verdict(r >= 100),
                )
            )
        for n in self.args.sizes:
            found = self.results[n].get("ksf")
            if found is not None and found.peak is not None:
                ratio = found.peak / rc.payroll_bytes(n)
                if n == max(self.args.sizes) or n == 1_000_000:
                    rows.append(
                        (
                            f"ksf peak memory above inputs ≤ 1.5× payroll at {size_label(n)} rows",
                            f"{ratio:.2f}×",
                            verdict(ratio <= 1.5),
                        )
                    )
        total = self.compiled["warm"] + self.compiled["bind"]
        rows.append(
            (
                f"{self.args.cards}-card × 8-line rulebook compiles in < 1 s",
                f"{total:.2f} s (parse + check {self.compiled['warm']:.2f} s, bind + compile "
                f"{self.compiled['bind']:.2f} s; first in a fresh "
                f"process: parse + check {self.compiled['cold']:.2f} s)",
                verdict(total < 1.0),
            )
        )
        rows.append(
            (
                "second evaluate with the same columns skips binding and compiling",
                "yes" if self.cached else "no",
                verdict(self.cached),
            )
        )
        return rows

    def bounds(self) -> list[tuple[str, str, str, str]]:
        rows = []
        for n in self.args.sizes:
            found = self.results[n].get("ksf")
            if found is None:
                continue
            moved = rc.input_bytes(n) + rc.payroll_bytes(n)
            bound = moved / self.speed
            rows.append(
                (
                    size_label(n),
                    f"{moved / 2**20:,.0f} MiB",
                    f"{bound * 1e3:.2f} ms",
                    f"{found.median * 1e3:.2f} ms ({found.median / bound:.1f}×)",
                )
            )
        return rows

    def text(self) -> str:
        lines = [
            f"reference card: {len(rc.LINES)} lines, {len(rc.INPUTS)} input columns; "
            f"median of {self.args.repeat} interleaved rounds "
            f"(per-row peers {self.args.per_row_repeat}); peak = tracemalloc peak above "
            "the inputs (× the payroll returned)"
        ]
        lines += _text_table(self.table())
        for name, reason in self.skipped.items():
            lines.append(f"skipped {name}: {reason}")
        lines.append("")
        lines.append(
            f"memory bandwidth (1 GiB NumPy copy, read + write): {self.speed / 1e9:.1f} GB/s"
        )
        lines += _text_table(
            [
                ["rows", "inputs + payroll", "bandwidth bound", "ksf (× bound)"],
                *map(list, self.bounds()),
            ]
        )
        lines.append("")
        lines += _text_table([["target", "measured", ""], *map(list, self.targets())])
        return "\n".join(lines)

    def markdown(self) -> str:
        facts = "; ".join(f"{k} {v}" for k, v in self.facts.items() if k != "load")
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        out = [
            f"Measured {when} with `{self.command()}` — {facts}; load average (1, 5 and 15 "
            f"minutes) {self.facts['load']} at the start and {load_text()} at the end.",
            "",
        ]
        out += _markdown_table(self.table())
        if self.skipped:
            out.append("")
            out += [f"Skipped {name}: {reason}." for name, reason in self.skipped.items()]
        out += [
            "",
            f"Memory bandwidth (1 GiB NumPy copy, bytes read + written): "
            f"**{self.speed / 1e9:.1f} GB/s**.",
            "",
        ]
        out += _markdown_table(
            [
                ["rows", "inputs + payroll", "bandwidth bound", "ksf (× bound)"],
                *map(list, self.bounds()),
            ]
        )
        out += [""]
        out += _markdown_table([["target", "measured", ""], *map(list, self.targets())])
        return "\n".join(out) + "\n"


def _text_table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, row in enumerate(rows):
        lines.append(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if k == 0:
            lines.append("-" * len(lines[0]))
    return lines


def _markdown_table(rows: list[list[str]]) -> list[str]:
    lines = [
        "| " + " | ".join(rows[0]) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(rows[0]) - 1)) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return lines


def update_docs(markdown: str) -> None:
    """Replace what stands between the benchmark markers in docs/performance.md."""
    text = DOCS.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{DOCS} has no {BEGIN} … {END} section to update")
    DOCS.write_text(text[: start + len(BEGIN)] + "\n" + markdown + text[end:], encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
