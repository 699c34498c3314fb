"""The state a card's checker keeps, and the checks of single clause values it shares.

`ksf.dsl.check_lines.CardLines` builds on it: the line kinds live there, these small
checks (a payable amount, a step, a rule's direction, a `scaled_by`/`when` expression) here.
"""

from __future__ import annotations

from collections.abc import Mapping

from ksf import ir
from ksf.catalogue import check_lines as say
from ksf.dsl import ast
from ksf.dsl.check_clauses import clause_value
from ksf.dsl.check_expr import Expressions
from ksf.dsl.check_report import Report
from ksf.dsl.fold import LIMIT_HINT, past_limit
from ksf.message import Keyword
from ksf.source import Span


class ClauseChecks:
    """What checking a card's lines keeps, and the checks of a single clause's value."""

    def __init__(
        self,
        report: Report,
        expressions: Expressions,
        unit: float,
        library: Mapping[str, ir.Named] | None = None,
    ) -> None:
        self.report = report
        self.expressions = expressions
        self.defs = expressions.defs
        self.unit = unit  # the file's rounding unit
        self.library = library or {}  # the standard indicators, for the direction of a name
        self.shared: dict[str, Span] = {}  # pools the card being checked shares, and where
        self.owners: Mapping[str, tuple[str, ...]] = {}  # every line name → its cards
        self.references: list[tuple[str, str, Span]] = []  # line references, as definitions

    def payable(self, what: object, amount: ast.Number) -> bool:
        """Whether an amount written in the card is within what ksf pays; reports it if not.

        ``what`` names the amount: a `Keyword` (``cap``) or a message (``base A:``).
        """
        why = past_limit(what, amount.text, amount.value, self.unit)
        if why is not None:
            self.report.error(why, amount.span, LIMIT_HINT)
        return why is None

    def clause(self, clause: ast.Clause) -> ir.ClauseValue:
        """A clause's number, or the expression it reads per row; a step of 0 or less is 1."""
        value = clause_value(self.report, self.expressions, clause)
        return (
            1.0 if clause.keyword == "step" and isinstance(value, float) and value <= 0 else value
        )  # a step written as 0 or less is reported; 1 keeps the rest of the rule checkable

    def _payable_bounds(self, clauses: dict[str, ast.Clause]) -> None:
        for key in ("cap", "floor"):
            value = clauses[key].value if key in clauses else None
            if isinstance(value, ast.Number):
                self.payable(Keyword(key), value)

    def _step(self, clause: ast.Clause) -> None:
        if isinstance(clause.value, ast.Number) and clause.value.value <= 0:
            self.report.error(say.STEP_NOT_POSITIVE(step=Keyword("step")), clause.span)

    def _amounts(self, clauses: dict[str, ast.Clause]) -> None:
        for key in ("reward", "penalty"):
            value = clauses[key].value if key in clauses else None
            if isinstance(value, ast.Number) and value.value < 0:
                self.report.error(
                    say.AMOUNT_NEGATIVE(kind=Keyword(key)),
                    clauses[key].span,
                    say.AMOUNT_NEGATIVE_HINT(),
                )

    def direction(self, value: ir.Expr) -> int:
        """The direction of a rule's value when the rule names none (LANGUAGE.md 3.1).

        A definition's own; a name the file leaves to the data takes the direction of the
        standard indicator of that name, and any other plain column or param is higher-is-
        better. `ksf.bind` settles it the same way once the data is known.
        """
        if isinstance(value, ir.Named):
            return value.direction or 1
        if isinstance(value, ir.Free) and value.name in self.library:
            return self.library[value.name].direction or 1
        return 1

    def expr_clause(
        self, clause: ast.Clause | None, *, condition: bool = False
    ) -> tuple[ir.Expr | None, str]:
        """The IR and source text of a `scaled_by` or `when` clause's expression."""
        if clause is None or isinstance(clause.value, str | None):
            return None, ""
        node = clause.value
        expressions = self.expressions
        value = expressions.condition(node) if condition else expressions.number(node)
        return value, self.report.text(node.span)
