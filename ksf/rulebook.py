"""The orchestrator: text → AST → IR at compile time; data → bound, compiled code → Payroll.

`compile`/`load` parse and check a rule file once. `Rulebook.evaluate` reads the data's
columns, binds the cards the rows use (cached per data schema), splits pools, runs every
card over its rows and returns a `Payroll`.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ksf import explain, ir
from ksf._typing import AnyArray, BoolArray, IntArray
from ksf.bind import Schema, bind, data_warnings
from ksf.card_run import CardRun
from ksf.cell_numbers import beyond_exact, not_plain, plain_numbers, text_where_numbers
from ksf.code import CardCode
from ksf.codegen import card_inputs, checked_columns, compile_card, line_names
from ksf.columns import Columns, from_data
from ksf.dsl.check import check, check_standard
from ksf.dsl.format import format_rulebook
from ksf.dsl.limits import MAX_BYTES, MAX_LINE, MAX_LINES
from ksf.dsl.parser import parse
from ksf.dsl.spelling import LANGS, Lang, mostly
from ksf.errors import DataError, KsfSyntaxError, RuleWarning, UnknownCardError
from ksf.indicators.library import standard_source
from ksf.payroll import Payroll
from ksf.pools import pool_members, run_pools
from ksf.source import Source, Span

ID_COLUMNS = ("employee", "employee_id", "id", "工号", "员工编号", "name", "姓名")
PERIOD_COLUMNS = ("period", "month", "期间", "月份")  # an id may repeat across periods


@lru_cache(maxsize=1)
def _standard() -> tuple[Mapping[str, ir.Named], Mapping[str, ir.ColumnSpec]]:
    source = standard_source()
    return check_standard(parse(source), source)


def standard_library() -> Mapping[str, ir.Named]:
    """The standard indicators, parsed and checked once per process."""
    return _standard()[0]


def standard_columns() -> Mapping[str, ir.ColumnSpec]:
    """The raw columns the standard indicators read: their units and domains."""
    return _standard()[1]


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
        bind(self.program, standard_library(), Schema(names, frozenset(), scalars), chosen)
        return self.check_data(names, scalars)

    def __repr__(self) -> str:
        return f"<Rulebook {self.source.name} cards={list(self.cards)}>"

    def names(self, card: str) -> tuple[str, ...]:
        """The names a card reads that the file leaves to the data (columns or params).

        Names the standard library can define are listed too: data may provide them as
        columns. What the pools the card shares read is included: the names in a pool's
        profit expression, its ``split by`` weights and its ``per`` column (which may hold
        text). Text columns of the card's own lines (``base by grade``) are not included.

        Raises:
            UnknownCardError: a card the file does not have (a `DataError` and a `KeyError`).
        """
        found = self.program.card(card)
        if found is None:
            raise UnknownCardError.named(card, self.cards)
        shared = {line.pool for line in found.lines if isinstance(line, ir.ShareLine)}
        pools = [p for p in self.program.pools if p.name in shared]
        inputs = [e for line in found.lines for e in ir.line_inputs(line)]
        free = {n.name for e in inputs + [p.base for p in pools] for n in ir.walk(e)
                if isinstance(n, ir.Free)}  # fmt: skip
        free |= {c for p in pools for c in (p.per, p.split_by) if c is not None}
        return tuple(sorted(free))

    def evaluate(
        self,
        data: Any,
        *,
        card: str | None = None,
        params: Mapping[str, float] | None = None,
        id_column: str | None = None,
        allow_duplicate_ids: bool = False,
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

        Returns:
            One payroll row per data row, in the same order.

        Raises:
            KsfCompileError: a rule names something the data does not provide.
            DataError: missing, infinite or unusable values, text in a column a rule
                reads as a number, an ``id_column`` the data does not have, an id on two
                rows or a row with no id (unless ``allow_duplicate_ids``).
            UnknownCardError: ``card`` or a ``card`` column value names no card of the
                file (a `DataError`, and a `KeyError`).

        Examples:
            >>> import ksf
            >>> book = ksf.compile("card s { base 5000; revenue balance 100 step 10 reward 50 }")
            >>> book.evaluate({"revenue": [125, 80]}).total.tolist()
            [5100.0, 4900.0]
        """
        columns = from_data(data, keep_text=ID_COLUMNS if id_column is None else [id_column])
        scalars = _params(params or {}, columns)
        id_name, ids = _ids(columns, id_column)
        if ids is not None and not allow_duplicate_ids:  # rows named by index: no id to show
            _refuse_missing_ids(id_name, ids)
        try:
            if ids is not None and not allow_duplicate_ids:
                _refuse_duplicate_ids(id_name, ids, columns, by_card=card is None)
            card_names, card_of_row = self._card_rows(columns, card)
            _refuse_text_read_as_numbers(self.program, columns, card_names)
            bound = self._bind(columns, scalars, card_names)
            source = (id_name or None, _pandas_index(data))
            return self._run(bound, columns, scalars, card_names, card_of_row, ids, source)
        except DataError as error:
            if ids is None or not error.rows:
                raise
            labels = [str(x) for x in ids[np.asarray(error.rows)]]
            raise type(error)(
                error.message, column=error.column, rows=error.rows, labels=labels
            ) from None

    # ---- steps of evaluate ---------------------------------------------------------------

    def _card_rows(self, columns: Columns, card: str | None) -> tuple[list[str], IntArray | None]:
        """The cards in use, and each row's index into them (None: every row, one card)."""
        known = self.cards
        if card is not None:
            if card not in known:
                raise UnknownCardError.named(card, known)
            return [card], None
        if "card" not in columns.text:
            if "card" in columns.numeric and columns.n_rows == 0:
                # An empty export's card column (an empty list, an empty object column)
                # has no text to tell it from numbers; no rows need no cards.
                return [], None
            if "card" in columns.numeric:
                msg = "the card column must hold card names"
                raise DataError(msg, column="card")
            if len(known) == 1:
                return [known[0]], None
            raise DataError(
                "the data has no `card` column; pass card=NAME or add a column "
                "naming each row's card (cards: " + ", ".join(known) + ")"
            )
        names, inverse = np.unique(columns.text["card"], return_inverse=True)
        unknown = [str(n) for n in names if str(n) not in known]
        if unknown:
            bad = np.isin(columns.text["card"], unknown)
            more = f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
            raise UnknownCardError(
                "unknown card "
                + ", ".join(repr(u) if u else "(an empty cell)" for u in unknown[:5])
                + more
                + "; the rule file has: "
                + ", ".join(known),
                column="card",
                rows=np.flatnonzero(bad),
            )
        codes = np.asarray(inverse, dtype=np.intp).reshape(-1)
        return [str(n) for n in names], (None if len(names) == 1 else codes)

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
        card_of_row: IntArray | None,
        ids: AnyArray | None,
        source: tuple[str | None, Any] = (None, None),
    ) -> Payroll:
        """Every card over its rows; ``source`` is the id column's name and a DataFrame's index."""
        n = columns.n_rows
        rows_of: dict[str, IntArray | None] = {
            name: (None if card_of_row is None else np.flatnonzero(card_of_row == k))
            for k, name in enumerate(card_names)
        }
        cards = {name: bound.cards[name] for name in card_names}
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

        def explainer(row: int) -> str:
            name = card_names[0 if card_of_row is None else int(card_of_row[row])]
            row_amounts = {line: float(amounts[i, row]) for i, line in enumerate(bound.lines)}
            trace = runs[name].trace(row, row_amounts, float(total[row]))
            heading = explain.heading(row, None if ids is None else ids[row], trace.card)
            return explain.explain(trace, heading, bound.program.unit, bound.program.currency)

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
        )


def _params(params: Mapping[str, Any], columns: Columns) -> dict[str, float]:
    values = {}
    for name, value in params.items():
        if name in columns.numeric or name in columns.text:
            msg = f"param {name!r} is also a column of the data; rename one"
            raise DataError(msg, column=name)
        if isinstance(value, np.floating) and value.itemsize < 8:  # float64 is 8 bytes
            # Like a float32 column: 0.26 is already 0.2599999904…, a threshold moved.
            msg = f"param {name!r} is a {value.dtype}; pass a float (float64) or a Decimal"
            raise DataError(msg, column=name)
        try:
            number = _param_number(value)
        except OverflowError:  # a Python int past float64's range
            msg = f"param {name!r} is too large to be a number ksf can hold (past 1.8e308)"
            raise DataError(msg, column=name) from None
        except (TypeError, ValueError):
            msg = f"param {name!r} must be a number, got {value!r}"
            raise DataError(msg, column=name) from None
        if not np.isfinite(number):
            msg = f"param {name!r} must be a finite number, got {value!r}"
            raise DataError(msg, column=name)
        values[name] = number
    return values


def _param_number(value: Any) -> float:
    """A param as a float; a string must be a plain number, as a data cell must."""
    if isinstance(value, str):
        parsed = plain_numbers(np.array([value.strip()]))
        if parsed is None or not value.strip():
            raise ValueError(value)
        return float(parsed[0])
    return float(value)


def _ids(columns: Columns, id_column: str | None) -> tuple[str, AnyArray | None]:
    """The id column's name and values (None: the data has no id column)."""
    if id_column is not None:
        if id_column in columns.text:
            return id_column, columns.text[id_column]
        if id_column in columns.numeric:
            return id_column, _whole_ids(columns.numeric[id_column])
        msg = f"there is no id column {id_column!r} in the data"
        raise DataError(msg, column=id_column)
    for name in ID_COLUMNS:
        if name in columns.text:
            return name, columns.text[name]
        if name in columns.numeric:
            return name, _whole_ids(columns.numeric[name])
    return "", None


def _missing_ids(ids: AnyArray) -> BoolArray:
    """Which rows of an id column have no id (an empty cell, NaN)."""
    if ids.dtype.kind == "U":
        return np.asarray(np.char.strip(ids.astype(str)) == "", dtype=np.bool_)
    return np.asarray(np.isnan(ids.astype(np.float64)), dtype=np.bool_)


def _refuse_missing_ids(name: str, ids: AnyArray) -> None:
    """Refuse rows with no id in the id column: nobody could tell whose pay they are.

    Such a row is a blank line of an export with figures left in it, or an employee whose
    id was lost; several of them cannot even be told apart, so none could be checked for
    being paid twice.
    """
    missing = _missing_ids(ids)
    if missing.any():
        msg = (
            f"rows with no id in the id column {name!r}: each would be paid with nobody named; "
            "fill in the ids, or pass allow_duplicate_ids=True (--allow-duplicate-ids) if "
            "rows without an id are meant to be paid"
        )
        raise DataError(msg, column=name, rows=np.flatnonzero(missing).tolist())


def _refuse_duplicate_ids(
    name: str, ids: AnyArray, columns: Columns, *, by_card: bool = True
) -> None:
    """Refuse an id on two rows of one period and card: the employee would be paid twice.

    A row is an employee's pay for a period under a card, so the key is the id with the
    data's period column (the first of ``PERIOD_COLUMNS``) and the card the row is paid by
    (its ``card`` column; none when ``by_card`` is False, as under ``evaluate(card=…)``
    every row is paid by that one card). A quarter of monthly rows, or one employee paid
    under two cards, repeat no key. Other columns do not count: two rows that differ only in
    a ``role`` no rule reads, or in any other descriptive column, pay the same card twice.
    A missing period (an empty cell, None) is one period, not a new one each time.
    """
    period = next((p for p in PERIOD_COLUMNS if p in columns.names()), None)
    keyed = [period] + (["card"] if by_card else [])
    parts = [ids] + [
        columns.text[p] if p in columns.text else columns.numeric[p]
        for p in keyed
        if p is not None and p in columns.names()
    ]
    given = np.flatnonzero(~_missing_ids(ids))
    repeated = _repeated_keys(parts, given)
    if not len(repeated):
        return
    shown = list(dict.fromkeys(str(v) for v in ids[repeated]))
    more = f" and {len(shown) - 5:,} more" if len(shown) > 5 else ""
    within = " in one period" if period else ""
    msg = (
        f"the same id appears on several rows{within} ({', '.join(shown[:5])}{more}): "
        f"each row would be paid; remove the repeated rows, or pass "
        "allow_duplicate_ids=True (--allow-duplicate-ids) if each is meant to be paid"
    )
    raise DataError(msg, column=name, rows=repeated)


_FNV_OFFSET, _FNV_PRIME = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)


def _hashed(values: AnyArray) -> npt.NDArray[np.uint64]:
    """A 64-bit hash of each cell (text by its code points, numbers by their bits)."""
    if values.dtype.kind != "U":
        numbers = values.astype(np.float64) + 0.0  # -0.0 and 0.0 are one id
        numbers[np.isnan(numbers)] = np.nan  # every NaN (a missing period) hashes alike
        return numbers.view(np.uint64)
    hashed = np.full(len(values), _FNV_OFFSET, dtype=np.uint64)
    if not len(values):
        return hashed
    texts = values.astype(str)
    codes = np.ascontiguousarray(texts).view(np.uint32).reshape(len(texts), -1)
    width = int(np.char.str_len(texts).max(initial=0))  # the dtype may be wider
    for j in range(width):  # a loop over the characters of a cell, not the rows
        hashed = (hashed ^ codes[:, j]) * _FNV_PRIME
    return hashed


def _repeated_keys(parts: list[AnyArray], rows: IntArray) -> IntArray:
    """The ``rows`` whose key (one value from each of ``parts``) another row also has.

    Sorting a million text ids takes about a second; their hashes sort in a tenth of
    that. Rows whose hashes repeat are candidates, compared exactly by their values.
    """
    hashed = np.zeros(len(rows), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for part in parts:
            hashed = (hashed ^ _hashed(part[rows])) * _FNV_PRIME
    ranked = np.sort(hashed)
    if not (ranked[1:] == ranked[:-1]).any():  # the usual case: every key differs
        return np.arange(0, dtype=np.intp)
    order = np.argsort(hashed, kind="stable")
    same = hashed[order][1:] == hashed[order][:-1]
    candidates = np.unique(np.concatenate([order[1:][same], order[:-1][same]]))
    keys = [part[rows[candidates]] for part in parts]
    exact = np.lexsort(keys[::-1])
    equal = np.ones(len(exact) - 1, dtype=bool)
    for key in keys:
        ordered = key[exact]
        same = ordered[1:] == ordered[:-1]
        if ordered.dtype.kind == "f":  # two missing periods are one period
            same |= np.isnan(ordered[1:]) & np.isnan(ordered[:-1])
        equal &= same
    found = np.zeros(len(candidates), dtype=bool)
    found[exact[1:][equal]] = found[exact[:-1][equal]] = True
    return np.sort(rows[candidates[found]])


def _refuse_text_read_as_numbers(
    program: ir.Program, columns: Columns, cards: Iterable[str]
) -> None:
    """Name the rows whose cells are text in a column the cards (or their pools) read as numbers."""
    chosen = set(cards)
    read: list[ir.Expr] = []
    pools: set[str] = set()
    for card in program.cards:
        if card.name in chosen:
            read += [e for line in card.lines for e in ir.line_inputs(line)]
            pools |= {ln.pool for ln in card.lines if isinstance(ln, ir.ShareLine)}
    read += [p.base for p in program.pools if p.name in pools]
    names = {n.name for e in read for n in ir.walk(e) if isinstance(n, ir.Free)}
    for name in sorted(names & set(columns.text)):
        column = columns.text[name]
        rows = not_plain(column)
        if rows:
            raise text_where_numbers(name, column, rows)
        too_large = beyond_exact(name, column)  # integers past 2**53, kept as text
        if too_large is not None:
            raise too_large


def _pandas_index(data: Any) -> Any:
    """A pandas DataFrame's index (`Payroll.to_pandas` keeps it), else None."""
    return data.index if type(data).__module__.partition(".")[0] == "pandas" else None


def _whole_ids(values: AnyArray) -> AnyArray:
    """Numeric ids (employee numbers from a database) as integers when they all are.

    Numeric columns arrive as float64; an id of 102 would otherwise print as ``102.0`` in
    `DataError.labels`, `explain` and `Payroll.ids`.
    """
    whole = np.isfinite(values).all() and (values == np.trunc(values)).all()
    if whole and (np.abs(values) < 2**53).all():
        return values.astype(np.int64)
    return values


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


# Half of a UTF-16 surrogate pair on its own: Python strings can hold one (text decoded with
# errors="surrogateescape", or "\ud800" written in code), but it is no character and cannot
# be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def rule_source(text: str, name: str) -> Source:
    """Rule text as a `Source`, without the byte-order mark Notepad saves UTF-8 with.

    Raises:
        KsfSyntaxError: the text holds a lone surrogate, which is not valid Unicode.
    """
    source = Source(text.removeprefix("\ufeff"), name)
    bad = _SURROGATE.search(source.text)
    if bad is not None:
        before = source.text[: bad.start()]
        line_start = before.rfind("\n") + 1
        span = Span.point(before.count("\n") + 1, bad.start() - line_start + 1)
        code = f"U+{ord(bad.group()):04X}"
        msg = f"the file has a character that is not valid Unicode ({code}, a lone surrogate)"
        hint = (
            "such text comes from bytes decoded with errors='surrogateescape'; read the file "
            "with `ksf.load`, which decodes UTF-8"
        )
        raise KsfSyntaxError.at(msg, span, source, hint)
    return source


def load(path: str | Path) -> Rulebook:
    """Read, parse and check a rule file (UTF-8).

    Raises:
        KsfSyntaxError: also when the file is not UTF-8 text (a GBK file, say).
    """
    return compile(read_rules(path), name=str(path))


def read_rules(path: str | Path) -> str:
    """The text of a rule file, refused before it is all read if it is far too big.

    Raises:
        KsfSyntaxError: the file is over `MAX_BYTES`, or is not UTF-8 text.
    """
    with Path(path).open("rb") as file:
        raw = file.read(MAX_BYTES + 1).removeprefix(codecs.BOM_UTF8)
    if len(raw) > MAX_BYTES:
        msg = f"the file has more than {MAX_BYTES:,} bytes; a rule file is a few kilobytes"
        first = raw[:200].decode("utf-8", errors="replace")
        raise KsfSyntaxError.at(msg, Span.point(1, 1), Source(first, str(path)))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        raise _not_utf8(raw, bad, str(path)) from None


def format_text(text: str, name: str = "<text>", lang: Lang | None = None) -> str:
    """The canonical layout of rule text (what ``ksf fmt`` writes): same rules, same comments.

    Args:
        text: the rules.
        name: the file name syntax errors show.
        lang: write every keyword in English (``"en"``: ``card``, ``balance``) or in Chinese
            (``"zh"``: ``计薪卡``, ``平衡点``); names, labels, comments and numbers are left as
            they are. None (the default) keeps the spelling most of the file's keywords use,
            English when it is even.

    Raises:
        KsfSyntaxError: the text does not parse. It need not compile: formatting a file
            with an unknown name in it is fine.
        ValueError: ``lang`` is neither ``"en"`` nor ``"zh"``.

    Examples:
        >>> import ksf.rulebook
        >>> print(ksf.rulebook.format_text("card a {base 6000 ; allowance 300 as housing}"), end="")
        card a {
          base 6000
          allowance 300 as housing
        }
        >>> print(ksf.rulebook.format_text("card a {base 1.5万}", lang="zh"), end="")
        计薪卡 a {
          底薪 1.5万
        }
    """
    if lang is not None and lang not in LANGS:
        msg = f"lang must be 'en' or 'zh', not {lang!r}"
        raise ValueError(msg)
    source = rule_source(text, name)
    formatted = format_rulebook(parse(source), lang or mostly(source.text))
    _fits_line_limit(formatted, source)
    return formatted


def _fits_line_limit(formatted: str, source: Source) -> None:
    """Refuse a layout the parser would refuse: over `MAX_LINES` lines or `MAX_LINE` a line.

    Indentation and spaces around signs make a line longer than it was written; a block
    written on one line takes several.
    """
    lines = formatted.split("\n")
    if len(lines) > MAX_LINES:
        msg = (
            f"formatted, the file would have {len(lines):,} lines, more than the "
            f"{MAX_LINES:,} a rule file may have"
        )
        hint = "split the rules into several files"
        raise KsfSyntaxError.at(msg, Span.point(1, 1), source, hint)
    for number, line in enumerate(lines, start=1):
        if len(line.split("#", 1)[0]) > MAX_LINE:
            code = [len(t.split("#", 1)[0]) for t in source.lines()]
            longest = code.index(max(code)) + 1
            msg = (
                f"formatted, line {number} would have {len(line):,} characters, more than the "
                f"{MAX_LINE:,} a rule line may have"
            )
            hint = "shorten the line first: define parts of it as indicators"
            raise KsfSyntaxError.at(msg, Span.point(longest, 1), source, hint)


def _not_utf8(raw: bytes, bad: UnicodeDecodeError, name: str) -> KsfSyntaxError:
    """Where the first byte that is not UTF-8 is, as a positioned error with a hint."""
    before = raw[: bad.start]
    line_start = before.rfind(b"\n") + 1
    column = len(raw[line_start : bad.start].decode("utf-8", errors="replace")) + 1
    hint = "save the file as UTF-8"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        hint += "; it is UTF-16, which Windows Notepad calls 'Unicode'"
    try:
        raw.decode("gbk")
    except UnicodeDecodeError:
        pass
    else:  # Chinese Windows editors save GBK by default
        hint += "; it reads as GBK, the encoding Chinese Windows editors save by default"
    source = Source(raw.decode("utf-8", errors="replace"), name)
    message = f"the file is not UTF-8 text (byte 0x{raw[bad.start]:02X})"
    span = Span.point(before.count(b"\n") + 1, column)
    return KsfSyntaxError.at(message, span, source, hint)
