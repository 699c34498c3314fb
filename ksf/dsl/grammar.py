"""``grammar.lark`` built into one Lark parser per process, and the keywords it names.

The `Lark` object is built once, behind a lock (ERP callers compile from several threads);
`ksf.dsl.parser` runs it, and `ksf.dsl.syntax_errors` reads its terminals to say what was
expected in words.

Building the LALR tables is most of a command's start-up (about 125 ms of every `ksf`
call on an idle machine); Lark can save what it built and load it in about a tenth of that.
The saved tables live in the user's own cache folder (``$KSF_CACHE_DIR``, else
``$XDG_CACHE_HOME/ksf``, else ``~/.cache/ksf``), named by the grammar's hash and Lark's
version, so a changed grammar or a new Lark never loads stale tables (Lark checks the hash
again inside the file). They are a pickle, so they are used only from a folder the user
owns and no one else can write; anywhere else, or with no folder to write, the parser is
built each time as before.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from importlib import resources
from pathlib import Path

import lark

from ksf.spelling import EN

_lock = threading.Lock()
_parser: lark.Lark | None = None


def lark_parser() -> lark.Lark:
    """The LALR parser of the rule language, built on first use."""
    global _parser  # noqa: PLW0603 - built once per process, behind the lock
    with _lock:
        if _parser is None:
            grammar = resources.files("ksf.dsl").joinpath("grammar.lark").read_text("utf-8")
            saved = _saved_tables(grammar)
            _parser = lark.Lark(
                grammar,
                parser="lalr",
                lexer="contextual",
                propagate_positions=True,
                cache=False if saved is None else str(saved),
            )
        return _parser


def _saved_tables(grammar: str) -> Path | None:
    """Where the built tables are kept: a file in a cache folder only the user can write."""
    try:
        folder = _cache_folder()
        if folder is None:
            return None
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = folder.stat()
    except (OSError, RuntimeError):  # no home folder, or none to write to: build each time
        return None
    if not _private(found):
        return None
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    return folder / f"grammar-{digest}-lark-{lark.__version__}.tables"


def _cache_folder() -> Path | None:
    """``$KSF_CACHE_DIR`` (empty: no cache), ``$XDG_CACHE_HOME/ksf`` or ``~/.cache/ksf``."""
    if "KSF_CACHE_DIR" in os.environ:
        chosen = os.environ["KSF_CACHE_DIR"]
        return Path(chosen) if chosen else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "ksf" if xdg else Path.home() / ".cache" / "ksf"


def _private(found: os.stat_result) -> bool:
    """A folder of the user's own that no one else can write to."""
    own = not hasattr(os, "getuid") or found.st_uid == os.getuid()
    return own and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def keywords() -> set[str]:
    """Every keyword of the grammar, in both spellings."""
    return {
        t.pattern.value
        for t in lark_parser().terminals
        if isinstance(t.pattern, lark.lexer.PatternStr) and t.pattern.value.isidentifier()
    }


def chinese_terminals() -> frozenset[str]:
    """The names Lark gives the terminals of the Chinese keywords."""
    return frozenset(
        t.name
        for t in lark_parser().terminals
        if isinstance(t.pattern, lark.lexer.PatternStr) and t.pattern.value in EN
    )
