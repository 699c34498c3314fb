"""The Chinese spelling of the language (LANGUAGE.md §12): keywords, `万` and ``fmt --lang``.

- the Chinese and the English spelling of a file parse to the same tree and pay the same;
- a file may mix them;
- every rule file of the repository survives ``fmt --lang zh`` and back, and the Chinese
  text has no English keyword left; random trees do too (tests/strategies.py);
- ``100万`` is 1,000,000 and keeps its lexeme; run-together keywords and other units get hints.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

import lark
import pytest
from hypothesis import given
from strategies import rulebooks
from test_format import _all_texts

import ksf
from ksf.cli import main
from ksf.dsl import parser
from ksf.dsl.format import format_rulebook
from ksf.dsl.format_expr import ENGLISH_KEYWORDS
from ksf.rulebook import format_text
from ksf.source import Source
from ksf.spelling import EN, ZH, mostly

ROOT = Path(__file__).resolve().parents[1]

# LANGUAGE.md §12's example, as written there, and its English spelling.
SECTION_12 = """\
计薪卡 运营 "运营推广" {
  底薪 5000
  毛利率 平衡点 25% 每 1% 奖励 200 扣减 100 封顶 3000 保底 -1500
  推广费效比 平衡点 1:3 每 0.1 奖励 80
  提成 销售额 比例 0.5%
  最低工资 2360
}
"""
SECTION_12_EN = """\
card 运营 "运营推广" {
  base 5000
  毛利率 balance 25% step 1% reward 200 penalty 100 cap 3000 floor -1500
  推广费效比 balance 1:3 step 0.1 reward 80
  commission 销售额 rate 0.5%
  min_pay 2360
}
"""


def tree(text: str) -> object:
    return parser.parse(Source(text))


@functools.cache
def _keeping_parser() -> lark.Lark:
    """The grammar with every token kept in the tree, to tell keywords from names."""
    grammar = resources.files("ksf.dsl").joinpath("grammar.lark").read_text("utf-8")
    return lark.Lark(grammar, parser="lalr", lexer="contextual", keep_all_tokens=True)


def _keywords_used(text: str) -> set[str]:
    """The keywords of rule text as the parser reads them (a name spelling one is a name)."""
    tokens = _keeping_parser().parse(text).scan_values(lambda t: isinstance(t, lark.Token))
    return {t.value for t in tokens if t.type != "NAME" and t.value.isidentifier()}


def _code_words(text: str) -> list[str]:
    """The words of rule text outside comments and labels."""
    code = re.sub(r'"[^"\n]*"|#[^\n]*', " ", text)
    return re.findall(r"[^\W\d]\w*", code)


def test_section_12_example_pays_as_its_english_spelling() -> None:
    """§12's card and its English spelling: one tree, one payroll, worked by hand."""
    assert tree(SECTION_12) == tree(SECTION_12_EN)
    data = {
        "毛利率": [0.285, 0.10, 0.45],
        "推广费效比": [3.45, 1.5, 3.0],
        "销售额": [200_000, 0, 1_234_567],
    }
    chinese = ksf.compile(SECTION_12).evaluate(data)
    english = ksf.compile(SECTION_12_EN).evaluate(data)
    # row 0: 28.5% is 3.5 steps above 25% → 3 × 200 = 600; 3.45 is 4.5 steps above 3 → 4 × 80
    #        = 320; 200,000 × 0.5% = 1000; 5000 + 600 + 320 + 1000 = 6920, above the minimum
    # row 1: 10% is 15 steps below → −15 × 100 = −1500 (the floor, just); 1.5 is 15 steps
    #        below → −15 × 80 = −1200 (penalty defaults to reward); 5000 − 1500 − 1200 + 0
    #        = 2300, topped up by 60 to 2360
    # row 2: 45% is 20 steps above → 4000, capped at 3000; 3.0 is the balance point → 0;
    #        1,234,567 × 0.5% = 6172.835 → 6172.84; 5000 + 3000 + 6172.84 = 14172.84
    assert chinese["毛利率"].tolist() == [600.0, -1500.0, 3000.0]
    assert chinese["推广费效比"].tolist() == [320.0, -1200.0, 0.0]
    assert chinese["commission_销售额"].tolist() == [1000.0, 0.0, 6172.84]
    assert chinese["min_pay_topup"].tolist() == [0.0, 60.0, 0.0]
    assert chinese.total.tolist() == [6920.0, 2360.0, 14172.84]
    assert chinese.lines == english.lines
    for line in english.lines:
        assert chinese[line].tolist() == english[line].tolist()
    assert chinese.total.tolist() == english.total.tolist()


def test_section_12_example_formats_both_ways() -> None:
    """``fmt --lang en`` writes §12's card in English, and ``--lang zh`` back as written."""
    assert format_text(SECTION_12, lang="en") == SECTION_12_EN
    assert format_text(SECTION_12_EN, lang="zh") == SECTION_12
    assert format_text(SECTION_12) == SECTION_12  # Chinese already: kept Chinese


@pytest.mark.parametrize("text", _all_texts())
def test_every_rule_file_round_trips_through_chinese(text: str) -> None:
    """Golden, example, tests/fmt and docs files: to Chinese and back is the same tree, and
    the Chinese text uses no English keyword (names that spell one aside)."""
    original = tree(text)
    chinese = format_text(text, lang="zh")
    assert tree(chinese) == original
    assert tree(format_text(chinese, lang="en")) == original
    assert format_text(chinese) == chinese  # mostly Chinese now: plain fmt keeps it
    assert format_text(chinese, lang="zh") == chinese
    assert not _keywords_used(chinese) & ENGLISH_KEYWORDS
    assert not _keywords_used(format_text(text, lang="en")) & set(EN)


def test_golden_files_are_covered() -> None:
    """The round trip above runs over every golden file and every tests/fmt file."""
    ids = {p.id for p in _all_texts()}  # type: ignore[attr-defined]
    for folder in ("golden", "fmt"):
        for path in (ROOT / "tests" / folder).glob("*.ksf"):
            assert f"tests/{folder}/{path.name}" in ids


@given(rulebooks)
def test_random_trees_round_trip_in_chinese(book: object) -> None:
    """A tree built in code, printed with Chinese keywords, parses back to the same tree."""
    assert isinstance(book, parser.ast.Rulebook)
    text = format_rulebook(book, "zh")
    assert tree(text) == book
    assert format_text(text, lang="zh") == text


def test_a_file_may_mix_the_spellings() -> None:
    """English and Chinese keywords in one file, even in one line, mean the same."""
    mixed = """\
currency CNY
取整 0.01 half_up
table coef { >= 90 : 1.2; 其他 : 1 }
计薪卡 运营 {
  base 5000
  毛利率 平衡点 25% step 1% 奖励 200 penalty 100 cap 3000 保底 -1500
  奖金 15% 的 利润 when 考核分 >= 60 且 not 违规 as 季度奖
  commission 销售额 比例 0.5% 乘以 coef(考核分) 记为 提成
  缺失按 零
}
"""
    english = """\
currency CNY
rounding 0.01 half_up
table coef { >= 90 : 1.2; else : 1 }
card 运营 {
  base 5000
  毛利率 balance 25% step 1% reward 200 penalty 100 cap 3000 floor -1500
  bonus 15% of 利润 when 考核分 >= 60 and not 违规 as 季度奖
  commission 销售额 rate 0.5% scaled_by coef(考核分) as 提成
  missing as zero
}
"""
    assert tree(mixed) == tree(english)
    data = {"毛利率": [0.27], "利润": [10_000], "考核分": [95], "违规": [0], "销售额": [100_000]}
    pay = ksf.compile(mixed).evaluate(data)
    # 5000 + 2 × 200 + 15% × 10,000 + 100,000 × 0.5% × 1.2 = 5000 + 400 + 1500 + 600
    assert pay.total.tolist() == [7500.0]
    assert format_text(mixed, lang="en") == format_text(english)


def test_plain_fmt_keeps_the_spelling_most_keywords_use() -> None:
    """Without ``--lang``, a mostly Chinese file comes out Chinese; an even one English."""
    mostly_chinese = "计薪卡 a { 底薪 5000; x balance 1 每 1 奖励 10 }"
    assert format_text(mostly_chinese) == "计薪卡 a {\n  底薪 5000\n  x 平衡点 1 每 1 奖励 10\n}\n"
    even = "card a { 底薪 5000 }"
    assert mostly(even) == "en"
    assert format_text(even) == "card a {\n  base 5000\n}\n"


def test_missing_and_rounding_values_in_chinese() -> None:
    """``缺失按 零`` is ``missing as zero``, ``缺失按 平衡点`` ``missing as balance``,
    ``四舍五入`` ``half_up``."""
    assert tree("计薪卡 a { 缺失按 零 }") == tree("card a { missing as zero }")
    assert tree("计薪卡 a { 缺失按 平衡点 }") == tree("card a { missing as balance }")
    assert tree("取整 1 四舍五入") == tree("rounding 1 half_up")
    assert format_text("card a { missing as zero }\nrounding 1 half_up", lang="zh") == (
        "计薪卡 a {\n  缺失按 零\n}\n\n取整 1 四舍五入\n"
    )
    book = ksf.compile("计薪卡 a { 缺失按 零; 毛利率 平衡点 10% 每 1% 奖励 10 }")
    # the missing margin is taken as 0: 10 steps below 10% → −10 × 10
    assert book.evaluate({"毛利率": [float("nan")]}).total.tolist() == [-100.0]


def test_every_section_12_keyword_parses_to_its_english_one() -> None:
    """Each Chinese spelling, in a statement that uses it, gives the English statement's tree."""
    pairs = [
        ("指标 毛利 = (收入 - 成本) / 收入 percent 越高越好",
         "indicator 毛利 = (收入 - 成本) / 收入 percent higher_is_better"),
        ("数据列 订单数 count >= 0", "column 订单数 count >= 0"),
        ("币种 CNY", "currency CNY"),
        ("语言 zh", "language zh"),
        ("考核 kpi { a 权重 60% 底线 90% 目标 100% 挑战 110%; b 权重 40% 底线 9 目标 5 挑战 1 "
         "越低越好; 分值 60 100 120 }",
         "score kpi { a weight 60% baseline 90% target 100% challenge 110%; b weight 40% "
         "baseline 9 target 5 challenge 1 lower_is_better; points 60 100 120 }"),
        ("奖金池 p 按组 team { 利润 超出 1200000 分享 20%; 分配按 w; 封顶 500000 }",
         "pool p per team { 利润 above 1200000 share 20%; split by w; cap 500000 }"),
        ("计薪卡 c { 分享 p 记为 分红; 补贴 300 记为 房补; 底薪 按 职级 { A: 1, B: 2 } }",
         "card c { share p as 分红; allowance 300 as 房补; base by 职级 { A: 1, B: 2 } }"),
        ("计薪卡 c { x 分配 1400 平衡点 1 每 1 奖励 1 超过 5 奖励 2 超过 -3 扣减 2 "
         "按比例 越低越好 }",
         "card c { x pot 1400 balance 1 step 1 reward 1 beyond 5 reward 2 beyond -3 penalty 2 "
         "prorate lower_is_better }"),
        ("计薪卡 c { 提成 s 比例 1% 超过 100 比例 2% 全额累进 当 非 x 或 y }",
         "card c { commission s rate 1% beyond 100 rate 2% retroactive when not x or y }"),
        ("计薪卡 c 生效 2026-07 { 底薪 1 }", "card c effective 2026-07 { base 1 }"),
        ("计薪卡 c { 提成 sum(s 按 team) 比例 1% 当 rank(x 按 全体) <= 3 }",
         "card c { commission sum(s over team) rate 1% when rank(x over all) <= 3 }"),
    ]  # fmt: skip
    used = set()
    for chinese, english in pairs:
        assert tree(chinese) == tree(english), chinese
        used |= set(_code_words(chinese)) & set(EN)
    used |= {"的", "乘以", "其他", "取整", "系数表", "奖金", "最低工资", "缺失按", "且", "保底"}
    assert used == set(EN)  # every Chinese keyword has been tried here or above


def test_keyword_table_is_documented() -> None:
    """docs/language.md lists every keyword in both spellings, as `ksf.spelling` has them."""
    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    text = text.split("### Chinese keywords (中文关键字)")[1].split("\n## ")[0]
    rows = re.findall(r"^\| `([a-z_ ]+)` \| `(\S+)` \|", text, flags=re.MULTILINE)
    assert dict(rows) == ZH


# ---- 万 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lexeme", "value"),
    [("100万", 1_000_000.0), ("1.5万", 15_000.0), ("1_000万", 10_000_000.0), ("0.0001万", 1.0)],
)
def test_wan_multiplies_by_ten_thousand(lexeme: str, value: float) -> None:
    """A number ending in 万 is ten thousand times the number; the lexeme is kept for fmt."""
    book = tree(f"card a {{ base {lexeme} }}")
    amount = book.statements[0].items[0].amount  # type: ignore[attr-defined]
    assert (amount.value, amount.text) == (value, lexeme)
    assert format_text(f"card a {{ base {lexeme} }}") == f"card a {{\n  base {lexeme}\n}}\n"


def test_wan_in_rules_pays() -> None:
    """万 in a commission tier, a balance point and a table row: values as written out."""
    book = ksf.compile(
        """\
table coef { >= 50万 : 1.2; 其他 : 1 }
计薪卡 a {
  提成 销售额 比例 1% 超过 100万 比例 2% 乘以 coef(销售额)
  店销售 平衡点 82万 每 5000 奖励 15 记为 店
  底薪 -0.5万
}
"""
    )
    pay = book.evaluate({"销售额": [1_500_000, 400_000], "店销售": [835_000, 820_000]})
    # row 0: (1,000,000 × 1% + 500,000 × 2%) × 1.2 = 24,000; 835,000 is 3 steps above 820,000
    # row 1: 400,000 × 1% × 1 = 4000; at the balance point → 0
    assert pay["commission_销售额"].tolist() == [24_000.0, 4000.0]
    assert pay["店"].tolist() == [45.0, 0.0]
    assert pay["base"].tolist() == [-5000.0, -5000.0]


def test_wan_limits_and_mistakes() -> None:
    """Past the number range, with % or apart from its number, 万 is a syntax error."""
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("card a { base 100000000000万 }")
    assert error.value.message == "the number 100000000000万 is too large"
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("card a { base 5万% }")
    assert error.value.message.startswith("'%' must follow a plain number")
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("card a { base 100 万 }")
    assert error.value.hint == "write 万 right after the number, without a space: 100万"
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("card a { base 100万元 }")
    assert error.value.hint == "numbers carry no unit: write 100万 for 100万元"
    for text in ("card a { base 1:3万 }", "card a { base 5%万 }"):
        with pytest.raises(ksf.KsfSyntaxError) as error:
            ksf.compile(text)
        assert error.value.hint == (
            "only a plain number takes 万 (100万), not a percentage or a ratio"
        )
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("card a { base 3亿 }")
    assert error.value.hint == "numbers carry no unit but 万: write 300000000 for 3亿"


# ---- hints ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("计薪卡 a { 毛利率平衡点 25% 每 1% 奖励 200 }", "did you mean `毛利率 平衡点`?"),
        # a per-row balance point whose column starts with a keyword (目标): the slip is before
        ("计薪卡 a { 毛利率平衡点 目标毛利率 每 1% 奖励 200 }", "did you mean `毛利率 平衡点`?"),
        ("计薪卡 a { 提成 销售额比例 0.5% }", "did you mean `销售额 比例`?"),
        ("计薪卡 a { 毛利率 平衡点 25% 每1% 奖励 200 }", "did you mean `每 1`?"),
        ("计薪卡 a { 毛利率 平衡点 25% 每 1% 奖励200 }", "did you mean `奖励 200`?"),
        ("计薪卡 a {\n  底薪5000\n}", "did you mean `底薪 5000`?"),
    ],
)
def test_a_keyword_run_into_a_name_gets_a_hint(text: str, hint: str) -> None:
    """Keywords are whole words: a name (or number) written onto one gets the space back."""
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile(text)
    assert error.value.hint == f"keywords are separated from names by spaces: {hint}"


def test_chinese_words_that_are_not_keywords_get_hints() -> None:
    """步长 is not the keyword (每 is); 保底 is `floor`, not a minimum pay; 平衡 is close."""
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("计薪卡 a { x 平衡点 1 步长 1 奖励 1 }")
    assert error.value.hint == "'步长' is not a keyword: write '每' (or 'step')"
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("计薪卡 a {\n  保底 2360\n}")
    assert (
        error.value.hint
        == "'保底' is `floor`, a clause of a rule; a minimum pay is '最低工资 2360'"
    )
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("计薪卡 a { x 平衡 1 每 1 奖励 1 }")
    assert error.value.hint == "did you mean '平衡点'?"


def test_statement_hints_know_the_chinese_keywords() -> None:
    """A misspelt Chinese statement word, and a Chinese clause on the next line, get the
    hints their English twins get."""
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("计薪卡 a {\n  最低工次 2360\n}")
    assert (error.value.message, error.value.hint) == (
        "unknown statement '最低工次'",
        "did you mean '最低工资'?",
    )
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("计薪卡 a {\n  毛利率 平衡点 25% 每 1%\n  奖励 200\n}")
    assert error.value.hint == (
        "a statement ends at the end of its line: if `奖励` belongs to the statement on "
        "line 2, move it to the end of that line"
    )


def test_syntax_errors_list_keywords_in_the_files_spelling() -> None:
    """The expected keywords are listed once, as most of the file's keywords are spelt."""
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("card a { x balance 1 step 1 reward 1 beyond 3 }")
    assert error.value.message == "unexpected '}'; expected 'penalty', 'rate', 'reward'"
    with pytest.raises(ksf.KsfSyntaxError) as error:
        # `base` takes a name too (LANGUAGE.md 9), and Lark leaves `by` out where one fits
        ksf.compile("计薪卡 a { 底薪 , }")
    assert error.value.message == (
        "unexpected ','; expected '(', '-', a name, a number, a percentage, a ratio like 1:3"
    )
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("计薪卡 a { 缺失按 零 }\n计薪卡 b { x 平衡点 1 每 1 奖励 1 超过 3 }")
    assert error.value.message == "unexpected '}'; expected '奖励', '扣减', '比例'"


def test_every_error_is_found_after_a_chinese_statement() -> None:
    """After an error, parsing resumes at the next 计薪卡 (or any statement) as at `card`."""
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.compile("计薪卡 a {\n  底薪 100\n\n计薪卡 b {\n  底薪 ,\n}\n计薪卡 c { 底薪 100 x }\n")
    found = [(e.span.line, e.message.split(";")[0]) for e in error.value.errors]
    assert found == [
        (4, "the block opened on line 1 is not closed"),
        (5, "unexpected ','"),
        (7, "unexpected name 'x'"),
    ]


def test_names_that_spell_chinese_keywords_where_no_keyword_fits() -> None:
    """As in English, a keyword's spelling is a name wherever only a name fits."""
    text = "card a { 比例 balance 10% step 1% reward 50; bonus 100 * 权重 as 加权 }"
    pay = ksf.compile(text).evaluate({"比例": [0.13], "权重": [2]})
    assert pay["比例"].tolist() == [150.0]  # 3 steps × 50
    assert pay["加权"].tolist() == [200.0]
    guarded = "card a { (底薪) balance 1000 step 100 reward 10 as 底薪项 }"
    assert (
        format_text(guarded, lang="zh")
        == "计薪卡 a {\n  (底薪) 平衡点 1000 每 100 奖励 10 记为 底薪项\n}\n"
    )
    assert tree(format_text(guarded, lang="zh")) == tree(guarded)


# ---- the command and the API ----------------------------------------------------------------


def test_fmt_command_rewrites_in_one_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``ksf fmt --lang zh`` and ``--lang en`` rewrite the file; ``--check`` says it differs."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pay.ksf").write_text(SECTION_12_EN, encoding="utf-8")
    assert main(["fmt", "--check", "--lang", "zh", "pay.ksf"]) == 1
    assert capsys.readouterr().err == "pay.ksf：需要重新排版\n"  # --lang zh: said in Chinese
    assert main(["fmt", "--lang", "zh", "pay.ksf"]) == 0
    assert (tmp_path / "pay.ksf").read_text(encoding="utf-8") == SECTION_12
    assert main(["fmt", "pay.ksf"]) == 0  # no --lang: stays Chinese
    assert "pay.ksf: already formatted" in capsys.readouterr().out
    assert main(["fmt", "--lang", "en", "pay.ksf"]) == 0
    assert (tmp_path / "pay.ksf").read_text(encoding="utf-8") == SECTION_12_EN


def test_fmt_command_refuses_another_language(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang fr`` is a usage error (exit 2), and the API refuses it too."""
    assert main(["fmt", "--lang", "fr", "pay.ksf"]) == 2
    assert "--lang" in capsys.readouterr().err
    with pytest.raises(ValueError, match="lang must be 'en' or 'zh'"):
        format_text("card a {}", lang="fr")  # type: ignore[arg-type]


def test_a_chinese_keyword_with_one_character_wrong_gets_a_did_you_mean() -> None:
    """`奖历` (a homophone slip) where `奖励` is expected: the hint names `奖励`, not `奖金`."""
    text = "语言 zh\n计薪卡 a {\n  底薪 100\n  毛利率 平衡点 30% 每 1% 奖历 200\n}\n"
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.compile(text)
    assert info.value.hint == "did you mean '奖励'?"
    assert "是不是要写 '奖励'" in info.value.render("zh")


def test_a_one_character_slip_in_a_name_is_not_a_keyword() -> None:
    """`奖历` standing where a name may stand is a name: `bonus 奖历` reads the column 奖历."""
    book = ksf.compile("计薪卡 a {\n  奖金 奖历 * 2\n}\n")
    assert book.evaluate({"奖历": [5.0]}).total.tolist() == [10.0]


def test_a_comma_between_clauses_is_not_called_a_thousands_comma() -> None:
    """`奖励 200, 扣减 100` (a full-width comma made half-width): delete it; `6,000`: thousands."""
    text = "语言 zh\n计薪卡 a {\n  底薪 100\n  毛利率 平衡点 25% 每 1% 奖励 200, 扣减 100\n}\n"
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.compile(text)
    assert info.value.hint == "clauses are separated by spaces: delete the comma"
    assert "子句之间用空格分隔：删去逗号" in info.value.render("zh")
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.compile("card a {\n  base 6,000\n}\n")
    assert info.value.hint == "write thousands without commas: 6000 or 6_000"
