"""Codegen: bound IR → card code: shared nodes, folded constants, reused registers, error bounds.

The passes of `ksf.codegen` checked on small expressions built as IR, and the float error
bound (`ksf.error_bounds`) a balance rule carries only where its value may cancel digits.
"""

from __future__ import annotations

import pytest

import ksf
from ksf import ir
from ksf.codegen import compile_exprs

X, Y = ir.Column("x"), ir.Column("y")


# --- error bounds: only values that may cancel digits carry one -------------------------------


@pytest.mark.parametrize(
    ("value", "bounded"),
    [
        ("p - q", True),
        ("(p - q) / r", True),
        ("revenue - (p + q)", True),
        ("(revenue - cogs) / revenue", False),  # 1 + |cogs/revenue| <= 2 + |value|
        ("1 - cost/revenue", False),
        ("p / q - 1", False),
        ("p - 3", False),
        ("gross_margin", False),  # the standard indicator, (revenue − cogs) / revenue
    ],
)
def test_only_rules_on_differences_of_figures_look_for_lost_steps(value, bounded):
    """The error bound of a cancelling value costs nothing on ratios like gross margin."""
    from ksf.bind import Schema, bind
    from ksf.error_bounds import value_magnitude
    from ksf.rulebook import standard_library

    book = ksf.compile(f"card k {{ {value} balance 1% step 1% reward 1 as z }}")
    columns = frozenset({"revenue", "cogs", "cost", "p", "q", "r"})
    schema = Schema(numeric=columns, text=frozenset(), params=frozenset())
    program = bind(book.program, standard_library(), schema, {"k"})
    assert (value_magnitude(program.cards[0].lines[0]) is not None) == bounded


# --- lower: shared nodes and folded constants -------------------------------------------------


def test_a_node_read_twice_is_computed_once():
    """(x − y) × (x − y) and (x − y) + 1 compute x − y in one step: sub, mul, add."""
    difference = ir.Op("sub", (X, Y))
    square = ir.Op("mul", (difference, difference))
    code = compile_exprs([square, ir.Op("add", (difference, ir.Const(1.0)))])
    assert [step.node_op for step in code.steps] == ["sub", "mul", "add"]
    assert code.steps[1].args == (code.steps[0].out, code.steps[0].out)


def test_arithmetic_of_constants_is_folded():
    """x × (2 + 3) is one step, a multiplication by the constant 5."""
    code = compile_exprs([ir.Op("mul", (X, ir.Op("add", (ir.Const(2.0), ir.Const(3.0)))))])
    assert [step.node_op for step in code.steps] == ["mul"]
    assert code.consts[code.steps[0].args[1]] == 5.0


# --- allocate: registers ----------------------------------------------------------------------


def test_a_register_is_free_again_after_its_last_reader():
    """(x − y) / x ≥ 0.4 needs two buffers: ≥ takes x − y's buffer, free once / read it."""
    margin = ir.Op("div", (ir.Op("sub", (X, Y)), X))
    code = compile_exprs([ir.Op("ge", (margin, ir.Const(0.4)))])
    sub, div, ge = code.steps
    assert [step.node_op for step in code.steps] == ["sub", "div", "ge"]
    assert code.n_buffers == 2
    assert code.buffer_of[ge.out] == code.buffer_of[sub.out] != code.buffer_of[div.out]
