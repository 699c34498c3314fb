"""Read a Parquet file, or a pyarrow Table, into columns (needs pyarrow: ``ksf[pyarrow]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ksf._typing import AnyArray
from ksf.catalogue import io as say
from ksf.cell_numbers import check_float_width
from ksf.errors import DataError
from ksf.io.cells import object_column
from ksf.optional import requires


def read_parquet(path: Path) -> dict[str, AnyArray]:
    """Columns of a Parquet file: numeric columns as float64, the rest cell by cell."""
    with requires("pyarrow", say.READING_PARQUET(), "pyarrow"):
        import pyarrow.parquet as pq
    import pyarrow as pa

    try:
        table = pq.read_table(path)
    except pa.ArrowInvalid as error:
        msg = say.IN_FILE(path=path, message=say.NOT_PARQUET(error=error))
        raise DataError(msg) from None
    return arrow_columns(table, str(path))


def arrow_columns(table: Any, where: str) -> dict[str, AnyArray]:
    """Columns of a pyarrow Table (nulls are missing values)."""
    import pyarrow as pa

    columns: dict[str, AnyArray] = {}
    for name in table.column_names:
        column = table.column(name)
        kind = column.type
        if pa.types.is_floating(kind):  # a float32 has lost cents; widening cannot restore them
            try:
                check_float_width(name, np.dtype(kind.to_pandas_dtype()))
            except DataError as error:
                msg = say.IN_FILE(path=where, message=error.said)
                raise DataError(msg, column=name) from None
        if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
            try:
                values = column.cast(pa.float64()).to_numpy(zero_copy_only=False)
            except pa.ArrowInvalid:
                raise _not_exact(column, name, where) from None
            columns[name] = np.asarray(values, dtype=np.float64)
        else:
            columns[name] = object_column(column.to_pylist(), name, where)
    return columns


def _not_exact(column: Any, name: str, where: str) -> DataError:
    """A `DataError` for whole numbers a float64 cannot hold exactly (beyond 2**53)."""
    msg = say.IN_FILE(path=where, message=say.BEYOND_2_53(column=repr(name)))
    import pyarrow as pa

    if not pa.types.is_integer(column.type) or column.null_count:
        return DataError(msg, column=name)
    values = column.to_numpy()
    big = values > 2**53
    if not pa.types.is_unsigned_integer(column.type):
        big |= values < -(2**53)
    return DataError(msg, column=name, rows=np.flatnonzero(big).tolist())
