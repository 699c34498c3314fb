"""The ledger's errors: each a `KsfError` written in English or Chinese (`render`)."""

from __future__ import annotations

from ksf.errors import KsfError
from ksf.explain_words import Lang
from ksf.message import Message, text


class LedgerError(KsfError):
    """A ledger that cannot do what was asked: a period posted or closed, nothing posted.

    ``said`` is the catalogue message; ``str()`` is its English text and `render` writes it
    in either language, as the command line does.
    """

    def __init__(self, said: Message) -> None:
        self.said = said
        self.message = text(said)
        super().__init__(self.message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.said,))

    def render(self, lang: Lang = "en") -> str:
        """The message in ``lang``."""
        return text(self.said, lang)


class AlreadyPostedError(LedgerError):
    """The period has a posting, and ``replace=True`` was not given (or another won a race)."""


class PeriodClosedError(LedgerError):
    """The period is closed: its posting is final."""


class NotPostedError(LedgerError, KeyError):
    """Nothing is posted for the period asked for (a `KeyError`, as a failed lookup is)."""

    def __str__(self) -> str:
        return self.message  # KeyError's own __str__ would quote the message


class LedgerSchemaError(LedgerError):
    """The database is not a ledger this ksf can read (a newer schema, or not a database)."""
