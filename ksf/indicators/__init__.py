"""The standard indicator library and the aggregation of raw e-commerce exports.

The definitions live in ``standard.ksf``, written in the rule language itself, so `explain`
can show each formula. A rule file's own ``indicator`` of the same name wins, and so does a
data column of that name. `descriptions` and `catalogue` give what a listing shows (the
parsed definitions come from ``ksf.rulebook.standard_library()``: this package does not
parse). `aggregate` turns order lines, ad reports, stock snapshots and the rest into the
columns those definitions read, one row per employee, role and period; docs/indicators.md
documents every column and every choice.
"""

from __future__ import annotations

from ksf.indicators.aggregate import Aggregation, RoleTotal, Summary, Unowned, aggregate
from ksf.indicators.library import Entry, catalogue, descriptions, standard_source
from ksf.indicators.measures import Window

__all__ = [
    "Aggregation",
    "Entry",
    "RoleTotal",
    "Summary",
    "Unowned",
    "Window",
    "aggregate",
    "catalogue",
    "descriptions",
    "standard_source",
]
