"""Checker findings → the diagnostics of one rule file, collected instead of raised.

Every part of the checker (`ksf.dsl.check` and the `check_*` modules) reports into
one `Report`, so a file with five mistakes is fixed in one round.
"""

from __future__ import annotations

from collections.abc import Sequence

from ksf.catalogue import check_lines as say
from ksf.errors import Diagnostic, suggest
from ksf.message import Keyword, Message
from ksf.source import Source, Span

MAX_SUGGESTED = 20  # errors that get a did-you-mean hint; each scans every known name


class Report:
    """The diagnostics found so far in one rule file, and the file's text to quote."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.lines = source.lines()  # split once: text() runs for every statement
        self.errors: list[Diagnostic] = []

    def error(self, message: Message, span: Span, hint: Message | None = None) -> None:
        """Record a problem at ``span``."""
        self.errors.append(Diagnostic(message, span, self.source, hint))

    def did_you_mean(self, name: str, candidates: list[str]) -> Message | None:
        """A did-you-mean hint, for the first errors only: each costs a pass over every name."""
        return suggest(name, candidates) if len(self.errors) < MAX_SUGGESTED else None

    def text(self, span: Span) -> str:
        """The rule text ``span`` covers."""
        return source_text(self.lines, span)


def source_text(source: Source | tuple[str, ...], span: Span) -> str:
    """The rule text a span covers (``source`` may be its text already split into lines)."""
    if span.line <= 0:
        return ""
    all_lines = source.lines() if isinstance(source, Source) else source
    lines = list(all_lines[span.line - 1 : span.end_line])
    if not lines:
        return ""
    if len(lines) == 1:
        return lines[0][span.column - 1 : span.end_column - 1]
    lines[0] = lines[0][span.column - 1 :]
    lines[-1] = lines[-1][: span.end_column - 1]
    return " ".join(part.strip() for part in lines)


def keywords(words: Sequence[str]) -> Message | Keyword:
    """Keywords as a list (``as, beyond, cap``), each spelt as the rule file spells it."""
    *head, last = words
    listed: Message | Keyword = Keyword(last)
    for word in reversed(head):
        listed = say.LIST(first=Keyword(word), rest=listed)
    return listed
