"""The orchestrator: text → AST → IR at compile time; data → bound, compiled code → Payroll.

`compile`/`load` parse and check a rule file once. `Rulebook.evaluate` reads the data's
columns, binds the cards the rows use (cached per data schema), splits pools, runs every
card over its rows and returns a `Payroll`.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ksf import explain, ir
from ksf._typing import AnyArray, IntArray
from ksf.bind import Schema, bind
from ksf.card_run import CardRun
from ksf.code import CardCode
from ksf.codegen import card_inputs, compile_card, line_names
from ksf.columns import Columns, from_data
from ksf.data_clashes import data_warnings
from ksf.domains import checked_columns
from ksf.dsl.check import check
from ksf.dsl.parser import parse
from ksf.errors import RuleWarning, UnknownCardError
from ksf.explain_words import Lang
from ksf.groups import (
    GroupValues,
    group_keys,
    group_nodes,
    group_traces,
    run_groups,
    with_groups,
)
from ksf.ids import (
    ID_COLUMNS,
    PERIOD_COLUMNS,
    ids_of,
    pandas_index,
    refuse_duplicate_ids,
    refuse_missing_ids,
    rows_named_by,
)
from ksf.params import checked_params
from ksf.payroll import Payroll
from ksf.pools import pool_members, run_pools
from ksf.row_plan import cards_rows, run_rows
from ksf.rows import card_rows, refuse_text_read_as_numbers
from ksf.rule_text import format_text, read_rules, rule_source
from ksf.standard import standard_columns, standard_library
from ksf.trace import RowTrace

# Documented as importable from here (docs/api.md), though each lives in its own module.
__all__ = [
    "ID_COLUMNS",
    "PERIOD_COLUMNS",
    "Rulebook",
    "compile",
    "format_text",
    "load",
    "read_rules",
    "rule_source",
    "standard_columns",
    "standard_library",
]


@attrs.frozen
class _Bound:
    """A rulebook bound to one data schema: what evaluating needs, cached."""

    program: ir.Program
    lines: tuple[str, ...]
    cards: Mapping[str, CardCode]


class Rulebook:
    """A checked rule file, ready to evaluate payrolls.

    Create one with `ksf.compile` or `ksf.load`; evaluate it as often as you like.
    """

    def __init__(self, program: ir.Program) -> None:
        self.program = program
        self.source = program.source
        self.hash = hashlib.sha256(program.source.text.encode("utf-8")).hexdigest()
        self._bound: dict[Any, _Bound] = {}
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        # Pickle the checked program (frozen attrs data), never the per-schema cache: it
        # holds compiled kernels (closures), and a worker rebuilds it on first evaluate.
        return {"program": self.program}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["program"])  # type: ignore[misc]

    @property
    def cards(self) -> tuple[str, ...]:
        """The card names, in file order."""
        return tuple(c.name for c in self.program.cards)

    @property
    def currency(self) -> str:
        """The display currency (``currency`` statement; CNY by default)."""
        return self.program.currency

    @property
    def warnings(self) -> tuple[RuleWarning, ...]:
        r"""Valid rules that are probably a mistake, found in the text alone (source order).

        Examples:
            >>> import ksf
            >>> book = ksf.compile("table t { else: 1 }\ncard a { base 1 }", name="a.ksf")
            >>> print(book.warnings[0])
            a.ksf:1:7: warning: table `t` is defined but no line uses it
            1 | table t { else: 1 }
              |       ^
            hint: a line that reads it may be missing; or delete the definition
        """
        return self.program.warnings

    def check_data(
        self, columns: Iterable[str], params: Iterable[str] = ()
    ) -> tuple[RuleWarning, ...]:
        """Warnings about data with these column names and params, before evaluating it.

        A data column or a param named like one of the file's definitions is never read
        (the file's definition comes first); each such name gives a warning.

        Args:
            columns: the data's column names (a DataFrame's ``.columns`` will do).
            params: the names of the params (a mapping of params will do).
        """
        return data_warnings(self.program, columns, params)

    def check_columns(
        self,
        columns: Iterable[str],
        params: Iterable[str] = (),
        *,
        cards: Iterable[str] | None = None,
    ) -> tuple[RuleWarning, ...]:
        """Check the cards against data with these column names, before any row is read.

        Every name a card reads must be the file's own definition, one of ``columns`` or
        ``params``, or a standard indicator those columns define, as `evaluate` binds it;
        only the names are known, so every column counts as numeric here (`evaluate` finds
        text where a number is needed).

        Args:
            columns: the data's column names (a CSV file's header row will do).
            params: the names of the params.
            cards: the cards to check (default: every card).

        Returns:
            The warnings of `check_data`.

        Raises:
            KsfCompileError: every unknown name, each with its position and a suggestion.
            UnknownCardError: a card the file does not have (a `DataError` and a `KeyError`).
        """
        names, scalars = frozenset(columns), frozenset(params)
        chosen = set(self.cards if cards is None else cards)
        unknown = sorted(chosen - set(self.cards))
        if unknown:
            raise UnknownCardError.named(unknown[0], self.cards)
        schema = Schema(names, frozenset(), scalars, names_only=True)
        bind(self.program, standard_library(), schema, chosen)
        return self.check_data(names, scalars)

    def __repr__(self) -> str:
        return f"<Rulebook {self.source.name} cards={list(self.cards)}>"

    def names(self, card: str) -> tuple[str, ...]:
        """The names a card reads that the file leaves to the data (columns or params).

        Names the standard library can define are listed too: data may provide them as
        columns. What the pools the card shares read is included: the names in a pool's
        profit expression, its ``split by`` weights and its ``per`` column (which may hold
        text); the key column of a group aggregate (``over team``) too. Text columns of the
        card's own lines (``base by grade``) are not included.

        Raises:
            UnknownCardError: a card the file does not have (a `DataError` and a `KeyError`).
        """
        found = self.program.card(card)
        if found is None:
            raise UnknownCardError.named(card, self.cards)
        shared = {line.pool for line in found.lines if isinstance(line, ir.ShareLine)}
        pools = [p for p in self.program.pools if p.name in shared]
        inputs = [e for line in found.lines for e in ir.line_inputs(line)]
        read = [p.base for p in pools] + [c.expr for p in pools for c in ir.pool_per_row(p)]
        free = {n.name for e in inputs + read for n in ir.walk(e)
                if isinstance(n, ir.Free)}  # fmt: skip
        free |= {c for p in pools for c in (p.per, p.split_by) if c is not None}
        free |= group_keys(inputs + [p.base for p in pools])
        return tuple(sorted(free))

    def evaluate(
        self,
        data: Any,
        *,
        card: str | None = None,
        params: Mapping[str, float] | None = None,
        id_column: str | None = None,
        allow_duplicate_ids: bool = False,
        threads: int | None = None,
    ) -> Payroll:
        """Compute the payroll of every row of ``data``.

        Args:
            data: a mapping of column name → 1-D values, a pandas or polars DataFrame, or a
                pyarrow Table; all columns of one length.
            card: the card every row uses; without it, each row's ``card`` column names it
                (a rulebook with a single card needs neither).
            params: scalars the rules may name, such as last year's profit.
            id_column: the column that names employees in errors, explanations and
                ``Payroll.ids``; by default the first of ``ID_COLUMNS`` the data has
                (``employee``, ``employee_id``, ``id``, ``工号``, ``员工编号``, ``name``,
                ``姓名``). Its text cells stay text (``007`` is not 7).
            allow_duplicate_ids: pay an id that is on several rows of one period and card
                once per row, and rows with no id. By default both are a `DataError` (a
                row pasted twice would pay the employee twice; a row without an id is
                nobody's). An id may repeat across the data's period column (the first of
                ``PERIOD_COLUMNS``; a missing period is one period) and the cards its rows
                are paid by (the ``card`` column, unless ``card`` is given); no other
                column (a ``role``, a name) makes a repeated id legitimate.
            threads: threads sharing the rows (default: the process's cores); same payroll.

        Returns:
            One payroll row per data row, in the same order.

        Raises:
            KsfCompileError: a rule names something the data does not provide.
            DataError: missing, infinite or unusable values, text in a column a rule
                reads as a number, an ``id_column`` the data does not have, an id on two
                rows or a row with no id (unless ``allow_duplicate_ids``).
            UnknownCardError: ``card`` or a ``card`` cell is no card of the file (a `KeyError`).

        Examples:
            >>> import ksf
            >>> book = ksf.compile("card s { base 5000; revenue balance 100 step 10 reward 50 }")
            >>> book.evaluate({"revenue": [125, 80]}).total.tolist()
            [5100.0, 4900.0]
        """
        columns = from_data(data, keep_text=ID_COLUMNS if id_column is None else [id_column])
        scalars = checked_params(params or {}, columns)
        id_name, ids = ids_of(columns, id_column)
        if ids is not None and not allow_duplicate_ids:  # rows named by index: no id to show
            refuse_missing_ids(id_name, ids)
        with rows_named_by(ids):
            if ids is not None and not allow_duplicate_ids:
                refuse_duplicate_ids(id_name, ids, columns, by_card=card is None)
            card_names, card_of_row = card_rows(columns, card, self.cards)
            refuse_text_read_as_numbers(self.program, columns, card_names)
            bound = self._bind(columns, scalars, card_names)
            rows, source = (card_of_row, threads), (id_name or None, pandas_index(data))
            return self._run(bound, columns, scalars, card_names, rows, ids, source)

    # ---- steps of evaluate ---------------------------------------------------------------

    def _bind(self, columns: Columns, params: Mapping[str, float], cards: list[str]) -> _Bound:
        numeric, text = columns.schema()
        key = (frozenset(numeric), frozenset(text), frozenset(params), frozenset(cards))
        cached = self._bound.get(key)
        if cached is not None:
            return cached
        schema = Schema(frozenset(numeric), frozenset(text), frozenset(params))
        program = bind(self.program, standard_library(), schema, set(cards))
        ordered = list(program.cards)
        names = line_names(ordered)
        index_of = {name: i for i, name in enumerate(names)}
        # The file's declarations, and the columns its lines read in percent (at most 100).
        declared = {c.name: c for c in (*program.percent_read, *program.columns)}
        compiled = {
            c.name: compile_card(
                c,
                index_of,
                program.unit,
                checked_columns(card_inputs(c), standard_columns(), declared),
            )
            for c in ordered
        }
        bound = _Bound(program, tuple(names), compiled)
        with self._lock:
            self._bound[key] = bound
        return bound

    def _run(
        self,
        bound: _Bound,
        columns: Columns,
        params: Mapping[str, float],
        card_names: list[str],
        rows: tuple[IntArray | None, int | None],
        ids: AnyArray | None,
        source: tuple[str | None, Any] = (None, None),
    ) -> Payroll:
        """Every card over its rows (`ksf.row_plan`); ``rows``: each row's card, the threads.

        ``source``: the id column's name and a DataFrame's index.
        """
        card_of_row, threads = rows
        n = columns.n_rows
        rows_of = dict(zip(card_names, cards_rows(card_of_row, len(card_names)), strict=True))
        cards = {name: bound.cards[name] for name in card_names}
        # Group aggregates see every row of the evaluation, so they run first (LANGUAGE.md §11)
        groups = _run_groups(bound.program, cards, columns, params, card_of_row)
        columns = with_groups(columns, groups)
        members = pool_members(bound.program, cards, rows_of, n)
        splits = run_pools(bound.program, members, columns, params, standard_columns())
        unit = bound.program.unit
        runs = {name: CardRun(cards[name], columns, params, unit, splits) for name in card_names}
        amounts, total = run_rows(list(runs.values()), rows_of, len(bound.lines), n, threads)

        def tracer(row: int) -> RowTrace:
            name = card_names[0 if card_of_row is None else int(card_of_row[row])]
            row_amounts = {line: float(amounts[i, row]) for i, line in enumerate(bound.lines)}
            trace = runs[name].trace(row, row_amounts, float(total[row]))
            return attrs.evolve(trace, groups=group_traces(groups, trace.values, row))

        def explainer(row: int, lang: Lang) -> str:
            trace = tracer(row)
            heading = explain.heading(row, None if ids is None else ids[row], trace.card, lang)
            program = bound.program
            return explain.explain(trace, heading, program.unit, program.currency, lang)

        return Payroll(
            lines=bound.lines,
            amounts=amounts,
            total=total,
            card_names=card_names,
            card_codes=card_of_row,
            rulebook_hash=self.hash,
            currency=bound.program.currency,
            ids=ids,
            explainer=explainer,
            rounding=bound.program.unit,
            id_column=source[0],
            index=source[1],
            tracer=tracer,
            language=bound.program.language,
        )


def _run_groups(
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


def compile(text: str, *, name: str = "<string>") -> Rulebook:  # noqa: A001 - the public verb
    """Parse and check rule text.

    Args:
        text: the rules.
        name: the file name error messages show.

    Raises:
        KsfSyntaxError: the text does not parse.
        KsfCompileError: the text parses but is not valid (every problem is listed).

    Examples:
        >>> import ksf
        >>> ksf.compile("card a { base 6000 }").cards
        ('a',)
    """
    source = rule_source(text, name)
    tree = parse(source)
    return Rulebook(check(tree, source, standard_library(), standard_columns()))


def load(path: str | Path) -> Rulebook:
    """Read, parse and check a rule file (UTF-8).

    Raises:
        KsfSyntaxError: also when the file is not UTF-8 text (a GBK file, say).
    """
    return compile(read_rules(path), name=str(path))
