"""What the command prints: aligned tables, errors, progress.

Plain text whenever the output is a file or a pipe; on a terminal, tables and colour come
from rich when it is installed (``pip install 'ksf[rich]'``), plain text otherwise.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from ksf import io
from ksf.catalogue import cli as say
from ksf.explain_words import Lang
from ksf.source import display_width, visible

PROGRESS_BYTES = 64 * 2**20  # CSV and JSON: about a million rows of a typical HR export
# Parquet and XLSX record their row count, and their size says little about the wait: a
# million Parquet rows are a fraction of 64 MiB, and openpyxl reads about 10,000 rows a
# second, so a sheet of 20,000 rows already takes a couple of seconds.
PROGRESS_ROWS = {"parquet": 1_000_000, "xlsx": 20_000}
XLSX_BYTES = 2 * 2**20  # a sheet that does not record its size: about 20,000 rows
# The marks of a report in English and in Chinese (`ksf.catalogue.common`): 错误:, 提示：
_MARKS = re.compile(r"(?m)(\berror:|\bwarning:|\bhint:|错误[:：]|警告[:：]|提示：|^\s*\^+\s*$)")
_STYLES = {"error": "bold red", "warning": "bold magenta", "hint": "bold cyan"}
_STYLES |= {"错误": "bold red", "警告": "bold magenta", "提示": "bold cyan"}


def rich_console(stream: TextIO) -> Any | None:
    """A rich Console for ``stream`` if it is a terminal and rich is installed, else None."""
    if not is_terminal(stream):
        return None
    try:
        from rich.console import Console
    except ImportError:
        return None
    return Console(file=stream, highlight=False)


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is attached to a terminal (a StringIO or a pipe is not)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def table(
    head: Sequence[str],
    body: Sequence[Sequence[str]],
    out: TextIO,
    *,
    left: int = 1,
    footer: Sequence[str] | None = None,
    title: str | None = None,
    fancy: bool | None = None,
    text: Collection[int] = (),
) -> None:
    """An aligned table: the first ``left`` columns text (left), the rest numbers (right).

    ``text``: more columns (by position) that hold text, aligned left wherever they are.

    ``fancy``: draw it with rich (only on a terminal, when rich is installed); by default,
    when it `fits` the terminal. Control characters in cells are printed as escapes
    (`ksf.source.visible`).
    """
    head, body = [visible(c) for c in head], [[visible(c) for c in row] for row in body]
    footer = [visible(c) for c in footer] if footer else None
    title = visible(title) if title else title
    rows = [list(head), *map(list, body)] + ([list(footer)] if footer else [])
    widths = _widths(rows)
    console = rich_console(out)
    if console is not None and (fits(head, body, footer, out) if fancy is None else fancy):
        _rich_table(console, head, body, left, footer, title, text)
        return
    if title:
        out.write(title + "\n")
    for row in rows:
        cells = [
            (c.ljust if k < left or k in text else c.rjust)(w - display_width(c) + len(c))
            for k, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.write("  ".join(cells).rstrip() + "\n")


def fits(
    head: Sequence[str], body: Sequence[Sequence[str]], footer: Sequence[str] | None, out: TextIO
) -> bool:
    """Whether a rich table of these cells fits the terminal without cutting any short.

    Rich shrinks columns that do not fit ("7,…"): a table too wide is printed plain, every
    digit intact, and the terminal (or ``less -S``) shows it whole.
    """
    console = rich_console(out)
    if console is None:
        return False
    rows = [list(head), *map(list, body)] + ([list(footer)] if footer else [])
    widths = _widths(rows)
    return bool(sum(widths) + 3 * len(widths) + 1 <= console.width)


def _widths(rows: Sequence[Sequence[str]]) -> list[int]:
    return [max(display_width(c) for c in column) for column in zip(*rows, strict=True)]


def _rich_table(
    console: Any,
    head: Sequence[str],
    body: Sequence[Sequence[str]],
    left: int,
    footer: Sequence[str] | None,
    title: str | None,
    text: Collection[int] = (),
) -> None:
    from rich.table import Table
    from rich.text import Text

    # Text, not str: rich would read `[red]` in an id or a label as markup.
    grid = Table(
        title=Text(title) if title else None, title_justify="left", show_footer=footer is not None
    )
    for k, name in enumerate(head):
        grid.add_column(
            Text(name),
            footer=Text(footer[k]) if footer else "",
            justify="left" if k < left or k in text else "right",
            no_wrap=k < left,
        )
    for row in body:
        grid.add_row(*map(Text, row))
    console.print(grid)


def error_text(text: str, stream: TextIO) -> None:
    """Print an error (or warning) report, coloured when ``stream`` is a terminal.

    Control characters (from an id, a label, a file name) are printed as escapes, so no
    text in a report can move the cursor or recolour the terminal.
    """
    text = visible(text)
    console = rich_console(stream)
    if console is None:
        stream.write(text.rstrip("\n") + "\n")
        return
    from rich.text import Text

    styled = Text(text.rstrip("\n"))
    for found in _MARKS.finditer(text):
        style = _STYLES.get(found.group(1)[:-1], "bold green")
        styled.stylize(style, found.start(1), found.end(1))
    console.print(styled)


def is_big(data: Path, data_format: str | None = None, sheet: str | None = None) -> bool:
    """Whether reading and computing ``data`` takes long enough to show progress."""
    try:
        kind = io.data_format(data, data_format)
    except ValueError:  # reported by the command itself
        return False
    if not data.is_file():
        return False
    rows = io.row_count(data, format=kind, sheet=sheet)
    if rows is not None:
        return rows > PROGRESS_ROWS[kind]
    return data.stat().st_size > (XLSX_BYTES if kind == "xlsx" else PROGRESS_BYTES)


class Progress:
    """Progress on stderr for big inputs: a bar while reading, a spinner for later stages.

    Shown only when rich is installed, stderr is a terminal and the data is big (`is_big`):
    more than `PROGRESS_ROWS` rows where the format records its row count (Parquet, XLSX),
    else a file larger than `PROGRESS_BYTES` (CSV, JSON; `XLSX_BYTES` for a sheet that does
    not record its size); otherwise every method is a no-op.
    """

    def __init__(
        self,
        data: Path | None,
        stream: TextIO = sys.stderr,
        *,
        data_format: str | None = None,
        sheet: str | None = None,
        lang: Lang = "en",
    ) -> None:
        self._progress: Any = None
        self.lang = lang  # the language of the descriptions
        big = data is not None and is_big(data, data_format, sheet)
        console = rich_console(stream) if big else None
        if console is not None:
            from rich.progress import (
                BarColumn,
                SpinnerColumn,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as Bar

            self._progress = Bar(
                SpinnerColumn(),
                TextColumn("{task.description}", markup=False),
                BarColumn(),
                TaskProgressColumn(),  # a percentage while reading, nothing for a spinner
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )

    def __enter__(self) -> Progress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def opener(self) -> Callable[[Path], TextIO] | None:
        """A file opener that advances a bar as the file is read (None: no progress)."""
        if self._progress is None:
            return None
        progress, lang = self._progress, self.lang

        def open_with_bar(path: Path) -> TextIO:
            handle: TextIO = progress.open(
                path,
                "r",
                encoding="utf-8-sig",
                newline="",
                description=visible(say.READING(name=path.name).text(lang)),
            )
            return handle

        return open_with_bar

    @contextlib.contextmanager
    def stage(self, description: str) -> Iterator[None]:
        """A spinner with ``description`` while the block runs."""
        if self._progress is None:
            yield
            return
        task = self._progress.add_task(visible(description), total=None)
        try:
            yield
        finally:
            self._progress.remove_task(task)
