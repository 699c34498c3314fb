"""The embedded demo: a cross-border team's KSF cards and a quarter of data.

`ksf demo` asks this package for its rule text and data, so how the data is made (a stored
CSV, or raw exports aggregated on the fly) stays here and out of the command line.
"""

from __future__ import annotations

from importlib import resources

from ksf._typing import AnyArray

RULES_NAME = "team.ksf"
DATA_NAME = "team_quarter.csv"


def demo_rules() -> str:
    """The demo rulebook's text (``team.ksf``)."""
    return resources.files(__name__).joinpath(RULES_NAME).read_text("utf-8")


def demo_data() -> dict[str, AnyArray]:
    """The demo's quarter of data: one row per employee per month, a ``card`` column."""
    from ksf import io

    text = resources.files(__name__).joinpath(DATA_NAME).read_text("utf-8")
    return io.parse_csv(text, DATA_NAME)
