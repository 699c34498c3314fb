"""The benchmark cannot rot: its smoke mode checks every contender against NumPy to the cent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"


@pytest.fixture(scope="module")
def reference_card():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import reference_card

        yield reference_card
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_benchmark_smoke_agrees_to_the_cent():
    """`run.py --smoke`: ksf, NumPy, the Python loop and every installed peer agree."""
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--smoke"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "agree to the cent on every line and the total" in result.stdout
    assert "skips binding and compiling: yes" in result.stdout
    # ksf, NumPy and the Python loop need nothing beyond ksf itself; the rest are reported.
    agreed = int(result.stdout.split(" rows: ")[1].split()[0])
    skipped = result.stdout.count("skipped ")
    assert agreed >= 3
    assert agreed + skipped >= 6, result.stdout


def test_disagreement_names_the_line_and_the_first_row(reference_card):
    """A one-cent difference on row 7 is reported once, naming the line, the row and its inputs."""
    # Row 7's gross_margin off by one cent: that line (and the total, which the fake result
    # copies from the reference) is reported, with row 7 and its inputs.
    data = reference_card.make_data(20, 3)
    ref = reference_card.numpy_payroll(data)
    wrong = {name: values.copy() for name, values in ref.items()}
    wrong["gross_margin"][7] += 0.01
    problems = reference_card.disagreements("fake", wrong, ref, data)
    assert len(problems) == 1
    assert "gross_margin: 1 rows differ; first is row 7" in problems[0]
    assert f"revenue={float(data['revenue'][7])!r}" in problems[0]


def test_half_a_cent_of_float_noise_is_not_a_disagreement(reference_card):
    """Results one float step away from the reference are no disagreement."""
    data = reference_card.make_data(5, 3)
    ref = reference_card.numpy_payroll(data)
    close = {name: np.nextafter(values, np.inf) for name, values in ref.items()}
    assert reference_card.disagreements("close", close, ref, data) == []


def test_performance_doc_has_the_section_the_command_rewrites():
    """docs/performance.md has the benchmark markers that `python benchmarks/run.py` rewrites."""
    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    begin, end = text.find("<!-- benchmark:begin -->"), text.find("<!-- benchmark:end -->")
    assert 0 <= begin < end
    assert "python benchmarks/run.py" in text[begin:end]


def test_compile_stages_runs_on_a_small_rulebook():
    """`compile_stages.py` times every stage of a compile; it breaks if a stage's API moves."""
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "compile_stages.py"), "--cards", "3", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for stage in ("Lark parse", "checker", "units", "warnings", "whole compile"):
        assert stage in result.stdout


def test_groups_benchmark_smoke_agrees_with_pandas():
    """`groups.py --smoke`: `sum(x over team)` and `rank(x over all)` match pandas."""
    pytest.importorskip("pandas")
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "groups.py"), "--smoke"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("ksf and pandas agree") == 2  # integer and text team keys


def test_score_points_benchmark_smoke_agrees_with_the_written_score():
    """`score_points.py --smoke`: KPI points read per row pay the written score to the cent."""
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "score_points.py"), "--smoke"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pays the written score" in result.stdout


def test_simulate_benchmark_smoke_agrees_to_the_cent():
    """`bench_simulate.py --smoke`: ksf.simulate and both NumPy bootstraps agree to the cent."""
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_simulate.py"), "--smoke"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ksf, numpy-resample and numpy-index agree to the cent" in result.stdout


def test_serve_load_smoke_answers_every_request_to_the_cent():
    """`serve_load.py --smoke`: 20 evaluate requests over HTTP, each equal to Rulebook.evaluate."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "serve_load.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "; 0 errors (every answer compared with Rulebook.evaluate: identical)" in done.stdout
