"""An expression or a clause as rule text, for ``ksf fmt`` and for messages that quote one.

Expressions get exactly the parentheses their structure needs, so ``parse(format(tree)) ==
tree``; keywords are written in one spelling, English or Chinese (``lang``, LANGUAGE.md §12).
The keyword list here decides which entry keys need quotes. This module sees only the AST.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import assert_never

from ksf.dsl import ast
from ksf.explain_words import Lang
from ksf.spelling import CHINESE_WORDS, ZH, word

# The grammar's reserved words, in both spellings: an entry key spelling one must be quoted.
# A test checks this set against the parser's.
# fmt: off
ENGLISH_KEYWORDS = frozenset((
    "above", "all", "allowance", "and", "as", "balance", "base", "baseline", "beyond", "bonus",
    "by", "cap", "card", "challenge", "column", "commission", "currency", "effective", "else",
    "floor",
    "higher_is_better", "indicator", "language", "lower_is_better", "min_pay", "missing", "not",
    "of", "or",
    "over", "per", "points", "pool", "pot", "penalty", "prorate", "rate", "retroactive", "reward",
    "rounding", "scaled_by", "score", "share", "split", "step", "table", "target", "weight", "when",
))
# fmt: on
KEYWORDS = ENGLISH_KEYWORDS | CHINESE_WORDS
_NAME = re.compile(r"[^\W\d]\w*")
_DECIMAL = re.compile(r"\d+(_\d+)*(\.\d+(_\d+)*)?")

# Binding strength of each operator (loosest first), and of the operands each side accepts.
_OR, _AND, _NOT, _COMPARE, _SUM, _PRODUCT, _UNARY, _OF, _ATOM = range(1, 10)
_BINARY = {
    "or": (_OR, _OR, _AND),
    "and": (_AND, _AND, _NOT),
    "+": (_SUM, _SUM, _PRODUCT),
    "-": (_SUM, _SUM, _PRODUCT),
    "*": (_PRODUCT, _PRODUCT, _UNARY),
    "/": (_PRODUCT, _PRODUCT, _UNARY),
    "of": (_OF, _ATOM, _UNARY),
    **dict.fromkeys(("<", "<=", ">", ">=", "==", "!="), (_COMPARE, _SUM, _SUM)),
}


def expression(node: ast.Expr, guard: frozenset[str] = frozenset(), lang: Lang = "en") -> str:
    """An expression as text, with the parentheses its structure needs and no others.

    ``guard``: words that must not be the first token (they would read as a keyword there);
    ``lang``: the spelling of ``and``, ``or``, ``not`` and ``of``.
    """
    return _expr(node, guard, lang)[0]


def _expr(node: ast.Expr, guard: frozenset[str], lang: Lang = "en") -> tuple[str, int]:
    """The text of ``node`` and how tightly it binds."""
    match node:
        case ast.Number():
            return node.text, _ATOM
        case ast.Name():
            return (f"({node.name})" if node.name in guard else node.name), _ATOM
        case ast.Call():
            text = f"{node.func}({', '.join(expression(a, lang=lang) for a in node.args)})"
            return (f"({text})" if node.func in guard else text), _ATOM
        case ast.Group():
            return _group(node, lang), _ATOM
        case ast.Unary():
            level = _NOT if node.op == "not" else _UNARY
            operand = _operand(node.operand, level, lang=lang)
            return (f"{word('not', lang)} {operand}" if node.op == "not" else f"-{operand}"), level
        case ast.Binary():
            level, left, right = _BINARY[node.op]
            op = word(node.op, lang)
            return (
                f"{_operand(node.left, left, guard, lang)} {op} "
                f"{_operand(node.right, right, lang=lang)}",
                level,
            )
        case _:
            assert_never(node)


def _group(node: ast.Group, lang: Lang) -> str:
    """``sum(sales over team)``; in Chinese ``over`` is `按` (the spelling of ``by`` too)."""
    over = ZH["by"] if lang == "zh" else "over"
    key = node.over if node.over is not None else word("all", lang)
    arg = "" if node.arg is None else expression(node.arg, lang=lang) + " "
    return f"{node.func}({arg}{over} {key})"


def _operand(
    node: ast.Expr, needed: int, guard: frozenset[str] = frozenset(), lang: Lang = "en"
) -> str:
    text, level = _expr(node, guard, lang)
    return text if level >= needed else f"({_expr(node, frozenset(), lang)[0]})"


def clause(node: ast.AnyClause, lang: Lang = "en") -> str:
    """One clause: ``step 1%``, ``prorate``, ``as gm``, ``when x > 0``, ``beyond 35% rate 2%``.

    ``lang``: the spelling of the keywords (``每 1%``, ``记为 gm`` in Chinese).
    """
    if isinstance(node, ast.Beyond):
        kind = word(node.kind, lang)
        at, amount = (_clause_value(v, lang) for v in (node.at, node.amount))
        return f"{word('beyond', lang)} {at} {kind} {amount}"
    value = node.value
    keyword = word(node.keyword, lang)
    if value is None:
        return keyword
    if node.keyword == "split_by":
        return f"{word('split by', lang)} {value}"
    if isinstance(value, str):
        return f"{keyword} {value}"
    if node.keyword not in ("scaled_by", "when") and not isinstance(value, ast.Number | ast.Name):
        # a value read per row (LANGUAGE.md §9) is parenthesised unless a number or a name
        return f"{keyword} ({expression(value, lang=lang)})"
    return f"{keyword} {expression(value, lang=lang)}"


def _clause_value(value: ast.Expr, lang: Lang) -> str:
    """A clause's number or name as written; any other value read per row in parentheses."""
    if isinstance(value, ast.Number):
        return value.text
    text = expression(value, lang=lang)
    return text if isinstance(value, ast.Name) else f"({text})"


def clauses(
    expr: ast.Expr,
    items: Sequence[ast.AnyClause],
    guard: frozenset[str] = frozenset(),
    lang: Lang = "en",
) -> str:
    """An expression and the clauses after it: ``sales balance 100 step 10 reward 50``."""
    return " ".join([expression(expr, guard, lang), *(clause(c, lang) for c in items)])


def label(text: str | None) -> str:
    """A statement's label as written after its name (`` "产品开发"``), or nothing."""
    return f' "{text}"' if text is not None else ""


def entry_key(key: str) -> str:
    """A ``by`` table's key, quoted when it is a keyword or not a name or a number."""
    bare = (_NAME.fullmatch(key) and key not in KEYWORDS) or _DECIMAL.fullmatch(key)
    return key if bare else f'"{key}"'
