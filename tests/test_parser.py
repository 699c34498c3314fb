"""The parser stage: AST shapes and spans, error rendering pinned byte for byte, threads."""

from __future__ import annotations

import concurrent.futures
from textwrap import dedent

import pytest

import ksf
from ksf.dsl import ast, grammar
from ksf.dsl import to_ast as to_ast_module
from ksf.dsl.parser import parse
from ksf.source import WINDOW, Source, Span, display_width


def parse_text(text: str) -> ast.Rulebook:
    """Parse rule text named ``pay.ksf``."""
    return parse(Source(text, "pay.ksf"))


def only_item(text: str) -> ast.CardItem:
    """The single line of the single card in ``text``."""
    (card,) = parse_text(text).statements
    assert isinstance(card, ast.Card)
    (item,) = card.items
    return item


def expr_of(source: str) -> ast.Expr:
    """The expression of ``bonus SOURCE``."""
    item = only_item(f"card c {{ bonus {source} }}")
    assert isinstance(item, ast.Bonus)
    return item.expr


def num(value: float, text: str) -> ast.Number:
    """A number literal node."""
    return ast.Number(value, text)


def name(text: str) -> ast.Name:
    """A name node."""
    return ast.Name(text)


def clause(keyword: str, value: ast.Expr | str | None = None) -> ast.Clause:
    """A clause node."""
    return ast.Clause(keyword, value)


# ---- AST shapes ----------------------------------------------------------------------------

EXPRESSIONS = [
    ("a + b * c", ast.Binary("+", name("a"), ast.Binary("*", name("b"), name("c")))),
    ("a - b - c", ast.Binary("-", ast.Binary("-", name("a"), name("b")), name("c"))),
    ("(a - b) / a", ast.Binary("/", ast.Binary("-", name("a"), name("b")), name("a"))),
    ("-a * b", ast.Binary("*", ast.Unary("-", name("a")), name("b"))),
    ("15% of x * 2", ast.Binary("*", ast.Binary("of", num(0.15, "15%"), name("x")), num(2, "2"))),
    ("min(a, 0)", ast.Call("min", (name("a"), num(0, "0")))),
    ("abs(a - b)", ast.Call("abs", (ast.Binary("-", name("a"), name("b")),))),
    ("perf(kpi_score)", ast.Call("perf", (name("kpi_score"),))),
    ("毛利率 * 100", ast.Binary("*", name("毛利率"), num(100, "100"))),
    ("1:3", num(3.0, "1:3")),
    ("0.1%", num(0.001, "0.1%")),
    ("1_200_000", num(1_200_000, "1_200_000")),
]


@pytest.mark.parametrize(
    ("source", "expected"), EXPRESSIONS, ids=[source for source, _ in EXPRESSIONS]
)
def test_expression_shape(source, expected):
    """Precedence, calls and literals parse into the expected expression tree."""
    assert expr_of(source) == expected


CONDITIONS = [
    ("a > 1", ast.Binary(">", name("a"), num(1, "1"))),
    ("a + 1 >= b", ast.Binary(">=", ast.Binary("+", name("a"), num(1, "1")), name("b"))),
    (
        "not a and b or c",
        ast.Binary("or", ast.Binary("and", ast.Unary("not", name("a")), name("b")), name("c")),
    ),
    (
        "a != 0 and not b",
        ast.Binary("and", ast.Binary("!=", name("a"), num(0, "0")), ast.Unary("not", name("b"))),
    ),
]


@pytest.mark.parametrize(("source", "expected"), CONDITIONS, ids=[s for s, _ in CONDITIONS])
def test_condition_shape(source, expected):
    """`when` conditions bind comparisons tighter than `not`, `and` tighter than `or`."""
    item = only_item(f"card c {{ bonus 100 when {source} }}")
    assert item == ast.Bonus(num(100, "100"), (clause("when", expected),))


def test_balance_rule_shape():
    """A balance rule keeps every clause, in order, with numbers decoded once."""
    item = only_item(
        "card c {\n  gross_margin pot 1400 balance 30% step 1% reward 200 "
        "beyond 35% reward 300 floor -1500 lower_is_better as gm\n}"
    )
    assert item == ast.Rule(
        name("gross_margin"),
        (
            clause("pot", num(1400, "1400")),
            clause("balance", num(0.3, "30%")),
            clause("step", num(0.01, "1%")),
            clause("reward", num(200, "200")),
            ast.Beyond(num(0.35, "35%"), "reward", num(300, "300")),
            clause("floor", num(-1500, "-1500")),
            clause("lower_is_better"),
            clause("as", "gm"),
        ),
    )


def test_commission_shape():
    """A tiered commission keeps its `beyond … rate` tiers and flags."""
    item = only_item("card c { commission sales rate 0.75% beyond 1_200_000 rate 1% retroactive }")
    assert item == ast.Commission(
        name("sales"),
        (
            clause("rate", num(0.0075, "0.75%")),
            ast.Beyond(num(1_200_000, "1_200_000"), "rate", num(0.01, "1%")),
            clause("retroactive"),
        ),
    )


def test_fixed_lines_shape():
    """`base`, `allowance … as`, and `base by grade { … }` become Fixed nodes."""
    (card,) = parse_text(
        'card c "运营" {\n  base by grade { A: 9000, "B+": 7500 }\n  allowance 300 as housing\n}'
    ).statements
    assert card == ast.Card(
        "c",
        "运营",
        (
            ast.Fixed(
                "base",
                None,
                by="grade",
                entries=(
                    ast.Entry("A", num(9000, "9000")),
                    ast.Entry("B+", num(7500, "7500")),
                ),
            ),
            ast.Fixed("allowance", num(300, "300"), alias="housing"),
        ),
    )


def test_other_card_lines_shape():
    """`share`, `min_pay` and `missing as` parse into their own nodes."""
    (card,) = parse_text(
        "card c {\n  share partners as 分红\n  min_pay 2360\n  missing as balance\n}"
    ).statements
    assert card.items == (
        ast.Share("partners", "分红"),
        ast.MinPay(num(2360, "2360")),
        ast.Missing("balance"),
    )


def test_table_rows_read_colon_as_separator():
    """`>= 90:1.2` is threshold 90 and value 1.2, never the ratio 90:1.2."""
    (table,) = parse_text("table perf {\n  >= 90:1.2\n  < 60 : -0.5\n  else: 0\n}").statements
    assert table == ast.Table(
        "perf",
        (
            ast.TableRow(">=", num(90, "90"), num(1.2, "1.2")),
            ast.TableRow("<", num(60, "60"), num(-0.5, "-0.5")),
            ast.TableRow(None, None, num(0, "0")),
        ),
    )


def test_top_level_statements_shape():
    """Settings, an indicator, a score and a pool parse into their nodes."""
    statements = parse_text(
        "currency CNY; rounding 1 half_up\n"
        "indicator gm = (revenue - cogs) / revenue  percent higher_is_better\n"
        "score kpi { sales weight 100% baseline 90% target 100% challenge 110%\n"
        "  points 60 100 120 }\n"
        "pool partners per team { profit above 1200000 share 20%; split by w; cap 500000 }\n"
    ).statements
    assert statements == (
        ast.Currency("CNY"),
        ast.Rounding(num(1, "1"), "half_up"),
        ast.Indicator(
            "gm",
            ast.Binary("/", ast.Binary("-", name("revenue"), name("cogs")), name("revenue")),
            "percent",
            "higher_is_better",
        ),
        ast.Score(
            "kpi",
            (
                ast.Kpi(
                    name("sales"),
                    (
                        clause("weight", num(1.0, "100%")),
                        clause("baseline", num(0.9, "90%")),
                        clause("target", num(1.0, "100%")),
                        clause("challenge", num(1.1, "110%")),
                    ),
                ),
            ),
            (num(60, "60"), num(100, "100"), num(120, "120")),
        ),
        ast.Pool(
            "partners",
            "team",
            (
                ast.PoolAmount(
                    name("profit"),
                    (clause("above", num(1_200_000, "1200000")), clause("share", num(0.2, "20%"))),
                ),
            ),
            (clause("split_by", "w"),),
            (clause("cap", num(500_000, "500000")),),
        ),
    )


def test_layout_does_not_change_the_tree():
    """Comments, blank lines, `;` and spacing change spans but not AST equality."""
    compact = parse_text("card c { base 6000; bonus (a+b)*2 when a>1 }")
    spread = parse_text(
        "# pay\n\ncard c {\n    base 6000   # fixed\n\n    bonus (a + b) * 2   when a > 1\n}\n"
    )
    assert compact == spread
    assert compact.statements[0].span != spread.statements[0].span


def test_empty_and_comment_only_files_parse():
    """A file with nothing but comments is an empty rulebook."""
    assert parse_text("") == ast.Rulebook(())
    assert parse_text("# nothing yet\n\n# still nothing\n") == ast.Rulebook(())


# ---- spans ---------------------------------------------------------------------------------


def test_indicator_spans():
    """An indicator spans its statement; its name and expression have their own spans."""
    (indicator,) = parse_text(
        "indicator gross_margin = (revenue - cogs) / revenue  percent"
    ).statements
    assert indicator.span == Span(1, 1, 1, 61)
    assert indicator.name_span == Span(1, 11, 1, 23)
    assert indicator.expr.span == Span(1, 26, 1, 52)
    assert indicator.expr.right.span == Span(1, 45, 1, 52)


def test_clause_spans_cover_keyword_and_value():
    """`step 1%` spans keyword and value; the value spans only the literal."""
    item = only_item(
        "card c {\n  gross_margin balance 30% step -1% reward 200 beyond 35% reward 300\n}"
    )
    assert item.span == Span(2, 3, 2, 69)
    assert item.expr.span == Span(2, 3, 2, 15)
    step = item.clauses[1]
    assert step.span == Span(2, 28, 2, 36)
    assert step.value.span == Span(2, 33, 2, 36)
    beyond = item.clauses[3]
    assert beyond.span == Span(2, 48, 2, 69)
    assert beyond.at.span == Span(2, 55, 2, 58)


def test_call_spans_name_the_function():
    """A call spans the whole call; `func_span` covers the function name only."""
    call = expr_of("max(a, 0)")
    assert call.span == Span(1, 16, 1, 25)
    assert call.func_span == Span(1, 16, 1, 19)


def test_spans_count_characters_not_display_cells():
    """Columns count characters: `毛利率` spans three columns, whatever its screen width."""
    item = only_item("card 产品开发 {\n  毛利率 balance 30% step 1% reward 200\n}")
    assert item.expr.span == Span(2, 3, 2, 6)
    assert item.clauses[0].span == Span(2, 7, 2, 18)


def test_card_spans_several_lines():
    """A card spans from `card` to its closing brace; `name_span` covers its name."""
    (card,) = parse_text("\ncard operator {\n  base 6000\n}\n").statements
    assert card.span == Span(2, 1, 4, 2)
    assert card.name_span == Span(2, 6, 2, 14)
    assert card.items[0].span == Span(3, 3, 3, 12)


# ---- rendering, pinned byte for byte -------------------------------------------------------


def rendered(text: str, data: dict[str, list[float]] | None = None) -> str:
    """``str()`` of the error that compiling (and evaluating) ``text`` raises."""
    with pytest.raises(ksf.KsfError) as info:
        ksf.compile(text, name="pay.ksf").evaluate(data or {"x": [1.0]})
    return str(info.value)


def test_render_compile_error():
    """Head, the previous line, the line, a caret run under the clause, and the hint."""
    text = (
        "card product_developer {\n  base 6000\n  gross_margin balance 30% step 1% reward -200\n}\n"
    )
    assert rendered(text) == dedent(
        """\
        pay.ksf:3:36: error: the reward must be 0 or more
        2 |   base 6000
        3 |   gross_margin balance 30% step 1% reward -200
          |                                    ^^^^^^^^^^^
        hint: the direction decides which side pays; amounts are never negative"""
    )


def test_render_syntax_error():
    """An unexpected character gets one caret and no hint line."""
    assert rendered("card operator {\n  base 6000 $\n}\n") == dedent(
        """\
        pay.ksf:2:13: error: unexpected character '$'
        1 | card operator {
        2 |   base 6000 $
          |             ^"""
    )


def test_render_error_on_the_first_line():
    """The first line has no previous line to show."""
    assert rendered("card operator { base 6000 $ }\n") == dedent(
        """\
        pay.ksf:1:27: error: unexpected character '$'
        1 | card operator { base 6000 $ }
          |                           ^"""
    )


def test_render_unexpected_token():
    """An unexpected token lists what could have come instead, by human names."""
    assert rendered("card operator {\n  bonus orders ** 2\n}\n") == dedent(
        """\
        pay.ksf:2:17: error: unexpected '*'; expected '(', '-', a name, a number, a percentage, a ratio like 1:3
        1 | card operator {
        2 |   bonus orders ** 2
          |                 ^"""  # noqa: E501 - the pinned line is as long as the message
    )


def test_render_end_of_file():
    """An end-of-file error points just past the end of the last line."""
    assert rendered("card operator {\n  bonus orders *") == dedent(
        """\
        pay.ksf:2:17: error: the file ends in the middle of a statement
        1 | card operator {
        2 |   bonus orders *
          |                 ^
        hint: expected '(', '-', a name, a number, a percentage, a ratio like 1:3"""
    )


def test_render_caret_after_wide_characters():
    """CJK characters before the span take two cells each, so the caret lands under `step 0`."""
    text = "card 产品开发 {\n  毛利率 balance 30% step 0 reward 200\n}\n"
    assert rendered(text) == dedent(
        """\
        pay.ksf:2:19: error: the step must be greater than 0
        1 | card 产品开发 {
        2 |   毛利率 balance 30% step 0 reward 200
          |                      ^^^^^^"""
    )


def test_render_full_width_space_after_wide_characters():
    """The IME's full-width space is two cells wide, after three CJK characters of two."""
    text = "card 运营 {\n  毛利率\u3000balance 30% step 1% reward 200\n}\n"
    assert rendered(text) == dedent(
        """\
        pay.ksf:2:6: error: unexpected character '\\u3000'
        1 | card 运营 {
        2 |   毛利率\u3000balance 30% step 1% reward 200
          |         ^^
        hint: this is a full-width space; type an ordinary space instead"""
    )


def test_render_end_of_file_in_an_open_card():
    """A card never closed: the hint names the line of its `{`, not the next tokens."""
    assert rendered("# 运营\ncard 运营 {\n  base 4000\n") == dedent(
        """\
        pay.ksf:3:12: error: the file ends in the middle of a statement
        2 | card 运营 {
        3 |   base 4000
          |            ^
        hint: the block opened on line 2 is not closed: add '}' at the end"""
    )


def test_render_caret_under_wide_characters():
    """A span of two CJK characters is underlined by four carets."""
    text = "card 产品开发 {\n  bonus 毛利(x) * 100\n}\n"
    assert rendered(text) == dedent(
        """\
        pay.ksf:2:9: error: unknown function or table `毛利`
        1 | card 产品开发 {
        2 |   bonus 毛利(x) * 100
          |         ^^^^
        hint: functions are min, max, abs and the file's tables"""
    )


def test_render_bind_time_error_under_a_chinese_name():
    """An unknown Chinese name at bind time is underlined cell for cell, with a suggestion."""
    text = "card 产品开发 {\n  毛利 balance 30% step 1% reward 200\n}\n"
    assert rendered(text, {"毛利率": [0.3]}) == dedent(
        """\
        pay.ksf:2:3: error: unknown name `毛利`
        1 | card 产品开发 {
        2 |   毛利 balance 30% step 1% reward 200
          |   ^^^^
        hint: did you mean '毛利率'?"""
    )


def test_render_tab_indented_line():
    """A leading tab is shown as four spaces and the caret counts it as four cells."""
    text = "card operator {\n\tgross_margin balance 30% step 0 reward 200\n}\n"
    assert rendered(text) == dedent(
        """\
        pay.ksf:2:27: error: the step must be greater than 0
        1 | card operator {
        2 |     gross_margin balance 30% step 0 reward 200
          |                              ^^^^^^"""
    )


def test_render_tab_inside_a_line():
    """A tab after text expands to the next tab stop, and the caret follows it."""
    text = "card operator {\n\tbonus orders\t$ 2\n}\n"
    assert rendered(text) == dedent(
        """\
        pay.ksf:2:15: error: unexpected character '$'
        1 | card operator {
        2 |     bonus orders    $ 2
          |                     ^"""
    )


def test_render_long_line_windowed_at_its_end():
    """A long line is cut to a window ending at the line's end, marked by a leading '…'."""
    terms = " + ".join(f"x{i}" for i in range(60))
    text = f"card operator {{\n  bonus {terms} + foo(1)\n}}\n"
    assert rendered(text) == dedent(
        """\
        pay.ksf:2:359: error: unknown function or table `foo`
        1 | card operator {
        2 | …+ x52 + x53 + x54 + x55 + x56 + x57 + x58 + x59 + foo(1)
          |                                                    ^^^
        hint: functions are min, max, abs and the file's tables"""
    )


def test_render_long_line_windowed_on_both_sides():
    """An error in the middle of a long line shows '…' on both sides of the window."""
    before = " + ".join(f"x{i}" for i in range(40))
    after = " + ".join(f"y{i}" for i in range(40))
    text = f"card operator {{\n  bonus {before} + foo(1) + {after}\n}}\n"
    assert rendered(text) == dedent(
        """\
        pay.ksf:2:239: error: unknown function or table `foo`
        1 | card operator {
        2 | …+ x32 + x33 + x34 + x35 + x36 + x37 + x38 + x39 + foo(1) + y0 + y1 + y2 + y3 + y4 + y5 + y6 + y7 + y…
          |                                                    ^^^
        hint: functions are min, max, abs and the file's tables"""  # noqa: E501 - pinned excerpt
    )


def test_render_long_previous_line_is_left_out():
    """A previous line too long to show whole is omitted rather than cut."""
    text = "# " + "x" * 200 + "\ncard operator { base 6000 $ }\n"
    assert rendered(text) == dedent(
        """\
        pay.ksf:2:27: error: unexpected character '$'
        2 | card operator { base 6000 $ }
          |                           ^"""
    )


def test_render_two_errors():
    """Several errors are rendered in source order, separated by a blank line."""
    text = "card operator {\n  bonus 1\n  bonus 2\n  base 6000 as bonus\n}\n"
    assert rendered(text) == dedent(
        """\
        pay.ksf:3:3: error: two lines of this card are named `bonus`
        2 |   bonus 1
        3 |   bonus 2
          |   ^^^^^^^
        hint: the first is on line 2; rename one with `as NAME`

        pay.ksf:4:3: error: two lines of this card are named `bonus`
        3 |   bonus 2
        4 |   base 6000 as bonus
          |   ^^^^^^^^^^^^^^^^^^
        hint: the first is on line 2; rename one with `as NAME`"""
    )


def test_render_long_line_stays_short():
    """An error at the end of a 9,000-character line prints a windowed excerpt of ~100 cells."""
    text = 'card operator "' + "x" * 9_000 + '" { base 6000 $ }'
    message = rendered(text)
    assert message.startswith("pay.ksf:1:9030: error: unexpected character '$'\n")
    assert len(message) < 400
    shown, caret = message.split("\n")[1:3]
    assert shown.endswith('x" { base 6000 $ }')
    assert display_width(caret) - 1 == shown.index("$")


def _excerpt_line(message: str) -> str:
    """The quoted source line of a rendered error, without its gutter."""
    return message.split("\n")[2].split(" | ", 1)[1]


def test_long_chinese_line_is_windowed_in_display_cells():
    """A long line of Chinese names is cut to about WINDOW display cells, like a Latin one."""
    terms = " + ".join(f"毛利率{i}" for i in range(40))
    text = f"card operator {{\n  bonus {terms} + foo(1) + {terms}\n}}\n"
    message = rendered(text)
    assert "^^^" in message
    assert display_width(_excerpt_line(message)) <= WINDOW + 2


# ---- threads -------------------------------------------------------------------------------

GOOD = "card c {\n  base 6000\n  gross_margin balance 30% step 1% reward 200 penalty 100\n}\n"
BAD = "card c {\n  base 6000\n  gross_margin balance 30% step 0 reward 200\n}\n"


def _compile_many(worker: int) -> list[tuple[list[float], str]]:
    """Twenty compiles of one valid and one invalid file, each with this worker's name."""
    results = []
    for round_ in range(20):
        book = ksf.compile(GOOD + f"# worker {worker} round {round_}\n", name=f"w{worker}.ksf")
        total = book.evaluate({"gross_margin": [0.33, 0.27]}).total.tolist()
        try:
            ksf.compile(BAD, name=f"w{worker}-{round_}.ksf")
        except ksf.KsfCompileError as error:
            results.append((total, str(error)))
    return results


def test_compiling_from_eight_threads_at_once(monkeypatch):
    """8 threads × 20 compiles, racing to build the shared parser, all get their own results."""
    monkeypatch.setattr(grammar, "_parser", None)
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(_compile_many, range(8)))
    for worker, results in enumerate(outcomes):
        assert len(results) == 20
        for round_, (total, message) in enumerate(results):
            assert total == [6600.0, 5700.0]
            head = f"w{worker}-{round_}.ksf:3:28: error: the step must be greater than 0\n"
            assert message.startswith(head)


def test_source_splits_its_lines_once_without_changing_what_it_equals():
    """The line cache is derived from the text: it answers like a fresh split, every time."""
    text = "card a {\r\n  base 1\n}"
    source = Source(text, "pay.ksf")
    assert source.lines() == ("card a {\r", "  base 1", "}")
    assert source.lines() is source.lines()
    assert source.line_text(1) == "card a {"  # the carriage return is not part of the line
    assert source.line_text(0) is None
    assert source.line_text(4) is None
    fresh = Source(text, "pay.ksf")
    assert source == fresh
    assert hash(source) == hash(fresh)


def test_transformer_callbacks_are_bound_per_parse():
    """Each parse gets its own transformer, with callbacks bound to that instance alone."""
    first = to_ast_module._ToAst(Source("", "a.ksf"))
    second = to_ast_module._ToAst(Source("", "b.ksf"))
    assert {"number", "card", "start"} <= set(to_ast_module._CALLBACKS)
    for name in to_ast_module._CALLBACKS:
        assert vars(first)[name] is not vars(second)[name]
    # A transformer's own error names the file of its parse (the ratio is column 17).
    with pytest.raises(ksf.KsfSyntaxError, match=r"^b\.ksf:2:17: error: the ratio 0:1 has"):
        parse(Source("card a {\n  sales balance 0:1 step 1 reward 1\n}", "b.ksf"))
