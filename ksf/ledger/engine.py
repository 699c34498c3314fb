"""A ledger's database connection: a SQLite file by default, or any SQLAlchemy URL.

SQLite transactions start with ``BEGIN IMMEDIATE``: a writer takes the database's write
lock before it reads, so two processes posting one period at once are serialised (the
second waits, up to `BUSY_SECONDS`, then sees the first's posting) instead of both reading
"not posted" and one failing half way with "database is locked".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ksf.catalogue import ledger as say
from ksf.optional import requires

if TYPE_CHECKING:
    import sqlalchemy as sa

BUSY_SECONDS = 60.0  # how long a SQLite writer waits for another's transaction to end


def is_url(where: str | Path) -> bool:
    """Whether ``where`` is an SQLAlchemy URL (``postgresql+psycopg://…``) or a file path."""
    return isinstance(where, str) and "://" in where


def open_engine(where: str | Path) -> sa.Engine:
    """An engine for the ledger at ``where``: a SQLite file path, or an SQLAlchemy URL.

    Raises:
        ImportError: SQLAlchemy (the ``ledger`` extra) is not installed.
    """
    with requires("sqlalchemy", say.THE_LEDGER(), "ledger"):
        import sqlalchemy as sa
    if is_url(where):
        return sa.create_engine(str(where))
    path = Path(where).expanduser().resolve()
    engine = sa.create_engine(
        sa.URL.create("sqlite+pysqlite", database=str(path)),
        connect_args={"timeout": BUSY_SECONDS},
    )
    sa.event.listen(engine, "connect", _sqlite_connect)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite begins transactions itself, late (at the first write); take that over so
    # that `_sqlite_begin` decides, and have SQLite check the foreign keys.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def where_text(where: str | Path) -> str:
    """The ledger as messages name it: the file, or the URL without its password."""
    if not is_url(where):
        return str(where)
    import sqlalchemy as sa

    try:
        return sa.make_url(str(where)).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<an SQLAlchemy URL>"
