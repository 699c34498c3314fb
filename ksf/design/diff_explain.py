"""Each changed line's explanation under one rulebook: its block of `Payroll.explain`.

`ksf.diff` explains only the rows that changed, and keeps of each explanation the blocks of
the lines that moved; the card's lines come from the rule file's IR (`card_lines`), so a
row is explained once per rulebook and never traced twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from ksf.explain_words import Lang
from ksf.payroll import Payroll
from ksf.rulebook import Rulebook

__all__ = ["TOPUP", "card_lines", "line_blocks"]

TOPUP = "min_pay_topup"


def line_blocks(
    payroll: Payroll, row: int, lang: Lang, names: Sequence[str] | None = None
) -> dict[str, str]:
    """Each line of the row's card with its block of `Payroll.explain` (its text, indented).

    An explanation is a heading, one block per line of the card in card order (its first
    text line unindented), the ``min_pay`` top-up's block when the card has one, and the
    total; blocks are matched to lines by that order, in either language. ``names``: the
    card's lines and top-up, when known (else read from the row's trace). Should the blocks
    not match the lines, each line gets the whole explanation rather than none.
    """
    blocks: list[list[str]] = []
    whole = payroll.explain(row, lang=lang)
    for text in whole.splitlines():
        if text.startswith(" ") and blocks:
            blocks[-1].append(text)
        else:
            blocks.append([text])
    if names is None:
        card = payroll.trace(row).card
        names = [item.name for item in card.lines] + ([TOPUP] if card.min_pay is not None else [])
    if len(blocks) != len(names) + 2:  # a layout this does not know: the whole, not nothing
        return dict.fromkeys(names, whole)
    return {name: "\n".join(block) for name, block in zip(names, blocks[1:-1], strict=True)}


def card_lines(book: Rulebook, name: str) -> tuple[str, ...]:
    """A card's line names (and the top-up, with ``min_pay``); () when the file lacks it."""
    card = book.program.card(name)
    if card is None:
        return ()
    return tuple(line.name for line in card.lines) + ((TOPUP,) if card.min_pay is not None else ())
