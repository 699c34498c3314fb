"""A long differential run without shrinking: ``python -m exact.campaign N [SECONDS]``.

Run from tests/ (or with tests/ on the path). Draws up to N books, pays each with ksf and
with the exact reference, and prints how many agreed and the first disagreements of each
kind (the kind of line that differed), so a long run reports every class it met.
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from hypothesis import HealthCheck, Phase, given, settings

from . import cards
from .compare import disagreements, report
from .model import Book, Data
from .shrink import shrink


def kind(book: Book, line: str) -> str:
    """The kind of the line named ``line`` (Balance, Commission, ...), or the name itself."""
    for card in book.cards:
        for x in card.lines:
            if x.name == line:
                return type(x).__name__
    return line


def coverage(book: Book) -> Counter[str]:
    """How many of each thing a book holds: cards, lines by kind, tables, scores, pools."""
    count: Counter[str] = Counter(type(x).__name__ for c in book.cards for x in c.lines)
    count["cards"] = len(book.cards)
    count["min_pay"] = sum(c.min_pay is not None for c in book.cards)
    count.update(tables=len(book.tables), scores=len(book.scores), pools=len(book.pools))
    return count


def differences(book: Book, data: Data) -> list[str]:
    """The disagreements, or one line naming the error ksf raised."""
    try:
        return disagreements(book, data)
    except Exception as error:
        return [f"row - {type(error).__name__}: {str(error).splitlines()[0]}"]


def classes_of(book: Book, data: Data) -> set[str]:
    """The kinds of line on which ksf and the reference differ (an error is its own kind)."""
    return {kind(book, f.split()[2].rstrip(":")) for f in differences(book, data)}


def main(count: int, seconds: float) -> int:
    """Run the campaign; the exit status is 1 when anything disagreed or failed."""
    seen: Counter[str] = Counter()
    examples: dict[str, str] = {}
    tried = [0]
    cover: Counter[str] = Counter()
    stop = time.monotonic() + seconds

    @settings(
        max_examples=count,
        deadline=None,
        phases=[Phase.generate],
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(cards.books())
    def run(drawn: tuple[Book, Data]) -> None:
        if time.monotonic() > stop:
            return
        tried[0] += 1
        book, data = drawn
        cover.update(coverage(book))
        classes = classes_of(book, data)
        for c in classes:
            seen[c] += 1
            if c not in examples:
                small, rows = shrink(book, data, lambda b, d, c=c: c in classes_of(b, d))
                examples[c] = report(small, rows, differences(small, rows))

    run()
    out = sys.stdout
    out.write(f"{tried[0]} books tried ({cover['cards']} cards); they held {dict(cover)}\n")
    out.write(f"books that disagreed, by the kind of line that differed: {dict(seen)}\n")
    for c, text in examples.items():
        out.write(f"\n===== {c}, smallest case found\n{text}\n")
    return 1 if seen else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), float(sys.argv[2]) if len(sys.argv) > 2 else 1e9))
