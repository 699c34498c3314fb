"""Files in and out: CSV data to columns, payrolls to CSV (written atomically).

CSV cells are read as an HR export writes them: UTF-8 with or without a BOM, thousands
separators (``1,200,000``), percentages (``33%`` → 0.33) and empty cells as missing values.
A column whose every non-empty cell is a number is numeric; any other column is text.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ksf._typing import AnyArray
from ksf.errors import DataError
from ksf.payroll import Payroll


def read_csv(path: str | Path) -> dict[str, AnyArray]:
    """Columns of a CSV file with a header row.

    Raises:
        DataError: the file has no header, a repeated column name, or ragged rows.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    return parse_csv(text, str(path))


def parse_csv(text: str, name: str = "<csv>") -> dict[str, AnyArray]:
    """Columns of CSV text (see `read_csv`)."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    if not rows:
        msg = f"{name}: the file is empty; it needs a header row"
        raise DataError(msg)
    header = [h.strip() for h in rows[0]]
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        msg = f"{name}: column names repeat: {', '.join(repeated)}"
        raise DataError(msg)
    body = [r for r in rows[1:] if any(cell.strip() for cell in r)]
    ragged = [i for i, r in enumerate(body) if len(r) != len(header)]
    if ragged:
        msg = f"{name}: rows have {len(header)} columns in the header but not in the data"
        raise DataError(msg, rows=ragged)
    cells = np.array(body, dtype=str).reshape(len(body), len(header))
    return {column: _column(cells[:, k]) for k, column in enumerate(header)}


def _column(cells: AnyArray) -> AnyArray:
    stripped = np.char.strip(cells.astype(str))
    empty = stripped == ""
    plain = np.char.replace(stripped, ",", "")
    percent = np.char.endswith(plain, "%")
    digits = np.where(percent, np.char.rstrip(plain, "%"), plain)
    try:
        values = np.where(empty, "nan", digits).astype(np.float64)
    except ValueError:
        return stripped
    values[percent] /= 100
    return values


def payroll_rows(payroll: Payroll, decimals: int = 2) -> Iterable[list[str]]:
    """The header and one row per employee: id (if any), card, every line, total."""
    header = (["id"] if payroll.ids is not None else []) + ["card", *payroll.lines, "total"]
    yield header
    columns = [payroll[line] for line in payroll.lines] + [payroll.total]
    for row in range(len(payroll)):
        head = [str(payroll.ids[row])] if payroll.ids is not None else []
        yield head + [str(payroll.cards[row])] + [f"{c[row]:.{decimals}f}" for c in columns]


def write_csv(payroll: Payroll, path: str | Path | None, decimals: int = 2) -> str:
    """Write the payroll as CSV to ``path`` atomically (temp file + rename); or return it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(payroll_rows(payroll, decimals))
    text = buffer.getvalue()
    if path is not None:
        write_atomically(Path(path), text)
    return text


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` so that ``path`` is either untouched or complete, never half-written."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
