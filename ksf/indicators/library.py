"""The standard indicator library's source text (``standard.ksf``) and its catalogue."""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources

import attrs

from ksf import ir
from ksf.source import Source

_INDICATOR = re.compile(r"\s*indicator\s+([^\s=\"]+)")
_DIRECTIONS = {1: "higher_is_better", -1: "lower_is_better"}


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


@attrs.frozen
class Entry:
    """One line of a listing of the standard indicators (what ``ksf indicators`` shows)."""

    name: str
    label: str
    formula: str
    unit: str
    direction: str  # "higher_is_better" or "lower_is_better"
    description: str


def catalogue(library: Mapping[str, ir.Named]) -> tuple[Entry, ...]:
    """The standard indicators with their formula, unit, direction and description.

    Args:
        library: the parsed definitions, ``ksf.rulebook.standard_library()`` (this package
            does not parse: see docs/architecture.md, "Who parses the standard library").

    Returns:
        One entry per indicator, in the order of ``standard.ksf``.
    """
    texts = descriptions()
    return tuple(
        Entry(
            name=name,
            label=named.label or "",
            formula=named.text,
            unit=named.unit or "",
            direction=_DIRECTIONS.get(named.direction or 1, "higher_is_better"),
            description=texts.get(name, ""),
        )
        for name, named in library.items()
    )
