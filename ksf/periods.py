"""Periods (LANGUAGE.md §13): a month ``2026-08`` or a quarter ``2026Q3``, as a typed value.

`Period.parse` reads the text a person writes (``evaluate(period="2026-08")``, ``ksf run
--period 2026Q3``, ``effective 2026-07`` in a rule file) and refuses anything else with a
`PeriodError` in both languages. Periods are ordered by their first month (a month before
the quarter that starts with it); `shift` and `previous` step through months or quarters,
for the history that later periods read back.
"""

from __future__ import annotations

import re
from typing import Literal

import attrs

from ksf.catalogue import periods as say
from ksf.errors import KsfError
from ksf.explain_words import Lang
from ksf.message import Message, text

Kind = Literal["month", "quarter"]

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})Q(\d)")
_SHORT_YEAR = re.compile(r"(\d{2})(-\d{1,2}|[Qq]\d)")
_SHORT_MONTH = re.compile(r"(\d{4})-(\d)")
_SMALL_Q = re.compile(r"(\d{4})q(\d)")


class PeriodError(KsfError, ValueError):
    """Text that is not a month (``2026-08``) or a quarter (``2026Q3``).

    A `KsfError`, and a `ValueError` as a failed parse is in Python. ``text`` is what was
    written; `render` says what is wrong in English or Chinese.
    """

    def __init__(self, said: Message, written: str) -> None:
        self.said = said
        self.message = text(said)
        self.text = written
        super().__init__(self.message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.said, self.text))

    def render(self, lang: Lang = "en") -> str:
        """The message in ``lang``."""
        return text(self.said, lang)


@attrs.frozen(order=False)
class Period:
    """A month or a quarter of a year.

    Examples:
        >>> from ksf.periods import Period
        >>> p = Period.parse("2026Q3")
        >>> str(p), str(p.first_month), str(p.previous()), str(p.shift(2))
        ('2026Q3', '2026-07', '2026Q2', '2027Q1')
        >>> Period.parse("2026-07") < Period.parse("2026-08")
        True
    """

    year: int
    kind: Kind
    number: int  # the month 1–12, or the quarter 1–4

    @classmethod
    def parse(cls, written: str | Period) -> Period:
        """The period ``written`` names (a `Period` is returned as it is).

        Raises:
            PeriodError: anything but ``YYYY-MM`` (month 01–12) or ``YYYYQn`` (n 1–4).
        """
        if isinstance(written, Period):
            return written
        if not isinstance(written, str):
            raise PeriodError(say.PERIOD_TYPE(kind=type(written).__name__), repr(written))
        stripped = written.strip()
        month, quarter = _MONTH.fullmatch(stripped), _QUARTER.fullmatch(stripped)
        if month is not None:
            number = int(month[2])
            if not 1 <= number <= 12:
                raise PeriodError(say.NOT_A_MONTH(text=stripped, month=month[2]), written)
            return cls(int(month[1]), "month", number)
        if quarter is not None:
            number = int(quarter[2])
            if not 1 <= number <= 4:
                raise PeriodError(say.NOT_A_QUARTER(text=stripped, quarter=number), written)
            return cls(int(quarter[1]), "quarter", number)
        raise PeriodError(_why_not(stripped), written)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The month ``month`` (1–12) of ``year``."""
        return cls.parse(f"{year:04d}-{month:02d}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """The quarter ``quarter`` (1–4) of ``year``."""
        return cls.parse(f"{year:04d}Q{quarter}")

    @property
    def months(self) -> int:
        """How many months the period spans: 1 or 3."""
        return 1 if self.kind == "month" else 3

    @property
    def index(self) -> int:
        """The first month counted from January of year 0: months apart subtract."""
        first = self.number if self.kind == "month" else 3 * self.number - 2
        return self.year * 12 + first - 1

    @property
    def first_month(self) -> Period:
        """The period's first month (itself for a month)."""
        return _month_at(self.index)

    @property
    def last_month(self) -> Period:
        """The period's last month (itself for a month)."""
        return _month_at(self.index + self.months - 1)

    def month_list(self) -> tuple[Period, ...]:
        """Every month of the period, in order."""
        return tuple(_month_at(self.index + k) for k in range(self.months))

    def contains(self, other: Period) -> bool:
        """Whether every month of ``other`` lies within this period."""
        return self.index <= other.index and other.last_month.index <= self.last_month.index

    def shift(self, n: int) -> Period:
        """The period ``n`` months or quarters later (earlier when ``n`` is negative)."""
        if self.kind == "month":
            return _month_at(self.index + n)
        count = self.year * 4 + self.number - 1 + n
        return Period(count // 4, "quarter", count % 4 + 1)

    def previous(self, n: int = 1) -> Period:
        """The period ``n`` months or quarters before (the one before by default)."""
        return self.shift(-n)

    def _key(self) -> tuple[int, int]:
        return (self.index, self.months)

    # Ordered by hand (not attrs' field order): by first month, a month before its quarter.
    def __lt__(self, other: object) -> bool:
        return self._key() < other._key() if isinstance(other, Period) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self._key() <= other._key() if isinstance(other, Period) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self._key() > other._key() if isinstance(other, Period) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self._key() >= other._key() if isinstance(other, Period) else NotImplemented

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        return f"{self.year:04d}Q{self.number}"


def _month_at(index: int) -> Period:
    return Period(index // 12, "month", index % 12 + 1)


def _why_not(written: str) -> Message:
    """What is wrong with text that reads as no period, with the spelling meant if clear."""
    short = _SHORT_YEAR.fullmatch(written)
    if short is not None:
        return say.TWO_DIGIT_YEAR(text=written, example="20" + written.upper())
    month = _SHORT_MONTH.fullmatch(written)
    if month is not None and month[2] != "0":
        return say.MONTH_DIGITS(text=written, example=f"{month[1]}-0{month[2]}")
    if _SMALL_Q.fullmatch(written) is not None:
        return say.QUARTER_LETTER(text=written, example=written.upper())
    return say.NOT_A_PERIOD(text=written or repr(written))


def period_or_none(written: str | Period | None) -> Period | None:
    """`Period.parse` of a period that may be absent."""
    return None if written is None else Period.parse(written)
