"""The payout lint (``ksf lint --payout RULES [DATA]``): where a card's pay curve looks wrong.

Each card is evaluated over its rows (those of DATA on that card, else reproducible random
rows drawn near the card's own points by `ksf.lint_rows`; `lint_run` also gives each card's
`Basis`: how many rows, and the ranges drawn) and each input it reads is swept as
`ksf.testing.assert_monotone` sweeps it. Findings: pay that moves against an input
(`NON_MONOTONE`), a point where pay jumps by more than a set share of the typical total
(`CLIFF`), a stretch of an input where no row's pay changes (`DEAD_ZONE`), a cap or floor
that binds for most rows (`BINDS`), a line that pays nothing on any row (`NEVER_PAYS`),
rows the card refuses (a per-row cap below its floor, `REFUSED`), pools of one base that
share out more than all of it and commission tiers whose rate drops (`STRUCTURE`). The
first, the refused rows and the structure are faults (`FAULTS`); the rest are worth a look.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np

from ksf import ir
from ksf._typing import AnyArray
from ksf.catalogue import properties as say
from ksf.columns import from_data
from ksf.errors import DataError
from ksf.explain_words import Lang
from ksf.lint_rows import Basis, drawn_rows
from ksf.message import Keyword, Message
from ksf.rulebook import Rulebook
from ksf.testing_monotone import Sweep, first_wrong, largest_jump, sweep
from ksf.testing_plans import card_named, read_nodes
from ksf.testing_sweep import bounds, sweepable_names

Kind = Literal["non_monotone", "refused", "structure", "cliff", "dead_zone", "binds", "never_pays"]
FAULTS: frozenset[Kind] = frozenset({"non_monotone", "refused", "structure"})
CLIFF_SHARE = 0.2  # a jump of more than 20% of the typical total is a cliff
BINDS_SHARE = 0.5  # a cap or floor binding for more than half the rows
DEAD_SHARE = 0.25  # a stretch of a quarter of an input's range where no pay changes
SAMPLES = 100  # rows drawn for a card the data does not cover
CENT = 0.005
TOLERANCE = 1e-6


@attrs.frozen
class Finding:
    """One thing the lint found: its kind, the card, and what it says."""

    kind: Kind
    card: str
    message: Message

    @property
    def fault(self) -> bool:
        """Whether the finding is a fault rather than something worth a look."""
        return self.kind in FAULTS


def lint(
    book: Rulebook,
    data: Any = None,
    *,
    cards: list[str] | None = None,
    params: Mapping[str, float] | None = None,
    cliff: float = CLIFF_SHARE,
    samples: int = SAMPLES,
) -> list[Finding]:
    """Every finding of every card (or of ``cards``), in card order, structure first.

    Args:
        book: the compiled rule file.
        data: rows to sweep around and to count binding caps on (anything
            `Rulebook.evaluate` accepts); a ``card`` column picks each card's rows. A card
            with no rows in it is linted on ``samples`` drawn rows.
        cards: the cards to lint (default: all).
        params: scalars the cards read.
        cliff: the share of the typical total above which a jump is a cliff.
        samples: rows drawn for a card without data.

    Raises:
        UnknownCardError: a card the file does not have.
    """
    return lint_run(book, data, cards=cards, params=params, cliff=cliff, samples=samples)[0]


def lint_run(
    book: Rulebook,
    data: Any = None,
    *,
    cards: list[str] | None = None,
    params: Mapping[str, float] | None = None,
    cliff: float = CLIFF_SHARE,
    samples: int = SAMPLES,
) -> tuple[list[Finding], list[Basis]]:
    """`lint`'s findings, and per card the rows they rest on (counted; drawn: the ranges)."""
    found = _pools_over_all(book)
    bases = []
    for card in cards or list(book.cards):
        card_named(book.program, card)
        found.extend(_tier_drops(book, card))
        rows, basis = _rows(book, card, data, samples, params or {})
        bases.append(basis)
        try:
            found.extend(_card(book, card, rows, params or {}, cliff))
        except DataError as error:
            found.append(Finding("refused", card, say.REFUSED(card=card, error=str(error))))
    return found, bases


def _rows(
    book: Rulebook, card: str, data: Any, samples: int, params: Mapping[str, float]
) -> tuple[dict[str, AnyArray], Basis]:
    """The rows of ``data`` on ``card`` (all of them without a card column), else drawn.

    A card that reads a group aggregate takes every row: a lead's team sum is over the
    operators' rows, which are on another card.
    """
    if data is not None:
        columns = from_data(data)
        rows = {**columns.numeric, **columns.text}
        found = card_named(book.program, card)
        if any(isinstance(n, ir.Group) for n in read_nodes(found)):
            rows = _complete(rows, _outside_groups(found))
        if "card" in rows:
            on_card = np.asarray(rows["card"]).astype(str) == card
            rows = {name: column[on_card] for name, column in rows.items() if name != "card"}
        count = len(next(iter(rows.values()))) if rows else 0
        if count:
            return rows, Basis(card, count)
    return drawn_rows(book, card, samples, params)


def _complete(rows: dict[str, AnyArray], names: set[str]) -> dict[str, AnyArray]:
    """Every row (of any card) with a value for each number ``names`` lists.

    A card reading a group aggregate is evaluated on every such row: a lead's team sum is
    over the operators' rows, which are on another card.
    """
    count = len(next(iter(rows.values()))) if rows else 0
    keep = np.ones(count, dtype=bool)
    for name in names & rows.keys():
        column = rows[name]
        if column.dtype.kind == "f":
            keep &= np.isfinite(column)
    return {name: column[keep] for name, column in rows.items() if name != "card"}


def _outside_groups(card: ir.Card) -> set[str]:
    """The names a card's lines read other than inside a group aggregate."""
    found: set[str] = set()
    stack = [e for line in card.lines for e in ir.line_inputs(line)]
    while stack:
        node = stack.pop()
        if isinstance(node, ir.Free):
            found.add(node.name)
        if not isinstance(node, ir.Group):
            stack.extend(ir.children(node))
    return found


def _card(
    book: Rulebook,
    card: str,
    rows: dict[str, AnyArray],
    params: Mapping[str, float],
    cliff: float,
) -> list[Finding]:
    found = _lines(book, card, rows, params)
    for name in sweepable_names(book, card, params):
        run = sweep(book, card, name, data=rows, params=params)
        found.extend(_curve(run, cliff))
    return found


# ---- the lines over the rows ----------------------------------------------------------------


def _lines(
    book: Rulebook, card: str, rows: dict[str, AnyArray], params: Mapping[str, float]
) -> list[Finding]:
    """Caps and floors binding for most rows, and lines that pay nothing on any row."""
    pay = book.evaluate(rows, card=card, params=params)
    found = []
    for line in card_named(book.program, card).lines:
        amounts = pay[line.name]
        if not np.any(np.abs(amounts) > TOLERANCE):
            found.append(Finding("never_pays", card, say.LINT_NEVER_PAYS(line=line.name)))
        for clause, bound in bounds(line):
            share = float(np.mean(np.abs(amounts - bound) <= CENT)) if len(amounts) else 0.0
            if share > BINDS_SHARE:
                found.append(
                    Finding(
                        "binds",
                        card,
                        say.LINT_BINDS(
                            clause=Keyword(clause),
                            bound=f"{bound:g}",
                            line=line.name,
                            share=f"{share:.0%}",
                        ),
                    )
                )
    return found


# ---- the curve of one input -------------------------------------------------------------------


def _curve(run: Sweep, cliff: float) -> list[Finding]:
    """Moves against the input, the largest jump if a cliff, and the longest dead zone."""
    found = []
    card, name = run.card, run.input.name
    wrong = first_wrong(run)
    if wrong is not None:
        row, at = wrong
        lines = _moved_lines(run, row, at)
        direction = int(run.directions()[row])
        found.append(
            Finding(
                "non_monotone",
                card,
                say.LINT_NOT_MONOTONE(
                    moves=say.FALLS() if direction > 0 else say.RISES(),
                    name=name,
                    low=f"{run.values[at]:.12g}",
                    high=f"{run.values[at + 1]:.12g}",
                    low_pays=f"{run.totals[row, at]:.2f}",
                    high_pays=f"{run.totals[row, at + 1]:.2f}",
                    lines=lines,
                ),
            )
        )
    jump = largest_jump(run)
    typical = float(np.median(np.abs(run.totals))) if run.totals.size else 0.0
    if jump is not None and typical > 0 and jump[2] > cliff * typical:
        row, at, size = jump
        found.append(
            Finding(
                "cliff",
                card,
                say.LINT_CLIFF(
                    name=name,
                    at=f"{run.values[at + 1]:.12g}",
                    size=f"{size:,.2f}",
                    share=f"{size / typical:.0%}",
                    typical=f"{typical:,.2f}",
                    lines=_moved_lines(run, row, at),
                ),
            )
        )
    dead = None if _ranked(run) else _dead_zone(run)
    if dead is not None:
        low, high = dead
        found.append(
            Finding(
                "dead_zone",
                card,
                say.LINT_DEAD_ZONE(name=name, low=f"{low:.12g}", high=f"{high:.12g}"),
            )
        )
    return found


def _ranked(run: Sweep) -> bool:
    """Whether the input is ranked (``rank(x over card)``): all rows at one value tie."""
    return any(
        isinstance(node, ir.Group)
        and node.op == "rank"
        and node.expr is not None
        and any(
            isinstance(n, ir.Free | ir.Named) and n.name == run.input.name
            for n in ir.walk(node.expr)
        )
        for node in read_nodes(card_named(run.book.program, run.card))
    )


def _moved_lines(run: Sweep, row: int, at: int) -> str:
    """The lines whose amount changes between two sweep values, with both amounts."""
    before, first, after, second = run.pair(row, float(run.values[at]), float(run.values[at + 1]))
    return ", ".join(
        f"`{line}` {before[line][first]:.2f} → {after[line][second]:.2f}"
        for line in before.lines
        if abs(after[line][second] - before[line][first]) > TOLERANCE
    )


def _dead_zone(run: Sweep) -> tuple[float, float] | None:
    """The longest stretch of the input where no row's pay changes, if long and inside.

    An input that changes no pay anywhere is a dead zone over its whole range; a stretch at
    either end is a cap or floor reached (reported as binding when it binds), not a zone.
    """
    values = run.values
    if len(values) < 3:
        return None
    still = np.all(np.abs(np.diff(run.totals, axis=1)) <= TOLERANCE, axis=0)
    edges = np.diff(np.concatenate(([0], still.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    if not len(starts):
        return None
    widths = values[ends] - values[starts]
    best = int(np.argmax(widths))
    span = float(values[-1] - values[0])
    start, end = int(starts[best]), int(ends[best])
    whole = start == 0 and end == len(values) - 1
    inside = start > 0 and end < len(values) - 1
    if span > 0 and widths[best] >= DEAD_SHARE * span and (whole or inside):
        return float(values[start]), float(values[end])
    return None


# ---- the rule text -----------------------------------------------------------------------------


def _pools_over_all(book: Rulebook) -> list[Finding]:
    """Pools of the same base, threshold and groups sharing out more than 100% of it."""
    shares: dict[tuple[object, ...], list[tuple[str, float]]] = {}
    for pool in book.program.pools:
        if isinstance(pool.share, float):
            shares.setdefault((pool.base, pool.threshold, pool.per), []).append(
                (pool.name, pool.share)
            )
    return [
        Finding(
            "structure",
            "-",
            say.POOLS_OVER_ALL(pools=", ".join(f"{name} {share:.0%}" for name, share in pools)),
        )
        for pools in shares.values()
        if sum(share for _, share in pools) > 1 + TOLERANCE
    ]


def _tier_drops(book: Rulebook, card: str) -> list[Finding]:
    """Commission tiers whose rate is below the tier before: more sales earn less a unit."""
    found = []
    for line in card_named(book.program, card).lines:
        if isinstance(line, ir.CommissionLine) and line.rate is None:
            for before, tier in zip(line.tiers, line.tiers[1:], strict=False):
                if tier.rate < before.rate:
                    found.append(
                        Finding(
                            "structure",
                            card,
                            say.LINT_TIER_DROPS(
                                line=line.name,
                                at=f"{tier.at:,.12g}",
                                rate=f"{tier.rate:.4%}",
                                before=f"{before.rate:.4%}",
                            ),
                        )
                    )
    return found


# ---- the report ------------------------------------------------------------------------------


def report(
    findings: list[Finding], source: str, lang: Lang = "en", bases: Sequence[Basis] = ()
) -> str:
    """The findings as text: a heading, then each card's rows and findings under its name.

    With ``bases`` every card linted is listed, with the rows its findings rest on.
    """
    faults = sum(f.fault for f in findings)
    lines = [say.LINT_HEADING(file=source, findings=len(findings), faults=faults).text(lang)]
    rows = {basis.card: basis for basis in bases}
    named = [f.card for f in findings if f.card == "-"] + list(rows)
    for card in dict.fromkeys([*named, *(f.card for f in findings)]):
        lines.append(
            say.LINT_RULE_FILE().text(lang) if card == "-" else say.LINT_CARD(card=card).text(lang)
        )
        if card in rows:
            lines.append(rows[card].message().text(lang))
        for finding in (f for f in findings if f.card == card):
            item = say.LINT_ITEM(kind=KIND_WORDS[finding.kind], text=finding.message)
            lines.append(item.text(lang))
    return "\n".join(lines) + "\n"


KIND_WORDS: dict[Kind, Message] = {
    "non_monotone": say.KIND_NON_MONOTONE(),
    "refused": say.KIND_REFUSED(),
    "structure": say.KIND_STRUCTURE(),
    "cliff": say.KIND_CLIFF(),
    "dead_zone": say.KIND_DEAD_ZONE(),
    "binds": say.KIND_BINDS(),
    "never_pays": say.KIND_NEVER_PAYS(),
}
