"""`ksf check --format json|sarif`: the diagnostics a person reads, as data for scripts and CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ksf.catalogue import entries
from ksf.cli import main

# Line 3's `step 0`: "  gm balance 30% " is 17 characters, so `step` starts at column 18
# and the clause `step 0` ends before column 24.
BAD = "card a {\n  base 100\n  gm balance 30% step 0 reward 5\n}\n"
# 语言 line, 计薪卡 line, 底薪 line; on line 4 "  毛利率 平衡点 30% " is 14 characters.
BAD_ZH = "语言 zh\n计薪卡 a {\n  底薪 100\n  毛利率 平衡点 30% 每 0 奖励 5\n}\n"
GOOD = "card a {\n  base 100\n  gm balance 30% step 1% reward 5\n}\n"
# A file indicator named like a standard one: valid, with a warning at its name (1:11).
SHADOWS = (
    "indicator gross_margin = (sales - cost) / sales\n"
    "card a { gross_margin balance 30% step 1% reward 10 }\n"
)


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in {"bad.ksf": BAD, "bad_zh.ksf": BAD_ZH, "good.ksf": GOOD}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "shadows.ksf").write_text(SHADOWS, encoding="utf-8")
    (tmp_path / "july.csv").write_text("card,sales\na,1\n", encoding="utf-8")
    return tmp_path


def document(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    status = main(["check", *argv])
    captured = capsys.readouterr()
    assert captured.err == ""  # everything is in the document
    return status, json.loads(captured.out)


def test_json_names_each_problem_by_code_and_span(
    rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad file's error carries its catalogue code and 1-based span; a good file is ok."""
    status, found = document(capsys, "bad.ksf", "good.ksf", "--format", "json")
    assert status == 1
    assert found["version"] == 1
    assert found["lang"] == "en"
    bad, good = found["files"]
    assert bad["ok"] is False
    assert bad["diagnostics"] == [
        {
            "file": "bad.ksf",
            "severity": "error",
            "code": "check_lines.STEP_NOT_POSITIVE",
            "message": "the step must be greater than 0",
            "hint": None,
            "line": 3,
            "column": 18,
            "end_line": 3,
            "end_column": 24,
        }
    ]
    assert good == {"file": "good.ksf", "ok": True, "cards": ["a"], "diagnostics": []}


def test_json_in_chinese_quotes_keywords_as_the_file_spells_them(
    rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--lang zh writes the message in Chinese, quoting the Chinese keyword 每."""
    status, found = document(capsys, "bad_zh.ksf", "--format", "json", "--lang", "zh")
    assert status == 1
    (record,) = found["files"][0]["diagnostics"]
    assert record["message"] == "`每` 必须大于 0"
    assert (record["line"], record["column"]) == (4, 15)


def test_warnings_are_records_too_and_leave_the_file_ok(
    rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A warning is severity "warning" with its hint; the file still passes (exit 0)."""
    status, found = document(capsys, "shadows.ksf", "--format", "json")
    assert status == 0
    (report,) = found["files"]
    assert report["ok"] is True
    (warning,) = report["diagnostics"]
    assert warning["severity"] == "warning"
    assert (warning["line"], warning["column"]) == (1, 11)
    assert warning["code"] in entries()
    assert warning["hint"]


def test_a_name_the_data_lacks_is_placed_where_the_card_reads_it(
    rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--data without the column `gm`: the error sits at `gm` on line 3, column 3."""
    status, found = document(capsys, "good.ksf", "--data", "july.csv", "--format", "json")
    assert status == 1
    (record,) = found["files"][0]["diagnostics"]
    assert (record["code"], record["line"], record["column"]) == ("data.UNKNOWN_NAME", 3, 3)
    assert record["message"] == "unknown name `gm`"


def test_a_bad_data_file_is_one_record_with_no_span(
    rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty --data file: one error for the data file, with no line, in the document."""
    (rules / "empty.csv").write_text("", encoding="utf-8")
    status, found = document(capsys, "good.ksf", "--data", "empty.csv", "--format", "json")
    assert status == 1
    (report,) = found["files"]
    assert report["file"] == "empty.csv"
    (record,) = report["diagnostics"]
    assert record["code"] in entries()
    assert record["line"] is None
    assert "empty" in record["message"]


def test_sarif_is_a_2_1_0_log_with_one_rule_per_code(
    rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The SARIF log has the fields the 2.1.0 schema requires, regions 1-based, rules indexed."""
    status, log = document(capsys, "bad.ksf", "shadows.ksf", "good.ksf", "--format", "sarif")
    assert status == 1
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    rules_ = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "ksf"
    assert [r["id"] for r in rules_] == sorted(r["id"] for r in rules_)
    assert len(run["results"]) == 2
    for result in run["results"]:
        assert rules_[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning")
        assert result["message"]["text"]
        (location,) = result["locations"]
        region = location["physicalLocation"]["region"]
        assert region["startLine"] >= 1
        assert region["startColumn"] >= 1
    step = next(r for r in run["results"] if r["level"] == "error")
    assert step["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.ksf"
    assert "{" not in rules_[step["ruleIndex"]]["shortDescription"]["text"]


def test_text_stays_the_default(rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --format the report is the one a person reads, on stderr."""
    assert main(["check", "bad.ksf"]) == 1
    assert "bad.ksf:3:18: error: the step must be greater than 0" in capsys.readouterr().err


def test_a_missing_file_is_a_record_and_status_2(
    rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rule file that is not there: its record in the document (no span) and exit status 2."""
    status, found = document(capsys, "good.ksf", "missing.ksf", "--format", "json")
    assert status == 2
    good, missing = found["files"]
    assert good["ok"] is True
    (record,) = missing["diagnostics"]
    assert (record["code"], record["line"]) == ("cli.NO_SUCH_FILE", None)
    assert record["message"] == "no such file: missing.ksf"
    assert main(["check", "missing.ksf"]) == 2  # the text report: the usual usage error
