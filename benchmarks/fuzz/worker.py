"""The child process that runs rule and data cases, and the oracles they must pass.

The runner sends one case at a time over a pipe and waits with a deadline: a case that
does not answer in time is a hang (the runner kills this process and starts another), and
a process that dies is a crash. Before each stage the worker says which stage it is in, so
a hang is recorded with its stage.

Oracles:
- ``ksf.compile`` raises only `ksf.KsfError` (anything else is a crash), and the error
  renders as text and carries a 1-based line and column within the text (an "error" finding
  otherwise);
- for text that parses, the canonical layout (``ksf fmt``) parses to an equal AST, is
  idempotent, and compiles when the original compiles (a round-trip mismatch otherwise);
- evaluation raises only `ksf.KsfError`; when it succeeds, every amount is finite and a
  whole number of rounding units, each row's total is the sum of its lines, there is one
  payroll row per data row, and explain, to_records work (a money finding otherwise).
"""

from __future__ import annotations

import contextlib
import sys
import time
import traceback
import warnings
from typing import Any

KSF_DIR = "/ksf/"


def location(exc: BaseException) -> str:
    """The innermost frame inside the ksf package (else the innermost frame)."""
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if KSF_DIR in f.filename.replace("\\", "/")]
    f = (inside or frames or [None])[-1]
    if f is None:
        return "?"
    path = f.filename.replace("\\", "/")
    short = path[path.rfind(KSF_DIR) + 1 :] if KSF_DIR in path else path.rsplit("/", 1)[-1]
    return f"{short}:{f.lineno} in {f.name}"


def _crash(stage: str, exc: BaseException) -> dict[str, Any]:
    return {
        "outcome": "finding",
        "kind": "crash",
        "stage": stage,
        "key": f"crash {type(exc).__name__} at {location(exc)} ({stage})",
        "detail": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }


def _finding(kind: str, stage: str, what: str, detail: str) -> dict[str, Any]:
    return {
        "outcome": "finding",
        "kind": kind,
        "stage": stage,
        "key": f"{kind} {what} ({stage})",
        "detail": detail,
    }


def check_rules(text: str, data_code: str | None, say: Any, slow: float = 0.0) -> dict[str, Any]:
    """Compile, format and (with data) evaluate one rule file.

    A compile that takes longer than ``slow`` seconds (when set) is a hang finding too.
    """
    import ksf
    from ksf.dsl import parser
    from ksf.rulebook import format_text
    from ksf.source import Source

    say("compile")
    start = time.monotonic()
    book = None
    try:
        book = ksf.compile(text, name="fuzz.ksf")
        _ = book.warnings, book.cards, [book.names(c) for c in book.cards]
    except ksf.KsfError as e:
        try:
            str(e)
        except Exception as bad:  # any failure to render is a finding
            return _crash("render-error", bad)
        line, column = getattr(e, "line", None), getattr(e, "column", None)
        lines = text.count("\n") + text.count("\r") + 2
        if not (isinstance(line, int) and isinstance(column, int)) or not (
            1 <= line <= lines and column >= 1
        ):
            return _finding(
                "error",
                "compile",
                f"{type(e).__name__} without a line and column in the text",
                f"line={line!r} column={column!r}\n{e}",
            )
    except Exception as e:  # the oracle: only KsfError is allowed
        return _crash("compile", e)

    took = time.monotonic() - start
    if slow and took > slow:
        return _finding(
            "hang",
            "compile",
            f"slow compile (over {slow:g} s)",
            f"compile took {took:.1f} s for {len(text):,} characters",
        )

    say("fmt")
    formatted = None
    try:
        formatted = format_text(text, name="fuzz.ksf")
    except ksf.KsfError:
        if book is not None:
            return _finding("roundtrip", "fmt", "fmt refuses a file that compiles", text)
    except Exception as e:
        return _crash("fmt", e)
    if formatted is not None:
        try:
            before = parser.parse(Source(text.removeprefix("\ufeff"), "fuzz.ksf"))
            try:
                after = parser.parse(Source(formatted, "fmt.ksf"))
            except ksf.KsfError as e:
                return _finding(
                    "roundtrip",
                    "fmt",
                    "fmt output does not parse",
                    f"{e}\n--- formatted ---\n{formatted}",
                )
            if before != after:
                return _finding(
                    "roundtrip", "fmt", "fmt changes the AST", f"--- formatted ---\n{formatted}"
                )
            again = format_text(formatted, name="fmt.ksf")
            if again != formatted:
                return _finding(
                    "roundtrip",
                    "fmt",
                    "fmt is not idempotent",
                    f"--- once ---\n{formatted}\n--- twice ---\n{again}",
                )
            if book is not None:
                try:
                    ksf.compile(formatted, name="fmt.ksf")
                except ksf.KsfError as e:
                    return _finding(
                        "roundtrip",
                        "fmt",
                        "fmt output does not compile",
                        f"{e}\n--- formatted ---\n{formatted}",
                    )
        except Exception as e:
            return _crash("fmt-roundtrip", e)

    if book is None:
        return {"outcome": "rejected"}
    if data_code is None:
        return {"outcome": "ok"}
    return evaluate(book, data_code, say)


def evaluate(book: Any, data_code: str, say: Any) -> dict[str, Any]:
    """Build the data from its source and evaluate it."""
    import numpy as np

    import ksf

    say("build-data")
    scope: dict[str, Any] = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(data_code, scope)
    except Exception:  # the library refused to build this container
        return {"outcome": "skipped"}
    data, params = scope["data"], scope["params"]

    say("evaluate")
    try:
        pay = book.evaluate(data, params=params)
    except ksf.KsfError as e:
        try:
            str(e)
        except Exception as bad:
            return _crash("render-error", bad)
        return {"outcome": "rejected"}
    except Exception as e:
        return _crash("evaluate", e)

    say("check-payroll")
    try:
        n = len(pay)
        unit = float(pay.rounding)
        total = np.asarray(pay.total, dtype=float)
        lines = {name: np.asarray(pay[name], dtype=float) for name in pay.lines}
        problems = []
        if not np.all(np.isfinite(total)):
            problems.append("a total is not finite")
        added = np.zeros(n)
        size = np.zeros(n)  # the float sum's error grows with the lines, not with the total
        for name, amounts in lines.items():
            if amounts.shape != (n,):
                problems.append(f"line {name} has shape {amounts.shape}, not ({n},)")
                continue
            if not np.all(np.isfinite(amounts)):
                problems.append(f"line {name} is not finite")
                continue
            units = amounts / unit
            off = np.abs(units - np.rint(units))
            bad = off > np.maximum(1e-6, np.abs(units) * 1e-12)
            if bad.any():
                problems.append(
                    f"line {name} is not in whole rounding units ({unit}): "
                    f"{amounts[bad][:3].tolist()}"
                )
            added = added + amounts
            size = size + np.abs(amounts)
        diff = np.abs(added - total)
        if (diff > np.maximum(unit * 1e-6, size * 1e-12)).any():
            problems.append(
                f"total is not the sum of the lines: {total[:3].tolist()} vs {added[:3].tolist()}"
            )
        if problems:
            return _finding(
                "money", "check-payroll", problems[0].split(":")[0], "\n".join(problems)
            )
    except Exception as e:
        return _crash("check-payroll", e)

    say("explain")
    try:
        if n:
            pay.explain(n - 1)
            pay.explain(0)
            ids = getattr(pay, "ids", None)
            if ids is not None and len(ids):
                say("explain-by-id")
                with contextlib.suppress(ksf.KsfError):
                    pay.explain(str(ids[0]))
        pay.to_records()
        if n < 50:
            say("to_pandas")
            pay.to_pandas()
    except ksf.KsfError:
        pass
    except Exception as e:
        return _crash("explain", e)
    return {"outcome": "ok"}


def serve(conn: Any, root: str, memory_gib: float, slow: float = 0.0) -> None:
    """Answer cases until the pipe closes (the child process's main)."""
    sys.path.insert(0, root)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    if memory_gib > 0:
        try:
            import resource

            limit = int(memory_gib * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass
    warnings.simplefilter("ignore")
    import ksf  # noqa: F401 - import once, before the first deadline

    def say(stage: str) -> None:
        conn.send(("stage", stage))

    conn.send(("ready", None))
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        text, data_code = msg
        try:
            result = check_rules(text, data_code, say, slow)
        except BaseException as e:  # e.g. RecursionError escaping an oracle
            result = _crash("harness", e)
        conn.send(("done", result))
