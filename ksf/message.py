"""Messages that speak both languages: `Say` (a catalogue entry) and `Message` (one said).

Every error, warning and hint ksf shows a person is a `Message`: an entry of the catalogue
(`ksf.catalogue`) and the figures that fill it, not a finished English string. It is written
out in English or Chinese only when shown (`Message.text(lang)`), so the same error prints
in the language of whoever reads it: ``ksf check --lang zh``, ``error.render("zh")``.

A figure may itself be a `Message` (written in the same language) or a `Keyword`, which is
written as the rule file spells its keywords (`每` in a Chinese file, `step` in an English
one), so a hint quotes what the person typed.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from ksf.explain_words import Lang
from ksf.spelling import word

if TYPE_CHECKING:
    from collections.abc import Iterator


def _placeholders(template: str) -> frozenset[str]:
    """The ``{name}`` fields of a template."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _same_fields(instance: Say, attribute: attrs.Attribute[str], zh: str) -> None:
    """A Chinese spelling fills the same figures as the English one, and is Chinese."""
    if _placeholders(instance.en) != _placeholders(zh):
        msg = f"{instance.en!r} and {zh!r} fill different figures"
        raise ValueError(msg)
    if not _has_chinese(_placeholders_removed(zh)) and _has_words(instance.en):
        msg = f"the Chinese spelling of {instance.en!r} has no Chinese: {zh!r}"
        raise ValueError(msg)


def _placeholders_removed(template: str) -> str:
    return "".join(literal for literal, _, _, _ in string.Formatter().parse(template))


def _has_words(template: str) -> bool:
    """Whether a template says anything in words besides its figures and punctuation."""
    return any(c.isalpha() for c in _placeholders_removed(template))


@attrs.frozen
class Say:
    """One catalogue entry: what to say, in English and in Chinese.

    ``{name}`` marks a figure filled in when the message is made; both spellings must fill
    the same figures, and the Chinese one must be Chinese (attrs refuses anything else, so
    no entry can lack its translation).
    """

    en: str
    zh: str = attrs.field(validator=_same_fields)

    def __call__(self, **figures: object) -> Message:
        """This entry said with ``figures``."""
        missing = _placeholders(self.en) - figures.keys()
        if missing:
            msg = f"{self.en!r} needs {', '.join(sorted(missing))}"
            raise TypeError(msg)
        return Message(self, tuple(figures.items()))


@attrs.frozen
class Keyword:
    """A keyword quoted in a message, written as the rule file spells its keywords."""

    english: str


@attrs.frozen
class Message:
    """A catalogue entry and its figures, written out in a language when shown."""

    said: Say
    figures: tuple[tuple[str, object], ...] = ()

    def text(self, lang: Lang = "en", keywords: Lang | None = None) -> str:
        """The message in ``lang``; keywords spelt as ``keywords`` (default: ``lang``)."""
        spelling = keywords or lang
        template = self.said.zh if lang == "zh" else self.said.en
        return template.format_map(dict(self._written(lang, spelling)))

    def _written(self, lang: Lang, keywords: Lang) -> Iterator[tuple[str, str]]:
        for name, figure in self.figures:
            match figure:
                case Message():
                    yield name, figure.text(lang, keywords)
                case Keyword():
                    yield name, word(figure.english, keywords)
                case _:
                    yield name, str(figure)

    def __str__(self) -> str:
        return self.text("en")


def text(said: Message | str | None, lang: Lang = "en", keywords: Lang | None = None) -> str:
    """A message (or a plain string, or nothing) written out in ``lang``."""
    match said:
        case None:
            return ""
        case str():
            return said
        case Message():
            return said.text(lang, keywords)


def figures(said: Message) -> Mapping[str, object]:
    """A message's figures by name (for tests and machine-readable output)."""
    return dict(said.figures)
