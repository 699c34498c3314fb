"""Tables with several keys, decision matrices (LANGUAGE.md 10), through every stage."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ksf
from ksf import ir
from ksf.cli import main
from ksf.dsl.format import format_rulebook
from ksf.dsl.parser import parse
from ksf.kernels.matrix import matrix_lookup, text_codes
from ksf.source import Source

# LANGUAGE.md 10, exactly as written.
CONTRACT = """\
table grade_coef(grade, score) {      # 职级 × 绩效
  A, >= 90 : 1.5
  A, >= 70 : 1.2
  B, >= 90 : 1.3
  *, >= 70 : 1.0
  else     : 0.8
}
card c { bonus 3000 scaled_by grade_coef(grade, kpi_score) }
"""
FIVE = {"grade": ["A", "A", "B", "C", "B"], "kpi_score": [92, 75, 75, 95, 60]}


def _error(source: str, data: dict[str, list[object]] | None = None) -> ksf.KsfCompileError:
    if data is None:
        with pytest.raises(ksf.KsfCompileError) as caught:
            ksf.compile(source, name="pay.ksf")
        return caught.value
    book = ksf.compile(source, name="pay.ksf")
    with pytest.raises(ksf.KsfCompileError) as at_binding:
        book.evaluate(data)
    return at_binding.value


# ---- the contract ----------------------------------------------------------------------


def test_contract_example_pays_the_five_figures() -> None:
    """(A,92)→1.5, (A,75)→1.2, (B,75)→1.0, (C,95)→1.0, (B,60)→0.8, each × 3000."""
    pay = ksf.compile(CONTRACT).evaluate(FIVE)
    # 3000×1.5 = 4500; 3000×1.2 = 3600; B,75 misses rows 1-3 and meets `*, >= 70`: 3000;
    # C,95 likewise 3000; B,60 meets no row: else 0.8, 3000×0.8 = 2400.
    assert pay["bonus"].tolist() == [4500.0, 3600.0, 3000.0, 3000.0, 2400.0]


def test_chinese_spelling_is_the_same_table() -> None:
    """系数表 … 其他 spells the same matrix: the same five amounts."""
    zh = CONTRACT.replace("table", "系数表").replace("else    ", "其他    ")
    pay = ksf.compile(zh).evaluate(FIVE)
    assert pay["bonus"].tolist() == [4500.0, 3600.0, 3000.0, 3000.0, 2400.0]


def test_one_key_table_with_a_key_list_is_the_table_of_section_4() -> None:
    """`table t(score) { >= 90 : 1.2 … }` pays as `table t { … }`: 100×1.2, 100×1.0."""
    plain = "table t { >= 90 : 1.2\n else : 1 }\ncard c { bonus 100 scaled_by t(s) }"
    keyed = plain.replace("table t {", "table t(score) {")
    data = {"s": [95, 80]}
    assert ksf.compile(keyed).evaluate(data)["bonus"].tolist() == [120.0, 100.0]
    assert ksf.compile(plain).evaluate(data)["bonus"].tolist() == [120.0, 100.0]


def test_one_text_key_and_quoted_and_number_cells() -> None:
    """Quoted text and numbers as cells: ("B b", 2) → 3; (A, 1) → 2; (C, 7) → else 1."""
    source = """\
table g(grade, level) {
  A,     *  : 2
  "B b", 2  : 3
  else      : 1
}
card c { bonus 100 scaled_by g(grade, level) }
"""
    pay = ksf.compile(source).evaluate({"grade": ["B b", "A", "C"], "level": [2, 1, 7]})
    assert pay["bonus"].tolist() == [300.0, 200.0, 100.0]  # 100×3, 100×2, 100×1


def test_number_equality_cell_tolerates_float_noise() -> None:
    """A key of 0.1 + 0.2 equals the cell 0.3 (LANGUAGE.md 7): 100 × 5."""
    source = (
        "table t(a, b) {\n  0.3, * : 5\n  else : 1\n}\ncard c { bonus 100 scaled_by t(x + y, z) }"
    )
    pay = ksf.compile(source).evaluate({"x": [0.1], "y": [0.2], "z": [0]})
    assert pay["bonus"].tolist() == [500.0]


def test_a_key_that_cancels_digits_meets_its_bound() -> None:
    """143,020,601.7 − 143,020,600.6 is 1.1 by hand (1.09999999404 in floats): meets `>= 1.1`."""
    source = "table t(a, b) {\n  *, >= 1.1 : 2\n  else : 1\n}\n"
    source += "card c { bonus 100 scaled_by t(g, x - y) }"
    data = {"g": ["A"], "x": [143_020_601.7], "y": [143_020_600.6]}
    pay = ksf.compile(source).evaluate(data)
    assert pay["bonus"].tolist() == [200.0]  # 100 × 2
    assert "→ row 1: *, >= 1.1 : 2 → 2" in pay.explain(0)


def test_a_missing_key_is_missing() -> None:
    """An empty grade or score leaves the coefficient missing: an error naming the column."""
    book = ksf.compile(CONTRACT)
    with pytest.raises(ksf.DataError) as caught:
        book.evaluate({"grade": ["A", ""], "kpi_score": [92, 90]})
    assert caught.value.column == "grade"
    assert list(caught.value.rows) == [1]
    zero = ksf.compile(CONTRACT.replace("card c {", "card c { missing as zero;"))
    pay = zero.evaluate({"grade": ["A", "B"], "kpi_score": [92, math.nan]})
    assert pay["bonus"].tolist() == [4500.0, 0.0]  # a missing scale counts as 0: 3000 × 0


def test_explain_shows_the_matched_row() -> None:
    """Explain names the key values, the matching row and its cells, or `else`."""
    pay = ksf.compile(CONTRACT).evaluate(FIVE)
    assert "grade_coef(grade = A, score = 75) → row 2: A, >= 70 : 1.2 → 1.2" in pay.explain(1)
    assert "grade_coef(grade = B, score = 60) → else : 0.8 → 0.8" in pay.explain(4)


def test_explain_with_a_missing_key() -> None:
    """Under `missing as zero`, explain says a key was missing rather than naming a row."""
    zero = ksf.compile(CONTRACT.replace("card c {", "card c { missing as zero;"))
    pay = zero.evaluate({"grade": ["B"], "kpi_score": [math.nan]})
    assert "grade_coef(grade = B, score = missing) → a key is missing → missing" in pay.explain(0)


def test_check_columns_accepts_a_text_key() -> None:
    """With only column names known, a text key's column is not refused."""
    assert ksf.compile(CONTRACT).check_columns(["grade", "kpi_score"]) == ()


# ---- fmt --------------------------------------------------------------------------------


def test_fmt_aligns_each_key() -> None:
    """`ksf fmt` aligns every key's cells and the `:`; the result parses to the same tree."""
    source = 'table t(grade, score) {\n A,>=90:1.5\n "B b", *:1\n else:0.8\n}\n'
    out = format_rulebook(parse(Source(source)))
    assert out == (
        "table t(grade, score) {\n"
        "  A,     >= 90 : 1.5\n"
        '  "B b", *     : 1\n'
        "  else         : 0.8\n"
        "}\n"
    )
    assert parse(Source(out)) == parse(Source(source))


def test_fmt_round_trips_the_contract_in_both_spellings() -> None:
    """The contract's example formats, in English and Chinese, to text of the same tree."""
    tree = parse(Source(CONTRACT))
    for lang in ("en", "zh"):
        assert parse(Source(format_rulebook(tree, lang))) == tree


# ---- errors -----------------------------------------------------------------------------


def test_wrong_number_of_cells() -> None:
    """A row of one cell in a two-key table is located, with a hint."""
    error = _error(CONTRACT.replace("A, >= 70 : 1.2", "A : 1.2"))
    assert error.message == "this row has 1 cell, but table `grade_coef` has 2 keys (grade, score)"
    assert (error.line, error.column) == (3, 3)
    assert "one cell per key" in (error.hint or "")


def test_else_is_required() -> None:
    """A matrix without `else` is refused at the table."""
    error = _error(CONTRACT.replace("  else     : 0.8\n", ""))
    assert error.message == "table `grade_coef` has no `else` row"
    assert (error.line, error.column) == (1, 1)


def test_wrong_number_of_arguments() -> None:
    """Calling a two-key table with one value is located at the call, with its keys as hint."""
    error = _error(CONTRACT.replace("grade_coef(grade, kpi_score)", "grade_coef(kpi_score)"))
    assert error.message == "table `grade_coef` takes 2 values, one per key, not 1"
    assert (error.line, error.column) == (8, 31)
    assert error.hint == "call it as grade_coef(grade, score)"


def test_row_covered_by_an_earlier_row() -> None:
    """`A, >= 90` after `*, >= 70` can never match: every such pair meets the earlier row."""
    source = CONTRACT.replace("  *, >= 70 : 1.0\n", "").replace(
        "  A, >= 90 : 1.5\n", "  *, >= 70 : 1.0\n  A, >= 90 : 1.5\n"
    )
    error = _error(source)
    assert error.message == "table row `A, >= 90 : 1.5` can never match"
    assert error.line == 3


def test_a_key_compared_with_names_and_numbers() -> None:
    """A key is text or number, not both: `>= 3` under names is refused at the cell."""
    error = _error(CONTRACT.replace("B, >= 90 : 1.3", ">= 3, >= 90 : 1.3"))
    assert error.message.startswith("key `grade` of table `grade_coef` is compared with names")
    assert (error.line, error.column) == (4, 3)


def test_number_column_compared_with_a_name() -> None:
    """A number column as a text key is refused at binding, naming key, column and cell."""
    error = _error(CONTRACT, {"grade": [1.0], "kpi_score": [92]})
    assert error.message == (
        "key `grade` of table `grade_coef` is compared with the name `A`, "
        "but column `grade` holds numbers"
    )
    assert (error.line, error.column) == (8, 42)


def test_text_key_needs_a_column_name() -> None:
    """A text key's argument must be a column's name, not arithmetic."""
    error = _error(
        CONTRACT.replace("scaled_by grade_coef(grade,", "scaled_by grade_coef(grade + 1,")
    )
    assert error.message.endswith("so it must be a text column of the data")


# ---- the vectorised lookup equals a plain first match -----------------------------------

_OPS = ("*", ">=", ">", "<=", "<", "==")
_NAMES = ("A", "B", "C")
_cell = st.tuples(st.sampled_from(_OPS), st.integers(0, 4))
_text_cell = st.sampled_from(("*", *_NAMES))
_table = st.lists(st.tuples(_text_cell, _cell, st.integers(1, 9)), min_size=0, max_size=6)
_data = st.lists(
    st.tuples(st.sampled_from((*_NAMES, "D", "")), st.integers(0, 4) | st.just(math.nan)),
    min_size=1,
    max_size=30,
)


def _reference(rows: list[tuple[str, tuple[str, int], int]], grade: str, score: float) -> float:
    """The first row whose every cell matches, written row by row (the contract's words)."""
    if grade == "" or math.isnan(score):
        return math.nan
    compare = {
        "*": lambda a, b: True,
        ">=": lambda a, b: a >= b,
        ">": lambda a, b: a > b,
        "<=": lambda a, b: a <= b,
        "<": lambda a, b: a < b,
        "==": lambda a, b: a == b,
    }
    for text, (op, bound), value in rows:
        if text in ("*", grade) and compare[op](score, bound):
            return float(value)
    return 0.5  # else


def _spec(rows: list[tuple[str, tuple[str, int], int]]) -> ir.MatrixSpec:
    cells = tuple(
        (
            ir.MatrixCell("*") if t == "*" else ir.MatrixCell("==", float(_NAMES.index(t))),
            ir.MatrixCell(op, float(bound)),
        )
        for t, (op, bound), _ in rows
    )
    values = tuple(float(v) for _, _, v in rows)
    return ir.MatrixSpec("t", ("g", "s"), cells, values, 0.5, (_NAMES, ()), (True, False))


@settings(max_examples=200, deadline=None)
@given(_table, _data)
def test_kernel_equals_first_match(
    rows: list[tuple[str, tuple[str, int], int]], data: list[tuple[str, float]]
) -> None:
    """The vectorised kernel on codes gives each data row the plain first match."""
    grades = np.array([g for g, _ in data])
    scores = np.array([s for _, s in data], dtype=np.float64)
    out = np.empty(len(data))
    matrix_lookup(_spec(rows))(out, text_codes(grades, _NAMES), scores)
    expected = [_reference(rows, g, s) for g, s in data]
    np.testing.assert_array_equal(out, np.array(expected))


@settings(max_examples=40, deadline=None)
@given(_table, _data)
def test_evaluate_equals_first_match(
    rows: list[tuple[str, tuple[str, int], int]], data: list[tuple[str, float]]
) -> None:
    """Through text, checker, binding and the payroll: bonus 1000 × the first match."""
    lines = [f"  {t}, {'*' if op == '*' else f'{op} {b}'} : {v}" for t, (op, b), v in rows]
    source = "table t(g, s) {\n" + "\n".join([*lines, "  else : 0.5"]) + "\n}\n"
    source += "card c { missing as zero; bonus 1000 scaled_by t(grade, score) }"
    try:
        book = ksf.compile(source)
    except ksf.KsfCompileError:
        assume(False)  # a row the checker finds unreachable: the table is not valid
        return
    grades = ["A" if g == "" else g for g, _ in data]  # empty text cells: see test above
    scores = [s for _, s in data]
    pay = book.evaluate({"grade": grades, "score": scores})
    expected = [_reference(rows, g, s) for g, s in zip(grades, scores, strict=True)]
    # `missing as zero`: a missing score makes the scale 0; 1000 × value, whole yuan.
    assert pay["bonus"].tolist() == [0.0 if math.isnan(e) else 1000 * e for e in expected]


SWAPPED = """table grade_coef(grade, score) {
  A, >= 90 : 1.5
  A, *     : 1.2
  B, >= 80 : 1.1
  else     : 1.0
}
card c { bonus 1000 scaled_by grade_coef(emp_score, emp_grade) }
"""


def test_swapped_key_names_are_refused_at_the_call() -> None:
    """grade_coef(score, grade) for a table of (grade, score): located, with the right order."""
    source = SWAPPED.replace("emp_score, emp_grade", "score, grade")
    with pytest.raises(ksf.KsfCompileError) as error:
        ksf.compile(source, name="pay.ksf")
    assert error.value.message == "arguments look swapped: grade_coef takes (grade, score)"
    assert (error.value.line, error.value.column) == (7, 31)
    assert "call it as grade_coef(grade, score)" in (error.value.hint or "")
    assert "参数似乎写反了：grade_coef 的参数依次是 (grade, score)" in error.value.render("zh")


def test_same_key_name_twice_is_no_swap() -> None:
    """grade_coef(grade, grade) passes the key names in no other order: no swap reported."""
    source = SWAPPED.replace("emp_score, emp_grade", "grade, grade")
    ksf.compile(source)  # the data decides; `grade` at the score key is not a swap


def test_swapped_columns_are_refused_when_the_data_shows_it() -> None:
    """Text at the number key and numbers at the text key: swapped, said at the call."""
    book = ksf.compile(SWAPPED, name="pay.ksf")
    data = {"employee": ["E1", "E2"], "emp_grade": ["A", "B"], "emp_score": [95, 85]}
    with pytest.raises(ksf.KsfCompileError) as error:
        book.evaluate(data)
    assert error.value.message == "arguments look swapped: grade_coef takes (grade, score)"
    assert (error.value.line, error.value.column) == (7, 31)
    assert "call it as grade_coef(emp_grade, emp_score)" in (error.value.hint or "")
    fixed = ksf.compile(SWAPPED.replace("emp_score, emp_grade", "emp_grade, emp_score"))
    # E1: A with 95 >= 90 → 1.5 × 1000 = 1,500; E2: B with 85 >= 80 → 1.1 × 1000 = 1,100
    assert fixed.evaluate(data).total.tolist() == [1500.0, 1100.0]


def test_a_text_column_alone_at_a_number_key_is_no_swap() -> None:
    """Only one argument wrong (text at the score key, text at the grade key): the usual error."""
    book = ksf.compile(SWAPPED)
    data = {"emp_grade": ["A", "B"], "emp_score": ["x", "y"]}
    with pytest.raises(ksf.KsfError) as error:
        book.evaluate(data)
    assert "swapped" not in str(error.value)


def test_cli_run_names_the_swap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf run` on a CSV says "arguments look swapped" at the call, not "text where numbers"."""
    (tmp_path / "pay.ksf").write_text(SWAPPED, encoding="utf-8")
    (tmp_path / "july.csv").write_text("employee,emp_grade,emp_score\nE1,A,95\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "pay.ksf"), str(tmp_path / "july.csv")]) == 1
    err = capsys.readouterr().err
    assert "error: arguments look swapped: grade_coef takes (grade, score)" in err
    assert "text where the rules need numbers" not in err
