"""Properties of a card's pay beyond monotonicity, and a rule file's properties as pytest tests.

Each ``assert_*`` evaluates base rows (the user's, or reproducible random rows drawn as
`ksf.testing.data_for` draws) and raises `AssertionError` naming the rows that break it:
caps and floors hold, the total is the sum of the lines, no total below ``min_pay``, pools
add up to the cent (and pools of one base never share out more than all of it), and no
cliff larger than ``max_jump`` at any point of an input. `check_card` runs them all;
`card_properties` turns a rule file into parametrised pytest tests, one per card, property
and input.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ksf import ir
from ksf._typing import AnyArray
from ksf.catalogue import properties as say
from ksf.columns import from_data
from ksf.errors import DataError
from ksf.optional import requires
from ksf.payroll import Payroll
from ksf.rulebook import Rulebook, load
from ksf.testing_monotone import drawn_bases, first_wrong, largest_jump, sweep, violation
from ksf.testing_plans import card_named, draw_plans
from ksf.testing_sweep import bounds, sweepable_names
from ksf.trace import ShareTrace

SAMPLES = 200  # base rows drawn when no data is given
CENT = 0.005  # half a cent: amounts are rounded to the cent
TOLERANCE = 1e-6
Check = Callable[[], None]


def _rows(
    book: Rulebook, card: str, data: Any, samples: int, params: Mapping[str, float] | None
) -> dict[str, AnyArray]:
    if data is not None:
        columns = from_data(data)
        return {**columns.numeric, **columns.text}
    return drawn_bases(draw_plans(book, card, None, exclude=params or {}), samples)


def _pay(
    book: Rulebook, card: str, data: Any, samples: int, params: Mapping[str, float] | None
) -> Payroll:
    """The card over the rows; a row the card refuses (a per-row cap below its floor…) fails."""
    rows = _rows(book, card, data, samples, params)
    try:
        return book.evaluate(rows, card=card, params=params)
    except DataError as error:
        raise AssertionError(say.REFUSED(card=card, error=str(error))) from error


def _first(rows: AnyArray) -> str:
    return ", ".join(str(int(r)) for r in np.flatnonzero(rows)[:5])


def assert_caps_and_floors(
    book: Rulebook,
    card: str,
    *,
    data: Any = None,
    samples: int = SAMPLES,
    params: Mapping[str, float] | None = None,
) -> None:
    """Every line with a written ``cap`` or ``floor`` pays within it, and no cap is below its floor.

    Raises:
        AssertionError: a line above its cap or below its floor (the rows named), or a row
            the card refuses (a per-row cap below the floor).
    """
    pay = _pay(book, card, data, samples, params)
    for line in card_named(book.program, card).lines:
        amounts = pay[line.name]
        for clause, bound in bounds(line):
            outside = amounts > bound + CENT if clause == "cap" else amounts < bound - CENT
            if outside.any():
                said = say.ABOVE_CAP if clause == "cap" else say.BELOW_FLOOR
                raise AssertionError(
                    said(card=card, line=line.name, bound=f"{bound:g}", rows=_first(outside))
                )


def assert_total_is_sum_of_lines(
    book: Rulebook,
    card: str,
    *,
    data: Any = None,
    samples: int = SAMPLES,
    params: Mapping[str, float] | None = None,
) -> None:
    """Each row's total is the sum of its lines' amounts, to the cent.

    Raises:
        AssertionError: the rows whose total differs from the sum of their lines.
    """
    pay = _pay(book, card, data, samples, params)
    lines = sum((pay[line] for line in pay.lines), np.zeros(len(pay)))
    if (off := np.abs(pay.total - lines) > TOLERANCE).any():
        raise AssertionError(say.TOTAL_NOT_SUM(card=card, rows=_first(off)))


def assert_min_pay(
    book: Rulebook,
    card: str,
    *,
    data: Any = None,
    samples: int = SAMPLES,
    params: Mapping[str, float] | None = None,
) -> None:
    """No row's total is below the card's ``min_pay`` (nothing to check without one).

    Raises:
        AssertionError: the rows paid less than ``min_pay``.
    """
    least = card_named(book.program, card).min_pay
    if least is None:
        return
    pay = _pay(book, card, data, samples, params)
    if (low := pay.total < least - TOLERANCE).any():
        raise AssertionError(say.BELOW_MIN_PAY(card=card, least=least, rows=_first(low)))


def assert_pools_add_up(
    book: Rulebook,
    card: str,
    *,
    data: Any = None,
    samples: int = SAMPLES,
    params: Mapping[str, float] | None = None,
) -> None:
    """Each pool the card shares adds up to the cent, and pools of one base pay at most all of it.

    The members' shares of each pool group add up exactly to the group's pool (the rows
    evaluated all on ``card``); the written shares of the file's pools over the same base,
    threshold and groups add up to at most 100%.

    Raises:
        AssertionError: a group whose shares miss its pool, or pools sharing out over 100%.
    """
    _shares_over_all(book)
    found = card_named(book.program, card)
    if not found.pools():
        return
    rows = _rows(book, card, data, samples, params)
    pay = _pay(book, card, rows, samples, params)
    for line in found.lines:
        if isinstance(line, ir.ShareLine):
            pool = next(p for p in book.program.pools if p.name == line.pool)
            keys = rows[pool.per] if pool.per is not None else np.zeros(len(pay))
            _adds_up(pay, card, line.name, np.asarray(keys).astype(str))


def _shares_over_all(book: Rulebook) -> None:
    """Pools of the same base, threshold and groups share out at most 100% of it."""
    shares: dict[tuple[object, ...], list[tuple[str, float]]] = {}
    for pool in book.program.pools:
        if isinstance(pool.share, float):
            key = (pool.base, pool.threshold, pool.per)
            shares.setdefault(key, []).append((pool.name, pool.share))
    for pools in shares.values():
        if sum(share for _, share in pools) > 1 + TOLERANCE:
            names = ", ".join(f"{name} {share:.0%}" for name, share in pools)
            raise AssertionError(say.POOLS_OVER_ALL(pools=names))


def _adds_up(pay: Payroll, card: str, line: str, keys: AnyArray) -> None:
    """The rows of each pool group share out exactly the group's pool (one trace a group)."""
    groups, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    paid = np.bincount(inverse.reshape(-1), weights=pay[line], minlength=len(groups))
    for group, row, total in zip(groups, first, paid, strict=True):  # a loop over groups
        detail = pay.trace(int(row)).lines[line].detail
        pool = detail.pool if isinstance(detail, ShareTrace) else np.nan
        if np.isfinite(pool) and abs(total - pool) > TOLERANCE:
            raise AssertionError(
                say.POOL_MISSES(
                    card=card, line=line, group=group, paid=f"{total:.2f}", pool=f"{pool:.2f}"
                )
            )


def assert_continuous(
    book: Rulebook,
    card: str,
    name: str,
    *,
    max_jump: float,
    data: Any = None,
    samples: int = SAMPLES,
    params: Mapping[str, float] | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> None:
    """No cliff: the total never jumps by more than ``max_jump`` at one point of ``name``.

    A jump is the change of the total across a hair either side of a point where pay may
    jump (a step point, a tier, a table threshold, a `when` constant…).

    Raises:
        AssertionError: the largest jump above ``max_jump``: where, how much, which lines.
    """
    run = sweep(book, card, name, data=data, samples=samples, params=params, ranges=ranges)
    found = largest_jump(run)
    if found is not None and found[2] > max_jump + TOLERANCE:
        row, at, size = found
        before, first, after, second = run.pair(
            row, float(run.values[at]), float(run.values[at + 1])
        )
        lines = [
            line for line in before.lines if abs(after[line][second] - before[line][first]) > CENT
        ]
        raise AssertionError(
            say.CLIFF(
                card=card,
                name=name,
                size=f"{size:.2f}",
                most=f"{max_jump:.2f}",
                low=f"{run.values[at]:.12g}",
                high=f"{run.values[at + 1]:.12g}",
                lines=", ".join(lines),
            )
        )


def check_card(
    book: Rulebook,
    card: str,
    *,
    data: Any = None,
    samples: int = SAMPLES,
    params: Mapping[str, float] | None = None,
    max_jump: float | None = None,
) -> None:
    """Every property of ``card``: each input monotone, caps, sums, ``min_pay``, pools, cliffs.

    Raises:
        AssertionError: every property that fails, one message each, separated by a blank line.
    """
    failures = []
    for _, check in property_cases(
        book, card, data=data, samples=samples, params=params, max_jump=max_jump
    ):
        try:
            check()
        except AssertionError as failure:
            failures.append(str(failure))
        except DataError as error:  # rows the card refuses: a per-row cap below its floor…
            failures.append(str(say.REFUSED(card=card, error=str(error))))
    if failures:
        raise AssertionError("\n\n".join(failures))


def property_cases(
    book: Rulebook,
    card: str,
    *,
    data: Any = None,
    samples: int = SAMPLES,
    params: Mapping[str, float] | None = None,
    max_jump: float | None = None,
) -> list[tuple[str, Check]]:
    """``card``'s properties as (id, check) pairs, ids like ``operator-monotone-gross_margin``."""
    options: dict[str, Any] = {"data": data, "samples": samples, "params": params}
    cases: list[tuple[str, Check]] = []
    for name in sweepable_names(book, card, params or {}):
        cases.append((f"{card}-monotone-{name}", _monotone(book, card, name, options)))
        if max_jump is not None:
            cases.append(
                (
                    f"{card}-continuous-{name}",
                    _bound(assert_continuous, book, card, name, max_jump=max_jump, **options),
                )
            )
    for label, check in (
        ("caps_and_floors", assert_caps_and_floors),
        ("total_is_sum_of_lines", assert_total_is_sum_of_lines),
        ("min_pay", assert_min_pay),
        ("pools_add_up", assert_pools_add_up),
    ):
        cases.append((f"{card}-{label}", _bound(check, book, card, **options)))
    return cases


def _monotone(book: Rulebook, card: str, name: str, options: Mapping[str, Any]) -> Check:
    def check() -> None:
        run = sweep(book, card, name, **options)
        wrong = first_wrong(run)
        if wrong is not None:
            raise AssertionError(violation(run, *wrong))

    return check


def _bound(function: Callable[..., None], *args: Any, **kwargs: Any) -> Check:
    def check() -> None:
        function(*args, **kwargs)

    return check


def card_properties(
    path: str | Path,
    *,
    samples: int = SAMPLES,
    params: Mapping[str, float] | None = None,
    max_jump: float | None = None,
) -> Callable[..., None]:
    """A pytest test of every property of every card of a rule file, one case each.

    A relative ``path`` is found next to the test file that calls this, else from the
    working directory. In a test file::

        from ksf.testing import card_properties
        test_pay = card_properties("pay.ksf")

    Raises:
        ImportError: pytest is not installed.
    """
    with requires("pytest", "ksf.testing.card_properties", chain=True):
        import pytest
    book = load(_beside_caller(Path(path)))
    cases = [
        case
        for card in book.cards
        for case in property_cases(book, card, samples=samples, params=params, max_jump=max_jump)
    ]

    @pytest.mark.parametrize("check", [c for _, c in cases], ids=[i for i, _ in cases])
    def test_card_property(check: Check) -> None:
        """One property of one card of the rule file holds."""
        check()

    return test_card_property


def _beside_caller(path: Path) -> Path:
    """``path`` next to the file of the caller's caller (a test module), if it is there."""
    if path.is_absolute():
        return path
    frame = inspect.stack(context=0)[2]
    beside = Path(frame.filename).parent / path
    return beside if beside.exists() else path
