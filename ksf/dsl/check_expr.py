"""An AST expression → its IR, with the names the file defines resolved and the rest free.

Numbers and conditions are told apart here (a comparison is no amount), calls are checked
against the built-in functions and the file's tables, and nesting through definitions is
bounded by `ksf.dsl.fold.MAX_IR_DEPTH`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import assert_never

from ksf import ir
from ksf.catalogue import check as kinds
from ksf.catalogue import check_exprs as say
from ksf.dsl import ast
from ksf.dsl.check_groups import group_call_hint, lower_group
from ksf.dsl.check_report import Report
from ksf.dsl.fold import MAX_IR_DEPTH, constant, ir_depth
from ksf.dsl.line_refs import LineScope
from ksf.dsl.scope import FUNCTIONS
from ksf.message import Keyword
from ksf.source import Span

NUM, COND = "number", "condition"
ARITH = {"+": "add", "-": "sub", "*": "mul", "/": "div"}
COMPARE = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}

Resolve = Callable[[str, Span], ir.Expr]


class Expressions:
    """Lowers the expressions of one rule file; tracks how deep the current one nests.

    ``resolve`` gives the IR of an indicator or score the file defines (`ksf.dsl.check_defs`);
    it checks that definition on the spot, through this same object, so nesting counts on.
    """

    def __init__(self, report: Report, defs: Mapping[str, ast.Statement], resolve: Resolve) -> None:
        self.report = report
        self.defs = defs
        self.resolve = resolve
        # filled before any expression is checked
        self.tables: dict[str, ir.TableSpec | ir.MatrixSpec] = {}
        self.level = 0  # nesting of the expression being checked, through definitions
        self.deep_reported = False
        self.depths: dict[int, int] = {}  # IR depth of each resolved definition, by id
        self.lines: LineScope | None = None  # inside a card line: the lines it may use

    def number(self, node: ast.Expr) -> ir.Expr:
        """The IR of an expression used as an amount; a condition there is an error."""
        value, kind = self.expr(node)
        if kind == COND:
            self.report.error(
                say.CONDITION_AS_NUMBER(),
                node.span,
                say.CONDITION_HINT(
                    and_=Keyword("and"),
                    or_=Keyword("or"),
                    not_=Keyword("not"),
                    when=Keyword("when"),
                ),
            )
        return value

    def condition(self, node: ast.Expr) -> ir.Expr:
        """The IR of an expression used as a condition; a number is tested for truth."""
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
            return self._lower(node)
        finally:
            self.level -= 1

    def _lower(self, node: ast.Expr) -> tuple[ir.Expr, str]:
        match node:
            case ast.Number():
                return ir.Const(node.value), NUM
            case ast.Name():
                return self.name(node), NUM
            case ast.Unary() if node.op == "not":
                return ir.Op("not", (self.condition(node.operand),), span=node.span), COND
            case ast.Unary():
                return ir.Op("neg", (self.number(node.operand),), span=node.span), NUM
            case ast.Binary():
                return self.binary(node)
            case ast.Call():
                return self.call(node), NUM
            case ast.Group():
                return self.group(node), NUM
            case _:
                assert_never(node)

    def too_deep(self, span: Span) -> None:
        """Report nesting past `MAX_IR_DEPTH`, once per file."""
        if not self.deep_reported:  # one error is enough; the rest are the same nesting
            self.deep_reported = True
            self.report.error(say.TOO_DEEP(depth=MAX_IR_DEPTH), span, say.TOO_DEEP_HINT())

    def depth(self, root: ir.Expr) -> int:
        """How deeply an IR expression nests; the depths of definitions are remembered."""
        return ir_depth(root, self.depths)

    def binary(self, node: ast.Binary) -> tuple[ir.Expr, str]:
        """The IR of `and`/`or`, a comparison or arithmetic; refuses a division by 0."""
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
            self.report.error(
                say.DIVISION_BY_ZERO()
                if literal
                else say.DIVISION_BY_ZERO_ALWAYS(text=self.report.text(node.right.span)),
                node.right.span,
                say.DIVISION_HINT(),
            )
        result = ir.Op(op, (left, right), span=node.span)
        folded = constant(result)
        if folded is not None and math.isinf(folded):
            self.report.error(say.OVERFLOW(), node.span, say.OVERFLOW_HINT())
            return ir.Const(math.nan), NUM
        return result, NUM

    def name(self, node: ast.Name) -> ir.Expr:
        """A line above (inside a card), a defined indicator or score; any other name free."""
        if self.lines is not None:
            line = self.lines.resolve(node.name, node.span, self.report, self.defs)
            if line is not None:
                return line
        statement = self.defs.get(node.name)
        if statement is None:
            return ir.Free(node.name, span=node.span)
        if isinstance(statement, ast.Indicator | ast.Score):
            resolved = self.resolve(node.name, node.span)
            if self.level - 1 + self.depth(resolved) > MAX_IR_DEPTH:
                self.too_deep(node.span)
            return resolved
        kind = type(statement).__name__.lower()
        hint = say.CALL_TABLE_HINT(name=node.name) if kind == "table" else None
        self.report.error(
            say.NOT_A_VALUE(name=node.name, kind=kinds.A_KINDS[kind]()), node.span, hint
        )
        return ir.Const(math.nan)

    def call(self, node: ast.Call) -> ir.Expr:
        """A built-in function call or a table lookup."""
        args = tuple(self.number(a) for a in node.args)
        if node.func in FUNCTIONS:
            return self._function(node, args)
        table = self.tables.get(node.func)
        if isinstance(table, ir.MatrixSpec):
            return self._matrix(node, table, args)
        if table is not None:
            if len(args) != 1:
                self.report.error(say.TABLE_ONE_VALUE(name=node.func, count=len(args)), node.span)
                return ir.Const(math.nan)
            return ir.Lookup(table, args[0], span=node.span)
        self._unknown_call(node)
        return ir.Const(math.nan)

    def _matrix(self, node: ast.Call, table: ir.MatrixSpec, args: tuple[ir.Expr, ...]) -> ir.Expr:
        """A decision-matrix lookup: one value per key; a text key reads a column by name."""
        if len(args) != len(table.keys):
            self.report.error(
                say.MATRIX_VALUES(name=node.func, keys=len(table.keys), count=len(args)),
                node.span,
                say.MATRIX_CALL_HINT(name=node.func, keys=", ".join(table.keys)),
            )
            return ir.Const(math.nan)
        if self._keys_swapped(node, table, args):
            return ir.Const(math.nan)
        bad = False
        keys = zip(table.keys, args, table.text_keys, node.args, strict=True)
        for key, arg, text, written in keys:
            if text and not isinstance(arg, ir.Free):
                self.report.error(
                    say.TEXT_KEY_COLUMN(key=key, name=node.func),
                    written.span,
                    say.TEXT_KEY_HINT(name=node.func),
                )
                bad = True
        return ir.Const(math.nan) if bad else ir.MatrixLookup(table, args, span=node.span)

    def _keys_swapped(
        self, node: ast.Call, table: ir.MatrixSpec, args: tuple[ir.Expr, ...]
    ) -> bool:
        """Report a call passing the table's own key names in another order.

        ``grade_coef(score, grade)`` for ``table grade_coef(grade, score)``: each name a key's
        own, in the wrong place. Such a call reads ``score`` as the grade: never what is meant.
        """
        names = [a.name if isinstance(a, ir.Free) else None for a in args]
        named = [n for n in names if n in table.keys]
        moved = [k for k, n in enumerate(names) if n in table.keys and n != table.keys[k]]
        if not moved or len(set(named)) < len(named):  # grade_coef(grade, grade) is no swap
            return False
        written = [self.report.text(a.span) for a in node.args]
        order: list[str | None] = [None] * len(names)
        for k, name in enumerate(names):  # each key's name to its key's place
            if name in table.keys:
                order[table.keys.index(name)] = written[k]
        rest = iter(w for k, w in enumerate(written) if names[k] not in table.keys)
        call = f"{node.func}({', '.join(w if w is not None else next(rest) for w in order)})"
        self.report.error(
            say.MATRIX_KEYS_SWAPPED(table=node.func, keys=", ".join(table.keys)),
            node.span,
            say.MATRIX_KEYS_SWAPPED_HINT(call=call),
        )
        return True

    def group(self, node: ast.Group) -> ir.Expr:
        """A group aggregate (LANGUAGE.md §11), checked in `ksf.dsl.check_groups`."""
        arg = None if node.arg is None else self.number(node.arg)
        return lower_group(node, arg, self.report, self.defs)

    def _function(self, node: ast.Call, args: tuple[ir.Expr, ...]) -> ir.Expr:
        least, most = FUNCTIONS[node.func]
        if len(args) < least or (most is not None and len(args) > most):
            takes = _TAKES[least == most, least > 1]
            self.report.error(takes(func=node.func, count=least, given=len(args)), node.span)
            return ir.Const(math.nan)
        return ir.Op(node.func, args, span=node.span)

    def _unknown_call(self, node: ast.Call) -> None:
        known = [*FUNCTIONS, *self.tables]
        hint = (
            group_call_hint(node.func)
            or self.report.did_you_mean(node.func, known)
            or say.FUNCTIONS_ARE()
        )
        defined = self.defs.get(node.func)
        if defined is not None:
            kind = kinds.A_KINDS[type(defined).__name__.lower()]
            message = say.NOT_A_FUNCTION(func=node.func, kind=kind())
        else:
            message = say.UNKNOWN_FUNCTION(func=node.func)
        self.report.error(message, node.func_span, hint)


# How many arguments a function takes: (exactly, more than one) → the message.
_TAKES = {
    (True, True): say.TAKES_ARGUMENTS,
    (True, False): say.TAKES_ARGUMENT,
    (False, True): say.TAKES_AT_LEAST_ARGUMENTS,
    (False, False): say.TAKES_AT_LEAST_ARGUMENT,
}
