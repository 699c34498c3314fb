"""What stops a calibration: an error that says why, in English or Chinese, never a guess."""

from __future__ import annotations

from ksf.catalogue import calibrate as say
from ksf.errors import KsfError
from ksf.explain_words import Lang
from ksf.message import Message


class CalibrationError(KsfError):
    """A calibration that cannot be made as asked: no solution, too little history, no role.

    ``said`` is the message; ``str()`` is its English text, `render` any language's.
    """

    def __init__(self, said: Message) -> None:
        self.said = said
        super().__init__(said.text())

    def __str__(self) -> str:
        return self.render()

    def render(self, lang: Lang = "en") -> str:
        """``error: message`` in ``lang``."""
        return say.FAILED(message=self.said).text(lang)


class UnknownLineError(CalibrationError, KeyError):
    """``--line CARD.LINE`` naming a line the card does not have (a `KeyError` too)."""
