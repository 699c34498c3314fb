"""A line whose clause values are read per row (LANGUAGE.md §9), drawn at one row's values.

``gross_margin balance target_gm step 1% reward 200`` has a balance point per row: its curve
exists only once ``target_gm`` is known. `written_at` takes the value of each name the
clause values read from ``at`` (``--at target_gm=25%``), else the median of the column in
``data`` (``--data FILE``: the rows of the card when the data has a ``card`` column), and
gives the line with each clause value replaced by the number it comes to, the balance
point's text that number; a note on the plot says which values were used. A name found in
neither is a ValueError saying what to pass, in English and Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from ksf import ir
from ksf.bind import Schema, bind
from ksf.catalogue import io as say
from ksf.codegen import compile_exprs
from ksf.columns import from_data
from ksf.explain_words import Lang
from ksf.frame import run_code
from ksf.message import Keyword
from ksf.plot import words
from ksf.rulebook import Rulebook
from ksf.standard import standard_library

PERCENT_CLAUSES = ("balance", "step")  # in the unit of the rule's value; `rate` always is


def per_row_names(line: ir.BalanceLine | ir.CommissionLine) -> tuple[str, ...]:
    """The names the line's clause values read per row, in order, once."""
    found = (n.name for p in ir.per_row(line) for n in ir.walk(p.expr) if isinstance(n, ir.Free))
    return tuple(dict.fromkeys(found))


def held_line(
    book: Rulebook, card: str, line: ir.Line, at: Mapping[str, float], data: Any, lang: Lang
) -> tuple[ir.Line, str]:
    """The line as it is when no clause value is read per row, else `written_at`'s line, note."""
    match line:
        case ir.BalanceLine() | ir.CommissionLine() if ir.per_row(line):
            return written_at(book, card, line, at, data, lang)
        case _:  # written as numbers, or a line of no curve (which `_shape` refuses)
            return line, ""


def written_at(
    book: Rulebook,
    card: str,
    line: ir.BalanceLine | ir.CommissionLine,
    at: Mapping[str, float],
    data: Any,
    lang: Lang,
) -> tuple[ir.BalanceLine | ir.CommissionLine, str]:
    """The line with its per-row clause values as numbers, and the note that says which.

    Raises:
        ValueError: a name neither in ``at`` nor a numeric column of ``data`` with a value.
    """
    names = per_row_names(line)
    values, medians = _values(names, at, data, card)
    missing = [n for n in names if n not in values]
    if missing:
        # Each clause by its keyword, spelt in the message's language (`平衡点 target_gm`).
        read = [
            say.CLAUSE_READ(clause=Keyword(p.clause), text=p.text or "…") for p in ir.per_row(line)
        ]
        clauses = say.joined(read)
        raise ValueError(words.per_row_missing(line.name, clauses, missing))
    numbers: dict[str, Any] = {p.clause: _value(book, p.expr, values) for p in ir.per_row(line)}
    percent = _percent_names(line)
    shown = [
        (name, f"{values[name] * 100:.10g}%" if name in percent else f"{values[name]:,.10g}")
        for name in names
    ]
    note = words.per_row_note(lang, [(n, v, n in medians) for n, v in shown])
    return _with_numbers(line, numbers), note


def _values(
    names: tuple[str, ...], at: Mapping[str, float], data: Any, card: str
) -> tuple[dict[str, float], set[str]]:
    """Each name's value: given, or the median of its column in ``data`` (the card's rows)."""
    values = {n: float(at[n]) for n in names if n in at}
    medians: set[str] = set()
    if data is None:
        return values, medians
    columns = from_data(data)
    cards = columns.text.get("card")
    rows = np.ones(columns.n_rows, dtype=bool) if cards is None else cards == card
    for name in names:
        column = columns.numeric.get(name)
        if name in values or column is None:
            continue
        known = column[rows & ~np.isnan(column)]
        if len(known):
            values[name] = float(np.median(known))
            medians.add(name)
    return values, medians


def _value(book: Rulebook, expr: ir.Expr, values: Mapping[str, float]) -> float:
    """A clause's expression at the values: bound to one row of them, then computed."""
    probe = ir.Card(name="held", label=None, lines=(ir.BonusLine(name="held", amount=expr),))
    program = attrs.evolve(book.program, cards=(probe,), pools=())
    schema = Schema(frozenset(values), frozenset(), frozenset())
    bound = bind(program, standard_library(), schema, {"held"}).cards[0].lines[0]
    assert isinstance(bound, ir.BonusLine)  # noqa: S101 - the probe's one line
    row = from_data({name: np.array([value]) for name, value in values.items()})
    found = run_code(compile_exprs([bound.amount]), row, {}, None)[0]
    return float(np.asarray(found).reshape(-1)[0])


def _percent_names(line: ir.BalanceLine | ir.CommissionLine) -> set[str]:
    """Names whose values are rates: a commission rate, a percentage rule's point and step."""
    if isinstance(line, ir.CommissionLine):
        rated = [p for p in ir.per_row(line) if p.clause == "rate"]
    else:
        percent = _is_percent(line.value)
        rated = [p for p in ir.per_row(line) if percent and p.clause in PERCENT_CLAUSES]
    return {n.name for p in rated for n in ir.walk(p.expr) if isinstance(n, ir.Free)}


def _is_percent(value: ir.Expr) -> bool:
    if isinstance(value, ir.Free):
        value = standard_library().get(value.name) or value
    return isinstance(value, ir.Named) and value.unit == "percent"


def _with_numbers(
    line: ir.BalanceLine | ir.CommissionLine, numbers: dict[str, Any]
) -> ir.BalanceLine | ir.CommissionLine:
    """The line as if its clause values had been written as these numbers."""
    if isinstance(line, ir.CommissionLine):
        rate = numbers.pop("rate", None)
        if rate is not None:  # the one tier's rate, 0 while the rate was read per row
            line = attrs.evolve(line, tiers=(attrs.evolve(line.tiers[0], rate=rate),), rate=None)
        return attrs.evolve(line, **numbers)
    balance = numbers.get("balance")
    if balance is None:
        return attrs.evolve(line, **numbers)
    text = f"{balance * 100:.10g}%" if _is_percent(line.value) else f"{balance:,.10g}"
    return attrs.evolve(line, **numbers, balance_text=text)
