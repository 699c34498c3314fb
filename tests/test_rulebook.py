"""A second evaluate with the same columns reuses the bound, compiled cards.

Checked by counting calls to ``bind`` and ``compile_card`` (not by timing).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

import ksf
import ksf.bound

RULES = """
card seller {
  base 5000
  revenue balance 100 step 10 reward 50
  min_pay 4000
}
"""


@pytest.fixture
def calls(monkeypatch):
    counted: Counter[str] = Counter()
    for name in ("bind", "compile_card"):
        original = getattr(ksf.bound, name)

        def counting(*args, _name=name, _original=original, **kwargs):
            counted[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(ksf.bound, name, counting)
    return counted


def test_second_evaluate_with_the_same_columns_binds_and_compiles_nothing(calls):
    """A second evaluate with the same column names reuses the code: one bind, one compile."""
    book = ksf.compile(RULES)
    first = book.evaluate({"revenue": np.array([125.0, 80.0])})
    assert calls == {"bind": 1, "compile_card": 1}
    # New values and a new mapping, same column names: the cached code runs.
    second = book.evaluate({"revenue": [100.0, 130.0, 95.0]})
    assert calls == {"bind": 1, "compile_card": 1}
    # 125 → +2 steps × 50 = 5100; 80 → -2 × 50 = 4900; 130 → +3 → 5150; 95 → 0 steps → 5000.
    assert first.total.tolist() == [5100.0, 4900.0]
    assert second.total.tolist() == [5000.0, 5150.0, 5000.0]


def test_other_columns_or_params_bind_again(calls):
    """A new column or param binds and compiles again; a schema seen before reuses its code."""
    book = ksf.compile(RULES)
    book.evaluate({"revenue": [100.0]})
    book.evaluate({"revenue": [100.0], "region": ["EU"]})  # a new text column
    book.evaluate({"revenue": [100.0]}, params={"fx": 7.1})  # a new param
    assert calls == {"bind": 3, "compile_card": 3}
    book.evaluate({"revenue": [90.0], "region": ["US"]})
    assert calls == {"bind": 3, "compile_card": 3}
