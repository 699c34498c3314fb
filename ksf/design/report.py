"""The plan report: one self-contained HTML file a comp manager can open (`ksf report`).

`report_html(book, data, lang=…)` lays out `ksf.design.report_data.gather`'s figures: per
card, the spread of its totals, each balance and commission line's payout curve over the
bars of the data's values (`ksf.design.report_svg`), what the other lines paid; then every
payslip with its full explanation, behind a search box.

With ``against`` (`ksf.diff`) and ``simulation`` (`ksf.simulate`) it adds their sections
(`ksf.design.report_sections`).

The file loads nothing: the charts are inline SVG, the style sheet and the search script
are in the page, fonts are the system's (a CJK stack first). Its Content-Security-Policy
allows nothing but that style sheet and that script (by hash), so even a value that
escaped escaping could not run or fetch. Every name, id, card and label is escaped.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ksf._typing import FloatArray
from ksf.catalogue import report as say
from ksf.design import report_page
from ksf.design.diff_values import PlanDiff
from ksf.design.report_data import (
    CardFacts,
    LineChart,
    LineSummary,
    ReportFacts,
    SlipFacts,
    gather,
)
from ksf.design.report_sections import diff_section, simulation_section
from ksf.design.report_svg import bar_chart, e, histogram, line_chart
from ksf.design.simulation import Simulation
from ksf.explain_words import Lang, check_lang, currency_word
from ksf.io.write import write_atomically
from ksf.reasons import money_text
from ksf.rulebook import Rulebook


def report_html(
    book: Rulebook,
    data: Any,
    *,
    lang: str = "en",
    against: PlanDiff | None = None,
    simulation: Simulation | None = None,
    **evaluate: Any,
) -> str:
    """The plan report of ``book`` on ``data``, as one HTML document.

    Args:
        book: the rulebook.
        data: the rows to evaluate (any form `Rulebook.evaluate` takes).
        lang: ``"en"`` or ``"zh"``: every word of the page, the curves' marks and the
            payslips' explanations.
        against: ``ksf.diff(old, book, data)``: the plan against the one it replaces, each
            card's winners and losers and the largest changes (a section before the
            payslips).
        simulation: ``ksf.simulate(book, history)``: each card's simulated months, line
            by line, from P5 to P95.
        evaluate: what `Rulebook.evaluate` takes besides the data (``params``, ``card``,
            ``id_column``, ``allow_duplicate_ids``).

    Raises:
        ValueError: a language ksf does not speak.
        KsfError: the data does not evaluate.
    """
    spoken = check_lang(lang)
    facts = gather(book, data, lang=spoken, **evaluate)
    links = [("against", say.AGAINST(old=against.old_name))] if against else []
    links += [("simulation", say.SIMULATION())] if simulation else []
    body = [_header(facts, [(anchor, said.text(spoken)) for anchor, said in links])]
    body.append(_totals(facts))
    body += [_card(facts, card, k) for k, card in enumerate(facts.cards)]
    if against is not None:
        body.append(diff_section(against, spoken))
    if simulation is not None:
        body.append(simulation_section(simulation, spoken))
    body.append(_payslips(facts))
    return page(say.TITLE().text(spoken), spoken, "".join(body))


def write_report(
    book: Rulebook, data: Any, path: str | Path, *, lang: str = "en", **options: Any
) -> None:
    """`report_html` written to ``path`` (UTF-8, replaced whole or not at all)."""
    text = report_html(book, data, lang=lang, **options)
    write_atomically(Path(path), text)


def page(title: str, lang: Lang, body: str) -> str:
    """A whole document: the style sheet and the search script, allowed by hash alone."""
    script, style = report_page.SCRIPT, report_page.STYLE
    policy = (
        "default-src 'none'; "
        f"style-src '{_digest(style)}'; script-src '{_digest(script)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        '<meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{style}</style></head>"
        f"<body>{body}<script>{script}</script></body></html>\n"
    )


def _digest(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _w(facts: ReportFacts, entry: Any, **figures: object) -> str:
    """A catalogue entry in the report's language, escaped."""
    return e(entry(**figures).text(facts.lang))


def _money(facts: ReportFacts, value: float) -> str:
    return money_text(value, facts.places)


def _card_name(card: CardFacts) -> str:
    return f"{card.name} {card.label}" if card.label and card.label != card.name else card.name


def _header(facts: ReportFacts, sections: Sequence[tuple[str, str]]) -> str:
    """The title, the figures of the whole payroll, and links to each section."""
    currency = currency_word(facts.currency, facts.lang)
    rows = sum(len(c.totals) for c in facts.cards)
    items = [
        (
            say.RULES,
            f"{e(facts.source_name)} · {_w(facts, say.VERSION, hash=facts.rulebook_hash[:12])}",
        ),
        (say.ROWS, f"{rows:,}"),
        (say.CARDS, ", ".join(e(_card_name(c)) for c in facts.cards)),
        (say.TOTAL_COST, f"{_money(facts, facts.total)} {e(currency)}"),
    ]
    shown = "".join(f"<div><dt>{_w(facts, k)}</dt><dd>{v}</dd></div>" for k, v in items)
    links = [f'<a href="#card-{k}">{e(_card_name(c))}</a>' for k, c in enumerate(facts.cards)]
    links += [f'<a href="#{anchor}">{e(word)}</a>' for anchor, word in sections]
    links.append(f'<a href="#payslips">{_w(facts, say.PAYSLIPS)}</a>')
    return (
        f'<header><h1>{_w(facts, say.TITLE)}</h1><dl class="facts">{shown}</dl>'
        f"<nav><b>{_w(facts, say.CONTENTS)}</b> {' · '.join(links)}</nav>"
        f'<p class="note">{_w(facts, say.CURVES_NOTE)}</p></header>'
    )


def _totals(facts: ReportFacts) -> str:
    """Each card's totals as bars, side by side, with its count, sum, median and range."""
    currency = currency_word(facts.currency, facts.lang)
    figures = []
    for k, card in enumerate(facts.cards):
        figures.append(
            f'<figure class="total"><figcaption><a href="#card-{k}">{e(_card_name(card))}'
            f"</a><br><small>{_card_facts(facts, card)}</small></figcaption>"
            f"{_totals_chart(facts, card, currency)}</figure>"
        )
    return (
        f'<section id="totals"><h2>{_w(facts, say.TOTALS)}</h2>'
        f'<div class="grid">{"".join(figures)}</div></section>'
    )


def _card_facts(facts: ReportFacts, card: CardFacts) -> str:
    if not len(card.totals):
        return _w(facts, say.NO_ROWS)
    t = card.totals
    return _w(
        facts,
        say.CARD_FACTS,
        rows=f"{len(t):,}",
        total=_money(facts, float(t.sum())),
        median=_money(facts, float(np.median(t))),
        low=_money(facts, float(t.min())),
        high=_money(facts, float(t.max())),
    )


def _totals_chart(facts: ReportFacts, card: CardFacts, currency: str) -> str:
    if not len(card.totals):
        return ""
    low, high = float(card.totals.min()), float(card.totals.max())
    if low == high:
        low, high = low - 500, high + 500  # one bar in the middle, not a bar of no width
    rows = say.ROW_COUNT().text(facts.lang)
    bars = histogram(card.totals, low, high, rows)
    label = say.TOTALS_AXIS(currency=currency).text(facts.lang)
    return bar_chart(bars, _amount_format, label, label)


def _card(facts: ReportFacts, card: CardFacts, k: int) -> str:
    charts = "".join(_chart(facts, chart) for chart in card.charts)
    curves = (
        f'<h3>{_w(facts, say.CURVES)}</h3><div class="grid">{charts}</div>' if card.charts else ""
    )
    return (
        f'<section class="card" id="card-{k}">'
        f"<h2>{_w(facts, say.CARD_HEADING, card=_card_name(card))}</h2>"
        f"<p>{_card_facts(facts, card)}</p>{curves}{_others(facts, card.others)}</section>"
    )


def _chart(facts: ReportFacts, chart: LineChart) -> str:
    """One line: its title, its rule as written, the chart, and what the bars leave out."""
    c = chart.curve
    x_format = _percent_format if c.percent else _number_format
    notes = [e(n) for n in c.notes]
    bars = None
    if chart.inputs is None:
        notes.append(_w(facts, say.NO_INPUT))
    elif len(chart.inputs):
        low, high = float(c.values[0]), float(c.values[-1])
        bars = histogram(chart.inputs, low, high, say.ROW_COUNT().text(facts.lang))
        notes.insert(0, _input_note(facts, chart, x_format))
    if chart.missing:
        notes.append(_w(facts, say.NO_VALUE, rows=f"{chart.missing:,}"))
    currency = currency_word(c.currency, facts.lang)
    svg = line_chart(
        values=c.values,
        amounts=c.amounts,
        family=[amounts for _, amounts in c.scaled],
        marks=c.marks,
        bounds=c.bounds,
        bars=bars,
        x_format=x_format,
        y_format=_amount_format,
        y_label=say.PAYS(currency=currency).text(facts.lang),
        caption=f"{chart.title}: {c.text}",
    )
    shown = "".join(f"<li>{n}</li>" for n in notes)
    return (
        f'<figure class="line"><figcaption><b>{e(_line_title(facts, chart))}</b>'
        f'<code>{e(c.text)}</code></figcaption>{svg}<ul class="note">{shown}</ul></figure>'
    )


def _line_title(facts: ReportFacts, chart: LineChart) -> str:
    """In Chinese, the line's label (毛利率) before its name; in English, its name."""
    c = chart.curve
    label = chart.title if chart.title != c.line else c.indicator_label
    if facts.lang == "zh" and label and label != c.line:
        return f"{label}（{c.line}）"
    return chart.title


def _input_note(facts: ReportFacts, chart: LineChart, x_format: Any) -> str:
    assert chart.inputs is not None  # noqa: S101 - the caller's branch
    c = chart.curve
    name = c.indicator_label if facts.lang == "zh" and c.indicator_label else c.indicator
    return _w(
        facts,
        say.HISTOGRAM_OF,
        input=name,
        rows=f"{len(chart.inputs):,}",
        median=_short(float(np.median(chart.inputs)), percent=c.percent),
    )


def _others(facts: ReportFacts, others: Sequence[LineSummary]) -> str:
    """The lines of no curve in a table: kind, rows paid, median, range and sum."""
    if not others:
        return ""
    heads = (say.LINE, say.KIND, say.PAID_ROWS, say.MEDIAN, say.LOWEST, say.HIGHEST, say.SUM)
    head = "".join(f"<th>{_w(facts, h)}</th>" for h in heads)
    rows = "".join(_other_row(facts, line) for line in others)
    return (
        f"<h3>{_w(facts, say.OTHER_LINES)}</h3>"
        f'<table class="others"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def _other_row(facts: ReportFacts, line: LineSummary) -> str:
    a: FloatArray = line.amounts
    figures = [np.median(a), a.min(), a.max(), a.sum()] if len(a) else []
    cells = "".join(f'<td class="amount">{_money(facts, float(f))}</td>' for f in figures)
    return (
        f"<tr><td>{e(line.title)}</td><td>{e(line.kind.text(facts.lang))}</td>"
        f'<td class="amount">{int(np.count_nonzero(a)):,}</td>{cells}</tr>'
    )


def _payslips(facts: ReportFacts) -> str:
    """Every payslip, folded, with the search box and the count the script keeps."""
    slips = "".join(_slip(facts, slip) for slip in facts.slips)
    heads = (say.EMPLOYEE, say.NAME, say.CARD, say.PERIOD, say.TOTAL)
    head = "".join(f"<span>{_w(facts, h)}</span>" for h in heads)
    template = say.SHOWN(shown="{shown}", all="{all}").text(facts.lang)
    count = template.format(shown=f"{len(facts.slips):,}", all=f"{len(facts.slips):,}")
    return (
        f'<section id="payslips"><h2>{_w(facts, say.PAYSLIPS)}</h2>'
        f'<div class="search"><input id="search" type="search" autocomplete="off" '
        f'placeholder="{_w(facts, say.SEARCH)}" aria-label="{_w(facts, say.SEARCH)}">'
        f'<span id="shown" data-template="{e(template)}">{e(count)}</span></div>'
        f'<div class="slip-head"><span></span>{head}</div><div id="slips">{slips}</div></section>'
    )


def _slip(facts: ReportFacts, slip: SlipFacts) -> str:
    keys = " ".join([slip.employee_id, slip.name, slip.card, slip.card_title])
    both = f"{slip.card} {slip.card_title}" if slip.card_title != slip.card else slip.card
    card = slip.card_title if facts.lang == "zh" else both
    total = f"{_money(facts, slip.total)} {currency_word(facts.currency, facts.lang)}"
    return (
        f'<details class="slip" data-id="{e(slip.employee_id)}" data-name="{e(slip.name)}" '
        f'data-card="{e(slip.card)}" data-keys="{e(keys)}"><summary><span class="fold">▸</span>'
        f'<span class="id">{e(slip.employee_id)}</span><span class="name">{e(slip.name)}</span>'
        f'<span class="card">{e(card)}</span><span class="period">{e(slip.period)}</span>'
        f'<span class="amount">{e(total)}</span></summary>'
        f"<pre>{e(slip.explanation)}</pre></details>"
    )


def _short(value: float, *, percent: bool) -> str:
    """A value to 4 significant figures (a median: 53.03%, 27,272)."""
    if percent:
        return f"{value * 100:.4g}%"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _percent_format(value: float) -> str:
    return f"{value * 100:.6g}%"


def _number_format(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.6g}"


def _amount_format(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
