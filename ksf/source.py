"""Rule text and positions: `Source` (text + name) and `Span` (1-based line/column range).

Also the display helpers error rendering needs: tabs expanded, CJK characters two cells
wide, and long lines windowed around the column so a 1 MB line still prints a short excerpt.
"""

from __future__ import annotations

import re
import unicodedata

import attrs

TAB_WIDTH = 4
WINDOW = 100  # display cells of a long line shown around the error column
# Characters that would move the cursor, recolour or clear a terminal, or reorder the text
# around them when printed raw: C0 and C1 controls, DEL, Unicode's bidirectional marks,
# overrides and isolates, the line and paragraph separators, and lone surrogates (which
# cannot be printed to a UTF-8 stream at all).
_HIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)


@attrs.frozen
class Span:
    """A 1-based, inclusive-start, exclusive-end range of rule text."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        """A one-character span."""
        return cls(line, column, line, column + 1)


@attrs.frozen
class Source:
    """A rule file's text and the name errors print for it (a path, or ``<string>``)."""

    text: str
    name: str = "<string>"
    # The text split into lines, once: the parser, the checker and every error excerpt look
    # lines up, and splitting a big file for each lookup made checking it quadratic.
    _lines: tuple[str, ...] | None = attrs.field(default=None, init=False, eq=False, repr=False)

    def lines(self) -> tuple[str, ...]:
        """The text's lines, split at each newline (a carriage return before it stays)."""
        lines = self._lines
        if lines is None:
            lines = tuple(self.text.split("\n"))
            # Frozen, but this cache is derived from the text: setting it changes no value.
            object.__setattr__(self, "_lines", lines)
        return lines

    def line_text(self, line: int) -> str | None:
        """Line ``line`` (1-based) without its newline, or None past the end."""
        lines = self.lines()
        if 1 <= line <= len(lines):
            return lines[line - 1].rstrip("\r")
        return None


def visible(text: str) -> str:
    r"""``text`` with every character `_HIDDEN` names shown as an escape (ESC as ``\x1b``).

    Newlines stay; a backslash is left as it is, so escaping twice changes nothing.
    """
    return _HIDDEN.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def char_width(char: str) -> int:
    """Terminal cells a character takes: 2 if wide (CJK), its escape's if `visible` escapes it."""
    if _HIDDEN.match(char):
        return 4 if ord(char) < 0x100 else 6
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Terminal cells a string takes, with tabs expanded."""
    return sum(char_width(c) for c in text.expandtabs(TAB_WIDTH))


def excerpt(source: Source, span: Span) -> list[str]:
    """Gutter lines around ``span``: the line before, the line, a caret run under the span."""
    text = source.line_text(span.line)
    if text is None:
        return []
    start = max(span.column - 1, 0)
    stop = span.end_column - 1 if span.end_line == span.line else len(text)
    stop = max(min(stop, len(text)), start + 1)
    lo, hi = _window(text, start, stop)
    shown = ("…" if lo > 0 else "") + text[lo:hi] + ("…" if hi < len(text) else "")
    lead = display_width(("…" if lo > 0 else "") + text[lo:start])
    marks = max(display_width(text[start:stop]), 1)
    gutter = len(str(span.line))
    out = []
    previous = source.line_text(span.line - 1) if span.line > 1 else None
    if previous is not None and previous.strip() and len(previous) <= WINDOW:
        out.append(f"{span.line - 1:>{gutter}} | {visible(previous.expandtabs(TAB_WIDTH))}")
    out.append(f"{span.line:>{gutter}} | {visible(shown.expandtabs(TAB_WIDTH))}")
    out.append(f"{'':>{gutter}} | {' ' * lead}{'^' * min(marks, WINDOW)}")
    return out


def _window(text: str, start: int, stop: int) -> tuple[int, int]:
    """Character range of ``text`` to print: about WINDOW display cells around [start, stop)."""
    if len(text) <= WINDOW and display_width(text) <= WINDOW:
        return 0, len(text)
    lo, cells = start, 0
    while lo > 0 and cells + char_width(text[lo - 1]) <= WINDOW // 2:
        lo -= 1
        cells += char_width(text[lo])
    hi = lo
    cells = 0
    while hi < len(text) and cells + char_width(text[hi]) <= WINDOW:
        cells += char_width(text[hi])
        hi += 1
    return lo, max(hi, min(stop, lo + WINDOW))
