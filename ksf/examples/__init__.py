"""The embedded demo: a cross-border team's KSF cards and a quarter of data.

`ksf demo` asks this package for its rule text and data, so how the data is made stays
here and out of the command line: the seeded synthetic seller's raw exports
(`ksf.examples.synthetic`), aggregated by `ksf.indicators.aggregate` into one row per
employee per month, read by cards that use the standard indicators by name.
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from ksf._typing import AnyArray
from ksf.examples.synthetic import generate
from ksf.indicators import aggregate

RULES_NAME = "team.ksf"
SEED = 0
PAID = ("2026-07", "2026-08", "2026-09")  # the quarter paid; April to June is history
# The seed-000 team: three per role, the A, B and C grade of each.
NAMES = {
    "E001": ("张伟", "A"),
    "E002": ("李娜", "B"),
    "E003": ("刘洋", "C"),
    "E004": ("王芳", "A"),
    "E005": ("陈静", "B"),
    "E006": ("杨磊", "C"),
    "E007": ("赵敏", "A"),
    "E008": ("黄强", "B"),
    "E009": ("周婷", "C"),
}


def demo_rules() -> str:
    """The demo rulebook's text (``team.ksf``)."""
    return resources.files(__name__).joinpath(RULES_NAME).read_text("utf-8")


def demo_data() -> dict[str, AnyArray]:
    """The demo's quarter: one row per employee per month, with ``card``, ``name``, ``grade``.

    Six months of raw exports are aggregated (the windows of lifecycle sales, sell-through
    and slow-moving cover look back up to 90 days) and the last three months kept.
    """
    raw = generate(seed=SEED, skus=120, months=6, order_lines=60_000, start="2026-04-01")
    table = aggregate(**raw, period="month").table
    paid = np.isin(table["period"], PAID)
    data = {name: values[paid] for name, values in table.items()}
    people = data["employee"].tolist()
    data["card"] = data["role"]
    data["month"] = data["period"]
    data["name"] = np.asarray([NAMES[e][0] for e in people])
    data["grade"] = np.asarray([NAMES[e][1] for e in people])
    return data
