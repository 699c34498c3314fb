"""The ledger's schema versions: ordered migration steps, applied when a ledger opens.

``ksf_schema`` holds one row per step applied (its version, when, and what it did). Opening
a ledger applies, in one transaction, every step above the highest version found, so a
ledger written by an older ksf is brought up to date and an empty database becomes a
ledger. A version above `LATEST` is a ledger written by a newer ksf: refused, never
guessed at. Steps are only ever added at the end, and a step, once released, never changes.

Why not Alembic: the ledger is a dozen tables owned by one library and embedded in other
people's databases. Alembic brings a migration environment (``env.py``, a script directory
shipped as package data) and its own ``alembic_version`` table, which an ERP that uses
Alembic for its own schema already has: two histories in one table. A version table of our
own and steps written in SQLAlchemy Core is a few dozen lines, runs in the transaction that
opens the ledger, and each step is tested (tests/test_ledger_schema.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from ksf.catalogue import ledger as say
from ksf.ledger.errors import LedgerSchemaError
from ksf.ledger.schema import Tables, tables

if TYPE_CHECKING:
    import sqlalchemy as sa

# Two processes opening one new PostgreSQL ledger at once would both create the tables; a
# transaction-scoped advisory lock (this key: "ksf" in ASCII) makes the second wait.
_PG_LOCK = 0x6B7366


@attrs.frozen
class Step:
    """One migration: the version it brings the ledger to, what it does, and how."""

    version: int
    does: str
    apply: Callable[[sa.Connection, Tables], None]


def _create_tables(conn: sa.Connection, schema: Tables) -> None:
    schema.metadata.create_all(conn, tables=list(schema.data_tables()))


def _history_indexes(conn: sa.Connection, schema: Tables) -> None:
    # History reads (`over last N`) select postings by period and rows by employee. The
    # indexes are built on copies of the tables, so the current model never carries them
    # and step 1 stays what it was when it was released.
    import sqlalchemy as sa

    copy = sa.MetaData()
    postings = schema.postings.to_metadata(copy)
    rows = schema.rows.to_metadata(copy)
    sa.Index("ksf_postings_period_start", postings.c.period_start).create(conn)
    sa.Index("ksf_rows_employee", rows.c.employee).create(conn)


MIGRATIONS: tuple[Step, ...] = (
    Step(1, "create the ledger's tables", _create_tables),
    Step(2, "index postings by period and rows by employee", _history_indexes),
)
LATEST = MIGRATIONS[-1].version


def schema_version(conn: sa.Connection) -> int:
    """The highest migration applied (0: not a ledger yet)."""
    import sqlalchemy as sa

    version = tables().schema
    if not sa.inspect(conn).has_table(version.name):
        return 0
    return int(conn.scalar(sa.select(sa.func.max(version.c.version))) or 0)


def migrate(conn: sa.Connection, ledger: str, upto: int = LATEST) -> int:
    """Apply every step above the ledger's version, up to ``upto``, in ``conn``'s transaction.

    Returns:
        The version the ledger is at afterwards.

    Raises:
        LedgerSchemaError: the ledger's version is above `LATEST` (a newer ksf wrote it).
    """
    import sqlalchemy as sa

    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    schema = tables()
    found = schema_version(conn)
    if found > LATEST:
        raise LedgerSchemaError(say.NEWER_SCHEMA(ledger=ledger, found=found, known=LATEST))
    if found == 0:
        schema.schema.create(conn, checkfirst=True)
    for step in MIGRATIONS:
        if found < step.version <= upto:
            step.apply(conn, schema)
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            row = {"version": step.version, "applied_at": now, "step": step.does}
            conn.execute(schema.schema.insert(), row)
            found = step.version
    return found
