"""Monte Carlo of a plan (LANGUAGE.md §14): history rows drawn per card → `Simulation`.

A **run** is one simulated month of the whole team: each employee of a card draws one whole
row of that card's own history (uniformly, with replacement), so the indicators of a row stay
as they happened together. The history is evaluated once, by `Rulebook.evaluate`; as a card
pays each row from that row alone (cards that pool or aggregate over the team are refused),
an employee-month drawn from a row pays what the row paid, and the runs are sums of those
amounts in whole rounding units: exact, and 10,000 runs of 1,000 employees take well under a
second (benchmarks/bench_simulate.py measures it against a hand-written NumPy bootstrap).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ksf import ir
from ksf._typing import FloatArray, IntArray
from ksf.bind import Schema, bind
from ksf.catalogue import simulate as say
from ksf.codegen import line_names
from ksf.columns import Columns, from_data
from ksf.design.draws import Draws, draw, percentiles, team_months
from ksf.design.history import CardRows, chosen_cards, gross_profit, is_count, refuse_team_cards
from ksf.design.line_facts import LineFacts, line_facts
from ksf.design.simulation import CardSimulation, LineSimulation, Simulation
from ksf.errors import DataError
from ksf.ids import ID_COLUMNS
from ksf.money import from_units, round_half_up, to_units
from ksf.payroll import Payroll
from ksf.rows import card_rows, refuse_text_read_as_numbers
from ksf.rulebook import Rulebook
from ksf.standard import standard_library


def simulate(
    book: Rulebook,
    history: Any,
    *,
    runs: int = 10_000,
    seed: int = 0,
    employees: int | Mapping[str, int] | None = None,
    id: str | None = None,  # noqa: A002 - the name `ksf run --id` and the docs use
) -> Simulation:
    """Simulate ``runs`` months of the team's pay by resampling each card's own history.

    Args:
        book: the rules to simulate.
        history: past months, one row per employee per month (a mapping of columns, a pandas
            or polars DataFrame, a pyarrow Table), with the columns the cards read and a
            ``card`` column (unless the book has one card); a ``gross_profit`` column, or
            ``revenue`` and ``cogs``, for the cost as a share of gross profit.
        runs: the simulated months.
        seed: the seed of the draws; the same seed gives the same `Simulation`.
        employees: the employees per card each month: one number for every card, or a
            mapping by card (0 leaves a card out); by default, as many as the card's rows
            in the history's latest period (its ``period`` or ``month`` column).
        id: the history's id column (default: as `Rulebook.evaluate` finds it).

    Returns:
        Per card and line: the pay of an employee-month (P5/P50/P95), the cost, the share
        of gross profit, the share above and below the balance point, and the pay at
        history's best, balance and worst.

    Raises:
        ValueError: ``runs`` below 1, or an employee count that is not a whole number >= 0.
        DataError: a card with no history or a single row, a card that shares a pool or
            reads a group aggregate, the usual data errors of `Rulebook.evaluate` (naming
            the history's rows), a missing gross profit.
        KsfCompileError: a name a card reads that the history does not provide.

    Examples:
        >>> import ksf
        >>> book = ksf.compile("card s { base 5000; sales balance 100 step 10 reward 50 }")
        >>> sim = ksf.simulate(book, {"sales": [130, 80]}, runs=100, employees=1)
        >>> line = sim.card("s").line("sales")
        >>> line.best, line.balance, line.worst
        (150.0, 0.0, -100.0)
    """
    if not is_count(runs, 1):
        raise ValueError(say.BAD_RUNS(runs=repr(runs)))
    columns, chosen, programs = _prepared(book, history, employees, id)
    kept = np.sort(np.concatenate([card.rows for card in chosen]))
    payroll = _evaluate(book, columns, kept, id)
    # One stream per card of the file, so a card's draws do not move when another's change.
    streams = np.random.SeedSequence(seed).spawn(len(book.cards))
    results, months = [], []
    for card in chosen:
        rng = np.random.default_rng(streams[book.cards.index(card.name)])
        where = np.searchsorted(kept, card.rows)
        result, month_units = _card(programs[card.name], card, payroll, where, columns, rng, runs)
        results.append(result)
        months.append(month_units)
    return _simulation(book, payroll, seed, results, months)


def _simulation(
    book: Rulebook,
    payroll: Payroll,
    seed: int,
    cards: list[CardSimulation],
    months: list[IntArray],
) -> Simulation:
    """The cards' results, and the team's cost of each month: the cards' of that month."""
    team = team_months(months)
    runs, unit = len(team), payroll.rounding
    p5, p50, p95 = percentiles(team, np.ones(runs, dtype=np.int64))
    return Simulation(
        runs=runs,
        seed=seed,
        currency=payroll.currency,
        rounding=unit,
        rulebook_hash=book.hash,
        cards=tuple(cards),
        cost=_money(_mean_units(int(team.sum()), runs), unit),
        cost_p5=_money(p5, unit),
        cost_p50=_money(p50, unit),
        cost_p95=_money(p95, unit),
    )


def _prepared(
    book: Rulebook,
    history: Any,
    employees: int | Mapping[str, int] | None,
    id_column: str | None,
) -> tuple[Columns, list[CardRows], dict[str, ir.Card]]:
    """The history's columns, the cards to simulate with their rows, and those cards bound."""
    columns = from_data(history, keep_text=ID_COLUMNS if id_column is None else [id_column])
    names, card_of_row = card_rows(columns, None, book.cards)
    rows_of = {
        name: np.arange(columns.n_rows) if card_of_row is None else np.flatnonzero(card_of_row == k)
        for k, name in enumerate(names)
    }
    chosen = chosen_cards(book.cards, rows_of, columns, employees, id_column)
    # As `evaluate` does before binding: text in a column read as numbers names its rows.
    refuse_text_read_as_numbers(book.program, columns, [c.name for c in chosen])
    schema = Schema(frozenset(columns.numeric), frozenset(columns.text), frozenset())
    bound = bind(book.program, standard_library(), schema, {c.name for c in chosen})
    programs = {card.name: card for card in bound.cards}
    for card in chosen:
        refuse_team_cards(programs[card.name])
    return columns, chosen, programs


def _evaluate(book: Rulebook, columns: Columns, rows: IntArray, id_column: str | None) -> Payroll:
    """The history's payroll on ``rows``, errors naming the rows of the whole history.

    An employee is on one row per month, so the same id is on several rows: allowed here.
    """
    data = {name: values[rows] for name, values in (*columns.numeric.items(),
                                                     *columns.text.items())}  # fmt: skip
    try:
        return book.evaluate(data, id_column=id_column, allow_duplicate_ids=True)
    except DataError as error:
        checks = [(m, c, rows[list(r)].tolist()) for m, c, r in error.checks]
        raise type(error)(
            error.said,
            column=error.column,
            rows=rows[list(error.rows)],
            labels=error.labels,
            table=error.table,
            noun=error.noun,
            checks=checks,
        ) from None


def _card(
    card: ir.Card,
    chosen: CardRows,
    payroll: Payroll,
    where: IntArray,
    columns: Columns,
    rng: np.random.Generator,
    runs: int,
) -> tuple[CardSimulation, IntArray]:
    """One card's simulation, and its cost of each simulated month in rounding units."""
    unit = payroll.rounding
    amounts = {name: payroll[name][where] for name in line_names([card])}
    total = payroll.total[where]
    mine = Columns(
        len(chosen.rows),
        {k: v[chosen.rows] for k, v in columns.numeric.items()},
        {k: v[chosen.rows] for k, v in columns.text.items()},
    )
    facts = line_facts(card, mine, amounts, unit)
    draws = draw(rng, _units(total, unit), chosen.employees, runs)
    profit = gross_profit(columns, chosen.rows)
    profit_total = None if profit is None else float(np.dot(profit, draws.counts))
    lines = tuple(_line(f, amounts[f.name], draws, profit_total, unit) for f in facts)
    p5, p50, p95 = percentiles(total, draws.counts)
    cost_units = int(draws.month_units.sum())
    m5, m50, m95 = percentiles(draws.month_units, np.ones(runs, dtype=np.int64))
    result = CardSimulation(
        name=card.name,
        label=card.label,
        employees=chosen.employees,
        history_rows=len(chosen.rows),
        p5=p5,
        p50=p50,
        p95=p95,
        cost=_money(_mean_units(cost_units, runs), unit),
        cost_p5=_money(m5, unit),
        cost_p50=_money(m50, unit),
        cost_p95=_money(m95, unit),
        gross_profit=None if profit_total is None else _rounded(profit_total / runs, unit),
        cost_share=_share(cost_units, unit, profit_total),
        lines=lines,
    )
    return result, draws.month_units


def _line(
    facts: LineFacts, paid: FloatArray, draws: Draws, profit_total: float | None, unit: float
) -> LineSimulation:
    """One line's simulation from its history amounts and how often each row was drawn."""
    p5, p50, p95 = percentiles(paid, draws.counts)
    cost_units = int(np.dot(_units(paid, unit), draws.counts))
    drawn = int(draws.counts.sum())
    above = None if facts.above is None else int(draws.counts[facts.above].sum()) / drawn
    below = None if facts.below is None else int(draws.counts[facts.below].sum()) / drawn
    return LineSimulation(
        name=facts.name,
        label=facts.label,
        kind=facts.kind,
        p5=p5,
        p50=p50,
        p95=p95,
        share_above=above,
        share_below=below,
        cost=_money(_mean_units(cost_units, len(draws.month_units)), unit),
        cost_share=_share(cost_units, unit, profit_total),
        best=float(paid[facts.best_row]),
        balance=facts.balance,
        worst=float(paid[facts.worst_row]),
    )


def _units(amounts: FloatArray, unit: float) -> IntArray:
    """Rounded amounts as whole numbers of rounding units (cents), to add up exactly."""
    return to_units(amounts, unit).astype(np.int64)


def _mean_units(total: int, runs: int) -> int:
    """``total / runs`` rounded half-up to a whole unit, in integers (no float on the way)."""
    whole, rest = divmod(abs(total), runs)
    rounded = whole + (2 * rest >= runs)
    return rounded if total >= 0 else -rounded


def _money(units: float, unit: float) -> float:
    """Whole rounding units as an amount: the float nearest the decimal (cents / 100)."""
    return float(from_units(np.array([units], dtype=np.float64), unit)[0])


def _rounded(amount: float, unit: float) -> float:
    return float(round_half_up(np.array([amount]), unit)[0])


def _share(cost_units: int, unit: float, profit_total: float | None) -> float | None:
    """A cost over the gross profit of the same draws; None when there is none to share."""
    if profit_total is None or not profit_total > 0:
        return None
    return _money(cost_units, unit) / profit_total
