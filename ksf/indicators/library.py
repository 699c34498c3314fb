"""The standard indicator library's source text (``standard.ksf``), read as package data."""

from __future__ import annotations

import re
from importlib import resources

from ksf.source import Source

_INDICATOR = re.compile(r"\s*indicator\s+([^\s=\"]+)")


def standard_source() -> Source:
    """``standard.ksf``: the standard indicators, written in the ksf language itself."""
    text = resources.files("ksf.indicators").joinpath("standard.ksf").read_text("utf-8")
    return Source(text, "ksf/indicators/standard.ksf")


def descriptions(source: Source | None = None) -> dict[str, str]:
    """Each indicator's description: the ``#:`` comment lines just above its definition.

    Comments are not part of the language, so this reads lines, as Sphinx reads ``#:``
    comments above Python attributes; the definitions themselves are parsed by the parser.
    """
    text = (source or standard_source()).text
    found: dict[str, str] = {}
    pending: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#:"):
            pending.append(stripped[2:].strip())
            continue
        match = _INDICATOR.match(line)
        if match and pending:
            found[match.group(1)] = " ".join(pending)
        pending = []
    return found
