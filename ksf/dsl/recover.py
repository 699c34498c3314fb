"""The first syntax error of a rule file → every syntax error in it, by parsing again.

After an error, parsing starts again at the next line that begins a statement (the lines
before it left blank, so positions stay those of the file), and so on: one run of
``ksf check`` lists a slip in each card, not just the first. This module knows where
statements start and which ``{`` a file leaves open (for `ksf.dsl.syntax_errors` too); it
does not import Lark: `ksf.dsl.parser` hands it a function that parses a text and returns
its first error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import attrs

from ksf.catalogue import syntax as say
from ksf.errors import Diagnostic
from ksf.source import Source
from ksf.spelling import ZH

_STARTS = ("card", "pool", "table", "score", "indicator", "currency", "rounding")
STATEMENT_WORDS = _STARTS + tuple(ZH[word] for word in _STARTS)  # both spellings (§12)
_FIRST_WORD = re.compile(r"\s*(\w+)")

FirstError = Callable[[Source], Diagnostic | None]


def every_error(
    source: Source, first: Diagnostic, first_error: FirstError, *, limit: int, budget: int
) -> list[Diagnostic]:
    """``first`` and the errors found after it, at most ``limit``.

    ``budget`` is how many characters may be parsed again, so a huge file stays quick.
    """
    found = [first]
    lines = source.lines()
    start = 1
    while len(found) < limit and budget > 0:
        resume = _resume_line(lines, found[-1], start)
        if resume is None:
            break
        start = resume
        budget -= len(source.text)
        rest = Source("\n" * (resume - 1) + "\n".join(lines[resume - 1 :]), source.name)
        error = first_error(rest)
        if error is None:
            break
        found.append(attrs.evolve(error, source=source))
    return found


def _resume_line(lines: tuple[str, ...], error: Diagnostic, start: int) -> int | None:
    """The line to parse again from after ``error``: the next one that starts a statement."""
    if _unclosed(error) and error.span.line > start:
        return error.span.line  # the error is reported at the statement that follows
    for number in range(error.span.line + 1, len(lines) + 1):
        word = _FIRST_WORD.match(lines[number - 1])
        if word is not None and word[1] in STATEMENT_WORDS:
            return number
    return None


def _unclosed(error: Diagnostic) -> bool:
    """Whether ``error`` is an unclosed block, reported at the statement after it."""
    # By its catalogue entry, not its English text; getattr while a message may be a str.
    return getattr(error.said, "said", None) is say.NOT_CLOSED


def unclosed_block(source: Source, line: int) -> int | None:
    """The line of a `{` still open before ``line`` whose text starts a new statement."""
    text = source.line_text(line) or ""
    if text.strip().split(" ", 1)[0] not in STATEMENT_WORDS:
        return None
    return open_block(source.lines()[: line - 1])


def open_block(lines: Sequence[str]) -> int | None:
    """The number of the line of the last `{` that ``lines`` leave open (comments skipped)."""
    opened: list[int] = []
    for number, current in enumerate(lines, start=1):
        for char in current.split("#", 1)[0]:
            if char == "{":
                opened.append(number)
            elif char == "}" and opened:
                opened.pop()
    return opened[-1] if opened else None
