"""Rule text at the edges of float64 is refused where it is written, never crashes.

Literals near the float limit, a subnormal rounding unit, amounts past what ksf can pay and
a name a score shares with a table, pool or card each get a located `KsfError`.
"""

from __future__ import annotations

import pytest

import ksf

BIG = "17" + "0" * 307  # 1.7e308, just under the float64 maximum
TINY = "0." + "0" * 319 + "1"  # 1e-320, a subnormal float
LIMIT_TEXT = "past 10,000,000,000, the largest amount ksf pays in the rounding unit 0.01"


@pytest.mark.parametrize(
    ("text", "column"),
    [
        (f"card a {{ x balance -{BIG} step 1 reward 1 beyond {BIG} reward 2 }}", 21),
        (f"card a {{ x balance 0 step {TINY} reward 1 beyond 5 reward 2 }}", 27),
        (f"card a {{ base 1; min_pay {BIG} }}", 26),
        (f"rounding {TINY}\ncard a {{ base 1 }}", 10),
        (f"card a {{ bonus x * {BIG} }}", 20),
        (f"card a {{ bonus x / {TINY} }}", 20),
    ],
    ids=["beyond 3e308 steps", "subnormal step", "min_pay 1.7e308", "subnormal rounding",
         "1.7e308 factor", "subnormal divisor"],
)  # fmt: skip
def test_a_literal_near_the_float_limit_is_a_located_syntax_error(text, column):
    """1.7e308 (beyond, min_pay) and 1e-320 (step, rounding) crashed later with OverflowError."""
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.compile(text, name="t.ksf")
    assert info.value.column == column
    assert info.value.message.endswith(("is too large", "is too small"))


def test_the_largest_and_smallest_literals_are_accepted():
    """999,999,999,999,999 and 0.000000000000001 are numbers; one more digit either way is not."""
    book = ksf.compile(
        "indicator big = x * 999_999_999_999_999\n"
        "indicator small = x * 0.000000000000001\n"
        "card a { bonus 1 when big > 0 as b; bonus small * 100_000_000_000_000 as s }"
    )
    # 1 for big > 0, and 1e-15 × 1e14 = 0.10 (small > 0 would be equal up to noise, §7)
    assert book.evaluate({"x": [1.0]}).total.tolist() == [1.1]
    for number in ("1_000_000_000_000_000", "0.0000000000000001"):
        with pytest.raises(ksf.KsfSyntaxError):
            ksf.compile(f"card a {{ bonus x * {number} }}")


def test_arithmetic_of_literals_that_overflows_is_a_compile_error():
    """(1e14)^23 is past float64's 1.8e308: refused at the operation, not paid as inf."""
    product = " * ".join(["100_000_000_000_000"] * 23)
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(f"card a {{ bonus x * ({product}) }}", name="t.ksf")
    assert info.value.message == "this arithmetic overflows: its value is too large for a number"
    assert (info.value.line, info.value.column) == (1, 21)


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("card a { base 1; min_pay 20000000000000 }", "min_pay 20000000000000", 26),
        ("card a { base 20_000_000_001 }", "base 20_000_000_001", 15),
        ("card a { allowance 10_000_000_000.01 }", "allowance 10_000_000_000.01", 20),
        ("card a { base by g { A: 2e10_0; B: 1 } }".replace("2e10_0", "20000000000"),
         "base A: 20000000000", 25),
        ("card a { x balance 0 step 1 reward 1 cap 20000000000 }", "cap 20000000000", 42),
        ("card a { commission x rate 1% floor 20000000000 }", "floor 20000000000", 37),
        ("pool p { x above 0 share 1%; cap 20000000000 }\ncard a { share p }",
         "cap 20000000000", 30),
    ],
    ids=["min_pay", "base", "allowance", "base by", "cap", "floor", "pool cap"],
)  # fmt: skip
def test_an_amount_past_the_payable_limit_is_refused_at_compile_time(text, message, column):
    """min_pay 20,000,000,000,000 was paid; every such literal is past 10^12 cents."""
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(text, name="t.ksf")
    assert info.value.message == f"{message} is {LIMIT_TEXT}"
    assert (info.value.line, info.value.column) == (1, column)


def test_the_payable_limit_follows_the_rounding_unit():
    """At `rounding 1` the limit is 10^12 yuan: min_pay 20,000,000,000 (2e10) is accepted."""
    book = ksf.compile("rounding 1\ncard a { base 1; min_pay 20_000_000_000 }")
    assert book.evaluate({"x": [0.0]}).total.tolist() == [20_000_000_000.0]
    ksf.compile("card a { base 10_000_000_000 }")  # exactly at the limit


@pytest.mark.parametrize("unit", ["0.0000000001", "10_000_000"])
def test_a_rounding_unit_outside_a_billionth_to_a_million_is_refused(unit):
    """A unit of 1e-10 leaves amounts no room; 1e7 puts amounts past exact floats."""
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(f"rounding {unit}\ncard a {{ base 1 }}", name="t.ksf")
    assert info.value.message == f"the rounding unit {unit} is outside what ksf rounds to"
    assert (info.value.line, info.value.column) == (1, 10)


@pytest.mark.parametrize(
    "first",
    [
        "table s { else: 1 }",
        "pool s { x above 1 share 1% }",
        "card s { base 1 }",
        "indicator s = x",
    ],
    ids=["table", "pool", "card", "indicator"],
)
@pytest.mark.parametrize("second", ["score", "indicator"])
def test_a_name_a_score_shares_with_another_definition_is_defined_twice(first, second):
    """`table s` then `score s` raised AssertionError; it is one "defined twice" error."""
    later = (
        "score s { x weight 100% baseline 1 target 2 challenge 3 }"
        if second == "score"
        else "indicator s = x * 2"
    )
    text = f"{first}\n{later}\ncard a {{ base 1 }}"
    if first.startswith("card"):
        text = f"{first}\n{later}"
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(text, name="t.ksf")
    assert info.value.message == "`s` is defined twice"
    assert info.value.line == 2
