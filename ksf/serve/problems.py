"""Answers that are not a payroll: ``application/problem+json`` (RFC 9457).

Each carries what the Python exception carries, so an ERP in Java or Go can show the same
error a person sees on the command line: a rule error's diagnostics (line, column, message,
hint, code), a data error's column, rows and employee ids. ``title`` and ``detail`` are in
the request's language (``Accept-Language: zh`` or ``?lang=zh``). No answer holds a stack
trace: an exception ksf did not expect is logged by the service and answered with 500 and a
fixed sentence.
"""

from __future__ import annotations

from typing import Any

import attrs

from ksf.catalogue import serve as say
from ksf.errors import DataError, KsfError, RuleError, UnknownEmployeeError
from ksf.explain_words import Lang
from ksf.io.diagnostics import FileReport, code_of, records
from ksf.message import Message

__all__ = ["MEDIA_TYPE", "Problem", "from_error"]

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:ksf:problem:"  # a problem type is a name, not a page to fetch


@attrs.frozen
class Problem(Exception):  # noqa: N818 - an answer, raised from anywhere in a request
    """A problem answer: its status, its kind, what went wrong and the fields that place it."""

    status: int
    kind: str  # the last part of ``type``: "rule-error", "data-error", "too-many-rows"…
    title: Message
    detail: Message | str | None = None
    fields: tuple[tuple[str, Any], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()

    def body(self, lang: Lang) -> dict[str, Any]:
        """The JSON object of the answer."""
        found: dict[str, Any] = {
            "type": TYPE_BASE + self.kind,
            "title": self.title.text(lang),
            "status": self.status,
        }
        if self.detail is not None:
            detail = self.detail
            found["detail"] = detail.text(lang) if isinstance(detail, Message) else detail
        found.update(self.fields)
        return found


def from_error(error: KsfError, lang: Lang, source: str, *, evaluating: bool = False) -> Problem:
    """The problem answer of a ksf error (422; an unknown employee 404).

    ``evaluating``: a rule error raised by binding the data (a name the data lacks) is a
    data error, still placed in the rule text.
    """
    if isinstance(error, RuleError):
        found = records(FileReport(source, failure=error), lang)
        diagnostics = [attrs.asdict(r) for r in found]
        first = diagnostics[0]
        fields: tuple[tuple[str, Any], ...] = (
            ("line", first["line"]),
            ("column", first["column"]),
            ("code", first["code"]),
            ("diagnostics", diagnostics),
        )
        kind, title = (
            ("data-error", say.DATA_ERROR()) if evaluating else ("rule-error", say.RULE_ERROR())
        )
        return Problem(422, kind, title, error.render(lang), fields)
    if isinstance(error, UnknownEmployeeError):
        return Problem(404, "unknown-employee", say.UNKNOWN_EMPLOYEE(), error.render(lang))
    if isinstance(error, DataError):
        labels = list(error.labels) if error.labels is not None else None
        fields = (
            ("code", code_of(error.said.said)),
            ("column", error.column),
            ("rows", list(error.rows)),
            ("labels", labels),  # the rows' employee ids (or their lines in the file)
            ("table", error.table),
        )
        return Problem(422, "data-error", say.DATA_ERROR(), error.render(lang), fields)
    # Another ksf error about what was sent (a period that is no month or quarter).
    render = getattr(error, "render", None)
    detail = render(lang) if callable(render) else str(error)
    said = getattr(error, "said", None)
    code = code_of(said.said) if isinstance(said, Message) else "error"
    return Problem(422, "bad-request", say.BAD_REQUEST(), detail, (("code", code),))
