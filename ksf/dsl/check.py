"""AST → IR, before any data is known: the orchestrator of the checker.

Checks everything the text alone decides and resolves the names the file defines; names it
leaves free stay `ir.Free` for `ksf.bind`. This module checks the file as a whole — its
settings and its one namespace — and hands each definition to `ksf.dsl.check_defs` and each
card to `ksf.dsl.check_lines`, whose expressions `ksf.dsl.check_expr` lowers. All problems are
collected in one `ksf.dsl.check_report.Report` and raised together as one `KsfCompileError`,
in source order. A file that passes gets the warnings of `ksf.dsl.lint` attached.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import assert_never

import attrs

from ksf import ir
from ksf.catalogue import check as say
from ksf.dsl import ast
from ksf.dsl.check_defs import Definitions
from ksf.dsl.check_lines import CardLines
from ksf.dsl.check_report import Report
from ksf.dsl.check_versions import effective_month, versions_of
from ksf.dsl.fold import MAX_IR_DEPTH
from ksf.dsl.line_refs import line_owners, near_lines
from ksf.dsl.lint import definitions, lint
from ksf.dsl.scope import ROUNDING_MODES, UNITS
from ksf.dsl.unit_slips import check_units
from ksf.dsl.units import read_in_percent, shares_of, units_of
from ksf.errors import KsfCompileError, RuleWarning, suggest
from ksf.explain_words import LANGS, Lang, check_lang
from ksf.message import Keyword
from ksf.source import Source, Span

# Rounding units ksf accepts: a billionth to a million. Finer units leave amounts no room
# below `ksf.money.MAX_UNITS` units; coarser ones put amounts past what float64 holds exactly.
MIN_UNIT = 1e-9
MAX_UNIT = 1e6


@attrs.frozen
class _Kinds:
    """A file's definitions by kind, each in file order: the order the checker takes them."""

    tables: list[ast.Table] = attrs.Factory(list)
    indicators: list[ast.Indicator] = attrs.Factory(list)
    scores: list[ast.Score] = attrs.Factory(list)
    pools: list[ast.Pool] = attrs.Factory(list)
    columns: list[ast.Column] = attrs.Factory(list)
    cards: list[ast.Card] = attrs.Factory(list)

    @classmethod
    def of(cls, statements: Sequence[ast.Statement]) -> _Kinds:
        """The statements sorted by kind (the file settings are read by `settings`)."""
        kinds = cls()
        for statement in statements:
            match statement:
                case ast.Table():
                    kinds.tables.append(statement)
                case ast.Indicator():
                    kinds.indicators.append(statement)
                case ast.Score():
                    kinds.scores.append(statement)
                case ast.Pool():
                    kinds.pools.append(statement)
                case ast.Column():
                    kinds.columns.append(statement)
                case ast.Card():
                    kinds.cards.append(statement)
                case ast.Currency() | ast.Rounding() | ast.Language():
                    pass
                case _:
                    assert_never(statement)
        return kinds


class _Checker:
    """One pass over one rule file; collects diagnostics instead of stopping at the first."""

    def __init__(self, source: Source, library: Mapping[str, ir.Named]) -> None:
        self.source = source
        self.library = library
        self.report = Report(source)
        self.defs: dict[str, ast.Statement] = {}
        self.definitions = Definitions(self.report, self.defs)
        self.expressions = self.definitions.expressions
        # In the standard library, a `column` named like one of its indicators is that
        # indicator's domain where the data supplies it as a column (`check_standard`).
        self.stand_ins = False
        self.references: tuple[tuple[str, str, Span], ...] = ()  # lines used by later lines

    def rulebook(self, tree: ast.Rulebook) -> ir.Program:
        currency, unit, language = self.settings(tree)
        kinds = _Kinds.of(tree.statements)
        for table in kinds.tables:
            self.expressions.tables[table.name] = self.definitions.table(table)
        named = tuple(self.definitions.resolve(i.name, i.name_span) for i in kinds.indicators)
        for indicator, value in zip(kinds.indicators, named, strict=True):
            if self.expressions.depth(value) > MAX_IR_DEPTH:
                self.expressions.too_deep(indicator.name_span)
        for score in kinds.scores:
            self.definitions.resolve(score.name, score.name_span)
        pools = tuple(self.definitions.pool(p, unit) for p in kinds.pools)
        columns = self.columns(kinds.columns)
        lines = CardLines(self.report, self.expressions, unit, self.library)
        lines.owners = line_owners(kinds.cards)
        months = [effective_month(c, self.report) for c in kinds.cards]
        versions_of(kinds.cards, months, self.report)
        cards = tuple(
            attrs.evolve(lines.card(c), effective=m)
            for c, m in zip(kinds.cards, months, strict=True)
        )
        self.references = tuple(lines.references)
        return ir.Program(
            source=self.source,
            currency=currency,
            unit=unit,
            language=language,
            cards=cards,
            pools=pools,
            indicators=tuple(n for n in named if isinstance(n, ir.Named)),
            columns=columns,
        )

    def columns(self, nodes: list[ast.Column]) -> tuple[ir.ColumnSpec, ...]:
        """The file's `column` declarations: a known unit, at most one bound each way."""
        found: dict[str, ast.Column] = {}
        for node in nodes:
            if node.name in found:
                self.report.error(
                    say.COLUMN_TWICE(name=node.name),
                    node.name_span,
                    say.FIRST_DECLARATION(line=found[node.name].span.line),
                )
            elif node.name in self.defs and not (
                self.stand_ins and isinstance(self.defs[node.name], ast.Indicator)
            ):
                kind = say.A_KINDS[type(self.defs[node.name]).__name__.lower()]
                self.report.error(
                    say.DEFINED_NOT_COLUMN(name=node.name, kind=kind()),
                    node.name_span,
                    say.DEFINED_NOT_COLUMN_HINT(),
                )
            else:
                found[node.name] = node
        return tuple(self.column(node) for node in found.values())

    def column(self, node: ast.Column) -> ir.ColumnSpec:
        """One `column` declaration's unit and domain."""
        if node.unit is not None and node.unit not in UNITS:
            hint = suggest(node.unit, UNITS) or say.UNITS_ARE(units=", ".join(UNITS))
            self.report.error(say.UNKNOWN_UNIT(unit=node.unit), node.unit_span, hint)
        low, high = -math.inf, math.inf
        low_open = high_open = False
        seen: set[str] = set()
        for bound in node.bounds:
            side = {">=": "low", ">": "low", "<=": "high", "<": "high"}.get(bound.op)
            if side is None:
                self.report.error(
                    say.CANNOT_BOUND(op=bound.op), bound.span, say.CANNOT_BOUND_HINT()
                )
                continue
            if side in seen:
                two = say.TWO_LOWER_BOUNDS if side == "low" else say.TWO_HIGHER_BOUNDS
                self.report.error(two(name=node.name), bound.span)
                continue
            seen.add(side)
            if side == "low":
                low, low_open = bound.value.value, bound.op == ">"
            else:
                high, high_open = bound.value.value, bound.op == "<"
        if low > high or (low == high and (low_open or high_open)):
            self.report.error(say.NO_VALUE_FITS(name=node.name), node.span)
        return ir.ColumnSpec(
            node.name,
            node.unit,
            low,
            high,
            low_open,
            high_open,
            text=" ".join(f"{b.op} {b.value.text}" for b in node.bounds),
            label=node.label,
            span=node.span,
        )

    def settings(self, tree: ast.Rulebook) -> tuple[str, float, Lang | None]:
        """The file's currency, rounding unit and language; other statements name things."""
        currency, unit, language = "CNY", 0.01, None
        seen: dict[str, Span] = {}
        for statement in tree.statements:
            match statement:
                case ast.Currency():
                    self.set_once("currency", statement.span, seen)
                    currency = self.currency(statement)
                case ast.Rounding():
                    self.set_once("rounding", statement.span, seen)
                    unit = self.rounding(statement)
                case ast.Language():
                    self.set_once("language", statement.span, seen)
                    language = self.language(statement)
                case ast.Column():
                    pass  # declares a data column: defines no name
                case ast.Indicator() | ast.Table() | ast.Score() | ast.Pool() | ast.Card():
                    self.define(statement)
                case _:
                    assert_never(statement)
        return currency, unit, language

    def set_once(self, key: str, span: Span, seen: dict[str, Span]) -> None:
        """Report a file setting (``currency``, ``rounding``) given a second time."""
        if key in seen:
            self.report.error(
                say.SET_TWICE(key=Keyword(key)), span, say.FIRST_IS_ON(line=seen[key].line)
            )
        seen[key] = span

    def currency(self, node: ast.Currency) -> str:
        if not (len(node.code) == 3 and node.code.isascii() and node.code.isupper()):
            self.report.error(say.NOT_CURRENCY(code=node.code), node.code_span, say.CURRENCY_HINT())
        return node.code

    def language(self, node: ast.Language) -> Lang | None:
        """``language zh``: explanations, payslips and the CLI default to Chinese."""
        if node.code in LANGS:
            return check_lang(node.code)
        self.report.error(
            say.UNKNOWN_LANGUAGE(code=node.code),
            node.code_span,
            say.LANGUAGE_HINT(language=Keyword("language")),
        )
        return None

    def rounding(self, node: ast.Rounding) -> float:
        if node.mode is not None and node.mode not in ROUNDING_MODES:
            hint = suggest(node.mode, ROUNDING_MODES) or say.ROUNDING_MODE_HINT()
            self.report.error(say.UNKNOWN_ROUNDING(mode=node.mode), node.mode_span, hint)
        if not node.unit.value > 0:
            self.report.error(say.ROUNDING_NOT_POSITIVE(), node.unit.span)
            return 0.01
        if not MIN_UNIT <= node.unit.value <= MAX_UNIT:
            self.report.error(
                say.ROUNDING_OUT_OF_RANGE(unit=node.unit.text),
                node.unit.span,
                say.ROUNDING_RANGE_HINT(
                    low=f"{MIN_UNIT:.9f}", high=f"{MAX_UNIT:,.0f}", rounding=Keyword("rounding")
                ),
            )
            return 0.01
        return node.unit.value

    def define(self, statement: ast.Statement) -> None:
        """Enter a named statement in the file's one namespace; report a name taken twice."""
        name = getattr(statement, "name", None)
        if not isinstance(name, str):
            return
        span = getattr(statement, "name_span", statement.span)
        if name in self.defs:
            first = self.defs[name]
            if isinstance(first, ast.Card) and isinstance(statement, ast.Card):
                return  # versions of one card: `check_versions.versions_of` looks at them
            self.report.error(
                say.DEFINED_TWICE(name=name), span, say.DEFINED_TWICE_HINT(line=first.span.line)
            )
            return
        self.defs[name] = statement


def check(
    tree: ast.Rulebook,
    source: Source,
    library: Mapping[str, ir.Named] | None = None,
    columns: Mapping[str, ir.ColumnSpec] | None = None,
    *,
    standard: bool = False,
) -> ir.Program:
    """Check a parsed rule file and lower it to IR.

    ``library`` and ``columns`` are the standard library's indicators and raw-column
    declarations: their units decide which numbers need a ``%`` (`ksf.dsl.units`).
    ``standard``: the text is the standard library (`check_standard`).

    Raises:
        KsfCompileError: with every problem found, in source order.
    """
    checker = _Checker(source, library or {})
    checker.stand_ins = standard
    program = checker.rulebook(tree)
    units = units_of(tree, library or {}, columns or {})
    check_units(tree, checker.report, units, shares_of(columns or {}))
    if checker.report.errors:
        raise KsfCompileError(checker.report.errors)
    near = near_lines(program, source, library or {})
    warnings = tuple(
        sorted((*lint(tree, source, library or {}, units), *near), key=RuleWarning.sort_key)
    )
    return attrs.evolve(
        program,
        warnings=warnings,
        definitions=definitions(tree) + checker.references,
        percent_read=read_in_percent(tree, units),
    )


def check_standard(
    tree: ast.Rulebook, source: Source
) -> tuple[dict[str, ir.Named], dict[str, ir.ColumnSpec]]:
    """The standard library's indicators and raw-column declarations, marked as library's.

    A declaration named like an indicator is marked ``indicator``: the values a data column
    of that name, standing in for the indicator, can hold.
    """
    program = check(tree, source, standard=True)
    named = {
        n.name: ir.Named(n.name, n.expr, n.unit, n.direction, "library", n.text, n.label)
        for n in program.indicators
    }
    columns = {
        c.name: attrs.evolve(c, origin="indicator" if c.name in named else "library")
        for c in program.columns
    }
    return named, columns
