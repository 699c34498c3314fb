"""`ksf/__init__.py` is the public API: the documented names, one error family, a version."""

from __future__ import annotations

import re

import pytest

import ksf

PUBLIC = [
    "CardSimulation",
    "DataError",
    "KsfCompileError",
    "KsfError",
    "KsfSyntaxError",
    "LineSimulation",
    "Payroll",
    "Period",
    "PeriodError",
    "PlanDiff",
    "Rulebook",
    "Simulation",
    "UnknownCardError",
    "UnknownEmployeeError",
    "__version__",
    "calibrate",
    "compile",
    "diff",
    "load",
    "simulate",
]


def test_all_is_exactly_the_documented_list():
    """`ksf.__all__` is the documented list, kept sorted."""
    assert ksf.__all__ == PUBLIC
    assert sorted(ksf.__all__) == ksf.__all__


def test_every_public_name_exists():
    """Each name in `__all__` is an attribute of the package."""
    for name in ksf.__all__:
        assert hasattr(ksf, name), name


def test_star_import_gives_exactly_the_public_names():
    """`from ksf import *` binds the public names and nothing else."""
    namespace: dict[str, object] = {}
    exec("from ksf import *", namespace)  # noqa: S102 - a fixed literal, to test `__all__`
    assert sorted(k for k in namespace if k != "__builtins__") == PUBLIC


@pytest.mark.parametrize("error", [ksf.KsfSyntaxError, ksf.KsfCompileError, ksf.DataError])
def test_errors_derive_from_ksf_error(error):
    """Every error class ksf exports is a `KsfError`, which is an `Exception`."""
    assert issubclass(error, ksf.KsfError)
    assert issubclass(ksf.KsfError, Exception)


def test_rule_errors_are_distinct_from_data_errors():
    """Syntax and compile errors are not data errors, nor each other."""
    assert not issubclass(ksf.KsfSyntaxError, ksf.DataError)
    assert not issubclass(ksf.KsfCompileError, ksf.DataError)
    assert not issubclass(ksf.KsfSyntaxError, ksf.KsfCompileError)
    assert not issubclass(ksf.KsfCompileError, ksf.KsfSyntaxError)


def test_version_is_a_string():
    """`ksf.__version__` is a version string such as 0.1.0."""
    assert isinstance(ksf.__version__, str)
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?([.-]?\w+)*", ksf.__version__)


def test_compile_and_load_return_a_rulebook(tmp_path):
    """`compile` and `load` return `ksf.Rulebook`, whose `evaluate` returns `ksf.Payroll`."""
    path = tmp_path / "pay.ksf"
    path.write_text("card a { base 6000 }\n", encoding="utf-8")
    for book in (ksf.compile("card a { base 6000 }"), ksf.load(path)):
        assert isinstance(book, ksf.Rulebook)
        assert isinstance(book.evaluate({"x": [1.0]}), ksf.Payroll)
