"""One process of tests/test_ledger_race.py: post a period the moment a file appears.

Usage: ``python ledger_worker.py LEDGER PERIOD SALES READY GO``. The payroll (2,000 rows,
every row's sales ``SALES``) is computed and the ledger opened first; the process then says
it is ready (creates READY), waits for GO, posts, and prints ``posted ID`` or
``refused CLASS: MESSAGE``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import ksf
from ksf.ledger import LedgerError

ROWS = 2_000
RULES = "card a { base 5000; commission sales rate 1% }"


def main(where: str, period: str, sales: float, ready: Path, go: Path) -> None:
    """Post the payroll once GO exists, and print what happened."""
    data = {"employee": [f"E{k:05d}" for k in range(ROWS)], "sales": [sales] * ROWS}
    pay = ksf.compile(RULES).evaluate(data, period=period)
    with ksf.Ledger(where) as ledger:
        ready.touch()
        while not go.exists():
            time.sleep(0.001)
        try:
            posted = ledger.post(pay)
        except LedgerError as error:
            sys.stdout.write(f"refused {type(error).__name__}: {error}\n")
        else:
            sys.stdout.write(f"posted {posted}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))
