"""The ledger's schema is versioned: migration steps apply in order, once, and are recorded."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import ksf
from ksf.ledger import LedgerSchemaError
from ksf.ledger.migrations import LATEST, MIGRATIONS, migrate, schema_version
from ksf.ledger.schema import tables

sa = pytest.importorskip("sqlalchemy", reason="the ledger extra (SQLAlchemy) is not installed")

RULES = "card a { base 5000; commission sales rate 1% }"


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request, tmp_path):
    """A new ledger's location: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return tmp_path / "pay.db"
    return request.getfixturevalue("postgres_url")


def _indexes(engine, table: str) -> set[str]:
    return {index["name"] for index in sa.inspect(engine).get_indexes(table)}


def test_a_new_ledger_has_every_step_recorded_in_order(where):
    """Opening an empty database applies steps 1 … LATEST and records each once."""
    with ksf.Ledger(where) as ledger:
        assert ledger.version == LATEST
        schema = tables().schema
        with ledger.engine.connect() as conn:
            rows = conn.execute(sa.select(schema.c.version, schema.c.step)
                                .order_by(schema.c.version)).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [(s.version, s.does) for s in MIGRATIONS]
    assert [s.version for s in MIGRATIONS] == list(range(1, LATEST + 1))


def test_a_ledger_at_version_1_is_brought_up_to_date_with_its_postings(where):
    """A version-1 ledger (no history indexes) gains them on opening; its postings stay."""
    with ksf.Ledger(where) as ledger:  # make a version-1 ledger by hand: empty it, step 1 only
        engine = ledger.engine
        with engine.begin() as conn:
            tables().metadata.drop_all(conn)
        with engine.begin() as conn:
            assert migrate(conn, "test", upto=1) == 1
        assert "ksf_rows_employee" not in _indexes(engine, "ksf_rows")
        pay = ksf.compile(RULES).evaluate({"employee": ["E1"], "sales": [20_000]}, period="2026Q3")
        ledger.post(pay)
    with ksf.Ledger(where) as again:
        assert again.version == LATEST == 2
        assert "ksf_rows_employee" in _indexes(again.engine, "ksf_rows")
        assert "ksf_postings_period_start" in _indexes(again.engine, "ksf_postings")
        # 5,000 + 1% of 20,000 = 5,200
        assert again.payroll("2026Q3").total.tolist() == [5200.0]


def test_opening_twice_applies_nothing_twice(where):
    """A second opening finds the ledger current and records no step again."""
    ksf.Ledger(where).dispose()
    with ksf.Ledger(where) as ledger, ledger.engine.connect() as conn:
        assert schema_version(conn) == LATEST
        count = conn.scalar(sa.select(sa.func.count()).select_from(tables().schema))
    assert count == LATEST


def test_a_ledger_from_a_newer_ksf_is_refused(where):
    """A version above LATEST is refused with the versions named, never guessed at."""
    with ksf.Ledger(where) as ledger, ledger.engine.begin() as conn:
        future = {"version": LATEST + 1, "applied_at": "2027-01-01", "step": "future"}
        conn.execute(tables().schema.insert(), future)
    with pytest.raises(LedgerSchemaError, match=f"schema version {LATEST + 1}.*upgrade ksf"):
        ksf.Ledger(where)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    """A text file given as the ledger: a LedgerSchemaError naming it, not a traceback."""
    path = tmp_path / "notes.db"
    path.write_text("payroll notes, not a database\n" * 100, encoding="utf-8")
    with pytest.raises(LedgerSchemaError, match=r"notes\.db cannot be opened as a ledger"):
        ksf.Ledger(path)


def test_without_sqlalchemy_the_ledger_says_what_to_install(tmp_path):
    """No SQLAlchemy: `ksf.Ledger` raises an ImportError naming the extra; `import ksf` works."""
    code = (
        "import sys\n"
        "sys.modules['sqlalchemy'] = None  # as if it were not installed\n"
        "import ksf\n"
        "try:\n"
        f"    ksf.Ledger({str(tmp_path / 'pay.db')!r})\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=60, check=True)  # fmt: skip
    assert done.stdout.strip() == (
        "the ledger (ksf.Ledger) needs sqlalchemy: pip install 'ksf[ledger]'"
    )
    assert not (tmp_path / "pay.db").exists()


def test_a_server_that_does_not_answer_is_named_without_its_password():
    """A URL nobody listens on: a LedgerSchemaError that shows the URL, never the password."""
    pytest.importorskip("psycopg", reason="psycopg (the ledger extra) is not installed")
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://payroll:s3cret@127.0.0.1:{port}/erp"
    with pytest.raises(LedgerSchemaError, match="cannot be opened as a ledger") as error:
        ksf.Ledger(url)
    assert f"postgresql+psycopg://payroll:***@127.0.0.1:{port}/erp" in str(error.value)
    assert "s3cret" not in str(error.value)
