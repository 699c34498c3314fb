"""The standard indicators (`ksf/indicators/standard.ksf`), parsed and checked once per process.

`ksf.indicators` holds the library's text and describes it without importing the rule
language; this module is where the text goes through the parser and the checker.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from ksf import ir
from ksf.dsl.check import check_standard
from ksf.dsl.parser import parse
from ksf.indicators.library import standard_source


@lru_cache(maxsize=1)
def _standard() -> tuple[Mapping[str, ir.Named], Mapping[str, ir.ColumnSpec]]:
    source = standard_source()
    return check_standard(parse(source), source)


def standard_library() -> Mapping[str, ir.Named]:
    """The standard indicators, parsed and checked once per process."""
    return _standard()[0]


def standard_columns() -> Mapping[str, ir.ColumnSpec]:
    """The raw columns the standard indicators read: their units and domains."""
    return _standard()[1]
