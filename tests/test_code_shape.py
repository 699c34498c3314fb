"""The engine's code stays legible: small modules and functions, and imports the contracts see.

These are the limits issue 12 set for a newcomer reading the back end in one pass: a module
of at most 400 lines, a function of at most 60, no import of a ksf module hidden inside a
function (where import-linter cannot see a cycle), and no chain of ``isinstance`` tests over
the kinds of a line — that is one ``match`` with ``assert_never`` per stage.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KSF = Path(__file__).resolve().parent.parent / "ksf"
MODULES = sorted(KSF.rglob("*.py"))
LINE_KINDS = {"FixedLine", "ByLine", "BalanceLine", "CommissionLine", "BonusLine", "ShareLine"}


def _tree(path: Path) -> ast.Module:
    """A module's syntax tree."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function and method of a tree, nested ones included."""
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _line_kinds_tested(function: ast.AST) -> set[str]:
    """The line kinds a function tests with ``isinstance(x, ir.KindLine)``."""
    kinds = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance":
            kinds |= {n.attr for n in ast.walk(node.args[1]) if isinstance(n, ast.Attribute)}
    return kinds & LINE_KINDS


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(KSF)))
def test_a_module_has_at_most_400_lines(path):
    """No module of ksf passes 400 lines."""
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_a_function_has_at_most_60_lines():
    """No function or method of ksf passes 60 lines."""
    long = [
        f"{path.relative_to(KSF)}:{fn.lineno} {fn.name} ({fn.end_lineno - fn.lineno + 1} lines)"
        for path in MODULES
        for fn in _functions(_tree(path))
        if fn.end_lineno is not None and fn.end_lineno - fn.lineno + 1 > 60
    ]
    assert not long


def test_no_ksf_module_is_imported_inside_a_function():
    """Imports of ksf modules sit at the top, where the import contracts check them."""
    hidden = [
        f"{path.relative_to(KSF)}:{node.lineno}"
        for path in MODULES
        for fn in _functions(_tree(path))
        for node in ast.walk(fn)
        if (
            isinstance(node, ast.ImportFrom)
            and (node.level > 0 or (node.module or "").startswith("ksf"))
        )
        or (isinstance(node, ast.Import) and any(a.name.startswith("ksf") for a in node.names))
    ]
    assert not hidden


def test_no_function_tells_line_kinds_apart_with_isinstance():
    """A function that tests more than one line kind dispatches with match instead."""
    chains = [
        f"{path.relative_to(KSF)}:{fn.lineno} {fn.name} {sorted(kinds)}"
        for path in MODULES
        for fn in _functions(_tree(path))
        if len(kinds := _line_kinds_tested(fn)) > 1
    ]
    assert not chains


def test_the_chain_check_sees_a_chain():
    """The isinstance-chain check finds a function that tests two line kinds."""
    source = (
        "def f(line):\n"
        "    if isinstance(line, ir.BalanceLine): pass\n"
        "    if isinstance(line, ir.BonusLine): pass\n"
    )
    (function,) = _functions(ast.parse(source))
    assert _line_kinds_tested(function) == {"BalanceLine", "BonusLine"}
