"""The file's definitions (AST indicators, tables, scores, pools) → their IR.

Indicators and scores are resolved on demand, so one used before its definition is checked
where it is first used; cycles and long chains of such forward uses are refused. Table rows
are checked for order (a row the rows above it always beat can never match), scores for
their weights and KPI order, pools for their shape.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import assert_never

from ksf import ir
from ksf.catalogue import check as say
from ksf.catalogue import check_lines as lines_say
from ksf.dsl import ast
from ksf.dsl.check_clauses import (
    KPI_CLAUSES,
    PER_ROW_KPI,
    POOL_AMOUNT_CLAUSES,
    POOL_CLAUSES,
    clause_value,
    collect,
    direction_of,
    lexeme,
    value_of,
)
from ksf.dsl.check_expr import Expressions
from ksf.dsl.check_matrix import matrix_spec
from ksf.dsl.check_report import Report
from ksf.dsl.fold import LIMIT_HINT, past_limit
from ksf.dsl.scope import DIRECTIONS, UNITS
from ksf.errors import suggest
from ksf.message import Keyword
from ksf.source import Span

# An indicator used before its definition is checked on the spot, inside the expression that
# uses it; a chain of such forward uses nests the checker itself, so it is bounded too.
MAX_LATER_DEFINITIONS = 25
KPI_EXAMPLE = say.KPI_EXAMPLE(
    weight=Keyword("weight"),
    baseline=Keyword("baseline"),
    target=Keyword("target"),
    challenge=Keyword("challenge"),
)
POOL_EXAMPLE = say.POOL_EXAMPLE(above=Keyword("above"), share=Keyword("share"))
DEFAULT_POINTS = (60.0, 100.0, 120.0)


class _Interval:
    """A set of numbers (low, high) whose ends may be included; shrinks as table rows match."""

    def __init__(self) -> None:
        self.low, self.low_in, self.high, self.high_in = -math.inf, False, math.inf, False

    def empty(self) -> bool:
        return self.low > self.high or (
            self.low == self.high and not (self.low_in and self.high_in)
        )

    def take(self, op: str, t: float) -> bool:
        """Remove what the row `op t` matches; True if it matched anything still left."""
        if self.empty():
            return False
        if op in (">=", ">"):
            hits = t < self.high or (t == self.high and self.high_in and op == ">=")
            if hits:
                self.high, self.high_in = t, op == ">"
        else:
            hits = t > self.low or (t == self.low and self.low_in and op == "<=")
            if hits:
                self.low, self.low_in = t, op == "<"
        return hits


class Definitions:
    """Checks the definitions of one rule file; owns the `Expressions` they are written in."""

    def __init__(self, report: Report, defs: Mapping[str, ast.Statement]) -> None:
        self.report = report
        self.defs = defs
        self.named: dict[str, ir.Expr] = {}
        self.resolving: list[str] = []
        self.expressions = Expressions(report, defs, self.resolve)

    # ---- indicators and scores, by name ---------------------------------------------------

    def resolve(self, name: str, span: Span) -> ir.Expr:
        """The IR of a name the file defines as an indicator or score."""
        if name in self.named:
            return self.named[name]
        refused = self._refused(name, span)
        if refused is not None:
            return refused
        statement = self.defs[name]
        if not isinstance(statement, ast.Indicator | ast.Score):
            # A table, pool or card took the name first; `define` reported it as taken twice.
            return ir.Const(math.nan)
        self.resolving.append(name)
        try:
            match statement:
                case ast.Indicator():
                    result = self.indicator(statement)
                case ast.Score():
                    result = self.score(statement)
                case _:
                    assert_never(statement)
        finally:
            self.resolving.pop()
        self.named[name] = result
        return result

    def _refused(self, name: str, span: Span) -> ir.Expr | None:
        """A stand-in for a definition reached through itself or through too long a chain."""
        if name in self.resolving:
            cycle = " → ".join([*self.resolving[self.resolving.index(name) :], name])
            self.report.error(say.DEFINED_BY_ITSELF(name=name, cycle=cycle), span)
            return ir.Const(math.nan)
        if len(self.resolving) >= MAX_LATER_DEFINITIONS:  # each costs stack frames; see above
            self.report.error(
                say.TOO_MANY_LATER(name=name, count=MAX_LATER_DEFINITIONS),
                span,
                say.TOO_MANY_LATER_HINT(),
            )
            return ir.Const(math.nan)
        return None

    def indicator(self, node: ast.Indicator) -> ir.Named:
        """An indicator's IR: its expression, unit, direction and label."""
        value = self.expressions.number(node.expr)
        if node.unit is not None and node.unit not in UNITS:
            hint = suggest(node.unit, UNITS) or say.UNITS_ARE(units=", ".join(UNITS))
            self.report.error(say.UNKNOWN_UNIT(unit=node.unit), node.unit_span, hint)
        direction = DIRECTIONS[node.direction] if node.direction else None
        return ir.Named(
            node.name,
            value,
            node.unit,
            direction,
            text=self.report.text(node.expr.span),
            label=node.label,
        )

    def score(self, node: ast.Score) -> ir.Named:
        """A score's IR: its KPIs, whose weights add up to 100%, and its points."""
        kpis = [spec for spec in (self._kpi(kpi) for kpi in node.kpis) if spec is not None]
        total = sum(k.weight for k in kpis)
        if not node.kpis:
            self.report.error(say.SCORE_NO_KPIS(name=node.name), node.name_span, KPI_EXAMPLE)
        elif len(kpis) == len(node.kpis) and abs(total - 1.0) > 1e-9:
            # `weight 60` meant 60%: every weight above 100% is the sign of a missing `%`.
            unmarked = all(k.weight > 1 for k in kpis)
            self.report.error(
                say.WEIGHTS_NOT_100(name=node.name, total=f"{total * 100:g}"),
                node.name_span,
                say.WEIGHT_IS_PERCENT(weight=Keyword("weight")) if unmarked else None,
            )
        spec = ir.ScoreSpec(node.name, tuple(kpis), self._points(node))
        return ir.Named(node.name, ir.ScoreValue(spec), "count", 1, text=f"score {node.name}")

    def _kpi(self, kpi: ast.Kpi) -> ir.KpiSpec | None:
        clauses = collect(self.report, kpi.clauses, KPI_CLAUSES, lines_say.OF_KPI(), PER_ROW_KPI)
        needed = ("weight", "baseline", "target", "challenge")
        missing = [k for k in needed if k not in clauses]
        if missing:
            self.report.error(say.KPI_MISSING(keyword=Keyword(missing[0])), kpi.span, KPI_EXAMPLE)
            return None
        direction = direction_of(clauses)
        b, t, c = (clause_value(self.report, self.expressions, clauses[k]) for k in needed[1:])
        if value_of(clauses["weight"]) < 0:
            self.report.error(
                say.NEGATIVE_WEIGHT(), clauses["weight"].span, say.NEGATIVE_WEIGHT_HINT()
            )
        spec = ir.KpiSpec(
            self.expressions.number(kpi.expr),
            value_of(clauses["weight"]),
            b,
            t,
            c,
            direction,
            text=self.report.text(kpi.expr.span),
            span=kpi.span,
        )
        # Points read per row are put in order row by row (`ksf.kernels.score`).
        match b, t, c:
            case float(low), float(mid), float(high) if not (low < mid < high or low > mid > high):
                self.report.error(say.KPI_ORDER(), kpi.span, say.KPI_ORDER_HINT())
            case _:
                pass
        return spec

    def _points(self, node: ast.Score) -> tuple[float, float, float]:
        if node.points is None:
            return DEFAULT_POINTS
        values = tuple(p.value for p in node.points)
        if len(values) != 3 or not values[0] <= values[1] <= values[2]:
            points = Keyword("points")
            self.report.error(
                say.POINTS_SHAPE(points=points),
                node.points_span,
                say.POINTS_DEFAULT(points=points),
            )
            return DEFAULT_POINTS
        return (values[0], values[1], values[2])

    # ---- tables ---------------------------------------------------------------------------

    def table(self, node: ast.Table) -> ir.TableSpec | ir.MatrixSpec:
        """A table's IR; reports rows that can never match and a missing `else`."""
        if node.matrix or len(node.keys) > 1:
            return matrix_spec(self.report, node)
        rows: list[tuple[str, float, float]] = []  # (op, threshold, value), in order
        otherwise = math.nan
        unmatched = _Interval()  # the values no earlier row has matched
        for position, row in enumerate(node.rows):
            if row.op is None:
                if position != len(node.rows) - 1:
                    else_word = Keyword("else")
                    self.report.error(
                        say.ELSE_NOT_LAST(otherwise=else_word),
                        row.span,
                        say.ELSE_NOT_LAST_HINT(otherwise=else_word),
                    )
                otherwise = row.value.value
            elif self._compared_row(row, unmatched):
                assert row.threshold is not None  # noqa: S101 - as in _compared_row
                rows.append((row.op, row.threshold.value, row.value.value))
        if math.isnan(otherwise):
            self.report.error(
                say.NO_ELSE(name=node.name, otherwise=Keyword("else")),
                node.span,
                say.NO_ELSE_HINT(otherwise=Keyword("else")),
            )
        return ir.TableSpec(
            node.name,
            tuple(op for op, _, _ in rows),
            tuple(t for _, t, _ in rows),
            tuple(v for _, _, v in rows),
            otherwise if not math.isnan(otherwise) else 0.0,
        )

    def _compared_row(self, row: ast.TableRow, unmatched: _Interval) -> bool:
        """Report a row that compares wrongly (False) or can never match (still True)."""
        assert row.op is not None  # noqa: S101 - table() passes compared rows only
        assert row.threshold is not None  # noqa: S101 - the grammar pairs op and key
        if row.op not in (">=", ">", "<=", "<"):
            self.report.error(say.ROW_BAD_COMPARE(op=row.op), row.span, say.ROW_COMPARE_HINT())
            return False
        if not unmatched.take(row.op, row.threshold.value):
            self.report.error(
                say.ROW_NEVER_MATCHES(row=self.report.text(row.span)),
                row.span,
                say.ROW_ORDER_HINT(),
            )
        return True

    # ---- pools ----------------------------------------------------------------------------

    def pool(self, node: ast.Pool, unit: float) -> ir.PoolSpec:
        """A pool's IR: one amount line with its threshold and share, a cap, a split.

        ``unit`` is the file's rounding unit, which bounds the cap (see `past_limit`).
        """
        own = self._split_lines(node)
        clauses = collect(self.report, own, POOL_CLAUSES, lines_say.OF_POOL(), frozenset({"cap"}))
        if len(node.amounts) != 1:
            span = node.amounts[1].span if len(node.amounts) > 1 else node.name_span
            self.report.error(say.POOL_ONE_AMOUNT(name=node.name), span, POOL_EXAMPLE)
            return ir.PoolSpec(node.name, ir.Const(0.0), 0.0, 0.0, span=node.span)
        amount = node.amounts[0]
        of = lines_say.OF_POOL_AMOUNT()
        parts = collect(self.report, amount.clauses, POOL_AMOUNT_CLAUSES, of, POOL_AMOUNT_CLAUSES)
        share = self._share(amount, parts)
        cap = self._value(clauses, "cap")
        if isinstance(cap, ir.PerRow):
            pass  # checked on each group (`ksf.pools`)
        elif cap is not None and cap < 0:
            self.report.error(say.POOL_CAP_NEGATIVE(), clauses["cap"].span)
        elif cap is not None and (
            why := past_limit(Keyword("cap"), lexeme(clauses["cap"]), cap, unit)
        ):
            self.report.error(why, clauses["cap"].span, LIMIT_HINT)
        if len(node.split_by) > 1:
            self.report.error(
                say.SPLIT_BY_TWICE(split_by=Keyword("split by")), node.split_by[1].span
            )
        split = node.split_by[0].value if node.split_by else None
        return ir.PoolSpec(
            node.name,
            self.expressions.number(amount.expr),
            self._value(parts, "above") or 0.0,
            share,
            cap,
            node.per,
            split if isinstance(split, str) else None,
            text=self.report.text(amount.expr.span),
            span=node.span,
        )

    def _split_lines(self, node: ast.Pool) -> list[ast.Clause]:
        """The pool's own clauses; `above` or `share` on a line of their own is reported."""
        own = []
        for clause in node.clauses:
            if clause.keyword not in POOL_AMOUNT_CLAUSES or not node.amounts:
                own.append(clause)
                continue
            line = node.amounts[0].span.line
            self.report.error(
                say.ON_AMOUNT_LINE(keyword=Keyword(clause.keyword)),
                clause.span,
                say.ON_AMOUNT_LINE_HINT(text=self.report.text(clause.span), line=line),
            )
        return own

    def _value(self, parts: Mapping[str, ast.Clause], keyword: str) -> ir.ClauseValue | None:
        """A pool clause's number, or what it reads per row; None when it is not given."""
        given = parts.get(keyword)
        return None if given is None else clause_value(self.report, self.expressions, given)

    def _share(self, amount: ast.PoolAmount, parts: Mapping[str, ast.Clause]) -> ir.ClauseValue:
        if "share" not in parts:
            self.report.error(say.POOL_NO_SHARE(share=Keyword("share")), amount.span, POOL_EXAMPLE)
        share = self._value(parts, "share") or 0.0
        if isinstance(share, float) and share < 0:
            self.report.error(say.POOL_SHARE_NEGATIVE(), parts["share"].span)
        return share
