"""What a payroll service embedding ksf relies on: threads, pickling, dtypes, ids, cents.

Every figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import numpy as np
import pytest

import ksf

TEAM = """
card operator { base by grade { A: 5000, B: 4000 }
  gross_margin balance 25% step 1% reward 150 penalty 200 floor -1500 }
card designer { base 4500; on_time_rate balance 90% step 1% reward 80 penalty 100 }
card sales { base 3000; bonus 3% of revenue as commission }
"""


def team_data(seed, n=3000):
    """A random month of ``n`` rows over the three cards of TEAM."""
    rng = np.random.default_rng(seed)
    return {
        "employee": np.array([f"E{i}" for i in range(n)]),
        "card": rng.choice(["operator", "designer", "sales"], n),
        "grade": rng.choice(["A", "B"], n),
        "gross_margin": rng.uniform(0.1, 0.4, n),
        "on_time_rate": rng.uniform(0.8, 1.0, n),
        "revenue": rng.uniform(0, 100_000, n),
    }


def test_eight_threads_on_one_rulebook_match_serial_evaluation():
    """Different data per thread, one shared rulebook: each payroll equals its serial one."""
    months = [team_data(seed) for seed in range(16)]
    serial = [ksf.compile(TEAM).evaluate(month).total for month in months]
    shared = ksf.compile(TEAM)  # fresh: the threads race to fill its per-schema cache
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda month: shared.evaluate(month).total, months))
    for one, other in zip(serial, threaded, strict=True):
        np.testing.assert_array_equal(one, other)


def test_a_rulebook_pickles_without_its_compiled_cache():
    """A pickled rulebook (after evaluating) is the same program and pays the same."""
    book = ksf.compile(TEAM)
    month = team_data(1, n=200)
    before = book.evaluate(month).total
    copy = pickle.loads(pickle.dumps(book))  # noqa: S301 - our own bytes
    assert (copy.hash, copy.cards, copy.program) == (book.hash, book.cards, book.program)
    np.testing.assert_array_equal(copy.evaluate(month).total, before)


def test_a_data_error_pickles_with_its_fields():
    """A DataError through pickle (a process pool, a task queue) keeps every field."""
    book = ksf.compile("card a { bonus 10% of x as b }")
    with pytest.raises(ksf.DataError) as info:
        book.evaluate({"employee": ["E1", "E2"], "x": [1.0, np.nan]})
    copy = pickle.loads(pickle.dumps(info.value))  # noqa: S301 - our own bytes
    assert type(copy) is ksf.DataError
    assert (copy.message, copy.column, copy.rows, copy.labels) == (
        "missing value read by line 'b'",
        "x",
        (1,),
        ("E2",),
    )
    assert str(copy) == str(info.value)


def test_a_param_past_the_float_range_is_a_data_error():
    """10**400 (a Python int) has no float64: it is refused by name, not an OverflowError."""
    book = ksf.compile("card a { bonus 100 when m >= target as b }")
    with pytest.raises(ksf.DataError, match="param 'target' is too large") as info:
        book.evaluate({"m": [0.26]}, params={"target": 10**400})
    assert info.value.column == "target"


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_narrow_floats_are_refused_not_widened(dtype):
    """float32 1005.05 is 1005.0499…: 10% would pay 100.50 where 1005.05 pays 100.51."""
    book = ksf.compile("card a { bonus 10% of x as b }")
    with pytest.raises(ksf.DataError, match="read or cast it as float64") as info:
        book.evaluate({"x": np.array([1005.05], dtype=dtype)})
    assert info.value.column == "x"
    # Cast to float64 via the text a person wrote, the same data pays 100.505 → 100.51.
    assert book.evaluate({"x": [1005.05]}).total.tolist() == [100.51]


def test_pandas_float32_columns_are_refused():
    """pandas' nullable Float32 and numpy float32 columns of a DataFrame alike."""
    pd = pytest.importorskip("pandas")
    book = ksf.compile("card a { bonus 10% of x as b }")
    for values in (pd.array([1.5], dtype="Float32"), np.array([1.5], dtype=np.float32)):
        with pytest.raises(ksf.DataError, match=r"(?i)float32"):
            book.evaluate(pd.DataFrame({"x": values}))


def test_decimal_values_from_a_database_are_read_exactly():
    """DECIMAL money as Decimal objects: 0.1% of 1005.00 = 1.005 → 1.01 (half-up)."""
    book = ksf.compile("card a { bonus 0.1% of revenue as bonus }")
    revenue = [Decimal("1005.00"), Decimal("1015.00"), Decimal("333333.33")]
    assert book.evaluate({"revenue": revenue}).total.tolist() == [1.01, 1.02, 333.33]


def test_integer_employee_numbers_stay_integers():
    """Numeric ids are labelled 102, not 102.0, in errors and Payroll.ids."""
    book = ksf.compile("card a { bonus 10% of x as b }")
    pay = book.evaluate({"employee": [101, 102], "x": [1.0, 2.0]})
    assert pay.ids.dtype == np.int64
    assert pay.ids.tolist() == [101, 102]
    with pytest.raises(ksf.DataError) as info:
        book.evaluate({"employee": [101, 102], "x": [1.0, np.nan]})
    assert info.value.labels == ("102",)
    # Ids that are not whole numbers are kept as they are.
    assert book.evaluate({"id": [1.5, 2.0], "x": [1.0, 2.0]}).ids.tolist() == [1.5, 2.0]


def test_rows_come_out_in_input_order_whatever_the_pandas_index():
    """An unsorted index 102, 100, 101: row k of the payroll is row k of the frame."""
    pd = pytest.importorskip("pandas")
    book = ksf.compile("card a { bonus 10% of x as b }")
    frame = pd.DataFrame({"employee": ["E1", "E2", "E3"], "x": [100.0, 200.0, 300.0]})
    frame.index = [102, 100, 101]
    pay = book.evaluate(frame)
    assert pay.ids.tolist() == ["E1", "E2", "E3"]
    assert pay.total.tolist() == [10.0, 20.0, 30.0]


def test_integer_cents_by_rint_are_exact():
    """Every amount is the float nearest a whole number of cents, so rint(x * 100) is it.

    For |cents| < 2**51, x * 100 lies within a few ulps of the integer, far inside
    the 0.5 that rint would need to go wrong; checked on random amounts up to 10**9.
    """
    cents = np.random.default_rng(7).integers(-(10**11), 10**11, 100_000)
    book = ksf.compile("card a { bonus 100% of x as b }")
    amounts = book.evaluate({"x": cents / 100}).total
    np.testing.assert_array_equal(np.rint(amounts * 100).astype(np.int64), cents)


def test_a_payroll_refuses_pickling_with_what_to_send_instead():
    """A payroll's explain keeps the whole period's data; its tables travel instead."""
    pay = ksf.compile("card a { base 100 }").evaluate({"employee": ["E1"]})
    with pytest.raises(TypeError, match=r"pay\.to_arrow\(\)"):
        pickle.dumps(pay)
    assert pickle.loads(pickle.dumps(pay.to_records())) == [  # noqa: S301 - our own bytes
        {"id": "E1", "card": "a", "base": 100.0, "total": 100.0}
    ]


def test_a_row_without_a_card_is_named_as_an_empty_cell():
    """card None (a NULL in the database): row 1 has no card, and the message says so."""
    book = ksf.compile(TEAM)
    with pytest.raises(ksf.DataError, match=r"unknown card \(an empty cell\)") as info:
        book.evaluate({"employee": ["E1", "E2"], "card": ["sales", None], "revenue": [1, 2]})
    assert (info.value.column, info.value.rows, info.value.labels) == ("card", (1,), ("E2",))


def test_an_iterator_column_is_refused_as_an_iterator():
    """A generator has no length to check against the other columns."""
    book = ksf.compile("card a { bonus 10% of x as b }")
    with pytest.raises(ksf.DataError, match="is an iterator; pass a list or an array"):
        book.evaluate({"x": (float(i) for i in range(3))})


def test_complex_numbers_are_refused():
    """Not read as text (the message would then blame the wrong thing)."""
    book = ksf.compile("card a { bonus 10% of x as b }")
    with pytest.raises(ksf.DataError, match="complex numbers") as info:
        book.evaluate({"x": np.array([1 + 2j])})
    assert info.value.column == "x"


def test_a_data_error_over_many_rows_renders_briefly():
    """100,000 missing values among 500,000 rows: str() names ten and counts the rest."""
    n = 500_000
    values = np.ones(n)
    values[::5] = np.nan  # rows 0, 5, 10, …
    book = ksf.compile("card a { bonus 10% of x as b }")
    with pytest.raises(ksf.DataError) as info:
        book.evaluate({"employee": np.array([f"E{i}" for i in range(n)]), "x": values})
    rows = info.value.rows
    assert rows[:3] == (0, 5, 10)
    assert len(info.value.labels) == len(rows)
    assert len(str(info.value)) < 300


def test_an_empty_export_with_a_card_column_is_an_empty_payroll():
    """A tenant with no employees this month: an empty object card column is no error."""
    pd = pytest.importorskip("pandas")
    empty = pd.Series([], dtype=object)
    frame = pd.DataFrame({"employee": empty, "card": empty, "grade": empty, "revenue": []})
    pay = ksf.compile(TEAM).evaluate(frame)
    assert len(pay) == 0
    assert pay.to_records() == []
    assert list(pay.to_pandas().columns) == ["id", "card", "total"]
    assert len(ksf.compile(TEAM).evaluate({"card": [], "revenue": []})) == 0


def test_two_columns_of_one_name_are_refused():
    """A join that left two `x` columns, or keys 0 and "0": neither may hide the other."""
    pd = pytest.importorskip("pandas")
    book = ksf.compile("card a { bonus 10% of x as b }")
    with pytest.raises(ksf.DataError, match="two columns named 'x'"):
        book.evaluate(pd.DataFrame([[1.0, 2.0]], columns=["x", "x"]))
    with pytest.raises(ksf.DataError, match="two columns named '0'"):
        book.evaluate({0: [1.0], "0": [2.0], "x": [1.0]})


def test_64_bit_ids_keep_every_digit():
    """1730000000000000002 as a float64 would be 1730000000000000000: kept as text."""
    book = ksf.compile("card a { bonus 10% of x as b }")
    ids = [1_730_000_000_000_000_001, 1_730_000_000_000_000_002]
    as_array = {"employee": np.array(ids), "x": [1.0, np.nan]}
    for data in (as_array, {"employee": ids, "x": [1, None]}):
        with pytest.raises(ksf.DataError) as info:
            book.evaluate(data)
        assert info.value.labels == ("1730000000000000002",)
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"employee": pd.array(ids, dtype="Int64"), "x": [1.0, 2.0]})
    assert book.evaluate(frame).ids.tolist() == [str(i) for i in ids]
    # Small unsigned integers stay numbers (uint64 must not look huge when negated).
    assert book.evaluate({"x": np.array([10, 20], dtype=np.uint64)}).total.tolist() == [1.0, 2.0]


def test_a_float32_param_is_refused():
    """np.float32(0.26) is 0.2599999904…: a margin of exactly 26% would count as beating it."""
    book = ksf.compile("card a { bonus 100 when m >= target as b }")
    with pytest.raises(ksf.DataError, match="param 'target' is a float32") as info:
        book.evaluate({"m": [0.26]}, params={"target": np.float32(0.26)})
    assert info.value.column == "target"
    # Decimal and float64 params are fine: 0.26 >= 0.26 pays the 100, 0.25 does not.
    for target in (Decimal("0.26"), np.float64(0.26), 0.26):
        pay = book.evaluate({"m": [0.26, 0.25]}, params={"target": target})
        assert pay.total.tolist() == [100.0, 0.0]


@pytest.mark.parametrize(
    "text",
    ["card a { base 6000; gross_margin balance 30% step 0 reward 200 }", "card a {\n  base\n}\n"],
    ids=["compile error", "syntax error"],
)
def test_rule_errors_cross_a_process_boundary(text):
    """Compile and syntax errors pickle whole: same class, position, diagnostics, text."""
    with pytest.raises(ksf.KsfError) as caught:
        ksf.compile(text, name="pay.ksf")
    error = caught.value
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert type(again) is type(error)
    assert (again.line, again.column, again.source_name) == (error.line, error.column, "pay.ksf")
    assert again.errors == error.errors
    assert str(again) == str(error)
