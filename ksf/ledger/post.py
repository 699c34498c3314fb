"""Posting a period's payroll, and closing a period: each in one transaction.

A post writes the posting's row, claims the period (the ``ksf_periods`` row: its primary key
is the period, so two posts of one period cannot both claim it), then every line amount and
every value the cards read. Nothing is visible until the transaction commits, and a failure
anywhere rolls all of it back. A replacement writes a new posting and moves the period's
claim to it; the old posting stays, marked ``superseded_by`` the new one: the ledger never
changes or deletes a posted amount.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ksf.catalogue import ledger as say
from ksf.ledger.errors import AlreadyPostedError, NotPostedError, PeriodClosedError
from ksf.ledger.record import Posting
from ksf.ledger.schema import Tables, tables

if TYPE_CHECKING:
    import sqlalchemy as sa


@attrs.frozen
class Current:
    """A period's current posting: its id, when it was posted, and when it was closed."""

    posting: int
    posted_at: str
    closed_at: str | None


@attrs.frozen
class Posted:
    """What a post did: the new posting's id, and the posting it superseded (or None)."""

    posting: int
    superseded: int | None


# The drivers' own placeholders, for inserts that hand rows to the driver as tuples.
_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


class _LostClaim(Exception):  # noqa: N818 - a signal between two functions, never shown
    """Another transaction claimed the period first (a unique key said so)."""


def now() -> str:
    """The time in UTC, as the ledger stores it (ISO 8601, to the second)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def current(conn: sa.Connection, period: str) -> Current | None:
    """The period's current posting, or None when it was never posted."""
    import sqlalchemy as sa

    t = tables()
    query = (
        sa.select(t.periods.c.posting_id, t.postings.c.posted_at, t.periods.c.closed_at)
        .join(t.postings, t.postings.c.id == t.periods.c.posting_id)
        .where(t.periods.c.period == period)
    )
    found = conn.execute(query).first()
    return None if found is None else Current(int(found[0]), str(found[1]), found[2])


def post(engine: sa.Engine, posting: Posting, *, replace: bool = False) -> Posted:
    """Store ``posting`` in one transaction (see the module docstring).

    Raises:
        AlreadyPostedError: the period is posted and ``replace`` is False, or another
            process posted it while this post ran.
        PeriodClosedError: the period is closed.
    """
    period = str(posting.period)
    try:
        with engine.begin() as conn:
            return _post(conn, posting, replace=replace)
    except _LostClaim:  # another transaction posted, replaced or closed the period first
        with engine.begin() as conn:
            found = current(conn, period)
        if found is not None and found.closed_at is not None:
            raise PeriodClosedError(say.CLOSED(period=period, closed_at=found.closed_at)) from None
        raise _already(period, found) from None


def _already(period: str, found: Current | None) -> AlreadyPostedError:
    posting, at = ("?", "?") if found is None else (found.posting, found.posted_at)
    return AlreadyPostedError(say.ALREADY_POSTED(period=period, posting=posting, posted_at=at))


def _post(conn: sa.Connection, posting: Posting, *, replace: bool) -> Posted:
    import sqlalchemy as sa

    t = tables()
    period = str(posting.period)
    found = current(conn, period)
    if found is not None and found.closed_at is not None:
        raise PeriodClosedError(say.CLOSED(period=period, closed_at=found.closed_at))
    if found is not None and not replace:
        raise _already(period, found)
    _store_rules(conn, t, posting)
    inserted = conn.execute(t.postings.insert().values(_posting_row(posting)))
    new = int(inserted.inserted_primary_key[0])  # type: ignore[index]
    try:
        _claim(conn, t, period, new, found)
    except sa.exc.IntegrityError:
        raise _LostClaim from None
    _store_lines(conn, t, posting, new)
    _store_inputs(conn, t, posting, new)
    return Posted(new, None if found is None else found.posting)


def _claim(conn: sa.Connection, t: Tables, period: str, new: int, found: Current | None) -> None:
    """Point the period at the new posting: an insert, or a move from the posting found."""
    if found is None:
        conn.execute(t.periods.insert(), {"period": period, "posting_id": new})
        return
    moved = conn.execute(
        t.periods.update()
        .where(t.periods.c.period == period, t.periods.c.posting_id == found.posting)
        .where(t.periods.c.closed_at.is_(None))
        .values(posting_id=new)
    ).rowcount
    if moved != 1:  # replaced or closed by another transaction meanwhile
        raise _LostClaim
    conn.execute(t.postings.update().where(t.postings.c.id == found.posting)
                 .values(superseded_by=new))  # fmt: skip


def _posting_row(posting: Posting) -> dict[str, Any]:
    return {
        "period": str(posting.period),
        "period_start": posting.period.index,
        "period_months": posting.period.months,
        "rulebook_hash": posting.rule_hash,
        "posted_at": now(),
        "n_rows": len(posting),
        "decimals": posting.decimals,
        "unit": repr(posting.unit),
        "currency": posting.currency,
        "id_column": posting.id_column,
        "total": posting.total_units(),
    }


def _store_rules(conn: sa.Connection, t: Tables, posting: Posting) -> None:
    """The rule text, once per hash (two posts with one rulebook may race to store it)."""
    import sqlalchemy as sa

    row = {"hash": posting.rule_hash, "name": posting.rule_name, "text": posting.rule_text}
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        conn.execute(postgresql.insert(t.rulebooks).values(row).on_conflict_do_nothing())
        return
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects import sqlite

        conn.execute(sqlite.insert(t.rulebooks).values(row).on_conflict_do_nothing())
        return
    known = sa.select(t.rulebooks.c.hash).where(t.rulebooks.c.hash == posting.rule_hash)
    if conn.execute(known).first() is None:
        conn.execute(t.rulebooks.insert(), row)


def _store_lines(conn: sa.Connection, t: Tables, posting: Posting, new: int) -> None:
    """The line names, the rows (employee, card, version, total) and every amount."""
    names = [{"posting_id": new, "position": k, "name": n} for k, n in enumerate(posting.lines)]
    if names:
        conn.execute(t.lines.insert(), names)
    keys = ("posting_id", "row", "employee", "card", "version", "total")
    versions = [v or None for v in posting.versions.tolist()]
    columns = (posting.ids.tolist(), posting.cards.tolist(), versions, posting.totals.tolist())
    _insert(conn, t.rows, keys, _numbered(new, *columns))
    if posting.units.size:
        lines, rows = np.indices(posting.units.shape)
        flat = (rows.ravel().tolist(), lines.ravel().tolist(), posting.units.ravel().tolist())
        _insert(conn, t.amounts, ("posting_id", "row", "position", "amount"),
                ((new, *cells) for cells in zip(*flat, strict=True)))  # fmt: skip


def _store_inputs(conn: sa.Connection, t: Tables, posting: Posting, new: int) -> None:
    """The names and kinds of the values read, every value, and the params."""
    names = [*posting.numbers, *posting.texts]
    kinds = ["number"] * len(posting.numbers) + ["text"] * len(posting.texts)
    _insert(conn, t.columns, ("posting_id", "position", "name", "kind"),
            _numbered(new, names, kinds))  # fmt: skip
    cells: list[tuple[Any, ...]] = []
    for position, numbers in enumerate(posting.numbers.values()):
        read = [None if math.isnan(v) else v for v in numbers.tolist()]  # NULL: missing
        cells += [(new, row, position, v, None) for row, v in enumerate(read)]
    for position, texts in enumerate(posting.texts.values(), start=len(posting.numbers)):
        cells += [(new, row, position, None, v) for row, v in enumerate(texts.tolist())]
    _insert(conn, t.values, ("posting_id", "row", "position", "number", "text"), cells)
    _insert(conn, t.params, ("posting_id", "name", "value"), _params(new, posting.params))


def _numbered(new: int, *columns: list[Any]) -> Iterator[tuple[Any, ...]]:
    """``(posting, k, a_k, b_k, …)`` for each k: a table keyed by position within a posting."""
    return ((new, k, *cells) for k, cells in enumerate(zip(*columns, strict=True)))


def _params(new: int, params: Mapping[str, float]) -> Iterator[tuple[Any, ...]]:
    return ((new, name, value) for name, value in params.items())


def _insert(conn: sa.Connection, table: sa.Table, keys: tuple[str, ...], rows: Any) -> None:
    """Insert rows given as tuples in ``keys`` order: one statement, many rows.

    SQLite's and psycopg's drivers take the tuples as they are (``executemany``); building a
    dict per row for SQLAlchemy's own insert took longer than the database's write.
    """
    batch = list(rows)
    if not batch:
        return
    quote = conn.dialect.identifier_preparer
    named = f"{quote.format_table(table)} ({', '.join(quote.quote(key) for key in keys)})"
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy(conn, named, batch)
        return
    mark = _MARKS.get(conn.dialect.paramstyle)
    if mark is None:
        conn.execute(table.insert(), [dict(zip(keys, row, strict=True)) for row in batch])
        return
    # Only the ledger's own table and column names, quoted, go into the text; values are
    # the driver's parameters.
    sql = f"INSERT INTO {named} VALUES ({', '.join([mark] * len(keys))})"  # noqa: S608
    conn.exec_driver_sql(sql, batch)


def _copy(conn: sa.Connection, named: str, batch: list[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY, in the connection's transaction: ten times psycopg's executemany."""
    import sqlalchemy as sa

    statement = f"COPY {named} FROM STDIN"
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(statement) as copy:
            for row in batch:
                copy.write_row(row)
    except dbapi.Error as error:  # as SQLAlchemy raises it: IntegrityError for a key …
        raise sa.exc.DBAPIError.instance(statement, None, error, dbapi.Error) from None
    finally:
        cursor.close()


def close(engine: sa.Engine, period: str, ledger: str) -> tuple[Current, bool]:
    """Make the period's posting final; returns it and whether this call closed it.

    Raises:
        NotPostedError: nothing is posted for the period.
    """
    t = tables()
    with engine.begin() as conn:
        found = current(conn, period)
        if found is None:
            raise not_posted(conn, period, ledger)
        if found.closed_at is not None:
            return found, False
        stamp = now()
        conn.execute(t.periods.update().where(t.periods.c.period == period)
                     .values(closed_at=stamp))  # fmt: skip
        return attrs.evolve(found, closed_at=stamp), True


def not_posted(conn: sa.Connection, period: str, ledger: str) -> NotPostedError:
    """The error for a period with no posting, listing the periods that have one."""
    import sqlalchemy as sa

    t = tables()
    posted = conn.execute(sa.select(t.periods.c.period).order_by(t.periods.c.period)).scalars()
    listed = ", ".join(posted) or say.NONE_POSTED()
    return NotPostedError(say.NOT_POSTED(period=period, ledger=ledger, periods=listed))
