"""HTML payslips printed: a headless Chromium turns three employees' payslips into an A4 PDF.

Each printed page must carry one employee (their name and id, nobody else's), a payslip's
table whole on its page, and every character of the HTML drawn in an embedded font, the
Chinese ones included. Chromium, poppler and a CJK font come from tests/setup_env.sh; a
machine without them skips the test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import ksf
from ksf.io.payslip_html import payslips_html, write_payslips
from ksf.payslip import payslips

RULES = """\
currency CNY
indicator gross_margin "毛利率" = (revenue - cogs) / revenue percent higher_is_better
card operator "运营推广" {
  base 3000
  gross_margin balance 25% step 1% reward 200 cap 3000
  min_pay 5000
}
"""
TEAM = {
    "工号": ["E001", "E002", "E003"],
    "姓名": ["王芳", "李娜", "张伟"],
    "revenue": [100000, 100000, 100000],
    "cogs": [71000, 80000, 60000],
}
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


class _Text(HTMLParser):
    """The text a reader sees in an HTML document: the body, not the style sheet."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.skip = tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self.skip = False

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _tools() -> tuple[str, str, str]:
    """The browser, pdftotext and pdffonts, or a skip saying what is missing."""
    browser = next((found for b in BROWSERS if (found := shutil.which(b))), None)
    pdftotext, pdffonts = shutil.which("pdftotext"), shutil.which("pdffonts")
    if browser is None or pdftotext is None or pdffonts is None:
        pytest.skip("chromium or poppler-utils is not installed (tests/setup_env.sh)")
    return browser, pdftotext, pdffonts


def _print(browser: str, html: Path, pdf: Path) -> None:
    """Print ``html`` to ``pdf`` as Chrome's print dialog would, without header or footer."""
    command = [
        browser,
        "--headless",
        "--no-sandbox",  # the test may run as root, in a container
        "--disable-gpu",
        f"--user-data-dir={html.parent / 'profile'}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        html.as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)


def test_html_payslips_print_one_employee_per_a4_page(tmp_path: Path) -> None:
    """3 employees → 6 A4 pages (payslip, audit): each one employee's, every glyph drawn."""
    browser, pdftotext, pdffonts = _tools()
    pay = ksf.compile(RULES).evaluate(TEAM)
    slips = payslips(pay, TEAM, company="深圳示例科技", lang="zh")
    html = tmp_path / "工资条.html"
    write_payslips(slips, html)
    pdf = tmp_path / "工资条.pdf"
    _print(browser, html, pdf)
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode()
    pages = [p for p in text.split("\f") if p.strip()]  # pdftotext ends each page with \f
    assert len(pages) == 2 * len(slips)  # a payslip and its audit trail each, no spill-over
    for k, page in enumerate(pages):
        mine = slips[k // 2]
        assert [s.employee_id for s in slips if s.employee_id in page] == [mine.employee_id]
        assert [s.name for s in slips if s.name in page] == [mine.name]
        if k % 2 == 0:  # the payslip's table whole on its page: heading row to total
            assert "金额（元）" in page
            assert f"应发合计 {mine.total_text()}" in re.sub(r" +", " ", page)
    # E001: (29% − 25%) / 1% = 4 steps × 200 = 800; 3,000 + 800 = 3,800, topped up to 5,000.
    assert "毛利率 29%，高于平衡点 25% 共 4 档，每档 200 → +800.00" in pages[0]
    # Every character the HTML shows is in the PDF's text: drawn, none dropped.
    reader = _Text()
    reader.feed(payslips_html(slips))
    shown = set("".join(reader.parts)) - set(" \n\t")
    assert shown - set(text) == set()
    fonts = subprocess.run([pdffonts, str(pdf)], check=True, capture_output=True).stdout.decode()
    rows = fonts.splitlines()[2:]  # below pdffonts' two heading lines
    assert rows
    # name, type, encoding, then emb sub uni and the object id: every font embedded
    assert all(row.split()[-5] == "yes" for row in rows), fonts
    # Chromium embeds the CJK face as Type 3 glyphs, whose name pdffonts leaves blank; the
    # font descriptors in the file name it.
    names = set(re.findall(rb"/FontName\s*/([^\s/>\]]+)", pdf.read_bytes()))
    assert any(re.search(rb"CJK|Han|Hei|Song|Ming|WenQuanYi", n) for n in names), names


def test_a_long_payslip_names_its_employee_on_every_page(tmp_path: Path) -> None:
    """46 lines run over two pages: rows stay whole, the heading rows repeat with the name."""
    browser, pdftotext, _ = _tools()
    lines = "\n".join(f"  bonus {100 + i} when x > {i} as 奖金{i:02d}" for i in range(45))
    book = ksf.compile("card c {\n  base 3000\n" + lines + "\n}\n")
    data = {"工号": ["E001", "E002"], "姓名": ["王芳", "李娜"], "x": [50, 10]}
    slips = payslips(book.evaluate(data), data, lang="zh")
    html, pdf = tmp_path / "long.html", tmp_path / "long.pdf"
    write_payslips(slips, html)
    _print(browser, html, pdf)
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode()
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) > 2 * len(slips)  # the payslips and audit trails run over pages
    for page in pages:  # every page, continuations too, is one employee's and says whose
        assert len([s for s in slips if s.employee_id in page and s.name in page]) == 1
        assert len([s for s in slips if s.employee_id in page or s.name in page]) == 1
    # Each row whole on one line of one page: its title, its amount and its reason.
    # E001 (x = 50) meets every condition x > i: 奖金44 pays 100 + 44 = 144.
    rows = re.findall(r"奖金44 +144\.00 +满足条件 x > 44：奖金 144 → \+144\.00", text)
    assert len(rows) == 1
    # 3,000 + (100 + 101 + … + 144) = 3,000 + 45 × 122 = 8,490
    assert len(re.findall(r"应发合计 +¥8,490\.00", text)) == 1
