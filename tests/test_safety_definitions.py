"""Hostile files built from many small definitions: chains, forward uses and shared nodes.

Each indicator is short, so the parser's own limits (file size, line length, nesting within
one statement) let them through; what they build together must still fail cleanly and
quickly, or evaluate correctly, never raise RecursionError or run for minutes.
"""

from __future__ import annotations

import time

import pytest

import ksf

FEW_SECONDS = 5.0


def chain(n: int, *, reverse: bool = False) -> str:
    """i0 = x, i1 = i0 + 1, …, and a card paying i(n-1): n - 1 + x."""
    defs = ["indicator i0 = x"] + [f"indicator i{k} = i{k - 1} + 1" for k in range(1, n)]
    if reverse:
        defs.reverse()  # every indicator used before it is defined
    return "\n".join(defs) + f"\ncard a {{ bonus i{n - 1} }}"


def outcome(text: str) -> tuple[ksf.Payroll | ksf.KsfError, float]:
    """The payroll of x = 1 (explained once), or the KsfError; and the seconds it took."""
    start = time.perf_counter()
    try:
        pay = ksf.compile(text).evaluate({"x": [1.0]})
        pay.explain(0)
    except ksf.KsfError as error:
        return error, time.perf_counter() - start
    return pay, time.perf_counter() - start


def test_indicators_sharing_one_another_are_computed_once():
    """i(k) = i(k-1) + i(k-1) twenty times is 2^20 paths, but one node per indicator."""
    defs = ["indicator i0 = x"] + [f"indicator i{k} = i{k - 1} + i{k - 1}" for k in range(1, 21)]
    pay, seconds = outcome("\n".join(defs) + "\ncard a { bonus i20 }")
    assert seconds < FEW_SECONDS
    assert isinstance(pay, ksf.Payroll)
    assert pay["bonus"].tolist() == [2.0**20]  # 1 doubled twenty times: 1,048,576


@pytest.mark.parametrize("reverse", [False, True], ids=["in order", "used before defined"])
def test_a_short_chain_of_definitions_evaluates(reverse):
    """Twenty indicators each built on the one before pay 19 + x = 20."""
    pay, _ = outcome(chain(20, reverse=reverse))
    assert isinstance(pay, ksf.Payroll), str(pay)
    assert pay["bonus"].tolist() == [20.0]


@pytest.mark.parametrize("n", [150, 1_000])
@pytest.mark.parametrize("reverse", [False, True], ids=["in order", "used before defined"])
def test_a_long_chain_of_definitions_is_a_compile_error(n, reverse):
    """A chain too deep for the later stages is refused by name, with a position."""
    error, seconds = outcome(chain(n, reverse=reverse))
    assert seconds < FEW_SECONDS
    assert isinstance(error, ksf.KsfCompileError), repr(error)
    assert error.line > 0
    if reverse:
        assert "defined further down the file" in error.message
    else:
        assert "nested more than 200 operations deep" in error.message


def test_thousands_of_unknown_names_fail_quickly():
    """1,500 misspelt names among 1,500 indicators: every one reported, in seconds, and the
    first ones still get a did-you-mean hint."""
    n = 1_500
    text = "".join(f"indicator ind_{k} = x * {k}\n" for k in range(n))
    text += "card a {\n" + "".join(f" bonus ind_{k}x as b{k}\n" for k in range(n)) + "}"
    book = ksf.compile(text)
    start = time.perf_counter()
    with pytest.raises(ksf.KsfCompileError) as info:
        book.evaluate({"x": [1.0]})
    assert time.perf_counter() - start < FEW_SECONDS
    assert len(info.value.errors) == n
    assert info.value.message == "unknown name `ind_0x`"
    assert "'ind_0'" in (info.value.hint or "")
