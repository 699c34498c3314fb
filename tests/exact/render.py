"""Write a `model.Book` as ksf rule text, and its data as the columns ksf is given."""

from __future__ import annotations

import numpy as np

from .model import (
    Allowance,
    Balance,
    Base,
    Bin,
    Bonus,
    Book,
    Call,
    Card,
    Cmp,
    Commission,
    Cond,
    Data,
    Expr,
    Line,
    Lookup,
    Name,
    Not,
    Num,
    Of,
    Pool,
    Score,
    Share,
    Table,
)

DIRECTIONS = {None: "", 1: " higher_is_better", -1: " lower_is_better"}


def expr(e: Expr) -> str:
    """An expression, every compound operand in parentheses."""
    if isinstance(e, Num):
        return e.text
    if isinstance(e, Name):
        return e.name
    if isinstance(e, Of):
        return f"{e.percent} of {operand(e.expr)}"
    if isinstance(e, Lookup):
        return f"{e.table}({expr(e.arg)})"
    if isinstance(e, Call):
        return f"{e.fn}({', '.join(expr(a) for a in e.args)})"
    return f"{operand(e.left)} {e.op} {operand(e.right)}"


def operand(e: Expr) -> str:
    """An expression inside a larger one."""
    return f"({expr(e)})" if isinstance(e, (Bin, Of)) else expr(e)


def cond(c: Cond) -> str:
    """A condition, compound parts in parentheses."""
    if isinstance(c, Cmp):
        return f"{expr(c.left)} {c.op} {expr(c.right)}"
    if isinstance(c, Not):
        return f"not ({cond(c.cond)})"
    return f"({cond(c.left)}) {c.op} ({cond(c.right)})"


def clauses(pairs: list[tuple[str, str | None]]) -> str:
    """``word value`` for each value given."""
    return "".join(f" {word} {value}" for word, value in pairs if value is not None)


def line(x: Line) -> str:
    """One card line."""
    if isinstance(x, Base):
        return f"base {x.amount}"
    if isinstance(x, Allowance):
        return f"allowance {x.amount} as {x.name}"
    if isinstance(x, Balance):
        text = f"{x.column}" + clauses([("pot", x.pot), ("balance", x.balance), ("step", x.step)])
        text += clauses([("reward", x.reward), ("penalty", x.penalty)])
        text += "".join(f" beyond {p} reward {r}" for p, r in x.good)
        text += "".join(f" beyond {p} penalty {r}" for p, r in x.bad)
        text += clauses([("cap", x.cap), ("floor", x.floor)])
        text += " prorate" if x.prorate else ""
        return text + DIRECTIONS[x.direction] + f" as {x.name}"
    if isinstance(x, Commission):
        text = f"commission {expr(x.expr)} rate {x.rate}"
        text += "".join(f" beyond {t} rate {r}" for t, r in x.tiers)
        text += " retroactive" if x.retroactive else ""
        text += f" scaled_by {operand(x.scale)}" if x.scale is not None else ""
        return text + clauses([("cap", x.cap), ("floor", x.floor)]) + f" as {x.name}"
    if isinstance(x, Bonus):
        text = f"bonus {expr(x.amount)}"
        text += f" scaled_by {operand(x.scale)}" if x.scale is not None else ""
        text += f" when {cond(x.when)}" if x.when is not None else ""
        return text + f" as {x.name}"
    assert isinstance(x, Share)
    return f"share {x.pool} as {x.name}"


def table(t: Table) -> str:
    """A table block."""
    rows = "".join(f"  {op} {threshold} : {value}\n" for op, threshold, value in t.rows)
    return f"table {t.name} {{\n{rows}  else : {t.otherwise}\n}}\n"


def score(s: Score) -> str:
    """A score block."""
    kpis = "".join(
        f"  {k.column} weight {k.weight} baseline {k.baseline} target {k.target} "
        f"challenge {k.challenge}{DIRECTIONS[k.direction]}\n"
        for k in s.kpis
    )
    marks = f"  points {' '.join(s.points)}\n" if s.points else ""
    return f"score {s.name} {{\n{kpis}{marks}}}\n"


def pool(p: Pool) -> str:
    """A pool block."""
    per = f" per {p.per}" if p.per else ""
    body = f"  {p.base} above {p.above} share {p.share}\n"
    body += f"  split by {p.split}\n" if p.split else ""
    body += f"  cap {p.cap}\n" if p.cap else ""
    return f"pool {p.name}{per} {{\n{body}}}\n"


def card(c: Card) -> str:
    """A card block."""
    lines = [line(x) for x in c.lines]
    lines += [f"min_pay {c.min_pay}"] if c.min_pay is not None else []
    body = "".join(f"  {x}\n" for x in lines)
    return f"card {c.name} {{\n{body}}}\n"


def book(b: Book) -> str:
    """The whole rule file."""
    parts = [f"rounding {b.rounding} half_up\n"]
    parts += [f"indicator {i.name} = {expr(i.expr)}\n" for i in b.indicators]
    parts += [table(t) for t in b.tables] + [score(s) for s in b.scores]
    parts += [pool(p) for p in b.pools] + [card(c) for c in b.cards]
    return "".join(parts)


def columns(data: Data) -> dict[str, np.ndarray]:
    """The data ksf is given: each number as ``float(text)``, text columns as strings."""
    out: dict[str, np.ndarray] = {
        k: np.array([float(v) for v in col]) for k, col in data.numbers.items()
    }
    out.update({k: np.array(col, dtype=object) for k, col in data.texts.items()})
    return out


def params(data: Data) -> dict[str, float]:
    """The params ksf is given, each as ``float(text)``."""
    return {k: float(v) for k, v in data.params.items()}
