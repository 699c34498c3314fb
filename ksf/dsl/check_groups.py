"""Group aggregates and rankings (LANGUAGE.md §11): `sum(sales over team)` checked into IR.

`sum mean min max rank` take one value and `count` none; `over` names a data column (or
`all`). An aggregate inside another aggregate's value is refused: each is computed over the
whole evaluation before any card runs (`ksf.groups`), and one pre-pass is the contract.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ksf import ir
from ksf.dsl import ast
from ksf.dsl.check_report import Report

GROUP_OPS = ("sum", "mean", "min", "max", "count", "rank")
TAKES_VALUE = ("sum", "mean", "min", "max", "rank")
EXAMPLE = "sum(sales over team), count(over team), rank(gross_profit over all)"


def lower_group(
    node: ast.Group, arg: ir.Expr | None, report: Report, defs: Mapping[str, ast.Statement]
) -> ir.Expr:
    """The IR of a group aggregate whose value (``arg``) is already lowered."""
    if node.func not in GROUP_OPS:
        report.error(
            f"`over` does not apply to `{node.func}`: it is not a group aggregate",
            node.func_span,
            f"the aggregates are sum, mean, min, max, count and rank: {EXAMPLE}",
        )
        return ir.Const(math.nan)
    if node.func == "count" and node.arg is not None:
        report.error(
            "`count` counts the rows of a group and takes no value",
            node.arg.span,
            "write count(over team); to add values up, use sum(x over team)",
        )
        return ir.Const(math.nan)
    if node.func in TAKES_VALUE and arg is None:
        report.error(
            f"`{node.func}` needs a value before `over`",
            node.span,
            f"for example {node.func}(sales over {node.over or 'all'})",
        )
        return ir.Const(math.nan)
    if node.over is not None and node.over in defs:
        kind = type(defs[node.over]).__name__.lower()
        report.error(
            f"`over {node.over}` names the file's {kind}; a group is made by a data column",
            node.over_span,
            "name a column of the data (team, store, region…) or write `over all`",
        )
        return ir.Const(math.nan)
    if arg is not None and any(isinstance(n, ir.Group) for n in ir.walk(arg)):
        report.error(
            "an aggregate cannot be inside another aggregate's value",
            node.arg.span if node.arg is not None else node.span,
            "every aggregate is computed over the whole evaluation at once; "
            "give the inner figure to the data as a column instead",
        )
        return ir.Const(math.nan)
    if arg is not None and any(isinstance(n, ir.LineRef | ir.Subtotal) for n in ir.walk(arg)):
        report.error(
            "an aggregate cannot read a line of the card or `subtotal`",
            node.arg.span if node.arg is not None else node.span,
            "aggregates are computed over the whole evaluation before any card's lines; "
            "aggregate the figures the line is computed from (sum(sales over team)) instead",
        )
        return ir.Const(math.nan)
    return ir.Group(node.func, arg, node.over, text=report.text(node.span), span=node.span)


def group_call_hint(func: str) -> str | None:
    """A hint for ``sum(a, b)``: an aggregate written as a plain function, without `over`."""
    if func not in GROUP_OPS:
        return None
    arg = "" if func == "count" else "x "
    return f"`{func}` is a group aggregate and needs `over`: {func}({arg}over team) or over all"
