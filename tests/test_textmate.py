"""editors/ksf.tmLanguage.json, the TextMate grammar, through VS Code's own engine (issue 20).

tests/textmate/tokenize.mjs runs vscode-textmate with Oniguruma (installed by
tests/setup_env.sh with `npm ci`) over the project's rule files.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ksf.spelling import CHINESE_WORDS, ENGLISH_WORDS

ROOT = Path(__file__).resolve().parents[1]
GRAMMAR = ROOT / "editors" / "ksf.tmLanguage.json"
ENGINE = ROOT / "tests" / "textmate"
RULE_FILES = sorted(
    {
        *ROOT.glob("tests/golden/*.ksf"),
        *ROOT.glob("ksf/examples/*.ksf"),
        *ROOT.glob("ksf/indicators/*.ksf"),
        *ROOT.glob("tests/fmt/**/*.ksf"),
        *ROOT.glob("tests/faults/**/*.ksf"),
    }
)
ILLEGAL = "invalid.illegal.ksf"
Token = list[Any]  # [line, start, end, text, scopes]


def tokenised(*files: Path) -> dict[str, list[Token]]:
    """Each file's tokens from VS Code's engine."""
    node = shutil.which("node")
    if node is None or not (ENGINE / "node_modules" / "vscode-textmate").is_dir():
        pytest.fail("Node.js or the TextMate engine is missing: run sh tests/setup_env.sh")
    command = [node, str(ENGINE / "tokenize.mjs"), str(GRAMMAR), *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ENGINE)
    found: dict[str, list[Token]] = json.loads(done.stdout)
    return found


def innermost(tokens: list[Token]) -> list[tuple[str, str]]:
    """(text, innermost scope) of each token that is not blank."""
    return [(t[3], t[4][-1]) for t in tokens if t[3].strip()]


def test_the_grammar_is_what_the_keyword_table_writes() -> None:
    """The committed grammar is editors/build_grammar.py's output (run it after a new keyword)."""
    spec = importlib.util.spec_from_file_location(
        "build_grammar", ROOT / "editors/build_grammar.py"
    )
    assert spec is not None
    assert spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert GRAMMAR.read_text(encoding="utf-8") == build.text()


def test_every_rule_file_tokenises_with_no_unknown_token() -> None:
    """Every valid rule file of the project: no character falls through to invalid.illegal."""
    assert len(RULE_FILES) > 20
    for name, tokens in tokenised(*RULE_FILES).items():
        illegal = [(t[0], t[3]) for t in tokens if t[4][-1] == ILLEGAL]
        assert illegal == [], name


def test_characters_ksf_does_not_read_are_illegal(tmp_path: Path) -> None:
    """The characters tests/errors plants (full-width ：, ％, ×-like ≥, $) are marked illegal."""
    planted = {
        "fullwidth_colon.ksf": "：",
        "fullwidth_percent.ksf": "％",
        "math_sign.ksf": "≥",
        "unexpected_character.ksf": "$",
    }
    found = tokenised(*(ROOT / "tests/errors" / name for name in planted))
    for name, character in planted.items():
        tokens = found[str(ROOT / "tests/errors" / name)]
        assert character in [t[3] for t in tokens if t[4][-1] == ILLEGAL], name


def test_keywords_of_both_spellings_and_what_is_not_a_keyword(tmp_path: Path) -> None:
    """Each keyword alone is keyword.other; 每日销售 is a name; a call is a function."""
    every = sorted(ENGLISH_WORDS | CHINESE_WORDS)
    rules = tmp_path / "words.ksf"
    rules.write_text(
        "\n".join([*(f"x {w} y" for w in every), "每日销售 perf_coefficient(kpi) 30% 2:1 100万"]),
        encoding="utf-8",
    )
    (tokens,) = tokenised(rules).values()
    lines: dict[int, list[Token]] = {}
    for token in tokens:
        lines.setdefault(token[0], []).append(token)
    for number, word in enumerate(every, start=1):
        assert innermost(lines[number])[1] == (word, "keyword.other.ksf"), word
    assert innermost(lines[len(every) + 1]) == [
        ("每日销售", "variable.other.ksf"),
        ("perf_coefficient", "entity.name.function.ksf"),
        ("(", "punctuation.ksf"),
        ("kpi", "variable.other.ksf"),
        (")", "punctuation.ksf"),
        ("30%", "constant.numeric.percentage.ksf"),
        ("2:1", "constant.numeric.ratio.ksf"),
        ("100万", "constant.numeric.ksf"),
    ]
