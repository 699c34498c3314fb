"""Every rule example in docs/ runs and pays the figures its text states.

Convention (docs/language.md, "How to read this reference"): a ```ksf block is followed by a
```python block. The ksf text is compiled with `ksf.compile`; the python block then runs with
these globals:

- ``ksf``, ``np`` (numpy) and ``pytest``;
- ``book``: the compiled rulebook, or None when the ksf text does not compile — a deliberately
  wrong example, whose python block must then assert the error with ``pytest.raises``;
- ``source``: the ksf text itself, to compile again under another name or expect its error;
- ``tmp_path``: a fresh directory, for examples that write files and run the ``ksf`` command.

A ```ksf block with no python block after it must be marked ``<!-- no-test: reason -->`` on
the line before it; ``<!-- xfail: reason -->`` there marks an example the engine does not yet
get right (strict: it fails the suite once the engine is fixed). A ```python block that does
not follow a ksf block (the API reference and the embedding guide have many) runs on its
own, with the same globals but no ``book`` or ``source``. So no code in the docs goes unrun.
```sh blocks show commands; the python check next to them runs the same commands through
``ksf.cli.main`` and asserts what the text says they print.

docs/api.md must document every public name of ``ksf``, ``ksf.testing`` and
``ksf.indicators`` in a heading, so the reference cannot fall behind the code.
"""

from __future__ import annotations

import ast
import itertools
import re
import textwrap
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

import ksf

DOCS = Path(__file__).resolve().parents[1] / "docs"
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")
MARK = re.compile(r"<!--\s*(?P<kind>no-test|xfail)\s*:\s*(?P<reason>.+?)\s*-->")


class Block(NamedTuple):
    """A fenced code block: where it starts (1-based line of its opening fence) and its text."""

    path: str  # relative to docs/
    line: int
    lang: str
    text: str
    mark: tuple[str, str] | None  # ("no-test" | "xfail", reason) from the line before it


def _mark_before(lines: list[str], fence_index: int) -> tuple[str, str] | None:
    """The marker comment on the last non-blank line above a fence, if any."""
    index = fence_index - 1
    while index >= 0 and not lines[index].strip():
        index -= 1
    if index < 0:
        return None
    found = MARK.fullmatch(lines[index].strip())
    return (found["kind"], found["reason"]) if found else None


def read_blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    name = path.relative_to(DOCS).as_posix()
    blocks = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence = opening["fence"]
        end = index + 1
        while end < len(lines) and lines[end].strip() != fence:
            end += 1
        body = textwrap.dedent("\n".join(lines[index + 1 : end])) + "\n"
        mark = _mark_before(lines, index)
        blocks.append(Block(name, index + 1, opening["lang"], body, mark))
        index = end + 1
    return blocks


def doc_files() -> list[Path]:
    """The Markdown files under docs/, in a stable order."""
    return sorted(DOCS.rglob("*.md"))


def pairs() -> list[tuple[Block, Block]]:
    """Each ```ksf block with the ```python block that directly follows it."""
    found = []
    for path in doc_files():
        blocks = read_blocks(path)
        for first, second in itertools.pairwise(blocks):
            if first.lang == "ksf" and second.lang == "python":
                found.append((first, second))
    return found


def _param(pair: tuple[Block, Block]) -> object:
    rule, _ = pair
    marks = []
    if rule.mark is not None and rule.mark[0] == "xfail":
        marks.append(pytest.mark.xfail(strict=True, reason=rule.mark[1]))
    return pytest.param(*pair, id=f"{rule.path}:{rule.line}", marks=marks)


PAIRS = pairs()


def standalone() -> list[Block]:
    """Each ```python block that does not check a ```ksf example, and is not marked no-test."""
    found = []
    for path in doc_files():
        blocks = read_blocks(path)
        for position, block in enumerate(blocks):
            before = blocks[position - 1] if position > 0 else None
            marked = block.mark is not None and block.mark[0] == "no-test"
            if block.lang == "python" and not marked and (before is None or before.lang != "ksf"):
                found.append(block)
    return found


STANDALONE = standalone()


def _compiled(block: Block) -> object:
    """The python block as code whose failing asserts show their values, as in a test file.

    Padding with blank lines makes tracebacks point at the line of the Markdown file.
    """
    text = "\n" * block.line + block.text
    filename = str(DOCS / block.path)
    tree = ast.parse(text, filename)
    try:
        from _pytest.assertion.rewrite import rewrite_asserts
    except ImportError:  # pragma: no cover - a pytest without it still runs the examples
        pass
    else:
        rewrite_asserts(tree, text.encode("utf-8"), filename)
    return compile(tree, filename, "exec")


@pytest.mark.parametrize(("rule", "check"), [_param(p) for p in PAIRS])
def test_doc_example(rule: Block, check: Block, tmp_path: Path) -> None:
    """The ksf example compiles (or fails as its check expects) and its figures hold."""
    error: ksf.KsfError | None = None
    try:
        book = ksf.compile(rule.text)
    except ksf.KsfError as exc:
        book, error = None, exc
    if error is not None and "pytest.raises" not in check.text:
        pytest.fail(f"{rule.path}:{rule.line}: the example does not compile:\n{error}")
    namespace = {
        "ksf": ksf,
        "np": np,
        "pytest": pytest,
        "book": book,
        "source": rule.text,
        "tmp_path": tmp_path,
    }
    exec(_compiled(check), namespace)  # noqa: S102 - runs the project's own documentation, never rule text


@pytest.mark.parametrize("block", [pytest.param(b, id=f"{b.path}:{b.line}") for b in STANDALONE])
def test_doc_python(block: Block, tmp_path: Path) -> None:
    """A Python example on its own (the API reference, the embedding guide) runs as written."""
    namespace = {"ksf": ksf, "np": np, "pytest": pytest, "tmp_path": tmp_path}
    exec(_compiled(block), namespace)  # noqa: S102 - runs the project's own documentation, never rule text


def test_docs_have_examples() -> None:
    """The docs exist and hold rule examples (a broken fence parser would find none)."""
    names = {path.relative_to(DOCS).as_posix() for path in doc_files()}
    expected = {"language.md", "architecture.md", "errors.md", "zh/quickstart.md"}
    assert expected | {"quickstart.md", "api.md", "embedding.md"} <= names
    assert len(PAIRS) >= 50
    assert len(STANDALONE) >= 10


def _public_names() -> list[str]:
    import ksf.indicators
    import ksf.testing

    names = [f"ksf.{n}" for n in ksf.__all__]
    names += [f"ksf.testing.{n}" for n in ksf.testing.__all__]
    names += [f"ksf.indicators.{n}" for n in ksf.indicators.__all__]
    return names


@pytest.mark.parametrize("name", _public_names())
def test_api_reference_documents_every_public_name(name: str) -> None:
    """docs/api.md has a heading for each public name, written as `ksf.name…`."""
    headings = [
        line for line in (DOCS / "api.md").read_text("utf-8").splitlines() if line.startswith("#")
    ]
    assert any(re.search(rf"`{re.escape(name)}\b", h) for h in headings), name


def test_every_example_is_run() -> None:
    """Each ```ksf block has a ```python check after it (python blocks always run).

    The only way out is an explicit ``<!-- no-test: reason -->`` on the line before the block.
    """
    unrun = []
    for path in doc_files():
        blocks = read_blocks(path)
        for position, block in enumerate(blocks):
            if block.mark is not None and block.mark[0] == "no-test":
                continue
            after = blocks[position + 1] if position + 1 < len(blocks) else None
            if block.lang == "ksf" and (after is None or after.lang != "python"):
                unrun.append(f"{block.path}:{block.line}: ```ksf without a ```python check")
    assert not unrun, "\n".join(unrun)


def test_no_test_marks_are_rare() -> None:
    """`no-test` is an exception for examples that cannot run, not a way around the tests."""
    marked = [
        f"{b.path}:{b.line}"
        for path in doc_files()
        for b in read_blocks(path)
        if b.mark is not None and b.mark[0] == "no-test"
    ]
    assert len(marked) <= 5, marked
