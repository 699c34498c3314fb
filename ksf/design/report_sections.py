"""The plan report's sections for a diff (``--against OLD``) and a simulation (``--simulate``).

Each takes the typed value its module returns (`ksf.diff` → `PlanDiff`, `ksf.simulate` →
`Simulation`) and lays it out: the diff as its headline, each card's changes as bars, and
the diff's own tables (`ksf.design.diff_tables`, the same words as ``ksf diff``); the
simulation as each card's P5–P95 ranges, line by line, and its figures in a table with the
words of ``ksf simulate``.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from ksf.catalogue import diff as diff_words
from ksf.catalogue import report as say
from ksf.catalogue import simulate as sim_words
from ksf.design.diff_tables import Cell, Sheet, card_sheet, employee_sheet, headline, money_text
from ksf.design.diff_values import CardChange, PlanDiff
from ksf.design.report_svg import bar_chart, e, histogram, range_chart
from ksf.design.simulation import CardSimulation, LineSimulation, Simulation
from ksf.explain_words import Lang, currency_word, line_word
from ksf.money import unit_decimals

MOST_ROWS = 200  # the changed rows listed; the diff's own files (ksf diff -o) hold them all


def diff_section(diff: PlanDiff, lang: Lang) -> str:
    """The new plan against the old: the headline, each card's changes, the tables."""
    d = diff.decimals
    currency = currency_word(diff.currency, lang)
    figures = "".join(_card_changes(diff, card, currency, lang) for card in diff.cards)
    people = employee_sheet(diff, lang)
    changed = tuple(row for row, who in zip(people.rows, diff.employees, strict=True) if who.lines)
    listed = sorted(changed, key=lambda row: -abs(float(row[-2] or 0)))[:MOST_ROWS]
    note = say.LARGEST_CHANGES(shown=f"{len(listed):,}", all=f"{len(changed):,}").text(lang)
    rows = _table(attrs.evolve(people, rows=tuple(listed)), d) if changed else ""
    return (
        f'<section id="against"><h2>{e(say.AGAINST(old=diff.old_name).text(lang))}</h2>'
        f"<p>{e(headline(diff, lang))}</p>"
        f'<div class="grid">{figures}</div>{_table(card_sheet(diff, lang), d)}'
        f'<h3>{e(people.name)}</h3><p class="note">{e(note)}</p>{rows}</section>'
    )


def _card_changes(diff: PlanDiff, card: CardChange, currency: str, lang: Lang) -> str:
    """One card's changes per row as bars, with its winners, losers and cost."""
    changes = np.array([x.change for x in diff.employees if x.card == card.card], dtype=float)
    low, high = (float(changes.min()), float(changes.max())) if len(changes) else (0.0, 0.0)
    if low == high:
        low, high = low - 100, high + 100  # nobody's pay moves: one bar in the middle
    rows = say.ROW_COUNT().text(lang)
    axis = say.CHANGE_AXIS(currency=currency).text(lang)
    chart = bar_chart(histogram(changes, low, high, rows), _amount, axis, axis)
    counts = [
        f"{w().text(lang)} {n:,}"
        for w, n in (
            (diff_words.WINNERS, card.winners),
            (diff_words.LOSERS, card.losers),
            (diff_words.UNCHANGED, card.unchanged),
        )
    ]
    cost = " → ".join(money_text(v, diff.decimals) for v in (card.old_cost, card.new_cost))
    change = money_text(card.cost_change, diff.decimals, signed=True)
    name = f"{card.card} {card.label}".rstrip()
    return (
        f'<figure class="total"><figcaption><b>{e(name)}</b><br><small>'
        f"{e(' · '.join(counts))} · {e(cost)} ({e(change)})</small></figcaption>{chart}</figure>"
    )


def _table(sheet: Sheet, decimals: int) -> str:
    """A diff's table: amounts to the unit's places, changes with their sign."""

    def cell(k: int, value: Cell) -> str:
        if isinstance(value, float) and k in sheet.money:
            text = money_text(value, decimals, signed=k in sheet.signed)
            return f'<td class="amount">{e(text)}</td>'
        shown = "" if value is None else str(value)
        kind = ' class="amount"' if isinstance(value, int | float) else ""
        return f"<td{kind}>{e(shown)}</td>"

    head = "".join(f"<th>{e(h)}</th>" for h in sheet.head)
    body = "".join(
        f"<tr>{''.join(cell(k, v) for k, v in enumerate(row))}</tr>" for row in sheet.rows
    )
    return (
        f'<div class="wide"><table class="others"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def simulation_section(sim: Simulation, lang: Lang) -> str:
    """The simulated months: the team's cost, then each card's ranges and figures."""
    places = unit_decimals(sim.rounding)
    rows = sum(card.history_rows for card in sim.cards)
    currency = currency_word(sim.currency, lang)
    title = sim_words.TITLE(
        runs=f"{sim.runs:,}", rows=f"{rows:,}", seed=sim.seed, currency=currency
    )
    costs = [_money(v, places) for v in (sim.cost_p5, sim.cost_p50, sim.cost_p95, sim.cost)]
    team = sim_words.TEAM_COST(p5=costs[0], p50=costs[1], p95=costs[2], mean=costs[3])
    notes = (sim_words.NOTE_PAY, sim_words.NOTE_SIDES, sim_words.NOTE_COST, sim_words.NOTE_MARKS)
    shown = "".join(f"<li>{e(n().text(lang))}</li>" for n in notes)
    cards = "".join(_simulated_card(card, places, currency, lang) for card in sim.cards)
    return (
        f'<section id="simulation"><h2>{e(say.SIMULATION().text(lang))}</h2>'
        f"<p>{e(title.text(lang))}</p><p><b>{e(team.text(lang))}</b></p>{cards}"
        f'<ul class="note">{shown}</ul></section>'
    )


def _simulated_card(card: CardSimulation, places: int, currency: str, lang: Lang) -> str:
    """A card: its total and each line from P5 to P95 on one axis, then the table."""
    name = f"{card.name} ({card.label})" if card.label else card.name
    heading = sim_words.CARD_HEADING(card=name, employees=card.employees, rows=card.history_rows)
    costs = [_money(v, places) for v in (card.cost_p5, card.cost_p50, card.cost_p95)]
    cost = sim_words.CARD_COST(p5=costs[0], p50=costs[1], p95=costs[2])
    ranges = [(sim_words.TOTAL().text(lang), card.p5, card.p50, card.p95)]
    ranges += [(_title(line, lang), line.p5, line.p50, line.p95) for line in card.lines]
    axis = say.RANGE_AXIS(currency=currency).text(lang)
    return (
        f"<h3>{e(heading.text(lang))}</h3><p>{e(cost.text(lang))}</p>"
        f'<figure class="range">{range_chart(ranges, _amount, axis)}</figure>'
        f"{_simulated_table(card, places, lang)}"
    )


def _simulated_table(card: CardSimulation, places: int, lang: Lang) -> str:
    words = [sim_words.HEAD_ABOVE, sim_words.HEAD_BELOW, sim_words.HEAD_COST, sim_words.HEAD_SHARE]
    words += [sim_words.HEAD_BEST, sim_words.HEAD_BALANCE, sim_words.HEAD_WORST]
    head = [sim_words.HEAD_LINE().text(lang), "P5", "P50", "P95", *(w().text(lang) for w in words)]
    heads = "".join(f"<th>{e(h)}</th>" for h in head)
    body = "".join(_simulated_row(line, places, lang) for line in card.lines)
    return f'<table class="others"><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>'


def _simulated_row(line: LineSimulation, places: int, lang: Lang) -> str:
    na = sim_words.NOT_APPLICABLE().text(lang)
    cells: Sequence[str] = [
        *(_money(v, places) for v in (line.p5, line.p50, line.p95)),
        _share(line.share_above, na),
        _share(line.share_below, na),
        _money(line.cost, places),
        _share(line.cost_share, na, 2),
        _money(line.best, places),
        _money(line.balance, places, na),
        _money(line.worst, places),
    ]
    shown = "".join(f'<td class="amount">{e(c)}</td>' for c in cells)
    return f"<tr><td>{e(_title(line, lang))}</td>{shown}</tr>"


def _title(line: LineSimulation, lang: Lang) -> str:
    return line.name if lang == "en" else line.label or line_word(line.name, lang)


def _money(value: float | None, places: int, missing: str = "") -> str:
    return missing if value is None else f"{value:,.{places}f}"


def _share(value: float | None, missing: str, places: int = 1) -> str:
    return missing if value is None else f"{value:.{places}%}"


def _amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
