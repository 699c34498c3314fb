"""Bad-input fixtures: one small rule file per error in ``tests/errors/``, plus error reporting.

Each fixture starts with comment lines declaring what it must raise::

    # error: KsfCompileError          (a class of ksf.errors; RuleError accepts either kind)
    # at: 6:28                        (line:column of the first error, header lines included)
    # message: the step must be greater than 0
    # hint: did you mean 'max'?       (optional; a fragment of the first error's hint)
    # data: gross_margin=0.33         (optional; bind-time errors: columns to evaluate with)
    # count: 1                        (optional; how many errors the file must report)
    # xfail: engine: …                (optional; the engine falls short of the expectation)
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

import ksf
import ksf.errors

ERRORS = Path(__file__).parent / "errors"
FIXTURES = sorted(ERRORS.glob("*.ksf"))
HEADER = re.compile(r"# (\w+): (.*)")
KEYS = {"error", "at", "message", "hint", "data", "count", "xfail"}


@attrs.frozen
class Expectation:
    """What one fixture declares about the error it raises."""

    error: str
    line: int
    column: int
    message: str
    hint: str | None = None
    data: dict[str, list[float | str]] | None = None
    count: int | None = None
    xfail: str | None = None

    @classmethod
    def read(cls, path: Path) -> Expectation:
        """The header comments of ``path``, checked for unknown and missing keys."""
        found: dict[str, str] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            match = HEADER.fullmatch(line)
            if match is None:
                break
            found[match[1]] = match[2]
        unknown = set(found) - KEYS
        assert not unknown, f"{path.name}: unknown header keys {unknown}"
        line, column = (int(part) for part in found["at"].split(":"))
        return cls(
            error=found["error"],
            line=line,
            column=column,
            message=found["message"],
            hint=found.get("hint"),
            data=_columns(found["data"]) if "data" in found else None,
            count=int(found["count"]) if "count" in found else None,
            xfail=found.get("xfail"),
        )


def _columns(spec: str) -> dict[str, list[float | str]]:
    """``x=1.0 grade=A,B`` as columns: numbers where they parse, text otherwise."""
    columns: dict[str, list[float | str]] = {}
    for item in spec.split():
        name, values = item.split("=", 1)
        columns[name] = [_value(v) for v in values.split(",")]
    return columns


def _value(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _cases() -> list[object]:
    cases = []
    for path in FIXTURES:
        reason = Expectation.read(path).xfail
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        cases.append(pytest.param(path, id=path.stem, marks=marks))
    return cases


def _raise(path: Path, expected: Expectation) -> ksf.errors.RuleError:
    """The error ``path`` raises: when compiled, or when bound to its data."""
    if expected.data is None:
        with pytest.raises(ksf.KsfError) as info:
            ksf.load(path)
    else:
        book = ksf.load(path)  # bind-time errors must not fire before the data is known
        with pytest.raises(ksf.KsfError) as info:
            book.evaluate(expected.data)
    assert isinstance(info.value, ksf.errors.RuleError), repr(info.value)
    return info.value


@pytest.mark.parametrize("path", _cases())
def test_error_fixture(path):
    """The fixture raises the declared class at the declared position, message and hint."""
    expected = Expectation.read(path)
    error = _raise(path, expected)
    assert isinstance(error, getattr(ksf.errors, expected.error))
    assert (error.line, error.column) == (expected.line, expected.column)
    assert error.message == expected.message
    if expected.hint is not None:
        assert expected.hint in (error.hint or "")
    if expected.count is not None:
        assert len(error.errors) == expected.count
    head = f"{path}:{expected.line}:{expected.column}: error: {expected.message}\n"
    assert str(error).startswith(head)


REQUIRED_KINDS = {
    "step_not_positive",
    "negative_reward",
    "beyond_not_whole_steps",
    "beyond_wrong_side",
    "table_row_unreachable",
    "table_without_else",
    "else_not_last",
    "duplicate_definition",
    "duplicate_line_name",
    "duplicate_clause",
    "unknown_clause",
    "missing_step",
    "unknown_function",
    "table_used_as_value",
    "condition_as_number",
    "both_directions",
    "cap_below_floor",
    "unknown_unit",
    "unknown_rounding_mode",
    "bad_currency",
    "unknown_language",
    "reserved_line_name_total",
    "indicator_cycle",
    "score_weights_not_100",
    "unknown_pool",
    "unexpected_token",
    "unexpected_character",
    "unexpected_end_of_file",
    "ratio_zero",
    "unknown_name",
}


def test_every_error_kind_has_a_fixture():
    """Each error kind the checker, binder and parser know has its own fixture file."""
    assert {path.stem for path in FIXTURES} >= REQUIRED_KINDS


def test_fixtures_declare_class_position_and_message():
    """Every fixture header names a known error class and a position inside the file."""
    for path in FIXTURES:
        expected = Expectation.read(path)
        assert issubclass(getattr(ksf.errors, expected.error), ksf.errors.RuleError), path.name
        lines = path.read_text(encoding="utf-8").split("\n")
        assert 1 <= expected.line <= len(lines), path.name


# ---- several errors in one file ------------------------------------------------------------

MANY = """\
card product_developer {
  gross_margin balance 30% step 0 reward 200
  bonus foo(1)
  allowance 300 as total
}
table perf_coefficient {
  >= 80 : 1.0
  >= 90 : 1.2
}
indicator margin = profit / revenue  pct
currency yuan
"""


def test_every_error_in_a_file_is_reported_in_source_order():
    """The checker reports all seven problems at once, sorted by position."""
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(MANY, name="many.ksf")
    error = info.value
    positions = [(d.span.line, d.span.column) for d in error.errors]
    assert positions == sorted(positions)
    assert [line for line, _ in positions] == [2, 3, 4, 6, 8, 10, 11]
    assert (error.line, error.column) == positions[0]
    assert error.message == error.errors[0].message == "the step must be greater than 0"
    assert all(d.source.name == "many.ksf" for d in error.errors)


def test_str_shows_five_errors_and_counts_the_rest():
    """`str()` renders the first five errors in full and ends with '… and 2 more errors'."""
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(MANY, name="many.ksf")
    text = str(info.value)
    heads = re.findall(r"^many\.ksf:(\d+):\d+: error: ", text, flags=re.MULTILINE)
    assert heads == ["2", "3", "4", "6", "8"]
    assert text.endswith("\n\n… and 2 more errors")
    assert "unknown unit" not in text


def test_one_error_past_five_is_counted_in_the_singular():
    """Six errors end with '… and 1 more error'."""
    text = "\n".join(f"card c{i} {{ bonus 1; bonus 2 }}" for i in range(6))
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(text)
    assert len(info.value.errors) == 6
    assert str(info.value).endswith("\n\n… and 1 more error")


def test_five_errors_are_all_shown_without_a_count():
    """Up to five errors need no '… and N more' line."""
    text = "\n".join(f"card c{i} {{ bonus 1; bonus 2 }}" for i in range(5))
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(text)
    assert len(info.value.errors) == 5
    assert "more error" not in str(info.value)


# ---- engine shortfalls that need more than a fixture ---------------------------------------


def test_compile_accepts_a_byte_order_mark():
    """Text that starts with a UTF-8 byte-order mark compiles like the text without it."""
    book = ksf.compile("\ufeffcard a { base 6000 }\n")
    assert book.evaluate({"x": [1.0]}).total.tolist() == [6000.0]


def test_load_strips_a_byte_order_mark(tmp_path):
    """`ksf.load` reads a file saved with a byte-order mark."""
    path = tmp_path / "pay.ksf"
    path.write_bytes("\ufeffcard a { base 6000 }\n".encode())
    assert ksf.load(path).cards == ("a",)


def test_windows_line_endings_keep_positions():
    """CRLF text reports the same line and column as LF text, with no '\\r' in the excerpt."""
    text = "card c {\r\n  base 1\r\n  x balance 30% step 0 reward 1\r\n}\r\n"
    with pytest.raises(ksf.KsfCompileError) as info:
        ksf.compile(text)
    assert (info.value.line, info.value.column) == (3, 17)
    assert "\r" not in str(info.value)
