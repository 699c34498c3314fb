"""The two spellings of the keywords: English and Chinese (LANGUAGE.md §12).

A rule file may spell every keyword either way, or mix them; both spellings parse to the same
AST. The grammar (grammar.lark) lists each Chinese spelling as an alternative of its English
keyword; the parser maps a Chinese spelling to the English word the AST carries; the
formatter (``ksf fmt --lang zh|en``) writes one spelling. A test checks this table against
the grammar. It imports only `Lang`, the two languages ksf speaks (`ksf.explain_words`).
"""

from __future__ import annotations

import re

from ksf.explain_words import Lang

# English keyword → Chinese keyword. Two English words may be one Chinese keyword
# (`split by` → `分配按`, `missing as` → `缺失按`); `by` alone (`base by grade { … }`) is `按`.
# fmt: off
ZH: dict[str, str] = {
    "card": "计薪卡", "table": "系数表", "base": "底薪", "else": "其他",
    "allowance": "补贴", "score": "考核", "bonus": "奖金", "weight": "权重",
    "commission": "提成", "baseline": "底线", "rate": "比例", "target": "目标",
    "balance": "平衡点", "challenge": "挑战", "step": "每", "points": "分值",
    "reward": "奖励", "pool": "奖金池", "penalty": "扣减", "above": "超出",
    "cap": "封顶", "share": "分享", "floor": "保底", "split by": "分配按",
    "pot": "分配", "per": "按组", "beyond": "超过", "min_pay": "最低工资",
    "prorate": "按比例", "missing as": "缺失按", "higher_is_better": "越高越好",
    "retroactive": "全额累进", "lower_is_better": "越低越好", "scaled_by": "乘以",
    "as": "记为", "indicator": "指标", "when": "当", "of": "的",
    "and": "且", "or": "或", "not": "非", "currency": "币种", "rounding": "取整",
    "language": "语言", "effective": "生效",
    # not in §12's table: `base by grade { … }` and the `column` declaration
    "by": "按", "column": "数据列",
    # §11: `all` in `rank(x over all)`; `over` is `按` like `by` (`ksf.dsl.format_expr`)
    "all": "全体",
}
# fmt: on
# Chinese keyword → the English keyword (or words) it spells.
EN: dict[str, str] = {zh: en for en, zh in ZH.items()}

# Words that are values, not keywords (a name in the grammar): `missing as zero` and
# `rounding 0.01 half_up`. The parser reads the Chinese word as the English one.
ZH_VALUES: dict[str, str] = {"zero": "零", "half_up": "四舍五入"}
EN_VALUES: dict[str, str] = {zh: en for en, zh in ZH_VALUES.items()}

# §11's `over` is spelt `按`, which is `by`'s spelling already.

ENGLISH_WORDS = frozenset(w for en in ZH for w in en.split())
CHINESE_WORDS = frozenset(EN)

_WORD = re.compile(r'"[^"\n]*"|#[^\n]*|[^\W\d]\w*')


def word(english: str, lang: Lang) -> str:
    """A keyword in the spelling of ``lang`` (``balance`` → ``平衡点``)."""
    return ZH.get(english, english) if lang == "zh" else english


def value_word(english: str, lang: Lang) -> str:
    """A value written as a name (``zero``, ``half_up``) in the spelling of ``lang``.

    Any other name (a rounding mode the checker will refuse) is left as written, even one
    that spells a keyword: only a word that reads back as the same value is translated.
    """
    return ZH_VALUES.get(english, english) if lang == "zh" else english


def english(spelt: str) -> str:
    """The English keyword that the keyword ``spelt`` spells (``平衡点`` → ``balance``)."""
    return EN.get(spelt, spelt)


def mostly(text: str) -> Lang:
    """The spelling most keywords of ``text`` use, English when it is even.

    ``"zh"`` when Chinese keywords outnumber English ones (comments and labels aside). A name
    that spells an English keyword (a column ``rate``) counts as English: it only tips a file
    that is about evenly mixed.
    """
    chinese = latin = 0
    for match in _WORD.finditer(text):
        found = match.group()
        if found in CHINESE_WORDS:
            chinese += 1
        elif found in ENGLISH_WORDS:
            latin += 1
    return "zh" if chinese > latin else "en"


# `language zh` / `语言 zh` where a statement may stand: strings and comments are skipped.
_SETTING = re.compile(r'"[^"\n]*"|#[^\n]*|(?<!\w)(?:language|语言)[ \t]+(zh|en)(?!\w)')


def declared_language(text: str) -> Lang | None:
    """The language a rule file's ``language`` line sets (``language zh``, ``语言 en``), or None.

    A scan of the text, for the file that does not compile: its errors are then written in
    the language it asks for (``ksf check``). A file that compiles has its setting in
    ``ir.Program.language``, which this scan finds too (tests/test_messages_cli.py); a
    ``language`` in a comment or a string does not count.
    """
    for match in _SETTING.finditer(text):
        match match.group(1):
            case "zh":
                return "zh"
            case "en":
                return "en"
    return None
