"""Names the data shares with the file's own definitions, warned about before any row is read.

Split from `ksf.bind`: binding resolves a name, this only points out the data names that
the file's definitions hide (LANGUAGE.md: the file's definitions come first).
"""

from __future__ import annotations

from collections.abc import Iterable

from ksf import ir
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
        if name in columns:
            message = f"the data has a column `{name}`, but this file's {kind} is used instead"
            hint = f"rename the {kind} to read the column, or drop the column"
        elif name in params:
            message = f"the param `{name}` is not used: this file's {kind} takes precedence"
            hint = f"rename the {kind}, or do not pass `{name}`"
        else:
            continue
        found.append(RuleWarning(message, span, program.source, hint))
    return tuple(sorted(found, key=RuleWarning.sort_key))
