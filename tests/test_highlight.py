"""The Pygments lexer for rule files (issue 20): found by name, both spellings, nothing unknown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pygments.lexers import find_lexer_class_for_filename, get_lexer_by_name
from pygments.token import Error, Keyword, Name, Number, Token, _TokenType

from ksf.pygments_lexer import KsfLexer
from ksf.spelling import CHINESE_WORDS, ENGLISH_WORDS

ROOT = Path(__file__).resolve().parents[1]
RULE_FILES = sorted(
    {
        *ROOT.glob("tests/golden/*.ksf"),
        *ROOT.glob("ksf/examples/*.ksf"),
        *ROOT.glob("ksf/indicators/*.ksf"),
        *ROOT.glob("tests/fmt/**/*.ksf"),
        *ROOT.glob("tests/faults/**/*.ksf"),
    }
)


def tokens(text: str) -> list[tuple[_TokenType, str]]:
    return [(kind, value) for kind, value in KsfLexer().get_tokens(text) if value.strip()]


def test_the_lexer_is_found_by_name_and_by_file_name() -> None:
    """The entry point registers `ksf`: pygments finds the lexer for `-l ksf` and for `*.ksf`."""
    assert isinstance(get_lexer_by_name("ksf"), KsfLexer)
    assert find_lexer_class_for_filename("工资.ksf") is KsfLexer


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_rule_file_lexes_whole_with_no_unknown_token(path: Path) -> None:
    """Every valid rule file of the project: no Error token, and the tokens give the text back."""
    text = path.read_text(encoding="utf-8")
    found = list(KsfLexer().get_tokens(text))
    assert [value for kind, value in found if kind in Error] == []
    assert "".join(value for _, value in found) == text + ("" if text.endswith("\n") else "\n")


def test_the_project_has_rule_files_of_both_spellings() -> None:
    """The files lexed above include Chinese ones, so both spellings are exercised."""
    assert len(RULE_FILES) > 20
    assert any("计薪卡" in p.read_text(encoding="utf-8") for p in RULE_FILES)


@pytest.mark.parametrize("word", sorted(ENGLISH_WORDS | CHINESE_WORDS))
def test_every_keyword_of_both_spellings_is_a_keyword(word: str) -> None:
    """Each word of the spelling table, standing alone, is highlighted as a keyword."""
    assert tokens(f"x {word} y")[1] == (Keyword, word)


def test_a_keyword_inside_a_longer_name_is_a_name() -> None:
    """`每` is the keyword step; `每日销售` and `balance_due` are names."""
    assert tokens("每日销售 平衡点 balance_due") == [
        (Name, "每日销售"),
        (Keyword, "平衡点"),
        (Name, "balance_due"),
    ]


def test_calls_numbers_and_keywords_before_a_parenthesis() -> None:
    """A function call is a function; `当 (` stays a keyword; 100万, 30% and 2:1 are numbers."""
    found = tokens("奖金 500 当 (sales >= 100万) 乘以 perf_coefficient(kpi) 30% 2:1")
    kinds = {value: kind for kind, value in found}
    assert kinds["当"] is Keyword
    assert kinds["perf_coefficient"] is Name.Function
    assert kinds["kpi"] is Name
    assert kinds["100万"] in Number
    assert kinds["30%"] in Number
    assert kinds["2:1"] in Number


def test_characters_ksf_does_not_read_are_errors() -> None:
    """Full-width punctuation and × are no ksf token: shown as errors, as `ksf check` reports."""
    found = tokens("毛利率 平衡点 30％ 每 1% 奖励 200 × 2；")
    assert [value for kind, value in found if kind in Error] == ["％", "×", "；"]
    assert all(kind in Token for kind, _ in found)


def test_pygmentize_highlights_a_rule_file(tmp_path: Path) -> None:
    """`pygmentize -l ksf -f html` writes a keyword span for `计薪卡`."""
    rules = tmp_path / "工资.ksf"
    rules.write_text('计薪卡 运营 "运营" {\n  底薪 5000\n}\n', encoding="utf-8")
    pygmentize = Path(sys.executable).with_name("pygmentize")  # the test extra's Pygments
    command = [str(pygmentize), "-l", "ksf", "-f", "html", str(rules)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert '<span class="k">计薪卡</span>' in done.stdout
