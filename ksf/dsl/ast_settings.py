"""The ``language zh`` setting's AST node, re-exported by `ksf.dsl.ast` (which is full)."""

from __future__ import annotations

import attrs

from ksf.source import Span

_NOWHERE = Span(0, 0, 0, 0)  # as `ksf.dsl.ast.NOWHERE`: a node built by hand


@attrs.frozen
class Language:
    """``language zh``: the language explanations, payslips and the CLI default to."""

    code: str
    span: Span = attrs.field(default=_NOWHERE, eq=False, repr=False, kw_only=True)
    code_span: Span = attrs.field(default=_NOWHERE, eq=False, repr=False, kw_only=True)
