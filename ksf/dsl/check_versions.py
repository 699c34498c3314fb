"""Versions of a card (LANGUAGE.md §13): each ``effective`` month read, and checked by name.

A name may have several versions, each with its own ``effective`` month; a card without
``effective`` is in force in every period, so it must be the only version of its name.
"""

from __future__ import annotations

from collections.abc import Sequence

from ksf.catalogue import periods as say
from ksf.dsl import ast
from ksf.dsl.check_report import Report
from ksf.message import Keyword
from ksf.periods import Period, PeriodError

_EFFECTIVE = Keyword("effective")


def effective_month(node: ast.Card, report: Report) -> Period | None:
    """The month a card's version takes effect in; None without one, or when it is wrong."""
    if node.effective is None:
        return None
    try:
        period = Period.parse(node.effective)
    except PeriodError as error:
        report.error(error.said, node.effective_span, say.EFFECTIVE_HINT(effective=_EFFECTIVE))
        return None
    if period.kind == "quarter":
        month = str(period.first_month)
        report.error(
            say.EFFECTIVE_QUARTER(card=node.name, text=node.effective),
            node.effective_span,
            say.EFFECTIVE_QUARTER_HINT(effective=_EFFECTIVE, month=month, text=node.effective),
        )
        return None
    return period


def versions_of(cards: Sequence[ast.Card], months: Sequence[Period | None], report: Report) -> None:
    """Report the versions of one name that a period could not choose between.

    ``months`` are the cards' `effective_month` (None where absent or wrong), in order.
    """
    by_name: dict[str, list[int]] = {}
    for position, card in enumerate(cards):
        by_name.setdefault(card.name, []).append(position)
    for positions in by_name.values():
        if len(positions) < 2:
            continue
        if any(cards[p].effective is None for p in positions):
            first = cards[positions[0]]
            for p in positions[1:]:
                hint = say.UNVERSIONED_TWICE_HINT(line=first.span.line, effective=_EFFECTIVE)
                message = say.UNVERSIONED_TWICE(card=first.name, effective=_EFFECTIVE)
                report.error(message, cards[p].name_span, hint)
            continue
        seen: dict[Period, ast.Card] = {}
        for p in positions:
            month = months[p]
            if month is None:
                continue
            if month in seen:
                hint = say.TWO_VERSIONS_SAME_MONTH_HINT(line=seen[month].span.line)
                message = say.TWO_VERSIONS_SAME_MONTH(card=cards[p].name, month=month)
                report.error(message, cards[p].effective_span, hint)
            else:
                seen[month] = cards[p]
