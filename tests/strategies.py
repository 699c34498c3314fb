"""Internal hypothesis strategies: random KSF balance rules (rendered to rule text) and data.

Every number is drawn as a whole number of decimal units (an integer over 10**k) and kept as
a `Decimal`, so the rule text, the float the engine parses and the `Decimal` the reference
evaluator reads all mean the same decimal. Columns are float64 arrays whose shortest repr is
that decimal (``Decimal(repr(x))`` recovers it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from hypothesis import strategies as st

MAX_STEPS = 40  # data reach this many steps either side of a balance point
MAX_TIER = 15  # `beyond` tiers start at most this many steps from the balance point


def dec(units: int, decimals: int) -> Decimal:
    """``units / 10**decimals`` as an exact Decimal (``dec(5, 2)`` is ``0.05``)."""
    return Decimal(units).scaleb(-decimals)


def text(number: Decimal) -> str:
    """A Decimal as a rule-text number: plain digits, never exponent notation."""
    return format(number, "f")


@dataclass(frozen=True)
class Rule:
    """One balance rule on the column ``name``, with every clause as written.

    ``good`` and ``bad`` hold the ``beyond`` tiers as (whole steps from the balance point,
    rate); ``direction`` is None when the text names no direction (a plain column, so
    higher is better).
    """

    name: str
    balance: Decimal
    step: Decimal
    reward: Decimal
    penalty: Decimal | None = None
    good: tuple[tuple[int, Decimal], ...] = ()
    bad: tuple[tuple[int, Decimal], ...] = ()
    pot: Decimal | None = None
    cap: Decimal | None = None
    floor: Decimal | None = None
    prorate: bool = False
    direction: int | None = None
    decimals: int = field(default=0, compare=False)

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is better."""
        return self.direction or 1

    def point(self, steps: int | Decimal) -> Decimal:
        """The value ``steps`` whole steps from the balance point on the good side."""
        return self.balance + self.sign * steps * self.step

    def render(self) -> str:
        """The rule as one line of rule text."""
        words = [self.name]
        if self.pot is not None:
            words += ["pot", text(self.pot)]
        words += ["balance", text(self.balance), "step", text(self.step)]
        words += ["reward", text(self.reward)]
        if self.penalty is not None:
            words += ["penalty", text(self.penalty)]
        for steps, rate in self.good:
            words += ["beyond", text(self.point(steps)), "reward", text(rate)]
        for steps, rate in self.bad:
            words += ["beyond", text(self.point(-steps)), "penalty", text(rate)]
        if self.cap is not None:
            words += ["cap", text(self.cap)]
        if self.floor is not None:
            words += ["floor", text(self.floor)]
        if self.prorate:
            words.append("prorate")
        if self.direction is not None:
            words.append("higher_is_better" if self.direction > 0 else "lower_is_better")
        return " ".join(words)


@dataclass(frozen=True)
class Card:
    """A card ``c``: an optional base, balance rules on distinct columns, optional min_pay."""

    rules: tuple[Rule, ...]
    base: Decimal | None = None
    min_pay: Decimal | None = None

    def render(self) -> str:
        """The card as rule text."""
        lines = [] if self.base is None else [f"base {text(self.base)}"]
        lines += [rule.render() for rule in self.rules]
        if self.min_pay is not None:
            lines.append(f"min_pay {text(self.min_pay)}")
        return "card c {\n  " + "\n  ".join(lines) + "\n}\n"


def money(low: int = 0, high: int = 500) -> st.SearchStrategy[Decimal]:
    """Amounts in whole cents from ``low`` to ``high`` yuan."""
    return st.integers(low * 100, high * 100).map(lambda cents: dec(cents, 2))


@st.composite
def tiers(draw: st.DrawFn) -> tuple[tuple[int, Decimal], ...]:
    """Progressive `beyond` tiers on one side: distinct whole-step starts, each with a rate."""
    starts = draw(st.lists(st.integers(1, MAX_TIER), max_size=3, unique=True))
    return tuple((start, draw(money())) for start in sorted(starts))


@st.composite
def bounds(draw: st.DrawFn) -> tuple[Decimal | None, Decimal | None]:
    """An optional cap and an optional floor, with floor <= cap when both are given."""
    cap = draw(st.none() | money(-5000, 5000))
    floor = draw(st.none() | money(-5000, 5000))
    if cap is not None and floor is not None and floor > cap:
        cap, floor = floor, cap
    return cap, floor


@st.composite
def rules(
    draw: st.DrawFn,
    name: str = "x",
    *,
    beyond: bool = True,
    clip: bool = True,
    pot: bool = True,
    prorate: bool | None = None,
) -> Rule:
    """A random balance rule on column ``name``; switch clauses off with the flags.

    ``prorate`` None draws it; True or False forces it. Balance points stay within 10**5
    steps of zero, as real rules do, so float64 keeps every step point within float noise.
    """
    decimals = draw(st.integers(0, 3))
    step = dec(draw(st.integers(1, 500)), decimals)
    balance = dec(draw(st.integers(-10_000, 100_000)), decimals)
    cap, floor = draw(bounds()) if clip else (None, None)
    return Rule(
        name=name,
        balance=balance,
        step=step,
        reward=draw(money()),
        penalty=draw(st.none() | money()),
        good=draw(tiers()) if beyond else (),
        bad=draw(tiers()) if beyond else (),
        pot=draw(st.none() | money(0, 5000)) if pot else None,
        cap=cap,
        floor=floor,
        prorate=draw(st.booleans()) if prorate is None else prorate,
        direction=draw(st.sampled_from([None, 1, -1])),
        decimals=decimals,
    )


@st.composite
def cards(draw: st.DrawFn, max_rules: int = 3) -> Card:
    """A card of 1..max_rules random balance rules on columns x0, x1, …."""
    count = draw(st.integers(1, max_rules))
    return Card(
        rules=tuple(draw(rules(f"x{i}")) for i in range(count)),
        base=draw(st.none() | money(0, 9000)),
        min_pay=draw(st.none() | money(0, 9000)),
    )


def values(rule: Rule) -> st.SearchStrategy[Decimal]:
    """Values of a rule's column: exact step points, and anything with one more decimal."""
    on_step = st.integers(-MAX_STEPS, MAX_STEPS).map(rule.point)
    reach = MAX_STEPS * int(rule.step.scaleb(rule.decimals + 1))
    between = st.integers(-reach, reach).map(
        lambda units: rule.balance + dec(units, rule.decimals + 1)
    )
    return on_step | between


def floats(decimals: list[Decimal]) -> np.ndarray:
    """Decimals as a float64 column (each the float nearest its decimal)."""
    return np.array([float(d) for d in decimals], dtype=np.float64)


@st.composite
def columns(
    draw: st.DrawFn, card: Card, min_rows: int = 1, max_rows: int = 30
) -> dict[str, np.ndarray]:
    """Data for ``card``: one float64 column per rule, all of one random length."""
    n = draw(st.integers(min_rows, max_rows))
    return {
        rule.name: floats(draw(st.lists(values(rule), min_size=n, max_size=n)))
        for rule in card.rules
    }


# ---- random syntax trees, for the formatter's round trip ---------------------------------
#
# Trees the parser could build: every literal's value is what the parser decodes from its
# text, names are never keywords, and `of` always has a number on its left. The checker
# would reject most of them (unknown names, clauses a line does not allow); the formatter
# must not care.

from ksf.dsl import ast as syntax  # noqa: E402 - the section's own import
from ksf.dsl.format_expr import KEYWORDS  # noqa: E402

_COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
_CLAUSE_KEYWORDS = [
    "pot",
    "balance",
    "step",
    "reward",
    "penalty",
    "cap",
    "floor",
    "rate",
    "weight",
    "baseline",
    "target",
    "challenge",
    "above",
    "share",
]
_FLAGS = ("prorate", "retroactive", "higher_is_better", "lower_is_better")

names = st.sampled_from(["x", "revenue", "毛利率", "_a1", "grade", "E"]) | (
    st.from_regex(r"[a-z_][a-z0-9_]{0,5}", fullmatch=True).filter(lambda n: n not in KEYWORDS)
)
# Inside an expression, the keywords a line of a block starts with are names too; the
# formatter must put them in parentheses when they start a line's expression. (Elsewhere,
# after a number for instance, Lark's lexer reads them as keywords, so no parse has them.)
_LINE_WORDS = ["bonus", "base", "share", "points", "balance", "cap", "split", "min_pay"]
_LINE_WORDS += ["奖金", "底薪", "分享", "分值", "平衡点", "封顶", "分配按", "最低工资"]  # §12
value_names = names | st.sampled_from(_LINE_WORDS)
labels = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\n\r'), max_size=8
)


def _value(lexeme: str) -> float:
    """What the parser decodes a lexeme to (``30%`` → 0.3, ``1:3`` → 3.0)."""
    clean = lexeme.replace("_", "")
    if clean.endswith("%"):
        return float(Decimal(clean[:-1]) / 100)
    if ":" in clean:
        spent, earned = (Decimal(p) for p in clean.split(":"))
        return float(earned / spent)
    return float(Decimal(clean))


_plain = st.one_of(
    st.integers(0, 10**7).map(str),
    st.integers(1, 999).map(lambda n: f"{n}_000"),
    st.tuples(st.integers(0, 999), st.integers(0, 99)).map(lambda p: f"{p[0]}.{p[1]}"),
)
_lexemes = st.one_of(
    _plain,
    _plain.map(lambda t: t + "%"),
    st.tuples(st.integers(1, 9), _plain).map(lambda p: f"{p[0]}:{p[1]}"),
)


def _number(lexeme: str) -> syntax.Number:
    return syntax.Number(_value(lexeme), lexeme)


numbers = _lexemes.map(_number)  # a literal as an expression writes it: never negative


def _signed(lexeme: str, negative: bool) -> syntax.Number:
    if negative:
        return syntax.Number(-_value(lexeme) + 0.0, "-" + lexeme)
    return _number(lexeme)


signed = st.builds(_signed, _lexemes, st.booleans())
keys = st.builds(_signed, _plain | _plain.map(lambda t: t + "%"), st.booleans())  # no ratios


def _extend(inner: st.SearchStrategy[syntax.Expr]) -> st.SearchStrategy[syntax.Expr]:
    ops = st.sampled_from(["+", "-", "*", "/", "and", "or", *_COMPARISONS])
    return st.one_of(
        st.builds(syntax.Binary, ops, inner, inner),
        st.builds(syntax.Binary, st.just("of"), numbers, inner),
        st.builds(syntax.Unary, st.sampled_from(["-", "not"]), inner),
        st.builds(syntax.Call, names, st.lists(inner, max_size=3).map(tuple)),
        # group aggregates (LANGUAGE.md §11): `sum(x over team)`, `count(over all)`
        st.builds(syntax.Group, names, inner | st.none(), names | st.none()),
    )


expressions = st.recursive(numbers | st.builds(syntax.Name, value_names), _extend, max_leaves=8)

clauses = st.one_of(
    st.builds(syntax.Clause, st.sampled_from(_CLAUSE_KEYWORDS), signed),
    st.builds(syntax.Beyond, signed, st.sampled_from(["reward", "penalty", "rate"]), signed),
    st.builds(syntax.Clause, st.sampled_from(_FLAGS)),
    st.builds(syntax.Clause, st.just("as"), names),
    st.builds(syntax.Clause, st.sampled_from(["scaled_by", "when"]), expressions),
)
_some = st.lists(clauses, max_size=3).map(tuple)
_one_or_more = st.lists(clauses, min_size=1, max_size=3).map(tuple)
_optional_name = st.none() | names

entries = st.builds(
    syntax.Entry,
    names | st.sampled_from(["B 级", "2", "base", "a#b", "10_5"]),
    keys,
)
card_items = st.one_of(
    st.builds(syntax.Fixed, st.sampled_from(["base", "allowance"]), signed, alias=_optional_name),
    st.builds(
        syntax.Fixed,
        st.sampled_from(["base", "allowance"]),
        st.none(),
        by=names,
        entries=st.lists(entries, min_size=1, max_size=4).map(tuple),
        alias=_optional_name,
    ),
    st.builds(syntax.Rule, expressions, _one_or_more),
    st.builds(syntax.Commission, expressions, _some),
    st.builds(syntax.Bonus, expressions, _some),
    st.builds(syntax.Share, names, _optional_name),
    st.builds(syntax.MinPay, signed),
    st.builds(syntax.Missing, st.just("balance") | names),
)
table_rows = st.builds(syntax.TableRow, st.sampled_from(_COMPARISONS), keys, keys) | st.builds(
    syntax.TableRow, st.none(), st.none(), keys
)
statements = st.one_of(
    st.builds(syntax.Currency, names),
    st.builds(syntax.Rounding, signed, _optional_name),
    st.builds(
        syntax.Indicator,
        names,
        expressions,
        _optional_name,
        st.none() | st.sampled_from(["higher_is_better", "lower_is_better"]),
        label=st.none() | labels,
    ),
    st.builds(syntax.Table, names, st.lists(table_rows, max_size=4).map(tuple)),
    st.builds(
        syntax.Column,
        names,
        _optional_name,
        st.lists(st.builds(syntax.Bound, st.sampled_from(_COMPARISONS), keys), max_size=2).map(
            tuple
        ),
        label=st.none() | labels,
    ),
    st.builds(
        syntax.Score,
        names,
        st.lists(st.builds(syntax.Kpi, expressions, _one_or_more), max_size=3).map(tuple),
        st.none() | st.lists(signed, min_size=1, max_size=3).map(tuple),
    ),
    st.builds(
        syntax.Pool,
        names,
        _optional_name,
        st.lists(st.builds(syntax.PoolAmount, expressions, _one_or_more), max_size=2).map(tuple),
        st.lists(names.map(lambda n: syntax.Clause("split_by", n)), max_size=2).map(tuple),
        st.lists(
            st.builds(syntax.Clause, st.sampled_from(_CLAUSE_KEYWORDS), signed), max_size=2
        ).map(tuple),
    ),
    st.builds(
        syntax.Card,
        names,
        st.none() | labels,
        st.lists(card_items, max_size=5).map(tuple),
        # a version's month (LANGUAGE.md §13), or none
        effective=st.none() | st.sampled_from(["2026-07", "2025-12", "1999-01"]),
    ),
)
# Decision matrices (LANGUAGE.md 10): every row has one cell per key, `else` anywhere (the
# checker, not the parser, wants it last).
_cells = st.one_of(
    st.builds(syntax.Cell, st.just("compare"), st.sampled_from(_COMPARISONS), keys),
    st.builds(syntax.Cell, st.just("number"), st.none(), keys),
    st.builds(syntax.Cell, st.just("name"), text=names),
    st.builds(syntax.Cell, st.just("string"), text=labels),
    st.just(syntax.Cell("any")),
)


def _matrix(width: int) -> st.SearchStrategy[syntax.Table]:
    cells = st.lists(_cells, min_size=width, max_size=width).map(tuple)
    row = st.builds(syntax.MatrixRow, st.none() | cells, keys)
    return st.builds(
        syntax.Table,
        names,
        st.just(()),
        keys=st.lists(names, min_size=width, max_size=width).map(tuple),
        matrix=st.lists(row, min_size=1, max_size=4).map(tuple),
    )


statements = statements | st.integers(2, 3).flatmap(_matrix)
rulebooks = st.lists(statements, max_size=5).map(lambda s: syntax.Rulebook(tuple(s)))
