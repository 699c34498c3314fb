"""Planted faults: realistic cards with one fault each, which ksf.testing and the lint catch.

Each tests/faults/*.ksf compiles (a fault the checker refuses would be caught already) and
says in its first comment what is wrong. At default settings `ksf.testing.check_card` must
catch at least 19 of 20 and `ksf lint --payout` at least 17; the golden cards, which are
right, must pass both (no false alarm).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

import ksf
from ksf.io import read_data
from ksf.payout_lint import lint
from ksf.testing import check_card

HERE = Path(__file__).parent
FAULTS = sorted((HERE / "faults").glob("*.ksf"))
GOLDEN = sorted((HERE / "golden").glob("*.ksf"))
# The one planted fault no property catches: base (6000 * payable_days / days_worked) falls
# as days_worked rises, but days_worked is a plain column with no direction of its own, and
# the base falls steadily, so no move goes against the way the card's moves go.
MISSED = {"f23_proration_inverted"}


@functools.cache
def caught_by_testing(path: Path) -> bool:
    """Whether some card of the file fails `check_card` at its default settings."""
    book = ksf.load(path)
    for card in book.cards:
        try:
            check_card(book, card)
        except AssertionError:
            return True
    return False


@functools.cache
def caught_by_lint(path: Path) -> bool:
    """Whether `ksf lint --payout` reports a fault in the file (no data: rows drawn)."""
    return any(finding.fault for finding in lint(ksf.load(path)))


def test_the_suite_holds_at_least_20_faults_that_compile():
    """At least 20 planted faults, each in a rule file that compiles, each saying its fault."""
    assert len(FAULTS) >= 20
    for path in FAULTS:
        ksf.load(path)  # raises if the checker refuses it
        assert path.read_text(encoding="utf-8").startswith("# Planted fault:")


def test_ksf_testing_catches_at_least_19_of_20():
    """check_card at default settings catches every planted fault but the one named in MISSED."""
    missed = {path.stem for path in FAULTS if not caught_by_testing(path)}
    assert missed == MISSED
    assert len(FAULTS) - len(missed) >= 19 * len(FAULTS) / 20


def test_the_payout_lint_catches_at_least_17_of_20():
    """The lint reports a fault in every planted fault but the one named in MISSED."""
    missed = {path.stem for path in FAULTS if not caught_by_lint(path)}
    assert missed == MISSED
    assert len(FAULTS) - len(missed) >= 17 * len(FAULTS) / 20


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_the_golden_cards_have_every_property(path):
    """The golden cards, which are right, pass every property and have no lint fault."""
    assert not caught_by_testing(path)
    data = read_data(path.with_suffix(".csv"))
    faults = [str(f.message) for f in lint(ksf.load(path), data) if f.fault]
    assert not faults
