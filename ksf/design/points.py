"""Balance points from history: a percentile of a role's values (``--at p60``) or each employee's.

The statistic is ``pNN`` (the NN-th percentile of the values as numbers, 1 ≤ NN ≤ 99),
``median`` (p50) or ``stretch``: p60 on the good side of the line — p60 of a margin, p40 of
a complaint rate — the level the role reached or beat in two periods out of five, a stretch
that can be reached ("跳一跳够得着"). The point then moves to a whole number of steps from
the line's grid (its first written ``beyond`` point, else 0), so that ``beyond`` points stay
whole steps away and a re-calibration lands on the same point.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

import attrs

from ksf import ir
from ksf._typing import AnyArray
from ksf.catalogue import calibrate as say
from ksf.catalogue.io import joined
from ksf.design.calibrate_history import (
    History,
    Sample,
    grouped_percentiles,
    least_values,
    percentile,
    role_rows,
    sample,
)
from ksf.design.failure import CalibrationError
from ksf.design.rewrite import decimal, plain, snapped
from ksf.rulebook import Rulebook
from ksf.standard import standard_library

STRETCH = 0.6  # on the good side: beaten in two periods out of five


@attrs.frozen
class Statistic:
    """A statistic as asked (``p60``, ``median``, ``stretch``) and the percentile it takes."""

    asked: str
    q: float  # 0 < q < 1, on the number line (stretch of a lower-is-better line: 0.4)

    @property
    def shown(self) -> str:
        """``p60``, ``median``, or ``stretch (p40)``: the percentile a stretch took."""
        return f"{self.asked} (p{self.q * 100:g})" if self.asked == "stretch" else self.asked


@attrs.frozen
class Point:
    """A role's balance point: the percentile, the point on the step grid, the sample."""

    value: Decimal
    found: float
    statistic: Statistic
    sample: Sample


@attrs.frozen
class EmployeePoints:
    """Each employee's own balance point, from their own rows of the history."""

    ids: tuple[str, ...]
    values: tuple[Decimal, ...]
    statistic: Statistic
    sample: Sample


def statistic(asked: str, direction: int) -> Statistic:
    """``p60``, ``median`` or ``stretch`` for a line of this direction (+1 or -1).

    Raises:
        CalibrationError: anything else, or a percentile outside 1 to 99.
    """
    text = asked.strip().lower()
    if text == "median":
        return Statistic(text, 0.5)
    if text == "stretch":
        return Statistic(text, STRETCH if direction > 0 else 1 - STRETCH)
    match = re.fullmatch(r"p(\d+(?:\.\d+)?)", text)
    if match is None or not 1 <= float(match[1]) <= 99:
        raise CalibrationError(say.BAD_STATISTIC(asked=asked))
    return Statistic(text, float(match[1]) / 100)


def direction_of(line: ir.BalanceLine) -> int:
    """The line's direction as `evaluate` settles it: written, the indicator's, else higher."""
    if line.direction is not None:
        return line.direction
    value = line.value
    if isinstance(value, ir.Free):
        value = standard_library().get(value.name) or value
    return (value.direction or 1) if isinstance(value, ir.Named) else 1


def is_percent(line: ir.BalanceLine | ir.CommissionLine) -> bool:
    """Whether the line reads a percentage indicator (its points are written with ``%``)."""
    value = line.value if isinstance(line, ir.BalanceLine) else line.base
    if isinstance(value, ir.Free):
        value = standard_library().get(value.name) or value
    return isinstance(value, ir.Named) and value.unit == "percent"


def grid(line: ir.BalanceLine) -> tuple[Decimal, Decimal] | None:
    """The origin and step of the line's grid of balance points; None when its step is per row."""
    if not isinstance(line.step, float):
        return None
    written = [b.at for b in line.beyond if isinstance(b.at, float)]
    return (decimal(written[0]) if written else Decimal(0)), decimal(line.step)


def on_grid(value: float, line: ir.BalanceLine) -> Decimal:
    """``value`` on the line's grid, or to 6 significant digits when its step is per row."""
    found = grid(line)
    if found is None:
        exact = decimal(value)
        return exact.quantize(Decimal(1).scaleb(exact.adjusted() - 5)) if value else exact
    return snapped(value, *found)


def past_beyond(line: ir.BalanceLine, points: Sequence[Decimal]) -> list[str]:
    """For each point, the first written ``beyond`` it reaches or passes (else empty)."""
    direction = direction_of(line)
    written = [(b.at, b.kind, b.text) for b in line.beyond if isinstance(b.at, float)]
    found = []
    for point in points:  # one per employee at most: the points, not the rows
        bad = [
            text
            for at, kind, text in written
            if (1 if kind == "reward" else -1) * direction * (at - float(point)) <= 0
        ]
        found.append(f"beyond {bad[0]}" if bad else "")
    return found


def _shown(point: Decimal, line: ir.BalanceLine) -> str:
    percent = is_percent(line) or line.balance_text.endswith("%")
    return f"{plain(point * 100)}%" if percent else plain(point)


def role_point(
    book: Rulebook, history: History, card: str, line: ir.BalanceLine, asked: str
) -> Point:
    """The role's balance point: the statistic of the line's value over the role's rows.

    Raises:
        CalibrationError: no history for the role, or too few values for the percentile.
    """
    stat = statistic(asked, direction_of(line))
    found = sample(book, history, line.value, role_rows(history, card))
    need = least_values(stat.q)
    if len(found.values) < need:
        raise CalibrationError(
            say.TOO_SHORT(
                card=card, line=line.name, source=history.name, count=len(found.values),
                need=need, p=stat.asked,
            )
        )  # fmt: skip
    value = percentile(found.values, stat.q)
    point = on_grid(value, line)
    crossed = past_beyond(line, [point])
    if any(crossed):
        raise CalibrationError(
            say.PAST_BEYOND(line=f"{card}.{line.name}", stat=stat.shown,
                            point=_shown(point, line), beyond=crossed[0])
        )  # fmt: skip
    return Point(point, value, stat, found)


def employee_points(
    book: Rulebook, history: History, card: str, line: ir.BalanceLine, asked: str
) -> EmployeePoints:
    """Each employee's balance point from their own rows (``--per-employee``).

    Raises:
        CalibrationError: no id column, no history for the role, or an employee with too
            few values for the percentile (all such employees are named).
    """
    if history.id_column is None:
        raise CalibrationError(say.NO_IDS(source=history.name))
    stat = statistic(asked, direction_of(line))
    found = sample(book, history, line.value, role_rows(history, card))
    ids: AnyArray = history.columns.text[history.id_column][found.rows]
    keys, values, counts = grouped_percentiles(found.values, ids, stat.q)
    need = least_values(stat.q)
    short = [str(k) for k in keys[counts < need].tolist()]
    everyone = history.columns.text[history.id_column][role_rows(history, card)]
    missing = sorted(set(everyone.tolist()) - set(keys.tolist()))
    if short or missing or not len(keys):
        raise CalibrationError(
            say.EMPLOYEES_TOO_SHORT(
                card=card, line=line.name, source=history.name, need=need, p=stat.asked,
                names=", ".join(sorted([*short, *map(str, missing)])),
            )
        )  # fmt: skip
    points = tuple(on_grid(float(v), line) for v in values.tolist())
    crossed = past_beyond(line, points)
    if any(crossed):
        bad = [k for k, c in enumerate(crossed) if c]
        who = [say.FOR_EMPLOYEE(point=_shown(points[k], line), who=keys[k]) for k in bad]
        raise CalibrationError(
            say.PAST_BEYOND(line=f"{card}.{line.name}", stat=stat.shown, point=joined(who),
                            beyond=crossed[bad[0]])
        )  # fmt: skip
    return EmployeePoints(tuple(str(k) for k in keys.tolist()), points, stat, found)
