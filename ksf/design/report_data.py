"""The figures of a plan report: rulebook + data → typed `ReportFacts`, before any HTML.

For each card: its rows' totals; for each balance and commission line, its payout curve
(`ksf.plot.curve`, the real kernels) widened to cover the data, and the line's input on
the card's rows (the indicator a person would see in ``explain``), computed over whole
columns by the same bound code the payroll runs; for every other line, what it paid. For
every row: who it is, its card and total, and its `Payroll.explain`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, assert_never

import attrs
import numpy as np

from ksf import ir
from ksf._typing import AnyArray, FloatArray, IntArray
from ksf.bind import Schema, bind
from ksf.catalogue import report as say
from ksf.codegen import compile_exprs
from ksf.columns import Columns, from_data
from ksf.errors import KsfError
from ksf.explain_words import Lang, people_row
from ksf.frame import run_code
from ksf.ids import PERIOD_COLUMNS
from ksf.message import Message
from ksf.payroll import Payroll
from ksf.payslip import explain_at, name_column_of
from ksf.plot.sweep import Curve, curve
from ksf.reasons import line_title
from ksf.rulebook import Rulebook
from ksf.standard import standard_library

MIN_PAY_LINE = "min_pay_topup"


@attrs.frozen
class LineChart:
    """A balance or commission line: its curve and its input's values on the card's rows."""

    title: str  # the line as a payslip names it (毛利率 for gross_margin in Chinese)
    curve: Curve
    inputs: FloatArray | None  # None: the input could not be computed from the data alone
    missing: int  # rows of the card whose input has no value


@attrs.frozen
class LineSummary:
    """A line drawn as no curve (base, allowance, bonus, share, min_pay): what it paid."""

    name: str
    title: str
    kind: Message
    amounts: FloatArray  # on the card's rows


@attrs.frozen
class CardFacts:
    """One card: its rows' totals, its curves and its other lines."""

    name: str
    label: str | None
    totals: FloatArray
    charts: tuple[LineChart, ...]
    others: tuple[LineSummary, ...]


@attrs.frozen
class SlipFacts:
    """One row's payslip as the report lists it: who, which card, the total, the arithmetic."""

    row: int
    employee_id: str
    name: str
    period: str
    card: str
    card_title: str  # the card's label (产品开发), else its name
    total: float
    explanation: str  # `Payroll.explain` of the row, headed with the row as people count it


@attrs.frozen
class ReportFacts:
    """Everything a plan report shows, in its language."""

    lang: Lang
    source_name: str
    rulebook_hash: str
    currency: str
    places: int  # the decimals of the rounding unit
    total: float
    cards: tuple[CardFacts, ...]
    slips: tuple[SlipFacts, ...]


def gather(
    book: Rulebook,
    data: Any,
    *,
    lang: Lang,
    params: Mapping[str, float] | None = None,
    **evaluate: Any,
) -> ReportFacts:
    """Evaluate ``data`` and collect what the report shows of every card, line and row.

    ``params`` and ``evaluate`` (``card``, ``id_column``, …) go to `Rulebook.evaluate`.

    Raises:
        KsfError: the data does not evaluate (as `Rulebook.evaluate` raises it).
    """
    payroll = book.evaluate(data, params=params, **evaluate)
    columns = from_data(data)
    cards = tuple(
        _card(book, payroll, columns, card, lang, params or {}) for card in book.program.cards
    )
    slips = _slips(book, payroll, columns, lang)
    return ReportFacts(
        lang=lang,
        source_name=book.source.name,
        rulebook_hash=payroll.rulebook_hash,
        currency=payroll.currency,
        places=payroll.decimals,
        total=float(payroll.total.sum()),
        cards=cards,
        slips=slips,
    )


def _slips(book: Rulebook, payroll: Payroll, columns: Columns, lang: Lang) -> tuple[SlipFacts, ...]:
    """Every row's payslip facts; the explanation runs the row's trace once (`explain_at`)."""
    found = columns.names()
    names = _column(columns, name_column_of(found, None))
    periods = _column(columns, next((p for p in PERIOD_COLUMNS if p in found), None))
    labels = {card.name: card.label or card.name for card in book.program.cards}
    ids, cards = payroll.ids, payroll.cards
    return tuple(
        SlipFacts(
            row=row,
            employee_id="" if ids is None else _text(ids[row]),
            name="" if names is None else _text(names[row]),
            period="" if periods is None else _text(periods[row]),
            card=str(cards[row]),
            card_title=labels.get(str(cards[row]), str(cards[row])),
            total=float(payroll.total[row]),
            explanation=explain_at(payroll, row, lang, people_row(row, lang)),
        )
        for row in range(len(payroll))
    )


def _column(columns: Columns, name: str | None) -> AnyArray | None:
    if name is None:
        return None
    return columns.text[name] if name in columns.text else columns.numeric[name]


def _text(value: Any) -> str:
    """A cell as text: a whole number without ``.0`` (202607), a missing one as empty."""
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        if float(value).is_integer():
            return str(int(value))
    return str(value)


def _card(
    book: Rulebook,
    payroll: Payroll,
    columns: Columns,
    card: ir.Card,
    lang: Lang,
    params: Mapping[str, float],
) -> CardFacts:
    rows = np.flatnonzero(payroll.cards == card.name)
    charts: list[LineChart] = []
    others: list[LineSummary] = []
    # A card no row uses says so and no more: no bars to draw under its curves, no medians
    # to draw a line read per row at, nothing paid.
    for line in card.lines if len(rows) else ():
        title = line_title(line, line.name, lang)
        match line:
            case ir.BalanceLine() | ir.CommissionLine():
                inputs = _inputs(book, card.name, line, columns, rows, params)
                charts.append(_chart(book, card.name, line, title, inputs, columns, lang))
            case ir.FixedLine() | ir.ByLine() | ir.BonusLine() | ir.ShareLine():
                amounts = _paid(payroll, line.name, rows)
                others.append(LineSummary(line.name, title, _kind(line), amounts))
            case _:
                assert_never(line)
    if card.min_pay is not None:
        title = line_title(None, MIN_PAY_LINE, lang)
        amounts = _paid(payroll, MIN_PAY_LINE, rows)
        others.append(LineSummary(MIN_PAY_LINE, title, say.KIND_MIN_PAY(), amounts))
    totals = np.asarray(payroll.total)[rows]
    return CardFacts(card.name, card.label, totals, tuple(charts), tuple(others))


def _paid(payroll: Payroll, line: str, rows: IntArray) -> FloatArray:
    """A line's amounts on ``rows``; none when no row of the data has the line's card."""
    if line not in payroll.lines:
        return np.zeros(0)
    paid: FloatArray = np.asarray(payroll[line])[rows]
    return paid


def _kind(line: ir.FixedLine | ir.ByLine | ir.BonusLine | ir.ShareLine) -> Message:
    """What a line that draws no curve is, in words."""
    match line:
        case ir.FixedLine():
            return say.KIND_FIXED()
        case ir.ByLine():
            return say.KIND_BY()
        case ir.BonusLine():
            return say.KIND_BONUS()
        case ir.ShareLine():
            return say.KIND_SHARE()
        case _:
            assert_never(line)


def _chart(
    book: Rulebook,
    card: str,
    line: ir.BalanceLine | ir.CommissionLine,
    title: str,
    inputs: FloatArray | None,
    columns: Columns,
    lang: Lang,
) -> LineChart:
    """The curve over its own range widened to the data's, and the input's known values."""
    held = {**columns.numeric, **columns.text}  # per-row clause values: drawn at the median
    drawn = curve(book, card, line.name, lang=lang, data=held)
    known = inputs[~np.isnan(inputs)] if inputs is not None else None
    if known is not None and len(known):
        wider = _covering(float(drawn.values[0]), float(drawn.values[-1]), known)
        if wider is not None:
            drawn = curve(book, card, line.name, wider, lang=lang, data=held)
    missing = 0 if inputs is None or known is None else len(inputs) - len(known)
    return LineChart(title, drawn, known, missing)


def _covering(low: float, high: float, known: FloatArray) -> tuple[float, float] | None:
    """The curve's range widened to every row's value, with a margin; None if it covers them.

    The margin (3% of the new width) keeps the outermost rows' bars off the chart's edge; it
    never takes a range that starts at 0 below it, where rates and counts cannot go.
    """
    least, most = float(known.min()), float(known.max())
    if low <= least and most <= high:
        return None
    margin = 0.03 * (max(high, most) - min(low, least))
    wider_low = least - margin if least < low else low
    if low >= 0:
        wider_low = max(wider_low, 0.0)
    return wider_low, (most + margin if most > high else high)


def _read(line: ir.BalanceLine | ir.CommissionLine) -> ir.Expr:
    """What a line reads: a balance rule's indicator, a commission's base."""
    match line:
        case ir.BalanceLine():
            return line.value
        case ir.CommissionLine():
            return line.base
        case _:
            assert_never(line)


def _inputs(
    book: Rulebook,
    card: str,
    line: ir.BalanceLine | ir.CommissionLine,
    columns: Columns,
    rows: IntArray,
    params: Mapping[str, float],
) -> FloatArray | None:
    """The value a line reads (its indicator, its commission base) on ``rows``, or None.

    The expression is bound to the data's schema and run over whole columns as the payroll
    runs it. A value that needs other rows or other lines (a group aggregate, a line
    reference) is left out: the curve is drawn without bars rather than with wrong ones.
    """
    probe = ir.BonusLine(name="probe", amount=_read(line))
    program = attrs.evolve(
        book.program, cards=(ir.Card(name=card, label=None, lines=(probe,)),), pools=()
    )
    schema = Schema(frozenset(columns.numeric), frozenset(columns.text), frozenset(params))
    try:
        (bound,) = bind(program, standard_library(), schema, {card}).cards[0].lines
    except KsfError:
        return None
    if not isinstance(bound, ir.BonusLine):  # the probe, bound: always a bonus line
        return None
    value = bound.amount
    if any(isinstance(node, ir.Group | ir.LineRef | ir.Subtotal) for node in ir.walk(value)):
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        found = run_code(compile_exprs([value]), columns, params, rows)[0]
    values: FloatArray = np.broadcast_to(np.asarray(found, dtype=np.float64), (len(rows),))
    return np.array(values)
