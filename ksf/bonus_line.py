"""A bonus line over a block of a card's rows: its amounts and, on one row, its trace.

The bonus needs nothing of the card run's state, so `ksf.card_run` calls it from its
dispatch over line kinds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ksf import ir
from ksf._typing import FloatArray
from ksf.kernels.bonus import bonus
from ksf.trace import BonusTrace
from ksf.trace_figures import near_equal


def bonus_line(
    line: ir.BonusLine,
    values: list[Any],
    out: FloatArray,
    read: list[float] | None,
    row_values: Mapping[ir.Expr, float] | None,
) -> BonusTrace | None:
    """The bonus where its condition holds; with ``read``, its trace."""
    rest = iter(values[1:])
    scale = next(rest) if line.scale is not None else None
    when = next(rest) if line.when is not None else None
    bonus(values[0], scale, when, out)
    if read is None or row_values is None:
        return None
    trace = BonusTrace(line=line, paid=line.when is None or read[-1] != 0, amount=read[0])
    if line.scale is not None:
        trace.scale = read[1]
        trace.scaled = read[0] * read[1]
    if line.when is not None:
        trace.near_equal = near_equal(line.when, row_values)
    return trace
