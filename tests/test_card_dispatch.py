"""Each row's card, found by hashing the card names rather than sorting them (issue 18)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ksf.rows import _card_codes

NAMES = st.sampled_from(["", "a", "b", "operator", "运营", "运营推广", "c001", "c010", "x" * 20])


@settings(max_examples=200, deadline=None)
@given(st.lists(NAMES, max_size=60), st.booleans())
def test_card_codes_are_what_sorting_the_names_gives(names: list[str], as_objects: bool) -> None:
    """The names and each row's index into them equal np.unique's, for text and object columns."""
    cards = np.asarray(names, dtype=object if as_objects else np.str_)
    found, codes = _card_codes(cards)
    expected, inverse = np.unique(np.asarray(names, dtype=np.str_), return_inverse=True)
    assert found.tolist() == expected.tolist()
    assert codes.tolist() == inverse.reshape(-1).tolist()
