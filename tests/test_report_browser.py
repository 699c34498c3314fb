"""The plan report in a real browser: headless Chromium driven by Playwright.

The demo team's July, in English and in Chinese, against last year's plan and simulated on
the quarter, with a name made of markup: the page must
render with no console error or warning, make no network request at all (not even a
failed one), run none of the data's markup, filter payslips as one types, and draw its
Chinese words in a CJK font, not as boxes. A screenshot of each page is kept in the test's
directory. Chromium comes from tests/setup_env.sh and Playwright from the ``test`` extra
(its own driver, no browser download): without either the tests skip, saying why.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest

import ksf
from ksf import examples
from ksf.design.report import write_report

BROWSER = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",  # the tests may run as root, in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>'
VISIBLE = "details.slip:not([hidden])"
SECTIONS = ("#totals", ".card", "#against", "#simulation")


def _july() -> dict[str, Any]:
    """The demo's July: nine employees, one row each; E009's name is markup."""
    data = examples.demo_data()
    july = data["month"] == "2026-07"
    rows = {name: values[july] for name, values in data.items()}
    rows["name"] = np.where(rows["employee"] == "E009", HOSTILE, rows["name"]).astype(str)
    return rows


@attrs.define
class Opened:
    """A report open in the browser, and everything it asked of the network and console."""

    page: Any
    address: str
    requests: list[str] = attrs.field(factory=list)
    failed: list[str] = attrs.field(factory=list)
    console: list[str] = attrs.field(factory=list)


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Chromium under Playwright with a fresh profile, or a skip naming what is missing."""
    if shutil.which(BROWSER) is None:
        pytest.skip("chromium is not installed (run tests/setup_env.sh as root)")
    sync = pytest.importorskip("playwright.sync_api", reason="playwright: pip install 'ksf[test]'")
    profile = tmp_path_factory.mktemp("profile")
    with sync.sync_playwright() as driver:
        opened = driver.chromium.launch_persistent_context(
            str(profile),
            executable_path=BROWSER,
            args=ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        yield opened
        opened.close()


def _open(context: Any, path: Path) -> Opened:
    page = context.new_page()
    opened = Opened(page, path.as_uri())
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("requestfailed", lambda request: opened.failed.append(request.url))
    page.on("console", lambda m: m.type in ("error", "warning") and opened.console.append(m.text))
    page.on("pageerror", lambda error: opened.console.append(str(error)))
    page.goto(opened.address, wait_until="load")
    return opened


@pytest.fixture(scope="module")
def report(request: pytest.FixtureRequest, context: Any, tmp_path_factory) -> Iterator[Opened]:
    """The July report in one language, open; a full-page screenshot taken."""
    folder = tmp_path_factory.mktemp(f"report-{request.param}")
    path = folder / "report.html"
    book = ksf.compile(examples.demo_rules(), name=examples.RULES_NAME)
    # the plan before: product developers' margin balanced at 48%, not 50%
    text = examples.demo_rules().replace(
        "balance 50% step 1% reward 200", "balance 48% step 1% reward 200"
    )
    old = ksf.compile(text, name="team-2025.ksf")
    july = _july()
    against = ksf.diff(old, book, july)
    simulation = ksf.simulate(book, examples.demo_data(), runs=500, seed=1)
    write_report(book, july, path, lang=request.param, against=against, simulation=simulation)
    opened = _open(context, path)
    shot = opened.page.screenshot(path=str(folder / "report.png"), full_page=True)
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(shot) > 50_000
    yield opened
    opened.page.close()


BOTH = pytest.mark.parametrize("report", ["en", "zh"], indirect=True)


@BOTH
def test_it_renders_with_no_error_and_no_request(report: Opened):
    """Nothing in the console, nothing fetched: the one request is the file itself."""
    assert report.console == []
    assert report.failed == []
    assert report.requests == [report.address]
    page = report.page
    # the three cards' totals, team.ksf's 12 curves, each card's changes and its ranges
    counts = [page.locator(f"{where} svg.chart").count() for where in SECTIONS]
    assert counts == [3, 12, 3, 3]
    for where in SECTIONS:  # drawn, not collapsed
        assert page.locator(f"{where} svg.chart").first.bounding_box()["height"] > 100


@BOTH
def test_typing_an_id_leaves_only_that_payslip(report: Opened):
    """E004 typed: one payslip left, E004's; 1 of 9 shown; cleared: all nine again."""
    page = report.page
    assert page.locator(VISIBLE).count() == 9
    page.fill("#search", "E004")
    assert page.locator(VISIBLE).count() == 1
    assert page.locator(VISIBLE).get_attribute("data-id") == "E004"
    assert page.locator("#shown").inner_text().replace(" ", "") in ("1of9shown", "显示1/9条")
    page.fill("#search", "运营推广")  # the operator card's label: E004, E005, E006
    ids = [page.locator(VISIBLE).nth(k).get_attribute("data-id") for k in range(3)]
    assert page.locator(VISIBLE).count() == 3
    assert ids == ["E004", "E005", "E006"]
    page.fill("#search", "")
    assert page.locator(VISIBLE).count() == 9


@BOTH
def test_markup_in_the_data_shows_as_text_and_never_runs(report: Opened):
    """E009's name is an <img onerror> and a <script>: shown as typed, neither ran."""
    page = report.page
    assert page.evaluate("() => window.pwned") is None
    page.fill("#search", "window.pwned")
    assert page.locator(VISIBLE).count() == 1
    assert page.locator(f"{VISIBLE} .name").inner_text() == HOSTILE
    page.fill("#search", "")


def _fonts(page: Any, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium drew an element's text with, and how many glyphs each (CDP)."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts: list[dict[str, Any]] = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})[
        "fonts"
    ]
    session.detach()
    return fonts


@pytest.mark.parametrize("report", ["zh"], indirect=True)
def test_chinese_is_drawn_in_a_cjk_font_not_as_boxes(report: Opened):
    """Every glyph of the Chinese title comes from a CJK face; two words differ in pixels."""
    page = report.page
    title = page.locator("h1").inner_text()
    assert title == "薪酬方案测算报告"
    fonts = _fonts(page, "h1")
    assert sum(f["glyphCount"] for f in fonts) == len(title)
    assert all("CJK" in f["familyName"] or "Han" in f["familyName"] for f in fonts), fonts
    # Boxes (tofu) look alike whatever the character: real glyphs of other words do not.
    made = """(words) => words.map((w, k) => {
        const s = document.createElement('span'); s.id = 'probe' + k; s.textContent = w;
        document.querySelector('h1').after(s); return s.id; })"""
    probes = page.evaluate(made, ["毛利率", "底薪", "\ue000\ue001\ue002"])
    pixels = [page.locator(f"#{p}").screenshot() for p in probes]
    assert pixels[0] != pixels[1]
    assert pixels[0] != pixels[2]
    marks = _fonts(page, "svg text.mark")  # the SVG's words take the page's CJK stack too
    assert any("CJK" in f["familyName"] for f in marks), marks
