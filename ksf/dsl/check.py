"""AST → IR, before any data is known: the orchestrator of the checker.

Checks everything the text alone decides and resolves the names the file defines; names it
leaves free stay `ir.Free` for `ksf.bind`. This module checks the file as a whole — its
settings and its one namespace — and hands each definition to `ksf.dsl.check_defs` and each
card to `ksf.dsl.check_lines`, whose expressions `ksf.dsl.check_expr` lowers. All problems are
collected in one `ksf.dsl.check_report.Report` and raised together as one `KsfCompileError`,
in source order. A file that passes gets the warnings of `ksf.dsl.lint` attached.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ksf import ir
from ksf.dsl import ast
from ksf.dsl.check_defs import Definitions
from ksf.dsl.check_lines import CardLines
from ksf.dsl.check_report import Report
from ksf.dsl.fold import MAX_IR_DEPTH
from ksf.dsl.lint import definitions, lint
from ksf.dsl.scope import ROUNDING_MODES
from ksf.errors import KsfCompileError, suggest
from ksf.source import Source, Span


class _Checker:
    """One pass over one rule file; collects diagnostics instead of stopping at the first."""

    def __init__(self, source: Source, library: Mapping[str, ir.Named]) -> None:
        self.source = source
        self.library = library
        self.report = Report(source)
        self.defs: dict[str, ast.Statement] = {}
        self.definitions = Definitions(self.report, self.defs)
        self.expressions = self.definitions.expressions

    def rulebook(self, tree: ast.Rulebook) -> ir.Program:
        currency, unit = self.settings(tree)
        statements = tree.statements
        for table in (s for s in statements if isinstance(s, ast.Table)):
            self.expressions.tables[table.name] = self.definitions.table(table)
        indicators = [s for s in statements if isinstance(s, ast.Indicator)]
        named = tuple(self.definitions.resolve(i.name, i.name_span) for i in indicators)
        for indicator, value in zip(indicators, named, strict=True):
            if self.expressions.depth(value) > MAX_IR_DEPTH:
                self.expressions.too_deep(indicator.name_span)
        for score in (s for s in statements if isinstance(s, ast.Score)):
            self.definitions.resolve(score.name, score.name_span)
        pools = tuple(self.definitions.pool(p) for p in statements if isinstance(p, ast.Pool))
        lines = CardLines(self.report, self.expressions, unit, self.library)
        cards = tuple(lines.card(c) for c in statements if isinstance(c, ast.Card))
        return ir.Program(
            source=self.source,
            currency=currency,
            unit=unit,
            cards=cards,
            pools=pools,
            indicators=tuple(n for n in named if isinstance(n, ir.Named)),
        )

    def settings(self, tree: ast.Rulebook) -> tuple[str, float]:
        """The file's currency and rounding unit; every other statement goes in the namespace."""
        currency, unit = "CNY", 0.01
        seen: dict[str, Span] = {}
        for statement in tree.statements:
            if not isinstance(statement, ast.Currency | ast.Rounding):
                self.define(statement)
                continue
            key = type(statement).__name__.lower()
            if key in seen:
                self.report.error(
                    f"`{key}` is set twice",
                    statement.span,
                    f"the first is on line {seen[key].line}",
                )
            seen[key] = statement.span
            if isinstance(statement, ast.Currency):
                currency = self.currency(statement)
            else:
                unit = self.rounding(statement)
        return currency, unit

    def currency(self, node: ast.Currency) -> str:
        if not (len(node.code) == 3 and node.code.isascii() and node.code.isupper()):
            self.report.error(
                f"`{node.code}` is not a currency code",
                node.code_span,
                "write a three-letter ISO 4217 code such as CNY, USD or EUR",
            )
        return node.code

    def rounding(self, node: ast.Rounding) -> float:
        if node.mode is not None and node.mode not in ROUNDING_MODES:
            hint = suggest(node.mode, ROUNDING_MODES) or "ksf rounds half_up (四舍五入)"
            self.report.error(f"unknown rounding mode `{node.mode}`", node.mode_span, hint)
        if not node.unit.value > 0:
            self.report.error("the rounding unit must be greater than 0", node.unit.span)
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
            self.report.error(
                f"`{name}` is defined twice",
                span,
                f"the first definition is on line {first.span.line}; indicators, "
                "tables, scores, pools and cards share one namespace",
            )
            return
        self.defs[name] = statement


def check(
    tree: ast.Rulebook, source: Source, library: Mapping[str, ir.Named] | None = None
) -> ir.Program:
    """Check a parsed rule file and lower it to IR.

    Raises:
        KsfCompileError: with every problem found, in source order.
    """
    checker = _Checker(source, library or {})
    program = checker.rulebook(tree)
    if checker.report.errors:
        raise KsfCompileError(checker.report.errors)
    return attrs.evolve(
        program, warnings=lint(tree, source, library or {}), definitions=definitions(tree)
    )


def check_library(tree: ast.Rulebook, source: Source) -> dict[str, ir.Named]:
    """The standard library's indicators by name, each marked as coming from the library."""
    program = check(tree, source)
    return {
        n.name: ir.Named(n.name, n.expr, n.unit, n.direction, "library", n.text, n.label)
        for n in program.indicators
    }
