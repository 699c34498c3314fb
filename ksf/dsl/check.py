"""AST → IR, before any data is known.

Checks everything the text alone decides — duplicate names, clauses each line kind allows,
steps and rewards, tier positions, table row order, score weights — and resolves names the
file defines. Names it leaves free stay `ir.Free` for `ksf.bind`. All problems are collected
and raised together as one `KsfCompileError`, in source order. A file that passes gets
the warnings of `ksf.dsl.lint` attached to its program.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping

import attrs

from ksf import ir
from ksf.dsl import ast
from ksf.dsl.lint import definitions, lint
from ksf.dsl.scope import (
    DIRECTIONS,
    FUNCTIONS,
    MISSING_MODES,
    RESERVED_LINE_NAMES,
    ROUNDING_MODES,
    UNITS,
)
from ksf.errors import Diagnostic, KsfCompileError, suggest
from ksf.money import is_whole_units
from ksf.source import Source, Span

NUM, COND = "number", "condition"
# Every later stage (binding, hashing, compiling) recurses over expressions; an indicator
# defined through a chain of others nests as deep as the chain. 200 keeps them all far from
# Python's recursion limit and is far beyond any pay rule (the parser's own limit is 200).
MAX_IR_DEPTH = 200
# An indicator used before its definition is checked on the spot, inside the expression that
# uses it; a chain of such forward uses nests the checker itself, so it is bounded too.
MAX_LATER_DEFINITIONS = 25
MAX_SUGGESTED = 20  # errors that get a did-you-mean hint; each scans every known name
ARITH = {"+": "add", "-": "sub", "*": "mul", "/": "div"}
COMPARE = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}

# Clauses each kind of statement accepts (besides its leading expression).
RULE_CLAUSES = frozenset(
    {
        "pot",
        "balance",
        "step",
        "reward",
        "penalty",
        "cap",
        "floor",
        "prorate",
        "higher_is_better",
        "lower_is_better",
        "as",
        "beyond",
    }
)
COMMISSION_CLAUSES = frozenset({"rate", "beyond", "retroactive", "scaled_by", "cap", "floor", "as"})
BONUS_CLAUSES = frozenset({"scaled_by", "when", "as"})
KPI_CLAUSES = frozenset(
    {"weight", "baseline", "target", "challenge", "higher_is_better", "lower_is_better"}
)
POOL_AMOUNT_CLAUSES = frozenset({"above", "share"})
POOL_CLAUSES = frozenset({"cap"})


def steps_between(start: float, end: float, step: float) -> float:
    """Distance from ``start`` to ``end`` in steps, with float noise below 1e-9 removed."""
    return _clean((end - start) / step)


def _clean(value: float) -> float:
    # (0.33 - 0.30) / 0.01 is 3.0000000000000027 in floats; 9 decimals is far finer than any
    # real step and far coarser than float noise.
    return round(value, 9)


def source_text(source: Source | list[str], span: Span) -> str:
    """The rule text a span covers (``source`` may be its text already split into lines)."""
    if span.line <= 0:
        return ""
    all_lines = source.text.split("\n") if isinstance(source, Source) else source
    lines = all_lines[span.line - 1 : span.end_line]
    if not lines:
        return ""
    if len(lines) == 1:
        return lines[0][span.column - 1 : span.end_column - 1]
    lines[0] = lines[0][span.column - 1 :]
    lines[-1] = lines[-1][: span.end_column - 1]
    return " ".join(part.strip() for part in lines)


def _lexeme(clause: ast.Clause) -> str:
    """A numeric clause's value as written (``30%``, ``1_000_000``)."""
    return clause.value.text if isinstance(clause.value, ast.Number) else str(clause.value)


_FOLD: dict[str, Callable[..., float]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b if b else math.nan,
    "neg": lambda a: -a,
    "abs": abs,
    "min": min,
    "max": max,
}


def constant(node: ir.Expr) -> float | None:
    """The value of an expression of literals alone; None when it reads any name."""
    if isinstance(node, ir.Const):
        return node.value
    if not (isinstance(node, ir.Op) and node.op in _FOLD):
        return None
    args = [constant(arg) for arg in node.args]
    if any(arg is None for arg in args):
        return None
    return _FOLD[node.op](*args)


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


class _Checker:
    """One pass over one rule file; collects diagnostics instead of stopping at the first."""

    def __init__(self, source: Source, library: Mapping[str, ir.Named]) -> None:
        self.source = source
        self.lines = source.text.split("\n")  # split once: text() runs for every statement
        self.library = library
        self.errors: list[Diagnostic] = []
        self.defs: dict[str, ast.Statement] = {}
        self.named: dict[str, ir.Expr] = {}
        self.resolving: list[str] = []
        self.tables: dict[str, ir.TableSpec] = {}
        self.shared: dict[str, Span] = {}  # pools the card being checked shares, and where
        self.unit = 0.01  # the rounding unit, known before any card is checked
        self.level = 0  # nesting of the expression being checked, through definitions
        self.deep_reported = False
        self.depths: dict[int, int] = {}  # IR depth of each resolved definition, by id

    def error(self, message: str, span: Span, hint: str | None = None) -> None:
        self.errors.append(Diagnostic(message, span, self.source, hint))

    def close(self, name: str, candidates: list[str]) -> str | None:
        """A did-you-mean hint, for the first errors only: each costs a pass over every name."""
        return suggest(name, candidates) if len(self.errors) < MAX_SUGGESTED else None

    def text(self, span: Span) -> str:
        return source_text(self.lines, span)

    # ---- the file ---------------------------------------------------------------------

    def rulebook(self, tree: ast.Rulebook) -> ir.Program:
        currency, unit = "CNY", 0.01
        seen_setting: dict[str, Span] = {}
        for statement in tree.statements:
            if isinstance(statement, ast.Currency | ast.Rounding):
                key = type(statement).__name__.lower()
                if key in seen_setting:
                    self.error(
                        f"`{key}` is set twice",
                        statement.span,
                        f"the first is on line {seen_setting[key].line}",
                    )
                seen_setting[key] = statement.span
                if isinstance(statement, ast.Currency):
                    currency = self.currency(statement)
                else:
                    unit = self.rounding(statement)
            else:
                self.define(statement)
        tables = [s for s in tree.statements if isinstance(s, ast.Table)]
        for table in tables:
            self.tables[table.name] = self.table(table)
        indicators = [s for s in tree.statements if isinstance(s, ast.Indicator)]
        named = tuple(self.resolve(i.name, i.name_span) for i in indicators)
        for indicator, value in zip(indicators, named, strict=True):
            if self.ir_depth(value) > MAX_IR_DEPTH:
                self.too_deep(indicator.name_span)
        for score in (s for s in tree.statements if isinstance(s, ast.Score)):
            self.resolve(score.name, score.name_span)
        pools = tuple(self.pool(p) for p in tree.statements if isinstance(p, ast.Pool))
        self.unit = unit
        cards = tuple(self.card(c) for c in tree.statements if isinstance(c, ast.Card))
        return ir.Program(
            source=self.source,
            currency=currency,
            unit=unit,
            cards=cards,
            pools=pools,
            indicators=tuple(n for n in named if isinstance(n, ir.Named)),
        )

    def currency(self, node: ast.Currency) -> str:
        if not (len(node.code) == 3 and node.code.isascii() and node.code.isupper()):
            self.error(
                f"`{node.code}` is not a currency code",
                node.code_span,
                "write a three-letter ISO 4217 code such as CNY, USD or EUR",
            )
        return node.code

    def rounding(self, node: ast.Rounding) -> float:
        if node.mode is not None and node.mode not in ROUNDING_MODES:
            hint = suggest(node.mode, ROUNDING_MODES) or "ksf rounds half_up (四舍五入)"
            self.error(f"unknown rounding mode `{node.mode}`", node.mode_span, hint)
        if not node.unit.value > 0:
            self.error("the rounding unit must be greater than 0", node.unit.span)
            return 0.01
        return node.unit.value

    def define(self, statement: ast.Statement) -> None:
        name = getattr(statement, "name", None)
        if not isinstance(name, str):
            return
        span = getattr(statement, "name_span", statement.span)
        if name in self.defs:
            first = self.defs[name]
            self.error(
                f"`{name}` is defined twice",
                span,
                f"the first definition is on line {first.span.line}; indicators, "
                "tables, scores, pools and cards share one namespace",
            )
            return
        self.defs[name] = statement

    # ---- definitions --------------------------------------------------------------------

    def resolve(self, name: str, span: Span) -> ir.Expr:
        """The IR of a name the file defines as an indicator or score."""
        if name in self.named:
            return self.named[name]
        if name in self.resolving:
            cycle = " → ".join([*self.resolving[self.resolving.index(name) :], name])
            self.error(f"`{name}` is defined in terms of itself ({cycle})", span)
            return ir.Const(math.nan)
        statement = self.defs[name]
        if len(self.resolving) >= MAX_LATER_DEFINITIONS:  # each costs stack frames; see above
            self.error(
                f"`{name}` is reached through more than {MAX_LATER_DEFINITIONS} indicators "
                "that each use one defined further down the file",
                span,
                "define indicators before the ones that use them",
            )
            return ir.Const(math.nan)
        self.resolving.append(name)
        try:
            if isinstance(statement, ast.Indicator):
                result = self.indicator(statement)
            else:
                assert isinstance(statement, ast.Score)  # noqa: S101 - callers check
                result = self.score(statement)
        finally:
            self.resolving.pop()
        self.named[name] = result
        return result

    def indicator(self, node: ast.Indicator) -> ir.Named:
        value = self.number(node.expr)
        if node.unit is not None and node.unit not in UNITS:
            hint = suggest(node.unit, UNITS) or "units are " + ", ".join(UNITS)
            self.error(f"unknown unit `{node.unit}`", node.unit_span, hint)
        direction = DIRECTIONS[node.direction] if node.direction else None
        return ir.Named(
            node.name,
            value,
            node.unit,
            direction,
            text=self.text(node.expr.span),
            label=node.label,
        )

    def table(self, node: ast.Table) -> ir.TableSpec:
        ops, thresholds, values = [], [], []
        otherwise = math.nan
        unmatched = _Interval()  # the values no earlier row has matched
        for position, row in enumerate(node.rows):
            if row.op is None:
                if position != len(node.rows) - 1:
                    self.error(
                        "`else` must be the last row of a table",
                        row.span,
                        "rows after `else` could never match",
                    )
                otherwise = row.value.value
                continue
            assert row.threshold is not None  # noqa: S101 - the grammar pairs op and key
            if row.op not in (">=", ">", "<=", "<"):
                self.error(
                    f"a table row cannot compare with `{row.op}`", row.span, "use >=, >, <= or <"
                )
                continue
            t = row.threshold.value
            reachable = unmatched.take(row.op, t)
            if not reachable:
                self.error(
                    f"table row `{self.text(row.span)}` can never match",
                    row.span,
                    "the rows above it already match every such value; order "
                    "`>=` rows from the highest threshold down, `<=` rows from the "
                    "lowest up",
                )
            ops.append(row.op)
            thresholds.append(t)
            values.append(row.value.value)
        if math.isnan(otherwise):
            self.error(
                f"table `{node.name}` has no `else` row",
                node.span,
                "end the table with `else : VALUE` so every number finds a row",
            )
        return ir.TableSpec(
            node.name,
            tuple(ops),
            tuple(thresholds),
            tuple(values),
            otherwise if not math.isnan(otherwise) else 0.0,
        )

    def score(self, node: ast.Score) -> ir.Named:
        kpis = []
        for kpi in node.kpis:
            clauses = self.clauses(kpi.clauses, KPI_CLAUSES, "a score's KPI")
            needed = ("weight", "baseline", "target", "challenge")
            missing = [k for k in needed if k not in clauses]
            if missing:
                self.error(
                    f"this KPI has no `{missing[0]}`",
                    kpi.span,
                    "write: INDICATOR weight 60% baseline 90% target 100% challenge 110%",
                )
                continue
            direction = self.direction(clauses)
            b, t, c = (self.value(clauses[k]) for k in needed[1:])
            if self.value(clauses["weight"]) < 0:
                self.error(
                    "a KPI's weight cannot be negative",
                    clauses["weight"].span,
                    "a negative weight would pay less for a better result",
                )
            kpis.append(
                ir.KpiSpec(
                    self.number(kpi.expr),
                    self.value(clauses["weight"]),
                    b,
                    t,
                    c,
                    direction,
                    text=self.text(kpi.expr.span),
                    span=kpi.span,
                )
            )
            if not (b < t < c or b > t > c):
                self.error(
                    "baseline, target and challenge must be in order",
                    kpi.span,
                    "increasing for higher-is-better KPIs, decreasing for lower-is-better ones",
                )
        total = sum(k.weight for k in kpis)
        if not node.kpis:
            self.error(
                f"score `{node.name}` has no KPIs",
                node.name_span,
                "write: INDICATOR weight 60% baseline 90% target 100% challenge 110%",
            )
        elif len(kpis) == len(node.kpis) and abs(total - 1.0) > 1e-9:
            self.error(
                f"the weights of score `{node.name}` add up to {total * 100:g}%, not 100%",
                node.name_span,
            )
        points = (60.0, 100.0, 120.0)
        if node.points is not None:
            values = tuple(p.value for p in node.points)
            if len(values) != 3 or not values[0] <= values[1] <= values[2]:
                self.error(
                    "`points` takes three increasing numbers: baseline, target, challenge",
                    node.points_span,
                    "the default is `points 60 100 120`",
                )
            else:
                points = (values[0], values[1], values[2])
        spec = ir.ScoreSpec(node.name, tuple(kpis), points)
        return ir.Named(node.name, ir.ScoreValue(spec), "count", 1, text=f"score {node.name}")

    # ---- expressions --------------------------------------------------------------------

    def number(self, node: ast.Expr) -> ir.Expr:
        value, kind = self.expr(node)
        if kind == COND:
            self.error(
                "a condition cannot be used as a number",
                node.span,
                "comparisons, `and`, `or` and `not` belong after `when`",
            )
        return value

    def condition(self, node: ast.Expr) -> ir.Expr:
        value, kind = self.expr(node)
        if kind == NUM:
            return ir.Op("truth", (value,), span=node.span)
        return value

    def expr(self, node: ast.Expr) -> tuple[ir.Expr, str]:
        """The IR of an expression, refusing one nested (through definitions) past the limit."""
        self.level += 1
        try:
            if self.level > MAX_IR_DEPTH:
                self.too_deep(node.span)
                return ir.Const(math.nan), NUM
            if isinstance(node, ast.Number):
                return ir.Const(node.value), NUM
            if isinstance(node, ast.Name):
                return self.name(node), NUM
            if isinstance(node, ast.Unary):
                if node.op == "not":
                    return ir.Op("not", (self.condition(node.operand),), span=node.span), COND
                return ir.Op("neg", (self.number(node.operand),), span=node.span), NUM
            if isinstance(node, ast.Binary):
                return self.binary(node)
            return self.call(node), NUM
        finally:
            self.level -= 1

    def too_deep(self, span: Span) -> None:
        if not self.deep_reported:  # one error is enough; the rest are the same nesting
            self.deep_reported = True
            self.error(
                f"this expression is nested more than {MAX_IR_DEPTH} operations deep, "
                "counting the indicators and scores it is defined through",
                span,
                "define fewer indicators in terms of each other, or split the formula",
            )

    def ir_depth(self, root: ir.Expr) -> int:
        """How deeply an IR expression nests, without recursion; definitions are memoized."""
        depth: dict[int, int] = {}
        stack: list[tuple[ir.Expr, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            key = id(node)
            if key in depth or key in self.depths:
                continue
            kids = ir.children(node)
            if expanded or not kids:
                depth[key] = 1 + max(
                    (self.depths.get(id(k)) or depth.get(id(k), 0) for k in kids), default=0
                )
            else:
                stack.append((node, True))
                stack.extend((k, False) for k in kids)
        found = self.depths.get(id(root)) or depth[id(root)]
        if isinstance(root, ir.Named):  # kept alive by self.named, so its id stays its own
            self.depths[id(root)] = found
        return found

    def binary(self, node: ast.Binary) -> tuple[ir.Expr, str]:
        if node.op in ("and", "or"):
            args = (self.condition(node.left), self.condition(node.right))
            return ir.Op(node.op, args, span=node.span), COND
        if node.op in COMPARE:
            args = (self.number(node.left), self.number(node.right))
            return ir.Op(COMPARE[node.op], args, span=node.span), COND
        op = "mul" if node.op == "of" else ARITH[node.op]
        left, right = self.number(node.left), self.number(node.right)
        if op == "div" and constant(right) == 0:
            literal = isinstance(node.right, ast.Number)
            self.error(
                "division by zero"
                + ("" if literal else f": `{self.text(node.right.span)}` is always 0"),
                node.right.span,
                "every row would be missing; divide by a column or a non-zero number",
            )
        return ir.Op(op, (left, right), span=node.span), NUM

    def name(self, node: ast.Name) -> ir.Expr:
        statement = self.defs.get(node.name)
        if statement is None:
            return ir.Free(node.name, span=node.span)
        if isinstance(statement, ast.Indicator | ast.Score):
            resolved = self.resolve(node.name, node.span)
            if self.level - 1 + self.ir_depth(resolved) > MAX_IR_DEPTH:
                self.too_deep(node.span)
            return resolved
        kind = type(statement).__name__.lower()
        hint = f"call it with a value: {node.name}(x)" if kind == "table" else None
        self.error(f"`{node.name}` is a {kind}, not a value", node.span, hint)
        return ir.Const(math.nan)

    def call(self, node: ast.Call) -> ir.Expr:
        args = tuple(self.number(a) for a in node.args)
        if node.func in FUNCTIONS:
            least, most = FUNCTIONS[node.func]
            if len(args) < least or (most is not None and len(args) > most):
                wanted = f"{least}" if least == most else f"at least {least}"
                self.error(
                    f"`{node.func}` takes {wanted} argument{'s' if least > 1 else ''}, "
                    f"not {len(args)}",
                    node.span,
                )
                return ir.Const(math.nan)
            return ir.Op(node.func, args, span=node.span)
        table = self.tables.get(node.func)
        if table is not None:
            if len(args) != 1:
                self.error(f"table `{node.func}` takes one value, not {len(args)}", node.span)
                return ir.Const(math.nan)
            return ir.Lookup(table, args[0], span=node.span)
        known = [*FUNCTIONS, *self.tables]
        hint = self.close(node.func, known) or "functions are min, max, abs and the file's tables"
        defined = self.defs.get(node.func)
        if defined is not None:
            kind = type(defined).__name__.lower()
            self.error(f"`{node.func}` is a {kind}, not a function or table", node.func_span, hint)
        else:
            self.error(f"unknown function or table `{node.func}`", node.func_span, hint)
        return ir.Const(math.nan)

    # ---- clauses ------------------------------------------------------------------------

    def clauses(
        self, items: Iterable[ast.AnyClause], allowed: frozenset[str], what: str
    ) -> dict[str, ast.Clause]:
        """Single clauses by keyword; reports unknown and repeated ones (`beyond` excluded)."""
        found: dict[str, ast.Clause] = {}
        for item in items:
            keyword = "beyond" if isinstance(item, ast.Beyond) else item.keyword
            if keyword not in allowed:
                hint = "it may take: " + ", ".join(sorted(allowed))
                self.error(f"`{keyword}` is not a clause of {what}", item.span, hint)
            elif isinstance(item, ast.Clause):
                if keyword in found:
                    self.error(f"`{keyword}` is given twice", item.span)
                found[keyword] = item
        if "higher_is_better" in found and "lower_is_better" in found:
            self.error(
                "a rule cannot be both higher_is_better and lower_is_better",
                found["lower_is_better"].span,
            )
        return found

    def value(self, clause: ast.Clause) -> float:
        assert isinstance(clause.value, ast.Number)  # noqa: S101 - grammar: numeric clause
        return clause.value.value

    def optional(self, clauses: Mapping[str, ast.Clause], keyword: str) -> float | None:
        return self.value(clauses[keyword]) if keyword in clauses else None

    def direction(self, clauses: Mapping[str, ast.Clause]) -> int | None:
        for word, sign in DIRECTIONS.items():
            if word in clauses:
                return sign
        return None

    def alias(self, clauses: Mapping[str, ast.Clause]) -> str | None:
        clause = clauses.get("as")
        return clause.value if clause is not None and isinstance(clause.value, str) else None

    def bounds(self, clauses: Mapping[str, ast.Clause]) -> tuple[float | None, float | None]:
        cap, floor = self.optional(clauses, "cap"), self.optional(clauses, "floor")
        if cap is not None and floor is not None and floor > cap:
            self.error(
                f"floor {_lexeme(clauses['floor'])} is above cap {_lexeme(clauses['cap'])}",
                clauses["floor"].span,
            )
        return cap, floor

    # ---- pools --------------------------------------------------------------------------

    def pool(self, node: ast.Pool) -> ir.PoolSpec:
        clauses = self.clauses(node.clauses, POOL_CLAUSES, "a pool")
        if len(node.amounts) != 1:
            span = node.amounts[1].span if len(node.amounts) > 1 else node.name_span
            self.error(
                f"pool `{node.name}` needs exactly one amount line",
                span,
                "write: PROFIT above THRESHOLD share 20%",
            )
            return ir.PoolSpec(node.name, ir.Const(0.0), 0.0, 0.0, span=node.span)
        amount = node.amounts[0]
        parts = self.clauses(amount.clauses, POOL_AMOUNT_CLAUSES, "a pool's amount")
        if "share" not in parts:
            self.error(
                "the pool's amount has no `share`",
                amount.span,
                "write: PROFIT above THRESHOLD share 20%",
            )
        share = self.optional(parts, "share") or 0.0
        if share < 0:
            self.error("a pool's share cannot be negative", parts["share"].span)
        cap = self.optional(clauses, "cap")
        if cap is not None and cap < 0:
            self.error("a pool's cap cannot be negative", clauses["cap"].span)
        if len(node.split_by) > 1:
            self.error("`split by` is given twice", node.split_by[1].span)
        split = node.split_by[0].value if node.split_by else None
        return ir.PoolSpec(
            node.name,
            self.number(amount.expr),
            self.optional(parts, "above") or 0.0,
            share,
            cap,
            node.per,
            split if isinstance(split, str) else None,
            text=self.text(amount.expr.span),
            span=node.span,
        )

    # ---- cards --------------------------------------------------------------------------

    def card(self, node: ast.Card) -> ir.Card:
        lines: list[ir.Line] = []
        names: dict[str, Span] = {}
        min_pay: float | None = None
        missing = "error"
        once: dict[str, Span] = {}
        self.shared = {}
        for item in node.items:
            if isinstance(item, ast.MinPay | ast.Missing):
                key = "min_pay" if isinstance(item, ast.MinPay) else "missing"
                if key in once:
                    self.error(f"`{key}` is given twice in card `{node.name}`", item.span)
                    continue
                once[key] = item.span
                if isinstance(item, ast.MinPay):
                    min_pay = item.amount.value
                    if not is_whole_units(min_pay, self.unit):
                        self.error(
                            f"min_pay {item.amount.text} is not a whole number of the rounding "
                            f"unit {self.unit:g}",
                            item.amount.span,
                            "the top-up is rounded to the unit, so the total could not reach "
                            "it; round the minimum to the unit",
                        )
                    self.line_name("min_pay_topup", item.span, names, reserved=False)
                elif item.mode not in MISSING_MODES:
                    hint = (
                        suggest(item.mode, MISSING_MODES)
                        or "write `missing as balance` or `missing as zero`"
                    )
                    self.error(f"unknown missing-value policy `{item.mode}`", item.mode_span, hint)
                else:
                    missing = item.mode
                continue
            line = self.line(item)
            if line is not None and self.line_name(line.name, item.span, names):
                lines.append(line)
        return ir.Card(node.name, node.label, tuple(lines), min_pay, missing, span=node.span)

    def line_name(
        self, name: str, span: Span, names: dict[str, Span], *, reserved: bool = True
    ) -> bool:
        if reserved and name in RESERVED_LINE_NAMES:
            self.error(
                f"`{name}` cannot name a line: {RESERVED_LINE_NAMES[name]}",
                span,
                "choose another name with `as NAME`",
            )
            return False
        if name in names:
            self.error(
                f"two lines of this card are named `{name}`",
                span,
                f"the first is on line {names[name].line}; rename one with `as NAME`",
            )
            return False
        names[name] = span
        return True

    def line(self, item: ast.CardItem) -> ir.Line | None:
        if isinstance(item, ast.Fixed):
            return self.fixed(item)
        if isinstance(item, ast.Rule):
            return self.rule(item)
        if isinstance(item, ast.Commission):
            return self.commission(item)
        if isinstance(item, ast.Bonus):
            return self.bonus(item)
        assert isinstance(item, ast.Share)  # noqa: S101 - the remaining card item
        pool = self.defs.get(item.pool)
        if not isinstance(pool, ast.Pool):
            pools = [n for n, s in self.defs.items() if isinstance(s, ast.Pool)]
            hint = self.close(item.pool, pools) or "define it with `pool NAME { … }`"
            self.error(f"there is no pool `{item.pool}`", item.pool_span, hint)
            return None
        if item.pool in self.shared:
            self.error(
                f"this card shares pool `{item.pool}` twice",
                item.span,
                f"the first `share {item.pool}` is on line {self.shared[item.pool].line}; "
                "a member's part of a pool is paid once",
            )
            return None
        self.shared[item.pool] = item.span
        return ir.ShareLine(item.alias or item.pool, item.pool, span=item.span)

    def fixed(self, item: ast.Fixed) -> ir.Line:
        name = item.alias or item.kind
        if item.by is None:
            assert item.amount is not None  # noqa: S101 - grammar: `base N` has an amount
            return ir.FixedLine(name, item.amount.value, span=item.span)
        keys: dict[str, Span] = {}
        for entry in item.entries:
            if entry.key in keys:
                self.error(f"`{entry.key}` is listed twice", entry.span)
            keys[entry.key] = entry.span
        return ir.ByLine(
            name,
            item.by,
            tuple(e.key for e in item.entries),
            tuple(e.value.value for e in item.entries),
            span=item.span,
            column_span=item.by_span,
        )

    def line_label(self, expr: ast.Expr, alias: str | None, span: Span, default: str) -> str:
        if alias is not None:
            return alias
        if isinstance(expr, ast.Name):
            return default.format(expr.name)
        if default == "{}":
            self.error(
                "name this line with `as NAME`",
                span,
                "a rule on an expression has no indicator name to take",
            )
        return default.replace("_{}", "")

    def rule(self, item: ast.Rule) -> ir.Line | None:
        clauses = self.clauses(item.clauses, RULE_CLAUSES, "a balance rule")
        needed = [k for k in ("balance", "step", "reward") if k not in clauses]
        if needed:
            self.error(
                f"this balance rule has no `{needed[0]}`",
                item.span,
                "write: INDICATOR balance 30% step 1% reward 200",
            )
            return None
        balance, step = self.value(clauses["balance"]), self.value(clauses["step"])
        reward = self.value(clauses["reward"])
        penalty = self.optional(clauses, "penalty")
        if step <= 0:
            self.error("the step must be greater than 0", clauses["step"].span)
            step = 1.0
        for key in ("reward", "penalty"):
            if key in clauses and self.value(clauses[key]) < 0:
                self.error(
                    f"the {key} must be 0 or more",
                    clauses[key].span,
                    "the direction decides which side pays; amounts are never negative",
                )
        beyond = [self.beyond(c, balance, step) for c in item.clauses if isinstance(c, ast.Beyond)]
        cap, floor = self.bounds(clauses)
        return ir.BalanceLine(
            name=self.line_label(item.expr, self.alias(clauses), item.span, "{}"),
            value=self.number(item.expr),
            balance=balance,
            step=step,
            reward=reward,
            penalty=reward if penalty is None else penalty,
            beyond=tuple(b for b in beyond if b is not None),
            pot=self.optional(clauses, "pot") or 0.0,
            cap=cap,
            floor=floor,
            prorate="prorate" in clauses,
            direction=self.direction(clauses),
            text=self.text(item.expr.span),
            balance_text=_lexeme(clauses["balance"]),
            span=item.span,
        )

    def beyond(self, clause: ast.Beyond, balance: float, step: float) -> ir.Beyond | None:
        if clause.kind not in ("reward", "penalty"):
            self.error(
                f"a balance rule's `beyond` takes `reward` or `penalty`, not `{clause.kind}`",
                clause.span,
            )
            return None
        if clause.amount.value < 0:
            self.error(f"the {clause.kind} must be 0 or more", clause.amount.span)
        steps = steps_between(balance, clause.at.value, step) if step > 0 else 0.0
        if steps == 0:
            self.error(
                f"`beyond {clause.at.text}` is the balance point itself; beyond points must be "
                "at least one whole step away",
                clause.at.span,
                "move the point, or the balance, onto a whole step",
            )
            return None
        if steps != math.trunc(steps):
            self.error(
                f"`beyond {clause.at.text}` is {abs(steps):g} steps from the balance point; "
                "beyond points must be a whole number of steps away",
                clause.at.span,
                "move the point, or the balance, onto a whole step",
            )
            return None
        return ir.Beyond(
            clause.at.value, clause.kind, clause.amount.value, clause.at.text, span=clause.span
        )

    def commission(self, item: ast.Commission) -> ir.Line | None:
        clauses = self.clauses(item.clauses, COMMISSION_CLAUSES, "a commission")
        if "rate" not in clauses:
            self.error(
                "this commission has no `rate`", item.span, "write: commission sales rate 0.75%"
            )
            return None
        tiers = [ir.Tier(-math.inf, self.value(clauses["rate"]))]
        for clause in item.clauses:
            if not isinstance(clause, ast.Beyond):
                continue
            if clause.kind != "rate":
                self.error(
                    f"a commission's `beyond` takes `rate`, not `{clause.kind}`", clause.span
                )
                continue
            if clause.at.value <= tiers[-1].at:
                self.error("commission tiers must be in increasing order", clause.span)
                continue
            tiers.append(ir.Tier(clause.at.value, clause.amount.value, span=clause.span))
        scale, scale_text = self.expr_clause(clauses.get("scaled_by"))
        cap, floor = self.bounds(clauses)
        return ir.CommissionLine(
            name=self.line_label(item.expr, self.alias(clauses), item.span, "commission_{}"),
            base=self.number(item.expr),
            tiers=tuple(tiers),
            retroactive="retroactive" in clauses,
            scale=scale,
            cap=cap,
            floor=floor,
            text=self.text(item.expr.span),
            scale_text=scale_text,
            span=item.span,
        )

    def bonus(self, item: ast.Bonus) -> ir.Line:
        clauses = self.clauses(item.clauses, BONUS_CLAUSES, "a bonus")
        scale, scale_text = self.expr_clause(clauses.get("scaled_by"))
        when, when_text = self.expr_clause(clauses.get("when"), condition=True)
        return ir.BonusLine(
            name=self.alias(clauses) or "bonus",
            amount=self.number(item.expr),
            scale=scale,
            when=when,
            text=self.text(item.expr.span),
            scale_text=scale_text,
            when_text=when_text,
            span=item.span,
        )

    def expr_clause(
        self, clause: ast.Clause | None, *, condition: bool = False
    ) -> tuple[ir.Expr | None, str]:
        """The IR and source text of a `scaled_by` or `when` clause's expression."""
        if clause is None or isinstance(clause.value, str | None):
            return None, ""
        node = clause.value
        value = self.condition(node) if condition else self.number(node)
        return value, self.text(node.span)


def check(
    tree: ast.Rulebook, source: Source, library: Mapping[str, ir.Named] | None = None
) -> ir.Program:
    """Check a parsed rule file and lower it to IR.

    Raises:
        KsfCompileError: with every problem found, in source order.
    """
    checker = _Checker(source, library or {})
    program = checker.rulebook(tree)
    if checker.errors:
        raise KsfCompileError(checker.errors)
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
