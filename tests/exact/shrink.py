"""Cut a disagreeing book down: drop rows, cards, lines and unused definitions while it
still disagrees, so a finding reads as a minimal card and a row or two."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from .model import Book, Data, Share


def without_row(data: Data, row: int) -> Data:
    """The data without one row."""
    keep = [r for r in range(data.rows) if r != row]
    return Data(
        data.rows - 1,
        {k: [v[r] for r in keep] for k, v in data.numbers.items()},
        {k: [v[r] for r in keep] for k, v in data.texts.items()},
        dict(data.params),
    )


def prune(book: Book, data: Data) -> Book:
    """Drop cards no row uses, then tables, scores and pools no line reaches (by name)."""
    if "card" in data.texts:
        used = set(data.texts["card"])
        book = replace(book, cards=tuple(c for c in book.cards if c.name in used))
    from . import render

    text = "".join(render.card(c) for c in book.cards)
    pools = tuple(
        p
        for p in book.pools
        if any(isinstance(x, Share) and x.pool == p.name for c in book.cards for x in c.lines)
    )
    scores = tuple(s for s in book.scores if s.name in text)
    tables = tuple(t for t in book.tables if f"{t.name}(" in text)
    text += "".join(render.score(s) for s in scores) + "".join(render.pool(p) for p in pools)
    words = set(re.findall(r"\w+", text))
    indicators = tuple(i for i in book.indicators if i.name in words)
    return replace(book, tables=tables, scores=scores, pools=pools, indicators=indicators)


def tidy(book: Book, data: Data) -> Data:
    """The data without the columns and params that the rule text never names."""
    from . import render

    words = set(re.findall(r"\w+", render.book(book)))
    keep = lambda name: name in words or name in ("id", "card")  # noqa: E731
    return Data(
        data.rows,
        {k: v for k, v in data.numbers.items() if keep(k)},
        {k: v for k, v in data.texts.items() if keep(k)},
        {k: v for k, v in data.params.items() if keep(k)},
    )


def candidates(book: Book, data: Data) -> list[tuple[Book, Data]]:
    """Every book and data one cut smaller."""
    out = []
    for row in range(data.rows if data.rows > 1 else 0):
        smaller = without_row(data, row)
        out.append((prune(book, smaller), smaller))
    for i, card in enumerate(book.cards):
        for j in range(len(card.lines)):
            lines = card.lines[:j] + card.lines[j + 1 :]
            if lines:
                cards = (*book.cards[:i], replace(card, lines=lines), *book.cards[i + 1 :])
                out.append((prune(replace(book, cards=cards), data), data))
        if card.min_pay is not None:
            cards = (*book.cards[:i], replace(card, min_pay=None), *book.cards[i + 1 :])
            out.append((replace(book, cards=cards), data))
    return out


def shrink(book: Book, data: Data, fails: Callable[[Book, Data], bool]) -> tuple[Book, Data]:
    """The smallest book and data reached by single cuts that keep ``fails`` true."""
    book = prune(book, data)
    progress = True
    while progress:
        progress = False
        for smaller in candidates(book, data):
            try:
                still = fails(*smaller)
            except Exception:
                still = False
            if still:
                book, data = smaller
                progress = True
                break
    return book, tidy(book, data)
