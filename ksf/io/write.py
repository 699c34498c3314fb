"""Write payrolls: CSV, JSON records, Parquet and XLSX (laid out by `write_xlsx`), atomically.

Every writer builds the file under a temporary name in the target's directory and renames
it over the target only once it is complete, so a run that fails (bad data, a full disk,
Ctrl-C) leaves the previous payroll file exactly as it was.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ksf._typing import AnyArray
from ksf.catalogue import io as say
from ksf.explain_words import Lang
from ksf.io.cells import ids_text
from ksf.io.write_xlsx import write_xlsx
from ksf.message import Message
from ksf.optional import requires
from ksf.payroll import Payroll
from ksf.source import visible

WRITERS = ("csv", "xlsx", "json", "parquet")
# A CSV file opened by a double click in Excel is read as the system's code page (GBK on a
# Chinese Windows) unless it starts with a BOM; with it, 张伟 stays 张伟. Text printed to a
# pipe has none, and every CSV reader that matters (ksf's, pandas', Python's utf-8-sig)
# accepts it.
EXCEL_BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (`=cmd|'/c calc'!A1`): OWASP's CSV-injection advice is to start it with a quote instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# Characters a terminal acts on or that reorder text (`ksf.source.visible`): C0 controls
# but the newline, DEL, C1 controls and Unicode's bidirectional marks and overrides.
_HIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def output_format(path: str | Path, override: str | None = None) -> str:
    """The format of an output file: ``override`` or its extension.

    Raises:
        ValueError: the extension is not one ksf writes.
    """
    suffix = (override or Path(path).suffix.lstrip(".")).lower()
    suffix = {"pq": "parquet"}.get(suffix, suffix)
    if suffix not in WRITERS:
        raise ValueError(say.UNKNOWN_FORMAT(path=path))
    return suffix


def output_target(path: str | Path) -> Path:
    """The file that writing to ``path`` replaces: a symbolic link's target, resolved.

    The payroll is written through a link, so the file it names is updated and the link
    stays a link.

    Raises:
        ValueError: the target exists and is not a regular file (a FIFO, a device, a
            directory, a socket): replacing it would swap a system object for a file.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(mode):
        raise ValueError(say.NOT_REGULAR(path=path, kind=_kind(mode)))
    return target


def _kind(mode: int) -> Message:
    kinds = [
        (stat.S_ISDIR, say.A_DIRECTORY),
        (stat.S_ISFIFO, say.A_NAMED_PIPE),
        (stat.S_ISCHR, say.A_DEVICE),
        (stat.S_ISBLK, say.A_DEVICE),
        (stat.S_ISSOCK, say.A_SOCKET),
    ]
    return next((name for test, name in kinds if test(mode)), say.NOT_PLAIN)()


def write_payroll(
    payroll: Payroll,
    path: str | Path,
    *,
    format: str | None = None,  # noqa: A002 - the word the command line uses
    payslips: bool = True,
    lang: Lang | None = None,
    where: Sequence[str] | None = None,
) -> None:
    """Write a payroll to ``path`` in the format its extension names, atomically.

    Args:
        payroll: the payroll to write.
        path: ``.csv``, ``.xlsx``, ``.json`` or ``.parquet``.
        format: write this format whatever the extension.
        payslips: for XLSX, add one payslip sheet per row after the payroll sheet.
        lang: for XLSX, the payslip sheets' language, ``"en"`` or ``"zh"`` (default: the
            rule file's ``language``, else English).
        where: for XLSX, each row as its payslip sheet's heading names it (``line 3 of
            july.csv``); None: as `Payroll.explain` names it.

    Raises:
        ImportError: the format needs an extra that is not installed.
        ValueError: the extension is not one ksf writes, or ``path`` is not a regular file
            (see `output_target`).
    """
    file = Path(path)
    kind = output_format(file, format)
    if kind == "csv":
        write_atomically(file, EXCEL_BOM + payroll_csv(payroll))
    elif kind == "json":
        write_atomically(file, payroll_json(payroll))
    elif kind == "parquet":
        write_atomically(file, lambda temporary: _write_parquet(payroll, temporary))
    else:
        write_atomically(
            file, lambda temporary: write_xlsx(payroll, temporary, payslips, lang, where)
        )


def payroll_rows(
    payroll: Payroll, decimals: int | None = None, *, spreadsheet_safe: bool = False
) -> Iterable[Sequence[str]]:
    """The header and one row per employee: id (if any), card, every line, total.

    A payroll whose cards have versions (LANGUAGE.md §13) has a ``version`` after ``card``.

    Amounts are written to ``decimals`` places: by default the places of the rulebook's
    rounding unit (`Payroll.decimals`: 2 for 0.01, 3 for 0.001, 0 for whole yuan).
    ``spreadsheet_safe``: control characters in ids are written as escapes (`escaped`), and
    an id a spreadsheet would run as a formula starts with ``'`` (`neutralised`), as in
    every CSV ksf writes.
    """
    decimals = payroll.decimals if decimals is None else decimals
    ids = ids_text(payroll)
    if ids is not None and spreadsheet_safe:
        ids = neutralised(escaped(ids))
    header = (["id"] if ids is not None else []) + ["card", *payroll.lines, "total"]
    front = ([ids.tolist()] if ids is not None else []) + [np.asarray(payroll.cards).tolist()]
    if payroll.versioned:  # each row's card version, after its card (LANGUAGE.md §13)
        header.insert(len(front), "version")
        front.append(np.asarray(payroll.versions).tolist())
    amounts = [payroll[line] for line in payroll.lines] + [payroll.total]
    text = [_money_text(column, decimals) for column in amounts]
    return itertools.chain([header], zip(*front, *text, strict=True))


def escaped(cells: AnyArray) -> AnyArray:
    r"""Text cells with control characters and bidi overrides as visible escapes (``\x1b``).

    One regular-expression pass over all the cells finds the few that hold one; only those
    are rewritten (`ksf.source.visible`).
    """
    text = np.asarray(cells).astype(str)
    pieces: list[str] = text.tolist()
    joined = "".join(pieces)
    if not _HIDDEN.search(joined):
        return text
    ends = np.cumsum([len(p) for p in pieces])
    found = [m.start() for m in _HIDDEN.finditer(joined)]
    out = text.astype(object)
    for k in np.unique(np.searchsorted(ends, found, side="right")).tolist():
        out[k] = visible(out[k])
    return out.astype(str)


def neutralised(cells: AnyArray) -> AnyArray:
    """Text cells with ``'`` before each that starts as a formula does (`FORMULA_STARTS`).

    A number stays as it is: ``-5`` and ``+1.5e3`` are numbers to a spreadsheet, not formulas.
    """
    text = np.asarray(cells).astype(str)
    risky = np.flatnonzero(np.char.startswith(text, FORMULA_STARTS[0]))
    for start in FORMULA_STARTS[1:]:
        risky = np.union1d(risky, np.flatnonzero(np.char.startswith(text, start)))
    if not len(risky):
        return text
    out = text.astype(object)
    for k in risky.tolist():  # the few risky cells only, not every row
        if not _NUMBER.fullmatch(out[k]):
            out[k] = "'" + out[k]
    return out.astype(str)


def _money_text(column: AnyArray, decimals: int) -> list[str]:
    """Amounts as text, each distinct amount formatted once.

    A payroll repeats itself (the same base, 0.00 for lines a card lacks): formatting the
    distinct amounts and spreading them back is several times faster than formatting every
    cell, and gives the same text.
    """
    return _each_distinct(column, lambda v: f"{v:.{decimals}f}")


def _money_numbers(column: AnyArray, decimals: int) -> list[float] | list[int]:
    """Amounts as the numbers their text shows: whole units as ints when ``decimals`` is 0."""
    if decimals == 0:
        return _each_distinct(column, lambda v: int(f"{v:.0f}"))  # 2509, not 2509.0
    return _each_distinct(column, lambda v: float(f"{v:.{decimals}f}"))


def _each_distinct(column: AnyArray, convert: Callable[[float], Any]) -> list[Any]:
    distinct, where = np.unique(column, return_inverse=True)
    converted = np.array([convert(v) for v in distinct.tolist()], dtype=object)
    spread: list[Any] = converted[where].tolist()
    return spread


def payroll_csv(payroll: Payroll, decimals: int | None = None) -> str:
    r"""The payroll as CSV text (see `payroll_rows`), safe to open and to print.

    No cell can start a spreadsheet formula, and control characters in ids are written as
    escapes (``\x1b``), printed or in a file.
    """
    buffer = io.StringIO()
    # Ids are escaped (`escaped`), so no cell holds a carriage return, which a reader
    # would take as a line end; a newline is quoted by the csv module.
    rows = payroll_rows(payroll, decimals, spreadsheet_safe=True)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(payroll: Payroll, path: str | Path | None, decimals: int | None = None) -> str:
    """Write the payroll as CSV to ``path`` atomically (temp file + rename); or return it."""
    text = payroll_csv(payroll, decimals)
    if path is not None:
        write_atomically(Path(path), EXCEL_BOM + text)
    return text


def payroll_json(payroll: Payroll) -> str:
    r"""The payroll as JSON records, money as numbers: ``[{"id": …, "card": …, …}, …]``.

    A payroll whose cards have versions has each row's ``version`` after its ``card``.

    Each amount is the number its CSV text shows (`Payroll.decimals` places): 1.235 with
    `rounding 0.001`, 50 with `rounding 1`, never float noise such as 0.30000000000000004.
    No control character or bidi override is written raw: each is a JSON ``\u`` escape.
    """
    ids = ids_text(payroll)
    columns: dict[str, list[Any]] = {}
    if ids is not None:
        columns["id"] = ids.tolist()
    columns["card"] = np.asarray(payroll.cards).tolist()
    if payroll.versioned:
        columns["version"] = np.asarray(payroll.versions).tolist()
    for line in payroll.lines:
        columns[line] = _money_numbers(payroll[line], payroll.decimals)
    columns["total"] = _money_numbers(payroll.total, payroll.decimals)
    records = [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]
    return json_text(records)


def json_text(value: Any) -> str:
    r"""``value`` as indented JSON text, Chinese as it is, and nothing hidden written raw.

    JSON escapes C0 controls itself; DEL, C1 controls and bidi overrides get the same
    ``\u`` escapes, which read back as the characters they stand for.
    """
    text = json.dumps(value, ensure_ascii=False, indent=1) + "\n"
    return _HIDDEN.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _write_parquet(payroll: Payroll, path: Path) -> None:
    with requires("pyarrow", say.WRITING_PARQUET(), "pyarrow"):
        import pyarrow.parquet as pq
    table = payroll.to_arrow()
    ids = ids_text(payroll)
    if ids is not None:
        table = table.set_column(0, "id", [ids.tolist()])
    metadata = {
        b"ksf.rulebook_hash": payroll.rulebook_hash.encode(),
        b"ksf.currency": payroll.currency.encode(),
        b"ksf.rounding": repr(payroll.rounding).encode(),
    }
    if payroll.period is not None:  # the period paid (LANGUAGE.md §13), as `Period.parse` reads
        metadata[b"ksf.period"] = str(payroll.period).encode()
    pq.write_table(table.replace_schema_metadata(metadata), path)


def write_atomically(path: Path, content: str | Callable[[Path], Any]) -> None:
    """Make ``path`` either untouched or complete, never half-written.

    A new file is readable by its owner only (the temporary file's mode: pay data); a file
    that is replaced keeps its permissions. Through a symbolic link, the link's target is
    replaced (the temporary file sits next to it) and the link stays.

    Args:
        path: the file to (re)place.
        content: the text to write, or a function that writes the file at the path it is
            given (a temporary name next to ``path``).

    Raises:
        ValueError: ``path`` is (or links to) something other than a regular file.
    """
    path = output_target(path)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            if isinstance(content, str):
                file.write(content)
        if not isinstance(content, str):
            content(temporary)
        if path.exists():  # a replaced payroll keeps its permissions
            temporary.chmod(path.stat().st_mode & 0o777)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
