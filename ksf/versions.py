"""Which version of each card a period uses (LANGUAGE.md §13).

A rule file may hold several versions of one card name, each ``effective`` from a month. A
period uses, for each name, the latest version effective on or before its first month; a
card without ``effective`` is in force in every period. `in_force` narrows a checked program
to those versions, so that everything after it sees one card per name, as before versions.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from ksf import ir
from ksf._typing import IntArray
from ksf.catalogue import periods as say
from ksf.errors import DataError
from ksf.periods import Period


def names(program: ir.Program) -> tuple[str, ...]:
    """The card names, each once, in the order they first appear in the file."""
    return tuple(dict.fromkeys(c.name for c in program.cards))


def one(program: ir.Program, name: str) -> ir.Card | None:
    """The card called ``name`` where it has one version; None where the file has none.

    For the tools that look at one card without a period (`ksf.testing`, `ksf.plot`).

    Raises:
        DataError: the card has several versions: which one is meant is the period's to say
            (`Rulebook.at`), not a guess.
    """
    found = [c for c in program.cards if c.name == name]
    if len(found) > 1:
        months = ", ".join(str(c.effective) for c in found)
        raise DataError(say.CARD_HAS_VERSIONS(card=repr(name), months=months))
    return found[0] if found else None


def versioned(program: ir.Program) -> bool:
    """Whether any card of the file has an ``effective`` month."""
    return any(c.effective is not None for c in program.cards)


def in_force(program: ir.Program, period: Period | None) -> ir.Program:
    """The program with, for each card name, the version in force in ``period`` (if any).

    A program without versions is returned as it is, whatever the period.

    Raises:
        DataError: the file has versions and no period is given to choose between them.
    """
    if not versioned(program):
        return program
    if period is None:
        cards = [c for c in program.cards if c.effective is not None]
        listed = ", ".join(dict.fromkeys(c.name for c in cards))
        months = ", ".join(sorted({str(c.effective) for c in cards}))
        raise DataError(say.PERIOD_NEEDED(cards=listed, months=months))
    first = period.first_month
    chosen: dict[str, ir.Card] = {}
    for card in program.cards:
        if card.effective is not None and card.effective > first:
            continue
        held = chosen.get(card.name)
        if held is None or (held.effective is not None and card.effective is not None
                            and card.effective > held.effective):  # fmt: skip
            chosen[card.name] = card
    ordered = tuple(chosen[name] for name in names(program) if name in chosen)
    return attrs.evolve(program, cards=ordered)


def refuse_out_of_force(
    program: ir.Program,
    chosen: ir.Program,
    period: Period | None,
    used: Sequence[str],
    card_of_row: IntArray | None,
    n_rows: int,
) -> None:
    """A data error naming a card some rows use that has no version in force in ``period``.

    ``used`` are the cards the rows use, numbered by ``card_of_row`` (None: every row).
    """
    held = {c.name for c in chosen.cards}
    for code, name in enumerate(used):
        if name in held:
            continue
        first = min(
            c.effective for c in program.cards if c.name == name and c.effective is not None
        )
        rows = np.arange(n_rows) if card_of_row is None else np.flatnonzero(card_of_row == code)
        message = say.NO_VERSION_IN_FORCE(card=repr(name), period=period, first=first)
        raise DataError(message, column="card" if card_of_row is not None else None, rows=rows)


def versions_used(chosen: ir.Program, used: Sequence[str]) -> tuple[Period | None, ...]:
    """The ``effective`` month of the version each used card runs (None: no versions)."""
    by_name = {c.name: c.effective for c in chosen.cards}
    return tuple(by_name.get(name) for name in used)
