"""A decision matrix's arguments against the data: the call whose two arguments look swapped.

``grade_coef(score, grade)`` for a table declared ``grade_coef(grade, score)``: the text
column lands on a number key and the number column on a text key. Binding (`ksf.bind`)
refuses it at the call with the order the table takes; the checks of text read as numbers
(`ksf.rows`, ``ksf run``) leave such columns to it, so the person sees "arguments look
swapped" at the call rather than "text where numbers" about one column.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from ksf import ir

Kind = str | None  # "text", "number", or None: a name the data does not have


def arg_kind(arg: ir.Expr, numeric: Collection[str], text: Collection[str]) -> Kind:
    """What an argument gives a key: a text column, numbers, or (None) a name not in the data."""
    if not isinstance(arg, ir.Free):
        return "number"  # an expression, a definition or a constant is a number
    if arg.name in numeric:
        return "number"
    return "text" if arg.name in text else None


def fits(spec: ir.MatrixSpec, key: int, kind: Kind) -> bool:
    """Whether key ``key`` takes an argument of ``kind`` (a key of `*` cells takes either)."""
    if spec.text_keys[key]:
        return kind == "text"
    return spec.may_be_text(key) or kind == "number"


def swapped_keys(
    spec: ir.MatrixSpec, args: Sequence[ir.Expr], numeric: Collection[str], text: Collection[str]
) -> tuple[int, int] | None:
    """Two keys whose arguments fit each other's key, not their own; None when none do.

    Every other argument must fit its key, so that swapping the two makes the whole call fit.
    ``numeric`` and ``text``: the data's number and text columns.
    """
    kinds = [arg_kind(a, numeric, text) for a in args]
    own = [fits(spec, k, kind) for k, kind in enumerate(kinds)]
    for i in range(len(kinds)):
        for j in range(i + 1, len(kinds)):
            others = all(own[k] for k in range(len(kinds)) if k not in (i, j))
            crossed = fits(spec, i, kinds[j]) and fits(spec, j, kinds[i])
            if others and crossed and not (own[i] and own[j]):
                return (i, j)
    return None


def swapped_call(node: ir.MatrixLookup, pair: tuple[int, int]) -> str:
    """The call with the two arguments in the table's order: ``grade_coef(grade, score)``."""
    texts = [a.name if isinstance(a, ir.Free) else "…" for a in node.args]
    i, j = pair
    texts[i], texts[j] = texts[j], texts[i]
    return f"{node.table.name}({', '.join(texts)})"


def swapped_columns(
    exprs: Iterable[ir.Expr], numeric: Collection[str], text: Collection[str]
) -> set[str]:
    """The columns passed to a matrix in a call whose arguments look swapped (bind reports it)."""
    found: set[str] = set()
    for expr in exprs:
        for node in ir.walk(expr):
            if not isinstance(node, ir.MatrixLookup):
                continue
            if swapped_keys(node.table, node.args, numeric, text) is not None:
                found |= {a.name for a in node.args if isinstance(a, ir.Free)}
    return found
