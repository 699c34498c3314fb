"""`ksf plot` in Chinese: the words, the CJK font, no missing glyph, and scaled_by curves.

The test environment installs Debian's fonts-noto-cjk (tests/setup_env.sh, run by the
README's test command), so a Chinese plot here must find a CJK font and draw every glyph.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import ksf
from ksf.cli import main

pytest.importorskip("matplotlib")

from matplotlib import font_manager  # after the skip: matplotlib is an extra
from matplotlib.text import Text

from ksf import plot
from ksf.plot import fonts

RULES = """\
table perf_coefficient { >= 90 : 1.2; >= 80 : 1.0; >= 70 : 0.8; else : 0 }
card operator "运营推广" {
  base 4000
  gross_margin balance 25% step 1% reward 150 penalty 100 beyond 30% reward 250 cap 2500 floor -1000
  commission sales rate 0.3% beyond 1000000 rate 0.5% scaled_by perf_coefficient(review) cap 9000 as sales_part
  commission sales rate 0.2% scaled_by review_factor as plain_part
}
"""  # noqa: E501 - rule lines as a person writes them
BOOK = ksf.compile(RULES)


def _glyphs_lacking(figure: object) -> set[str]:
    """Characters of the figure's texts that the fonts matplotlib picks for them lack.

    Independent of ksf.plot.fonts: each text's font families, looked up by matplotlib's
    font manager, and the charmap FreeType reads from each font file.
    """
    with warnings.catch_warnings():  # the glyphs are what this looks for itself
        warnings.simplefilter("ignore", UserWarning)
        figure.draw_without_rendering()  # type: ignore[attr-defined]
    lacking: set[str] = set()
    for text in figure.findobj(Text):  # type: ignore[attr-defined]
        covered: set[int] = set()
        for family in text.get_fontfamily():
            prop = font_manager.FontProperties(family=[family])
            path = font_manager.findfont(prop, fallback_to_default=False)
            covered |= set(font_manager.get_font(path).get_charmap())
        lacking |= {ch for ch in text.get_text() if not ch.isspace() and ord(ch) not in covered}
    return lacking


def _texts(figure: object) -> str:
    return "\n".join(t.get_text() for t in figure.findobj(Text))  # type: ignore[attr-defined]


def test_chinese_plot_draws_every_glyph(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A zh plot is in Chinese, in a CJK font that has every glyph, and warns of nothing."""
    figure = plot.figure_of(plot.curve(BOOK, "operator", "gross_margin", lang="zh"))
    texts = _texts(figure)
    for word in ("计薪卡 operator（运营推广），项目 gross_margin", "指标值：毛利率（gross_margin）",
                 "金额（CNY）：gross_margin", "平衡点 25%", "超过 30% 奖励 250", "封顶 2,500",
                 "保底 -1,000"):  # fmt: skip
        assert word in texts
    assert "balance" not in texts.replace("balance 25%", "")  # only the rule as written
    title = next(t for t in figure.findobj(Text) if "计薪卡" in t.get_text())
    assert title.get_fontfamily()[0] in fonts.CJK_FAMILIES
    assert _glyphs_lacking(figure) == set()
    # Drawn with every warning an error: not one "Glyph … missing", nor a font log line.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure.savefig(tmp_path / "zh.png", dpi=60)
    assert not [r for r in caplog.records if r.levelname == "WARNING"]
    assert (tmp_path / "zh.png").read_bytes().startswith(b"\x89PNG")


def test_a_latin_only_font_fails_the_glyph_check(tmp_path: Path) -> None:
    """The checks are not vacuous: Chinese text in DejaVu Sans alone lacks its glyphs."""
    figure = plot.figure_of(plot.curve(BOOK, "operator", "gross_margin", lang="zh"))
    title = next(t for t in figure.findobj(Text) if "计薪卡" in t.get_text())
    title.set_fontfamily(["DejaVu Sans"])
    assert {"计", "薪", "卡", "运", "营", "推", "广", "项", "目"} <= _glyphs_lacking(figure)
    with pytest.raises(fonts.MissingFontError, match="计"):
        plot.draw.check_glyphs(figure)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match=r"Glyph \d+ .* missing from font"):
            figure.savefig(tmp_path / "boxes.png", dpi=60)
    assert fonts.uncovered("毛利率 25%", ["DejaVu Sans"]) == {"毛", "利", "率"}
    assert fonts.uncovered("毛利率 25%", [fonts.cjk_family() or "?", "DejaVu Sans"]) == set()


def test_no_cjk_font_is_one_bilingual_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no CJK font installed, a Chinese plot is refused in one line naming what to install."""
    monkeypatch.setattr(fonts, "CJK_FAMILIES", ("No Such CJK Font",))
    curve = plot.curve(BOOK, "operator", "gross_margin", lang="zh")
    with pytest.raises(fonts.MissingFontError) as error:
        plot.plot(curve, tmp_path / "zh.png")
    message = str(error.value)
    assert "\n" not in message
    assert "apt install fonts-noto-cjk" in message
    assert "no installed font can draw it" in message
    assert "没有可用的中文字体" in message
    assert not (tmp_path / "zh.png").exists()
    (tmp_path / "ops.ksf").write_text(RULES, encoding="utf-8")
    args = ["plot", str(tmp_path / "ops.ksf"), "--line", "gross_margin", "--lang", "zh"]
    assert main([*args, "-o", str(tmp_path / "zh.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ksf：错误：图中有中文（")  # --lang zh: the messages are Chinese too
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_a_font_installed_after_matplotlib_cached_its_list_is_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The CJK font is found even when matplotlib's cached font list predates it."""
    cjk = fonts.cjk_family()
    assert cjk in fonts.CJK_FAMILIES  # tests/setup_env.sh installed fonts-noto-cjk
    stale = [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    assert fonts.cjk_family() == cjk


def test_english_plot_is_unchanged() -> None:
    """lang="en" (the default) keeps the English words and matplotlib's own font."""
    curve = plot.curve(BOOK, "operator", "gross_margin")
    assert curve.lang == "en"
    assert curve.marks == (("balance 25%", 0.25), ("beyond 30% reward 250", 0.30))
    assert curve.bounds == (("cap", 2500.0), ("floor", -1000.0))
    figure = plot.figure_of(curve)
    texts = _texts(figure)
    assert "card operator, line gross_margin" in texts
    assert "gross_margin (CNY)" in texts
    assert {tuple(t.get_fontfamily()) for t in figure.findobj(Text) if "card" in t.get_text()} == {
        ("DejaVu Sans",)
    }


def test_chinese_marks_and_labels() -> None:
    """The marks, bounds and labels of a zh curve; the amounts do not depend on the language."""
    zh = plot.curve(BOOK, "operator", "gross_margin", lang="zh")
    en = plot.curve(BOOK, "operator", "gross_margin", lang="en")
    assert zh.marks == (("平衡点 25%", 0.25), ("超过 30% 奖励 250", 0.30))
    assert zh.bounds == (("封顶", 2500.0), ("保底", -1000.0))
    assert (zh.indicator_label, zh.card_label) == ("毛利率", "运营推广")
    assert np.array_equal(zh.amounts, en.amounts)
    tiers = plot.curve(BOOK, "operator", "sales_part", lang="zh")
    assert tiers.marks == (("超过 1,000,000 提成比例 0.5%", 1_000_000.0),)
    with pytest.raises(ValueError, match="lang must be 'en' or 'zh', not 'fr'"):
        plot.curve(BOOK, "operator", "gross_margin", lang="fr")


def test_scaled_by_a_table_draws_one_curve_per_value() -> None:
    """A commission scaled_by a table: one curve per coefficient, each what evaluate pays."""
    curve = plot.curve(BOOK, "operator", "sales_part")
    assert [factor for factor, _ in curve.scaled] == [1.2, 0.8, 0.0]  # 1.0 is the curve itself
    assert curve.scale_text == "perf_coefficient(review)"
    assert curve.notes == ()
    at = int(np.searchsorted(curve.values, 1_500_000))
    sales = curve.values[at]
    # At factor 1: 0.3% × 1,000,000 + 0.5% × (sales − 1,000,000); 3,000 + 2,500 at 1.5M.
    assert curve.amounts[at] == pytest.approx(3000 + 0.005 * (sales - 1_000_000), abs=0.01)
    amounts = dict(curve.scaled)
    assert amounts[1.2][at] == pytest.approx(1.2 * curve.amounts[at], abs=0.01)
    assert amounts[0.8][at] == pytest.approx(0.8 * curve.amounts[at], abs=0.01)
    assert np.all(amounts[0.0] == 0)
    assert amounts[1.2].max() == 9000  # cap 9,000 clips after the scaling
    # The line on a card of its own pays the same: review 95 → 1.2, 85 → 1.0, 75 → 0.8, 50 → 0.
    table, line = RULES.splitlines()[0], RULES.splitlines()[4]
    alone = ksf.compile(f"{table}\ncard c {{\n{line}\n}}\n")
    for review, factor in [(95, 1.2), (85, 1.0), (75, 0.8), (50, 0.0)]:
        paid = alone.evaluate({"sales": curve.values, "review": np.full(len(curve.values), review)})
        expected = curve.amounts if factor == 1.0 else amounts[factor]
        assert np.array_equal(paid["sales_part"], expected), review


def test_scaled_by_an_indicator_of_a_table_draws_the_table() -> None:
    """An indicator that is a table lookup is seen through: one curve per value again."""
    book = ksf.compile(
        "table coef { >= 90 : 1.5; else : 0.5 }\n"
        "indicator factor = coef(review)\n"
        "card c {\n  commission sales rate 1% scaled_by factor as part\n}\n"
    )
    curve = plot.curve(book, "c", "part")
    assert [factor for factor, _ in curve.scaled] == [1.5, 0.5]
    at = int(np.searchsorted(curve.values, 10_000))
    # 1% of the sample at or past 10,000, × 1.5 and × 0.5.
    base = 0.01 * curve.values[at]
    assert dict(curve.scaled)[1.5][at] == pytest.approx(round(1.5 * base, 2), abs=1e-9)
    assert dict(curve.scaled)[0.5][at] == pytest.approx(round(0.5 * base, 2), abs=1e-9)


def test_scaled_by_a_column_is_drawn_at_one_with_a_note() -> None:
    """A scale only the data knows is drawn at 1, and the plot says so, in its language."""
    en = plot.curve(BOOK, "operator", "plain_part")
    assert en.scaled == ()
    assert en.notes == (
        "scaled_by review_factor is drawn at 1: pay = this amount × review_factor, then cap "
        "and floor",
    )
    zh = plot.curve(BOOK, "operator", "plain_part", lang="zh")
    assert zh.notes == (
        "乘以 review_factor 按 1 画出：实发 = 本金额 × review_factor，再按封顶、保底截取",
    )
    assert zh.notes[0] in _texts(plot.figure_of(zh))
    # 0.2% of the sales at factor 1: 100 at 50,000 (the sample there is 50,012.5 → 100.03).
    at = int(np.searchsorted(zh.values, 50_000))
    assert zh.amounts[at] == pytest.approx(round(0.002 * zh.values[at], 2), abs=1e-9)


def test_plot_command_lang(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ksf plot --lang zh` writes a PNG and prints nothing on standard error."""
    (tmp_path / "ops.ksf").write_text(RULES, encoding="utf-8")
    out = tmp_path / "毛利率.png"
    args = ["plot", str(tmp_path / "ops.ksf"), "--line", "gross_margin", "-o", str(out)]
    assert main([*args, "--lang", "zh"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert out.read_bytes().startswith(b"\x89PNG")
    assert main([*args, "--lang", "fr"]) == 2


# ---- lines whose clause values are read per row (LANGUAGE.md §9) -------------------------------

GOLDEN = Path(__file__).parent / "golden" / "team_2026_07_realistic"
TEAM = ksf.compile(GOLDEN.with_suffix(".ksf").read_text(encoding="utf-8"), name="team.ksf")
PER_ROW = ksf.compile(
    """
card s {
  store_sales balance (1.1 * last_year_sales) step 10000 reward 50
  commission sales rate own_rate cap own_cap
}
"""
)


def test_a_per_row_balance_point_is_drawn_at_the_given_value() -> None:
    """At target_gm = 25% the curve is the card's line on rows whose target is 25%."""
    curve = plot.curve(TEAM, "operator", "gross_margin", at={"target_gm": 0.25})
    assert curve.marks == (("balance 25%", 0.25),)
    assert curve.bounds == (("cap", 2000.0), ("floor", -1000.0))
    assert curve.notes == ("drawn at per-row values: target_gm = 25%",)
    # The same amounts as the line read per row, the target a column of 25%.
    rows = {"gross_margin": curve.values, "target_gm": np.full(len(curve.values), 0.25)}
    alone = ksf.compile(
        "card o { gross_margin balance target_gm step 1% reward 200 penalty 100 cap 2000 "
        "floor -1000 }"
    )
    np.testing.assert_array_equal(curve.amounts, alone.evaluate(rows)["gross_margin"])
    # 28.5% is 3 whole steps above 25%: 3 × 200 = 600; 21.5% is 3 below: −3 × 100 = −300
    # (the first sample at or past each, inside the same step).
    at = {v: float(curve.amounts[np.searchsorted(curve.values, v)]) for v in (0.285, 0.215)}
    assert at == {0.285: 600.0, 0.215: -300.0}


def test_a_per_row_value_not_given_is_the_median_of_the_cards_rows() -> None:
    """Without `at`, the median of the card's rows in the data is used, and the note says so."""
    data = ksf.io.read_data(GOLDEN.with_suffix(".csv"))
    # The operators' targets 25, 25, 24, 20, 32, 27, 30, 25%: sorted, the middle two are 25%.
    # The leads' empty cells are not rows of the operator card.
    curve = plot.curve(TEAM, "operator", "gross_margin", data=data, lang="zh")
    assert curve.marks == (("平衡点 25%", 0.25),)
    assert curve.notes == ("按行取值画出：target_gm = 25%（数据中位数）",)
    assert curve.notes[0] in _texts(plot.figure_of(curve))
    given = plot.curve(TEAM, "operator", "gross_margin", at={"target_gm": 0.3}, data=data)
    assert given.marks == (("balance 30%", 0.3),)  # `at` wins over the data


def test_a_per_row_value_nowhere_says_what_to_pass_in_both_languages() -> None:
    """Neither `at` nor `data`: one line, English then Chinese, naming --at and --data."""
    with pytest.raises(ValueError, match="--at target_gm=VALUE") as error:
        plot.curve(TEAM, "operator", "gross_margin", lang="zh")
    message = str(error.value)
    assert "\n" not in message
    assert "--data FILE to draw it at the column's median" in message
    assert (
        "请传 --at target_gm=VALUE（如 --at target_gm=25%），或用 --data FILE 取该列的中位数"
        in message
    )


def test_per_row_expressions_and_commission_rates_are_drawn() -> None:
    """An expression is computed at the values; a rate and a cap read per row are numbers."""
    sales = plot.curve(PER_ROW, "s", "store_sales", at={"last_year_sales": 1_000_000})
    assert sales.marks == (("balance 1,100,000", 1_100_000.0),)  # 1.1 × 1,000,000
    commission = plot.curve(
        PER_ROW, "s", "commission_sales", at={"own_rate": 0.02, "own_cap": 5000}
    )
    assert commission.notes == ("drawn at per-row values: own_rate = 2%, own_cap = 5,000",)
    # 2% of the sample at or past 100,000 (2,000 and a little); 2% of 300,000 = 6,000, capped.
    low, high = (int(np.searchsorted(commission.values, v)) for v in (1e5, 3e5))
    assert commission.amounts[low] == pytest.approx(round(0.02 * commission.values[low], 2))
    assert commission.amounts[high] == 5000.0


def test_plot_command_at_and_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--at` and `--data` draw a per-row line; the receipt names the values; bad --at is 2."""
    rules = tmp_path / "team.ksf"
    rules.write_text(GOLDEN.with_suffix(".ksf").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "m.png"
    args = ["plot", str(rules), "--card", "operator", "--line", "gross_margin", "-o", str(out)]
    assert main([*args, "--at", "target_gm=30%"]) == 0
    assert "(drawn at per-row values: target_gm = 30%)" in capsys.readouterr().out
    assert out.read_bytes().startswith(b"\x89PNG")
    assert main([*args, "--data", str(GOLDEN.with_suffix(".csv")), "--lang", "zh"]) == 0
    assert "target_gm = 25%（数据中位数）" in capsys.readouterr().out
    assert main([*args, "--at", "target_gm=lots"]) == 2
    assert "--at takes NAME=NUMBER" in capsys.readouterr().err
    assert main([*args, "--at", "target_gm=1%", "--at", "target_gm=2%"]) == 2
    assert "--at target_gm is given twice" in capsys.readouterr().err
    assert main(args) == 2
    assert "项目 'gross_margin' 的条款按行取值" in capsys.readouterr().err
