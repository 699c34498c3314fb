"""What a plot says, in English (``en``, as it always has) or Chinese (``zh``).

The marks, bounds and notes are worded when the curve is computed (`ksf.plot.curve`), the
title and the axes when it is drawn; both read the language from here, so a Chinese plot
has no English word left but the names the rule file gives (lines, cards, columns).
"""

from __future__ import annotations

from typing import assert_never

from ksf.catalogue import io as say
from ksf.explain_words import Lang
from ksf.message import Message


def checked(lang: str) -> Lang:
    """``lang`` if ksf speaks it, else a ValueError naming the languages it does."""
    match lang:
        case "en" | "zh":
            return lang
        case _:
            raise ValueError(say.LANG_NAMES(lang=repr(lang)))


def balance_mark(lang: Lang, point: str) -> str:
    """The legend of the balance point: ``balance 25%`` / ``平衡点 25%``."""
    return f"balance {point}" if lang == "en" else f"平衡点 {point}"


def beyond_mark(lang: Lang, point: str, kind: str, rate: str) -> str:
    """A balance rule's ``beyond`` point: ``beyond 30% reward 250`` / ``超过 30% 奖励 250``."""
    if lang == "en":
        return f"beyond {point} {kind} {rate}"
    return f"超过 {point} {'奖励' if kind == 'reward' else '扣减'} {rate}"


def tier_mark(lang: Lang, point: str, percent: str) -> str:
    """A commission tier: ``beyond 1,000,000 rate 1%`` / ``超过 1,000,000 提成比例 1%``."""
    if lang == "en":
        return f"beyond {point} rate {percent}%"
    return f"超过 {point} 提成比例 {percent}%"


def bound(lang: Lang, kind: str) -> str:
    """``cap`` or ``floor``, or their Chinese keywords ``封顶`` and ``保底``."""
    if lang == "en":
        return kind
    return "封顶" if kind == "cap" else "保底"


def factor(lang: Lang, value: str, scale: str) -> str:
    """The legend of one curve of a ``scaled_by`` family: ``× 1.2 (perf_coefficient(review))``."""
    return f"× {value} ({scale})" if lang == "en" else f"乘以 {value}（{scale}）"


def held_at_one(lang: Lang, scale: str) -> str:
    """The note on a plot whose ``scaled_by`` factor has no values known before the data."""
    if lang == "en":
        return f"scaled_by {scale} is drawn at 1: pay = this amount × {scale}, then cap and floor"
    return f"乘以 {scale} 按 1 画出：实发 = 本金额 × {scale}，再按封顶、保底截取"


def title(lang: Lang, card: str, card_label: str | None, line: str) -> str:
    """The first line of the title; the line as written follows it."""
    match lang:
        case "en":
            return f"card {card}, line {line}"
        case "zh":
            named = f"{card}（{card_label}）" if card_label and card_label != card else card
            return f"计薪卡 {named}，项目 {line}"
        case _:
            assert_never(lang)


def x_label(lang: Lang, indicator: str, label: str | None) -> str:
    """The x axis: the indicator swept (in Chinese, its Chinese label first when it has one)."""
    if lang == "en":
        return indicator
    if label and label != indicator:
        return f"指标值：{label}（{indicator}）"
    return f"指标值：{indicator}"


def y_label(lang: Lang, line: str, currency: str) -> str:
    """The y axis: what the line pays, in the rule file's currency."""
    return f"{line} ({currency})" if lang == "en" else f"金额（{currency}）：{line}"


def per_row_note(lang: Lang, values: list[tuple[str, str, bool]]) -> str:
    """The note on a line drawn at per-row values: ``(name, value, a median of the data)``."""
    shown = [
        (say.PLOT_MEDIAN(value=f"{n} = {v}").text(lang) if median else f"{n} = {v}")
        for n, v, median in values
    ]
    joined = say.PLOT_VALUES_SEPARATOR().text(lang).join(shown)
    return say.PLOT_PER_ROW_VALUES(values=joined).text(lang)


def per_row_missing(line: str, clauses: Message, names: list[str]) -> Message:
    """What to pass for a line whose clause values are read per row: one line.

    In English it is said in both languages (en / zh), as the missing-font message: whoever
    reads it has not yet seen a plot in either; in Chinese (``ksf plot --lang zh``), once.
    """
    return say.PLOT_PER_ROW_NEEDED(
        line=repr(line),
        clauses=clauses,
        names=", ".join(names),
        pairs=" ".join(f"--at {n}=VALUE" for n in names),
        first=names[0],
        api=", ".join(f"{n!r}: …" for n in names),
    )
