"""Solving a line for a target pay at a target performance (``--solve rate --pay 7500 --when …``).

The clause solved for is rewritten to read a candidate column (LANGUAGE.md §9: any clause
value may be read per row), the card is cut down to the line and the earlier lines it reads,
and each call of `ksf.Rulebook.evaluate` pays one row per candidate: the real card, so what
the solution pays is what the payroll will pay. The performance row takes each name the
line reads from ``when``, else the median of the role's history (and says so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import attrs
import numpy as np

from ksf import ir
from ksf._typing import BoolArray, FloatArray
from ksf.catalogue import calibrate as say
from ksf.design import solve
from ksf.design.calibrate_history import History, Sample, role_rows, sample
from ksf.design.failure import CalibrationError
from ksf.design.points import direction_of
from ksf.design.rewrite import Edit, decimal, rewritten
from ksf.errors import suggest
from ksf.message import Keyword, Message
from ksf.rulebook import Rulebook, compile  # noqa: A004 - ksf's own verb
from ksf.standard import standard_library

CANDIDATE = "ksf_calibrate_candidate"
SOLVABLE: Mapping[type, tuple[str, ...]] = {
    ir.BalanceLine: ("balance", "reward", "penalty", "pot"),
    ir.CommissionLine: ("rate",),
}
PERCENT_LIMIT = 10.0  # a percentage balance point read per row must stay under 1000%


@attrs.frozen
class Performance:
    """The row a line is solved at: each name's value, and which came from history."""

    values: Mapping[str, float]
    medians: tuple[str, ...] = ()
    sample: Sample | None = None  # the role's rows the medians are of
    percent: frozenset[str] = frozenset()  # names whose values are percentages (53%)


@attrs.frozen
class Solution:
    """A solved clause value, how it was found, and the row it pays the target at."""

    value: Decimal
    solved: solve.Solved | None  # None for a balance point (on its grid)
    performance: Performance


def solvable(line: ir.Line, clause: str) -> ir.BalanceLine | ir.CommissionLine:
    """The line, when its pay can be solved for the clause.

    Raises:
        CalibrationError: saying which clauses can be.
    """
    match line:
        case ir.BalanceLine() | ir.CommissionLine() if clause in SOLVABLE[type(line)]:
            return line
        case _:
            raise CalibrationError(say.CANNOT_SOLVE(clause=Keyword(clause), line=line.name))


def solve_line(
    text: str,
    name: str,
    card: str,
    line: ir.BalanceLine | ir.CommissionLine,
    clause: str,
    target: float,
    when: Mapping[str, float],
    history: History | None,
    *,
    percent: bool = False,
) -> Solution:
    """The clause value at which the line pays ``target`` at the performance ``when``.

    ``percent``: the line's points are percentages (written ``30%``), so a balance point
    of 1000% or more is no candidate (evaluate refuses it as a slip).

    Raises:
        CalibrationError: no value pays it (said why), or a name the line reads is neither
            in ``when`` nor in the history.
    """
    solvable(line, clause)
    alone = _candidate_book(text, name, card, line, clause)
    performance = _performance(alone, card, line, when, history)
    unit = alone.program.unit

    def pays(candidates: FloatArray) -> FloatArray:
        data = {n: np.full(len(candidates), v) for n, v in performance.values.items()}
        data[CANDIDATE] = candidates
        amounts: FloatArray = alone.evaluate(data, card=card)[line.name]
        return amounts

    try:
        if clause == "balance":
            assert isinstance(line, ir.BalanceLine)  # noqa: S101 - only balance lines have one
            return Solution(_balance(pays, target, unit, line, percent), None, performance)
        found = solve.linear(pays, target, unit)
    except solve.NoSolution as no:
        raise CalibrationError(_why(no, clause, line, target)) from None
    return Solution(found.value, found, performance)


def _balance(
    pays: solve.Pays, target: float, unit: float, line: ir.BalanceLine, percent: bool
) -> Decimal:
    """A balance point on the line's step grid, nearest the one written."""
    if not isinstance(line.step, float):
        raise CalibrationError(say.STEP_PER_ROW(line=line.name))
    written = [(b.at, b.kind) for b in line.beyond if isinstance(b.at, float)]
    first = written[0][0] if written else 0.0
    start = line.balance if isinstance(line.balance, float) else first
    step = decimal(line.step)
    origin = decimal(first)
    start_on_grid = origin + ((decimal(start) - origin) / step).to_integral_value() * step
    direction = direction_of(line)

    def keep(points: FloatArray) -> BoolArray:
        """Points that leave each `beyond` on its side, and a percentage under 1000%."""
        kept: BoolArray = np.ones(len(points), dtype=bool)
        if percent:
            kept &= np.abs(points) < PERCENT_LIMIT
        for at, kind in written:
            side = 1 if kind == "reward" else -1
            kept &= side * direction * (at - points) > 0
        return kept

    return solve.on_grid(pays, target, unit, start_on_grid, step, keep)


def _candidate_book(
    text: str, name: str, card: str, line: ir.BalanceLine | ir.CommissionLine, clause: str
) -> Rulebook:
    """The card with the clause reading the candidate column, cut to the lines the line needs."""
    candidate = rewritten(text, name, [Edit(card, line.span, clause, CANDIDATE)], formatted=False)
    program = compile(candidate, name=name).program
    found = program.card(card)
    assert found is not None  # noqa: S101 - the card the line was found on
    lines = _needed(found.lines, line.name)
    shared = {x.pool for x in lines if isinstance(x, ir.ShareLine)}
    cut = attrs.evolve(found, lines=lines, min_pay=None)
    pools = tuple(p for p in program.pools if p.name in shared)
    return Rulebook(attrs.evolve(program, cards=(cut,), pools=pools))


def _needed(lines: tuple[ir.Line, ...], name: str) -> tuple[ir.Line, ...]:
    """The line called ``name`` and the earlier lines it reads, directly or not, in order."""
    index = {x.name: k for k, x in enumerate(lines)}
    wanted, todo = set(), [index[name]]
    while todo:
        k = todo.pop()
        if k in wanted:
            continue
        wanted.add(k)
        for node in (n for e in ir.line_inputs(lines[k]) for n in ir.walk(e)):
            if isinstance(node, ir.LineRef):
                todo.append(index[node.name])
            elif isinstance(node, ir.Subtotal):
                todo.extend(range(node.count))
    return tuple(lines[k] for k in sorted(wanted))


def _performance(
    alone: Rulebook,
    card: str,
    line: ir.Line,
    when: Mapping[str, float],
    history: History | None,
) -> Performance:
    """Each name the line reads: from ``when``, else its median over the role's history.

    A name of ``when`` the line does not read is for another line (`check_when` has made
    sure some line of the card reads it).
    """
    names = [n for n in alone.names(card) if n != CANDIDATE]
    values = {n: float(when[n]) for n in names if n in when}
    rest = [n for n in names if n not in when]
    percent = _percentages(alone, names)
    if not rest:
        return Performance(values, percent=percent)
    if history is None:
        raise CalibrationError(say.WHEN_MISSING(line=line.name, names=", ".join(rest)))
    rows = role_rows(history, card)
    found = None
    for name in rest:  # a loop over the few names the line reads; each over all rows at once
        found = sample(alone, history, ir.Free(name), rows)
        if not len(found.values):
            raise CalibrationError(say.NO_MEDIAN(name=name, source=history.name, card=card))
        values[name] = float(np.median(found.values))
    return Performance(values, tuple(rest), found, percent)


def _percentages(book: Rulebook, names: Sequence[str]) -> frozenset[str]:
    """The names whose values are percentages: standard indicators and declared columns."""
    library = standard_library()
    declared = {c.name: c.unit for c in book.program.columns}
    return frozenset(
        n
        for n in names
        if declared.get(n) == "percent"
        or (n in library and library[n].unit == "percent" and n not in declared)
    )


def check_when(book: Rulebook, cards: Sequence[str], when: Mapping[str, float]) -> None:
    """Refuse a name of ``when`` that no card being calibrated reads (a typo: did-you-mean).

    Raises:
        CalibrationError: naming what the cards read.
    """
    names = sorted({n for card in cards for n in book.names(card)})
    for name in when:
        if name not in names:
            hint = suggest(name, names)
            raise CalibrationError(
                say.WHEN_NOT_READ(name=name, reads=", ".join(names) or "—", hint=hint or "")
            )


def _why(no: solve.NoSolution, clause: str, line: ir.Line, target: float) -> Message:
    """Why no value of the clause pays the target."""
    match no.kind:
        case "independent":
            return say.DOES_NOT_DEPEND(line=line.name, clause=Keyword(clause), pay=_money(no.low))
        case "unreachable":
            said = say.UNREACHABLE(
                line=line.name, clause=Keyword(clause), target=_money(target), low=_money(no.low),
                high=_money(no.high),
            )  # fmt: skip
            cap = getattr(line, "cap", None)
            if isinstance(cap, float) and abs(cap - no.high) < 0.005:
                return say.CAPPED(message=said, cap=_money(cap))
            return said
        case _:
            return say.JUMPS(
                line=line.name, clause=Keyword(clause), target=_money(target), low=_money(no.low),
                high=_money(no.high),
            )  # fmt: skip


def _money(amount: float) -> str:
    return f"{amount:,.2f}"
