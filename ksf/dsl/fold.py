"""IR expression → what its literals alone decide: its constant value, its depth, its steps.

The checker uses these to refuse, before any data is known, a division by an expression that
is always 0, an expression nested past `MAX_IR_DEPTH`, and a `beyond` point off the step grid.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ksf import ir
from ksf.catalogue import check as say
from ksf.kernels.balance import steps_apart
from ksf.message import Keyword, Message
from ksf.money import MAX_UNITS

# What the checker says when an amount written in the rules is past `MAX_UNITS`.
LIMIT_HINT = say.LIMIT_HINT(rounding=Keyword("rounding"))

# Every later stage (binding, hashing, compiling) recurses over expressions; an indicator
# defined through a chain of others nests as deep as the chain. 200 keeps them all far from
# Python's recursion limit and is far beyond any pay rule (the parser's own limit is 200).
MAX_IR_DEPTH = 200

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


def ir_depth(root: ir.Expr, memo: dict[int, int]) -> int:
    """How deeply an IR expression nests, without recursion.

    ``memo`` holds the depth of definitions (`ir.Named`) already measured, by ``id``; the
    caller keeps those nodes alive, so an id stays its node's own.
    """
    depth: dict[int, int] = {}
    stack: list[tuple[ir.Expr, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if key in depth or key in memo:
            continue
        kids = ir.children(node)
        if expanded or not kids:
            depth[key] = 1 + max((memo.get(id(k)) or depth.get(id(k), 0) for k in kids), default=0)
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in kids)
    found = memo.get(id(root)) or depth[id(root)]
    if isinstance(root, ir.Named):
        memo[id(root)] = found
    return found


def steps_between(start: float, end: float, step: float) -> float:
    """Distance from ``start`` to ``end`` in steps, with float noise removed.

    (0.33 - 0.30) / 0.01 is 3.0000000000000027 in floats and (100000.01 - 100000) / 0.01 is
    1.00000000093: both are whole steps (`ksf.kernels.balance.steps_apart`).
    """
    return steps_apart(start, end, step)


def past_limit(what: object, text: str, amount: float, unit: float) -> Message | None:
    """Why an amount written in the rules can never be paid, or None when it can.

    Totals past `MAX_UNITS` rounding units are refused when a payroll is computed, so a
    `min_pay`, `base`, `allowance`, `cap` or `floor` past them is refused in the text.
    ``what`` names the amount (a `Keyword`, or a message) and ``text`` is it as written.
    """
    limit = MAX_UNITS * unit
    if abs(amount) <= limit:
        return None
    return say.PAST_LIMIT(what=what, amount=text, limit=f"{limit:,.0f}", unit=f"{unit:g}")
