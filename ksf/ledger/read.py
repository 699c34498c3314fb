"""Reading the ledger back: the posted periods, one posting whole, and history as arrays.

`load` rebuilds a `Posting` from its tables with a handful of queries, each placed into
arrays by NumPy indexing (no loop over rows). `history` answers what ``over last N`` needs
(LANGUAGE.md §13) in one query per evaluation: for a range of periods and a set of
employees, each asked value as a periods × employees array.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ksf._typing import AnyArray, BoolArray, FloatArray
from ksf.catalogue import ledger as say
from ksf.ledger.errors import LedgerError
from ksf.ledger.record import Posting, id_text
from ksf.ledger.schema import Tables, tables
from ksf.money import from_units
from ksf.periods import Period

if TYPE_CHECKING:
    import sqlalchemy as sa


@attrs.frozen
class PeriodInfo:
    """One posted period, as ``ksf ledger show`` lists it (amounts in the posting's unit)."""

    period: Period
    posting: int
    rows: int
    total: float
    decimals: int
    currency: str
    rulebook_hash: str
    posted_at: str
    closed_at: str | None
    superseded: tuple[tuple[int, str, float], ...]  # (posting, posted at, total), oldest first


@attrs.frozen
class History:
    """Posted values of some employees over a range of periods (`Ledger.history`).

    ``values[name]`` is a periods × ids array: a line's amount, ``total``, or a value the
    cards read; NaN where the period is not posted or has no row for the employee (an
    employee on several rows of one period: amounts are summed, a value read is the last
    row's). ``posted[k]`` says whether ``periods[k]`` is posted.
    """

    periods: tuple[Period, ...]
    ids: AnyArray
    posted: BoolArray
    values: Mapping[str, FloatArray]


def periods(conn: sa.Connection) -> list[PeriodInfo]:
    """Every posted period in time order, with its current and superseded postings."""
    import sqlalchemy as sa

    t = tables()
    p = t.postings.c
    found = conn.execute(
        sa.select(p.period, p.id, p.n_rows, p.total, p.decimals, p.currency, p.rulebook_hash,
                  p.posted_at, t.periods.c.closed_at, t.periods.c.posting_id)
        .join(t.periods, t.periods.c.period == p.period)
        .order_by(p.period_start, p.period_months, p.id)
    ).all()  # fmt: skip
    listed: list[PeriodInfo] = []
    old: list[tuple[int, str, float]] = []
    for period, posting, rows, total, decimals, currency, rules, at, closed, live in found:
        amount = float(from_units(np.array([float(total)]), 10.0**-decimals)[0])
        if posting != live:
            old.append((posting, at, amount))
            continue
        info = PeriodInfo(Period.parse(period), posting, rows, amount, decimals, currency,
                          rules, at, closed, tuple(old))  # fmt: skip
        listed.append(info)
        old = []
    return listed


def load(conn: sa.Connection, posting: int) -> Posting:
    """The posting with id ``posting``, exactly as it was posted."""
    import sqlalchemy as sa

    t = tables()
    head = conn.execute(sa.select(t.postings).where(t.postings.c.id == posting)).one()._mapping
    rules = conn.execute(
        sa.select(t.rulebooks.c.text, t.rulebooks.c.name)
        .where(t.rulebooks.c.hash == head["rulebook_hash"])
    ).one()  # fmt: skip
    n = int(head["n_rows"])
    lines = _in_order(conn, t.lines, posting, "name")
    rows = conn.execute(
        sa.select(t.rows.c.employee, t.rows.c.card, t.rows.c.version, t.rows.c.total)
        .where(t.rows.c.posting_id == posting).order_by(t.rows.c.row)
    ).all()  # fmt: skip
    employee, card, version, total = (
        (list(c) for c in zip(*rows, strict=True)) if rows else ([],) * 4
    )
    numbers, texts = _inputs(conn, t, posting, n)
    params = conn.execute(
        sa.select(t.params.c.name, t.params.c.value).where(t.params.c.posting_id == posting)
    ).all()
    return Posting(
        period=Period.parse(head["period"]),
        ids=np.array(employee, dtype=str),
        cards=np.array(card, dtype=str),
        versions=np.array([v or "" for v in version], dtype=str),
        lines=tuple(lines),
        units=_amounts(conn, t, posting, len(lines), n),
        totals=np.array(total, dtype=np.int64),
        decimals=int(head["decimals"]),
        unit=float(head["unit"]),
        currency=head["currency"],
        id_column=head["id_column"],
        numbers=numbers,
        texts=texts,
        params={name: float(value) for name, value in params},
        rule_text=rules[0],
        rule_name=rules[1],
        rule_hash=head["rulebook_hash"],
    )


def _in_order(conn: sa.Connection, table: sa.Table, posting: int, column: str) -> list[Any]:
    import sqlalchemy as sa

    query = sa.select(table.c[column]).where(table.c.posting_id == posting)
    return list(conn.execute(query.order_by(table.c.position)).scalars())


def _amounts(conn: sa.Connection, t: Tables, posting: int, lines: int, n: int) -> Any:
    import sqlalchemy as sa

    a = t.amounts.c
    found = conn.execute(
        sa.select(a.position, a.row, a.amount).where(a.posting_id == posting)
    ).all()
    units = np.zeros((lines, n), dtype=np.int64)
    if found:
        cells = np.array(list(map(tuple, found)), dtype=np.int64)
        units[cells[:, 0], cells[:, 1]] = cells[:, 2]
    return units


def _inputs(
    conn: sa.Connection, t: Tables, posting: int, n: int
) -> tuple[dict[str, FloatArray], dict[str, AnyArray]]:
    """The values the cards read, by name: numbers (NaN: missing) and text."""
    import sqlalchemy as sa

    named = conn.execute(
        sa.select(t.columns.c.position, t.columns.c.name, t.columns.c.kind)
        .where(t.columns.c.posting_id == posting).order_by(t.columns.c.position)
    ).all()  # fmt: skip
    v = t.values.c
    cells = conn.execute(
        sa.select(v.position, v.row, v.number, v.text).where(v.posting_id == posting)
    ).all()
    position = np.array([c[0] for c in cells], dtype=np.intp)
    row = np.array([c[1] for c in cells], dtype=np.intp)
    number = np.array([np.nan if c[2] is None else c[2] for c in cells], dtype=np.float64)
    text = np.array([c[3] or "" for c in cells], dtype=object)
    numbers: dict[str, FloatArray] = {}
    texts: dict[str, AnyArray] = {}
    for k, name, kind in named:
        mine = position == k
        if kind == "number":
            numbers[name] = np.full(n, np.nan)
            numbers[name][row[mine]] = number[mine]
        else:
            column = np.full(n, "", dtype=object)
            column[row[mine]] = text[mine]
            texts[name] = column.astype(str)
    return numbers, texts


def history(
    conn: sa.Connection, ids: Sequence[Any] | AnyArray, first: Period, last: Period,
    names: Sequence[str],
) -> History:  # fmt: skip
    """Each name's posted values for ``ids`` over the periods ``first`` … ``last``.

    Ids are matched as text, as they were posted: the employee number 1001 (or 1001.0)
    is ``"1001"``.

    Raises:
        LedgerError: a name that is neither a line, ``total`` nor a value the cards read in
            any of the posted periods of the range.
    """
    span = tuple(first.shift(k) for k in range(_count(first, last)))
    asked = id_text(np.asarray(ids))
    found = conn.execute(_history_query(first, last, names)).all()
    start = {p.index: k for k, p in enumerate(span)}
    posted = np.zeros(len(span), dtype=bool)
    values = {name: np.full((len(span), len(asked)), np.nan) for name in names}
    if found:
        cols = list(zip(*found, strict=True))
        at = np.array([start[s] for s in cols[0]], dtype=np.intp)
        posted[at] = True
        _place(values, at, asked, cols)
    seen = {name for name in cols[2] if name is not None} if found else set()
    missing = [n for n in names if n not in seen]
    if missing and posted.any():
        listed = ", ".join(str(p) for p, k in zip(span, posted, strict=True) if k)
        raise LedgerError(say.NOT_A_VALUE(name=repr(missing[0]), periods=listed))
    return History(span, asked, posted, values)


def _count(first: Period, last: Period) -> int:
    count = 1
    while first.shift(count - 1) < last:
        count += 1
    return count


def _place(values: dict[str, FloatArray], at: Any, asked: AnyArray, cols: list[Any]) -> None:
    """Scatter the fetched cells into each name's periods × ids array (NumPy indexing)."""
    order = np.argsort(asked, kind="stable")
    employee = np.array([e or "" for e in cols[1]], dtype=str)
    pos = np.clip(np.searchsorted(asked[order], employee), 0, max(len(asked) - 1, 0))
    hit = (asked[order][pos] == employee) if len(asked) else np.zeros(len(employee), bool)
    name = np.array([n or "" for n in cols[2]], dtype=object)
    number = np.array([np.nan if x is None else x for x in cols[3]], dtype=np.float64)
    units = np.array([0 if x is None else x for x in cols[4]], dtype=np.float64)
    scale = np.array([0 if x is None else x for x in cols[5]], dtype=np.float64)
    is_amount = np.array([x is not None for x in cols[4]], dtype=bool)
    value = np.where(is_amount, units / 10.0**scale, number)
    for key, out in values.items():
        mine = hit & (name == key)
        rows, columns = at[mine], order[pos[mine]]
        if is_amount[mine].any():
            out[rows, columns] = 0.0
            np.add.at(out, (rows, columns), value[mine])
        else:
            out[rows, columns] = value[mine]


def _history_query(first: Period, last: Period, names: Sequence[str]) -> Any:
    """One statement: each period posted in the range, and every asked value in it.

    The current posting of each period of the kind asked (months or quarters) between
    ``first`` and ``last``; rows of the union are (period start, employee, name, number,
    units, decimals), a posted period with no value giving one row of NULLs.
    """
    import sqlalchemy as sa

    t = tables()
    p, r = t.postings.c, t.rows.c
    live = (
        sa.select(p.id, p.period_start, p.decimals)
        .join(t.periods, t.periods.c.posting_id == p.id)
        .where(p.period_start.between(first.index, last.index))
        .where(p.period_months == first.months)
        .subquery("live")
    )
    text, number = sa.cast(sa.null(), sa.Text), sa.cast(sa.null(), sa.Double)
    units, integer = sa.cast(sa.null(), sa.BigInteger), sa.cast(sa.null(), sa.Integer)
    posted = sa.select(live.c.period_start, text, text, number, units, integer)
    on_row = sa.and_(r.posting_id == live.c.id)
    totals = (
        sa.select(live.c.period_start, r.employee, sa.literal("total", sa.Text), number,
                  r.total, live.c.decimals)
        .join(t.rows, on_row)
    )  # fmt: skip
    a, lines, c, v = t.amounts.c, t.lines.c, t.columns.c, t.values.c
    amounts = (
        sa.select(live.c.period_start, r.employee, lines.name, number, a.amount, live.c.decimals)
        .join(t.rows, on_row)
        .join(t.amounts, sa.and_(a.posting_id == r.posting_id, a.row == r.row))
        .join(t.lines, sa.and_(lines.posting_id == a.posting_id, lines.position == a.position))
        .where(lines.name.in_(names))
    )
    read = (
        sa.select(live.c.period_start, r.employee, c.name, v.number, units, integer)
        .join(t.rows, on_row)
        .join(t.values, sa.and_(v.posting_id == r.posting_id, v.row == r.row))
        .join(t.columns, sa.and_(c.posting_id == v.posting_id, c.position == v.position))
        .where(c.name.in_(names), c.kind == "number")
    )
    parts = [posted, amounts, read] + ([totals] if "total" in names else [])
    return sa.union_all(*parts)
