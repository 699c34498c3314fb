"""Names of card lines inside a card: a reference to an earlier line, and ``subtotal``.

Inside a card, the name of an earlier line stands for that line's rounded amount and
``subtotal`` for the sum of the rounded lines above (LANGUAGE.md 9). A balance rule takes
its indicator's name (`gross_margin balance 30% …`), so that name keeps meaning the
indicator: a rule's amount is referenced through an alias (`… as gm_pay`). The choices are
listed in docs/language.md §13.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import assert_never

import attrs

from ksf import ir
from ksf.catalogue import check as kinds
from ksf.catalogue import check_lines as say
from ksf.dsl import ast
from ksf.dsl.check_report import Report
from ksf.errors import RuleWarning, suggest
from ksf.message import Keyword
from ksf.source import Source, Span

SUBTOTAL = "subtotal"
# The names ksf gives lines, as a Chinese rule file and a Chinese payslip write them.
CHINESE_LINE_NAMES = {"小计": SUBTOTAL, "底薪": "base", "补贴": "allowance"}
COMMISSION_PREFIXES = ("提成_",)  # `提成_销售额` is the line `commission_销售额`


def _alias(clauses: Sequence[ast.AnyClause]) -> str | None:
    for clause in clauses:
        if isinstance(clause, ast.Clause) and clause.keyword == "as":
            return clause.value if isinstance(clause.value, str) else None
    return None


def line_name(item: ast.PayItem) -> str | None:
    """The name a card item's line will have, as `ksf.dsl.check_lines` gives it; None if none."""
    match item:
        case ast.Fixed():
            return item.alias or item.kind
        case ast.Share():
            return item.alias or item.pool
        case ast.Rule():
            own = item.expr.name if isinstance(item.expr, ast.Name) else None
            return _alias(item.clauses) or own
        case ast.Commission():
            own = (
                f"commission_{item.expr.name}" if isinstance(item.expr, ast.Name) else "commission"
            )
            return _alias(item.clauses) or own
        case ast.Bonus():
            return _alias(item.clauses) or "bonus"
        case _:
            assert_never(item)


def value_named(item: ast.PayItem) -> bool:
    """A balance rule named after the indicator it reads: that name means the indicator."""
    return (
        isinstance(item, ast.Rule)
        and isinstance(item.expr, ast.Name)
        and line_name(item) == item.expr.name
    )


@attrs.define
class LineScope:
    """The line names a card line's expressions may see, and those they may not."""

    card: str
    earlier: dict[str, int] = attrs.field(factory=dict)  # accepted lines above, by position
    lines: dict[str, tuple[int, Span]] = attrs.field(factory=dict)  # the card's, by item
    position: int = 0  # the item being checked
    current: str | None = None
    owners: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)  # every card's lines
    values: frozenset[str] = frozenset()  # names that mean an indicator (`value_named`)
    used: list[tuple[str, Span]] = attrs.field(factory=list)  # references, for data warnings

    def english(self, name: str) -> str:
        """`底薪` is the line `base` where such a line is above; `小计` is always `subtotal`."""
        english = _english_name(name)
        return english if english == SUBTOTAL or english in self.earlier else name

    def resolve(
        self, name: str, span: Span, report: Report, defs: Mapping[str, ast.Statement]
    ) -> ir.Expr | None:
        """The IR of a line name or ``subtotal``; None for a name that is no line's here."""
        name = self.english(name)
        if name == SUBTOTAL:
            return ir.Subtotal(len(self.earlier))
        if name in self.values:
            return None
        if name in self.earlier:
            if name in defs:
                kind = type(defs[name]).__name__.lower()
                report.error(
                    say.LINE_AND_DEFINITION(name=name, card=self.card, kind=kinds.A_KINDS[kind]()),
                    span,
                    say.LINE_AND_DEFINITION_HINT(alias=Keyword("as"), kind=kinds.KINDS[kind]()),
                )
            self.used.append((name, span))
            return ir.LineRef(name)
        if name in defs:
            return None
        if name == self.current:
            report.error(say.OWN_AMOUNT(name=name), span, say.OWN_AMOUNT_HINT())
            return ir.LineRef(name)
        later = self.lines.get(name)
        if later is not None and later[0] > self.position:
            report.error(
                say.COMES_LATER(name=name, card=self.card, line=later[1].line),
                span,
                say.COMES_LATER_HINT(),
            )
            return ir.LineRef(name)
        other = next((c for c in self.owners.get(name, ()) if c != self.card), None)
        if other is not None:
            report.error(
                say.OTHER_CARD(name=name, other=other, card=self.card), span, say.OTHER_CARD_HINT()
            )
            return ir.LineRef(name)
        return None


def _english_name(name: str) -> str:
    """A line name written the Chinese way (`底薪`, `小计`, `提成_销售额`) as ksf names it."""
    if name in CHINESE_LINE_NAMES:
        return CHINESE_LINE_NAMES[name]
    prefix = next((p for p in COMMISSION_PREFIXES if name.startswith(p)), None)
    return f"commission_{name[len(prefix) :]}" if prefix else name


def line_owners(cards: Sequence[ast.Card]) -> dict[str, tuple[str, ...]]:
    """Each line name → the cards that have a line so named (a balance rule's excluded)."""
    owners: dict[str, dict[str, None]] = {}
    values: set[str] = set()
    for card in cards:
        for item in card.items:
            if isinstance(item, ast.MinPay | ast.Missing):
                continue
            name = line_name(item)
            if name is not None and value_named(item):
                values.add(name)
            elif name is not None:
                owners.setdefault(name, {})[card.name] = None
    return {name: tuple(found) for name, found in owners.items() if name not in values}


NEAR = 0.85  # how alike a name and a line name must be to warn: a slip, not another word


def near_lines(
    program: ir.Program, source: Source, library: Mapping[str, ir.Named]
) -> list[RuleWarning]:
    """A name a card line reads that is spelt almost as a line above it, or `subtotal`.

    ``bonus 10% of comission_team_sales`` reads a column ``comission_team_sales`` (the text
    alone cannot tell it is not one); the data will say it is unknown. Said now, as a
    warning with the line names close to it: `ksf check` shows it before there is data.
    Standard indicators are names in their own right, never a slip.
    """
    found = []
    for card in program.cards:
        for position, line in enumerate(card.lines):
            earlier = [*(above.name for above in card.lines[:position]), SUBTOTAL]
            names = (n for e in ir.line_inputs(line) for n in ir.walk(e))
            for node in names:
                # A line's own name read as a name is its indicator (`毛利率 平衡点 …`):
                # `ksf.dsl.lint` says so where it matters.
                if not isinstance(node, ir.Free) or node.name in library or node.name in earlier:
                    continue
                close = difflib.get_close_matches(node.name, earlier, n=3, cutoff=NEAR)
                if close:
                    said = say.NEAR_A_LINE(name=node.name, card=card.name)
                    found.append(RuleWarning(said, node.span, source, suggest(node.name, close)))
    return found
