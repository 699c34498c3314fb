"""The plan report (`ksf report`): its figures, its words, its safety, and the command.

The page is checked as text here; tests/test_report_browser.py opens it in a real browser.
"""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import ksf
from ksf.catalogue import report as words
from ksf.cli import main
from ksf.design.report import report_html, write_report
from ksf.design.report_data import gather
from ksf.design.report_svg import e, steps_of, ticks

RULES = """\
indicator gm "毛利率" = (revenue - cogs) / revenue percent higher_is_better
card seller "销售" {
  base 5000
  gm balance 30% step 1% reward 200 cap 1000
}
"""
# gm = 25%, 31%, 33%: −5 steps × 200 = −1,000; +1 × 200 = +200; +3 × 200 = +600.
TEAM = {
    "employee": ["E1", "E2", "E3"],
    "name": ["王芳", "李娜", "张伟"],
    "revenue": [100_000.0, 100_000.0, 100_000.0],
    "cogs": [75_000.0, 69_000.0, 67_000.0],
}
HOSTILE = "<script>window.pwned=1</script>"
ALLOWED_TAGS = {
    *[
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "script",
        "header",
        "h1",
        "h2",
        "h3",
        "dl",
        "div",
        "dt",
        "dd",
        "nav",
        "a",
        "b",
        "br",
    ],
    *[
        "section",
        "figure",
        "figcaption",
        "small",
        "code",
        "p",
        "ul",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
    ],
    *["input", "details", "summary", "pre", "svg", "line", "text", "polyline", "rect"],
}


class _Tags(HTMLParser):
    """Every start tag of a document with its attributes, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)


def _tags(page: str) -> _Tags:
    parsed = _Tags()
    parsed.feed(page)
    return parsed


def test_a_card_s_totals_are_summed_by_hand():
    """5,000 − 1,000, + 200, + 600: 4,000, 5,200, 5,600: total 14,800, median 5,200."""
    page = report_html(ksf.compile(RULES), TEAM)
    assert "rows 3 · total 14,800.00 · median 5,200.00 · from 4,000.00 to 5,600.00" in page


def test_the_input_under_a_curve_is_the_indicator_of_each_row():
    """gm = (revenue − cogs) / revenue: 25%, 31%, 33%, computed from the raw columns."""
    facts = gather(ksf.compile(RULES), TEAM, lang="en")
    (chart,) = facts.cards[0].charts
    assert chart.inputs is not None
    assert chart.inputs.tolist() == pytest.approx([0.25, 0.31, 0.33])
    assert chart.missing == 0
    # the curve is the payroll's arithmetic: 33% pays 3 steps × 200 = 600
    at = np.searchsorted(chart.curve.values, 0.33)
    assert chart.curve.amounts[at] == 600


def test_the_curve_reaches_every_row_of_the_data():
    """gm 80% lies past the drawn range (30% ± 10 steps): the curve is widened to reach it."""
    # at 80%: 50 steps × 200 = 10,000, cut to the cap 1,000
    data = {**TEAM, "cogs": [75_000.0, 69_000.0, 20_000.0]}
    (chart,) = gather(ksf.compile(RULES), data, lang="en").cards[0].charts
    assert chart.curve.values[0] <= 0.25
    assert chart.curve.values[-1] > 0.80
    assert chart.curve.amounts[-1] == 1000


def test_the_bars_count_every_row_with_a_value():
    """The bars' tooltips add up to the rows: 3 rows, 1 bar each (25%, 31%, 33% apart)."""
    page = report_html(ksf.compile(RULES), TEAM)
    counts = re.findall(r"<rect class=\"bar\"[^>]*><title>[^<]*: (\d+)</title>", page)
    # two charts have bars: the card's totals and the gm line
    assert sum(map(int, counts)) == 2 * 3


def test_a_missing_value_is_counted_not_drawn():
    """One row of three has no gm (cogs missing): 2 rows drawn, 1 said to be missing."""
    book = ksf.compile(RULES.replace("base 5000", "base 5000\n  missing as balance"))
    data = {**TEAM, "cogs": [75_000.0, float("nan"), 67_000.0]}
    (chart,) = gather(book, data, lang="en").cards[0].charts
    assert chart.inputs is not None
    assert chart.inputs.tolist() == pytest.approx([0.25, 0.33])
    assert chart.missing == 1
    assert "rows without a value (missing data), not drawn: 1" in report_html(book, data)


def test_a_group_aggregate_input_draws_its_curve_without_bars():
    """A value over other rows cannot be computed row by row: the page says so, no bars."""
    book = ksf.compile("card c {\n  commission sum(sales over team) rate 1% as team_pay\n}\n")
    data = {"employee": ["A", "B"], "team": ["x", "x"], "sales": [100.0, 300.0]}
    (chart,) = gather(book, data, lang="en").cards[0].charts
    assert chart.inputs is None
    assert e(words.NO_INPUT().text("en")) in report_html(book, data)


def test_a_card_no_row_uses_says_so():
    """Card b has no row (and a balance point read per row): the page says so, draws nothing."""
    book = ksf.compile(RULES + "card b {\n  base 1\n  gm balance target step 1% reward 10\n}\n")
    page = report_html(book, {**TEAM, "card": ["seller"] * 3})
    card_b = page[page.index('<section class="card" id="card-1">') :]
    assert words.NO_ROWS().text("en") in card_b
    assert '<figure class="line"' not in card_b


def test_every_value_from_the_data_or_the_rules_is_escaped():
    """A name, an id and a card label made of markup show as text: no tag, no handler."""
    book = ksf.compile(RULES.replace('"销售"', '"<b onmouseover=x()>销售</b>"'))
    data = {**TEAM, "employee": ['E1"><img src=x onerror=alert(1)>', "E2", "E3"]}
    data["name"] = [HOSTILE, "\x1b[31m李娜", "张伟"]
    page = report_html(book, data)
    parsed = _tags(page)
    assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
    assert [t for t, _ in parsed.tags].count("script") == 1  # the page's own
    handlers = [k for _, a in parsed.tags for k in a if k.startswith("on")]
    assert handlers == []
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "\x1b" not in page
    assert "\\x1b[31m李娜" in page


def test_the_page_fetches_nothing():
    """No link, no src, no url(), no @import, no address but the SVG namespace."""
    page = report_html(ksf.compile(RULES), TEAM)
    parsed = _tags(page)
    assert all("src" not in a for _, a in parsed.tags)
    assert all(str(a.get("href", "#")).startswith("#") for _, a in parsed.tags)
    assert "<link" not in page
    assert "url(" not in page
    assert "@import" not in page
    addresses = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert addresses == {"http://www.w3.org/2000/svg"}


def test_the_security_policy_allows_exactly_the_page_s_style_and_script():
    """The CSP hashes are those of the one <style> and the one <script>: nothing else runs."""
    page = report_html(ksf.compile(RULES), TEAM)
    parsed = _tags(page)
    policy = next(a["content"] for t, a in parsed.tags if t == "meta" and "content" in a)
    assert policy is not None
    assert "default-src 'none'" in policy

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    (script,), (style,) = parsed.scripts, parsed.styles
    assert f"script-src 'sha256-{digest(script)}'" in policy
    assert f"style-src 'sha256-{digest(style)}'" in policy


def test_a_chinese_report_has_no_english_heading_left():
    """--lang zh: the catalogue's Chinese words, none of its English ones; 毛利率 by label."""
    page = report_html(ksf.compile(RULES), TEAM, lang="zh")
    for entry in (words.TITLE, words.TOTALS, words.CURVES, words.PAYSLIPS, words.SEARCH):
        assert entry().text("zh") in page
        assert entry().text("en") not in page
    assert "毛利率（gm）" in page
    assert "平衡点 30%" in page
    assert "封顶 1,000" in page
    assert "3 行 · 合计 14,800.00" in page


def test_every_payslip_is_there_with_its_explanation():
    """One folded payslip per row, keyed by id, name and card, holding Payroll.explain."""
    book = ksf.compile(RULES)
    page = report_html(book, TEAM)
    slips = re.findall(r'<details class="slip" data-id="([^"]*)" data-name="([^"]*)"', page)
    assert slips == list(zip(TEAM["employee"], TEAM["name"], strict=True))
    explained = book.evaluate(TEAM).explain(2)
    body = explained.split("\n", 1)[1]  # under the heading, which counts rows from 1 here
    assert body.replace(">", "&gt;").replace("<", "&lt;") in page


def test_a_commission_scaled_by_a_table_draws_one_curve_per_factor():
    """scaled_by perf(kpi): × 1 drawn strong, × 1.2 and × 0.5 lighter (three polylines)."""
    book = ksf.compile(
        "table perf { >= 90 : 1.2\n >= 60 : 1\n else : 0.5 }\n"
        "card c {\n  commission sales rate 1% scaled_by perf(kpi)\n}\n"
    )
    data = {"employee": ["A", "B"], "sales": [1000.0, 2000.0], "kpi": [95.0, 50.0]}
    page = report_html(book, data)
    chart = page[page.index('<figure class="line"') :]
    assert chart[: chart.index("</figure>")].count("<polyline") == 3


def test_ticks_are_round_numbers_inside_the_range():
    """From −1,740 to 3,300, six ticks at most: steps of 1,000 from −1,000 to 3,000."""
    assert ticks(-1740, 3300, 6) == [-1000, 0, 1000, 2000, 3000]


def test_a_step_curve_keeps_its_corners_only():
    """0,0,0,1,1,1 over 0..5: the corners (2,0) and (3,1) and the two ends, nothing else."""
    values = np.arange(6.0)
    kept, amounts = steps_of(values, np.array([0.0, 0, 0, 1, 1, 1]))
    assert kept.tolist() == [0, 2, 3, 5]
    assert amounts.tolist() == [0, 0, 1, 1]


def test_the_command_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """ksf report RULES DATA -o OUT.html: exit 0, the file, a receipt in the command's language."""
    rules, data = tmp_path / "pay.ksf", tmp_path / "team.csv"
    rules.write_text(RULES, encoding="utf-8")
    rows = zip(*TEAM.values(), strict=True)
    lines = [",".join(TEAM), *(",".join(map(str, r)) for r in rows)]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "报告.html"
    assert main(["report", str(rules), str(data), "-o", str(out), "--lang", "zh"]) == 0
    assert "3 行 · 合计 14,800.00" in out.read_text(encoding="utf-8")
    assert "已写出 3 行的报告" in capsys.readouterr().err


def test_the_command_refuses_an_output_that_is_not_html(tmp_path: Path, capsys):
    """-o report.pdf is a usage error (exit 2) naming the option; nothing is written."""
    rules = tmp_path / "pay.ksf"
    rules.write_text(RULES, encoding="utf-8")
    assert main(["report", str(rules), "team.csv", "-o", str(tmp_path / "r.pdf")]) == 2
    assert "name it .html" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


def test_write_report_replaces_the_file_whole(tmp_path: Path):
    """write_report writes UTF-8 HTML that starts with its doctype."""
    out = tmp_path / "r.html"
    write_report(ksf.compile(RULES), TEAM, out, lang="zh")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_report_needs_no_optional_library():
    """A report made and written loads neither matplotlib nor pandas: core ksf is enough."""
    code = (
        "import sys, ksf\n"
        "from ksf.design.report import report_html\n"
        "from tests.test_report import RULES, TEAM\n"
        "report_html(ksf.compile(RULES), TEAM, lang='zh')\n"
        "extras = ('matplotlib', 'pandas', 'polars', 'pyarrow')\n"
        "print(sorted(m for m in extras if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
