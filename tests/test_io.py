"""Reading data files and writing payrolls: every format, read back and compared."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ksf
from ksf import io
from ksf.io import write_xlsx

CARDS = """\
card seller {
  base 5000
  revenue balance 100000 step 10000 reward 100 penalty 50
}
card buyer {
  base 4000
  turnover balance 6 step 0.5 reward 80
}
"""


@pytest.fixture
def payroll() -> ksf.Payroll:
    book = ksf.compile(CARDS, name="pay.ksf")
    data = {
        "employee": ["E1", "E2", "E3"],
        "card": ["seller", "buyer", "seller"],
        "revenue": [125_000, np.nan, 80_000],
        "turnover": [np.nan, 7.2, np.nan],
    }
    # E1: +2 steps × 100 = 200 → 5,200; E2: (7.2 − 6) / 0.5 = 2.4 → 2 × 80 = 160 → 4,160;
    # E3: −2 steps × 50 = −100 → 4,900.
    return book.evaluate(data)


def test_payroll_fixture_figures(payroll: ksf.Payroll) -> None:
    """The fixture payroll's totals are 5,200, 4,160 and 4,900, as the other tests assume."""
    assert payroll.total.tolist() == [5200.0, 4160.0, 4900.0]


# ---- reading ------------------------------------------------------------------------------


def test_csv_cells_as_excel_writes_them(tmp_path: Path) -> None:
    """CSV as Excel writes it: a BOM, "1,200,000", 33% and empty unnamed columns read right."""
    path = tmp_path / "d.csv"
    text = '\ufeffemployee,revenue,rate,note,,\nE1,"1,200,000",33%,a,,\nE2,,12.5%,b,,\n'
    path.write_text(text, encoding="utf-8")
    data = io.read_data(path)
    assert list(data) == ["employee", "revenue", "rate", "note"]  # unnamed empty columns go
    assert data["revenue"][0] == 1_200_000
    assert np.isnan(data["revenue"][1])
    assert data["rate"].tolist() == [0.33, 0.125]
    assert data["note"].tolist() == ["a", "b"]


def test_csv_id_column_kept_as_text(tmp_path: Path) -> None:
    """An id column of 007, 010 reads as numbers unless `keep_text` keeps it as text."""
    path = tmp_path / "d.csv"
    path.write_text("employee,x\n007,1\n010,2\n", encoding="utf-8")
    assert io.read_data(path)["employee"].tolist() == [7.0, 10.0]
    assert io.read_data(path, keep_text=["employee"])["employee"].tolist() == ["007", "010"]


def test_csv_unnamed_column_with_values_is_refused(tmp_path: Path) -> None:
    """A CSV column with values but no header name is a DataError naming column 2."""
    path = tmp_path / "d.csv"
    path.write_text("a,\n1,2\n", encoding="utf-8")
    with pytest.raises(ksf.DataError, match="column 2 has values but no name"):
        io.read_data(path)


def test_csv_not_utf8_is_refused(tmp_path: Path) -> None:
    """A CSV saved as GBK is a DataError saying it is not UTF-8."""
    path = tmp_path / "d.csv"
    path.write_bytes("工号,x\nE1,1\n".encode("gbk"))
    with pytest.raises(ksf.DataError, match="not UTF-8"):
        io.read_data(path)


def test_words_like_nan_are_text_not_numbers() -> None:
    """The word "nan" in a cell is text, not a missing number, and is reported as not a number."""
    data = io.parse_csv("x\n1\nnan\n")
    assert data["x"].dtype.kind == "U"
    assert io.not_numbers(data["x"]) == [1]


def test_unknown_extension(tmp_path: Path) -> None:
    """A data file whose extension names no format is a ValueError: "cannot tell the format"."""
    with pytest.raises(ValueError, match="cannot tell the format"):
        io.read_data(tmp_path / "d.dat")


def test_json_records(tmp_path: Path) -> None:
    """JSON records read like a table: "33%" is 0.33, an absent key is a missing value."""
    path = tmp_path / "d.json"
    records = [{"employee": "E1", "revenue": 1200, "rate": "33%"}, {"employee": "E2"}]
    path.write_text(json.dumps(records), encoding="utf-8")
    data = io.read_data(path)
    assert data["rate"][0] == 0.33
    assert np.isnan(data["rate"][1])
    assert data["revenue"][0] == 1200.0
    assert np.isnan(data["revenue"][1])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": [1]}', "expected a list of records"),
        ('[{"a": [1]}]', "not lists or objects"),
        ("[{", r"d\.json:1:3: not valid JSON"),
    ],
)
def test_json_errors(tmp_path: Path, text: str, message: str) -> None:
    """JSON that is not a list of flat records, or not JSON at all, is a DataError saying which."""
    path = tmp_path / "d.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ksf.DataError, match=message):
        io.read_data(path)


def _workbook(path: Path, rows: list[list[object]], title: str = "Sheet") -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_xlsx_cells(tmp_path: Path) -> None:
    """XLSX cells: mixed ids read as text (1001), percents as shares, dates as ISO text."""
    path = tmp_path / "d.xlsx"
    rows = [
        ["employee", "revenue", "rate", "month", None],
        [1001, 1200.5, "33%", dt.datetime(2026, 7, 1), None],
        ["E2", None, "25%", dt.datetime(2026, 8, 1), None],
    ]
    _workbook(path, rows)
    data = io.read_data(path)
    assert data["employee"].tolist() == ["1001", "E2"]  # mixed: text, 1001 not 1001.0
    assert data["revenue"][0] == 1200.5
    assert np.isnan(data["revenue"][1])
    assert data["rate"].tolist() == [0.33, 0.25]
    assert data["month"].tolist() == ["2026-07-01", "2026-08-01"]


def test_xlsx_sheet_by_name_and_missing_sheet(tmp_path: Path) -> None:
    """A sheet is read by name; an unknown sheet is a DataError listing the workbook's sheets."""
    path = tmp_path / "d.xlsx"
    _workbook(path, [["x"], [3]], title="7月")
    assert io.read_data(path, sheet="7月")["x"].tolist() == [3.0]
    with pytest.raises(ksf.DataError, match="no sheet '8月'; the workbook has: 7月"):
        io.read_data(path, sheet="8月")


def test_xlsx_refuses_uncomputed_formulas(tmp_path: Path) -> None:
    """A formula cell without a saved value is refused, naming its sheet row."""
    path = tmp_path / "d.xlsx"
    # openpyxl saves formulas without computed values, as a program (not Excel) would.
    _workbook(path, [["a", "b"], [1, "=A2*2"]])
    with pytest.raises(ksf.DataError, match="formula cells have no saved value") as error:
        io.read_data(path)
    assert error.value.column == "b"
    assert error.value.labels == ("2",)
    assert str(error.value).endswith("\n  sheet rows: 2")


def test_parquet_with_nulls(tmp_path: Path) -> None:
    """Parquet nulls read as an empty id and a missing number."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "d.parquet"
    table = pa.table({"employee": ["E1", None], "n": pa.array([3, None], pa.int64())})
    pq.write_table(table, path)
    data = io.read_data(path)
    assert data["employee"].tolist() == ["E1", ""]
    assert data["n"][0] == 3.0
    assert np.isnan(data["n"][1])


# ---- writing ------------------------------------------------------------------------------


def test_csv_and_json_read_back(payroll: ksf.Payroll, tmp_path: Path) -> None:
    """A payroll written as CSV or JSON reads back with the same ids, cards and amounts."""
    io.write_payroll(payroll, tmp_path / "p.csv")
    back = io.read_data(tmp_path / "p.csv", keep_text=["id"])
    assert back["total"].tolist() == payroll.total.tolist()
    assert back["id"].tolist() == ["E1", "E2", "E3"]
    io.write_payroll(payroll, tmp_path / "p.json")
    records = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert records == payroll.to_records()
    assert records[1] == {
        "id": "E2", "card": "buyer", "base": 4000.0, "revenue": 0.0, "turnover": 160.0,
        "total": 4160.0,
    }  # fmt: skip


def test_parquet_read_back(payroll: ksf.Payroll, tmp_path: Path) -> None:
    """A payroll written as Parquet reads back its totals and carries the rulebook hash."""
    pq = pytest.importorskip("pyarrow.parquet")
    io.write_payroll(payroll, tmp_path / "p.parquet")
    table = pq.read_table(tmp_path / "p.parquet")
    assert table.column("total").to_pylist() == payroll.total.tolist()
    assert table.schema.metadata[b"ksf.rulebook_hash"] == payroll.rulebook_hash.encode()


def test_xlsx_payroll_and_payslips(payroll: ksf.Payroll, tmp_path: Path) -> None:
    """XLSX output has a payroll sheet with a totals row and one payslip sheet per employee."""
    openpyxl = pytest.importorskip("openpyxl")
    io.write_payroll(payroll, tmp_path / "p.xlsx")
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert book.sheetnames == ["payroll", "E1", "E2", "E3"]
    sheet = book["payroll"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("id", "card", "base", "revenue", "turnover", "total")
    # A line the row's card lacks is blank; money is numbers with a thousands format.
    assert rows[2] == ("E2", "buyer", 4000, None, 160, 4160)
    assert rows[-1] == ("total", None, 14000, 100, 160, 14260)
    assert sheet["C2"].number_format == "#,##0.00"
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    slip = list(book["E2"].iter_rows(values_only=True))
    assert slip[0][0].startswith("E2 (row 1), card buyer")
    lines = {r[0]: r[1] for r in slip[4:] if r[0]}
    assert lines == {"base": 4000, "turnover": 160, "total": 4160}
    texts = [r[3] for r in slip if len(r) > 3 and r[3]]
    assert any("(7.2 − 6) / 0.5" in t for t in texts)


def test_sheet_names_are_legal_and_unique() -> None:
    """Payslip sheet names drop illegal characters, fit 31 characters and are unique, any case."""
    taken = {"payroll"}
    names = [write_xlsx.sheet_name(label, taken) for label in ["a/b", "A/B", "x" * 40, "x" * 40]]
    assert names == ["a_b", "A_B (2)", "x" * 31, "x" * 27 + " (2)"]
    assert write_xlsx.sheet_name("Payroll", taken) == "Payroll (2)"


def test_too_many_payslips(
    payroll: ksf.Payroll, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past MAX_PAYSLIPS, XLSX output asks for `--no-payslips`, and writes without them."""
    pytest.importorskip("openpyxl")
    monkeypatch.setattr(write_xlsx, "MAX_PAYSLIPS", 2)
    with pytest.raises(ValueError, match="--no-payslips"):
        io.write_payroll(payroll, tmp_path / "p.xlsx")
    io.write_payroll(payroll, tmp_path / "p.xlsx", payslips=False)
    assert (tmp_path / "p.xlsx").exists()


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json", "parquet"])
def test_failed_write_leaves_the_old_file(
    payroll: ksf.Payroll, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """A write that fails leaves the old file as it was and no temporary file, in every format."""
    if suffix == "xlsx":
        pytest.importorskip("openpyxl")
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    target = tmp_path / f"p.{suffix}"
    target.write_text("the old payroll", encoding="utf-8")

    def broken(*args: object) -> str:
        raise OSError("disk full")

    from ksf.io import write

    for name in ("payroll_csv", "payroll_json", "_write_parquet", "write_xlsx"):
        monkeypatch.setattr(write, name, broken)
    with pytest.raises(OSError, match="disk full"):
        io.write_payroll(payroll, target)
    assert target.read_text(encoding="utf-8") == "the old payroll"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temp file left


def test_interrupted_write_removes_the_temporary(tmp_path: Path) -> None:
    """A write interrupted by Ctrl-C leaves no temporary file behind."""
    target = tmp_path / "p.csv"

    def half(path: Path) -> None:
        path.write_text("id,card\n", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        io.write_atomically(target, half)
    assert list(tmp_path.iterdir()) == []


def test_to_frames(payroll: ksf.Payroll) -> None:
    """`to_pandas` and `to_arrow` give tables with the payroll's columns and totals."""
    pd = pytest.importorskip("pandas")
    frame = payroll.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert frame["total"].tolist() == [5200.0, 4160.0, 4900.0]
    pa = pytest.importorskip("pyarrow")
    table = payroll.to_arrow()
    assert isinstance(table, pa.Table)
    assert table.column_names == ["id", "card", "base", "revenue", "turnover", "total"]


def test_dataframes_in(payroll: ksf.Payroll) -> None:
    """A polars frame and its Arrow table evaluate to the same totals as the fixture data."""
    polars = pytest.importorskip("polars")
    book = ksf.compile(CARDS)
    frame = polars.DataFrame(
        {
            "employee": ["E1", "E2", "E3"],
            "card": ["seller", "buyer", "seller"],
            "revenue": [125_000.0, None, 80_000.0],
            "turnover": [None, 7.2, None],
        }
    )
    assert book.evaluate(frame).total.tolist() == payroll.total.tolist()
    assert book.evaluate(frame.to_arrow()).total.tolist() == payroll.total.tolist()


@pytest.mark.parametrize("suffix", ["xlsx", "parquet"])
def test_damaged_files(tmp_path: Path, suffix: str) -> None:
    """A CSV named .xlsx or .parquet is a DataError saying the file is damaged."""
    pytest.importorskip("openpyxl" if suffix == "xlsx" else "pyarrow")
    path = tmp_path / f"d.{suffix}"
    path.write_text("employee,revenue\nE1,1\n", encoding="utf-8")  # a CSV by another name
    with pytest.raises(ksf.DataError, match="damaged"):
        io.read_data(path)


# ---- big CSV files: the pyarrow reader gives what the plain reader gives -------------------


def _both(path: Path, monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> tuple[object, object]:
    from ksf.io import fastcsv

    results = []
    for threshold in (-1, 10**12):  # -1: every file is "big"; 10**12: none is
        monkeypatch.setattr(fastcsv, "ARROW_BYTES", threshold)
        try:
            results.append(io.read_data(path, **kwargs))  # type: ignore[arg-type]
        except ksf.DataError as error:
            results.append(type(error))
    return results[0], results[1]


def _same(fast: object, plain: object) -> None:
    if isinstance(plain, type) or isinstance(fast, type):
        assert fast == plain
        return
    assert isinstance(fast, dict)
    assert isinstance(plain, dict)
    assert list(fast) == list(plain)
    for name in plain:
        assert fast[name].dtype.kind == plain[name].dtype.kind, name
        if plain[name].dtype.kind == "f":
            np.testing.assert_array_equal(fast[name], plain[name], err_msg=name)
        else:
            assert fast[name].tolist() == plain[name].tolist(), name


def test_fast_csv_reads_as_the_plain_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pyarrow CSV reader gives the plain reader's columns, text cells and numbers alike."""
    pytest.importorskip("pyarrow")
    path = tmp_path / "d.csv"
    text = (
        "\ufeffemployee,a,b,c,d,e,f,,g\n"
        '007,"1,200,000",33%, 12.5 ,nan,1_000,张伟,,","\n'
        ",,,,,,,,\n"
        '010,,12.5%,-3,inf,2,"x\ny",,1\n'
    )
    path.write_text(text, encoding="utf-8")
    fast, plain = _both(path, monkeypatch, keep_text=["employee"])
    _same(fast, plain)
    assert isinstance(plain, dict)
    assert plain["employee"].tolist() == ["007", "010"]
    assert plain["a"][0] == 1_200_000
    assert plain["d"].dtype.kind == "U"  # "nan" typed in a cell is a word
    assert plain["e"].tolist() == ["1_000", "2"]  # not a plain number: text, on both paths


@pytest.mark.parametrize(
    "text",
    ["a,b\n1,2,3\n", "a,\n1,2\n", "a,a\n1,2\n"],
    ids=["ragged", "unnamed", "repeated"],
)
def test_fast_csv_errors_as_the_plain_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """Ragged rows, an unnamed column or a repeated name are DataErrors on both CSV readers."""
    pytest.importorskip("pyarrow")
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8")
    fast, plain = _both(path, monkeypatch)
    assert fast == plain == ksf.DataError


def test_mixed_percent_styles_are_refused_by_both_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stray `20` among `20%` cells would read as 2000%: both readers name its row instead."""
    pytest.importorskip("pyarrow")
    from ksf.io import fastcsv

    path = tmp_path / "d.csv"
    path.write_text("employee,rate,zero\nE1,20%,0\nE2,20,5%\nE3,25%,\n", encoding="utf-8")
    for threshold in (-1, 10**12):  # the pyarrow reader, then the plain one
        monkeypatch.setattr(fastcsv, "ARROW_BYTES", threshold)
        with pytest.raises(ksf.DataError) as info:
            io.read_data(path)
        assert info.value.column == "rate"
        assert info.value.rows == (1,)  # E2's 20: the rarer style (one cell against two)
        assert "mixes percentages (like 20%) with plain numbers (like 20)" in str(info.value)
        assert str(info.value).startswith(f"data error: {path}: column 'rate'")
    # A 0 is the same with or without %: `zero` mixes 0 and 5% and reads fine.
    path.write_text("employee,zero\nE1,0\nE2,5%\n", encoding="utf-8")
    assert io.read_data(path)["zero"].tolist() == [0.0, 0.05]


def test_fast_csv_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A GBK CSV is a DataError on both CSV readers."""
    pytest.importorskip("pyarrow")
    path = tmp_path / "d.csv"
    path.write_bytes("name,x\n张伟,1\n".encode("gbk"))
    fast, plain = _both(path, monkeypatch)
    assert fast == plain == ksf.DataError


CELLS = st.sampled_from(
    [
        "",
        " ",
        "0",
        "1",
        "-2.5",
        "1,234",
        "1,2,3",
        "12%",
        "%",
        ",",
        "1e3",
        "nan",
        "inf",
        "x",
        "E1",
        " 7 ",
    ]
)


@given(rows=st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=6))
def test_fast_csv_property(rows: list[list[str]]) -> None:
    """Any small CSV reads the same with the pyarrow reader as with the plain one."""
    pytest.importorskip("pyarrow")
    import csv as csv_module
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv_module.writer(handle)
            writer.writerow(["a", "b", "c"])
            writer.writerows(rows)
        with pytest.MonkeyPatch.context() as monkeypatch:
            fast, plain = _both(path, monkeypatch)
        _same(fast, plain)


def test_xlsx_values_under_no_heading_are_refused(tmp_path: Path) -> None:
    """XLSX values under no heading are a DataError at their row; an empty one is ignored."""
    path = tmp_path / "d.xlsx"
    _workbook(path, [["a"], [1, None], [2, "stray"]])
    with pytest.raises(ksf.DataError, match="column 2 has values but no name") as error:
        io.read_data(path)
    assert error.value.rows == (1,)
    _workbook(path, [["a", None], [1, None], [2, " "]])  # an empty unnamed column is formatting
    assert list(io.read_data(path)) == ["a"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_permissions(payroll: ksf.Payroll, tmp_path: Path) -> None:
    """A new payroll file is readable by its owner only; an existing file keeps its permissions."""
    new = tmp_path / "new.csv"
    io.write_payroll(payroll, new)
    assert new.stat().st_mode & 0o777 == 0o600  # pay data: the owner's only
    shared = tmp_path / "shared.csv"
    shared.write_text("old", encoding="utf-8")
    shared.chmod(0o640)
    io.write_payroll(payroll, shared)
    assert shared.stat().st_mode & 0o777 == 0o640


def test_ragged_rows_say_how_many_cells_each_has() -> None:
    """Rows with too few or too many cells are a DataError giving each file line's cell count."""
    # Row 0 (file line 2, as Excel numbers it) lost its last cell; row 1 (line 3) has a
    # trailing comma, as a stray cell typed in Excel. Line numbers count the header line.
    text = "工号,毛利率,清仓率\n007,20%\n008,21%,40%,\n009,22%,50%\n"
    with pytest.raises(ksf.DataError) as caught:
        io.parse_csv(text, "八月.csv")
    assert caught.value.rows == (0, 1)
    assert caught.value.message == (
        "八月.csv: the header has 3 columns but not every row has 3 cells "
        "(line 2 has 2, line 3 has 4); a row needs a cell, maybe empty, per column"
    )


def test_ragged_row_lines_count_a_cell_written_over_two_lines() -> None:
    """A quoted cell spanning two lines moves the next row to file line 4 in the message."""
    # The quoted cell of row 0 spans file lines 2 and 3, so row 1 is line 4 of the file.
    with pytest.raises(ksf.DataError) as caught:
        io.parse_csv('a,b\n1,"x\ny"\n2\n', "d.csv")
    assert caught.value.rows == (1,)
    assert "(line 4 has 1)" in caught.value.message
