"""Messages of rule text that does not parse: the parser, its hints and its limits."""

from __future__ import annotations

from ksf.message import Say  # noqa: F401  (entries are added stage by stage)

# fmt: off
