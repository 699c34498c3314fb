"""The benchmark's results as a text table and as markdown for docs/performance.md."""

from __future__ import annotations

import argparse
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import peers
import reference_card as rc
from measure import Result

import ksf

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- benchmark:begin -->", "<!-- benchmark:end -->"


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
                    cap = peers.limit(contender, self.args.per_row_max)
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
        for name, points in ((peers.KsfPerRow.name, "read"), (peers.KsfVarying.name, "varying")):
            per_row = self.ratios(name, "ksf")
            for n in (1_000_000, 10_000_000):
                if n in per_row:
                    r, lo, hi = per_row[n]
                    rows.append(
                        (
                            f"balance points {points} per row ≤ 1.3× written ones at "
                            f"{size_label(n)} rows",
                            f"{r:.2f}× (run by run {lo:.2f}–{hi:.2f}×)",
                            verdict(r <= 1.3),
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
