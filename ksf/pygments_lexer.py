"""A Pygments lexer for rule files: ``pygmentize -l ksf pay.ksf``, and any tool built on Pygments.

Registered as the ``ksf`` entry point of ``pygments.lexers`` (the ``highlight`` extra installs
Pygments); ``import ksf`` never loads it. Keywords come from `ksf.spelling`, the table the
parser and the formatter read, so both spellings (``balance`` and ``平衡点``) are keywords
here as soon as the language has them. A keyword is a whole word: ``每`` is the keyword
`step`, while ``每日销售`` is a name.
"""

from __future__ import annotations

from collections.abc import Iterator

from pygments.lexer import RegexLexer
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
    _TokenType,
)

from ksf.spelling import CHINESE_WORDS, EN_VALUES, ENGLISH_WORDS, ZH_VALUES

__all__ = ["KsfLexer"]

KEYWORDS = ENGLISH_WORDS | CHINESE_WORDS
VALUES = frozenset(ZH_VALUES) | frozenset(EN_VALUES)  # `missing as zero`, `half_up`
WORD = r"[^\W\d]\w*"  # the grammar's NAME: a keyword is a NAME the table lists
NUMBER = r"\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?"


def _called(lexer: RegexLexer, match: object) -> Iterator[tuple[int, _TokenType, str]]:
    """A word before ``(``: a function, unless it is a keyword (`when (…)`, `not (…)`)."""
    start, text = match.start(), match.group()  # type: ignore[attr-defined]
    yield start, (Keyword if text in KEYWORDS else Name.Function), text


def _word(lexer: RegexLexer, match: object) -> Iterator[tuple[int, _TokenType, str]]:
    """A word: a keyword, a value word (`zero`, `四舍五入`) or a name."""
    start, text = match.start(), match.group()  # type: ignore[attr-defined]
    if text in KEYWORDS:
        yield start, Keyword, text
    elif text in VALUES:
        yield start, Keyword.Constant, text
    else:
        yield start, Name, text


class KsfLexer(RegexLexer):
    """KSF pay-rule files (``.ksf``), in English or Chinese keywords."""

    name = "ksf"
    aliases = ["ksf"]  # noqa: RUF012 - Pygments reads these class attributes
    filenames = ["*.ksf"]  # noqa: RUF012
    mimetypes = ["text/x-ksf"]  # noqa: RUF012
    url = "https://pypi.org/project/ksf/"

    tokens = {  # noqa: RUF012
        "root": [
            (r"[ \t\f\r\n]+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"[^"\n]*"', String.Double),
            (NUMBER + r"%", Number.Float),  # a percentage
            (NUMBER + r":" + NUMBER, Number.Float),  # a ratio (`2:1`)
            (NUMBER + r"万?", Number),  # `100万` is 1,000,000
            (WORD + r"(?=[ \t]*\()", _called),  # `perf_coefficient(kpi)`, `sum(…)`
            (WORD, _word),
            (r">=|<=|==|!=|[<>+\-*/=]", Operator),
            (r"[{}(),:;]", Punctuation),
            (r".", Error),  # no token of ksf's (`×`, `：`): `ksf check` says what to write
        ]
    }
