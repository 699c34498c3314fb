"""Text → AST: the Lark boundary, where Lark's parser runs and its exceptions stop.

One LALR parser is built per process (behind a lock). Input is bounded before anything
recursive runs; a `Transformer_NonRecursive` turns the tree into frozen `ksf.dsl.ast` nodes
with ksf's own `Span`s (numbers decoded once, keeping their lexeme for ``ksf fmt``); every Lark
exception becomes a `KsfSyntaxError` in plain words, and `ksf.dsl.recover` finds the errors
after the first. This is the only module that imports Lark: its `Token`s, `Tree`s and
`meta` stop here. The comments and blank
lines the AST leaves out come from `ksf.dsl.layout`.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
import threading
import unicodedata
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

import attrs
import lark
from lark import Token, Transformer_NonRecursive, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, VisitError

from ksf.dsl import ast
from ksf.dsl.layout import layout
from ksf.dsl.recover import UNCLOSED, every_error, unclosed_block
from ksf.dsl.spelling import EN, EN_VALUES, ZH, Lang, english, mostly
from ksf.errors import Diagnostic, KsfSyntaxError, suggest
from ksf.source import Source, Span

MAX_CHARS = 2_000_000  # a rule file is a few kilobytes; anything this large is not one
MAX_BYTES = 4 * MAX_CHARS  # UTF-8 takes at most four bytes a character
MAX_DEPTH = 200  # expression nesting; keeps every later recursive walk far from the stack limit
MAX_NODES = 500_000
MAX_LINE = 10_000  # characters; a real rule line is under 200, and Lark is slow on huge ones
MAX_LINES = 50_000  # a real rule file has a few hundred
# Words, numbers and signs outside comments and labels: Lark parses about 25,000 a second on
# a busy machine; a real rule file has a few hundred (the example team's cards: ~250).
MAX_TOKENS = 30_000
# What `_check_length` counts as one token: a label, a comment (not counted), a name or a
# number (with its `.`, `_` and `%`), or any other sign.
_TOKENS = re.compile(r'"[^"\n]*"|#[^\n]*|[\w.%]+|\S')
MAX_SYNTAX_ERRORS = 50  # after so many, the rest of the report would not help
# Numbers in rules stay within 15 digits before the point and 15 places after it: float64
# holds every such whole number exactly, and no sum or product of a few of them comes near
# infinity or below the smallest normal float (1e308-scale literals broke later arithmetic).
MAX_NUMBER = 1e15
MIN_NUMBER = 1e-15
# Chinese punctuation that NFKC leaves as it is, and the ASCII character it stands for.
CJK_PUNCTUATION = {"\u201c": '"', "\u201d": '"', "\u3001": ",", "\u3002": "."}
# Chinese units typed after a number (300元, 5千), and what the unit multiplies by; `万` is
# part of the number (`100万`, LANGUAGE.md §12), the others are not.
UNIT_WORDS = {"千": 1_000, "百": 100, "亿": 100_000_000, "元": 1}
WAN = "万"
# Chinese words an HR writer may type for a keyword that are not its Chinese spelling, and
# the keyword (whose two spellings the hint gives).
CHINESE_SYNONYMS = {
    "步长": "step", "扣罚": "penalty", "上限": "cap", "下限": "floor", "保底工资": "min_pay",
}  # fmt: skip
# The words a statement starts with (in a file and in a card), for "did you mean" on a
# misspelt one; and the clause words that start no statement, for a rule split in two lines.
STATEMENT_KEYWORDS = (
    "card", "pool", "table", "score", "indicator", "currency", "rounding",
    "base", "allowance", "commission", "bonus", "share", "min_pay", "missing",
    "计薪卡", "奖金池", "系数表", "考核", "指标", "币种", "取整",
    "底薪", "补贴", "提成", "奖金", "分享", "最低工资", "缺失按",
)  # fmt: skip
CLAUSE_WORDS = frozenset(
    {"pot", "balance", "step", "reward", "penalty", "cap", "floor", "rate", "beyond", "as",
     "when", "scaled_by", "prorate", "retroactive", "higher_is_better", "lower_is_better",
     "weight", "baseline", "target", "challenge", "above",
     "分配", "平衡点", "每", "奖励", "扣减", "封顶", "保底", "比例", "超过", "记为", "当", "乘以",
     "按比例", "全额累进", "越高越好", "越低越好", "权重", "底线", "目标", "挑战", "超出"}
)  # fmt: skip
# Signs from a maths keyboard or Word, and the operator ksf spells in ASCII.
MATH_SIGNS = {"≥": ">=", "≤": "<=", "≠": "!=", "×": "*", "÷": "/"}

_lock = threading.Lock()
_parser: lark.Lark | None = None


def _lark() -> lark.Lark:
    global _parser  # noqa: PLW0603 - built once per process, behind the lock
    with _lock:
        if _parser is None:
            grammar = resources.files("ksf.dsl").joinpath("grammar.lark").read_text("utf-8")
            _parser = lark.Lark(
                grammar, parser="lalr", lexer="contextual", propagate_positions=True
            )
        return _parser


def parse(source: Source) -> ast.Rulebook:
    """Parse a rule file into its AST.

    Raises:
        KsfSyntaxError: the text does not parse, or is too large or too deeply nested.
    """
    _check_length(source)
    tree = _parse_all(source)
    _check_size(tree, source)
    comments, blanks = layout(source.text)
    return attrs.evolve(to_ast(tree, source), comments=comments, blank_lines=blanks)


def _parse_all(source: Source) -> Tree[Token]:
    """Lark's tree of the text, or every syntax error found, at once (see `ksf.dsl.recover`)."""
    try:
        return _lark().parse(source.text)
    except UnexpectedInput as exc:
        first = _syntax_error(exc, source).errors[0]
    budget = MAX_CHARS - len(source.text)  # characters parsed again, so a huge file stays quick
    raise KsfSyntaxError(
        every_error(source, first, _first_error, limit=MAX_SYNTAX_ERRORS, budget=budget)
    )


def _first_error(source: Source) -> Diagnostic | None:
    """The first syntax error of a text, or None when it parses."""
    try:
        _lark().parse(source.text)
    except UnexpectedInput as exc:
        return _syntax_error(exc, source).errors[0]
    return None


# ---- bounds -------------------------------------------------------------------------------


def _check_length(source: Source) -> None:
    """Refuse absurdly long files and lines before the parser spends seconds on them."""
    if len(source.text) > MAX_CHARS:
        msg = (
            f"the file has {len(source.text):,} characters; rule files are limited to {MAX_CHARS:,}"
        )
        raise KsfSyntaxError.at(msg, Span.point(1, 1), source)
    if len(source.lines()) > MAX_LINES:
        msg = f"the file has {len(source.lines()):,} lines; rule files are limited to {MAX_LINES:,}"
        raise KsfSyntaxError.at(msg, Span.point(MAX_LINES + 1, 1), source)
    for number, line in enumerate(source.lines(), start=1):
        if len(line) > MAX_LINE and len(line.split("#", 1)[0]) > MAX_LINE:
            msg = (
                f"line {number} has {len(line):,} characters; rule lines are limited to "
                f"{MAX_LINE:,}"
            )
            raise KsfSyntaxError.at(
                msg,
                Span(number, 1, number, 2),
                source,
                "split the statement, or define parts of it as indicators",
            )
    _check_tokens(source)


def _check_tokens(source: Source) -> None:
    """Refuse more than `MAX_TOKENS` tokens: parsing them would take seconds."""
    tokens = _TOKENS.finditer(source.text)
    counted = (t for t in tokens if t.group()[0] != "#")
    past = next(itertools.islice(counted, MAX_TOKENS, None), None)
    if past is not None:
        line = source.text.count("\n", 0, past.start()) + 1
        column = past.start() - source.text.rfind("\n", 0, past.start())
        msg = (
            f"the rules have more than {MAX_TOKENS:,} words, numbers and signs; "
            "a rule file is limited to that many"
        )
        hint = "split the rules into several files, or use a table for many similar rows"
        raise KsfSyntaxError.at(msg, Span.point(line, column), source, hint)


def _check_size(tree: Tree[Token], source: Source) -> None:
    """Reject trees too deep or too large, iteratively, before any recursive walk."""
    stack: list[tuple[Tree[Token], int]] = [(tree, 0)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH or nodes > MAX_NODES:
            meta = node.meta
            span = Span.point(getattr(meta, "line", 1), getattr(meta, "column", 1))
            what = (
                f"an expression more than {MAX_DEPTH} operations deep (nested or chained)"
                if depth > MAX_DEPTH
                else f"more than {MAX_NODES:,} syntax nodes"
            )
            msg = f"the rules contain {what}"
            raise KsfSyntaxError.at(msg, span, source)
        depth += 1
        # A plain loop: a generator (or a list) per node made this walk half again as slow.
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, depth))  # noqa: PERF401 - see above


# ---- errors -------------------------------------------------------------------------------

_WORDS = {
    "NAME": "a name",
    "DECIMAL": "a number",
    "PERCENT": "a percentage",
    "RATIO": "a ratio like 1:3",
    "STRING": 'a quoted label like "产品开发"',
    "COMP_OP": "a comparison (>=, >, <=, <)",
    "_SEP": "a new line or ';'",
    "$END": "the end of the file",
}


def _expected_words(names: set[str], lang: Lang = "en") -> str:
    """What the parser expected, in words; keywords in one spelling, that of ``lang``."""
    terminals = {t.name: t for t in _lark().terminals}
    words = set()
    chinese = _chinese_terminals()
    for name in names:
        if name in chinese:
            continue  # listed through its English twin, in the file's spelling
        if name in _WORDS:
            words.add(_WORDS[name])
        elif name in terminals and isinstance(terminals[name].pattern, lark.lexer.PatternStr):
            words.add(f"'{_spelt(terminals[name].pattern.value, lang)}'")
        else:
            words.add(name.lower())
    # Punctuation first (a missing '}' is the likeliest slip), then kinds of token, then keywords.
    ordered = sorted(words, key=lambda w: (not _is_punctuation(w), w.startswith("'"), w))
    shown = ordered[:10] + (["…"] if len(ordered) > 10 else [])
    return ", ".join(shown)


def _spelt(keyword: str, lang: Lang) -> str:
    """A keyword (or the first word of one: ``split``, ``missing``) as ``lang`` spells it."""
    if lang == "en":
        return keyword
    return ZH.get(keyword) or ZH.get(f"{keyword} by") or ZH.get(f"{keyword} as") or keyword


def _chinese_terminals() -> frozenset[str]:
    """The names Lark gives the terminals of the Chinese keywords."""
    return frozenset(
        t.name
        for t in _lark().terminals
        if isinstance(t.pattern, lark.lexer.PatternStr) and t.pattern.value in EN
    )


def _is_punctuation(word: str) -> bool:
    return len(word) == 3 and word[0] == word[2] == "'" and not word[1].isalnum()


def _keywords() -> set[str]:
    return {
        t.pattern.value
        for t in _lark().terminals
        if isinstance(t.pattern, lark.lexer.PatternStr) and t.pattern.value.isidentifier()
    }


def _describe(token: Token) -> str:
    if token.type == "$END":
        return "end of the file"
    if token.type == "_SEP":
        return "end of the line" if "\n" in token.value else "';'"
    if token.type == "NAME":
        return f"name '{token.value}'"
    if token.type in ("DECIMAL", "PERCENT", "RATIO"):
        return f"number {token.value}"
    return f"'{token.value}'"


def _token_hint(token: Token, expected: set[str], source: Source) -> str | None:
    """A labelled hint for common slips: thousands commas, misspelt clauses, capitals."""
    if token.type == "COMMA":
        line = source.line_text(token.line or 1) or ""
        before = line[: (token.column or 1) - 1].rstrip()
        if before[-1:].isdigit():
            return "write thousands without commas: 6000 or 6_000"
    if token.type == "STRING" and "NAME" in expected:
        return f"names are written without quotes: {token.value[1:-1]}"
    typed = _typing_hint(token, expected, source.line_text(token.line or 1) or "")
    if typed:
        return typed
    if token.type == "NAME":
        keywords = {
            w.strip("'")
            for w in (_expected_words({n}) for n in expected)
            if w.startswith("'") and w.strip("'").isidentifier()
        }
        keywords |= {ZH[k] for k in keywords if k in ZH}  # both: 平衡 → '平衡点'?, stp → 'step'?
        if token.value.lower() in _keywords() and token.value != token.value.lower():
            return f"keywords are lower case: '{token.value.lower()}'"
        close = suggest(token.value, keywords)
        if close:
            return close
    return None


def _typing_hint(token: Token, expected: set[str], line: str) -> str | None:
    """Habits from Chinese office writing: 步长 for `每`, 毛利率平衡点, 300元, `//`, `=`."""
    words = line[: (token.column or 1) - 1].split()
    number = words[-1] if words else ""
    # The slip is the token itself, or the word before it (`步长 1%` at the start of a line).
    word = token.value if token.value in CHINESE_SYNONYMS else number
    if word in CHINESE_SYNONYMS:
        keyword = CHINESE_SYNONYMS[word]
        return f"'{word}' is not a keyword: write '{ZH[keyword]}' (or '{keyword}')"
    if number == "保底" and token.type in ("DECIMAL", "PERCENT", "RATIO"):
        return f"'保底' is `floor`, a clause of a rule; a minimum pay is '最低工资 {token.value}'"
    if token.value == "/" and line.lstrip().startswith("//"):
        return "a comment starts with '#'"
    if token.value == "=" and "COMP_OP" in expected:
        after = line[token.column or 1 : (token.column or 1) + 1]
        return "write '>=' for '=>'" if after == ">" else "to compare, write '=='"
    if token.type == "NAME" and _is_number(number):
        if token.value[:1] in UNIT_WORDS:
            return _unit_hint(number, token.value[0])
        if token.value[:1] == WAN:
            return f"write 万 right after the number, without a space: {number}万"
    if token.value[:1] == WAN and (number[-1:].isdigit() or number.endswith("%")):
        return "only a plain number takes 万 (100万), not a percentage or a ratio"
    joined = [w for w in (token.value, number) if w.isidentifier()]
    return next((hint for w in joined if (hint := joined_keyword(w))), None)


def _is_number(word: str) -> bool:
    plain = word.removeprefix("-").removesuffix(WAN).replace("_", "")
    return plain.replace(".", "", 1).isdigit()


def _unit_hint(number: str, unit: str) -> str:
    """``300元`` → 300, ``5千`` → 5000: a number in rule text carries no unit (but 万)."""
    if unit == "元":
        return f"numbers carry no unit: write {number} for {number}{unit}"
    value = Decimal(_decode(number.removeprefix("-"))) * UNIT_WORDS[unit]
    sign = "-" if number.startswith("-") else ""
    plain = f"{sign}{value.normalize():f}"
    return f"numbers carry no unit but 万: write {plain} for {number}{unit}"


def joined_keyword(word: str) -> str | None:
    """``毛利率平衡点`` → "did you mean `毛利率 平衡点`?": a name run into a Chinese keyword.

    A keyword is a whole word, so a name that ends in one (or a keyword followed by a name or
    a number, ``每1``) is one name; the hint puts the space back.
    """
    if word in EN:
        return None
    for keyword in sorted(EN, key=len, reverse=True):
        if word.endswith(keyword) and not word[: -len(keyword)][-1:].isdigit():
            split = f"{word[: -len(keyword)]} {keyword}"
            break
        if word.startswith(keyword):
            split = f"{keyword} {word[len(keyword) :]}"
            break
    else:
        return None
    return f"keywords are separated from names by spaces: did you mean `{split}`?"


def _syntax_error(exc: UnexpectedInput, source: Source) -> KsfSyntaxError:
    """A Lark exception in plain words, positioned in ``source``."""
    if isinstance(exc, UnexpectedCharacters):
        return _character_error(exc, source)
    token = getattr(exc, "token", None)
    expected = set(getattr(exc, "expected", set()) or getattr(exc, "accepts", set()) or ())
    if isinstance(exc, UnexpectedEOF) or token is None or token.type == "$END":
        lines = source.text.rstrip("\n").split("\n")
        span = Span.point(len(lines), len(lines[-1].rstrip("\r")) + 1)
        message = "the file ends in the middle of a statement"
        hint = f"expected {_expected_words(expected, mostly(source.text))}"
        opened = _open_at_end(source)
        if opened is not None and "RBRACE" in expected:
            hint = f"the block opened on line {opened} is not closed: add '}}' at the end"
        return KsfSyntaxError.at(message, span, source, hint)
    return _token_error(token, expected, source)


def _character_error(exc: UnexpectedCharacters, source: Source) -> KsfSyntaxError:
    position = int(getattr(exc, "pos_in_stream", 0) or 0)
    char = source.text[position] if position < len(source.text) else "?"
    message = f"unexpected character {char!r}"
    hint = None
    plain = CJK_PUNCTUATION.get(char) or unicodedata.normalize("NFKC", char)
    if char == "%":
        message = "'%' must follow a plain number directly, as in 30%"
        before = source.text[:position].rsplit(None, 1)[-1:] if position else []
        hint = joined_keyword(before[0]) if before and before[0].isidentifier() else None
    elif char == ":":
        hint = "a ratio is written with numbers on both sides, as in 1:3"
    elif char == "\u3000":
        hint = "this is a full-width space; type an ordinary space instead"
    elif char in CJK_PUNCTUATION:
        hint = f"this is Chinese punctuation; type '{plain}' instead"
    elif char in MATH_SIGNS:
        hint = f"operators are written in ASCII: type '{MATH_SIGNS[char]}' instead"
    elif plain != char and plain.isascii():
        hint = f"this is a full-width character; type '{plain}' instead"
    return KsfSyntaxError.at(message, Span.point(exc.line, exc.column), source, hint)


def _open_at_end(source: Source) -> int | None:
    """The line of the last `{` that the file never closes, or None."""
    opened: list[int] = []
    for number, line in enumerate(source.lines(), start=1):
        for char in line.split("#", 1)[0]:
            if char == "{":
                opened.append(number)
            elif char == "}" and opened:
                opened.pop()
    return opened[-1] if opened else None


def _token_error(token: Token, expected: set[str], source: Source) -> KsfSyntaxError:
    line = token.line or 1
    column = token.column or 1
    opened = unclosed_block(source, line)
    if opened is not None:
        message = f"{UNCLOSED} {opened} is not closed"
        return KsfSyntaxError.at(
            message, Span.point(line, 1), source, "add '}' before this statement"
        )
    if token.type == "_SEP" and token.value.startswith("\n"):
        end = source.line_text(line) or ""
        span = Span.point(line, len(end) + 1)
    else:
        width = max(len(token.value.split("\n")[0]), 1)
        span = Span(line, column, line, column + width)
    misspelt = _misspelt_first_word(token, expected, source)
    if misspelt is not None:
        return misspelt
    message = (
        f"unexpected {_describe(token)}; expected {_expected_words(expected, mostly(source.text))}"
    )
    hint = _token_hint(token, expected, source) or _continued_hint(line, source)
    return KsfSyntaxError.at(message, span, source, hint)


def _misspelt_first_word(token: Token, expected: set[str], source: Source) -> KsfSyntaxError | None:
    """`comission sales rate 3%`: a statement whose first word is a keyword misspelt.

    A card line that starts with a name is read as a rule on that name, so the parser stops
    at the second word. When the first word is close to a statement keyword (closer than the
    second word is to a clause keyword), the error is put on the first word.
    """
    line = token.line or 1
    text = source.line_text(line) or ""
    before = text[: (token.column or 1) - 1]
    words = before.split()
    if len(words) != 1 or not words[0].isidentifier() or words[0] in _keywords():
        return None
    word = words[0]
    close = difflib.get_close_matches(word.lower(), STATEMENT_KEYWORDS, n=1, cutoff=0.75)
    if not close or _closeness(word.lower(), close[0]) <= _token_closeness(token, expected):
        return None
    column = before.index(word) + 1
    if word.lower() == close[0]:
        hint = f"keywords are lower case: '{close[0]}'"
    else:
        hint = f"did you mean '{close[0]}'?"
    span = Span(line, column, line, column + len(word))
    return KsfSyntaxError.at(f"unknown statement '{word}'", span, source, hint)


def _closeness(word: str, keyword: str) -> float:
    return difflib.SequenceMatcher(None, word, keyword).ratio()


def _token_closeness(token: Token, expected: set[str]) -> float:
    """How close an unexpected name is to the nearest keyword the parser expected there."""
    if token.type != "NAME":
        return 0.0
    keywords = {w.strip("'") for w in _expected_words(expected).split(", ")}
    return max((_closeness(token.value, k) for k in keywords if k.isidentifier()), default=0.0)


def _continued_hint(line: int, source: Source) -> str | None:
    """`reward 200` on the line after its rule: a statement ends at the end of its line."""
    text = (source.line_text(line) or "").split("#", 1)[0]
    words = text.split()
    if not words or words[0] not in CLAUSE_WORDS:
        return None
    previous = line - 1
    while previous >= 1 and not (source.line_text(previous) or "").split("#", 1)[0].strip():
        previous -= 1
    above = (source.line_text(previous) or "").split("#", 1)[0].rstrip() if previous else ""
    if not above or above.endswith(("{", "}", ";")):
        return None
    return (
        f"a statement ends at the end of its line: if `{words[0]}` belongs to the statement "
        f"on line {previous}, move it to the end of that line"
    )


# ---- parse tree → AST ---------------------------------------------------------------------


def to_ast(tree: Tree[Token], source: Source) -> ast.Rulebook:
    """The AST of a parse tree already bounded in depth and size.

    Raises:
        KsfSyntaxError: a number that is too large, or a ratio with nothing spent.
    """
    try:
        result = _ToAst(source).transform(tree)
    except VisitError as exc:
        raise exc.orig_exc from None
    assert isinstance(result, ast.Rulebook)  # noqa: S101 - the start rule builds one
    return result


def _decode(text: str) -> float:
    """The value of a number lexeme: ``1_200_000``, ``30%``, ``1:3`` (= 3.0)."""
    clean = text.replace("_", "")
    try:
        if clean.endswith(WAN):  # 1.5万 = 15,000
            return float(Decimal(clean[:-1]) * 10_000)
        if clean.endswith("%"):
            return float(Decimal(clean[:-1]) / 100)
        if ":" in clean:
            spent, earned = (Decimal(part) for part in clean.split(":"))
            return float(earned / spent)
        return float(Decimal(clean))
    except (InvalidOperation, ZeroDivisionError):
        return float("nan")


def _value_word(token: Token) -> str:
    """A value written as a name, in English: ``零`` → zero, ``四舍五入`` → half_up."""
    text = str(token)
    if token.type != "NAME":  # the keyword 平衡点 in `缺失按 平衡点`
        return english(text)
    return EN_VALUES.get(text, text)


@v_args(meta=True, inline=True)
class _ToAst(Transformer_NonRecursive):  # type: ignore[type-arg]
    """Builds AST nodes; holds the per-parse source, so one instance serves one parse."""

    def __init__(self, source: Source) -> None:
        # No callback takes a token alone, so tokens need not be visited one by one.
        super().__init__(visit_tokens=False)
        self.source = source
        # `v_args` callbacks are descriptors that build a new wrapper on every attribute
        # lookup, that is once per tree node; bound once here, the transformer runs a third
        # faster. The instance attribute shadows the (non-data) descriptor of the class.
        for name in _CALLBACKS:
            setattr(self, name, getattr(self, name))

    def _span(self, meta: Any) -> Span:
        if getattr(meta, "empty", True):
            return ast.NOWHERE
        return Span(meta.line, meta.column, meta.end_line, meta.end_column)

    def _token_span(self, token: Token) -> Span:
        return Span(token.line or 0, token.column or 0, token.end_line or 0, token.end_column or 0)

    def _error(self, message: str, span: Span) -> KsfSyntaxError:
        return KsfSyntaxError([Diagnostic(message, span, self.source)])

    # numbers
    def number(self, meta: Any, token: Token) -> ast.Number:
        value = _decode(token.value)
        if math.isnan(value):  # a ratio with a zero left side
            msg = f"the ratio {token.value} has nothing spent"
            raise self._error(msg, self._span(meta))
        self._finite(value, token.value, meta)
        return ast.Number(value, token.value, span=self._span(meta))

    def _finite(self, value: float, text: str, meta: Any) -> None:
        """Refuse a number past `MAX_NUMBER`, or nearer 0 than `MIN_NUMBER` (but not 0)."""
        if MIN_NUMBER <= abs(value) < MAX_NUMBER or value == 0:
            return
        shown = text if len(text) <= 20 else text[:17] + "…"
        if abs(value) >= MAX_NUMBER:
            msg = f"the number {shown} is too large"
            hint = "a number in rules is below 1_000_000_000_000_000 (15 digits before the point)"
        else:
            msg = f"the number {shown} is too small"
            hint = "a number in rules other than 0 is at least 0.000000000000001 (1e-15)"
        raise KsfSyntaxError([Diagnostic(msg, self._span(meta), self.source, hint)])

    def signed_number(self, meta: Any, *children: Any) -> ast.Number:
        number = children[-1]
        if len(children) == 2:
            # + 0.0: "-0" is zero, not a negative zero that would print as "-0.00"
            return ast.Number(-number.value + 0.0, "-" + number.text, span=self._span(meta))
        return ast.Number(number.value, number.text, span=self._span(meta))

    def key_number(self, meta: Any, *children: Any) -> ast.Number:
        text = "".join(str(c) for c in children)
        self._finite(_decode(text.lstrip("-")), text, meta)
        return ast.Number(
            _decode(text.lstrip("-")) * (-1 if text.startswith("-") else 1),
            text,
            span=self._span(meta),
        )

    # expressions
    def name(self, meta: Any, token: Token) -> ast.Name:
        return ast.Name(str(token), span=self._span(meta))

    def call(self, meta: Any, func: Token, *args: Any) -> ast.Call:
        real = tuple(a for a in args if a is not None)
        return ast.Call(str(func), real, span=self._span(meta), func_span=self._token_span(func))

    def binary(self, meta: Any, left: Any, op: Token, right: Any) -> ast.Binary:
        return ast.Binary(str(op), left, right, span=self._span(meta))

    def compare(self, meta: Any, left: Any, op: Token, right: Any) -> ast.Binary:
        return ast.Binary(str(op), left, right, span=self._span(meta))

    def of(self, meta: Any, left: ast.Number, right: Any) -> ast.Binary:
        return ast.Binary("of", left, right, span=self._span(meta))

    def and_op(self, meta: Any, left: Any, right: Any) -> ast.Binary:
        return ast.Binary("and", left, right, span=self._span(meta))

    def or_op(self, meta: Any, left: Any, right: Any) -> ast.Binary:
        return ast.Binary("or", left, right, span=self._span(meta))

    def not_op(self, meta: Any, operand: Any) -> ast.Unary:
        return ast.Unary("not", operand, span=self._span(meta))

    def negate(self, meta: Any, *children: Any) -> ast.Unary:
        return ast.Unary("-", children[-1], span=self._span(meta))

    # clauses
    def clause_keyword(self, meta: Any, token: Token) -> str:
        return english(str(token))  # 平衡点 → balance: both spellings make one tree

    beyond_kind = flag = direction = fixed_kind = clause_keyword

    def missing_mode(self, meta: Any, token: Token) -> Token:
        return token

    def unit(self, meta: Any, token: Token) -> Token:
        return token

    def alias(self, meta: Any, token: Token) -> ast.Clause:
        return ast.Clause("as", str(token), span=self._span(meta))

    def clause_number(self, meta: Any, keyword: str, value: ast.Number) -> ast.Clause:
        return ast.Clause(keyword, value, span=self._span(meta))

    def clause_beyond(self, meta: Any, at: ast.Number, kind: str, amount: ast.Number) -> ast.Beyond:
        return ast.Beyond(at, kind, amount, span=self._span(meta))

    def clause_flag(self, meta: Any, flag: str) -> ast.Clause:
        return ast.Clause(flag, span=self._span(meta))

    def clause_alias(self, meta: Any, alias: ast.Clause) -> ast.Clause:
        return alias

    def clause_scaled_by(self, meta: Any, expr: Any) -> ast.Clause:
        return ast.Clause("scaled_by", expr, span=self._span(meta))

    def clause_when(self, meta: Any, expr: Any) -> ast.Clause:
        return ast.Clause("when", expr, span=self._span(meta))

    # statements
    def currency(self, meta: Any, code: Token) -> ast.Currency:
        return ast.Currency(str(code), span=self._span(meta), code_span=self._token_span(code))

    def rounding(self, meta: Any, unit: ast.Number, mode: Token | None = None) -> ast.Rounding:
        return ast.Rounding(
            unit,
            _value_word(mode) if mode is not None else None,
            span=self._span(meta),
            mode_span=self._token_span(mode) if mode is not None else ast.NOWHERE,
        )

    def indicator(self, meta: Any, name: Token, *rest: Any) -> ast.Indicator:
        label = None
        if isinstance(rest[0], Token) and rest[0].type == "STRING":
            label, rest = str(rest[0])[1:-1], rest[1:]
        expr, rest = rest[0], rest[1:]
        unit = next((r for r in rest if isinstance(r, Token)), None)
        direction = next((r for r in rest if isinstance(r, str) and not isinstance(r, Token)), None)
        return ast.Indicator(
            str(name),
            expr,
            str(unit) if unit is not None else None,
            direction,
            span=self._span(meta),
            name_span=self._token_span(name),
            unit_span=self._token_span(unit) if unit is not None else ast.NOWHERE,
            label=label,
        )

    def bound(self, meta: Any, op: Token, *tokens: Token) -> ast.Bound:
        text = "".join(str(t) for t in tokens)
        value = _decode(text.lstrip("-"))
        self._finite(value, text, meta)
        first, last = self._token_span(tokens[0]), self._token_span(tokens[-1])
        span = Span(first.line, first.column, last.end_line, last.end_column)
        number = ast.Number(-value + 0.0 if text.startswith("-") else value, text, span=span)
        return ast.Bound(str(op), number, span=self._span(meta))

    def column(self, meta: Any, name: Token, *rest: Any) -> ast.Column:
        label = None
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            label, rest = str(rest[0])[1:-1], rest[1:]
        unit = next((r for r in rest if isinstance(r, Token)), None)
        return ast.Column(
            str(name),
            str(unit) if unit is not None else None,
            tuple(r for r in rest if isinstance(r, ast.Bound)),
            label,
            span=self._span(meta),
            name_span=self._token_span(name),
            unit_span=self._token_span(unit) if unit is not None else ast.NOWHERE,
        )

    def table_row(self, meta: Any, op: Token, key: ast.Number, value: ast.Number) -> ast.TableRow:
        return ast.TableRow(str(op), key, value, span=self._span(meta))

    def table_else(self, meta: Any, value: ast.Number) -> ast.TableRow:
        return ast.TableRow(None, None, value, span=self._span(meta))

    def table(self, meta: Any, name: Token, *rows: ast.TableRow) -> ast.Table:
        return ast.Table(str(name), rows, span=self._span(meta), name_span=self._token_span(name))

    def kpi(self, meta: Any, expr: Any, *clauses: ast.AnyClause) -> ast.Kpi:
        return ast.Kpi(expr, clauses, span=self._span(meta))

    def points(self, meta: Any, *values: ast.Number) -> tuple[tuple[ast.Number, ...], Span]:
        return values, self._span(meta)

    def score(self, meta: Any, name: Token, *items: Any) -> ast.Score:
        kpis = tuple(i for i in items if isinstance(i, ast.Kpi))
        points = [i for i in items if isinstance(i, tuple)]
        values, span = points[-1] if points else (None, ast.NOWHERE)
        return ast.Score(
            str(name),
            kpis,
            values,
            span=self._span(meta),
            name_span=self._token_span(name),
            points_span=span,
        )

    def pool_amount(self, meta: Any, expr: Any, *clauses: ast.AnyClause) -> ast.PoolAmount:
        return ast.PoolAmount(expr, clauses, span=self._span(meta))

    def split(self, meta: Any, column: Token) -> ast.Clause:
        return ast.Clause("split_by", str(column), span=self._span(meta))

    def pool_clause(self, meta: Any, keyword: str, value: ast.Number) -> ast.Clause:
        return ast.Clause(keyword, value, span=self._span(meta))

    def pool(self, meta: Any, name: Token, *items: Any) -> ast.Pool:
        per = None
        if items and isinstance(items[0], Token):
            per, items = str(items[0]), items[1:]
        amounts = tuple(i for i in items if isinstance(i, ast.PoolAmount))
        splits = tuple(i for i in items if isinstance(i, ast.Clause) and i.keyword == "split_by")
        clauses = tuple(i for i in items if isinstance(i, ast.Clause) and i.keyword != "split_by")
        return ast.Pool(
            str(name),
            per,
            amounts,
            splits,
            clauses,
            span=self._span(meta),
            name_span=self._token_span(name),
        )

    def entry(self, meta: Any, key: Token, value: ast.Number) -> ast.Entry:
        text = str(key)
        if key.type == "STRING":
            text = text[1:-1]
        return ast.Entry(text, value, span=self._span(meta))

    def entries(self, meta: Any, *items: Any) -> tuple[ast.Entry, ...]:
        return tuple(i for i in items if isinstance(i, ast.Entry))

    def fixed(
        self, meta: Any, kind: str, amount: ast.Number, alias: ast.Clause | None = None
    ) -> ast.Fixed:
        name = alias.value if alias is not None else None
        return ast.Fixed(
            kind, amount, alias=name if isinstance(name, str) else None, span=self._span(meta)
        )

    def fixed_by(
        self,
        meta: Any,
        kind: str,
        column: Token,
        entries: tuple[ast.Entry, ...],
        alias: ast.Clause | None = None,
    ) -> ast.Fixed:
        name = alias.value if alias is not None else None
        return ast.Fixed(
            kind,
            None,
            by=str(column),
            entries=entries,
            alias=name if isinstance(name, str) else None,
            span=self._span(meta),
            by_span=self._token_span(column),
        )

    def rule(self, meta: Any, expr: Any, *clauses: ast.AnyClause) -> ast.Rule:
        return ast.Rule(expr, clauses, span=self._span(meta))

    def commission(self, meta: Any, expr: Any, *clauses: ast.AnyClause) -> ast.Commission:
        return ast.Commission(expr, clauses, span=self._span(meta))

    def bonus(self, meta: Any, expr: Any, *clauses: ast.AnyClause) -> ast.Bonus:
        return ast.Bonus(expr, clauses, span=self._span(meta))

    def share(self, meta: Any, pool: Token, alias: ast.Clause | None = None) -> ast.Share:
        name = alias.value if alias is not None else None
        return ast.Share(
            str(pool),
            name if isinstance(name, str) else None,
            span=self._span(meta),
            pool_span=self._token_span(pool),
        )

    def min_pay(self, meta: Any, amount: ast.Number) -> ast.MinPay:
        return ast.MinPay(amount, span=self._span(meta))

    def missing(self, meta: Any, mode: Token) -> ast.Missing:
        return ast.Missing(
            _value_word(mode), span=self._span(meta), mode_span=self._token_span(mode)
        )

    def card(self, meta: Any, name: Token, *items: Any) -> ast.Card:
        label = None
        if items and isinstance(items[0], Token):
            label, items = str(items[0])[1:-1], items[1:]
        return ast.Card(
            str(name), label, tuple(items), span=self._span(meta), name_span=self._token_span(name)
        )

    def start(self, meta: Any, *statements: Any) -> ast.Rulebook:
        return ast.Rulebook(tuple(statements), span=self._span(meta))


# The callbacks `_ToAst.__init__` binds once per parse: every public method.
_CALLBACKS = tuple(name for name in vars(_ToAst) if not name.startswith("_"))
