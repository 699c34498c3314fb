"""LANGUAGE.md section 8: the evaluation contract of `ksf.compile`, `ksf.load` and `evaluate`.

Data in (mappings, data frames), one row out per row in, cards per row, line names and
order, `Payroll` types, and the positions and wording of rule errors (`explain`:
test_explain.py).
"""

from __future__ import annotations

import io
import itertools
import re

import numpy as np
import pytest

import ksf

CARDS = """
card dev "产品开发" {
  base 6000
  gross_margin balance 30% step 1% reward 200 penalty 100
  allowance 300 as housing
}
card ops "运营" {
  base 5000
  bonus 1000 when launched
  gross_margin balance 25% step 1% reward 100
  allowance 200 as meal
}
"""

DATA = {
    "card": ["dev", "ops", "dev", "ops"],
    "gross_margin": [0.33, 0.27, 0.27, 0.33],
    "launched": [0, 1, 1, 0],
}

# row 0 dev: 6000 + 3 * 200 + 300; row 1 ops: 5000 + 1000 + 2 * 100 + 200;
# row 2 dev: 6000 - 3 * 100 + 300; row 3 ops: 5000 + 0 + 8 * 100 + 200
EXPECTED = {
    "base": [6000.0, 5000.0, 6000.0, 5000.0],
    "gross_margin": [600.0, 200.0, -300.0, 800.0],
    "housing": [300.0, 0.0, 300.0, 0.0],
    "bonus": [0.0, 1000.0, 0.0, 0.0],
    "meal": [0.0, 200.0, 0.0, 200.0],
}
EXPECTED_TOTAL = [6900.0, 6400.0, 6000.0, 6000.0]


def assert_expected(pay):
    """The payroll of CARDS over DATA, line by line and in total."""
    for name, amounts in EXPECTED.items():
        assert pay[name].tolist() == amounts, name
    assert pay.total.tolist() == EXPECTED_TOTAL


def caret_column(rendered, source_line):
    """The 1-based column of ``source_line`` under the first caret drawn beneath it."""
    lines = rendered.splitlines()
    for above, below in itertools.pairwise(lines):
        if above.endswith(source_line) and "^" in below:
            return below.index("^") - (len(above) - len(source_line)) + 1
    raise AssertionError(f"no caret under {source_line!r} in:\n{rendered}")


# --- data in ----------------------------------------------------------------------------------

MAPPINGS = {
    "lists": DATA,
    "tuples": {name: tuple(values) for name, values in DATA.items()},
    "numpy": {name: np.asarray(values) for name, values in DATA.items()},
    "numpy bool flag": {**DATA, "launched": np.array([False, True, True, False])},
    "numpy int flag": {**DATA, "launched": np.array([0, 1, 1, 0], dtype=np.int64)},
}


@pytest.mark.parametrize("data", list(MAPPINGS.values()), ids=list(MAPPINGS))
def test_mapping_of_columns(data):
    """A mapping of column name to 1-D array-like is evaluated row by row."""
    assert_expected(ksf.compile(CARDS).evaluate(data))


def test_pandas_dataframe():
    """A pandas DataFrame is evaluated like the mapping of its columns."""
    pd = pytest.importorskip("pandas")
    assert_expected(ksf.compile(CARDS).evaluate(pd.DataFrame(DATA)))


def test_pandas_index_is_not_the_row_number():
    """Rows come out in frame order whatever the index; DataError rows are 0-based positions."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(DATA, index=[40, 30, 20, 10])
    assert_expected(ksf.compile(CARDS).evaluate(frame))
    frame.loc[20, "gross_margin"] = float("nan")
    with pytest.raises(ksf.DataError) as info:
        ksf.compile(CARDS).evaluate(frame)
    assert info.value.rows == (2,)


def test_pandas_mixed_role_csv():
    """A CSV with empty cells in columns a row's card never reads evaluates cleanly."""
    pd = pytest.importorskip("pandas")
    csv = (
        "id,card,gross_margin,launched\nE1,dev,0.33,\nE2,ops,0.27,1\nE3,dev,0.27,\nE4,ops,0.33,0\n"
    )
    assert_expected(ksf.compile(CARDS).evaluate(pd.read_csv(io.StringIO(csv))))


def test_pyarrow_table():
    """A pyarrow Table is evaluated like the mapping of its columns."""
    pa = pytest.importorskip("pyarrow")
    assert_expected(ksf.compile(CARDS).evaluate(pa.table(DATA)))


def test_polars_dataframe():
    """A polars DataFrame is evaluated like the mapping of its columns."""
    pl = pytest.importorskip("polars")
    assert_expected(ksf.compile(CARDS).evaluate(pl.DataFrame(DATA)))


def test_params_are_scalars_for_every_row():
    """`params` supplies scalar names to every row."""
    text = "card a { bonus 1% of profit scaled_by k }"
    pay = ksf.compile(text).evaluate({"k": [1.0, 0.5]}, card="a", params={"profit": 1_500_000})
    assert pay["bonus"].tolist() == [15_000.0, 7_500.0]  # 0.01 * 1500000 * k


def test_columns_of_unequal_length_are_a_data_error():
    """All columns must have the same length."""
    data = {"card": ["dev", "ops"], "gross_margin": [0.33, 0.27], "launched": [1]}
    with pytest.raises(ksf.DataError):
        ksf.compile(CARDS).evaluate(data)


# --- which card ---------------------------------------------------------------------------


def test_card_argument_picks_the_card_for_every_row():
    """`card="dev"` evaluates every row on that card; no card column is needed."""
    data = {"gross_margin": [0.33, 0.27], "launched": [1, 1]}
    pay = ksf.compile(CARDS).evaluate(data, card="dev")
    assert pay["gross_margin"].tolist() == [600.0, -300.0]
    assert pay.total.tolist() == [6900.0, 6000.0]  # 6000 + 600 + 300; 6000 - 300 + 300


def test_card_argument_wins_over_card_column():
    """`card=` is used even when the data also has a card column."""
    pay = ksf.compile(CARDS).evaluate(DATA, card="ops")
    # ops everywhere: 5000 + bonus + gross_margin (25% balance) + 200
    assert pay["gross_margin"].tolist() == [800.0, 200.0, 200.0, 800.0]
    assert pay.total.tolist() == [6000.0, 6400.0, 6400.0, 6000.0]


def test_unknown_card_in_card_column_is_a_data_error():
    """A row whose card does not exist is a DataError naming the card column and the row."""
    data = {**DATA, "card": ["dev", "nope", "dev", "ops"]}
    with pytest.raises(ksf.DataError) as info:
        ksf.compile(CARDS).evaluate(data)
    assert info.value.rows == (1,)
    assert info.value.column == "card"
    assert "nope" in str(info.value)


def test_unknown_card_argument_is_a_data_error():
    """`card="nope"` for a rulebook without that card is a DataError."""
    with pytest.raises(ksf.DataError, match="nope"):
        ksf.compile(CARDS).evaluate({"gross_margin": [0.33], "launched": [1]}, card="nope")


def test_lines_a_card_lacks_are_zero():
    """A row gets 0 on every line its card does not have."""
    pay = ksf.compile(CARDS).evaluate(DATA)
    assert pay["housing"].tolist() == [300.0, 0.0, 300.0, 0.0]  # ops has no housing
    assert pay["meal"].tolist() == [0.0, 200.0, 0.0, 200.0]  # dev has no meal
    assert pay["bonus"].tolist() == [0.0, 1000.0, 0.0, 0.0]  # dev ignores `launched`


# --- rows out -----------------------------------------------------------------------------


def random_data(n, seed):
    """n rows over both cards of CARDS."""
    rng = np.random.default_rng(seed)
    return {
        "card": rng.choice(["dev", "ops"], n),
        "gross_margin": rng.uniform(0.1, 0.5, n),
        "launched": rng.integers(0, 2, n),
    }


def test_rows_out_follow_rows_in_under_permutation():
    """Shuffling the input rows shuffles the output rows the same way."""
    book = ksf.compile(CARDS)
    data = random_data(300, seed=11)
    order = np.random.default_rng(12).permutation(300)
    pay = book.evaluate(data)
    shuffled = book.evaluate({name: values[order] for name, values in data.items()})
    np.testing.assert_array_equal(shuffled.total, pay.total[order])
    for name in pay.lines:
        np.testing.assert_array_equal(shuffled[name], pay[name][order])


def test_each_row_as_if_alone():
    """A row's amounts do not depend on the other rows evaluated with it."""
    book = ksf.compile(CARDS)
    data = random_data(20, seed=5)
    pay = book.evaluate(data)
    for i in range(20):
        alone = book.evaluate({name: values[i : i + 1] for name, values in data.items()})
        assert alone.total.tolist() == [pay.total[i]]


def test_many_rows_in_many_rows_out():
    """Every row in gives exactly one row out."""
    pay = ksf.compile(CARDS).evaluate(random_data(10_000, seed=1))
    assert pay.total.shape == (10_000,)
    for name in pay.lines:
        assert pay[name].shape == (10_000,)


def test_zero_rows():
    """No rows in, no rows out."""
    empty = {"gross_margin": np.array([], dtype=float), "launched": np.array([], dtype=int)}
    pay = ksf.compile(CARDS).evaluate(empty, card="dev")
    assert pay.total.shape == (0,)
    assert pay["base"].shape == (0,)


# --- the Payroll --------------------------------------------------------------------------


def test_lines_in_card_order_union_over_cards():
    """`pay.lines` lists each card's lines in card order, new names appended card by card."""
    pay = ksf.compile(CARDS).evaluate(DATA)
    assert list(pay.lines) == ["base", "gross_margin", "housing", "bonus", "meal"]
    assert all(isinstance(name, str) for name in pay.lines)


def test_total_and_lines_are_float64_arrays():
    """`pay.total` and `pay[line]` are 1-D float64 numpy arrays, one value per row."""
    pay = ksf.compile(CARDS).evaluate(DATA)
    for values in [pay.total, *(pay[name] for name in pay.lines)]:
        assert isinstance(values, np.ndarray)
        assert values.dtype == np.float64
        assert values.shape == (4,)


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["KsfSyntaxError", "KsfCompileError", "DataError"])
def test_errors_derive_from_ksf_error(name):
    """Every ksf error is a `ksf.KsfError`."""
    assert issubclass(getattr(ksf, name), ksf.KsfError)


def test_syntax_error_position_and_caret():
    """A syntax error has a 1-based line and column and shows its line with a caret."""
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.compile("card a {\n  base 6000 7000\n}")
    assert (info.value.line, info.value.column) == (2, 13)
    assert caret_column(str(info.value), "  base 6000 7000") == 13


def test_compile_error_position_and_caret():
    """A compile error has a 1-based position on its line and shows that line with a caret."""
    source_line = "  gross_margin balance 30% step 0 reward 200"
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(f"card a {{\n  base 6000\n{source_line}\n}}").evaluate(
            {"gross_margin": [0.33]}, card="a"
        )
    assert info.value.line == 3
    assert 3 <= info.value.column <= len(source_line)
    assert 3 <= caret_column(str(info.value), source_line) <= len(source_line)


TYPOS = [
    ("gross_margin_", "gross_margin"),
    ("gros_margin", "gross_margin"),
    ("毛利", "毛利率"),
]


@pytest.mark.parametrize(("typo", "known"), TYPOS, ids=[typo for typo, _ in TYPOS])
def test_unknown_name_is_positioned_and_suggests(typo, known):
    """An unknown name is a KsfCompileError at the name, naming it and suggesting a close one."""
    source_line = f"  {typo} balance 30% step 1% reward 200"
    book_text = f"card a {{\n{source_line}\n}}"
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(book_text).evaluate({known: [0.33]}, card="a")
    rendered = str(info.value)
    assert (info.value.line, info.value.column) == (2, 3)
    assert caret_column(rendered, source_line) == 3
    assert typo in rendered
    assert re.search(rf"(?<!\w){known}(?!\w)", rendered), rendered  # the suggestion


def test_unknown_name_in_an_expression():
    """An unknown name inside an expression is positioned at that name."""
    source_line = "  bonus 10% of revenu"
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(f"card a {{\n{source_line}\n}}").evaluate({"revenue": [1.0]}, card="a")
    assert (info.value.line, info.value.column) == (2, 16)
    assert re.search(r"(?<!\w)revenue(?!\w)", str(info.value))


# --- ksf.load -----------------------------------------------------------------------------


@pytest.mark.parametrize("as_str", [False, True], ids=["Path", "str"])
def test_load_reads_a_rule_file(tmp_path, as_str):
    """`ksf.load(path)` compiles a UTF-8 rule file, given a Path or a str."""
    path = tmp_path / "pay.ksf"
    path.write_text(CARDS, encoding="utf-8")
    book = ksf.load(str(path) if as_str else path)
    assert_expected(book.evaluate(DATA))


def test_load_accepts_a_byte_order_mark(tmp_path):
    """A UTF-8 file saved with a BOM (Windows Notepad) loads like one without."""
    path = tmp_path / "pay.ksf"
    path.write_bytes(b"\xef\xbb\xbf" + CARDS.encode("utf-8"))
    assert_expected(ksf.load(path).evaluate(DATA))


def test_load_error_names_the_file(tmp_path):
    """A syntax error in a loaded file carries its position and names the file."""
    path = tmp_path / "broken.ksf"
    path.write_text("card a {\n  base 6000 7000\n}\n", encoding="utf-8")
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.load(path)
    assert (info.value.line, info.value.column) == (2, 13)
    assert "broken.ksf" in str(info.value)


def test_id_column_names_employees_in_explain_errors_and_ids():
    """`id_column` picks the column that names employees, over the usual id names."""
    book = ksf.compile("card s { base 5000; revenue balance 100 step 10 reward 50 }")
    data = {"employee": ["E1", "E2"], "badge": ["B-07", "B-09"], "revenue": [125.0, 80.0]}
    pay = book.evaluate(data, id_column="badge")
    assert pay.ids.tolist() == ["B-07", "B-09"]
    assert pay.explain(1).startswith("B-09 (row 1), card s")
    assert book.evaluate(data).explain(1).startswith("E2 (row 1), card s")
    with pytest.raises(ksf.DataError) as bad:
        book.evaluate({**data, "revenue": [125.0, np.nan]}, id_column="badge")
    assert bad.value.labels == ("B-09",)
    with pytest.raises(ksf.DataError) as missing:
        book.evaluate(data, id_column="工号")
    assert missing.value.column == "工号"
    assert "there is no id column '工号'" in str(missing.value)
