"""ksf's fast forms of NumPy operations give NumPy's results, bit for bit."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ksf.fast_ops import at_least, at_most, copysign, copysign_each

values = hnp.arrays(
    np.float64,
    st.integers(0, 50),
    elements=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([0.0, -0.0, np.nan, -np.nan]),
    ),
)
bounds = st.floats(-1e6, 1e6, allow_nan=False)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.tobytes() == b.tobytes()


@given(values, st.sampled_from([5e-10, 0.5 + 1e-9, 3.0, 0.0]))
def test_copysign_is_numpys_bit_for_bit(x, magnitude):
    """`copysign` gives np.copysign's bits for every value, NaN and -0.0 included."""
    # The sign bit of every value, NaN and -0.0 included, on the magnitude's bits.
    out = np.empty_like(x)
    copysign(magnitude, x, out=out)
    assert same_bits(out, np.copysign(magnitude, x))


def test_copysign_of_a_strided_view_falls_back_to_numpy():
    """On a non-contiguous view `copysign` still gives the right signs: 0.5, 0.5."""
    x = np.array([1.0, -2.0, 3.0, -4.0])[::2]  # 1.0 and 3.0: not contiguous
    out = np.empty(2)
    copysign(0.5, x, out=out)
    assert out.tolist() == [0.5, 0.5]


@given(values, bounds)
def test_at_least_and_at_most_are_maximum_and_minimum(x, bound):
    """`at_least` and `at_most` equal np.maximum and np.minimum, NaN where NumPy has NaN."""
    # Same values and NaN where NumPy has NaN; a zero's sign may differ (-0.0 vs 0.0 compare
    # equal, and every caller adds 0.0 or clips afterwards).
    low, high = np.empty_like(x), np.empty_like(x)
    at_least(x, bound, out=low)
    at_most(x, bound, out=high)
    np.testing.assert_array_equal(low, np.maximum(x, bound))
    np.testing.assert_array_equal(high, np.minimum(x, bound))


@given(
    values.flatmap(
        lambda x: st.tuples(st.just(x), hnp.arrays(np.float64, x.shape, elements=st.floats(0, 1e6)))
    )
)
def test_copysign_each_is_numpys_bit_for_bit(pair):
    """`copysign_each` gives np.copysign's bits for non-negative magnitudes, one per value."""
    x, magnitudes = pair
    got = copysign_each(magnitudes, x, out=np.empty_like(x))
    assert same_bits(got, np.copysign(magnitudes, x))
