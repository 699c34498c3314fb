"""Messages of reading and writing files, payslips, plots and ksf.testing."""

from __future__ import annotations

from ksf.message import Say  # noqa: F401  (entries are added stage by stage)

# fmt: off
