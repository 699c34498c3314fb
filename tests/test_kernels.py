"""Kernels: table lookups give the first matching row (LANGUAGE.md §4); comparisons follow §7.

ksf picks a lookup strategy by the table's shape (counting the thresholds reached for small
tables of falling ``>=`` or ``>`` rows, a binary search for large ones, row-by-row masks
otherwise); each is checked here against the rule read literally, one value at a time. The
comparison kernels are checked against section 7's definition of equal within 10^-9.
"""

from __future__ import annotations

import math
import operator

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ksf import ir
from ksf.kernels import lookup as lookups
from ksf.kernels.balance import onto_nearest_steps

# --- table lookups ----------------------------------------------------------------------------

OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


def first_match(table: ir.TableSpec, x: float) -> float:
    """LANGUAGE.md §4 read literally: rows top-down, the first that holds wins."""
    if math.isnan(x):
        return math.nan
    for op, threshold, value in zip(table.ops, table.thresholds, table.values, strict=True):
        if OPS[op](x, threshold):
            return value
    return table.otherwise


@st.composite
def tables(draw: st.DrawFn) -> ir.TableSpec:
    """Falling ``>=`` or ``>`` tables (small and large), or rising ``<=``/``<`` ones."""
    size = draw(st.sampled_from([0, 1, 2, 4, lookups.COUNT_ROWS, lookups.COUNT_ROWS + 3]))
    cut = sorted(draw(st.sets(st.integers(-50, 150), min_size=size, max_size=size)))
    kind = draw(st.sampled_from([">=", ">", "mixed falling", "<="]))
    if kind == "<=":
        ops, thresholds = ("<=",) * size, tuple(float(t) for t in cut)
    else:
        thresholds = tuple(float(t) for t in reversed(cut))
        ops = tuple(
            draw(st.sampled_from([">=", ">"])) if kind == "mixed falling" else kind for _ in cut
        )
    values = tuple(
        draw(st.lists(st.sampled_from([0.0, 0.5, 0.8, 1.0, 1.2]), min_size=size, max_size=size))
    )
    return ir.TableSpec("t", ops, thresholds, values, draw(st.sampled_from([0.0, 0.3])))


@given(table=tables(), data=st.data())
def test_every_lookup_strategy_gives_the_first_matching_row(table, data):
    """Every lookup strategy gives the first row that holds, read top-down; NaN stays missing."""
    # Values on the thresholds themselves are where >= and > differ; NaN must stay missing.
    on_edges = list(table.thresholds)
    xs = data.draw(
        st.lists(
            st.one_of(
                st.sampled_from([*on_edges, math.nan, -1e9, 1e9] if on_edges else [0.0]),
                st.integers(-60, 160).map(float),
            ),
            min_size=1,
            max_size=40,
        )
    )
    x = np.array(xs)
    out = np.empty(len(x))
    lookups.lookup(table)(out, x)
    expected = [first_match(table, v) for v in xs]
    np.testing.assert_array_equal(out, np.array(expected))


@pytest.mark.parametrize("size", [3, lookups.COUNT_ROWS + 1])
def test_lookup_of_a_scalar_fills_the_block(size):
    """A lookup of a scalar (a param) fills the whole block: t(85) is the `>= 80` row's 1.0."""
    # t(85) of a params scalar, thresholds 90, 80, 70, …: >= 80 is the first row that holds,
    # and its value is 1.0 by construction.
    thresholds = tuple(90.0 - 10 * k for k in range(size))
    values = tuple(1.0 if t == 80 else 0.5 for t in thresholds)
    table = ir.TableSpec("t", (">=",) * size, thresholds, values, 0.0)
    out = np.empty(3)
    lookups.lookup(table)(out, 85.0)
    assert out.tolist() == [1.0, 1.0, 1.0]


def test_counting_lookup_reuses_its_work_arrays_across_block_sizes():
    """The counting lookup gives the first matching row whatever block sizes came before."""
    # A bigger block after a smaller one (and back) must not read stale counts.
    table = ir.TableSpec("t", (">=", ">="), (90.0, 60.0), (1.2, 0.5), 0.0)
    lookup = lookups.lookup(table)
    for n in (3, 10, 2):
        x = np.linspace(50.0, 95.0, n)
        out = np.empty(n)
        lookup(out, x)
        assert out.tolist() == [first_match(table, v) for v in x.tolist()]


# --- comparisons within one part in 10^9 ------------------------------------------------------


def _by_definition(op: str, a: float, b: float) -> bool:
    """LANGUAGE.md 7 written out: equal within 1e-9 of the larger magnitude (or of 1)."""
    equal = abs(a - b) < 1e-9 * max(abs(a), abs(b), 1.0)
    return {
        "ge": a > b or equal,
        "gt": a > b and not equal,
        "le": a < b or equal,
        "lt": a < b and not equal,
        "eq": equal,
        "ne": not equal,
    }[op]


NEAR = st.floats(-1e12, 1e12, allow_nan=False) | st.sampled_from([0.0, 1.0, -1.0, 0.5, -2.5])


@given(
    op=st.sampled_from(["ge", "gt", "le", "lt", "eq", "ne"]),
    b=NEAR,
    offsets=st.lists(st.floats(-3e-9, 3e-9), min_size=1, max_size=8),
)
def test_comparison_kernels_follow_the_definition(op, b, offsets):
    """Against a constant (a moved bound) or an array, every operator agrees with section 7."""
    from ksf.kernels.step import STEP_KERNELS

    a = np.array([b + o * max(abs(b), 1.0) for o in offsets])
    # a point within float rounding of the tolerance's own edge may fall either way
    edge = [abs(abs(x - b) - 1e-9 * max(abs(x), abs(b), 1.0)) for x in a]
    a = a[[e > 1e-6 * 1e-9 * max(abs(b), 1.0) for e in edge]]
    assume(len(a) > 0)
    expected = [float(_by_definition(op, float(x), b)) for x in a]
    for right in (b, np.full(len(a), b)):  # a constant, then a column
        out = np.empty(len(a))
        STEP_KERNELS[op](out, a, right)
        assert out.tolist() == expected, (op, b, a.tolist())
    out = np.empty(len(a))
    STEP_KERNELS[op](out, b, a)  # the constant on the left
    assert out.tolist() == [float(_by_definition(op, b, float(x))) for x in a]


def test_prorated_steps_move_onto_a_whole_step_only_within_their_error():
    """Counts within their bound of a whole step, either side, are whole; others stay."""
    delta = np.array([-6.999985277652554, -7.000003904104046, 2.5, 3.0005, 4.0, 0.00001])
    asked = []

    def error(near: np.ndarray) -> np.ndarray:
        asked.append(near.tolist())
        return np.full(len(near), 1e-4)

    onto_nearest_steps(delta, error)
    # 1.5e-5 and 3.9e-6 from −7 (within 1e-4): −7; 2.5 and 4.0 are not near a step, so not
    # asked; 3.0005 is near (within 1e-3) but 5e-4 off, beyond 1e-4; 0.00001 is 0 steps
    assert delta.tolist() == [-7.0, -7.0, 2.5, 3.0005, 4.0, 0.0]
    assert asked == [[0, 1, 3, 5]]
