"""Messages of the command line: usage errors, file problems and what commands report."""

from __future__ import annotations

from ksf.message import Say  # noqa: F401  (entries are added stage by stage)

# fmt: off
