"""Number lexemes → values, decoded once: ``1_200_000``, ``30%``, ``1:3``, ``100万``.

The parser keeps each lexeme beside its value on `ast.Number` (for ``ksf fmt``), and refuses
a number outside the range rules may write.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ksf.catalogue import syntax as say
from ksf.message import Message

WAN = "万"  # ten thousand: part of the number it follows (`100万`, LANGUAGE.md §12)
# Numbers in rules stay within 15 digits before the point and 15 places after it: float64
# holds every such whole number exactly, and no sum or product of a few of them comes near
# infinity or below the smallest normal float (1e308-scale literals broke later arithmetic).
MAX_NUMBER = 1e15
MIN_NUMBER = 1e-15


def decode(text: str) -> float:
    """The value of a number lexeme: ``1_200_000``, ``30%``, ``1:3`` (= 3.0)."""
    clean = text.replace("_", "")
    try:
        if clean.endswith(WAN):  # 1.5万 = 15,000
            return float(Decimal(clean[:-1]) * 10_000)
        if clean.endswith("%"):
            return float(Decimal(clean[:-1]) / 100)
        if ":" in clean:
            spent, earned = (Decimal(part) for part in clean.split(":"))
            return float(earned / spent)
        return float(Decimal(clean))
    except (InvalidOperation, ZeroDivisionError):
        return float("nan")


def out_of_range(value: float, text: str) -> tuple[Message, Message] | None:
    """Message and hint for a number past `MAX_NUMBER` or nearer 0 than `MIN_NUMBER`."""
    if MIN_NUMBER <= abs(value) < MAX_NUMBER or value == 0:
        return None
    shown = text if len(text) <= 20 else text[:17] + "…"
    if abs(value) >= MAX_NUMBER:
        return say.NUMBER_TOO_LARGE(number=shown), say.NUMBER_BELOW()
    return say.NUMBER_TOO_SMALL(number=shown), say.NUMBER_AT_LEAST()
