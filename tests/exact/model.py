"""A rulebook and its data as plain values, with every number kept as the text a person writes.

Numbers are strings such as ``"1957006.15"`` or ``"30%"``: the rule text shows them as
written, the exact reference reads them as fractions and ksf is given ``float(text)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


def number(text: str) -> Fraction:
    """The exact value of a number as written: ``"30%"`` is 3/10, ``"1_200"`` is 1200."""
    text = text.replace("_", "")
    if text.endswith("%"):
        return Fraction(text[:-1]) / 100
    return Fraction(text)


# -- expressions and conditions -------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    """A literal number, e.g. ``"0.3"`` or ``"15%"``."""

    text: str


@dataclass(frozen=True)
class Name:
    """A data column, a param, or a score defined in the file."""

    name: str


@dataclass(frozen=True)
class Bin:
    """``left op right`` with op one of + - * /."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Call:
    """``min(...)``, ``max(...)`` or ``abs(x)``."""

    fn: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Lookup:
    """A table lookup ``table(arg)``."""

    table: str
    arg: Expr


@dataclass(frozen=True)
class Of:
    """``P% of expr``."""

    percent: str
    expr: Expr


Expr = Num | Name | Bin | Call | Lookup | Of


@dataclass(frozen=True)
class Cmp:
    """``left op right`` with op one of < <= > >= == !=."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Logic:
    """``left and right`` / ``left or right``."""

    op: str
    left: Cond
    right: Cond


@dataclass(frozen=True)
class Not:
    """``not cond``."""

    cond: Cond


Cond = Cmp | Logic | Not


# -- lines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    """``base AMOUNT`` (line ``base``)."""

    amount: str

    @property
    def name(self) -> str:
        """The line's name."""
        return "base"


@dataclass(frozen=True)
class Allowance:
    """``allowance AMOUNT as NAME``."""

    amount: str
    name: str


@dataclass(frozen=True)
class Balance:
    """A KSF balance rule on a data column (3.1).

    ``good``/``bad`` are the ``beyond`` tiers as (point as written, amount per step);
    ``direction`` is None when no direction is written (a plain column: higher is better).
    """

    column: str
    balance: str
    step: str
    reward: str
    name: str
    penalty: str | None = None
    good: tuple[tuple[str, str], ...] = ()
    bad: tuple[tuple[str, str], ...] = ()
    pot: str | None = None
    cap: str | None = None
    floor: str | None = None
    prorate: bool = False
    direction: int | None = None


@dataclass(frozen=True)
class Commission:
    """``commission EXPR rate R [beyond T rate R2]... [retroactive] [scaled_by E] ...`` (3.2)."""

    expr: Expr
    rate: str
    name: str
    tiers: tuple[tuple[str, str], ...] = ()
    retroactive: bool = False
    scale: Expr | None = None
    cap: str | None = None
    floor: str | None = None


@dataclass(frozen=True)
class Bonus:
    """``bonus EXPR [scaled_by EXPR] [when COND] as NAME``."""

    amount: Expr
    name: str
    scale: Expr | None = None
    when: Cond | None = None


@dataclass(frozen=True)
class Share:
    """``share POOL as NAME``."""

    pool: str
    name: str


Line = Base | Allowance | Balance | Commission | Bonus | Share


# -- definitions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """``table NAME { OP T : V ... else : V }``."""

    name: str
    rows: tuple[tuple[str, str, str], ...]  # (op, threshold, value)
    otherwise: str


@dataclass(frozen=True)
class Kpi:
    """One KPI of a score: column, weight, baseline, target, challenge, direction."""

    column: str
    weight: str
    baseline: str
    target: str
    challenge: str
    direction: int | None = None


@dataclass(frozen=True)
class Score:
    """``score NAME { KPI ...; points P0 P1 P2 }``."""

    name: str
    kpis: tuple[Kpi, ...]
    points: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class Pool:
    """``pool NAME [per COLUMN] { BASE above T share S; split by W; cap C }``."""

    name: str
    base: str  # a param or a column
    above: str
    share: str
    split: str | None = None
    cap: str | None = None
    per: str | None = None


@dataclass(frozen=True)
class Indicator:
    """``indicator NAME = EXPR`` (no unit, no direction: higher is better)."""

    name: str
    expr: Expr


@dataclass(frozen=True)
class Card:
    """``card NAME { lines...; min_pay M }``."""

    name: str
    lines: tuple[Line, ...]
    min_pay: str | None = None


@dataclass(frozen=True)
class Book:
    """A whole rule file."""

    cards: tuple[Card, ...]
    tables: tuple[Table, ...] = ()
    scores: tuple[Score, ...] = ()
    pools: tuple[Pool, ...] = ()
    rounding: str = "0.01"
    indicators: tuple[Indicator, ...] = ()


@dataclass
class Data:
    """The rows: number columns as decimal strings, text columns as strings, params."""

    rows: int
    numbers: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
