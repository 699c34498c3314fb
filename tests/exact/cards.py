"""Hypothesis strategies: random rulebooks (`model.Book`) with data aimed at their edges.

Every number is a short decimal drawn as an integer over a power of ten, written as text.
The data are drawn *from* each line's clauses so that they land on the places where a
float engine can go wrong: exactly on a balance point, a whole number of steps from it,
half a step, a `beyond` point, a table threshold, a score bound, a pool threshold; large
balances with small steps; half cents left after subtracting millions; tied pool remainders.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import strategies as st

from . import oracle
from .model import (
    Allowance,
    Balance,
    Base,
    Bin,
    Bonus,
    Book,
    Call,
    Card,
    Commission,
    Data,
    Expr,
    Line,
    Name,
    Num,
    Of,
    Pool,
    Share,
    number,
)
from .values import (
    AVOID,
    RATES,
    Builder,
    Draw,
    condition,
    decimal,
    half_cent,
    lookup,
    maybe,
    percent,
    scale,
    score,
    short,
    source,
    text,
)

# -- balance rules --------------------------------------------------------------------------

STEPS = ["0.01", "0.1", "1", "5", "0.5", "0.25", "1000", "5000", "0.05", "2.5"]
LARGE = [
    ("100000", "0.01"),
    ("5000000", "0.1"),
    ("1957000", "0.05"),
    ("820000", "5000"),
    ("100000", "0.07"),
    ("123456.78", "0.01"),
]


def balance_rule(b: Builder) -> Line:
    """A balance rule on a fresh column; values whole/half/odd steps from B and its tiers."""
    draw = b.draw
    style = draw(st.sampled_from(["plain", "percent", "large"]))
    if style == "large":
        bal, stp = (number(x) for x in draw(st.sampled_from(LARGE)))
    elif style == "percent":
        bal = decimal(draw, 0, 100, draw(st.integers(0, 1))) / 100
        stp = number(draw(st.sampled_from(["0.1%", "1%", "0.5%", "2%", "0.01%"])))
    else:
        bal = short(draw, -1000, 100000)
        stp = number(draw(st.sampled_from(STEPS)))
    show = percent if style == "percent" else text
    sign = draw(st.sampled_from([1, -1]))
    direction = draw(st.sampled_from([None, 1])) if sign == 1 else -1
    good = sorted(set(draw(st.lists(st.integers(1, 10), max_size=2))))
    bad = sorted(set(draw(st.lists(st.integers(1, 10), max_size=2))))

    def at(steps: Fraction) -> Fraction:
        return bal + sign * stp * steps

    def value(d: Draw) -> Fraction:
        kind = d(st.sampled_from(["step", "half", "odd", "tier", "random"]))
        if kind == "random":
            return bal + short(d, -50, 50) * d(st.sampled_from([stp, Fraction(1)]))
        if kind == "tier" and (good or bad):
            k = d(st.sampled_from(good + [-x for x in bad]))
            return at(k + d(st.sampled_from([0, 1, -1])))
        whole = Fraction(d(st.integers(-15, 15)))
        frac = {"step": Fraction(0), "half": Fraction(1, 2)}.get(kind) or decimal(d, 0, 1, 2)
        return at(whole + frac)

    reward = short(draw, 0, 500)
    penalty = maybe(draw, lambda: short(draw, 0, 500))
    pot = maybe(draw, lambda: short(draw, 0, 3000))
    floor = maybe(draw, lambda: short(draw, -3000, 500))
    cap = maybe(draw, lambda: short(draw, 0, 6000))
    if floor is not None and cap is not None and cap < floor:
        floor, cap = cap, floor
    return Balance(
        column=source(b, b.each(value)),
        balance=show(bal),
        step=show(stp),
        reward=text(reward),
        penalty=None if penalty is None else text(penalty),
        good=tuple((show(at(Fraction(k))), text(short(draw, 0, 800))) for k in good),
        bad=tuple((show(at(Fraction(-k))), text(short(draw, 0, 800))) for k in bad),
        pot=None if pot is None else text(pot),
        cap=None if cap is None else text(cap),
        floor=None if floor is None else text(floor),
        prorate=draw(st.booleans()) and draw(st.booleans()),
        direction=direction,
        name=b.fresh("l"),
    )


# -- commissions ----------------------------------------------------------------------------


def commission(b: Builder) -> Line:
    """A commission on a column or on a difference of large amounts, with tiers and scale."""
    draw = b.draw
    rate = draw(st.sampled_from(RATES) | st.integers(1, 60).map(lambda p: f"{p}%"))
    tiers: list[tuple[str, str]] = []
    edge = Fraction(0)
    for _ in range(draw(st.integers(0, 2))):
        large = "subtract" not in AVOID and not tiers and draw(st.booleans())
        edge += Fraction(1957000) if large else short(draw, 1, 500000)
        tiers.append((text(edge), draw(st.sampled_from(RATES))))
    edges = [number(t) for t, _ in tiers]

    def value(d: Draw) -> Fraction:
        kind = d(st.sampled_from(["random", "edge", "half", "negative", "past"]))
        if kind == "edge" and edges:
            return d(st.sampled_from(edges)) + d(st.sampled_from([0, 0, Fraction(1, 100), -1]))
        if kind == "past" and edges:  # a half cent earned past a tier's threshold
            i = d(st.integers(0, len(edges) - 1))
            found = half_cent(d, number(tiers[i][1]))
            if found is not None:
                return edges[i] + found
        if kind == "half":
            found = half_cent(d, number(rate))
            if found is not None:
                return found
        if kind == "negative":
            return -short(d, 0, 10000)
        return short(d, 0, 1200000)

    values = b.each(value)
    if "subtract" not in AVOID and draw(st.booleans()):
        large = [short(draw, 100000, 99999999) for _ in values]
        expr: Expr = Bin(
            "-",
            Name(b.column([v + x for v, x in zip(values, large, strict=True)])),
            Name(b.column(large)),
        )
    else:
        expr = Name(b.column(values))
    cap = maybe(draw, lambda: short(draw, 0, 20000))
    floor = draw(st.none() | st.sampled_from(["0", "-100"]))
    return Commission(
        expr=expr,
        rate=rate,
        tiers=tuple(tiers),
        retroactive="retroactive" not in AVOID and draw(st.booleans()),
        scale=maybe(draw, lambda: scale(b)),
        cap=None if cap is None else text(cap),
        floor=floor,
        name=b.fresh("l"),
    )


# -- bonuses ------------------------------------------------------------------------------


def bonus(b: Builder) -> Line:
    """A bonus: a literal, a percent of a column, a score, a difference, a lookup product."""
    draw = b.draw
    kinds = ["number", "of", "score", "lookup", "call"]
    kinds += [] if "subtract" in AVOID else ["difference"]
    kind = draw(st.sampled_from(kinds))
    if kind == "number":
        amount: Expr = Num(text(short(draw, 0, 5000)))
    elif kind == "of":
        rate = draw(st.sampled_from(RATES))
        values = b.each(lambda d: half_cent(d, number(rate)) or short(d, -1000, 100000))
        amount = Of(rate, Name(b.column(values)))
    elif kind == "score":
        amount = score(b)
    elif kind == "difference":
        large = [short(draw, 100000, 9999999) for _ in range(b.rows)]
        small = b.each(lambda d: decimal(d, -100, 100, 3))
        amount = Bin(
            "-",
            Name(b.column([x + y for x, y in zip(large, small, strict=True)])),
            Name(b.column(large)),
        )
    elif kind == "call":
        limit = short(draw, -100, 1000)
        x = Name(b.column(b.each(lambda d: limit + decimal(d, -50, 50, 3))))
        fn = draw(st.sampled_from(["min", "max", "abs"]))
        args = (
            (x,)
            if fn == "abs"
            else (Num(text(short(draw, -10, 10))), Bin("-", x, Num(text(limit))))
        )
        amount = Call(fn, args)
    else:
        amount = Bin("*", Num(text(short(draw, 0, 5000))), lookup(b))
    return Bonus(
        amount=amount,
        scale=maybe(draw, lambda: scale(b)),
        when=maybe(draw, lambda: condition(b)),
        name=b.fresh("l"),
    )


# -- pools ----------------------------------------------------------------------------------

WEIGHTS = ["1", "0.1", "5", "3", "2", "0", "0.3", "1.5", "7"]
POOLS = [("1957000", "30%"), ("1200000", "20%"), ("100000", "10%"), ("0", "100%"), ("1000", "33%")]


def share(b: Builder) -> Line:
    """A share of a new pool, split by a weight column or equally, maybe per group."""
    draw = b.draw
    above, rate = draw(st.sampled_from(POOLS[-2:] if "subtract" in AVOID else POOLS))
    per = None
    if draw(st.booleans()):
        per = b.fresh("g")
        b.texts[per] = [draw(st.sampled_from(["a", "b"])) for _ in range(b.rows)]

    def base(d: Draw) -> Fraction:
        found = half_cent(d, number(rate)) if d(st.booleans()) else None
        offset = found if found is not None else short(d, -1000, 500000)
        return number(above) + offset

    if per is None:
        name = b.fresh("p")
        b.params[name] = text(base(draw))
    else:
        levels = {g: base(draw) for g in sorted(set(b.texts[per]))}
        name = source(b, [levels[g] for g in b.texts[per]])
    split = None
    if draw(st.integers(0, 3)):
        weights = [w for w in WEIGHTS if "ties" not in AVOID or "." not in w]
        split = b.column([number(draw(st.sampled_from(weights))) for _ in range(b.rows)])
    cap = maybe(draw, lambda: text(short(draw, 0, 100000)))
    pool = Pool(b.fresh("q"), name, above, rate, split, cap, per)
    b.pools.append(pool)
    return Share(pool.name, b.fresh("l"))


# -- whole books ----------------------------------------------------------------------------

KINDS = {"balance": balance_rule, "commission": commission, "bonus": bonus, "share": share}


def card_lines(b: Builder) -> list[Line]:
    """A card's lines: maybe a base and an allowance, then 1-4 random lines."""
    draw = b.draw
    lines: list[Line] = []
    if draw(st.booleans()):
        lines.append(Base(text(short(draw, 0, 9000) + decimal(draw, 0, 1, 3) / 100)))
    if draw(st.booleans()):
        lines.append(Allowance(text(short(draw, 0, 900)), b.fresh("l")))
    kinds = draw(st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=4))
    return lines + [KINDS[kind](b) for kind in kinds]


def weigh_members(book: Book, data: Data) -> None:
    """Give every pool group at least one member of positive weight (section 6)."""
    cards = {c.name: c for c in book.cards}
    for pool in book.pools:
        if pool.split is None:
            continue
        members: dict[str, list[int]] = {}
        for r in range(data.rows):
            card = cards[oracle.card_of(book, data, r)]
            if any(isinstance(x, Share) and x.pool == pool.name for x in card.lines):
                members.setdefault(data.texts[pool.per][r] if pool.per else "", []).append(r)
        for rows in members.values():
            if all(number(data.numbers[pool.split][r]) == 0 for r in rows):
                data.numbers[pool.split][rows[0]] = "1"


@st.composite
def books(draw: Draw) -> tuple[Book, Data]:
    """A random rulebook of 1-2 cards with tables, scores and pools, and its data."""
    rows = draw(st.integers(1, 6))
    b = Builder(draw, rows)
    b.texts["id"] = [f"E{r + 1:02d}" for r in range(rows)]  # names the rows; never empty
    cards = [Card(f"c{i}", tuple(card_lines(b))) for i in range(draw(st.integers(1, 2)))]
    rounding = draw(st.sampled_from(["0.01"] * 6 + ["1", "0.05", "0.1"]))
    if len(cards) > 1:
        b.texts["card"] = [draw(st.sampled_from([c.name for c in cards])) for _ in range(rows)]
    book = Book(
        tuple(cards),
        tuple(b.tables),
        tuple(b.scores),
        tuple(b.pools),
        rounding,
        tuple(b.indicators),
    )
    data = Data(rows, b.numbers, b.texts, b.params)
    weigh_members(book, data)
    if draw(st.integers(0, 2)) == 0:
        book = with_min_pay(draw, book, data)
    return book, data


def with_min_pay(draw: Draw, book: Book, data: Data) -> Book:
    """A `min_pay` on each card: often exactly a row's total, else a round amount."""
    totals = oracle.pay(book, data)["total"]
    cards = []
    for card in book.cards:
        if draw(st.booleans()):
            amount = draw(st.sampled_from(totals)) + draw(
                st.sampled_from([0, 0, number(book.rounding)])
            )
        else:
            amount = decimal(draw, 0, 10000, 0)
        cards.append(replace(card, min_pay=text(amount)))
    return replace(book, cards=tuple(cards))
