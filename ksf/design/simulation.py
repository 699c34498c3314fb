"""What `ksf.simulate` returns: per card and per line, the simulated pay and its cost.

Typed, frozen values (`Simulation` ⊃ `CardSimulation` ⊃ `LineSimulation`), so a program (or
``ksf report``) reads ``sim.card("operator").line("acos").p50`` rather than a dict's keys.
Every amount of money is a whole number of the rulebook's rounding units (exact to the cent);
shares are fractions (0.25 is 25%).
"""

from __future__ import annotations

from typing import Literal

import attrs

LineKind = Literal["fixed", "balance", "commission", "bonus", "share", "min_pay"]


@attrs.frozen(kw_only=True)
class LineSimulation:
    """One line of a card, over every simulated month of every employee of the card.

    Attributes:
        name: the line's name, as in the payroll (``gross_margin``, ``min_pay_topup``).
        label: the label of the indicator a balance line is named after (``毛利率``), as
            payslips title the line in Chinese; None for other lines.
        kind: ``fixed`` (base, allowance), ``balance``, ``commission``, ``bonus``, ``share``
            or ``min_pay`` (the top-up).
        p5, p50, p95: one employee's amount in a simulated month: the smallest amount that
            at least 5%, 50%, 95% of the simulated employee-months are at or below.
        share_above, share_below: for a balance line, the share of simulated employee-months
            whose indicator is on the good side (above, for ``higher_is_better``) or the bad
            side of the balance point; None for other kinds (no balance point).
        cost: the line's mean cost a month for the card's simulated team.
        cost_share: ``cost`` as a share of the gross profit of the same months (None when
            the history has no gross profit, or it is not positive).
        best, worst: the line's amount in history's best and worst row for its indicator
            (balance lines: by the indicator and its direction; commission lines: the
            highest and lowest commission base); for other kinds, the highest and lowest
            amount the line paid in history.
        balance: a balance line's amount at its balance point (its pot, within its cap and
            floor); None for other kinds.
    """

    name: str
    label: str | None
    kind: LineKind
    p5: float
    p50: float
    p95: float
    share_above: float | None
    share_below: float | None
    cost: float
    cost_share: float | None
    best: float
    balance: float | None
    worst: float


@attrs.frozen(kw_only=True)
class CardSimulation:
    """One card's simulated team.

    Attributes:
        name, label: the card's name and its label in the rule file (None without one).
        employees: the employees simulated each month.
        history_rows: the rows of history the months were drawn from.
        p5, p50, p95: one employee's total pay in a simulated month.
        cost: the card's mean cost a month (all its employees' totals).
        cost_p5, cost_p50, cost_p95: the percentiles of the card's cost a month.
        gross_profit: the mean gross profit a month of the rows drawn (None: no such data).
        cost_share: ``cost`` as a share of ``gross_profit`` (None: none, or not positive).
        lines: the card's lines, in card order; their ``cost`` add up to the card's.
    """

    name: str
    label: str | None
    employees: int
    history_rows: int
    p5: float
    p50: float
    p95: float
    cost: float
    cost_p5: float
    cost_p50: float
    cost_p95: float
    gross_profit: float | None
    cost_share: float | None
    lines: tuple[LineSimulation, ...]

    def line(self, name: str) -> LineSimulation:
        """The line called ``name``.

        Raises:
            KeyError: the card has no such line.
        """
        for line in self.lines:
            if line.name == name:
                return line
        msg = f"card {self.name!r} has no line {name!r}; its lines: " + ", ".join(
            line.name for line in self.lines
        )
        raise KeyError(msg)


@attrs.frozen(kw_only=True)
class Simulation:
    """The result of `ksf.simulate`: the team's simulated months, card by card.

    Attributes:
        runs: the simulated months.
        seed: the seed the draws came from (the same seed gives the same result).
        currency, rounding: the rulebook's display currency and rounding unit.
        rulebook_hash: SHA-256 of the rule text simulated.
        cards: one `CardSimulation` per simulated card, in file order.
        cost, cost_p5, cost_p50, cost_p95: the whole team's cost a month: its mean and
            percentiles (every card's employees, the same simulated month).
    """

    runs: int
    seed: int
    currency: str
    rounding: float
    rulebook_hash: str
    cards: tuple[CardSimulation, ...]
    cost: float
    cost_p5: float
    cost_p50: float
    cost_p95: float

    def card(self, name: str) -> CardSimulation:
        """The simulated card called ``name``.

        Raises:
            KeyError: no card of that name was simulated.
        """
        for card in self.cards:
            if card.name == name:
                return card
        msg = f"no card {name!r} was simulated; the cards: " + ", ".join(
            card.name for card in self.cards
        )
        raise KeyError(msg)
