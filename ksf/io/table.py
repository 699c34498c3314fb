"""The columns read from a data file, and where each row is in the file, for error messages.

Shared by every reader: the header row's checks (repeated names, values under no name) and
`at_lines`, which names an error's rows as an editor or Excel numbers them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ksf._typing import AnyArray
from ksf.catalogue import io as say
from ksf.errors import DataError
from ksf.message import Message, figures


class Table(dict[str, AnyArray]):
    """The columns of a data file, and where each row is in the file, when that is known.

    ``lines[row]`` is the row's number as an editor (CSV: the line it ends on) or Excel
    (``noun="sheet rows"``) shows it, so that an error can name it; None when unknown.
    """

    lines: tuple[int, ...] | None = None
    noun: str = "lines"

    def locate(self, error: DataError) -> DataError:
        """``error`` with its rows named by their place in the file, when that is known."""
        if self.lines is None or not error.rows or error.labels is not None:
            return error
        return at_lines(error, self.lines, noun=self.noun)


def at_lines(
    error: DataError, lines: Sequence[int], file: str | None = None, noun: str = "lines"
) -> DataError:
    """``error`` with its rows named by their numbers in the file (``lines[row]``).

    A person opens the file in an editor or in Excel, which number lines and sheet rows
    from 1 with the header: row 0 of the data is line 2 of a plain CSV file. With ``file``,
    the message starts with the file's name (unless it does already).
    """
    labels = [str(lines[r]) for r in error.rows] if error.rows else None
    message = error.said
    if file is not None and in_file(message) != file:
        message = say.IN_FILE(path=file, message=message)
    return DataError(
        message,
        column=error.column,
        names_column=error.names_column,
        rows=error.rows,
        labels=labels,
        noun=noun,
        checks=error.checks,  # several failed checks keep their own rows, now file lines
    )


def in_file(said: Message | str) -> str | None:
    """The file a message starts by naming (``july.csv: …``, `say.IN_FILE`), or None."""
    if isinstance(said, Message) and said.said is say.IN_FILE:
        return str(figures(said)["path"])
    return None


def unfiled(said: Message | str, file: str) -> Message | str:
    """``said`` without the leading ``file: `` (when the file is named elsewhere)."""
    if isinstance(said, str):
        return said.removeprefix(f"{file}: ")
    inner = figures(said).get("message") if in_file(said) == file else None
    return inner if isinstance(inner, Message | str) else said


def header_names(cells: Sequence[str], name: str) -> list[str]:
    """The header row's names, stripped; a name given to two columns is refused."""
    header = [h.strip() for h in cells]
    repeated = sorted({h for h in header if header.count(h) > 1 and h})
    if repeated:
        msg = say.IN_FILE(path=name, message=say.COLUMNS_REPEAT(names=", ".join(repeated)))
        raise DataError(msg)
    return header


def refuse_unnamed(header: Sequence[str], filled: Sequence[AnyArray], name: str) -> None:
    """Refuse a column with values but no name; an empty one is only formatting."""
    for k, column in enumerate(header):
        if not column and filled[k].any():
            msg = say.IN_FILE(path=name, message=say.UNNAMED_COLUMN(number=k + 1))
            raise DataError(msg, rows=np.flatnonzero(filled[k]).tolist())
