"""A language server for rule files: ``ksf-lsp`` (stdio), for any editor that speaks LSP.

It publishes what ``ksf check`` finds as the text changes (errors and warnings, with the
hint, in the file's language) and, on hover, says what a word is: a keyword in both
spellings, or a standard indicator's label, formula and meaning. pygls (the ``lsp``
extra) does the protocol; the words are ksf's own: the catalogue's messages through
`ksf.io.diagnostics`, the keyword table of `ksf.spelling`, the indicator library.

Positions: ksf counts columns in characters; LSP counts UTF-16 code units unless the
client and server agree otherwise, so a character outside the Basic Multilingual Plane (an
emoji in a comment) counts two. `_utf16` converts.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

import ksf
from ksf.errors import KsfError
from ksf.explain_words import Lang
from ksf.indicators.library import Entry, catalogue
from ksf.io.diagnostics import FileReport, Record, records
from ksf.spelling import EN, ZH, declared_language
from ksf.standard import standard_library

__all__ = ["hover_text", "main", "server"]

WORD = re.compile(r"[^\W\d]\w*")
server = LanguageServer("ksf", ksf.__version__)


def diagnostics_of(text: str, name: str, lang: Lang) -> list[types.Diagnostic]:
    """What `ksf check` finds in ``text``, as LSP diagnostics."""
    try:
        book = ksf.compile(text, name=name)
    except KsfError as error:
        report = FileReport(name, failure=error)
    else:
        report = FileReport(name, book.cards, book.warnings)
    lines = text.split("\n")
    return [_diagnostic(r, lines) for r in records(report, lang)]


def _diagnostic(record: Record, lines: list[str]) -> types.Diagnostic:
    line = (record.line or 1) - 1
    end_line = (record.end_line or record.line or 1) - 1
    start = _utf16(lines, line, (record.column or 1) - 1)
    end = _utf16(lines, end_line, (record.end_column or (record.column or 1) + 1) - 1)
    severity = (
        types.DiagnosticSeverity.Warning
        if record.severity == "warning"
        else types.DiagnosticSeverity.Error
    )
    message = record.message + (f"\n{record.hint}" if record.hint else "")
    return types.Diagnostic(
        range=types.Range(types.Position(line, start), types.Position(end_line, end)),
        message=message,
        severity=severity,
        code=record.code,
        source="ksf",
    )


def _utf16(lines: list[str], line: int, column: int) -> int:
    """A character column of ``line`` as UTF-16 code units (LSP's default)."""
    if not 0 <= line < len(lines):
        return column
    before = lines[line][:column]
    return column + sum(1 for c in before if ord(c) > 0xFFFF)


def hover_text(text: str, line: int, character: int, lang: Lang) -> str | None:
    """What the word at (line, character) is, in Markdown; None for no word ksf knows."""
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    word = _word_at(lines[line], character)
    if word is None:
        return None
    if word in ZH or word in EN:
        english, chinese = (word, ZH[word]) if word in ZH else (EN[word], word)
        return f"`{english}` · `{chinese}`" + (" — keyword" if lang == "en" else " —— 关键字")
    entry = _indicators().get(word)
    if entry is None:
        return None
    facts = ", ".join(x for x in (entry.unit, entry.direction.replace("_", " ")) if x)
    heading = f"**{entry.name}** {entry.label}".rstrip()
    return f"{heading} ({facts})\n\n`= {entry.formula}`\n\n{entry.description}".rstrip()


def _word_at(line: str, character: int) -> str | None:
    for found in WORD.finditer(line):
        if found.start() <= character <= found.end():
            return found.group()
    return None


@cache
def _indicators() -> dict[str, Entry]:
    return {entry.name: entry for entry in catalogue(standard_library())}


_client_locale: list[Lang] = ["en"]  # set by `initialize`: the editor's own language


def _language(text: str) -> Lang:
    """The file's ``language`` setting, else the editor's locale (``zh-cn`` → zh)."""
    return declared_language(text) or _client_locale[0]


@server.feature(types.INITIALIZE)
def _initialize(params: types.InitializeParams) -> None:
    """The editor's locale (``zh-cn``): its language, for files that set none."""
    _client_locale[0] = "zh" if (params.locale or "").lower().startswith("zh") else "en"


def _publish(uri: str) -> None:
    document = server.workspace.get_text_document(uri)
    name = unquote(urlparse(uri).path).rsplit("/", 1)[-1] or "rules.ksf"
    found = diagnostics_of(document.source, name, _language(document.source))
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
    )


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def _opened(params: types.DidOpenTextDocumentParams) -> None:
    _publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def _changed(params: types.DidChangeTextDocumentParams) -> None:
    _publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def _hover(params: types.HoverParams) -> types.Hover | None:
    document = server.workspace.get_text_document(params.text_document.uri)
    position = document.position_codec.position_from_client_units(document.lines, params.position)
    found = hover_text(
        document.source, position.line, position.character, _language(document.source)
    )
    if found is None:
        return None
    return types.Hover(contents=types.MarkupContent(types.MarkupKind.Markdown, found))


def main() -> None:
    """``ksf-lsp``: serve the language server on stdin and stdout."""
    server.start_io()


if __name__ == "__main__":
    main()
