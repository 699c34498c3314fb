"""Lark's exceptions → `KsfSyntaxError`, in words an HR person reads.

What the parser expected is listed by kind (``a number``, ``'}'``), keywords in the file's
spelling; the token it stopped at gets a hint from `ksf.dsl.hints` where it is a known slip.
An end-of-file error points at the end of the last line, and an unclosed block at the
statement that follows it.
"""

from __future__ import annotations

import lark
from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from ksf.catalogue import syntax as say
from ksf.dsl.grammar import chinese_terminals, keywords, lark_parser
from ksf.dsl.hints import (
    closeness,
    continued_hint,
    keyword_as_value,
    misspelt_keyword_hint,
    one_character_slips,
    statement_keyword_near,
    token_slip,
    unexpected_character,
)
from ksf.dsl.recover import open_block, unclosed_block
from ksf.errors import KsfSyntaxError, suggest, suggest_among
from ksf.explain_words import Lang
from ksf.message import Keyword, Message, Say
from ksf.source import Source, Span
from ksf.spelling import ZH, mostly

_WORDS: dict[str, Say] = {
    "NAME": say.A_NAME,
    "DECIMAL": say.A_NUMBER,
    "PERCENT": say.A_PERCENTAGE,
    "RATIO": say.A_RATIO,
    "STRING": say.A_LABEL,
    "MONTH": say.A_MONTH,
    "COMP_OP": say.A_COMPARISON,
    "_SEP": say.A_SEPARATOR,
    "$END": say.THE_END,
}
_SHOWN = 10  # expected things listed; the rest are "…"


def syntax_error(exc: UnexpectedInput, source: Source) -> KsfSyntaxError:
    """A Lark exception in plain words, positioned in ``source``."""
    if isinstance(exc, UnexpectedCharacters):
        position = int(getattr(exc, "pos_in_stream", 0) or 0)
        message, hint = unexpected_character(source.text, position)
        return KsfSyntaxError.at(message, Span.point(exc.line, exc.column), source, hint)
    token = getattr(exc, "token", None)
    expected = set(getattr(exc, "expected", set()) or getattr(exc, "accepts", set()) or ())
    if isinstance(exc, UnexpectedEOF) or token is None or token.type == "$END":
        lines = source.text.rstrip("\n").split("\n")
        span = Span.point(len(lines), len(lines[-1].rstrip("\r")) + 1)
        hint = say.EXPECTED(expected=expected_words(expected, mostly(source.text)))
        opened = open_block(source.lines())
        if opened is not None and "RBRACE" in expected:
            hint = say.NOT_CLOSED_AT_END(line=opened)
        return KsfSyntaxError.at(say.ENDS_MID_STATEMENT(), span, source, hint)
    return _token_error(token, expected, source)


def expected_words(names: set[str], lang: Lang = "en") -> Message | str:
    """What the parser expected, in words; keywords in one spelling, that of ``lang``.

    A list of figures, written in the language of the error (``a number``, ``一个数字``).
    The keywords are spelt here, as ``lang`` (the file's spelling), not as `Keyword`s: the
    English `.message` of a Chinese file has always listed them as the file spells them.
    """
    listed: Message | str = ""
    for _, said in reversed(_expected(names, lang)):
        listed = say.LIST(first=said, rest=listed) if listed else said
    return listed


def _expected(names: set[str], lang: Lang) -> list[tuple[str, Message | str]]:
    """The things expected, each as its English text and its figure, in the order shown."""
    terminals = {t.name: t for t in lark_parser().terminals}
    words: dict[str, Message | str] = {}
    chinese = chinese_terminals()
    for name in names:
        if name in chinese:
            continue  # listed through its English twin, in the file's spelling
        said: Message | str
        if name in _WORDS:
            said = _WORDS[name]()
        elif name in terminals and isinstance(terminals[name].pattern, lark.lexer.PatternStr):
            said = say.QUOTED(word=_spelt(terminals[name].pattern.value, lang))
        else:
            said = name.lower()
        words[str(said)] = said
    # Punctuation first (a missing '}' is the likeliest slip), then kinds of token, then keywords.
    ordered = sorted(words, key=lambda w: (not _is_punctuation(w), w.startswith("'"), w))
    shown = [(w, words[w]) for w in ordered[:_SHOWN]]
    return shown + ([("…", "…")] if len(ordered) > _SHOWN else [])


def _spelt(keyword: str, lang: Lang) -> str:
    """A keyword (or the first word of one: ``split``, ``missing``) as ``lang`` spells it."""
    if lang == "en":
        return keyword
    return ZH.get(keyword) or ZH.get(f"{keyword} by") or ZH.get(f"{keyword} as") or keyword


def _is_punctuation(word: str) -> bool:
    return len(word) == 3 and word[0] == word[2] == "'" and not word[1].isalnum()


def _describe(token: Token) -> Message:
    if token.type == "$END":
        return say.FOUND_END()
    if token.type == "_SEP":
        return say.FOUND_LINE_END() if "\n" in token.value else say.FOUND_SIGN(sign=";")
    if token.type == "NAME":
        return say.FOUND_NAME(name=token.value)
    if token.type in ("DECIMAL", "PERCENT", "RATIO"):
        return say.FOUND_NUMBER(number=token.value)
    return say.FOUND_SIGN(sign=token.value)


def _token_error(token: Token, expected: set[str], source: Source) -> KsfSyntaxError:
    line = token.line or 1
    column = token.column or 1
    opened = unclosed_block(source, line)
    if opened is not None:
        message = say.NOT_CLOSED(line=opened)
        return KsfSyntaxError.at(message, Span.point(line, 1), source, say.ADD_BRACE())
    if token.type == "_SEP" and token.value.startswith("\n"):
        end = source.line_text(line) or ""
        span = Span.point(line, len(end) + 1)
    else:
        width = max(len(token.value.split("\n")[0]), 1)
        span = Span(line, column, line, column + width)
    misspelt = _misspelt_first_word(token, expected, source)
    if misspelt is not None:
        return misspelt
    valueless = keyword_as_value(source.line_text(line) or "", column)
    if valueless is not None:
        said, told, first, last = valueless
        return KsfSyntaxError.at(said, Span(line, first, line, last), source, told)
    message = say.UNEXPECTED(
        found=_describe(token), expected=expected_words(expected, mostly(source.text))
    )
    hint = _token_hint(token, expected, source) or continued_hint(line, source)
    return KsfSyntaxError.at(message, span, source, hint)


def _token_hint(token: Token, expected: set[str], source: Source) -> Message | None:
    """A labelled hint for common slips: thousands commas, misspelt clauses, capitals."""
    line = source.line_text(token.line or 1) or ""
    slip = token_slip(token.type, token.value, token.column or 1, expected, line)
    if slip:
        return slip
    before = line[: (token.column or 1) - 1].split()[-1:]
    if "NAME" in expected and before in (["over"], ["按"]):  # `sum(sales over )`
        return say.OVER_COLUMN(over=before[0], all=Keyword("all"))
    if token.type == "NAME":
        words = _keywords_expected(expected)
        words |= {ZH[k] for k in words if k in ZH}  # both: 平衡 → '平衡点'?, stp → 'step'?
        if token.value.lower() in keywords() and token.value != token.value.lower():
            return say.LOWER_CASE(keyword=token.value.lower())
        close = suggest(token.value, words) or suggest_among(
            one_character_slips(token.value, words)
        )
        if close:
            return close
    return None


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
    if len(words) != 1 or not words[0].isidentifier() or words[0] in keywords():
        return None
    word = words[0]
    close = statement_keyword_near(word)
    if close is None or closeness(word.lower(), close) <= _token_closeness(token, expected):
        return None
    column = before.index(word) + 1
    span = Span(line, column, line, column + len(word))
    hint = misspelt_keyword_hint(word, close)
    return KsfSyntaxError.at(say.UNKNOWN_STATEMENT(word=word), span, source, hint)


def _token_closeness(token: Token, expected: set[str]) -> float:
    """How close an unexpected name is to the nearest keyword the parser expected there."""
    if token.type != "NAME":
        return 0.0
    words = {w.strip("'") for w, _ in _expected(expected, "en")}
    return max((closeness(token.value, k) for k in words if k.isidentifier()), default=0.0)


def _keywords_expected(names: set[str]) -> set[str]:
    """The keywords (English) among the terminals the parser expected."""
    terminals = {t.name: t for t in lark_parser().terminals}
    chinese = chinese_terminals()
    found = set()
    for name in names - chinese - _WORDS.keys():
        pattern = terminals[name].pattern if name in terminals else None
        if isinstance(pattern, lark.lexer.PatternStr) and pattern.value.isidentifier():
            found.add(pattern.value)
    return found
