"""The compiled form of a card: straight-line steps over numbered slots, and its lines.

`ksf.codegen` builds these from the bound IR; `ksf.frame` runs them over row blocks and
`ksf.card_run` turns their values into line amounts. A `Code` is a flat list of steps over
slots (columns, params, constants and registers); each `LineCode` says which slots a payroll
line reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from ksf import ir
from ksf._typing import FloatArray


@attrs.define
class Step:
    """``slots[out] = kernel(*slots[args])``; ``node`` is the IR it computes."""

    kernel: Callable[..., None]
    out: int
    args: tuple[int, ...]
    node: ir.Expr

    @property
    def node_op(self) -> str:
        """The operation's name (``div``, ``lookup`` …)."""
        return self.node.op if isinstance(self.node, ir.Op) else type(self.node).__name__.lower()


@attrs.define
class Code:
    """Straight-line code over slots; ``outputs`` are the slots the caller reads."""

    steps: list[Step]
    columns: dict[int, str]
    params: dict[int, str]
    consts: dict[int, float]
    nodes: dict[int, ir.Expr]
    outputs: tuple[int, ...]
    n_slots: int
    slot_of: dict[ir.Expr, int] = attrs.field(factory=dict)
    buffer_of: dict[int, int] = attrs.field(factory=dict)
    n_buffers: int = 0
    # Slots holding a text column as codes (a decision matrix's text key, `ir.TextCodes`).
    text_codes: dict[int, ir.TextCodes] = attrs.field(factory=dict)
    # Slots holding an earlier line's rounded amount or a subtotal, which the card run fills
    # (LANGUAGE.md 9); like columns, no step writes them.
    refs: dict[int, ir.LineRef | ir.Subtotal] = attrs.field(factory=dict)

    def registers(self) -> list[int]:
        """Slots written by steps."""
        return [s.out for s in self.steps]


@attrs.define
class LineCode:
    """One line of a compiled card: its IR, its payroll column and the slots it reads."""

    line: ir.Line
    index: int
    inputs: tuple[int, ...]
    whole_units: bool  # amounts are always whole units of money, so rounding can be skipped
    by_kernel: Callable[[Any, FloatArray], None] | None = None
    # For a line that may cancel digits (sales − refunds): code bounding its amount's float
    # error (`ksf.error_bounds.line_magnitude`), run on the rows just below a half-way point.
    magnitude: Code | None = None
    # For a balance rule on a value that may cancel digits: code bounding the value's float
    # error (`ksf.error_bounds.value_magnitude`), run on the rows just below a whole step.
    value_magnitude: Code | None = None


@attrs.define
class CardCode:
    """A compiled card: expression code feeding its lines."""

    card: ir.Card
    code: Code
    lines: list[LineCode]
    topup_index: int | None
    # Column slots whose values must lie in a declared domain, with the declaration.
    domains: tuple[tuple[int, ir.ColumnSpec], ...] = ()
    # For a card whose lines read earlier lines (LANGUAGE.md 9): the steps to run before
    # each line (an end position in ``code.steps``), and the reference slots each line's
    # rounded amount fills. Empty for other cards, which run all steps at once.
    stages: tuple[int, ...] = ()
    fills: tuple[tuple[tuple[int, ir.LineRef | ir.Subtotal], ...], ...] = ()
