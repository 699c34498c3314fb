"""The error family: every failure a user can cause is a `KsfError`.

Rule errors (`KsfSyntaxError`, `KsfCompileError`) carry the source name, a 1-based span,
a message and an optional hint, and render as ``file:line:col: error: message`` followed
by the source line with a caret under the span. `DataError` names the column and rows.
Rendering is a pure function of the error; no colour codes ever go into an exception.
`RuleWarning` is a `Diagnostic` that renders with ``warning:``: legal rules worth a look.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

from ksf.source import Source, Span, excerpt, visible

if TYPE_CHECKING:
    from typing import Self

MAX_SHOWN = 5  # diagnostics printed in full by str(); the rest are counted
MAX_ROWS_SHOWN = 10

# A check that failed on some rows: its words, the column it names, the rows (0-based).
Check = tuple[str, str | None, Sequence[int]]


@attrs.frozen
class Diagnostic:
    """One positioned problem in rule text."""

    severity: ClassVar[str] = "error"

    message: str
    span: Span
    source: Source
    hint: str | None = None

    def render(self) -> str:
        """``file:line:col: error: message``, the excerpt with a caret, and the hint."""
        where = f"{visible(self.source.name)}:{self.span.line}:{self.span.column}"
        head = f"{where}: {self.severity}: {self.message}"
        lines = [head, *excerpt(self.source, self.span)]
        if self.hint:
            lines.append(f"hint: {self.hint}")
        return "\n".join(lines)

    def sort_key(self) -> tuple[int, int]:
        """Position order, for reporting several errors."""
        return (self.span.line, self.span.column)


@attrs.frozen
class RuleWarning(Diagnostic):
    """Rule text that is valid but probably not what was meant, such as a shadowed name.

    Rendered like an error, with ``warning:`` in place of ``error:``. Never raised: read
    them from `ksf.Rulebook.warnings` and `ksf.Rulebook.check_data`.
    """

    severity: ClassVar[str] = "warning"

    def __str__(self) -> str:
        return self.render()


class KsfError(Exception):
    """Base of every error ksf raises on bad rule text or bad data."""


class RuleError(KsfError):
    """An error in rule text; carries the position of the first problem."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        ordered = sorted(diagnostics, key=Diagnostic.sort_key)
        if not ordered:
            msg = "RuleError needs at least one diagnostic"
            raise ValueError(msg)
        self.errors: tuple[Diagnostic, ...] = tuple(ordered)
        first = ordered[0]
        self.message = first.message
        self.hint = first.hint
        self.source_name = first.source.name
        self.line = first.span.line
        self.column = first.span.column
        self.end_line = first.span.end_line
        self.end_column = first.span.end_column
        super().__init__(self.message)

    @classmethod
    def at(cls, message: str, span: Span, source: Source, hint: str | None = None) -> Self:
        """An error with a single diagnostic."""
        return cls([Diagnostic(message, span, source, hint)])

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its diagnostics, so the error crosses a process boundary (task
        # queues, ProcessPoolExecutor) whole; the default would call __init__ with a string.
        return (type(self), (self.errors,))

    def __str__(self) -> str:
        shown = [d.render() for d in self.errors[:MAX_SHOWN]]
        hidden = len(self.errors) - MAX_SHOWN
        if hidden > 0:
            shown.append(f"… and {hidden} more error{'s' if hidden > 1 else ''}")
        return "\n\n".join(shown)


class KsfSyntaxError(RuleError):
    """Rule text that does not parse, or is too large or too deeply nested to accept."""


class KsfCompileError(RuleError):
    """Rule text that parses but means nothing valid: unknown names, bad tiers, duplicates."""


class DataError(KsfError):
    """Bad or missing data: names the column (or indicator), the 0-based rows and the table.

    ``table`` is set for the raw tables read by ``ksf.indicators.aggregate``. ``labels``
    name the rows to a person: employee ids, or (``noun="lines"``, ``"sheet rows"``) the
    rows' numbers in the data file, as an editor or Excel shows them. The message names
    each distinct label once (an id on two rows is listed once); ``labels`` keeps one per row.
    """

    def __init__(
        self,
        message: str,
        *,
        column: str | None = None,
        rows: Iterable[int] = (),
        labels: Sequence[str] | None = None,
        table: str | None = None,
        noun: str = "employees",
        checks: Sequence[Check] = (),
    ) -> None:
        self.message = message
        self.noun = noun
        self.column = column
        self.table = table
        self.rows: tuple[int, ...] = tuple(int(r) for r in rows)
        self.labels = tuple(labels) if labels is not None else None
        # Several checks that failed at once (LANGUAGE.md §9): each names its column and rows.
        self.checks = tuple((m, c, tuple(int(r) for r in rs)) for m, c, rs in checks)
        super().__init__(self._render())

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions pickle their args (here the rendered text), and unpickling would call
        # __init__ with it as the message; rebuild from the fields instead, so an error
        # sent through a process pool or a task queue arrives as it was raised.
        fields: dict[str, Any] = {"column": self.column, "rows": self.rows, "labels": self.labels}
        fields |= {"table": self.table, "noun": self.noun, "checks": self.checks}
        return (_rebuild_data_error, (type(self), self.message, fields))

    def _render(self) -> str:
        text = f"data error: {self.message}"
        if self.table is not None:
            where = f"table {self.table!r}"
            text += f" ({where}, column {self.column!r})" if self.column else f" ({where})"
        elif self.column is not None:
            text += f" (column {self.column!r})"
        if self.rows:
            # A label shared by several rows (an id on two rows) is named once.
            who = list(dict.fromkeys(self.labels)) if self.labels is not None else self.rows
            names = ", ".join(str(r) for r in who[:MAX_ROWS_SHOWN])
            more = len(who) - MAX_ROWS_SHOWN
            noun = self.noun if self.labels is not None else "rows"
            text += f"\n  {noun}: {names}" + (f" … and {more} more" if more > 0 else "")
        return text + "".join(self._check(*check) for check in self.checks)

    def _check(self, message: str, column: str | None, rows: tuple[int, ...]) -> str:
        """One of several failed checks: its words, its column and its rows (their labels)."""
        named = dict(zip(self.rows, self.labels or self.rows, strict=True))
        who = list(dict.fromkeys(str(named.get(r, r)) for r in rows))
        more = f" … and {len(who) - MAX_ROWS_SHOWN} more" if len(who) > MAX_ROWS_SHOWN else ""
        where = f" (column {column!r})" if column else ""
        return f"\n  - {message}{where}: {', '.join(who[:MAX_ROWS_SHOWN])}{more}"


class UnknownCardError(DataError, KeyError):
    """A card the rule file does not have, however it was named.

    Raised for ``evaluate(card=...)``, for a ``card`` column value (with ``column`` and
    ``rows``), and by ``Rulebook.names``, ``Rulebook.check_columns``, ``ksf.testing`` and
    ``ksf.plot``. A `DataError`, and a `KeyError` as a failed lookup by name is in Python.
    """

    def __str__(self) -> str:
        return self._render()  # KeyError's own __str__ would quote the message

    @classmethod
    def named(cls, card: str, cards: Sequence[str]) -> UnknownCardError:
        """The error for ``card`` when the rule file has ``cards``, with a suggestion."""
        msg = f"there is no card {card!r}; the rule file has: {', '.join(cards)}"
        close = suggest(card, cards)
        return cls(msg + (f"; {close}" if close else ""))


class UnknownEmployeeError(DataError, KeyError):
    """An employee id no row of the payroll has (``Payroll.explain``), or no ids at all.

    A `DataError`, and a `KeyError` as a failed lookup by id is in Python.
    """

    def __str__(self) -> str:
        return self._render()


class AmbiguousEmployeeError(UnknownEmployeeError):
    """A name several employees share (``--employee 王芳``): the message lists their ids."""


def _rebuild_data_error(cls: type[DataError], message: str, fields: dict[str, Any]) -> DataError:
    """Unpickle a `DataError` (see `DataError.__reduce__`)."""
    return cls(message, **fields)


def merge_checks(checks: Iterable[Check]) -> tuple[Check, ...]:
    """Failed checks found block by block, each named once with all its rows, in order."""
    merged: dict[tuple[str, str | None], list[int]] = {}
    for message, column, rows in checks:
        merged.setdefault((message, column), []).extend(rows)
    return tuple((m, c, sorted(set(rows))) for (m, c), rows in merged.items())


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """A 'did you mean' hint from the closest known names (difflib), or None."""
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=3, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
