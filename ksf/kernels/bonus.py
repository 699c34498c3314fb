"""Bonuses, and amounts looked up by a key column (``base by grade { … }``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ksf._typing import FloatArray
from ksf.catalogue import data_run as say
from ksf.kernels.values import BadValues, Value


def bonus(amount: Value, scale: Value | None, when: Value | None, out: FloatArray) -> None:
    """``bonus EXPR scaled_by S when C``: amount × scale where the condition holds, else 0."""
    out[...] = amount
    if scale is not None:
        out *= scale
    if when is not None:
        out[np.asarray(when) == 0] = 0.0


def _as_number(key: str) -> float:
    try:
        return float(key)
    except ValueError:
        return np.nan  # a key like "A" never matches a numeric column


def by_key(keys: Sequence[str], amounts: Sequence[float]) -> Callable[[Any, FloatArray], None]:
    """A lookup of amounts by a column's value (text, or numbers such as grade 1, 2, 3).

    An unlisted or empty value is bad data.
    """
    text_order = np.argsort(np.array(keys, dtype=str))
    text_keys = np.array(keys, dtype=str)[text_order]
    text_amounts = np.array(amounts, dtype=np.float64)[text_order]
    numbers = np.array([_as_number(k) for k in keys])
    number_order = np.argsort(numbers)
    number_keys = numbers[number_order]
    number_amounts = np.array(amounts, dtype=np.float64)[number_order]

    def kernel(column: Any, out: FloatArray) -> None:
        values = np.asarray(column)
        numeric = values.dtype.kind == "f"
        sorted_keys = number_keys if numeric else text_keys
        probe = values if numeric else values.astype(str)
        found = np.minimum(np.searchsorted(sorted_keys, probe), len(sorted_keys) - 1)
        known = sorted_keys[found] == probe
        if not known.all():
            shown = sorted(
                {
                    "(empty)" if str(v) in ("", "nan") else f"{v:g}" if numeric else str(v)
                    for v in values[~known].tolist()
                }
            )
            raise BadValues(~known, say.NOT_IN_TABLE(values=", ".join(shown[:5])))
        np.take(number_amounts if numeric else text_amounts, found, out=out)

    return kernel
