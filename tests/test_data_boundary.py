"""The data boundary: ids paid once, one number rule on every path, odd columns refused.

Each test pins down a hole found by hand or by fuzzing (issue 11): a repeated id paid twice,
``0_3`` and ``٣`` read as numbers, a masked cell paid, structured/sparse/list columns and
lone surrogates crashing, rows named by 0-based index where a file line or an id is known,
and Excel's TRUE/FALSE refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import ksf
from ksf import io
from ksf.cli import main

BONUS = ksf.compile("card a { base 100; bonus revenue * 1% }", name="pay.ksf")


def _error(data: Any, book: ksf.Rulebook = BONUS, **options: Any) -> ksf.DataError:
    with pytest.raises(ksf.DataError) as info:
        book.evaluate(data, **options)
    return info.value


# ---- 1. an id on two rows -----------------------------------------------------------------


def test_an_id_on_two_rows_is_refused_naming_the_rows_and_the_id() -> None:
    """E1 pasted twice would be paid twice: a DataError naming column, rows and the id."""
    error = _error({"employee": ["E1", "E2", "E1"], "revenue": [1000, 2000, 1000]})
    assert error.column == "employee"
    assert error.rows == (0, 2)
    assert error.labels == ("E1", "E1")
    assert "the same id appears on several rows (E1)" in error.message
    assert "allow_duplicate_ids=True" in error.message


def test_repeated_ids_are_paid_when_the_caller_allows_them() -> None:
    """allow_duplicate_ids=True pays each row: 100 + 1% of 1000, 2000, 1000."""
    data = {"employee": ["E1", "E2", "E1"], "revenue": [1000, 2000, 1000]}
    pay = BONUS.evaluate(data, allow_duplicate_ids=True)
    assert pay.total.tolist() == [110.0, 120.0, 110.0]


def test_an_explicit_numeric_id_column_is_checked_too() -> None:
    """id_column names a numeric column: 7 twice is refused and labelled 7, not 7.0."""
    error = _error({"staff_no": [7, 8, 7], "revenue": [1, 2, 3]}, id_column="staff_no")
    assert (error.column, error.rows, error.labels) == ("staff_no", (0, 2), ("7", "7"))


def test_ids_repeat_across_periods_and_cards_but_not_within_one() -> None:
    """A quarter of monthly rows is three rows per id; the same id twice in July is not."""
    book = ksf.compile("card a { base 100 }\ncard b { base 50 }")
    months = {"employee": ["E1", "E1", "E2"], "month": ["2026-07", "2026-08", "2026-07"]}
    assert book.evaluate(months, card="a").total.tolist() == [100.0, 100.0, 100.0]
    cards = {"employee": ["E1", "E1"], "card": ["a", "b"]}  # one employee, two roles
    assert book.evaluate(cards).total.tolist() == [100.0, 50.0]
    twice = {"employee": ["E1", "E2", "E1"], "month": ["2026-07"] * 3}
    error = _error(twice, book, card="a")
    assert (error.rows, error.message.split("(")[0]) == (
        (0, 2),
        "the same id appears on several rows in one period ",
    )


def test_an_aggregation_with_two_roles_per_employee_paid_by_two_cards_is_not_refused() -> None:
    """`ksf.indicators.aggregate` writes one row per employee, role and period: a card each."""
    data = {
        "employee": ["E1", "E1"],
        "role": ["buyer", "operator"],
        "card": ["a", "b"],
        "period": ["Q3"] * 2,
    }
    book = ksf.compile("card a { base 100 }\ncard b { base 50 }")
    assert book.evaluate(data).total.tolist() == [100.0, 50.0]


def test_without_an_id_column_nothing_is_compared() -> None:
    """No id column: rows are not compared (an anonymous what-if table pays each row)."""
    assert BONUS.evaluate({"revenue": [100, 100]}).total.tolist() == [101.0, 101.0]


def test_the_command_line_refuses_repeated_ids_unless_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ksf run` exits 1 naming the employees; --allow-duplicate-ids pays each row."""
    (tmp_path / "pay.ksf").write_text("card a { base 100; bonus revenue * 1% }\n")
    (tmp_path / "d.csv").write_text("employee,revenue\nE1,1000\nE2,2000\nE1,1000\n")
    args = ["run", str(tmp_path / "pay.ksf"), str(tmp_path / "d.csv"), "--format", "csv"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "the same id appears on several rows (E1)" in err
    assert err.endswith("employees: E1 (lines 2, 4)\n")  # once, with its lines
    assert main([*args, "--allow-duplicate-ids"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[-1] for line in lines[1:]] == ["110.00", "120.00", "110.00"]


# ---- 2. one number rule ---------------------------------------------------------------------

ODD = ["0_3", "٣", "１２", "1,2"]  # underscore, Arabic-Indic, full-width digits, decimal comma


def _containers() -> dict[str, Any]:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    cells = ["5", *ODD]
    return {
        "list": {"revenue": cells},
        "object array": {"revenue": np.array(cells, dtype=object)},
        "pandas object": pd.DataFrame({"revenue": cells}),
        "pandas string": pd.DataFrame({"revenue": pd.array(cells, dtype="string")}),
        "polars": pl.DataFrame({"revenue": cells}),
        "pyarrow": pa.table({"revenue": cells}),
    }


@pytest.mark.parametrize("kind", ["list", "object array", "pandas object", "pandas string",
                                  "polars", "pyarrow"])  # fmt: skip
def test_what_is_not_a_plain_number_is_text_in_every_container(kind: str) -> None:
    """0_3, ٣, １２ and 1,2 are text everywhere: a DataError naming the column and rows 1-4."""
    error = _error(_containers()[kind])
    assert isinstance(error, ksf.DataError)
    assert (error.column, error.rows) == ("revenue", (1, 2, 3, 4))
    assert "holds text where the rules need numbers, e.g. '0_3'" in error.message


def test_plain_number_strings_are_numbers_in_a_list_as_in_an_object_column() -> None:
    """'300', ' 2e3 ', '-100' and '' (missing) read alike from a list and an object array."""
    cells = ["300", " 2e3 ", "-100", ""]
    book = ksf.compile("card a { missing as zero; bonus revenue * 1% }")
    for column in (cells, np.array(cells, dtype=object)):
        assert book.evaluate({"revenue": column}).total.tolist() == [3.0, 20.0, -1.0, 0.0]


def test_text_ids_keep_their_zeros_whatever_holds_them() -> None:
    """The id column's strings stay text: '007' is not 7, in a pandas column too."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"employee": ["007", "010"], "revenue": [100, 200]})
    assert BONUS.evaluate(frame).ids.tolist() == ["007", "010"]


def test_text_in_a_number_column_names_employees_not_a_compile_error() -> None:
    """N/A in a column a rule reads: DataError with rows and ids (was KsfCompileError)."""
    error = _error({"employee": ["E1", "E2", "E3"], "revenue": [100, "N/A", 300]})
    assert (error.column, error.rows, error.labels) == ("revenue", (1,), ("E2",))


@pytest.mark.parametrize(
    ("cell", "value"),
    [("1,200,000", 1_200_000.0), ("-1,234.5", -1234.5), ("33%", 0.33), ("1e3", 1000.0)],
)
def test_csv_reads_documented_export_numbers(cell: str, value: float) -> None:
    """Thousands separators in their places, a percent sign, plain numbers: numbers."""
    assert io.parse_csv(f'x\n"{cell}"\n')["x"].tolist() == [value]


@pytest.mark.parametrize(
    "cell",
    [
        "0_3",
        "٣",
        "１２",
        "1,2",
        "12,00",
        ",200",
        "1,",
        "33%%",
        "%",
        "0,285",
        "-0,285",
        "00,285",
        "0,285%",
        "0,500,000",
    ],
)
def test_csv_cells_that_are_not_numbers_are_text(cell: str) -> None:
    """Python's float reads 0_3 as 3 and ٣ as 3; a CSV cell like them is text."""
    assert io.parse_csv(f'x\n"{cell}"\n1\n')["x"].tolist() == [cell, "1"]


def test_the_big_file_reader_applies_the_same_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyarrow's CSV path: 0_3 and 1,2 stay text, 1,200 is a number, as on the plain path."""
    pytest.importorskip("pyarrow")
    import ksf.io.fastcsv

    monkeypatch.setattr(ksf.io.fastcsv, "ARROW_BYTES", 0)
    path = tmp_path / "d.csv"
    path.write_text('a,b,c,d\n0_3,"1,2","1,200","0,285"\n1,2,3,4\n', encoding="utf-8")
    data = io.read_data(path)
    assert data["a"].tolist() == ["0_3", "1"]
    assert data["b"].tolist() == ["1,2", "2"]
    assert data["c"].tolist() == [1200.0, 3.0]
    # a decimal comma (0,285 for 0.285) is never a thousands grouping: text, not 285
    assert data["d"].tolist() == ["0,285", "4"]


def test_xlsx_json_and_parquet_text_cells_follow_the_rule(tmp_path: Path) -> None:
    """A text cell ٣ or 0_3 in a workbook, JSON records or Parquet is text, not 3."""
    openpyxl = pytest.importorskip("openpyxl")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    book = openpyxl.Workbook()
    for row in (["x"], ["٣"], ["4"]):
        book.active.append(row)
    book.save(tmp_path / "d.xlsx")
    assert io.read_data(tmp_path / "d.xlsx")["x"].tolist() == ["٣", "4"]
    (tmp_path / "d.json").write_text(json.dumps([{"x": "0_3"}, {"x": 4}]), encoding="utf-8")
    assert io.read_data(tmp_path / "d.json")["x"].tolist() == ["0_3", "4"]
    pq.write_table(pa.table({"x": ["٣", "4"]}), tmp_path / "d.parquet")
    assert io.read_data(tmp_path / "d.parquet")["x"].tolist() == ["٣", "4"]


@pytest.mark.parametrize("value", ["0_3", "٣", " ３ "])
def test_a_param_string_follows_the_same_rule(value: str) -> None:
    """params={"x": "0_3"} was read as 3; a param string must be a plain number too."""
    book = ksf.compile("card a { bonus x }")
    assert book.evaluate({"e": [1]}, params={"x": " 12.5 "}).total.tolist() == [12.5]
    with pytest.raises(ksf.DataError, match="param 'x' must be a number"):
        book.evaluate({"e": [1]}, params={"x": value})


def test_a_command_line_param_reads_as_a_csv_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--param x=1,500 is 1500 (documented); x=0_3 and x=٣ are usage errors, not 3."""
    (tmp_path / "pay.ksf").write_text("card a { bonus x }\n")
    (tmp_path / "d.csv").write_text("employee\nE1\n")
    run = ["run", str(tmp_path / "pay.ksf"), str(tmp_path / "d.csv"), "--format", "csv"]
    assert main([*run, "--param", "x=1,500"]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith(",1500.00")
    for bad in ("x=0_3", "x=٣", "x=1,5"):
        assert main([*run, "--param", bad]) == 2
        assert "--param takes NAME=NUMBER" in capsys.readouterr().err


# ---- 3. masked arrays -----------------------------------------------------------------------


def test_a_masked_cell_is_missing_not_paid() -> None:
    """The masked 200 is a missing value: an error by default, 0 under `missing as zero`."""
    revenue = np.ma.masked_array([100.0, 200.0], mask=[False, True])
    error = _error({"revenue": revenue})
    assert (error.column, error.rows) == ("revenue", (1,))
    book = ksf.compile("card a { missing as zero; bonus revenue * 1% }")
    assert book.evaluate({"revenue": revenue}).total.tolist() == [1.0, 0.0]


@pytest.mark.parametrize(
    "values",
    [
        np.ma.masked_array([100, 200], mask=[False, True]),
        np.ma.masked_array(np.array(["100", "x"], dtype=object), mask=[False, True]),
        np.ma.masked_array(np.array(["100", "200"]), mask=[False, True]),
    ],
)
def test_masked_integer_object_and_string_arrays(values: Any) -> None:
    """Integers, objects and strings: the masked cell is missing, whatever lies under it."""
    book = ksf.compile("card a { missing as zero; bonus revenue * 1% }")
    assert book.evaluate({"revenue": values}).total.tolist() == [1.0, 0.0]


# ---- 4. columns that are not a column of values ---------------------------------------------


def test_a_structured_array_is_refused_naming_the_column() -> None:
    """A record array holds several values a row: DataError, not a numpy TypeError."""
    records = np.array([(1, 2.0), (3, 4.0)], dtype=[("a", "i4"), ("b", "f8")])
    error = _error({"revenue": records})
    assert error.column == "revenue"
    assert "holds records (fields a, b)" in error.message


def test_a_pandas_sparse_column_is_read_as_its_values() -> None:
    """A SparseArray is its values stored compactly: 1% of 100 and of 0 (was a TypeError)."""
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"revenue": pd.arrays.SparseArray([100.0, 0.0, 0.0])})
    assert BONUS.evaluate(frame).total.tolist() == [101.0, 100.0, 100.0]


def test_a_scipy_sparse_matrix_is_refused_with_what_to_pass() -> None:
    """A scipy.sparse value (here a stand-in of that module) gets a DataError, not a guess."""
    sparse = type("csr_matrix", (), {"__module__": "scipy.sparse._csr"})()
    error = _error({"revenue": sparse})
    assert error.column == "revenue"
    assert ".toarray().ravel()" in error.message


def test_list_cells_are_refused_in_every_container() -> None:
    """Lists in cells (object array, pandas, polars, Arrow): DataError naming column and rows."""
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    nested = np.empty(2, dtype=object)
    nested[:] = [[1], [2, 3]]
    for data in (
        {"revenue": nested},
        pd.DataFrame({"revenue": [[1], [2, 3]]}),
        pl.DataFrame({"revenue": [[1], [2, 3]]}),
        pa.table({"revenue": [[1], [2, 3]]}),
    ):
        error = _error(data)
        assert (error.column, error.rows) == ("revenue", (0, 1))
        assert "holds a container" in error.message


def test_a_lone_surrogate_is_refused_in_a_cell_and_in_a_name() -> None:
    """Undecodable bytes (a lone surrogate) cannot be printed or written: DataError."""
    error = _error({"employee": ["E1", "E\udc80"], "revenue": [1, 2]})
    assert (error.column, error.rows) == ("employee", (1,))
    error = _error({"revenue": [1, 2], "note\ud800": ["a", "b"]})
    assert "lone surrogate" in error.message
    str(error).encode("utf-8")  # the message itself prints


def test_a_polars_column_of_nulls_is_missing_not_float32() -> None:
    """polars gives an all-null column as float32; it is missing values, not a width error."""
    pl = pytest.importorskip("polars")
    book = ksf.compile("card a { missing as zero; bonus revenue * 1% }")
    assert book.evaluate(pl.DataFrame({"revenue": [None, None]})).total.tolist() == [0.0, 0.0]


def test_a_json_escaped_lone_surrogate_is_a_data_error_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON may escape half a character ("\\ud800"): exit 1 with a data error, no traceback."""
    (tmp_path / "pay.ksf").write_text("card a { base 100 }\n")
    for name, record in (("cell", '"note": "x\\ud800"'), ("key", '"x\\ud800": 1')):
        (tmp_path / f"{name}.json").write_text(f'[{{"employee": "E1", {record}}}]')
        status = main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / f"{name}.json")])
        err = capsys.readouterr().err
        assert status == 1
        assert "lone surrogate" in err


def test_bytes_that_are_not_text_are_refused() -> None:
    """A bytes column with a byte that is not ASCII: DataError, not UnicodeDecodeError."""
    error = _error({"revenue": np.array([b"1", b"\xff"])})
    assert error.column == "revenue"


def test_a_list_mixing_values_and_lists_is_refused_not_a_numpy_error() -> None:
    """NumPy cannot make [5, [1]] an array (ValueError); ksf names the list cell."""
    error = _error({"revenue": [5, [1], None]})
    assert (error.column, error.rows) == ("revenue", (1,))


def test_undecodable_bytes_among_other_cells_are_refused() -> None:
    """b'\\xff' next to a number in an object column: DataError naming the row."""
    cells = np.empty(2, dtype=object)
    cells[:] = [1.5, b"\xff"]
    error = _error({"revenue": cells})
    assert (error.column, error.rows) == ("revenue", (1,))


# ---- 5. rows named as a person finds them ---------------------------------------------------


def test_csv_errors_name_file_lines(tmp_path: Path) -> None:
    """Mixed percent styles: rows 0-based for programs, the file's lines for people."""
    path = tmp_path / "d.csv"
    path.write_text("x,y\n20%,1\n\n20,2\n", encoding="utf-8")  # a blank line 3
    with pytest.raises(ksf.DataError) as info:
        io.read_data(path)
    assert (info.value.rows, info.value.labels) == ((1,), ("4",))
    assert str(info.value).endswith("\n  lines: 4")


def test_the_command_line_names_file_lines_without_an_id_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing value and a text cell in a CSV without ids: `lines: N`, not `rows: N-2`."""
    (tmp_path / "pay.ksf").write_text("card a { base 100; bonus revenue * 1% }\n")
    (tmp_path / "gap.csv").write_text("revenue,x\n100,1\n\n,2\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "gap.csv")]) == 1
    assert capsys.readouterr().err.endswith("\n  lines: 4\n")
    (tmp_path / "text.csv").write_text("revenue\n100\nN/A\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "text.csv")]) == 1
    assert capsys.readouterr().err.endswith("\n  lines: 3\n")


@pytest.mark.parametrize("big", [False, True], ids=["plain reader", "pyarrow reader"])
def test_both_csv_readers_name_file_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], big: bool
) -> None:
    """Big files (read by pyarrow) name the same lines as small ones: blank lines and ",,"."""
    pytest.importorskip("pyarrow")
    import ksf.io.fastcsv

    if big:
        monkeypatch.setattr(ksf.io.fastcsv, "ARROW_BYTES", 0)
    (tmp_path / "pay.ksf").write_text("card a { base 100; bonus revenue * 1% }\n")
    # line 1 header, 2 a row, 3 blank, 4 only separators (dropped), 5 a row, 6 empty revenue
    text = "revenue,x\r\n100,1\r\n\r\n,\r\n200,2\r\n,3\r\n"
    (tmp_path / "gap.csv").write_text(text, encoding="utf-8", newline="")
    assert main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "gap.csv")]) == 1
    assert capsys.readouterr().err.endswith("\n  lines: 6\n")
    # a column of mixed percent styles, found while reading: line 5 is the rarer style
    (tmp_path / "mixed.csv").write_text("x\n20%\n\n30%\n20\n", encoding="utf-8")
    with pytest.raises(ksf.DataError) as info:
        io.read_data(tmp_path / "mixed.csv")
    assert info.value.labels == ("5",)


def test_a_quoted_line_break_leaves_big_file_rows_unnumbered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With quotes a cell may span lines, which pyarrow does not report: rows stay 0-based."""
    pytest.importorskip("pyarrow")
    import ksf.io.fastcsv

    monkeypatch.setattr(ksf.io.fastcsv, "ARROW_BYTES", 0)
    path = tmp_path / "q.csv"
    path.write_text('note,x\n"two\nlines",1\nok,2\n', encoding="utf-8")
    assert io.read_data(path).lines is None


def test_xlsx_errors_name_sheet_rows(tmp_path: Path) -> None:
    """Dates mixed with numbers: the date's sheet row as Excel shows it (blank row skipped)."""
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    book = openpyxl.Workbook()
    for row in (["start"], [5], [None], [dt.date(2026, 7, 1)]):
        book.active.append(row)
    book.save(tmp_path / "d.xlsx")
    with pytest.raises(ksf.DataError) as info:
        io.read_data(tmp_path / "d.xlsx")
    assert (info.value.rows, info.value.labels) == ((1,), ("4",))
    assert str(info.value).endswith("\n  sheet rows: 4")


def test_a_data_error_keeps_its_labels_through_pickling() -> None:
    """The noun travels with the error through a process pool."""
    import pickle

    error = ksf.DataError("bad", column="x", rows=[0], labels=["4"], noun="lines")
    assert str(pickle.loads(pickle.dumps(error))) == str(error)  # noqa: S301 - our own bytes


def test_errors_in_reading_the_columns_name_employees_too() -> None:
    """A list cell in row 1 of an export with ids: the employee, not only row 1."""
    cells = np.empty(2, dtype=object)
    cells[:] = [3, [2, 3]]
    error = _error({"employee": ["E1", "E2"], "revenue": cells})
    assert (error.rows, error.labels) == ((1,), ("E2",))
    error = _error({"staff_no": [7, 8], "revenue": cells}, id_column="staff_no")
    assert error.labels == ("8",)


# ---- 6. booleans and yes/no -----------------------------------------------------------------

FLAG = ksf.compile("card a { bonus 100 when launched }")


def test_xlsx_true_false_is_a_condition_column(tmp_path: Path) -> None:
    """Excel's TRUE/FALSE cells read as 1 and 0: bonus 100 and 0 (was refused)."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in (["launched"], [True], [False]):
        book.active.append(row)
    book.save(tmp_path / "d.xlsx")
    data = io.read_data(tmp_path / "d.xlsx")
    assert data["launched"].tolist() == [1.0, 0.0]
    assert FLAG.evaluate(data)["bonus"].tolist() == [100.0, 0.0]


def test_json_and_parquet_booleans_are_one_and_zero(tmp_path: Path) -> None:
    """JSON true/false and a Parquet boolean column read as Python's True/False do: 1, 0."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    (tmp_path / "d.json").write_text('[{"launched": true}, {"launched": false}]')
    assert io.read_data(tmp_path / "d.json")["launched"].tolist() == [1.0, 0.0]
    pq.write_table(pa.table({"launched": [False, True]}), tmp_path / "d.parquet")
    assert io.read_data(tmp_path / "d.parquet")["launched"].tolist() == [0.0, 1.0]


def test_yes_no_words_in_a_condition_column_get_a_hint() -> None:
    """是/否 in a condition column: DataError naming the rows, saying to write 1 and 0."""
    error = _error({"employee": ["E1", "E2"], "launched": ["是", "否"]}, FLAG)
    assert (error.column, error.rows, error.labels) == ("launched", (0, 1), ("E1", "E2"))
    hint = "a yes/no column needs 1 for yes (是) and 0 for no (否) (in .xlsx, TRUE/FALSE cells)"
    assert error.message.endswith(hint)
    other = _error({"launched": ["maybe", "否"]}, FLAG)
    assert "yes/no" not in other.message  # only when every such cell is a yes/no word


def test_yes_no_hint_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ksf run` on a CSV with 是/否 names the employee and gives the same hint."""
    (tmp_path / "pay.ksf").write_text("card a { bonus 100 when launched }\n")
    (tmp_path / "d.csv").write_text("工号,launched\n7,是\n8,1\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "d.csv")]) == 1
    err = capsys.readouterr().err
    assert "needs 1 for yes (是) and 0 for no (否)" in err
    assert err.endswith("employees: 7\n")
