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
import numpy as np

from ksf import explain, ir, versions
from ksf._typing import IntArray
from ksf.bind import Schema, bind
from ksf.bound import BindCache, Bound, Rows, run_groups_of
from ksf.card_run import CardRun
from ksf.columns import Columns, from_data
from ksf.data_clashes import data_warnings
from ksf.dsl.check import check
from ksf.dsl.parser import parse
from ksf.errors import RuleWarning, UnknownCardError
from ksf.explain_words import Lang
from ksf.groups import (
    group_keys,
    group_traces,
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
from ksf.periods import Period, period_or_none
from ksf.pools import pool_members, run_pools
from ksf.rows import card_rows, refuse_text_read_as_numbers
from ksf.rule_text import format_text, read_rules, rule_source
from ksf.standard import standard_columns, standard_library
from ksf.trace import RowTrace

# Documented as importable from here (docs/api.md), though each lives in its own module.
__all__ = ["ID_COLUMNS", "PERIOD_COLUMNS", "Rulebook", "compile", "format_text", "load",
           "read_rules", "rule_source", "standard_columns", "standard_library"]  # fmt: skip


class Rulebook:
    """A checked rule file, ready to evaluate payrolls.

    Create one with `ksf.compile` or `ksf.load`; evaluate it as often as you like.
    """

    def __init__(self, program: ir.Program) -> None:
        self.program = program
        self.source = program.source
        self.hash = hashlib.sha256(program.source.text.encode("utf-8")).hexdigest()
        self._bound = BindCache()
        self._versions: dict[tuple[tuple[str, Period | None], ...], Rulebook] = {}
        # a rulebook of one period's card versions (`at`, §13) keeps the whole file's
        self._whole: Rulebook = self
        self._period: Period | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        # Pickle the checked program (frozen attrs data), never the per-schema cache: it
        # holds compiled kernels (closures), and a worker rebuilds it on first evaluate.
        return {"program": self._whole.program, "period": self._period}

    def __setstate__(self, state: dict[str, Any]) -> None:
        whole = Rulebook(state["program"])
        if state.get("period") is None:
            self.__init__(whole.program)  # type: ignore[misc]
        else:  # a rulebook of one period (`at`)
            self.__init__(whole.at(state["period"]).program)  # type: ignore[misc]
            self._whole, self._period = whole, state["period"]

    @property
    def cards(self) -> tuple[str, ...]:
        """The card names, in file order; a card with versions (§13) is named once."""
        return versions.names(self.program)

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
        card's own lines (``base by grade``) are not included. Every version of a card counts.

        Raises:
            UnknownCardError: a card the file does not have (a `DataError` and a `KeyError`).
        """
        if card not in self.cards:
            raise UnknownCardError.named(card, self.cards)
        lines = [line for c in self.program.cards if c.name == card for line in c.lines]
        shared = {line.pool for line in lines if isinstance(line, ir.ShareLine)}
        pools = [p for p in self.program.pools if p.name in shared]
        inputs = [e for line in lines for e in ir.line_inputs(line)]
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
        period: str | Period | None = None,
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
            period: the month (``"2026-08"``) or quarter (``"2026Q3"``) paid, or a
                `ksf.periods.Period`; kept as ``Payroll.period`` (LANGUAGE.md §13).

        Returns:
            One payroll row per data row, in the same order.

        Raises:
            KsfCompileError: a rule names something the data does not provide.
            DataError: missing, infinite or unusable values, text in a column a rule
                reads as a number, an ``id_column`` the data does not have, an id on two
                rows or a row with no id (unless ``allow_duplicate_ids``).
            UnknownCardError: ``card`` or a ``card`` column value names no card of the
                file (a `DataError`, and a `KeyError`).
            PeriodError: ``period`` is not a month or a quarter (``2026-13``, ``26-08``).

        Examples:
            >>> import ksf
            >>> book = ksf.compile("card s { base 5000; revenue balance 100 step 10 reward 50 }")
            >>> book.evaluate({"revenue": [125, 80]}).total.tolist()
            [5100.0, 4900.0]
        """
        paid = period_or_none(period) or self._period  # a rulebook of one period: its own
        book = self._whole._in_force(paid)
        ids_rule = (id_column, allow_duplicate_ids)
        return book._evaluate(data, card, params, ids_rule, (paid, self._whole))

    # ---- steps of evaluate ---------------------------------------------------------------

    def _evaluate(
        self,
        data: Any,
        card: str | None,
        params: Mapping[str, float] | None,
        ids_rule: tuple[str | None, bool],
        when: tuple[Period | None, Rulebook],
    ) -> Payroll:
        """`evaluate` by the versions in force; ``when``: the period, the whole rulebook."""
        (id_column, allow_duplicate_ids), (paid, whole) = ids_rule, when
        columns = from_data(data, keep_text=ID_COLUMNS if id_column is None else [id_column])
        scalars = checked_params(params or {}, columns)
        id_name, ids = ids_of(columns, id_column)
        if ids is not None and not allow_duplicate_ids:  # rows named by index: no id to show
            refuse_missing_ids(id_name, ids)
        with rows_named_by(ids):
            if ids is not None and not allow_duplicate_ids:
                refuse_duplicate_ids(id_name, ids, columns, by_card=card is None)
            names, card_of_row = card_rows(columns, card, whole.cards)
            chosen, n = self.program, columns.n_rows
            versions.refuse_out_of_force(whole.program, chosen, paid, names, card_of_row, n)
            refuse_text_read_as_numbers(chosen, columns, names)
            bound = self._bound.of(self.program, columns, scalars, names)
            rows = Rows(names, card_of_row, ids, id_name or None, pandas_index(data), paid)
            return self._run(bound, columns, scalars, rows)

    def at(self, period: str | Period) -> Rulebook:
        """The rulebook of one period: each card's version in force then (LANGUAGE.md §13).

        It evaluates that period when given none; a card with no version in force then is left
        out. For `ksf.testing` and `ksf.plot`, which refuse a card with several versions.

        Raises:
            PeriodError: ``period`` is not a month or a quarter.
        """
        paid = Period.parse(period)
        chosen = self._whole._in_force(paid)
        if chosen is self._whole:
            return chosen
        book = Rulebook(chosen.program)
        book._whole, book._period = self._whole, paid
        return book

    def _in_force(self, period: Period | None) -> Rulebook:
        """The versions in force in ``period``, cached by the versions: months share code."""
        chosen = versions.in_force(self.program, period)
        if chosen is self.program:
            return self
        key = tuple((c.name, c.effective) for c in chosen.cards)
        with self._lock:
            found = self._versions.get(key)
            if found is None:
                found = self._versions[key] = Rulebook(chosen)
        return found

    def _run(
        self,
        bound: Bound,
        columns: Columns,
        params: Mapping[str, float],
        rows: Rows,
    ) -> Payroll:
        """Every card over its rows."""
        n, card_names, card_of_row, ids = columns.n_rows, rows.cards, rows.card_of_row, rows.ids
        rows_of: dict[str, IntArray | None] = {
            name: (None if card_of_row is None else np.flatnonzero(card_of_row == k))
            for k, name in enumerate(card_names)
        }
        cards = {name: bound.cards[name] for name in card_names}
        # Group aggregates see every row of the evaluation, so they run first (LANGUAGE.md §11)
        groups = run_groups_of(bound.program, cards, columns, params, card_of_row)
        columns = with_groups(columns, groups)
        members = pool_members(bound.program, cards, rows_of, n)
        splits = run_pools(bound.program, members, columns, params, standard_columns())
        amounts = np.zeros((len(bound.lines), n))
        total = np.zeros(n)
        runs = {
            name: CardRun(bound.cards[name], columns, params, bound.program.unit, splits)
            for name in card_names
        }
        with np.errstate(over="ignore", invalid="ignore"):  # CardRun.check_range reports them
            for name in card_names:
                runs[name].run(rows_of[name], amounts, total)

        def tracer(row: int) -> RowTrace:
            name = card_names[0 if card_of_row is None else int(card_of_row[row])]
            row_amounts = {line: float(amounts[i, row]) for i, line in enumerate(bound.lines)}
            trace = runs[name].trace(row, row_amounts, float(total[row]))
            return attrs.evolve(trace, groups=group_traces(groups, trace.values, row))

        def explainer(row: int, lang: Lang) -> str:
            trace = tracer(row)
            ident = None if ids is None else ids[row]
            heading = explain.heading(row, ident, trace.card, lang, period=rows.period)
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
            id_column=rows.id_column,
            index=rows.index,
            tracer=tracer,
            language=bound.program.language,
            period=rows.period,
            versions=versions.versions_used(bound.program, card_names),
        )


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
