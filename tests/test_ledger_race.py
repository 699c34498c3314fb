"""Two processes post the same period at once: exactly one wins, the other is refused.

Each worker (tests/ledger_worker.py) computes a 2,000-row payroll with its own sales
figure, opens the ledger, and posts the moment the test creates the GO file, so the two
transactions overlap. SQLite serialises them (``BEGIN IMMEDIATE``); on PostgreSQL the
period's primary key makes the second wait and then fail. Either way the ledger then holds
one posting, wholly the winner's: 2,000 rows × (5,000 + 1% of its sales).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ksf

pytest.importorskip("sqlalchemy", reason="the ledger extra (SQLAlchemy) is not installed")

WORKER = Path(__file__).with_name("ledger_worker.py")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request, tmp_path):
    """A new ledger: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "pay.db")
    return request.getfixturevalue("postgres_url")


def _race(where: str, folder: Path, sales: tuple[float, float]) -> list[str]:
    """Start both workers, wait until both are ready, let them go; their outputs."""
    go = folder / "go"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    workers = []
    for k, figure in enumerate(sales):
        ready = folder / f"ready{k}"
        command = [sys.executable, str(WORKER), where, "2026-07", str(figure), str(ready), str(go)]
        workers.append((subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         text=True, env=env), ready))  # fmt: skip
    try:
        return _go(workers, go)
    finally:  # a worker left running by a failed assertion is stopped, not leaked
        for worker, _ in workers:
            if worker.poll() is None:
                worker.kill()
                worker.communicate()


def _go(workers: list[tuple[subprocess.Popen[str], Path]], go: Path) -> list[str]:
    """Wait until every worker is ready, create GO, and collect their outputs."""
    deadline = time.monotonic() + 120
    while not all(ready.exists() for _, ready in workers):
        assert time.monotonic() < deadline, "the workers never got ready"
        assert all(w.poll() is None for w, _ in workers), "a worker ended before it was ready"
        time.sleep(0.01)
    go.touch()
    outputs = []
    for worker, _ in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outputs.append(out.strip())
    return outputs


def test_two_processes_posting_one_period_one_wins(where, tmp_path):
    """One post succeeds; the other gets "already posted"; the ledger holds the winner's rows."""
    ksf.Ledger(where).dispose()  # the schema exists before the race (opening it is tested apart)
    outputs = _race(where, tmp_path, (100_000.0, 300_000.0))
    won = [k for k, out in enumerate(outputs) if out.startswith("posted ")]
    lost = [k for k, out in enumerate(outputs) if out.startswith("refused ")]
    assert len(won) == 1, outputs
    assert len(lost) == 1, outputs
    assert outputs[lost[0]].startswith(
        "refused AlreadyPostedError: period 2026-07 is already posted"
    )
    # 5,000 + 1% of 100,000 = 6,000 a row; 5,000 + 1% of 300,000 = 8,000
    each = (6_000.0, 8_000.0)[won[0]]
    with ksf.Ledger(where) as ledger:
        posted = ledger.payroll("2026-07")
        assert len(posted) == 2_000
        assert set(posted.total.tolist()) == {each}
        assert len(ledger.postings()) == 1
        assert ledger.postings()[0].superseded == ()
        assert ledger.rerun("2026-07").same


def test_two_processes_opening_a_new_ledger_at_once(where, tmp_path):
    """Both create the schema at once (no ledger yet): one does, and one post wins."""
    outputs = _race(where, tmp_path, (100_000.0, 300_000.0))
    assert sorted(out.split()[0] for out in outputs) == ["posted", "refused"], outputs
