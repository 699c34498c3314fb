"""Names the data shares with the file's own definitions, warned about before any row is read.

Split from `ksf.bind`: binding resolves a name, this only points out the data names that
the file's definitions hide (LANGUAGE.md: the file's definitions come first).
"""

from __future__ import annotations

from collections.abc import Iterable

from ksf import ir
from ksf.catalogue import data_rows as say
from ksf.errors import RuleWarning


def data_warnings(
    program: ir.Program, columns: Iterable[str], params: Iterable[str] = ()
) -> tuple[RuleWarning, ...]:
    """What the data's names would quietly change, before any row is read.

    The file's own definitions come first in name resolution, so a data column or a param
    of the same name is never read; both are usually a slip (an export that now carries the
    figure, a param meant to override it), so each is pointed out at the definition.
    """
    columns, params = set(columns), set(params)
    found = []
    for name, kind, span in program.definitions:
        what = say.KINDS[kind]() if kind in say.KINDS else kind
        if name in columns:
            message = say.COLUMN_HIDDEN(name=name, kind=what)
            hint = say.COLUMN_HIDDEN_HINT(kind=what)
        elif name in params:
            message = say.PARAM_HIDDEN(name=name, kind=what)
            hint = say.PARAM_HIDDEN_HINT(kind=what, name=name)
        else:
            continue
        found.append(RuleWarning(message, span, program.source, hint))
    return tuple(sorted(found, key=RuleWarning.sort_key))
