"""`ksf-lsp` over stdio with pygls' own client: diagnostics as text changes, and hovers."""

from __future__ import annotations

import asyncio
import sys

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from ksf.lsp import diagnostics_of, hover_text

# Line 3 (0-based 2): "  gm balance 30% " is 17 characters, so `step 0` is 17..23.
BAD = "card a {\n  base 100\n  gm balance 30% step 0 reward 5\n}\n"
GOOD = "card a {\n  base 100\n  gm balance 30% step 1% reward 5\n}\n"
URI = "file:///tmp/pay.ksf"


async def conversation(
    locale: str | None = None,
) -> tuple[list[types.PublishDiagnosticsParams], types.Hover | None]:
    """Open a bad file, fix it, hover over `balance`; what the server sent."""
    client = LanguageClient("ksf-tests", "1")
    published: list[types.PublishDiagnosticsParams] = []
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published.append(params)
        arrived.set()

    await client.start_io(sys.executable, "-m", "ksf.lsp")
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), locale=locale)
    )
    client.initialized(types.InitializedParams())
    document = types.TextDocumentItem(uri=URI, language_id="ksf", version=1, text=BAD)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=document))
    await asyncio.wait_for(arrived.wait(), 60)
    arrived.clear()
    change = types.TextDocumentContentChangeWholeDocument(text=GOOD)
    identifier = types.VersionedTextDocumentIdentifier(uri=URI, version=2)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(text_document=identifier, content_changes=[change])
    )
    await asyncio.wait_for(arrived.wait(), 60)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=2, character=6),  # inside `balance`
        )
    )
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return published, hover


def test_diagnostics_follow_the_text_and_hover_names_a_keyword() -> None:
    """The bad file gets the step error at 2:17–2:23; the fix clears it; `balance` hovers."""
    published, hover = asyncio.run(conversation())
    first, second = published
    (error,) = first.diagnostics
    assert error.code == "check_lines.STEP_NOT_POSITIVE"
    assert error.message == "the step must be greater than 0"
    assert (error.range.start.line, error.range.start.character) == (2, 17)
    assert (error.range.end.line, error.range.end.character) == (2, 23)
    assert error.severity == types.DiagnosticSeverity.Error
    assert list(second.diagnostics) == []
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert "`balance` · `平衡点`" in hover.contents.value


def test_a_chinese_file_is_told_in_chinese_with_its_keywords() -> None:
    """A file saying `语言 zh` gets its messages in Chinese, quoting `每`."""
    text = "语言 zh\n计薪卡 a {\n  底薪 100\n  毛利率 平衡点 30% 每 0 奖励 5\n}\n"
    (found,) = diagnostics_of(text, "a.ksf", "zh")
    assert found.message == "`每` 必须大于 0"
    # "  毛利率 平衡点 30% " is 14 characters: `每` is at 0-based 14 on 0-based line 3.
    assert (found.range.start.line, found.range.start.character) == (3, 14)


def test_columns_count_utf16_units_past_an_emoji() -> None:
    """An emoji (two UTF-16 units) before the error moves the LSP column by one more."""
    text = 'card a "🚀" { gm balance 30% step 0 reward 5 }\n'
    (found,) = diagnostics_of(text, "a.ksf", "en")
    # `step` is character 28 (0-based); the emoji before it is one character, two units.
    assert text.index("step") == 28
    assert found.range.start.character == 29


def test_hover_on_a_standard_indicator_gives_its_formula() -> None:
    """Hovering `gross_margin` shows its label 毛利率 and its formula; a plain name nothing."""
    text = "card a {\n  gross_margin balance 30% step 1% reward 5\n}\n"
    found = hover_text(text, 1, 4, "en")
    assert found is not None
    assert "毛利率" in found
    assert "= " in found
    assert hover_text("card a { base 1 }\n", 0, 5, "en") is None


def test_an_editor_in_chinese_gets_chinese_messages() -> None:
    """With the client's locale zh-cn, a file that sets no language is told in Chinese."""
    published, _ = asyncio.run(conversation(locale="zh-cn"))
    (error,) = published[0].diagnostics
    assert error.message == "`step` 必须大于 0"
