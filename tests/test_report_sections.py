"""The plan report's sections: ``--against OLD`` (`ksf.diff`), ``--simulate`` (`ksf.simulate`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ksf
from ksf.cli import main
from ksf.design.report import report_html
from tests.test_report import RULES, TEAM

# The old plan's balance point is 28%: 2 steps lower than the new plan's 30%.
OLD = RULES.replace("balance 30%", "balance 28%")


def test_the_new_plan_against_the_old_costs_400_less_a_head():
    """gm 25%, 31%, 33% under 28% then 30%: −600 → −1,000, 600 → 200, 1,000 (cap) → 600."""
    book = ksf.compile(RULES, name="new.ksf")
    page = report_html(book, TEAM, against=ksf.diff(ksf.compile(OLD, name="old.ksf"), book, TEAM))
    section = page[page.index('<section id="against">') :]
    section = section[: section.index("</section>")]
    assert "Against old.ksf" in section
    # old totals 4,400 + 5,600 + 6,000 = 16,000; new 4,000 + 5,200 + 5,600 = 14,800
    assert "cost 16,000.00 → 14,800.00 CNY (-1,200.00)" in section
    changes = re.findall(r'<td class="amount">(-400\.00)</td>', section)
    assert len(changes) >= 3  # each row's change, listed
    assert '<a href="#against">' in page  # and the contents link to it


def test_a_simulation_shows_each_line_from_best_to_worst():
    """History gm 25% and 33%: gm pays 600 at its best, 0 at balance, −1,000 at its worst."""
    book = ksf.compile(RULES)
    history = {**TEAM, "card": ["seller"] * 3}
    sim = ksf.simulate(book, history, runs=200, seed=3)
    page = report_html(book, TEAM, simulation=sim, lang="zh")
    section = page[page.index('<section id="simulation">') :]
    section = section[: section.index("</section>")]
    assert "模拟测算" in section
    # base is 5,000 in every month: P5 = P50 = P95 = best = worst = 5,000
    assert re.search(r"<td>底薪</td>(<td class=\"amount\">5,000\.00</td>){3}", section)
    # gm: best 33% → 3 steps × 200 = 600; balance 0; worst 25% → −5 × 200 = −1,000
    cells = r"(?:<td class=\"amount\">[^<]*</td>)"
    best = rf"<td>毛利率</td>{cells}{{7}}<td class=\"amount\">600\.00</td>"
    assert re.search(
        best + r"<td class=\"amount\">0\.00</td><td class=\"amount\">-1,000\.00</td>", section
    )
    assert section.count('<svg class="chart"') == 1  # the card's ranges


def test_the_command_adds_both_sections(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """--against OLD and --simulate HISTORY: both sections; --runs alone is a usage error."""
    rules, old, data = tmp_path / "new.ksf", tmp_path / "old.ksf", tmp_path / "team.csv"
    rules.write_text(RULES, encoding="utf-8")
    old.write_text(OLD, encoding="utf-8")
    rows = zip(*TEAM.values(), strict=True)
    data.write_text("\n".join([",".join(TEAM), *(",".join(map(str, r)) for r in rows)]) + "\n")
    out = tmp_path / "r.html"
    argv = ["report", str(rules), str(data), "-o", str(out)]
    assert main([*argv, "--against", str(old), "--simulate", str(data), "--runs", "50"]) == 0
    page = out.read_text(encoding="utf-8")
    assert '<section id="against">' in page
    assert '<section id="simulation">' in page
    capsys.readouterr()
    assert main([*argv, "--seed", "7"]) == 2
    assert "--runs and --seed go with --simulate HISTORY" in capsys.readouterr().err
