"""ksf: KSF pay cards for cross-border e-commerce teams.

Write pay rules in the ksf language, compile them once, and evaluate whole payrolls in
vectorised NumPy::

    import ksf
    book = ksf.compile(open("team.ksf", encoding="utf-8").read())
    pay = book.evaluate(data)
    pay.total, pay["gross_margin"], pay.explain(0)
"""

from ksf.errors import (
    DataError,
    KsfCompileError,
    KsfError,
    KsfSyntaxError,
    UnknownCardError,
    UnknownEmployeeError,
)
from ksf.payroll import Payroll
from ksf.periods import Period, PeriodError
from ksf.rulebook import Rulebook, compile, load  # noqa: A004 - `ksf.compile` is the public verb

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "KsfCompileError",
    "KsfError",
    "KsfSyntaxError",
    "Payroll",
    "Period",
    "PeriodError",
    "Rulebook",
    "UnknownCardError",
    "UnknownEmployeeError",
    "__version__",
    "compile",
    "load",
]
