"""The params of an evaluation: named scalars the rules may read, checked as numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ksf.cell_numbers import plain_numbers
from ksf.columns import Columns
from ksf.errors import DataError


def checked_params(params: Mapping[str, Any], columns: Columns) -> dict[str, float]:
    """The params as floats; refused if not a finite number, or if also a column."""
    values = {}
    for name, value in params.items():
        if name in columns.numeric or name in columns.text:
            msg = f"param {name!r} is also a column of the data; rename one"
            raise DataError(msg, column=name)
        if isinstance(value, np.floating) and value.itemsize < 8:  # float64 is 8 bytes
            # Like a float32 column: 0.26 is already 0.2599999904…, a threshold moved.
            msg = f"param {name!r} is a {value.dtype}; pass a float (float64) or a Decimal"
            raise DataError(msg, column=name)
        try:
            number = _param_number(value)
        except OverflowError:  # a Python int past float64's range
            msg = f"param {name!r} is too large to be a number ksf can hold (past 1.8e308)"
            raise DataError(msg, column=name) from None
        except (TypeError, ValueError):
            msg = f"param {name!r} must be a number, got {value!r}"
            raise DataError(msg, column=name) from None
        if not np.isfinite(number):
            msg = f"param {name!r} must be a finite number, got {value!r}"
            raise DataError(msg, column=name)
        values[name] = number
    return values


def _param_number(value: Any) -> float:
    """A param as a float; a string must be a plain number, as a data cell must."""
    if isinstance(value, str):
        parsed = plain_numbers(np.array([value.strip()]))
        if parsed is None or not value.strip():
            raise ValueError(value)
        return float(parsed[0])
    return float(value)
