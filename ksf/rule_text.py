"""Rule text in and out: a rule file read as UTF-8, text made a `Source`, and ``ksf fmt``'s layout.

A rule file is refused early and with a position when it is far too big, not UTF-8 (a GBK
or UTF-16 file, with a hint that says which), or holds a lone surrogate.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ksf.catalogue import syntax as say
from ksf.dsl.format import format_rulebook
from ksf.dsl.limits import MAX_BYTES, MAX_LINE, MAX_LINES
from ksf.dsl.parser import parse
from ksf.errors import KsfSyntaxError
from ksf.explain_words import LANGS, Lang
from ksf.message import Message
from ksf.source import Source, Span
from ksf.spelling import mostly

# Half of a UTF-16 surrogate pair on its own: Python strings can hold one (text decoded with
# errors="surrogateescape", or "\ud800" written in code), but it is no character and cannot
# be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def rule_source(text: str, name: str) -> Source:
    """Rule text as a `Source`, without the byte-order mark Notepad saves UTF-8 with.

    Raises:
        KsfSyntaxError: the text holds a lone surrogate, which is not valid Unicode.
    """
    source = Source(text.removeprefix("\ufeff"), name)
    bad = _SURROGATE.search(source.text)
    if bad is not None:
        before = source.text[: bad.start()]
        line_start = before.rfind("\n") + 1
        span = Span.point(before.count("\n") + 1, bad.start() - line_start + 1)
        code = f"U+{ord(bad.group()):04X}"
        msg = say.LONE_SURROGATE(code=code)
        raise KsfSyntaxError.at(msg, span, source, say.SURROGATE_ESCAPE())
    return source


def read_rules(path: str | Path) -> str:
    """The text of a rule file, refused before it is all read if it is far too big.

    Raises:
        KsfSyntaxError: the file is over `MAX_BYTES`, or is not UTF-8 text.
    """
    with Path(path).open("rb") as file:
        raw = file.read(MAX_BYTES + 1).removeprefix(codecs.BOM_UTF8)
    if len(raw) > MAX_BYTES:
        msg = say.TOO_MANY_BYTES(limit=f"{MAX_BYTES:,}")
        first = raw[:200].decode("utf-8", errors="replace")
        raise KsfSyntaxError.at(msg, Span.point(1, 1), Source(first, str(path)))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        raise _not_utf8(raw, bad, str(path)) from None


def format_text(text: str, name: str = "<text>", lang: Lang | None = None) -> str:
    """The canonical layout of rule text (what ``ksf fmt`` writes): same rules, same comments.

    Args:
        text: the rules.
        name: the file name syntax errors show.
        lang: write every keyword in English (``"en"``: ``card``, ``balance``) or in Chinese
            (``"zh"``: ``计薪卡``, ``平衡点``); names, labels, comments and numbers are left as
            they are. None (the default) keeps the spelling most of the file's keywords use,
            English when it is even.

    Raises:
        KsfSyntaxError: the text does not parse. It need not compile: formatting a file
            with an unknown name in it is fine.
        ValueError: ``lang`` is neither ``"en"`` nor ``"zh"``.

    Examples:
        >>> import ksf.rulebook
        >>> print(ksf.rulebook.format_text("card a {base 6000 ; allowance 300 as housing}"), end="")
        card a {
          base 6000
          allowance 300 as housing
        }
        >>> print(ksf.rulebook.format_text("card a {base 1.5万}", lang="zh"), end="")
        计薪卡 a {
          底薪 1.5万
        }
    """
    if lang is not None and lang not in LANGS:
        msg = f"lang must be 'en' or 'zh', not {lang!r}"
        raise ValueError(msg)
    source = rule_source(text, name)
    formatted = format_rulebook(parse(source), lang or mostly(source.text))
    _fits_line_limit(formatted, source)
    return formatted


def _fits_line_limit(formatted: str, source: Source) -> None:
    """Refuse a layout the parser would refuse: over `MAX_LINES` lines or `MAX_LINE` a line.

    Indentation and spaces around signs make a line longer than it was written; a block
    written on one line takes several.
    """
    lines = formatted.split("\n")
    if len(lines) > MAX_LINES:
        msg = say.FORMATTED_TOO_MANY_LINES(count=f"{len(lines):,}", limit=f"{MAX_LINES:,}")
        raise KsfSyntaxError.at(msg, Span.point(1, 1), source, say.SPLIT_FILES())
    for number, line in enumerate(lines, start=1):
        if len(line.split("#", 1)[0]) > MAX_LINE:
            code = [len(t.split("#", 1)[0]) for t in source.lines()]
            longest = code.index(max(code)) + 1
            msg = say.FORMATTED_LINE_TOO_LONG(
                line=number, count=f"{len(line):,}", limit=f"{MAX_LINE:,}"
            )
            raise KsfSyntaxError.at(msg, Span.point(longest, 1), source, say.SHORTEN_LINE())


def _not_utf8(raw: bytes, bad: UnicodeDecodeError, name: str) -> KsfSyntaxError:
    """Where the first byte that is not UTF-8 is, as a positioned error with a hint."""
    before = raw[: bad.start]
    line_start = before.rfind(b"\n") + 1
    column = len(raw[line_start : bad.start].decode("utf-8", errors="replace")) + 1
    utf16 = say.IS_UTF16() if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else ""
    gbk: Message | str = ""
    try:
        raw.decode("gbk")
    except UnicodeDecodeError:
        pass
    else:  # Chinese Windows editors save GBK by default
        gbk = say.IS_GBK()
    hint = say.SAVE_AS_UTF8(utf16=utf16, gbk=gbk)
    source = Source(raw.decode("utf-8", errors="replace"), name)
    message = say.NOT_UTF8(byte=f"{raw[bad.start]:02X}")
    span = Span.point(before.count(b"\n") + 1, column)
    return KsfSyntaxError.at(message, span, source, hint)
