"""`Ledger`: the posted payrolls of every period, in a SQLite file or an ERP's database.

The public face of the package: it opens the database (bringing its schema up to date,
`ksf.ledger.migrations`) and hands each request to the module that does it: `post`
(posting and closing), `read` (periods, postings, history) and `rerun`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ksf._typing import AnyArray
from ksf.catalogue import ledger as say
from ksf.ledger import post as posting
from ksf.ledger import read
from ksf.ledger.engine import open_engine, where_text
from ksf.ledger.errors import LedgerSchemaError
from ksf.ledger.migrations import migrate
from ksf.ledger.record import Posting, compiled, posting_of
from ksf.ledger.rerun import Rerun, compare, recompute
from ksf.money import from_units
from ksf.payroll import Payroll
from ksf.periods import Period
from ksf.trace import RowTrace


class Ledger:
    """Posted payrolls, one current posting per period (LANGUAGE.md §13).

    Args:
        where: a SQLite file (created if missing), or an SQLAlchemy URL
            (``postgresql+psycopg://user@host/db``) for an ERP's own database.

    Raises:
        ImportError: SQLAlchemy (``pip install 'ksf[ledger]'``) is not installed.
        LedgerSchemaError: the database is not one a ledger can live in, or a newer ksf
            wrote it.

    Examples:
        >>> import ksf, tempfile, pathlib
        >>> book = ksf.compile("card a { base 5000; bonus 10% of sales }")
        >>> pay = book.evaluate({"employee": ["E1", "E2"], "sales": [1000, 2500]},
        ...                     card="a", period="2026-07")
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     with ksf.Ledger(pathlib.Path(folder) / "pay.db") as ledger:
        ...         _ = ledger.post(pay)
        ...         [str(p) for p in ledger.periods()], ledger.payroll("2026-07").total.tolist()
        (['2026-07'], [5100.0, 5250.0])
    """

    def __init__(self, where: str | Path) -> None:
        self.where = where
        self.engine = open_engine(where)  # first: it says what to install if SQLAlchemy is not
        import sqlalchemy as sa

        self.name = where_text(where)
        try:
            with self.engine.begin() as conn:
                self.version = migrate(conn, self.name)
        except LedgerSchemaError:
            self.engine.dispose()
            raise
        except (sa.exc.DatabaseError, sa.exc.OperationalError) as error:
            self.engine.dispose()
            reason = str(error.orig).splitlines()[0] if error.orig else type(error).__name__
            raise LedgerSchemaError(say.CANNOT_OPEN(ledger=self.name, reason=reason)) from None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.dispose()

    def __repr__(self) -> str:
        return f"<Ledger {self.name} schema v{self.version}>"

    def dispose(self) -> None:
        """Close the database connections (a `with` block does it at its end)."""
        self.engine.dispose()

    def post(
        self, payroll: Payroll, *, replace: bool = False, period: str | Period | None = None
    ) -> int:
        """Store a period's payroll in one transaction; returns the new posting's id.

        Every line amount and total (as whole units of the rounding unit's places), every
        value the cards read, the params they read and the rule text (by its hash) are
        stored; nothing is visible until all of it is.

        Args:
            payroll: a payroll from `Rulebook.evaluate` with a period and employee ids.
            replace: post a period that is already posted: the new posting becomes the
                period's, the old one stays in the ledger, marked as superseded.
            period: the period, for a payroll evaluated without one.

        Raises:
            AlreadyPostedError: the period is posted (and ``replace`` is False), or another
                process posted it while this post ran.
            PeriodClosedError: the period is closed.
            LedgerError: the payroll has no period or no ids.
        """
        return posting.post(self.engine, posting_of(payroll, period), replace=replace).posting

    def post_posting(self, record: Posting, *, replace: bool = False) -> int:
        """Store a `Posting` built by hand (`post` builds one from a payroll)."""
        return posting.post(self.engine, record, replace=replace).posting

    def close(self, period: str | Period) -> bool:
        """Make a period's posting final (replacing it is then refused).

        Returns:
            True if this call closed it, False if it was closed already.

        Raises:
            NotPostedError: nothing is posted for the period.
        """
        return posting.close(self.engine, str(Period.parse(period)), self.name)[1]

    def periods(self) -> list[Period]:
        """The posted periods, in time order."""
        return [info.period for info in self.postings()]

    def postings(self) -> list[read.PeriodInfo]:
        """Each posted period with its current posting and the postings it superseded."""
        with self.engine.begin() as conn:
            return read.periods(conn)

    def posting(self, period: str | Period) -> Posting:
        """The period's current posting, exactly as stored.

        Raises:
            NotPostedError: nothing is posted for the period.
        """
        name = str(Period.parse(period))
        with self.engine.begin() as conn:
            found = posting.current(conn, name)
            if found is None:
                raise posting.not_posted(conn, name, self.name)
            return read.load(conn, found.posting)

    def payroll(self, period: str | Period) -> Payroll:
        """The period's posted payroll, as a `Payroll` (amounts as posted, to the unit).

        ``explain`` computes the period again from the stored values and rule text.

        Raises:
            NotPostedError: nothing is posted for the period.
        """
        return as_payroll(self.posting(period))

    def rows(self, period: str | Period) -> list[dict[str, Any]]:
        """The period's posted payroll as rows: id, card, every line, total."""
        return self.payroll(period).to_records()

    def history(
        self,
        ids: Sequence[Any] | AnyArray,
        first: str | Period,
        last: str | Period,
        names: Sequence[str],
    ) -> read.History:
        """Posted values of ``ids`` from ``first`` to ``last``, one query (`read.History`).

        ``names``: lines, ``total``, or values the cards read. The periods are of
        ``first``'s kind (months or quarters).

        Raises:
            LedgerError: a name no posted period of the range has.
        """
        with self.engine.begin() as conn:
            return read.history(conn, ids, Period.parse(first), Period.parse(last), names)

    def rerun(self, period: str | Period) -> Rerun:
        """Compute a posted period again from what was stored, and compare to the unit.

        Raises:
            NotPostedError: nothing is posted for the period.
        """
        stored = self.posting(period)
        return compare(stored, recompute(stored))


def as_payroll(stored: Posting) -> Payroll:
    """A `Payroll` of a stored posting; ``explain`` and ``trace`` recompute it (once)."""
    cards, codes = np.unique(stored.cards, return_inverse=True)
    again: list[Payroll] = []

    def computed() -> Payroll:
        if not again:
            again.append(recompute(stored))
        return again[0]

    def explainer(row: int, lang: Any) -> str:
        return computed().explain(row, lang=lang)

    def tracer(row: int) -> RowTrace:
        return computed().trace(row)

    total = from_units(stored.totals.astype(np.float64), 10.0**-stored.decimals)
    return Payroll(
        lines=stored.lines,
        amounts=stored.amounts(),
        total=total,
        card_names=cards.tolist(),
        card_codes=codes.astype(np.intp),
        rulebook_hash=stored.rule_hash,
        currency=stored.currency,
        ids=stored.ids,
        explainer=explainer,
        rounding=stored.unit,
        id_column=stored.id_column,
        tracer=tracer,
        language=compiled(stored.rule_text, stored.rule_name).program.language,
        period=stored.period,
        versions=stored.card_versions(cards.tolist()),
    )
