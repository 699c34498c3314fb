"""The data boundary, second round: one rule on every file path, ids, params, big integers.

Each test pins down a hole a new user found (issue 11): a mixed percent column paid 100x
from XLSX and JSON, float32 Parquet widened, rows with no id or a repeated id paid, a
repeated ``--param`` silently kept, and integers past 2**53 reported as a compile error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import ksf
from ksf.cli import main
from ksf.io.read_parquet import arrow_columns

PAY = "card a { bonus x }\n"


def _run_args(tmp_path: Path, rules: str = PAY, data: str = "employee\nE1\n") -> list[str]:
    (tmp_path / "pay.ksf").write_text(rules, encoding="utf-8")
    (tmp_path / "d.csv").write_text(data, encoding="utf-8")
    return ["run", str(tmp_path / "pay.ksf"), str(tmp_path / "d.csv"), "--format", "csv"]


# ---- --param ------------------------------------------------------------------------------


def test_a_param_given_twice_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--param x=1 --param x=2 kept 2 silently; which was meant is a guess: exit 2."""
    run = _run_args(tmp_path)
    assert main([*run, "--param", "x=1", "--param", "x=2"]) == 2
    assert "--param x is given twice" in capsys.readouterr().err
    assert main([*run, "--param", "x=1", "--param", " x =2"]) == 2


@pytest.mark.parametrize(
    ("value", "paid"),
    [("150万", "1500000.00"), ("1.5万", "15000.00"), ("1.15万", "11500.00"), ("-2万", "-20000.00")],
)
def test_a_param_may_carry_wan_as_a_rule_file_number_may(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, paid: str
) -> None:
    """150万 = 150 x 10,000 = 1,500,000; 1.15万 = 11,500 exactly (not 11,499.999…)."""
    run = _run_args(tmp_path)
    assert main([*run, "--param", f"x={value}"]) == 0
    assert capsys.readouterr().out.splitlines()[1].endswith(f",{paid}")


@pytest.mark.parametrize("value", ["万", "20%万", "150 万", "0_3万", "1万万", "1e3万"])
def test_wan_only_after_a_plain_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """万 alone, after a percentage, after a space or twice is not a number: exit 2."""
    assert main([*_run_args(tmp_path), "--param", f"x={value}"]) == 2
    assert "--param takes NAME=NUMBER" in capsys.readouterr().err


def test_a_data_cell_does_not_take_wan(tmp_path: Path) -> None:
    """A CSV cell 150万 is text, as any cell that is not a plain number is (docs/cli.md)."""
    run = _run_args(tmp_path, "card a { bonus sales }\n", "employee,sales\nE1,150万\n")
    assert main(run) == 1


# ---- float32 on every path ----------------------------------------------------------------


def test_float32_parquet_is_refused_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """16777217.05 as float32 is 16777218: 10% paid 1,677,721.80 (by hand 1,677,721.71)."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"employee": ["E1"], "sales": pa.array([16777217.05], pa.float32())})
    pq.write_table(table, tmp_path / "d.parquet")
    with pytest.raises(ksf.DataError, match="only about 7 significant digits") as info:
        ksf.io.read_data(tmp_path / "d.parquet")
    assert info.value.column == "sales"
    (tmp_path / "pay.ksf").write_text("card a { commission sales rate 10% }\n")
    assert main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "d.parquet")]) == 1
    err = capsys.readouterr().err
    assert "float32, which keeps only about 7 significant digits" in err
    # the same column as float64 pays by hand: 16,777,217.05 x 10% = 1,677,721.705 → .71
    pq.write_table(pa.table({"employee": ["E1"], "sales": [16777217.05]}), tmp_path / "d.parquet")
    assert (
        main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "d.parquet"), "--format", "csv"])
        == 0
    )
    assert capsys.readouterr().out.splitlines()[1].endswith(",1677721.71")


def test_float16_is_refused_saying_it_keeps_about_3_digits() -> None:
    """float16 stores 1234.5 as 1234: the message must not claim 7 digits."""
    book = ksf.compile("card a { commission sales rate 10% }")
    with pytest.raises(ksf.DataError, match="about 3 significant digits") as info:
        book.evaluate({"sales": np.array([1234.5], dtype=np.float16)})
    assert "7 significant" not in info.value.message
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"sales": pa.array(np.array([1234.5], np.float16))})
    with pytest.raises(ksf.DataError, match="about 3 significant digits"):
        arrow_columns(table, "t.parquet")


# ---- percentages mixed with plain numbers, on every path -----------------------------------

MARGIN = ksf.compile("card a { bonus 1000 * 毛利率 }")


def test_xlsx_number_cell_next_to_a_percent_text_cell_is_refused(tmp_path: Path) -> None:
    """[28.5, "21%", 0.3] paid E1 1000 x 28.5 = 28,500 (2850%); CSV refuses the same cells."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["工号", "毛利率"], ["E1", 28.5], ["E2", "21%"], ["E3", 0.3]):
        sheet.append(row)
    book.save(tmp_path / "d.xlsx")
    with pytest.raises(ksf.DataError, match="mixes percentages") as info:
        ksf.io.read_data(tmp_path / "d.xlsx")
    assert info.value.column == "毛利率"
    assert info.value.labels == ("3",)  # sheet row 3 holds the rarer style, "21%"
    (tmp_path / "d.csv").write_text("工号,毛利率\nE1,28.5\nE2,21%\nE3,0.3\n", encoding="utf-8")
    with pytest.raises(ksf.DataError, match="mixes percentages"):
        ksf.io.read_data(tmp_path / "d.csv")


def test_json_number_next_to_a_percent_string_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON 28.5 and "21%" in one column is refused on the command line, exit 1."""
    (tmp_path / "d.json").write_text(
        '[{"工号":"E1","毛利率":28.5},{"工号":"E2","毛利率":"21%"}]', encoding="utf-8"
    )
    with pytest.raises(ksf.DataError, match="mixes percentages"):
        ksf.io.read_data(tmp_path / "d.json")
    (tmp_path / "pay.ksf").write_text("card a { bonus 1000 * 毛利率 }\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "d.json")]) == 1
    assert "mixes percentages" in capsys.readouterr().err


def test_percent_cells_alone_or_numbers_alone_still_read(tmp_path: Path) -> None:
    """JSON "21%" and "30%" are 0.21 and 0.3; numbers 0.21 and 0.3 are those values."""
    (tmp_path / "p.json").write_text('[{"x":"21%"},{"x":"30%"},{"x":0}]', encoding="utf-8")
    assert ksf.io.read_data(tmp_path / "p.json")["x"].tolist() == [0.21, 0.3, 0.0]
    (tmp_path / "n.json").write_text('[{"x":0.21},{"x":0.3}]', encoding="utf-8")
    assert ksf.io.read_data(tmp_path / "n.json")["x"].tolist() == [0.21, 0.3]


# ---- integers past 2**53 read as amounts ----------------------------------------------------

BIG = 2**53 + 1  # 9,007,199,254,740,993: a float64 holds 9,007,199,254,740,992


def _big_columns() -> dict[str, Any]:
    pd = pytest.importorskip("pandas")
    pa = pytest.importorskip("pyarrow")
    data = {"employee": ["E1", "E2"], "sales": [100, BIG]}
    return {
        "list": data,
        "numpy": {**data, "sales": np.array(data["sales"], dtype=np.int64)},
        "pandas": pd.DataFrame(data),
        "arrow": pa.table({"employee": data["employee"], "sales": pa.array(data["sales"])}),
    }


@pytest.mark.parametrize("kind", ["list", "numpy", "pandas", "arrow"])
def test_an_integer_past_2_53_read_as_an_amount_is_a_data_error(kind: str) -> None:
    """It was a KsfCompileError "holds text, not numbers" without rows; it names E2."""
    book = ksf.compile("card a { commission sales rate 10% }")
    with pytest.raises(ksf.DataError, match="whole numbers beyond 2\\*\\*53") as info:
        book.evaluate(_big_columns()[kind])
    error = info.value
    assert (error.column, error.rows, error.labels) == ("sales", (1,), ("E2",))
    assert "9007199254740993" in error.message


def test_a_long_integer_id_still_keeps_every_digit() -> None:
    """A 64-bit id column no rule reads as an amount is text: every digit kept."""
    book = ksf.compile("card a { commission sales rate 10% }")
    pay = book.evaluate({"employee": np.array([BIG, 7], np.int64), "sales": [100, 200]})
    assert pay.total.tolist() == [10.0, 20.0]
    assert [str(i) for i in pay.ids] == ["9007199254740993", "7"]


# ---- ids: missing, repeated under one card, missing periods ---------------------------------

BASE = ksf.compile("card a { base 100 }\ncard b { base 50 }")


@pytest.mark.parametrize(
    ("ids", "expected"),
    [(["", "E1", ""], (0, 2)), (["E1", " "], (1,)), ([None, "E1"], (0,)), ([7.0, np.nan], (1,))],
)
def test_a_row_with_no_id_in_an_id_column_is_refused(
    ids: list[Any], expected: tuple[int, ...]
) -> None:
    """Rows with an empty id were all paid (100 each, to nobody); now a DataError naming them."""
    with pytest.raises(ksf.DataError, match="rows with no id in the id column") as info:
        BASE.evaluate({"employee": ids}, card="a")
    assert (info.value.column, info.value.rows) == ("employee", expected)
    paid = BASE.evaluate({"employee": ids}, card="a", allow_duplicate_ids=True)
    assert paid.total.tolist() == [100.0] * len(ids)


def test_a_row_with_no_id_names_its_file_line_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ksf run` exits 1 naming the CSV lines (3 and 4) of the rows without an id."""
    run = _run_args(tmp_path, "card a { base 100 }\n", "employee,x\nE1,1\n,2\n,3\n")
    assert main(run) == 1
    assert capsys.readouterr().err.endswith("\n  lines: 3, 4\n")
    assert main([*run, "--allow-duplicate-ids"]) == 0


def test_a_descriptive_column_does_not_make_a_repeated_id_legitimate() -> None:
    """E1 twice with roles 运营 and 运营主管 but one card paid 200; the role is read by no rule."""
    data = {"employee": ["E1", "E1"], "role": ["运营", "运营主管"]}
    with pytest.raises(ksf.DataError, match="the same id appears on several rows") as info:
        BASE.evaluate(data, card="a")
    assert info.value.rows == (0, 1)
    with pytest.raises(ksf.DataError, match="the same id appears"):
        BASE.evaluate({**data, "card": ["a", "a"]})
    # two cards for one employee in one period is a split pay: 100 + 50
    assert BASE.evaluate({**data, "card": ["a", "b"]}).total.tolist() == [100.0, 50.0]


def test_card_given_to_evaluate_is_the_card_of_every_row() -> None:
    """With card="a", a card column the evaluation ignores does not split the key."""
    data = {"employee": ["E1", "E1"], "card": ["a", "b"]}
    with pytest.raises(ksf.DataError, match="the same id appears"):
        BASE.evaluate(data, card="a")


@pytest.mark.parametrize("month", [[None, None], [np.nan, np.nan], ["", ""]])
def test_a_missing_period_is_one_period_not_a_new_one(month: list[Any]) -> None:
    """month [None, None] let E1 be paid twice: two missing periods are equal, not distinct."""
    with pytest.raises(ksf.DataError, match="the same id appears") as info:
        BASE.evaluate({"employee": ["E1", "E1"], "month": month}, card="a")
    assert info.value.rows == (0, 1)
    fine = {"employee": ["E1", "E1"], "month": ["2026-07", None]}
    assert BASE.evaluate(fine, card="a").total.tolist() == [100.0, 100.0]
