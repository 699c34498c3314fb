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

from ksf.catalogue import common as say
from ksf.explain_words import Lang
from ksf.message import Message, text
from ksf.source import Source, Span, excerpt, visible
from ksf.spelling import mostly

if TYPE_CHECKING:
    from typing import Self

MAX_SHOWN = 5  # diagnostics printed in full by str(); the rest are counted
MAX_ROWS_SHOWN = 10

# A check that failed on some rows: what it says, the column it names, the rows (0-based).
Check = tuple[Message, str | None, Sequence[int]]


@attrs.frozen
class Diagnostic:
    """One positioned problem in rule text."""

    severity: ClassVar[str] = "error"

    # Kept as messages (written in a language when rendered); `message` and `hint` are
    # their English text, as they have always been.
    said: Message = attrs.field(alias="message")
    span: Span
    source: Source
    hint_said: Message | None = attrs.field(default=None, alias="hint")

    @property
    def message(self) -> str:
        """The message in English."""
        return text(self.said)

    @property
    def hint(self) -> str | None:
        """The hint in English, or None."""
        return text(self.hint_said) or None

    def render(self, lang: Lang = "en") -> str:
        """``file:line:col: error: message``, the excerpt with a caret, and the hint.

        Written in ``lang``; a keyword a message quotes is spelt as the file spells most of
        its keywords, so a Chinese file's hint says `每` where an English one says `step`.
        """
        keywords = mostly(self.source.text)
        where = f"{visible(self.source.name)}:{self.span.line}:{self.span.column}"
        severity = (say.WARNING if self.severity == "warning" else say.ERROR)().text(lang)
        head = f"{where}: {severity}: {text(self.said, lang, keywords)}"
        lines = [head, *excerpt(self.source, self.span)]
        if self.hint_said:
            lines.append(say.HINT(hint=text(self.hint_said, lang, keywords)).text(lang))
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
        # `message` and `hint` are the first problem's English text, as they have always
        # been; `said` and `hint_said` keep them as messages, for `render(lang)`.
        self.said = first.said
        self.hint_said = first.hint_said
        self.message = first.message
        self.hint = first.hint
        self.source_name = first.source.name
        self.line = first.span.line
        self.column = first.span.column
        self.end_line = first.span.end_line
        self.end_column = first.span.end_column
        super().__init__(self.message)

    @classmethod
    def at(
        cls,
        message: Message,
        span: Span,
        source: Source,
        hint: Message | None = None,
    ) -> Self:
        """An error with a single diagnostic."""
        return cls([Diagnostic(message, span, source, hint)])

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its diagnostics, so the error crosses a process boundary (task
        # queues, ProcessPoolExecutor) whole; the default would call __init__ with a string.
        return (type(self), (self.errors,))

    def __str__(self) -> str:
        return self.render()

    def render(self, lang: Lang = "en") -> str:
        """The first few problems in full, in ``lang``, and how many more there are."""
        shown = [d.render(lang) for d in self.errors[:MAX_SHOWN]]
        hidden = len(self.errors) - MAX_SHOWN
        if hidden > 0:
            more = say.MORE_ERRORS(count=hidden) if hidden > 1 else say.MORE_ERROR()
            shown.append(more.text(lang))
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
    ``names_column``: the message itself names the column (``column `expected_ad_rio` names no
    line``), so ``(column 'x')`` is not added after it.
    """

    def __init__(
        self,
        message: Message,
        *,
        column: str | None = None,
        rows: Iterable[int] = (),
        labels: Sequence[str] | None = None,
        table: str | None = None,
        noun: str = "employees",
        checks: Sequence[Check] = (),
        names_column: bool = False,
    ) -> None:
        self.said = message
        self.names_column = names_column  # the message names the column itself: not again after it
        self.message = text(message)  # in English, as it has always been
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
        fields |= {"names_column": self.names_column}
        return (_rebuild_data_error, (type(self), self.said, fields))

    def render(self, lang: Lang = "en") -> str:
        """``data error: message (column 'x')`` and the rows it names, in ``lang``."""
        where: Message | None = None
        if self.table is not None:
            table = repr(self.table)
            where = (
                say.IN_TABLE_COLUMN(table=table, column=repr(self.column))
                if self.column
                else say.IN_TABLE(table=table)
            )
        elif self.column is not None and not self.names_column:
            where = say.IN_COLUMN(column=repr(self.column))
        written = say.DATA_ERROR(message=text(self.said, lang)).text(lang) + text(where, lang)
        if self.rows:
            # A label shared by several rows (an id on two rows) is named once.
            who = list(dict.fromkeys(self.labels)) if self.labels is not None else self.rows
            names = ", ".join(str(r) for r in who[:MAX_ROWS_SHOWN])
            more = len(who) - MAX_ROWS_SHOWN
            noun = _NOUNS.get(self.noun, say.ROWS) if self.labels is not None else say.ROWS
            written += say.WHO(noun=noun(), names=names).text(lang)
            written += say.AND_MORE(count=more).text(lang) if more > 0 else ""
        return written + "".join(self._check(*check, lang) for check in self.checks)

    def _check(
        self, message: Message, column: str | None, rows: tuple[int, ...], lang: Lang
    ) -> str:
        """One of several failed checks: its words, its column and its rows (their labels)."""
        named = dict(zip(self.rows, self.labels or self.rows, strict=True))
        who = list(dict.fromkeys(str(named.get(r, r)) for r in rows))
        names = ", ".join(who[:MAX_ROWS_SHOWN])
        more = len(who) - MAX_ROWS_SHOWN
        where = text(say.IN_COLUMN(column=repr(column)), lang) if column else ""
        written = say.CHECK(message=text(message, lang), where=where, names=names).text(lang)
        return written + (say.AND_MORE(count=more).text(lang) if more > 0 else "")

    def _render(self) -> str:
        return self.render()


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
        message = say.NO_SUCH_CARD(card=repr(card), cards=", ".join(cards))
        close = suggest(card, cards)
        return cls(say.SUGGESTION(message=message, hint=close) if close else message)


class UnknownEmployeeError(DataError, KeyError):
    """An employee id no row of the payroll has (``Payroll.explain``), or no ids at all.

    A `DataError`, and a `KeyError` as a failed lookup by id is in Python.
    """

    def __str__(self) -> str:
        return self._render()


class AmbiguousEmployeeError(UnknownEmployeeError):
    """A name several employees share (``--employee 王芳``): the message lists their ids."""


def _rebuild_data_error(
    cls: type[DataError], message: Message, fields: dict[str, Any]
) -> DataError:
    """Unpickle a `DataError` (see `DataError.__reduce__`)."""
    return cls(message, **fields)


def merge_checks(checks: Iterable[Check]) -> tuple[Check, ...]:
    """Failed checks found block by block, each named once with all its rows, in order."""
    merged: dict[tuple[Message, str | None], list[int]] = {}
    for message, column, rows in checks:
        merged.setdefault((message, column), []).extend(rows)
    return tuple((m, c, sorted(set(rows))) for (m, c), rows in merged.items())


def suggest(name: str, candidates: Iterable[str]) -> Message | None:
    """A 'did you mean' hint from the closest known names (difflib), or None."""
    return suggest_among(difflib.get_close_matches(name, sorted(set(candidates)), n=3, cutoff=0.6))


def suggest_among(close: Sequence[str]) -> Message | None:
    """A 'did you mean' hint naming up to three names, or None for none."""
    if not close:
        return None
    quoted = [f"'{c}'" for c in close]
    match quoted:
        case [one]:
            return say.DID_YOU_MEAN(name=one)
        case [one, two]:
            return say.DID_YOU_MEAN_2(name=one, other=two)
        case [one, two, three, *_]:
            return say.DID_YOU_MEAN_3(name=one, other=two, third=three)
    return None


_NOUNS = {"employees": say.EMPLOYEES, "lines": say.LINES, "sheet rows": say.SHEET_ROWS}
