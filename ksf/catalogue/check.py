"""Messages of rule text that parses but means nothing valid, and the warnings about legal rules."""

from __future__ import annotations

from ksf.message import Say  # noqa: F401  (entries are added stage by stage)

# fmt: off
