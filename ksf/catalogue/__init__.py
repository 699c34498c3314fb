"""The message catalogue: every error, warning and hint ksf shows, in English and Chinese.

One entry (`ksf.message.Say`) a message, grouped in one module per stage, so whoever adds an
error finds its neighbours: `common` (the words around every report), `syntax` (rule text
that does not parse), `check` (rule text that means nothing valid, and warnings), `data`
(binding and evaluating data), `io` (reading and writing files, payslips, plots, testing),
`periods` (months, quarters and card versions) and `cli` (the command line); beside them
`cases` (``ksf test``), `properties` (``ksf.testing`` and the payout lint), `diff`
(``ksf diff``), `simulate` (``ksf simulate``), `calibrate` (``ksf calibrate``) and `serve`
(``ksf serve``). A module names its entries in capitals; code says
``from ksf.catalogue import check as say`` and raises ``say.STEP_NOT_POSITIVE(clause=…)``.

`entries` lists every entry, for the test that no message lacks its translation.
"""

from __future__ import annotations

from types import ModuleType

from ksf.catalogue import (
    calibrate,
    cases,
    check,
    check_exprs,
    check_lines,
    check_lint,
    cli,
    common,
    data,
    data_rows,
    data_run,
    data_tables,
    diff,
    io,
    periods,
    properties,
    serve,
    simulate,
    syntax,
)
from ksf.message import Say

MODULES: tuple[ModuleType, ...] = (common, syntax, check, data, io, cli)
MODULES += (check_lines, check_exprs, check_lint)
MODULES += (data_run, data_rows, data_tables)
MODULES += (cases,)
MODULES += (properties,)
MODULES += (periods,)
MODULES += (diff,)
MODULES += (serve,)
MODULES += (simulate,)
MODULES += (calibrate,)


def entries() -> dict[str, Say]:
    """Every catalogue entry by its id, ``module.NAME`` (``check.STEP_NOT_POSITIVE``)."""
    found: dict[str, Say] = {}
    for module in MODULES:
        stage = module.__name__.rsplit(".", 1)[-1]
        for name, value in vars(module).items():
            if isinstance(value, Say):
                found[f"{stage}.{name}"] = value
    return found
