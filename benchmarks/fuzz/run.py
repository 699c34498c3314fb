"""The ksf fuzzer: rule files, adversarial data and command-line runs, for a time budget.

    python benchmarks/fuzz/run.py --minutes 30 --seed 1 --out fuzz-out
    python benchmarks/fuzz/run.py --seconds 60 --seed 0 --out /tmp/fuzz     # what CI runs

Categories (their share of the budget):
- ``rules-gen``: grammar-based rule files (every statement and clause of LANGUAGE.md §1-8,
  valid and near-valid), compiled, formatted (round trip) and evaluated on generated data;
- ``rules-mut``: the repository's own rule files mutated at byte and token level;
- ``data``: adversarial columns (NaN, inf, odd strings, bools, bytes, surrogates, masked,
  structured, categorical, uint64, length mismatches, duplicate ids, …) in a dict of
  lists / NumPy arrays, a pandas or polars DataFrame or a pyarrow Table;
- ``cli``: ``ksf run/check/explain/fmt`` on mutated CSV/XLSX/JSON/Parquet files.

Each finding is saved under OUT/findings/<kind>-<hash>/ with a standalone reproducer
(``repro.py`` for rule and data cases, the files and ``command.txt`` for the command
line), deduplicated by kind + exception type + location; the smallest input of each is
kept. OUT/summary.md has the table; the exit status is 1 when anything was found.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import cli  # noqa: E402
import rules  # noqa: E402
from data import DataGen  # noqa: E402

CATEGORIES = {"rules-gen": 0.35, "rules-mut": 0.25, "data": 0.2, "cli": 0.2}
KINDS = ("crash", "hang", "roundtrip", "money", "formula", "escape", "overwrite", "error")


@dataclass
class Stats:
    tried: int = 0
    ok: int = 0
    rejected: int = 0  # a clean ksf error
    skipped: int = 0  # the data container itself could not be built
    seconds: float = 0.0
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))


class Findings:
    """Findings on disk, one folder per distinct key, the smallest input kept."""

    def __init__(self, out: Path) -> None:
        self.dir = out / "findings"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.seen: dict[str, dict[str, Any]] = {}

    def add(
        self,
        kind: str,
        key: str,
        detail: str,
        files: dict[str, str | bytes],
        category: str,
        size: int,
        case: tuple[str, str | None] | None = None,
    ) -> bool:
        """Record a finding; True when its key is new."""
        slug = f"{kind}-{hashlib.sha1(key.encode('utf-8', 'replace')).hexdigest()[:10]}"
        entry = self.seen.get(key)
        new = entry is None
        if entry is None:
            entry = self.seen[key] = {
                "kind": kind,
                "key": key,
                "hits": 0,
                "size": None,
                "category": category,
                "folder": slug,
            }
        entry["hits"] += 1
        if entry["size"] is None or size < entry["size"]:
            entry["size"] = size
            entry["case"] = case
            folder = self.dir / slug
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            for name, content in files.items():
                if isinstance(content, bytes):
                    (folder / name).write_bytes(content)
                else:
                    (folder / name).write_text(content, encoding="utf-8", errors="backslashreplace")
            (folder / "finding.txt").write_text(
                f"{key}\ncategory: {category}\n\n{detail}",
                encoding="utf-8",
                errors="backslashreplace",
            )
        return new


class Worker:
    """A child process for rule and data cases, killed and restarted on a hang."""

    def __init__(self, timeout: float, memory_gib: float, slow: float = 0.0) -> None:
        self.timeout = timeout
        self.slow = slow
        self.memory_gib = memory_gib
        self.proc: Any = None
        self.conn: Any = None

    def start(self) -> None:
        import worker

        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=worker.serve,
            args=(child, str(ROOT), self.memory_gib, self.slow),
            daemon=True,
        )
        self.proc.start()
        child.close()
        if not self.conn.poll(120):
            msg = "the fuzz worker did not start"
            raise RuntimeError(msg)
        self.conn.recv()

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join(5)
            self.proc = None

    def run(self, text: str, data_code: str | None) -> dict[str, Any]:
        if self.proc is None:
            self.start()
        stage = "send"
        try:
            self.conn.send((text, data_code))
            deadline = time.monotonic() + self.timeout
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not self.conn.poll(left):
                    self.stop()
                    return {
                        "outcome": "finding",
                        "kind": "hang",
                        "stage": stage,
                        "key": f"hang ({stage})",
                        "detail": f"no answer in {self.timeout:.0f} s, in stage {stage}",
                    }
                what, value = self.conn.recv()
                if what == "stage":
                    stage = value
                    continue
                return value
        except (EOFError, OSError, BrokenPipeError):
            code = self.proc.exitcode if self.proc is not None else None
            self.stop()
            return {
                "outcome": "finding",
                "kind": "crash",
                "stage": stage,
                "key": f"crash worker died with exit code {code} ({stage})",
                "detail": f"the process running the case died (exit code {code}) in {stage}",
            }


def _words(text: str) -> list[str]:
    """Tokens, each with the white space after it (so removing one never glues two)."""
    out: list[str] = []
    for tok in rules.TOKEN.findall(text):
        if tok.isspace() and out:
            out[-1] += tok
        else:
            out.append(tok)
    return out


def reduce_text(text: str, still: Any, seconds: float) -> str:
    """Delta debugging over lines, then tokens: the smallest text for which still() holds."""
    end = time.monotonic() + seconds
    for split in (lambda t: t.splitlines(keepends=True), _words):
        parts = split(text)
        chunk = max(1, len(parts) // 2)
        while chunk >= 1 and time.monotonic() < end:
            i = 0
            changed = False
            while i < len(parts) and time.monotonic() < end:
                trial = parts[:i] + parts[i + chunk :]
                if trial and still("".join(trial)):
                    parts = trial
                    changed = True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
        text = "".join(parts)
    return text


def reduce_data(code: str, still: Any, seconds: float) -> str:
    """Drop the data's columns (each a ``v = …`` line and the next) while still() holds."""
    lines = code.splitlines(keepends=True)
    starts = [i for i, ln in enumerate(lines) if ln.startswith("v = ")]
    if not starts:
        return code
    head, tail = lines[: starts[0]], lines[starts[-1] + 2 :]
    blocks = [lines[i : i + 2] for i in starts]
    end = time.monotonic() + seconds
    i = 0
    while i < len(blocks) and time.monotonic() < end:
        trial = blocks[:i] + blocks[i + 1 :]
        if still("".join(head + [ln for b in trial for ln in b] + tail)):
            blocks = trial
        else:
            i += 1
    return "".join(head + [ln for b in blocks for ln in b] + tail)


def repro(text: str, data_code: str | None) -> str:
    """A standalone script that replays a rule or data case."""
    body = [
        '"""Replay of a fuzz finding: run it with ksf importable."""',
        "import ksf",
        "from ksf.rulebook import format_text",
        "",
        f"text = {text!r}",
        "",
        "formatted = None",
        "try:",
        "    formatted = format_text(text)",
        "except ksf.KsfError as e:",
        "    print('fmt: ksf error:', str(e).splitlines()[0])",
        "if formatted is not None:",
        "    print('fmt idempotent:', format_text(formatted) == formatted)",
        "book = ksf.compile(text)",
    ]
    if data_code is not None:
        body += [
            "",
            "# the data",
            data_code,
            "pay = book.evaluate(data, params=params)",
            "print(pay.total, pay.lines)",
            "print(pay.explain(0) if len(pay) else '')",
        ]
    return "\n".join(body) + "\n"


class Runner:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        # one stream per category, so a category's cases do not depend on the interleaving
        self.rngs = {c: random.Random(f"{args.seed}/{c}") for c in CATEGORIES}
        self.out = Path(args.out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.findings = Findings(self.out)
        self.stats = {c: Stats() for c in CATEGORIES if c in args.only}
        self.worker = Worker(args.timeout, args.memory, args.slow)
        self.corpus = rules.corpus()
        self.pairs = cli.pairs()
        self.datagen = DataGen(self.rngs["data"], adversarial=0.5)
        self.quiet_gen = DataGen(self.rngs["rules-gen"], adversarial=0.05)

    def pick(self) -> str:
        """The category furthest behind its share of the time spent."""
        total = sum(s.seconds for s in self.stats.values()) or 1.0
        shares = {c: CATEGORIES[c] for c in self.stats}
        norm = sum(shares.values())
        return min(self.stats, key=lambda c: self.stats[c].seconds / total - shares[c] / norm)

    def record(
        self,
        category: str,
        result: dict[str, Any],
        files: dict[str, str | bytes],
        size: int,
        case: tuple[str, str | None] | None = None,
    ) -> None:
        st = self.stats[category]
        outcome = result["outcome"]
        if outcome == "finding":
            st.found[result["kind"]] += 1
            if self.findings.add(
                result["kind"], result["key"], result["detail"], files, category, size, case
            ):
                print(f"[{category}] new: {result['key']}", flush=True)
        elif outcome == "ok":
            st.ok += 1
        elif outcome == "rejected":
            st.rejected += 1
        else:
            st.skipped += 1

    def one(self, category: str) -> None:
        rng = self.rngs[category]
        if category == "cli":
            self.one_cli()
            return
        if category == "rules-gen":
            text, meta = rules.generate(rng)
            data_code = self.quiet_gen.case(meta) if rng.random() < 0.5 else None
        elif category == "rules-mut":
            text = rules.mutate(rng.choice(self.corpus), rng, self.corpus)
            meta = None
            data_code = None
        else:
            text, meta = rules.generate(rng, near=False)
            self.datagen.adversarial = rng.choice([0.1, 0.3, 0.6])
            data_code = self.datagen.case(meta)
        result = self.worker.run(text, data_code)
        files: dict[str, str | bytes] = {"repro.py": repro(text, data_code), "rules.ksf": text}
        self.record(category, result, files, len(text) + len(data_code or ""), (text, data_code))

    def one_cli(self) -> None:
        with tempfile.TemporaryDirectory(prefix="ksf-fuzz-") as tmp:
            folder = Path(tmp)
            st = self.stats["cli"]
            try:
                case = cli.make_case(
                    self.rngs["cli"],
                    folder,
                    self.pairs,
                    lambda t, r: rules.mutate(t, r, self.corpus),
                )
            except Exception as e:  # a file this harness could not write
                st.skipped += 1
                print(f"[cli] could not write a case: {type(e).__name__}: {e}", flush=True)
                return
            status, findings = cli.run_case(case, self.args.cli_timeout)
            if not findings:
                if status == 0:
                    st.ok += 1
                else:
                    st.rejected += 1
                return
            files: dict[str, str | bytes] = {
                p.name: p.read_bytes()
                for p in folder.iterdir()
                if p.is_file() and p.stat().st_size < 5_000_000
            }
            files["command.txt"] = (
                "ksf " + " ".join(repr(a) if " " in a or not a else a for a in case.argv) + "\n"
            )
            size = sum(len(v) for v in files.values())
            for kind, key, detail in findings:
                self.record(
                    "cli",
                    {"outcome": "finding", "kind": kind, "key": key, "detail": detail},
                    files,
                    size,
                )

    def loop(self) -> None:
        end = time.monotonic() + self.args.seconds
        last_print = time.monotonic()
        try:
            while time.monotonic() < end:
                category = self.pick()
                start = time.monotonic()
                self.stats[category].tried += 1
                self.one(category)
                self.stats[category].seconds += time.monotonic() - start
                if time.monotonic() - last_print > 60:
                    last_print = time.monotonic()
                    print(self.progress(), flush=True)
        finally:
            self.worker.stop()

    def reduce_all(self) -> None:
        """Shrink the rule text of each rule or data finding while its key stays the same.

        At most ``--reduce-seconds`` for the text and as much for the data of each finding,
        and at most a tenth of the budget (or a minute) in all.
        """
        stop = time.monotonic() + max(60.0, self.args.seconds / 10)
        for entry in list(self.findings.seen.values()):
            if entry.get("case") is None or entry["kind"] == "hang":
                continue
            if time.monotonic() > stop:
                break
            text, data_code = entry["case"]
            key = entry["key"]
            seconds = self.args.reduce_seconds
            small = reduce_text(
                text, lambda t, dc=data_code, k=key: self.worker.run(t, dc).get("key") == k, seconds
            )
            small_data = data_code
            if data_code is not None:
                small_data = reduce_data(
                    data_code,
                    lambda d, t=small, k=key: self.worker.run(t, d).get("key") == k,
                    seconds,
                )
            if len(small) < len(text) or small_data != data_code:
                folder = self.findings.dir / entry["folder"]
                (folder / "repro.py").write_text(repro(small, small_data), encoding="utf-8")
                (folder / "rules.ksf").write_text(
                    small, encoding="utf-8", errors="backslashreplace"
                )
                with (folder / "finding.txt").open("a", encoding="utf-8") as f:
                    f.write(f"\n\nrule text reduced from {len(text)} to {len(small)} characters\n")
                entry["reduced"] = len(small)
        self.worker.stop()

    def progress(self) -> str:
        return "  ".join(f"{c}: {s.tried}" for c, s in self.stats.items()) + (
            f"  distinct findings: {len(self.findings.seen)}"
        )

    def summary(self) -> str:
        a = self.args
        head = ["category", "tried", "ok", "ksf error", "skipped", *KINDS, "seconds"]
        rows = [head, ["---"] * len(head)]
        for c, s in self.stats.items():
            rows.append(
                [
                    c,
                    s.tried,
                    s.ok,
                    s.rejected,
                    s.skipped,
                    *(s.found[k] for k in KINDS),
                    f"{s.seconds:.0f}",
                ]
            )
        tot = [sum(s.found[k] for s in self.stats.values()) for k in KINDS]
        rows.append(["total", sum(s.tried for s in self.stats.values()), "", "", "", *tot, ""])
        table = "\n".join("| " + " | ".join(str(x) for x in r) + " |" for r in rows)
        lines = [
            f"# ksf fuzz run: seed {a.seed}, {a.seconds:.0f} s budget",
            "",
            table,
            "",
            f"Distinct findings: {len(self.findings.seen)} (in findings/)",
            "",
        ]
        for e in sorted(self.findings.seen.values(), key=lambda e: (e["kind"], -e["hits"])):
            reduced = f", reduced to {e['reduced']} chars" if e.get("reduced") else ""
            lines.append(
                f"- {e['key']} — {e['hits']} hit(s), {e['category']}, "
                f"findings/{e['folder']}{reduced}"
            )
        return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, help="time budget in minutes")
    p.add_argument("--seconds", type=float, help="time budget in seconds (default 60)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="fuzz-out", help="folder for findings and the summary")
    p.add_argument(
        "--only",
        default=",".join(CATEGORIES),
        help=f"comma-separated categories (default all: {','.join(CATEGORIES)})",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        help="seconds one rule/data case may take before it is a hang",
    )
    p.add_argument(
        "--slow",
        type=float,
        default=5.0,
        help="seconds a compile may take before it is recorded as a (slow) hang; 0: no bound",
    )
    p.add_argument(
        "--cli-timeout",
        type=float,
        default=60.0,
        help="seconds one command-line run may take before it is a hang",
    )
    p.add_argument(
        "--memory",
        type=float,
        default=6.0,
        help="GiB of address space for the worker process (0: no limit)",
    )
    p.add_argument(
        "--reduce-seconds",
        type=float,
        default=20.0,
        help="seconds to shrink each rule/data finding after the run (0: none)",
    )
    a = p.parse_args(argv)
    a.seconds = a.minutes * 60 if a.minutes is not None else (a.seconds or 60.0)
    a.only = [c.strip() for c in a.only.split(",") if c.strip()]
    unknown = set(a.only) - set(CATEGORIES)
    if unknown:
        p.error(f"unknown categories: {', '.join(sorted(unknown))}")
    runner = Runner(a)
    runner.loop()
    if a.reduce_seconds > 0:
        runner.reduce_all()
    text = runner.summary()
    (runner.out / "summary.md").write_text(text, encoding="utf-8", errors="backslashreplace")
    (runner.out / "summary.json").write_text(
        json.dumps(
            {
                "seed": a.seed,
                "seconds": a.seconds,
                "categories": {
                    c: {
                        "tried": s.tried,
                        "ok": s.ok,
                        "ksf_error": s.rejected,
                        "skipped": s.skipped,
                        **s.found,
                        "seconds": round(s.seconds, 1),
                    }
                    for c, s in runner.stats.items()
                },
                "findings": [
                    {k: v for k, v in e.items() if k != "case"}
                    for e in runner.findings.seen.values()
                ],
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    print(text)
    return 1 if runner.findings.seen else 0


if __name__ == "__main__":
    sys.exit(main())
