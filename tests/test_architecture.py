"""docs/architecture.md describes the code as it is: its checklist, its paths and its layers."""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
CHECKLIST = DOC[DOC.index("## Changing ksf: a checklist") :]
TICKED = re.compile(r"`([^`\n]+)`")
PATH = re.compile(r"^(ksf|docs|tests|benchmarks)/[\w/.-]+$")
DOTTED = re.compile(r"^ksf(\.\w+)+$")
NAME = re.compile(r"^[A-Za-z_]\w*(\.\w+)?$")


def _items(text: str) -> list[str]:
    """The numbered steps of the checklist, each with its continuation lines."""
    steps = re.split(r"\n(?=\d+\. )", text[text.index("\n1. ") + 1 :])
    return [step.split("\n\n")[0] for step in steps]


def _resolve(dotted: str) -> object:
    """Import the longest module prefix of a dotted name, then follow attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(dotted)


def _defines(path: Path, name: str) -> bool:
    """Whether a file defines ``name`` (``Class.method``: a method): def, class, rule, constant."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".lark":
        return re.search(rf"^[!?]?{re.escape(name)}\s*:", text, re.MULTILINE) is not None
    if "." in name:
        owner, member = name.split(".")
        body = re.split(rf"^class {owner}\b", text, flags=re.MULTILINE)
        return (
            len(body) > 1 and re.search(rf"^\s+def {member}\(", body[1], re.MULTILINE) is not None
        )
    pattern = rf"^\s*(def {name}\(|class {name}\b|{name}(: [^=\n]+)? = )"
    return re.search(pattern, text, re.MULTILINE) is not None


@pytest.mark.parametrize("item", _items(CHECKLIST), ids=lambda item: item.split(" ", 1)[0])
def test_every_checklist_step_names_files_and_names_that_exist(item):
    """Each step's files exist and each name it mentions is defined in that step's files."""
    ticked = TICKED.findall(item)
    files = [ROOT / t for t in ticked if PATH.match(t)]
    assert files, f"a checklist step names no file: {item!r}"
    for path in files:
        assert path.exists(), f"{path.relative_to(ROOT)} does not exist"
    for token in ticked:
        if DOTTED.match(token):
            _resolve(token)
        elif NAME.match(token):
            sources = [f for f in files if f.suffix in (".py", ".lark")]
            assert any(_defines(f, token) for f in sources), f"{token} is not in {files}"


def test_the_new_line_kind_paragraph_names_real_dispatch_sites():
    """Every dispatch site the checklist says mypy names is a real module attribute."""
    paragraph = CHECKLIST[CHECKLIST.index("A new line kind") :].split("\n\n")[0]
    dotted = [t for t in TICKED.findall(paragraph) if DOTTED.match(t)]
    assert len(dotted) >= 8
    for token in dotted:
        _resolve(token)


def test_every_path_the_page_names_exists():
    """No section points at a module that was renamed or removed."""
    paths = {t for t in TICKED.findall(DOC) if PATH.match(t)}
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert not missing


def test_every_module_of_ksf_is_described():
    """A newcomer finds every module on this page, by its file name."""
    modules = [
        p
        for p in (ROOT / "ksf").rglob("*.py")
        if p.name not in {"__init__.py", "__main__.py", "_typing.py"}
        and "examples" not in p.parts
        and "indicators" not in p.parts
    ]
    undescribed = sorted(
        str(p.relative_to(ROOT))
        for p in modules
        if f"`{p.name}`" not in DOC and f"`ksf/{p.relative_to(ROOT / 'ksf')}`" not in DOC
    )
    assert not undescribed


def test_the_layers_on_the_page_are_the_enforced_contract():
    """The layer list quoted on the page is the one import-linter checks."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    enforced = next(c for c in contracts if c["type"] == "layers")
    quoted = DOC[DOC.index("```toml") + len("```toml") : DOC.index("```", DOC.index("```toml") + 7)]
    assert tomllib.loads(quoted)["tool"]["importlinter"]["contracts"][0] == enforced
