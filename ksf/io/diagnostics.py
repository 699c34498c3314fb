"""Diagnostics as data: `ksf check --format json` for scripts, `--format sarif` for code scanning.

A rule file's errors and warnings are the same `Diagnostic` values the terminal report
renders; here each becomes a record with its catalogue id as a stable code
(``check.STEP_NOT_POSITIVE``), its 1-based span, and its message and hint in one language.
A failure with no position in the rule text (a `DataError` from ``--data``) is a record
without a span. SARIF is version 2.1.0 (OASIS), the format GitHub code scanning and other
CI tools read; each code is one of its ``rules``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from urllib.parse import quote

import attrs

from ksf.catalogue import entries
from ksf.errors import Diagnostic, RuleError
from ksf.explain_words import Lang
from ksf.message import Message, Say, text
from ksf.spelling import mostly
from ksf.version import __version__

__all__ = ["FileReport", "Record", "json_document", "records", "sarif_document"]

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FIGURE = re.compile(r"\{[a-z_]+\}")
JSON_VERSION = 1  # raised when a field changes meaning; new fields keep it


@attrs.frozen
class FileReport:
    """What checking one rule file found: its cards, and its diagnostics or its failure."""

    path: str
    cards: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    # An error with no place in the rule text: a data error, or a file that is not there.
    failure: Exception | None = None


@attrs.frozen
class Record:
    """One diagnostic, written out: what scripts read."""

    file: str
    severity: str  # "error" or "warning"
    code: str  # the catalogue id, stable across releases and languages
    message: str
    hint: str | None
    line: int | None  # 1-based; None when the problem has no place in the rule text
    column: int | None
    end_line: int | None
    end_column: int | None


def records(report: FileReport, lang: Lang) -> list[Record]:
    """The report's diagnostics (and its failure, last), written in ``lang``."""
    found = [_diagnostic(report.path, d, lang) for d in report.diagnostics]
    if isinstance(report.failure, RuleError):
        found += [_diagnostic(report.path, d, lang) for d in report.failure.errors]
    elif report.failure is not None:
        failure = report.failure
        render = getattr(failure, "render", None)  # a data error's text names its rows
        said = getattr(failure, "said", None)
        message = (
            render(lang)
            if callable(render)
            else said.text(lang)
            if isinstance(said, Message)
            else str(failure)
        )
        code = _code_of_failure(failure)
        found.append(Record(report.path, "error", code, message, None, None, None, None, None))
    return found


def _code_of_failure(failure: BaseException) -> str:
    """The catalogue id of an error's message, or of the error it wraps (a file's)."""
    for error in (failure, getattr(failure, "error", None)):
        said = getattr(error, "said", None)
        if isinstance(said, Message) and said.said in _codes():
            return _codes()[said.said]
    return "error"


def json_document(reports: Sequence[FileReport], lang: Lang) -> str:
    """Every file's cards and diagnostics as one JSON document."""
    files = [
        {
            "file": r.path,
            "ok": not any(rec.severity == "error" for rec in records(r, lang)),
            "cards": list(r.cards),
            "diagnostics": [attrs.asdict(rec) for rec in records(r, lang)],
        }
        for r in reports
    ]
    document = {"version": JSON_VERSION, "ksf": __version__, "lang": lang, "files": files}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def sarif_document(reports: Sequence[FileReport], lang: Lang) -> str:
    """Every file's diagnostics as one SARIF 2.1.0 log with one run."""
    found = [rec for r in reports for rec in records(r, lang)]
    codes = sorted({rec.code for rec in found})
    driver = {
        "name": "ksf",
        "version": __version__,
        "rules": [_rule(code) for code in codes],
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",  # a column counts characters, as ksf's do
        "results": [_result(rec, codes.index(rec.code)) for rec in found],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def code_of(said: Say) -> str:
    """The catalogue id of an entry (``check.STEP_NOT_POSITIVE``)."""
    return _codes().get(said, "error")


@cache
def _codes() -> dict[Say, str]:
    return {say: name for name, say in entries().items()}


def _diagnostic(path: str, diagnostic: Diagnostic, lang: Lang) -> Record:
    keywords = mostly(diagnostic.source.text)  # keywords quoted as the file spells them
    hint = text(diagnostic.hint_said, lang, keywords) if diagnostic.hint_said else None
    span = diagnostic.span
    return Record(
        file=path,
        severity=diagnostic.severity,
        code=code_of(diagnostic.said.said),
        message=text(diagnostic.said, lang, keywords),
        hint=hint,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
    )


def _rule(code: str) -> dict[str, object]:
    said = entries().get(code)
    if said is None:
        return {"id": code, "shortDescription": {"text": code}}
    # The entry with its figures left open: what every message of this rule says.
    return {"id": code, "shortDescription": {"text": FIGURE.sub("…", said.en)}}


def _result(record: Record, rule_index: int) -> dict[str, object]:
    message = record.message + (f"\n{record.hint}" if record.hint else "")
    location: dict[str, object] = {"artifactLocation": {"uri": _uri(record.file)}}
    if record.line is not None:
        location["region"] = {
            "startLine": record.line,
            "startColumn": record.column,
            "endLine": record.end_line,
            "endColumn": record.end_column,
        }
    return {
        "ruleId": record.code,
        "ruleIndex": rule_index,
        "level": record.severity,
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
    }


def _uri(path: str) -> str:
    """A file URI for an absolute path; else a relative reference with '/' (SARIF 3.10)."""
    if Path(path).is_absolute():
        return Path(path).as_uri()
    return "/".join(quote(part) for part in path.replace("\\", "/").split("/"))
