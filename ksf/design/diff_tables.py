"""A `PlanDiff` laid out as the tables a person reads: by card, by employee, lines changed.

The terminal (``ksf diff``), the workbook (`ksf.design.diff_xlsx`) and the HTML page
(`ksf.design.diff_files`) all show these tables, in English or Chinese; each cell is text,
a count or an amount, and the sheet says which columns hold amounts and changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from ksf.catalogue import diff as say
from ksf.design.diff import CardChange, EmployeeChange, PlanDiff
from ksf.explain_words import Lang, currency_word
from ksf.message import Say

Cell = str | float | int | None


@attrs.frozen
class Sheet:
    """One table of a diff: headings, rows, and which columns hold amounts."""

    name: str
    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    money: frozenset[int]  # columns of amounts; the others are text or counts
    signed: frozenset[int]  # columns of changes, written with their sign (+300.00)
    footer: tuple[Cell, ...] | None = None


def money_text(value: float, decimals: int, *, signed: bool = False) -> str:
    """An amount as people write it, ``12,933.83``; ``signed``: ``+300.00``, ``-300.00``."""
    if signed and value != 0:
        return f"{value:+,.{decimals}f}"
    return f"{value:,.{decimals}f}"


def _words(lang: Lang, *entries: Say) -> tuple[str, ...]:
    return tuple(entry().text(lang) for entry in entries)


def _who_head(diff: PlanDiff, lang: Lang) -> tuple[str, ...]:
    """The columns naming a row: its id and period, or its row number."""
    if diff.id_column is None:
        return _words(lang, say.WHO)
    has_period = any(e.period is not None for e in diff.employees)
    return _words(lang, say.ID, say.PERIOD) if has_period else _words(lang, say.ID)


def _who(employee: EmployeeChange, width: int, lang: Lang) -> tuple[Cell, ...]:
    if employee.id is None:
        return (employee.label(lang),)
    return (employee.id, employee.period)[:width]


def card_sheet(diff: PlanDiff, lang: Lang) -> Sheet:
    """By card: winners and losers (count, median, largest and who), costs, lines added/removed."""
    head = _words(lang, say.CARD, say.ROWS)
    head += _words(lang, say.WINNERS, say.MEDIAN_GAIN, say.LARGEST_GAIN, say.WHO)
    head += _words(lang, say.LOSERS, say.MEDIAN_LOSS, say.LARGEST_LOSS, say.WHO)
    head += _words(lang, say.UNCHANGED, say.MEDIAN, say.OLD_COST, say.NEW_COST, say.COST_CHANGE)
    head += _words(lang, say.LINES_ADDED, say.LINES_REMOVED)
    rows = tuple(_card_row(c, lang, diff.title) for c in diff.cards)
    winners, losers, unchanged = _counts(diff.cards)
    rows_in_all = sum(c.rows for c in diff.cards)
    blanks: tuple[Cell, ...] = (None, None, None)
    costs = (diff.old_cost, diff.new_cost, diff.cost_change)
    footer = (say.ALL_CARDS().text(lang), rows_in_all, winners, *blanks, losers, *blanks,
              unchanged, None, *costs, "", "")  # fmt: skip
    money, signed = frozenset({3, 4, 7, 8, 11, 12, 13, 14}), frozenset({3, 4, 7, 8, 11, 14})
    return Sheet(say.SHEET_CARDS().text(lang), head, rows, money, signed, footer)


def _card_name(card: CardChange) -> str:
    """The card's name and its label: ``operator 运营推广``."""
    return f"{card.card} {card.label}".rstrip()


def _counts(cards: Sequence[CardChange]) -> list[int]:
    return [sum(c.winners for c in cards), sum(c.losers for c in cards),
            sum(c.unchanged for c in cards)]  # fmt: skip


def _card_row(card: CardChange, lang: Lang, titles: Callable[[str, Lang], str]) -> tuple[Cell, ...]:
    gain_by = card.largest_gain_by.label(lang) if card.largest_gain_by else ""
    loss_by = card.largest_loss_by.label(lang) if card.largest_loss_by else ""
    return (
        _card_name(card),
        card.rows,
        card.winners,
        card.median_gain if card.winners else None,
        card.largest_gain if card.largest_gain_by else None,
        gain_by,
        card.losers,
        card.median_loss if card.losers else None,
        card.largest_loss if card.largest_loss_by else None,
        loss_by,
        card.unchanged,
        card.median_change,
        card.old_cost,
        card.new_cost,
        card.cost_change,
        ", ".join(titles(line, lang) for line in card.lines_added),
        ", ".join(titles(line, lang) for line in card.lines_removed),
    )


def employee_sheet(diff: PlanDiff, lang: Lang) -> Sheet:
    """By employee: every row's totals under both rulebooks and the names of its changed lines."""
    who = _who_head(diff, lang)
    head = (*who, *_words(lang, say.CARD, say.OLD_TOTAL, say.NEW_TOTAL, say.CHANGE))
    head += _words(lang, say.SHEET_LINES)
    rows = tuple(
        (
            *_who(e, len(who), lang),
            e.card,
            e.old_total,
            e.new_total,
            e.change,
            ", ".join(diff.title(line.line, lang) for line in e.lines),
        )
        for e in diff.employees
    )
    at = len(who) + 1
    costs = (diff.old_cost, diff.new_cost, diff.cost_change)
    footer = (say.TOTAL().text(lang), *([None] * (at - 1)), *costs, None)
    money, signed = frozenset(range(at, at + 3)), frozenset({at + 2})
    return Sheet(say.SHEET_EMPLOYEES().text(lang), head, rows, money, signed, footer)


def line_sheet(diff: PlanDiff, lang: Lang) -> Sheet:
    """Every line that changed: both amounts, the change and both explanations."""
    who = _who_head(diff, lang)
    head = (*who, *_words(lang, say.CARD, say.LINE, say.OLD, say.NEW, say.CHANGE))
    head += _words(lang, say.OLD_HOW, say.NEW_HOW)
    absent = say.NOT_ON_CARD().text(lang)
    rows = tuple(
        (
            *_who(e, len(who), lang),
            e.card,
            diff.title(line.line, lang),
            line.old,
            line.new,
            line.change,
            line.old_explanation or absent,
            line.new_explanation or absent,
        )
        for e in diff.changed
        for line in e.lines
    )
    at = len(who) + 2
    money, signed = frozenset(range(at, at + 3)), frozenset({at + 2})
    return Sheet(say.SHEET_LINES().text(lang), head, rows, money, signed)


def headline(diff: PlanDiff, lang: Lang) -> str:
    """One sentence: rows, the cost before and after, winners, losers, unchanged."""
    d = diff.decimals
    winners, losers, unchanged = _counts(diff.cards)
    return say.HEADLINE(
        rows=f"{len(diff.employees):,}",
        old_cost=money_text(diff.old_cost, d),
        new_cost=money_text(diff.new_cost, d),
        currency=currency_word(diff.currency, lang),
        change=money_text(diff.cost_change, d, signed=True),
        winners=f"{winners:,}",
        losers=f"{losers:,}",
        unchanged=f"{unchanged:,}",
    ).text(lang)
