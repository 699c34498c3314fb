"""The rulebooks a service answers with: every ``*.ksf`` of one folder, by name and hash.

A request looks a name up in a dict made from the folder's listing, so no name reaches the
file system: ``../secret`` is simply not a key. The folder is looked at again (one ``stat`` a
file) before each request; changed files are compiled into a new snapshot, which replaces
the old one in one assignment, so a request sees one whole snapshot, never a half-loaded
one. A file that does not compile (being written, or wrong) keeps its last good rulebook
in service, and its error is shown in the listing until it is fixed.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

import attrs

import ksf
from ksf.catalogue import serve as say
from ksf.errors import KsfCompileError, KsfError
from ksf.rulebook import Rulebook
from ksf.source import Source, Span

__all__ = ["Entry", "RulebookStore", "Snapshot"]

Stamp = tuple[int, int]  # a file's modification time (ns) and size: "changed" is either


@attrs.frozen
class Entry:
    """One rule file: its rulebook in service (None until it first compiles) and its error."""

    name: str
    path: Path
    stamp: Stamp
    book: Rulebook | None
    text: str | None  # the text of ``book``
    error: KsfError | None  # why the file as it is now does not compile


@attrs.frozen
class Snapshot:
    """The folder's rulebooks at one moment."""

    entries: Mapping[str, Entry]


class RulebookStore:
    """The rulebooks of ``folder``, reloaded when their files change."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._lock = threading.Lock()  # one reload at a time; readers never wait for it
        self.snapshot = Snapshot({})
        self.refresh()

    def refresh(self) -> Snapshot:
        """The snapshot of the folder as it is now (compiling only what changed)."""
        stamps = _stamps(self.folder)
        current = self.snapshot
        if {n: e.stamp for n, e in current.entries.items()} == stamps:
            return current
        with self._lock:
            current = self.snapshot
            entries = {
                name: self._entry(name, stamp, current.entries.get(name))
                for name, stamp in sorted(stamps.items())
            }
            self.snapshot = Snapshot(entries)
            return self.snapshot

    def _entry(self, name: str, stamp: Stamp, before: Entry | None) -> Entry:
        if before is not None and before.stamp == stamp:
            return before
        path = self.folder / f"{name}.ksf"
        kept_book = before.book if before is not None else None
        kept_text = before.text if before is not None else None
        try:
            text = path.read_text(encoding="utf-8")
            book = ksf.compile(text, name=path.name)
            if not book.cards:  # emptied, or cut before its first card: not a new plan
                where = Span.point(1, 1)
                raise KsfCompileError.at(say.NO_CARDS_IN_FILE(), where, Source(text, path.name))
        except KsfError as error:
            return Entry(name, path, stamp, kept_book, kept_text, error)
        except (OSError, UnicodeDecodeError):  # removed or unreadable meanwhile: next time
            return Entry(name, path, (0, 0), kept_book, kept_text, None)
        return Entry(name, path, stamp, book, text, None)


def _stamps(folder: Path) -> dict[str, Stamp]:
    """Each rule file's name (its stem) and stamp."""
    found: dict[str, Stamp] = {}
    for path in folder.glob("*.ksf"):
        try:
            stat = path.stat()
        except OSError:
            continue
        if path.is_file():
            found[path.stem] = (stat.st_mtime_ns, stat.st_size)
    return found
