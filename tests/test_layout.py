"""The test suite stays easy to find one's way in: a file per back-end stage, a docstring per test.

A newcomer changing a stage opens ``tests/test_<stage>.py``; every test function says in its
first docstring line what must hold (STYLE.md, principle 14), so a failure reads as a claim.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).parent

# Each back-end stage (docs/architecture.md) and the test file gathering its tests.
STAGES = [
    "parser",
    "check",
    "bind",
    "codegen",
    "frame",
    "kernels",
    "missing",
    "pools",
    "money",
    "payroll",
    "explain",
    "rulebook",
]


def _test_functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions pytest collects from ``path``: those named ``test…``, methods included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    ]


@pytest.mark.parametrize("stage", STAGES)
def test_every_back_end_stage_has_its_test_file(stage):
    """tests/test_<stage>.py exists for each stage and holds at least one test."""
    path = TESTS / f"test_{stage}.py"
    assert path.is_file(), f"no {path.name}: the {stage} stage's tests belong there"
    assert _test_functions(path), f"{path.name} holds no test"


def test_every_test_function_has_a_one_line_docstring():
    """Each test function, hypothesis tests included, opens with a docstring saying what holds."""
    lacking = [
        f"{path.name}:{node.lineno} {node.name}"
        for path in sorted(TESTS.rglob("test_*.py"))
        for node in _test_functions(path)
        if not (ast.get_docstring(node) or "").strip()
    ]
    assert not lacking, "test functions without a docstring:\n" + "\n".join(lacking)


def test_the_docstring_check_sees_a_test_without_one(tmp_path):
    """The check above finds an undocumented test, so its passing means something."""
    sample = tmp_path / "test_sample.py"
    sample.write_text('def test_a():\n    """A holds."""\n\n\ndef test_b():\n    pass\n')
    undocumented = [n.name for n in _test_functions(sample) if ast.get_docstring(n) is None]
    assert undocumented == ["test_b"]
