"""Pay a drawn book with ksf and with the exact reference, and list where they differ."""

from __future__ import annotations

import math
from fractions import Fraction

import ksf

from . import oracle, render
from .model import Book, Data, number


def to_unit(value: float, unit: Fraction) -> Fraction:
    """A float amount read to the unit (or to the cent if the unit is coarser)."""
    grain = min(unit, Fraction(1, 100))
    return Fraction(round(Fraction(value) / grain)) * grain


def disagreements(book: Book, data: Data) -> list[str]:
    """Every line amount and total on which ksf and the exact reference differ."""
    source = render.book(book)
    rulebook = ksf.compile(source)
    card = None if "card" in data.texts else book.cards[0].name
    pay = rulebook.evaluate(render.columns(data), params=render.params(data) or None, card=card)
    want = oracle.pay(book, data)
    unit = number(book.rounding)
    found = []
    names = oracle.line_names(book, data)
    if list(pay.lines) != names:
        found.append(f"lines {list(pay.lines)} != {names}")
    for name in [*names, "total"]:
        got = pay.total if name == "total" else pay[name]
        for row in range(data.rows):
            value = float(got[row])
            if not math.isfinite(value) or to_unit(value, unit) != want[name][row]:
                found.append(
                    f"row {row} {name}: ksf {value!r}, exact {render_exact(want[name][row])}"
                )
    return found


def render_exact(value: Fraction) -> str:
    """An exact amount as a decimal (amounts are whole rounding units, so this ends)."""
    places = 0
    while (value * 10**places).denominator != 1 and places < 12:
        places += 1
    return f"{float(value):.{places}f}" if places < 12 else str(value)


def report(book: Book, data: Data, found: list[str]) -> str:
    """A case a person can replay: the rule text, the data and the differences."""
    return (
        "ksf differs from the exact reference\n--- rules\n"
        + render.book(book)
        + f"--- data\n{data.numbers}\n{data.texts}\nparams {data.params}\n--- differences\n"
        + "\n".join(found)
    )
