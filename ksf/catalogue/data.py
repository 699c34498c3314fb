"""Messages of binding rules to data and evaluating them: columns, params, ids, cards, pools."""

from __future__ import annotations

from ksf.message import Say  # noqa: F401  (entries are added stage by stage)

# fmt: off
