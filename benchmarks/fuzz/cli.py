"""Command-line cases: mutated CSV/XLSX/JSON/Parquet files fed to `ksf run/check/explain/fmt`.

Each case writes a rule file and a data file into a fresh folder and runs ``python -m ksf``
there with a deadline. Oracles: the exit status is 0, 1 or 2; standard error has no Python
traceback; the command ends in time; a payroll written (``-o x.xlsx``, ``-o x.csv``,
``--format csv``) has no formula cell and no CSV text cell that starts with ``=``, ``+``,
``-``, ``@``, tab or CR unless it is a number; no terminal escape (ESC) reaches standard
output or standard error; no input file (the rules, the data) is changed, except the rule
file that ``ksf fmt`` rewrites.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from data import ODD_CELLS, ODD_IDS

ROOT = Path(__file__).resolve().parents[2]
NUMBER = re.compile(r"^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
UNSAFE_START = ("=", "+", "-", "@", "\t", "\r")


def pairs() -> list[tuple[str, str]]:
    """(rule text, CSV text) of every golden example with its data."""
    found = []
    for rules in sorted((ROOT / "tests" / "golden").glob("*.ksf")):
        data = rules.with_suffix(".csv")
        if data.exists():
            found.append((rules.read_text(encoding="utf-8"), data.read_text(encoding="utf-8")))
    return found


@dataclass
class CliCase:
    folder: Path
    argv: list[str]
    outputs: list[str] = field(default_factory=list)  # files to inspect after the run
    stdout_csv: bool = False


def _cell(rng: random.Random) -> object:
    v = rng.choice(ODD_CELLS + ODD_IDS)
    if isinstance(v, bytes):
        v = v.decode("latin-1")
    return v


def _mutate_table(
    header: list[str], rows: list[list[object]], rng: random.Random, light: bool
) -> None:
    """Damage cells, ids, headers and rows in place (light: only ids and names)."""
    if light:
        for _ in range(rng.randint(1, 3)):
            if rows and header:
                row = rng.choice(rows)
                c = 0 if rng.random() < 0.7 or len(header) < 2 else 1
                row[c] = str(rng.choice(ODD_IDS))
        return
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(9)
        if not rows:
            rows.append(["" for _ in header])
        r = rng.randrange(len(rows))
        c = rng.randrange(len(header)) if header else 0
        if op <= 2 and header:
            rows[r][c] = _cell(rng)
        elif op == 3 and header:  # the id column: formula injection, escapes, duplicates
            rows[r][0] = rng.choice(ODD_IDS) if rng.random() < 0.7 else rows[0][0]
        elif op == 4:
            rows.append(list(rows[r]))
        elif op == 5 and header:
            rows[r][c] = "x" * rng.choice([131_073, 10_000, 300])
        elif op == 6 and header:
            header[c] = rng.choice(["", header[c], "card", "\x1b[2J", "=A1", header[0], "毛利率"])
        elif op == 7 and len(header) > 1:
            del header[c]
            for row in rows:
                if c < len(row):
                    del row[c]
        else:
            del rows[r]


def _csv_bytes(
    header: list[str], rows: list[list[object]], rng: random.Random, light: bool
) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n" if light else rng.choice(["\n", "\r\n", "\r"]))
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    text = out.getvalue()
    if light:
        return text.encode("utf-8", errors="surrogatepass")
    enc = rng.choice(["utf-8"] * 6 + ["utf-8-sig", "gbk", "utf-16", "latin-1"])
    raw = text.encode(enc, errors="surrogatepass" if enc.startswith("utf") else "replace")
    r = rng.random()
    if r < 0.05:
        raw = raw[: rng.randrange(len(raw) + 1)]
    elif r < 0.1:
        k = rng.randrange(len(raw) + 1)
        raw = raw[:k] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + raw[k:]
    elif r < 0.12:
        raw = b"\x00" * 100 + raw
    return raw


def _json_value(v: object) -> object:
    if isinstance(v, str):
        if NUMBER.match(v) and "," not in v and "%" not in v:
            try:
                return float(v) if "." in v or "e" in v.lower() else int(v)
            except ValueError:
                return v
        return v
    return v


def _json_bytes(
    header: list[str], rows: list[list[object]], rng: random.Random, light: bool
) -> bytes:
    records = [{h: _json_value(v) for h, v in zip(header, row, strict=False)} for row in rows]
    r = 1.0 if light else rng.random()
    if r < 0.15:
        depth = rng.choice([100, 1000, 100_000])
        nested = "[" * depth + "]" * depth
        if records and rng.random() < 0.5:  # inside a record's value
            return ('[{"id": "E1", "x": ' + nested + "}]").encode()
        return nested.encode()
    if r < 0.2 and records:
        key = rng.choice(header) if header else "x"
        records[0][key] = rng.choice(
            [[1, 2], {"a": {"b": 1}}, [[[]]], True, None, 1e308, 2**64, -(2**63) - 1, "x" * 131_073]
        )
    if 0.2 <= r < 0.24:
        return json.dumps({"rows": records}).encode()
    text = json.dumps(records, ensure_ascii=rng.random() < 0.5, allow_nan=True, default=str)
    if rng.random() < 0.05:
        text = text.replace("0", "1e400", 1)
    return text.encode("utf-8", errors="surrogatepass")


def _xlsx(
    path: Path, header: list[str], rows: list[list[object]], rng: random.Random, light: bool
) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = rng.choice(["Sheet", "data", "工资"])
    try:
        ws.append(header)
    except Exception:  # openpyxl refuses control characters in a cell
        ws.append([ILLEGAL.sub("?", h) for h in header])
    for row in rows:
        cells = []
        for v in row:
            numeric = isinstance(v, str) and NUMBER.match(v) and "," not in v
            if numeric and (light or rng.random() < 0.5):
                with contextlib.suppress(ValueError):
                    v = float(v.rstrip("%"))
            if rng.random() < 0.03:
                v = rng.choice(
                    [
                        True,
                        False,
                        dt.datetime(2026, 7, 1),
                        "=1+1",
                        "=A1*2",
                        dt.date(2026, 7, 31),
                        dt.time(12, 0),
                        1e308,
                    ]
                )
            if isinstance(v, (list, dict, tuple, bytes)):
                v = str(v)
            cells.append(v)
        try:
            ws.append(cells)
        except Exception:  # openpyxl refuses some control characters
            ws.append([ILLEGAL.sub("?", str(c)) if c is not None else None for c in cells])
    if rng.random() < 0.2:
        wb.create_sheet("empty")
    wb.save(path)


def _parquet(
    path: Path, header: list[str], rows: list[list[object]], rng: random.Random, light: bool
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = {}
    for i, name in enumerate(header):
        vals = [row[i] if i < len(row) else None for row in rows]
        nums = []
        for v in vals:
            try:
                nums.append(float(v) if v not in (None, "") else None)  # type: ignore[arg-type]
            except (TypeError, ValueError, OverflowError):
                nums = None  # type: ignore[assignment]
                break
        arr = None
        choice = 0.0 if light else rng.random()
        try:
            if nums is not None and choice < 0.7:
                arr = pa.array(nums, type=pa.float64())
            elif nums is not None and choice < 0.8:
                arr = pa.array(
                    [2**64 - 1 if x is None else min(max(int(x), 0), 2**64 - 1) for x in nums],
                    type=pa.uint64(),
                )
            elif nums is not None and choice < 0.85:
                arr = pa.array([None if x is None else int(x) for x in nums], type=pa.int64())
            elif nums is not None and choice < 0.9:
                arr = pa.array(
                    [None if x is None else int(x) for x in nums], type=pa.timestamp("s")
                )
            elif choice < 0.93:
                arr = pa.array([None if v is None else str(v) for v in vals]).dictionary_encode()
            elif choice < 0.96:
                arr = pa.array(
                    [None if v is None else str(v).encode("utf-8", "surrogatepass") for v in vals],
                    type=pa.binary(),
                )
            elif choice < 0.98:
                arr = pa.array([[1.0, 2.0] for _ in vals], type=pa.list_(pa.float64()))
            else:
                arr = pa.nulls(len(vals))
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, ValueError):
            arr = None
        if arr is None:
            arr = pa.array(
                [None if v is None else str(v).encode("utf-8", "replace").decode() for v in vals],
                type=pa.string(),
            )
        cols[name if name not in cols else f"{name}_"] = arr
    pq.write_table(pa.table(cols), path)


def make_case(
    rng: random.Random, folder: Path, all_pairs: list[tuple[str, str]], mutate_rules: object
) -> CliCase:
    """Write the files of one case and the command to run."""
    rules_text, csv_text = rng.choice(all_pairs)
    reader = list(csv.reader(io.StringIO(csv_text)))
    header, rows = reader[0], [list[object](r) for r in reader[1:]]
    light = rng.random() < 0.5  # the run should pay, so that its output is inspected
    _mutate_table(header, rows, rng, light)
    fmt = rng.choice(["csv", "csv", "xlsx", "json", "parquet"])
    data = folder / f"data.{fmt}"
    if fmt == "csv":
        data.write_bytes(_csv_bytes(header, rows, rng, light))
    elif fmt == "json":
        data.write_bytes(_json_bytes(header, rows, rng, light))
    elif fmt == "xlsx":
        _xlsx(data, header, rows, rng, light)
    else:
        _parquet(data, header, rows, rng, light)
    rules = folder / "pay.ksf"
    if not light and rng.random() < 0.15:
        rules_text = mutate_rules(rules_text, rng)  # type: ignore[operator]
    enc = "utf-8" if light else rng.choice(["utf-8"] * 8 + ["gbk", "utf-16", "binary"])
    if enc == "binary":
        rules.write_bytes(bytes(rng.randrange(256) for _ in range(200)))
    else:
        rules.write_bytes(
            rules_text.encode(enc, errors="replace" if enc == "gbk" else "surrogatepass")
        )

    command = rng.choice(["run"] * 5 + ["check", "explain", "fmt"])
    if light:
        command = rng.choice(["run"] * 5 + ["explain"])
    ids = [str(r[0]) for r in rows if r] or ["E01"]
    case = CliCase(folder, [])
    if command == "run":
        argv = ["run", "pay.ksf", data.name]
        out = rng.random()
        if out < 0.35:
            argv += ["-o", "out.xlsx"]
            case.outputs.append("out.xlsx")
        elif out < 0.6:
            argv += ["-o", "out.csv"]
            case.outputs.append("out.csv")
        elif out < 0.7:
            argv += ["-o", rng.choice(["out.json", "out.parquet", data.name, "pay.ksf"])]
        elif out < 0.88:
            argv += ["--format", "csv"]
            case.stdout_csv = True
        else:
            argv += ["--format", rng.choice(["table", "json"])]
        if light:
            case.argv = argv
            return case
        if rng.random() < 0.1:
            argv += ["--no-payslips"]
        if rng.random() < 0.1:
            argv += ["--card", rng.choice(["nope", "operator", ""])]
        if rng.random() < 0.1:
            argv += ["--sheet", rng.choice(["nope", "Sheet", "0"])]
        if rng.random() < 0.1:
            argv += ["--param", rng.choice(["last_year_profit=1,500,000", "x=abc", "=", "y=1e400"])]
        if rng.random() < 0.05:
            argv += ["--data-format", rng.choice(["csv", "json", "xlsx", "parquet", "txt"])]
        if rng.random() < 0.05:
            argv += ["--id", rng.choice(["name", "nope", "card"])]
    elif command == "check":
        argv = ["check", "pay.ksf", "--data", data.name]
    elif command == "explain":
        argv = ["explain", "pay.ksf", data.name]
        if rng.random() < 0.7:
            argv += ["--employee", rng.choice([*ids, "nope", "=1", "\x1b[1m"])]
        else:
            argv += ["--row", rng.choice(["0", "1", "-1", "99999", "x"])]
    else:
        argv = ["fmt", "pay.ksf"] + (["--check"] if rng.random() < 0.5 else [])
    case.argv = argv
    return case


def run_case(case: CliCase, timeout: float) -> tuple[int | None, list[tuple[str, str, str]]]:
    """Run a case: its exit status (None on a hang) and findings as (kind, key, detail)."""
    env = {
        "PYTHONPATH": str(ROOT),
        "PATH": "/usr/bin:/bin",
        "PYTHONIOENCODING": "utf-8",
        "LANG": "C.UTF-8",
        "COLUMNS": "120",
    }
    inputs = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in case.folder.iterdir()
        if p.is_file() and not (case.argv[0] == "fmt" and p.name == "pay.ksf")
    }
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "ksf", *case.argv],
            cwd=case.folder,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, [("hang", f"hang ksf {case.argv[0]}", f"no answer in {timeout:.0f} s")]
    elapsed = time.monotonic() - start
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    detail = f"exit {proc.returncode} after {elapsed:.1f} s\n--- stderr ---\n{err[-4000:]}"
    found: list[tuple[str, str, str]] = []
    if "Traceback (most recent call last)" in err or proc.returncode not in (0, 1, 2):
        last = [ln for ln in err.strip().splitlines() if ln.strip()][-1:] or [""]
        where = re.findall(r'File "([^"]*ksf/[^"]+)", line \d+, in (\w+)', err)
        loc = f"{where[-1][0].rsplit('ksf/', 1)[-1]} in {where[-1][1]}" if where else "?"
        exc = last[0].split(":")[0][:80]
        found.append(
            ("crash", f"crash ksf {case.argv[0]}: {exc} at {loc} (exit {proc.returncode})", detail)
        )
    if "\x1b" in err or ("\x1b" in out and not case.stdout_csv):
        found.append(
            (
                "escape",
                f"escape ksf {case.argv[0]}: ESC reaches the output",
                detail + f"\n--- stdout ---\n{out[-2000:]!r}",
            )
        )
    changed = [
        name
        for name, digest in inputs.items()
        if not (case.folder / name).exists()
        or hashlib.sha256((case.folder / name).read_bytes()).hexdigest() != digest
    ]
    if changed:
        found.append(
            ("overwrite", f"overwrite ksf {case.argv[0]}: an input file changed", f"{changed}")
        )
    if case.stdout_csv and proc.returncode == 0:
        bad = unsafe_csv_cells(out)
        if bad:
            found.append(("formula", "formula csv to standard output", f"cells: {bad[:5]!r}"))
    if proc.returncode == 0:
        for name in case.outputs:
            path = case.folder / name
            if not path.exists():
                continue
            if name.endswith(".xlsx"):
                bad = formula_cells(path)
                if bad:
                    found.append(("formula", "formula xlsx cell", f"cells: {bad[:5]!r}"))
            elif name.endswith(".csv"):
                bad = unsafe_csv_cells(path.read_text(encoding="utf-8-sig", errors="replace"))
                if bad:
                    found.append(("formula", "formula csv file cell", f"cells: {bad[:5]!r}"))
    return proc.returncode, found


def formula_cells(path: Path) -> list[str]:
    """Cells of an XLSX file that hold a formula, as sheet!cell = value."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [
        f"{ws.title}!{c.coordinate} = {c.value!r}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def unsafe_csv_cells(text: str) -> list[str]:
    """CSV cells a spreadsheet would run as a formula: = + - @ tab CR first, not a number."""
    bad = []
    for row in csv.reader(io.StringIO(text, newline="")):
        bad += [c for c in row if c.startswith(UNSAFE_START) and not NUMBER.match(c)]
    return bad
