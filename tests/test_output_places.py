"""Written payrolls show the places of the rulebook's rounding unit, in every format.

`rounding 0.001` writes three places, `rounding 1` (whole yuan) none, the default 0.01
two; each format is written, read back and compared with the hand figures below.
"""

from __future__ import annotations

import io as text_io
import json
from pathlib import Path

import numpy as np
import pytest

import ksf
from ksf import io
from ksf.cli import main
from ksf.cli.show import payroll_table
from ksf.money import unit_decimals

CARD = "card a {{\n  bonus x\n  base 7.5\n}}"


def _payroll(unit: str) -> ksf.Payroll:
    book = ksf.compile(f"rounding {unit}\n" + CARD.format())
    return book.evaluate({"employee": ["E1", "E2"], "x": [1.2344, 2500.5]})


# rounding 0.001: bonus 1.2344 → 1.234, 2500.5 → 2500.500; base 7.500;
#   totals 1.234 + 7.5 = 8.734 and 2500.5 + 7.5 = 2508.000
THOUSANDTHS_CSV = "id,card,bonus,base,total\nE1,a,1.234,7.500,8.734\nE2,a,2500.500,7.500,2508.000\n"
# rounding 1: bonus 1.2344 → 1, 2500.5 → 2501 (half-up); base 7.5 → 8;
#   totals 1 + 8 = 9 and 2501 + 8 = 2509
WHOLE_CSV = "id,card,bonus,base,total\nE1,a,1,8,9\nE2,a,2501,8,2509\n"
CASES = [("0.001", 3, THOUSANDTHS_CSV), ("1", 0, WHOLE_CSV)]


@pytest.mark.parametrize(
    ("unit", "places"), [(0.01, 2), (0.05, 2), (0.001, 3), (0.5, 1), (1.0, 0), (10.0, 0)]
)
def test_unit_decimals(unit: float, places: int) -> None:
    """A rounding unit's places: 0.01 and 0.05 → 2, 0.001 → 3, 0.5 → 1, 1 and 10 → 0."""
    assert unit_decimals(unit) == places


@pytest.mark.parametrize(("unit", "places", "csv_text"), CASES)
def test_payroll_knows_its_rounding(unit: str, places: int, csv_text: str) -> None:
    """A payroll keeps its read-only rounding unit and places; the default is 0.01, two places."""
    pay = _payroll(unit)
    assert pay.rounding == float(unit)
    assert pay.decimals == places
    with pytest.raises(AttributeError):
        pay.rounding = 0.01  # type: ignore[misc]
    assert ksf.compile(CARD.format()).evaluate({"x": [1.0]}).decimals == 2  # the default


@pytest.mark.parametrize(("unit", "places", "csv_text"), CASES)
def test_csv_written_and_read_back(unit: str, places: int, csv_text: str, tmp_path: Path) -> None:
    """CSV amounts carry the unit's places (2508.000, 2509) and read back as the same totals."""
    pay = _payroll(unit)
    pay.ids = np.asarray(["E1", "E2"])
    io.write_payroll(pay, tmp_path / "p.csv")
    assert (tmp_path / "p.csv").read_text(encoding="utf-8-sig") == csv_text
    back = io.read_data(tmp_path / "p.csv", keep_text=["id"])
    assert back["total"].tolist() == pay.total.tolist()
    assert back["bonus"].tolist() == pay["bonus"].tolist()


@pytest.mark.parametrize(("unit", "places", "csv_text"), CASES)
def test_json_written_and_read_back(unit: str, places: int, csv_text: str, tmp_path: Path) -> None:
    """JSON totals read back equal; whole yuan are integers, thousandths keep three places."""
    pay = _payroll(unit)
    io.write_payroll(pay, tmp_path / "p.json")
    records = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert [r["total"] for r in records] == pay.total.tolist()
    # whole yuan are JSON integers (2509, not 2509.0); thousandths keep their three places
    expected = [int, int] if places == 0 else [float, float]
    assert [type(r["total"]) for r in records] == expected
    assert records[0]["bonus"] == (1 if places == 0 else 1.234)


@pytest.mark.parametrize(("unit", "places", "csv_text"), CASES)
def test_xlsx_written_and_read_back(unit: str, places: int, csv_text: str, tmp_path: Path) -> None:
    """XLSX cells hold the amounts with the unit's number format, on the sheet and the payslips."""
    openpyxl = pytest.importorskip("openpyxl")
    pay = _payroll(unit)
    pay.ids = np.asarray(["E1", "E2"])
    io.write_payroll(pay, tmp_path / "p.xlsx")
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    sheet = book["payroll"]
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[-1] for r in rows[1:]] == [*pay.total.tolist(), pay.total.sum()]
    shape = {3: "#,##0.000", 0: "#,##0"}[places]
    assert {sheet.cell(row, col).number_format for row in (2, 3, 4) for col in (3, 4, 5)} == {shape}
    assert book["E2"]["B5"].number_format == shape  # the payslip's first amount


@pytest.mark.parametrize(("unit", "places", "csv_text"), CASES)
def test_parquet_keeps_the_unit(unit: str, places: int, csv_text: str, tmp_path: Path) -> None:
    """Parquet totals read back equal, and the rounding unit is in the schema's metadata."""
    pq = pytest.importorskip("pyarrow.parquet")
    pay = _payroll(unit)
    io.write_payroll(pay, tmp_path / "p.parquet")
    table = pq.read_table(tmp_path / "p.parquet")
    assert table.column("total").to_pylist() == pay.total.tolist()
    assert float(table.schema.metadata[b"ksf.rounding"]) == float(unit)


def test_terminal_table_and_receipt_show_the_unit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The terminal table, CSV output and run receipt show amounts in the unit's places."""
    book = ksf.compile("rounding 0.001\n" + CARD.format())
    pay = book.evaluate({"x": [1.2344, 2500.5]})
    out = text_io.StringIO()
    payroll_table(book, pay, {}, out)  # no id column: the rows are numbered
    assert out.getvalue().splitlines()[1:4] == [
        "row        bonus    base  total (CNY)",
        "0          1.234   7.500        8.734",
        "1      2,500.500   7.500    2,508.000",
    ]
    assert out.getvalue().endswith("total: 2,516.734 CNY\n")  # 8.734 + 2,508.000
    (tmp_path / "pay.ksf").write_text("rounding 1\n" + CARD.format(), encoding="utf-8")
    (tmp_path / "d.csv").write_text("employee,card,x\nE1,a,1.2344\nE2,a,2500.5\n", "utf-8")
    assert main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "d.csv"), "--format", "csv"]) == 0
    assert capsys.readouterr().out == WHOLE_CSV
    out_file = tmp_path / "p.csv"
    assert (
        main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "d.csv"), "-o", str(out_file)]) == 0
    )
    assert capsys.readouterr().err == f"{out_file}: 2 rows, total 2,518 CNY\n"  # 9 + 2,509
