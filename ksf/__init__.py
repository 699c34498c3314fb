"""ksf: KSF pay cards for cross-border e-commerce teams.

Write pay rules in the ksf language, compile them once, and evaluate whole payrolls in
vectorised NumPy::

    import ksf
    book = ksf.compile(open("team.ksf", encoding="utf-8").read())
    pay = book.evaluate(data)
    pay.total, pay["gross_margin"], pay.explain(0)
"""

from ksf.design.calibrate import calibrate
from ksf.design.simulate import simulate
from ksf.design.simulation import CardSimulation, LineSimulation, Simulation
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
from ksf.version import __version__

from ksf.design.diff import PlanDiff, diff  # isort: skip - plan design builds on the above

__all__ = [
    "CardSimulation",
    "DataError",
    "KsfCompileError",
    "KsfError",
    "KsfSyntaxError",
    "LineSimulation",
    "Payroll",
    "Period",
    "PeriodError",
    "PlanDiff",
    "Rulebook",
    "Simulation",
    "UnknownCardError",
    "UnknownEmployeeError",
    "__version__",
    "calibrate",
    "compile",
    "diff",
    "load",
    "simulate",
]
