"""The slips an HR writer makes, and the hint a syntax error gives for each.

Chinese punctuation and full-width characters, units typed after a number (``300元``, ``5千``;
``万`` is part of the number), Chinese words that are not keywords (``步长``), signs from a
maths keyboard (``≥``), thousands commas, a name run into a keyword (``毛利率平衡点``), a
misspelt first word, a clause continued on the next line. The tables and the tests on the
text are here; `ksf.dsl.syntax_errors` picks the hint for the token Lark stopped at. No Lark.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from ksf.catalogue import common
from ksf.catalogue import syntax as say
from ksf.dsl.numbers import WAN, decode
from ksf.message import Keyword, Message
from ksf.source import Source
from ksf.spelling import EN, ZH

# Chinese punctuation that NFKC leaves as it is, and the ASCII character it stands for.
CJK_PUNCTUATION = {"\u201c": '"', "\u201d": '"', "\u3001": ",", "\u3002": "."}
# Chinese units typed after a number (300元, 5千), and what the unit multiplies by; `万` is
# part of the number (`100万`, LANGUAGE.md §12), the others are not.
UNIT_WORDS = {"千": 1_000, "百": 100, "亿": 100_000_000, "元": 1}
# Chinese words an HR writer may type for a keyword that are not its Chinese spelling, and
# the keyword (whose two spellings the hint gives).
CHINESE_SYNONYMS = {
    "步长": "step", "扣罚": "penalty", "上限": "cap", "下限": "floor", "保底工资": "min_pay",
}  # fmt: skip
# The words a statement starts with (in a file and in a card), for "did you mean" on a
# misspelt one; and the clause words that start no statement, for a rule split in two lines.
STATEMENT_KEYWORDS = (
    "card", "pool", "table", "score", "indicator", "currency", "rounding", "language",
    "base", "allowance", "commission", "bonus", "share", "min_pay", "missing",
    "计薪卡", "奖金池", "系数表", "考核", "指标", "币种", "取整", "语言",
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


def unexpected_character(text: str, position: int) -> tuple[Message, Message | None]:
    """The message and hint for a character no token starts with (``，``, ``≥``, ``　``)."""
    char = text[position] if position < len(text) else "?"
    message = say.UNEXPECTED_CHARACTER(char=repr(char))
    hint = None
    plain = CJK_PUNCTUATION.get(char) or unicodedata.normalize("NFKC", char)
    if char == "%":
        message = say.PERCENT_ALONE()
        before = text[:position].rsplit(None, 1)[-1:] if position else []
        hint = joined_keyword(before[0]) if before and before[0].isidentifier() else None
    elif char == ":":
        hint = say.RATIO_SIDES()
    elif char == "\u3000":
        hint = say.FULL_WIDTH_SPACE()
    elif char in CJK_PUNCTUATION:
        hint = say.CHINESE_PUNCTUATION(plain=plain)
    elif char in MATH_SIGNS:
        hint = say.MATH_SIGN(sign=MATH_SIGNS[char])
    elif plain != char and plain.isascii():
        hint = say.FULL_WIDTH_CHARACTER(plain=plain)
    return message, hint


def token_slip(kind: str, value: str, column: int, expected: set[str], line: str) -> Message | None:
    """A hint for the token ``value`` (of terminal ``kind``) where Lark stopped on ``line``.

    Thousands commas, a quoted name, and the habits of `typing_hint`; None for other tokens.
    """
    if kind == "COMMA":
        before = line[: column - 1].rstrip()
        after = line[column:].lstrip()
        # `200, 扣减 100`: a comma between clauses, not in a number (`6,000` has digits after).
        if before[-1:].isdigit() and after[:1].isdigit():
            return say.THOUSANDS_COMMA()
        if before and after[:1] and not after[:1].isdigit():
            return say.CLAUSE_COMMA()
    if kind == "STRING" and "NAME" in expected:
        return say.NAME_QUOTED(name=value[1:-1])
    return typing_hint(kind, value, column, expected, line)


def typing_hint(
    kind: str, value: str, column: int, expected: set[str], line: str
) -> Message | None:
    """Habits from Chinese office writing: 步长 for `每`, 毛利率平衡点, 300元, `//`, `=`."""
    words = line[: column - 1].split()
    number = words[-1] if words else ""
    # The slip is the token itself, or the word before it (`步长 1%` at the start of a line).
    word = value if value in CHINESE_SYNONYMS else number
    if word in CHINESE_SYNONYMS:
        keyword = CHINESE_SYNONYMS[word]
        return say.NOT_A_KEYWORD(word=word, chinese=ZH[keyword], english=keyword)
    if number == "保底" and kind in ("DECIMAL", "PERCENT", "RATIO"):
        return say.FLOOR_NOT_MIN_PAY(value=value)
    if value == "/" and line.lstrip().startswith("//"):
        return say.SLASH_COMMENT()
    if value == "=" and "COMP_OP" in expected:
        after = line[column : column + 1]
        return say.ARROW() if after == ">" else say.DOUBLE_EQUALS()
    if kind == "NAME" and _is_number(number):
        if value[:1] in UNIT_WORDS:
            return _unit_hint(number, value[0])
        if value[:1] == WAN:
            return say.WAN_APART(number=number)
    if value[:1] == WAN and (number[-1:].isdigit() or number.endswith("%")):
        return say.WAN_PLAIN_ONLY()
    # The word before first: in `毛利率平衡点 目标毛利率` the slip is 毛利率平衡点, read as one
    # name, and the token it stopped at (目标毛利率) only starts with a keyword by chance.
    joined = [w for w in (number, value) if w.isidentifier()]
    return next((hint for w in joined if (hint := joined_keyword(w))), None)


def _is_number(word: str) -> bool:
    plain = word.removeprefix("-").removesuffix(WAN).replace("_", "")
    return plain.replace(".", "", 1).isdigit()


def _unit_hint(number: str, unit: str) -> Message:
    """``300元`` → 300, ``5千`` → 5000: a number in rule text carries no unit (but 万)."""
    if unit == "元":
        return say.NO_UNIT(number=number, written=f"{number}{unit}")
    value = Decimal(decode(number.removeprefix("-"))) * UNIT_WORDS[unit]
    sign = "-" if number.startswith("-") else ""
    plain = f"{sign}{value.normalize():f}"
    return say.NO_UNIT_BUT_WAN(number=plain, written=f"{number}{unit}")


def joined_keyword(word: str) -> Message | None:
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
    return say.JOINED_KEYWORD(split=split)


def statement_keyword_near(word: str) -> str | None:
    """The statement keyword ``word`` is most likely a misspelling of (``comission``)."""
    close = difflib.get_close_matches(word.lower(), STATEMENT_KEYWORDS, n=1, cutoff=0.75)
    return close[0] if close else None


def misspelt_keyword_hint(word: str, keyword: str) -> Message:
    """The hint for ``word`` written for ``keyword``: capitals, or a misspelling."""
    if word.lower() == keyword:
        return say.LOWER_CASE(keyword=keyword)
    return common.DID_YOU_MEAN(name=f"'{keyword}'")


def one_character_slips(word: str, keywords: Iterable[str]) -> list[str]:
    """The Chinese keywords ``word`` is with one character replaced (``奖历`` for ``奖励``).

    A Chinese keyword is two or three characters; one wrong is a ratio of 0.5 or 0.67, below
    any difflib cutoff that keeps English slips apart, yet each character is a syllable an
    input method picks from its homophones. Only the keywords expected where the word stands
    are asked, so ``奖历`` after a step is ``奖励`` (reward), not ``奖金`` (bonus).
    """
    return sorted(
        k
        for k in keywords
        if len(k) == len(word) >= 2
        and all("\u4e00" <= c <= "\u9fff" for c in k)
        and sum(a != b for a, b in zip(word, k, strict=True)) == 1
    )


def closeness(word: str, keyword: str) -> float:
    """How alike two words are, from 0 to 1 (difflib's ratio)."""
    return difflib.SequenceMatcher(None, word, keyword).ratio()


def continued_hint(line: int, source: Source) -> Message | None:
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
    return say.CONTINUED(word=words[0], line=previous)


def keyword_as_value(line: str, column: int) -> tuple[Message, Message, int, int] | None:
    """``balance step 1%``: a clause whose value is missing, so the next keyword read as a name.

    A clause value may be a name (LANGUAGE.md §9), so the parser takes `step` for the balance
    point and stops after it. Returns the message, the hint and the keyword's columns.
    """
    found = re.search(r"(\S+)\s+(\S+)\s*$", line[: column - 1])
    if found is None or not {found[1], found[2]} <= CLAUSE_WORDS:
        return None
    message = say.NO_VALUE(clause=found[1], keyword=found[2])
    # The example is written in the file's spelling: `平衡点 30% 每 1% 奖励 200`.
    example = {k: Keyword(k) for k in ("balance", "step", "reward")}
    hint = say.VALUE_AFTER(clause=found[1], **example)
    return message, hint, found.start(2) + 1, found.end(2) + 1
