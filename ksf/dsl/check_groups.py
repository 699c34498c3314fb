"""Group aggregates and rankings (LANGUAGE.md §11): `sum(sales over team)` checked into IR.

`sum mean min max rank` take one value and `count` none; `over` names a data column (or
`all`). An aggregate inside another aggregate's value is refused: each is computed over the
whole evaluation before any card runs (`ksf.groups`), and one pre-pass is the contract.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ksf import ir
from ksf.catalogue import check as say
from ksf.dsl import ast
from ksf.dsl.check_report import Report
from ksf.message import Keyword, Message

GROUP_OPS = ("sum", "mean", "min", "max", "count", "rank")
TAKES_VALUE = ("sum", "mean", "min", "max", "rank")
OVER, ALL = Keyword("over"), Keyword("all")


def lower_group(
    node: ast.Group, arg: ir.Expr | None, report: Report, defs: Mapping[str, ast.Statement]
) -> ir.Expr:
    """The IR of a group aggregate whose value (``arg``) is already lowered."""
    if node.func not in GROUP_OPS:
        report.error(
            say.NOT_AGGREGATE(over=OVER, func=node.func),
            node.func_span,
            say.AGGREGATES_ARE(over=OVER, all=ALL),
        )
        return ir.Const(math.nan)
    if node.func == "count" and node.arg is not None:
        report.error(say.COUNT_TAKES_NO_VALUE(), node.arg.span, say.COUNT_HINT(over=OVER))
        return ir.Const(math.nan)
    if node.func in TAKES_VALUE and arg is None:
        report.error(
            say.NEEDS_VALUE(func=node.func, over=OVER),
            node.span,
            say.NEEDS_VALUE_HINT(func=node.func, over=OVER, group=node.over or ALL),
        )
        return ir.Const(math.nan)
    if node.over is not None and node.over in defs:
        kind = say.KINDS[type(defs[node.over]).__name__.lower()]
        report.error(
            say.OVER_DEFINITION(over=OVER, name=node.over, kind=kind()),
            node.over_span,
            say.OVER_DEFINITION_HINT(over=OVER, all=ALL),
        )
        return ir.Const(math.nan)
    if arg is not None and any(isinstance(n, ir.Group) for n in ir.walk(arg)):
        report.error(
            say.NESTED_AGGREGATE(),
            node.arg.span if node.arg is not None else node.span,
            say.NESTED_AGGREGATE_HINT(),
        )
        return ir.Const(math.nan)
    if arg is not None and any(isinstance(n, ir.LineRef | ir.Subtotal) for n in ir.walk(arg)):
        report.error(
            say.AGGREGATE_OF_LINE(),
            node.arg.span if node.arg is not None else node.span,
            say.AGGREGATE_OF_LINE_HINT(over=OVER),
        )
        return ir.Const(math.nan)
    return ir.Group(node.func, arg, node.over, text=report.text(node.span), span=node.span)


def group_call_hint(func: str) -> Message | None:
    """A hint for ``sum(a, b)``: an aggregate written as a plain function, without `over`."""
    if func not in GROUP_OPS:
        return None
    arg = "" if func == "count" else "x "
    return say.AGGREGATE_AS_FUNCTION(func=func, arg=arg, over=OVER, all=ALL)
