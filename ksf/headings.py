"""The first line of an explanation: who the row is, the card (and its version) and the period.

`Payroll.explain`, `ksf explain` and the payslips' audit trail all start with it.
"""

from __future__ import annotations

from ksf import ir
from ksf.explain_words import Lang, say


def heading(
    row: int,
    ident: object | None,
    card: ir.Card,
    lang: Lang = "en",
    where: str | None = None,
    period: object | None = None,
) -> str:
    """Who and which card, its version and the period (§13), as one line.

    ``where`` names the row as people find it (`row_in_file`).
    """
    where = where or say(lang, "row", row=row + 1 if lang == "zh" else row)  # 员工 E002（第 2 行）
    who = where if ident is None else say(lang, "who_at", ident=ident, where=where)
    label = f' "{card.label}"' if card.label else ""
    if card.effective is not None:
        label += say(lang, "version", month=card.effective)
    said = say(lang, "heading", who=who, card=card.name, label=label)
    return said if period is None else said + say(lang, "in_period", period=period)
