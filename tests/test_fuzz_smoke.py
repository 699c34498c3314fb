"""The fuzzer (benchmarks/fuzz) runs in CI for a minute with a fixed seed and finds nothing.

The longer campaign is run by hand (benchmarks/README.md); this keeps the harness working
and catches a regression that a minute of fuzzing finds. Its oracles are tested here too,
so a harness that could not see a formula cell or a hang would not pass as "0 findings".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT / "benchmarks" / "fuzz"
SMOKE_SECONDS = 60


@pytest.fixture(scope="module")
def fuzz_modules() -> object:
    sys.path.insert(0, str(FUZZ))
    yield
    sys.path.remove(str(FUZZ))


def test_fuzz_run_finds_nothing(tmp_path: Path) -> None:
    """A minute of every category (seed 0): no crash, hang, round-trip, money, formula finding."""
    for extra in ("pandas", "polars", "pyarrow", "openpyxl"):
        pytest.importorskip(extra)
    out = tmp_path / "fuzz"
    result = subprocess.run(
        [
            sys.executable,
            str(FUZZ / "run.py"),
            "--seconds",
            str(SMOKE_SECONDS),
            "--seed",
            "0",
            "--out",
            str(out),
            "--reduce-seconds",
            "0",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=SMOKE_SECONDS + 600,
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert all(c["tried"] > 0 for c in summary["categories"].values()), result.stdout
    assert summary["findings"] == [], result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr


def test_csv_oracle_sees_cells_a_spreadsheet_would_run(fuzz_modules: object) -> None:
    """`=`, `+`, `-`, `@`, tab and CR at the start of a text cell are flagged; numbers are not."""
    import cli

    text = 'id,total\n=cmd|x,1\n+1a,-200.00\n@SUM(A1),+5\n"\tE1",-1e3\nE2,3\n'
    assert cli.unsafe_csv_cells(text) == ["=cmd|x", "+1a", "@SUM(A1)", "\tE1"]


def test_xlsx_oracle_sees_formula_cells(tmp_path: Path, fuzz_modules: object) -> None:
    """A cell written as a formula is found; the same text written as a string is not."""
    openpyxl = pytest.importorskip("openpyxl")
    import cli

    wb = openpyxl.Workbook()
    wb.active.append(["=1+1", "text", 5])
    cell = wb.active.cell(row=2, column=1, value="=2+2")
    cell.data_type = "s"
    wb.save(tmp_path / "x.xlsx")
    assert cli.formula_cells(tmp_path / "x.xlsx") == ["Sheet!A1 = '=1+1'"]


def test_worker_records_a_hang_and_restarts(fuzz_modules: object) -> None:
    """A case that misses its deadline is a hang; the next case runs in a fresh process."""
    import run

    worker = run.Worker(timeout=0.0, memory_gib=0)
    try:
        worker.start()
        assert worker.run("card a { base 1 }", None)["kind"] == "hang"
        worker.timeout = 60.0
        assert worker.run("card a { base 1 }", None) == {"outcome": "ok"}
    finally:
        worker.stop()


def test_worker_flags_a_non_ksf_exception(fuzz_modules: object) -> None:
    """An exception that is not a KsfError during evaluation is a crash, located in ksf."""
    import worker

    class Boom:
        def evaluate(self, data: object, params: object) -> None:
            raise ZeroDivisionError

    result = worker.evaluate(Boom(), "data = {}\nparams = {}\n", lambda stage: None)
    assert result["kind"] == "crash"
    assert result["key"].startswith("crash ZeroDivisionError at ")


def test_worker_wants_rule_errors_located(
    fuzz_modules: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule error with a line and column is a clean refusal; one without is a finding."""
    import worker

    import ksf

    assert worker.check_rules("card a { base }", None, lambda stage: None) == {
        "outcome": "rejected"
    }

    def unlocated(text: str, name: str = "") -> None:
        raise ksf.KsfError("no position")

    monkeypatch.setattr(ksf, "compile", unlocated)
    result = worker.check_rules("card a { base 1 }", None, lambda stage: None)
    assert result["kind"] == "error"


def test_worker_sums_large_lines_within_their_float_error(fuzz_modules: object) -> None:
    """Lines of −749,983,500 and 749,991,809.86 add up to a total of 2,360 without a finding.

    −749,983,500 + 50 − 5,999.86 + 749,991,809.86 = 2,360.00 by hand; their float sum is
    2,360.0000000143, within the error of adding 750 millions (not of the 2,360 total).
    """
    import worker

    import ksf

    book = ksf.compile(
        "card x { min_pay 2360.5 }\n"  # so the top-up is added first, as the fuzzer found it
        "card operator { (1) pot 1500 balance 50000 step 0.1 reward 12.25 penalty 1500 as line\n"
        "  bonus 50 as bonus\n"
        "  gm balance 50000 step 10000 reward 1200 prorate cap 0 as line0\n"
        "  min_pay 2360 }"
    )
    data = {"gm": [1.2027, 0.0], "card": ["operator", "x"]}
    pay = book.evaluate(data)
    assert pay.total.tolist() == [2360.0, 2360.5]
    code = f"data = {data!r}\nparams = {{}}\n"
    assert worker.evaluate(book, code, lambda stage: None) == {"outcome": "ok"}
