"""A rulebook bound to one data schema: checked IR + the data's names → each card's code.

`bind_cards` is the step `Rulebook.evaluate` caches per schema: bind the cards the rows use
(`ksf.bind`), name every line, and generate each card's code (`ksf.codegen`).
`run_groups_of` runs the group aggregates those cards read, over every row at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ksf import ir
from ksf._typing import AnyArray, IntArray
from ksf.bind import Schema, bind
from ksf.code import CardCode
from ksf.codegen import card_inputs, compile_card, line_names
from ksf.columns import Columns
from ksf.domains import checked_columns
from ksf.groups import GroupValues, group_nodes, run_groups
from ksf.periods import Period
from ksf.standard import standard_columns, standard_library


@attrs.frozen
class Bound:
    """A rulebook bound to one data schema: what evaluating needs, cached."""

    program: ir.Program
    lines: tuple[str, ...]
    cards: Mapping[str, CardCode]


@attrs.frozen
class Rows:
    """Who each row is and what it is paid by: an evaluation's rows, beside their values."""

    cards: list[str]  # the cards the rows use; `card_of_row` numbers them
    card_of_row: IntArray | None  # None: every row uses the single card
    ids: AnyArray | None
    id_column: str | None
    index: Any  # a pandas DataFrame's index, given back by `Payroll.to_pandas`
    period: Period | None


class BindCache:
    """`bind_cards` cached per data schema, safe to share between threads.

    The next period's data with the same columns goes straight to the kernels.
    """

    def __init__(self) -> None:
        self._bound: dict[Any, Bound] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._bound)

    def of(
        self, program: ir.Program, columns: Columns, params: Mapping[str, float], cards: list[str]
    ) -> Bound:
        """The bound cards of ``program`` for data with these columns and params."""
        numeric, text = columns.schema()
        key = (frozenset(numeric), frozenset(text), frozenset(params), frozenset(cards))
        cached = self._bound.get(key)
        if cached is not None:
            return cached
        schema = Schema(frozenset(numeric), frozenset(text), frozenset(params))
        bound = bind_cards(program, schema, cards)
        with self._lock:
            self._bound[key] = bound
        return bound


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
