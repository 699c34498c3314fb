"""The provenance comment of a calibrated line: where its value came from, in the file's language.

It names the source of the history, its periods, the statistic and how many rows it was
taken from (or, for a solved value, the pay, the performance and the division), and holds no
old value, so calibrating a calibrated file again writes the very same comment.
"""

from __future__ import annotations

from decimal import Decimal

from ksf.catalogue import calibrate as say
from ksf.design.calibrate_history import Sample
from ksf.design.points import EmployeePoints, Point
from ksf.design.rewrite import decimal, plain
from ksf.design.targets import Solution
from ksf.explain_words import Lang
from ksf.message import Keyword, Message
from ksf.source import visible


def figure(value: float | Decimal, *, percent: bool = False) -> str:
    """A number for a person: ``1,000,000``, ``0.75%``, ``48.2667%`` (up to 4 decimals)."""
    number = value if isinstance(value, Decimal) else decimal(value)
    if percent:
        return f"{plain(round(number * 100, 4))}%"
    return format(round(number, 4).normalize(), ",f")


def one_line(text: str) -> str:
    r"""A comment's text with nothing that could end it: a newline in a name shows as ``\n``.

    Control characters and bidirectional overrides are shown as escapes too (`visible`), so
    a history file's name can neither add a line of rules nor hide what the comment says.
    """
    return (
        visible(text).replace("\n", "\\n").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def _periods(sample: Sample) -> Message | str:
    if not sample.periods:
        return ""
    first, last = sample.periods[0], sample.periods[-1]
    return say.PERIODS(first=first, last=last, count=len(sample.periods))


def _left(sample: Sample) -> Message | str:
    return say.LEFT_OUT(count=sample.left_out) if sample.left_out else ""


def from_history(
    point: Point, new: str, value: str, step: str, source: str, lang: Lang, keywords: Lang
) -> str:
    """``calibrated: balance 48% = p60 of gross_margin (48.27%), …; history.csv, …``."""
    percent = new.endswith("%")
    said = say.FROM_HISTORY(
        mark=say.MARK(), clause=Keyword("balance"), new=new, stat=point.statistic.shown,
        value=value, found=figure(point.found, percent=percent), step=step, source=source,
        periods=_periods(point.sample), rows=len(point.sample.values), left=_left(point.sample),
    )  # fmt: skip
    return one_line(said.text(lang, keywords))


def per_employee(
    points: EmployeePoints,
    column: str,
    file: str,
    value: str,
    step: str,
    source: str,
    lang: Lang,
    keywords: Lang,
) -> str:
    """``calibrated: balance gm_balance per employee = each one's p60 of gm, … in FILE; …``."""
    said = say.PER_EMPLOYEE(
        mark=say.MARK(), clause=Keyword("balance"), new=column, stat=points.statistic.shown,
        value=value, step=step, file=file, source=source, periods=_periods(points.sample),
        people=len(points.ids), rows=len(points.sample.values), left=_left(points.sample),
    )  # fmt: skip
    return one_line(said.text(lang, keywords))


def solved(
    solution: Solution,
    clause: str,
    new: str,
    pay: tuple[float, float | None, float | None],
    source: str,
    lang: Lang,
    keywords: Lang,
) -> str:
    """``calibrated: rate 0.75% pays 7,500 at sales=1,000,000 (7,500 ÷ 1,000,000)``.

    ``pay``: the line's target, and the total and share it is a part of (or None).
    """
    target, total, share = pay
    part = (
        say.SHARE_OF(share=figure(share, percent=True), total=figure(total))
        if total is not None and share is not None
        else ""
    )
    found = solution.performance
    at = ", ".join(f"{n}={figure(v, percent=n in found.percent)}" for n, v in found.values.items())
    said = say.SOLVED(
        mark=say.MARK(), clause=Keyword(clause), new=new, pay=figure(target), share=part, at=at,
        how=_how(solution, new, target), medians=_medians(solution, source),
    )  # fmt: skip
    return one_line(said.text(lang, keywords))


def _how(solution: Solution, new: str, target: float) -> Message | str:
    """The division the value comes from, and the rounding when it was rounded."""
    found = solution.solved
    if found is None or found.exact is None or found.per_unit is None:
        return ""
    paid = decimal(target) - decimal(found.at_zero)
    pay = figure(paid) if not found.at_zero else f"({figure(target)} − {figure(found.at_zero)})"
    per = figure(found.per_unit)
    if found.value == found.exact:
        return say.DIVIDED(pay=pay, per=per)
    exact = found.exact * 100 if new.endswith("%") else found.exact
    digits = plain(exact.quantize(Decimal(1).scaleb(exact.adjusted() - 9)))
    shown = f"{digits}{'%' if new.endswith('%') else ''}…"
    return say.DIVIDED_ROUNDED(pay=pay, per=per, exact=shown, new=new)


def _medians(solution: Solution, source: str) -> Message | str:
    found = solution.performance
    if not found.medians or found.sample is None:
        return ""
    return say.MEDIANS(
        names=", ".join(found.medians), source=source, periods=_periods(found.sample),
        rows=len(found.sample.values),
    )  # fmt: skip
