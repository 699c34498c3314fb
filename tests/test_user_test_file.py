"""The three-line test file docs/testing.md promises, run by a real pytest in a fresh folder.

No pytest plugin is needed for it (`ksf.testing.card_properties` returns the test), so ksf
registers none: an entry-point plugin would load in every pytest run of the environment,
with numpy and lark behind it, for a fixture that would save no line.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]
# Each run in its own process: an in-process run would import numpy a second time.

THREE_LINES = """\
from ksf.testing import card_properties

test_pay = card_properties("pay.ksf")
"""
RIGHT = """\
card operator {
  base 4000
  gross_margin balance 25% step 1% reward 150 penalty 100 cap 2400 floor -1200
  min_pay 2360
}
"""
# A 500 bonus for a margin below 20%: at 19.99999% the total is 4,000 − 500 + 500 = 4,000,
# at 20% it is 4,000 − 500 = 3,500: pay falls as the margin rises.
WRONG = RIGHT.replace("  min_pay", "  bonus 500 when gross_margin < 20% as clearance\n  min_pay")


def test_three_lines_run_every_property_of_a_right_card(pytester: pytest.Pytester) -> None:
    """Each property of the card is one passing test, named after the card and the property."""
    pytester.makefile(".ksf", pay=RIGHT)
    pytester.makepyfile(test_pay=THREE_LINES)
    assert THREE_LINES.count("\n") == 3
    result = pytester.runpytest_subprocess("-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(
        [
            "*test_pay.py::test_pay[[]operator-monotone-gross_margin[]] PASSED*",
            "*test_pay.py::test_pay[[]operator-min_pay[]] PASSED*",
        ]
    )


def test_three_lines_fail_on_a_bonus_for_a_low_margin(pytester: pytest.Pytester) -> None:
    """The planted fault fails its monotone case, with both values in the message."""
    pytester.makefile(".ksf", pay=WRONG)
    pytester.makepyfile(test_pay=THREE_LINES)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*falls as `gross_margin` rises from 0.1999999 to 0.2*",
            "FAILED test_pay.py::test_pay[[]operator-monotone-gross_margin[]]*",
        ]
    )
