"""The standard indicator library: names a rule file may use when the data has their columns.

The definitions live in ``standard.ksf``, written in the rule language itself, so `explain`
can show each formula. A rule file's own ``indicator`` of the same name wins, and so does a
data column of that name.
"""

from __future__ import annotations

from ksf.indicators.library import standard_source

__all__ = ["standard_source"]
