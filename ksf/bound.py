"""A rulebook bound to one data schema: checked IR + the data's names → each card's code.

`bind_cards` is the step `Rulebook.evaluate` caches per schema: bind the cards the rows use
(`ksf.bind`), name every line, and generate each card's code (`ksf.codegen`).
`run_groups_of` runs the group aggregates those cards read, over every row at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from ksf import ir
from ksf._typing import IntArray
from ksf.bind import Schema, bind
from ksf.code import CardCode
from ksf.codegen import card_inputs, compile_card, line_names
from ksf.columns import Columns
from ksf.domains import checked_columns
from ksf.groups import GroupValues, group_nodes, run_groups
from ksf.standard import standard_columns, standard_library


@attrs.frozen
class Bound:
    """A rulebook bound to one data schema: what evaluating needs, cached."""

    program: ir.Program
    lines: tuple[str, ...]
    cards: Mapping[str, CardCode]


def bind_cards(program: ir.Program, schema: Schema, cards: Iterable[str]) -> Bound:
    """Bind ``cards`` of ``program`` to ``schema`` and generate their code."""
    bound = bind(program, standard_library(), schema, set(cards))
    ordered = list(bound.cards)
    names = line_names(ordered)
    index_of = {name: i for i, name in enumerate(names)}
    # The file's declarations, and the columns its lines read in percent (at most 100).
    declared = {c.name: c for c in (*bound.percent_read, *bound.columns)}
    compiled = {
        c.name: compile_card(
            c,
            index_of,
            bound.unit,
            checked_columns(card_inputs(c), standard_columns(), declared),
        )
        for c in ordered
    }
    return Bound(bound, tuple(names), compiled)


def run_groups_of(
    program: ir.Program,
    cards: Mapping[str, CardCode],
    columns: Columns,
    params: Mapping[str, float],
    card_of_row: IntArray | None,
) -> dict[ir.Group, GroupValues]:
    """Every group aggregate the cards and their pools read, over all rows (`ksf.groups`).

    ``cards`` in the order ``card_of_row`` numbers them: `over card` groups by the card
    each row runs.
    """
    declared = {c.name: c for c in (*program.percent_read, *program.columns)}
    nodes = group_nodes(cards.values(), program.pools)
    ran = (list(cards), card_of_row)
    return run_groups(nodes, columns, params, standard_columns(), declared, ran)
