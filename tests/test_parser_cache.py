"""The parser's tables saved in the user's cache folder (issue 18's cold start), used safely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Parse the demo rulebook and print its cards and a digest of its whole syntax tree.
PARSE = (
    "import hashlib, ksf\n"
    "from ksf.examples import demo_rules\n"
    "from ksf.dsl.parser import parse\n"
    "from ksf.source import Source\n"
    "tree = repr(parse(Source(demo_rules(), 'team.ksf'))).encode()\n"
    "print(ksf.compile(demo_rules()).cards, hashlib.sha256(tree).hexdigest())\n"
)


def run(code: str, cache: str) -> str:
    """``code`` in a fresh interpreter with ``KSF_CACHE_DIR`` set to ``cache``; its stdout."""
    env = {**os.environ, "KSF_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stderr == ""
    return done.stdout


def test_the_tables_are_saved_once_and_give_the_same_parse(tmp_path: Path) -> None:
    """The first process saves the tables in a private folder; the next parses alike from them."""
    folder = tmp_path / "cache"
    uncached = run(PARSE, "")
    first = run(PARSE, str(folder))
    (saved,) = folder.iterdir()
    assert saved.name.startswith("grammar-")
    assert folder.stat().st_mode & 0o777 == 0o700
    assert run(PARSE, str(folder)) == first == uncached
    assert list(folder.iterdir()) == [saved]


def test_a_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    """Tables are a pickle: a group- or world-writable folder gets none written or read."""
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    run(PARSE, str(folder))
    assert list(folder.iterdir()) == []


def test_damaged_tables_are_rebuilt_not_trusted(tmp_path: Path) -> None:
    """A truncated tables file: the parser is built again and parses as before."""
    folder = tmp_path / "cache"
    expected = run(PARSE, str(folder))
    (saved,) = folder.iterdir()
    saved.write_bytes(saved.read_bytes()[:100])
    assert run(PARSE, str(folder)) == expected


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path) -> None:
    """KSF_CACHE_DIR set but empty: nothing is written (HOME points at an empty folder)."""
    home = tmp_path / "home"
    home.mkdir()
    env_code = f"import os; os.environ['HOME'] = {str(home)!r}\n" + PARSE
    run(env_code, "")
    assert list(home.iterdir()) == []
