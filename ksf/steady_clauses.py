"""Clause values read per row that hold one number over a block (LANGUAGE.md §9).

A target read per row is often one figure over many rows (a store's rows together, or a
column filled with this month's target). `steady_clauses` hands the line kernels that
number (`ksf.kernels.values.steady`, asked once per column and block by `ksf.frame`), so
they run the written clause's arithmetic; `needs_bound` spares a prorated line its amount
bound where the written rule would have none. Each row's amount is the same either way.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from ksf import ir
from ksf.code import LineCode
from ksf.error_bounds import cancels
from ksf.frame import Frame
from ksf.kernels.balance import LARGE_BALANCE
from ksf.kernels.values import Value


def steady_clauses(code: LineCode, frame: Frame, values: list[Any]) -> list[Any]:
    """The line's inputs, each clause value read per row one number where a block's are alike.

    The kernels then run the arithmetic of the value written in the file on the block, with
    no per-row array (`ksf.kernels.values.steady`), and its checks are made once.
    """
    count = len(ir.per_row(code.line))
    if count == 0:
        return values
    first = len(values) - count
    return [*values[:first], *(frame.steady(slot) for slot in code.inputs[first:])]


def clause_slots(lines: Sequence[LineCode]) -> set[int]:
    """The slots of the clause values the lines read per row (each line's last inputs)."""
    found: set[int] = set()
    for code in lines:
        count = len(ir.per_row(code.line))
        found.update(code.inputs[len(code.inputs) - count :] if count else ())
    return found


def needs_bound(line: ir.Line, values: Sequence[Value]) -> bool:
    """Whether a line with an amount error bound (`ksf.error_bounds.line_magnitude`) needs it.

    A prorated balance rule whose balance point or step is read per row needs none on a
    block where, on every row, its value cancels nothing and the balance point is fewer
    than `LARGE_BALANCE` steps from 0: the rule written with each row's values has none.
    """
    match line:
        case ir.BalanceLine() if line.prorate and ir.per_row(line) and not _cancels(line):
            read = dict(zip((p.clause for p in ir.per_row(line)), values[1:], strict=True))
            balance, step = (
                read[name] if isinstance(v := getattr(line, name), ir.PerRow) else v
                for name in ("balance", "step")
            )
            if isinstance(step, float) and isinstance(balance, np.ndarray):
                # dividing by one step is monotone: the least and greatest points tell
                largest = max(abs(float(balance.min())), abs(float(balance.max()))) / step
                return not largest < LARGE_BALANCE
            return not bool(np.max(np.abs(balance) / step) < LARGE_BALANCE)
        case _:
            return True


@functools.lru_cache(maxsize=4096)
def _cancels(line: ir.BalanceLine) -> bool:
    return cancels(line.value)
