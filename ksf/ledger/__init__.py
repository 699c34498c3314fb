"""The ledger (LANGUAGE.md §13): posted payrolls by period, in SQLite or an ERP's database.

``ksf.Ledger(path)`` opens (or creates) a SQLite file; ``ksf.Ledger(url)`` an SQLAlchemy
URL. SQLAlchemy is the ``ledger`` extra (``pip install 'ksf[ledger]'``), imported when a
ledger is opened: ``import ksf`` never loads it. docs/ledger.md describes the schema.
"""

from ksf.ledger.errors import (
    AlreadyPostedError,
    LedgerError,
    LedgerSchemaError,
    NotPostedError,
    PeriodClosedError,
)
from ksf.ledger.ledger import Ledger
from ksf.ledger.read import History, PeriodInfo
from ksf.ledger.record import Posting
from ksf.ledger.rerun import Difference, Rerun

__all__ = [
    "AlreadyPostedError",
    "Difference",
    "History",
    "Ledger",
    "LedgerError",
    "LedgerSchemaError",
    "NotPostedError",
    "PeriodClosedError",
    "PeriodInfo",
    "Posting",
    "Rerun",
]
