"""The params of an evaluation: named scalars the rules may read, checked as numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ksf.catalogue import data_rows as say
from ksf.cell_numbers import plain_numbers
from ksf.columns import Columns
from ksf.errors import DataError


def checked_params(params: Mapping[str, Any], columns: Columns) -> dict[str, float]:
    """The params as floats; refused if not a finite number, or if also a column."""
    values = {}
    for name, value in params.items():
        if name in columns.numeric or name in columns.text:
            raise DataError(say.PARAM_IS_COLUMN(param=repr(name)), column=name)
        if isinstance(value, np.floating) and value.itemsize < 8:  # float64 is 8 bytes
            # Like a float32 column: 0.26 is already 0.2599999904…, a threshold moved.
            said = say.PARAM_NARROW(param=repr(name), dtype=value.dtype)
            raise DataError(said, column=name)
        try:
            number = _param_number(value)
        except OverflowError:  # a Python int past float64's range
            raise DataError(say.PARAM_TOO_LARGE(param=repr(name)), column=name) from None
        except (TypeError, ValueError):
            said = say.PARAM_NOT_NUMBER(param=repr(name), value=repr(value))
            raise DataError(said, column=name) from None
        if not np.isfinite(number):
            said = say.PARAM_NOT_FINITE(param=repr(name), value=repr(value))
            raise DataError(said, column=name)
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
