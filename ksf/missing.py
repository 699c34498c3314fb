"""The missing-value policy: what a card does with a line input that has no value.

An empty cell, or a division by zero on the way, leaves a line's input missing. The card's
``missing`` clause decides (LANGUAGE.md): ``error`` (the default) refuses the rows, naming the
column or the indicator that divided by zero; ``zero`` computes with 0; ``balance`` puts a
balance rule's value on its balance point and pays the other lines 0 on those rows.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np

from ksf import ir
from ksf._typing import BoolArray, IntArray
from ksf.catalogue import data_run as say
from ksf.code import LineCode
from ksf.columns import Columns
from ksf.errors import DataError
from ksf.frame import global_rows
from ksf.message import Keyword


@attrs.frozen
class Inputs:
    """A line's input values with the policy applied."""

    values: list[Any]
    silenced: BoolArray | None  # rows whose amount is 0 (`missing as balance`, not a balance rule)
    applied: bool  # a missing value was replaced


def apply_policy(
    card: ir.Card,
    code: LineCode,
    values: list[Any],
    block: slice | IntArray,
    data: Columns,
    complete: set[int],
) -> Inputs:
    """The line's input values, with the card's missing-value policy applied.

    ``values`` (the line's input slots, in place); ``complete`` holds the slots known to
    have no missing value, which are not looked at.
    """
    line = code.line
    silenced = None
    applied = False
    when_false = _bonus_not_paid(line, values)
    clauses = ir.per_row(line)
    measured = len(values) - len(clauses)  # clause values read per row come last
    for position, value in enumerate(values):
        if code.inputs[position] in complete or np.isfinite(np.add.reduce(value, axis=None)):
            continue
        missing = ~np.isfinite(np.asarray(value, dtype=np.float64))
        if when_false is not None and position < len(values) - 1:
            missing = missing & ~when_false  # a bonus not paid needs no amount or scale
        if not missing.any():
            values[position] = np.where(np.isfinite(value), value, 0.0)
            continue
        if card.missing == "error" or position >= measured:
            # A balance point, step or rate read per row is the plan, not a result: no
            # policy can stand in for it (docs/language.md §13).
            node = ir.line_inputs(line)[position]
            rows = global_rows(block, np.flatnonzero(missing))
            clause = clauses[position - measured].clause if position >= measured else None
            raise missing_error(node, data, rows, line.name, clause)
        applied = True
        stand_in = _stand_in(line, card.missing, values)
        values[position] = np.where(missing, 0.0 if stand_in is None else stand_in, value)
        if stand_in is None:
            silenced = missing if silenced is None else silenced | missing
    return Inputs(values, silenced, applied)


def _bonus_not_paid(line: ir.Line, values: list[Any]) -> BoolArray | None:
    """Rows where a bonus's condition is false (its last input), or None."""
    match line:
        case ir.BonusLine(when=when) if when is not None:
            not_paid: BoolArray = np.asarray(values[-1]) == 0
            return not_paid
        case _:
            return None


def _stand_in(line: ir.Line, policy: str, values: list[Any]) -> Any:
    """The value a missing input is computed as; None: as 0, with the line's amount 0.

    A balance point read per row is the first clause value after the rule's own value.
    """
    if policy == "zero":
        return 0.0
    match line:
        case ir.BalanceLine():
            return values[1] if isinstance(line.balance, ir.PerRow) else line.balance
        case _:
            return None


def missing_error(
    node: ir.Expr, data: Columns, rows: IntArray, line: str, clause: str | None = None
) -> DataError:
    """Name the column with a missing value, or the indicator that divided by zero.

    ``clause``: the clause whose value read per row is missing (`balance`, `step` …).
    """
    read = (
        say.CLAUSE_OF_LINE(clause=Keyword(clause), line=repr(line))
        if clause
        else say.LINE(line=repr(line))
    )
    for column in dict.fromkeys(n.name for n in ir.walk(node) if isinstance(n, ir.Column)):
        empty = np.isnan(data.numeric[column][rows])
        if empty.any():
            return DataError(say.MISSING_READ_BY(read=read), column=column, rows=rows[empty])
    for codes in dict.fromkeys(n for n in ir.walk(node) if isinstance(n, ir.TextCodes)):
        blank = data.text[codes.column][rows] == ""  # a decision matrix's text key
        if blank.any():
            said = say.MISSING_READ_BY(read=read)
            return DataError(said, column=codes.column, rows=rows[blank])
    named = [
        n
        for n in ir.walk(node)
        if isinstance(n, ir.Named)
        and any(isinstance(m, ir.Op) and m.op == "div" for m in ir.walk(n.expr))
    ]
    if clause and not named:
        return DataError(say.DIVISION_BY_ZERO_IN(read=read), column=clause, rows=rows)
    if not named:
        return _line_divided_by_zero(node, data, rows, line)
    text = f" = {named[-1].text}" if named[-1].text else ""
    said = say.DIVISION_BY_ZERO_NAMED(what=named[-1].name, text=text, line=repr(line))
    return DataError(said, column=named[-1].name, rows=rows)


def _line_divided_by_zero(node: ir.Expr, data: Columns, rows: IntArray, line: str) -> DataError:
    """A division by zero in a line's own expression: the column divided by, if it is 0.

    A line ksf names itself (``base``) is written as the file spells it (底薪); no column
    is named unless the divisor is a column of the data, which is then the one to fix.
    """
    name = say.QUOTED(name=Keyword(line) if line in _OWN_NAMES else line)
    for op in ir.walk(node):
        if isinstance(op, ir.Op) and op.op == "div" and isinstance(op.args[1], ir.Column):
            zero = data.numeric[op.args[1].name][rows] == 0
            if zero.any():
                said = say.DIVISION_BY_ZERO_DIVISOR(line=name)
                return DataError(said, column=op.args[1].name, rows=rows[zero])
    return DataError(say.DIVISION_BY_ZERO_LINE(line=name), rows=rows)


# The names ksf gives lines itself, after their keyword (`base 6000` is the line `base`).
_OWN_NAMES = frozenset({"base", "allowance"})
