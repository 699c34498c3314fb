"""The ledger's tables (SQLAlchemy Core), as the latest migration leaves them.

Every table starts with ``ksf_`` so that the ledger can sit in an ERP's own database. Money
is never a float column: each amount is a whole number of the posting's minor unit
(``amount / 10**decimals``: cents for a rounding unit of 0.01 or 0.05, yuan for 1), in a
64-bit integer. The values the cards read are stored as what the engine read, a float64
(``DOUBLE PRECISION``, SQLite's 8-byte ``REAL``), or text, so that a period recomputes
bit for bit. docs/ledger.md describes every column.

SQLAlchemy is the ``ledger`` extra: it is imported when a ledger is opened, never by
``import ksf``.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    import sqlalchemy as sa


@attrs.frozen
class Tables:
    """The ledger's tables, one `sqlalchemy.Table` each (see the module docstring)."""

    metadata: sa.MetaData
    schema: sa.Table  # one row per migration step applied
    rulebooks: sa.Table  # rule text by its SHA-256, stored once
    postings: sa.Table  # one row per post of a period, superseded ones kept
    periods: sa.Table  # each posted period's current posting, and when it was closed
    lines: sa.Table  # a posting's line names, in payroll order
    rows: sa.Table  # a posting's rows: employee, card, card version, total
    amounts: sa.Table  # every line amount of every row
    columns: sa.Table  # the names of the values the cards read, and their kind
    values: sa.Table  # every value the cards read, per row
    params: sa.Table  # the params the cards read

    def data_tables(self) -> tuple[sa.Table, ...]:
        """Every table but the schema's version table, in the order they are created."""
        return (self.rulebooks, self.postings, self.periods, self.lines, self.rows,
                self.amounts, self.columns, self.values, self.params)  # fmt: skip


@functools.cache
def tables() -> Tables:
    """The tables, built once per process."""
    import sqlalchemy as sa

    meta = sa.MetaData()
    return Tables(meta, *_registry(meta), *_contents(meta))


def _stamp() -> sa.String:
    import sqlalchemy as sa

    return sa.String(32)  # ISO 8601 in UTC, as text: the same on every database


def _posting() -> sa.Column[int]:
    import sqlalchemy as sa

    return sa.Column("posting_id", sa.Integer, sa.ForeignKey("ksf_postings.id"), nullable=False)


def _registry(meta: sa.MetaData) -> tuple[sa.Table, ...]:
    """The schema's versions, the rule texts, the postings and each period's current one."""
    import sqlalchemy as sa

    stamp = _stamp()
    return (
        sa.Table("ksf_schema", meta,
                 sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
                 sa.Column("applied_at", stamp, nullable=False),
                 sa.Column("step", sa.Text, nullable=False)),
        sa.Table("ksf_rulebooks", meta,
                 sa.Column("hash", sa.String(64), primary_key=True),
                 sa.Column("name", sa.Text, nullable=False),
                 sa.Column("text", sa.Text, nullable=False)),
        sa.Table("ksf_postings", meta,
                 sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                 sa.Column("period", sa.String(7), nullable=False),
                 sa.Column("period_start", sa.Integer, nullable=False),
                 sa.Column("period_months", sa.Integer, nullable=False),
                 sa.Column("rulebook_hash", sa.String(64), sa.ForeignKey("ksf_rulebooks.hash"),
                           nullable=False),
                 sa.Column("posted_at", stamp, nullable=False),
                 sa.Column("n_rows", sa.Integer, nullable=False),
                 sa.Column("decimals", sa.Integer, nullable=False),
                 sa.Column("unit", sa.String(32), nullable=False),
                 sa.Column("currency", sa.String(16), nullable=False),
                 sa.Column("id_column", sa.Text, nullable=False),
                 sa.Column("total", sa.BigInteger, nullable=False),
                 sa.Column("superseded_by", sa.Integer, sa.ForeignKey("ksf_postings.id"))),
        sa.Table("ksf_periods", meta,
                 sa.Column("period", sa.String(7), primary_key=True),
                 sa.Column("posting_id", sa.Integer, sa.ForeignKey("ksf_postings.id"),
                           nullable=False, unique=True),
                 sa.Column("closed_at", stamp)),
    )  # fmt: skip


def _contents(meta: sa.MetaData) -> tuple[sa.Table, ...]:
    """What a posting holds: its lines, rows, amounts, and the values and params read."""
    import sqlalchemy as sa

    return (
        sa.Table("ksf_lines", meta, _posting(),
                 sa.Column("position", sa.Integer, nullable=False),
                 sa.Column("name", sa.Text, nullable=False),
                 sa.PrimaryKeyConstraint("posting_id", "position"),
                 sa.UniqueConstraint("posting_id", "name")),
        sa.Table("ksf_rows", meta, _posting(),
                 sa.Column("row", sa.Integer, nullable=False),
                 sa.Column("employee", sa.Text, nullable=False),
                 sa.Column("card", sa.Text, nullable=False),
                 sa.Column("version", sa.String(7)),
                 sa.Column("total", sa.BigInteger, nullable=False),
                 sa.PrimaryKeyConstraint("posting_id", "row")),
        sa.Table("ksf_amounts", meta, _posting(),
                 sa.Column("row", sa.Integer, nullable=False),
                 sa.Column("position", sa.Integer, nullable=False),
                 sa.Column("amount", sa.BigInteger, nullable=False),
                 sa.PrimaryKeyConstraint("posting_id", "row", "position")),
        sa.Table("ksf_columns", meta, _posting(),
                 sa.Column("position", sa.Integer, nullable=False),
                 sa.Column("name", sa.Text, nullable=False),
                 sa.Column("kind", sa.String(6), nullable=False),
                 sa.PrimaryKeyConstraint("posting_id", "position"),
                 sa.UniqueConstraint("posting_id", "name")),
        sa.Table("ksf_values", meta, _posting(),
                 sa.Column("row", sa.Integer, nullable=False),
                 sa.Column("position", sa.Integer, nullable=False),
                 sa.Column("number", sa.Double),
                 sa.Column("text", sa.Text),
                 sa.PrimaryKeyConstraint("posting_id", "row", "position")),
        sa.Table("ksf_params", meta, _posting(),
                 sa.Column("name", sa.Text, nullable=False),
                 sa.Column("value", sa.Double, nullable=False),
                 sa.PrimaryKeyConstraint("posting_id", "name")),
    )  # fmt: skip
