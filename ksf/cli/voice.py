"""The language the command speaks, and the reports of what went wrong, in it.

``--lang zh|en`` when given; else the rule file's ``language`` setting: its
``ir.Program.language`` when the file compiles, and for a file that does not, the
``language zh`` (``语言 zh``) line its text has (`ksf.spelling.declared_language`, which
finds the same setting in a file that compiles); else English. argparse's own usage line
and ``--help`` stay English.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

import ksf
from ksf.catalogue import cli as say
from ksf.catalogue import common
from ksf.cli.inputs import UsageError, said_of
from ksf.cli.render import error_text
from ksf.errors import KsfError
from ksf.explain_words import Lang, check_lang
from ksf.message import Message
from ksf.rulebook import read_rules
from ksf.spelling import declared_language


def language(args: argparse.Namespace, compiled: Lang | None = None) -> Lang:
    """``--lang``, else ``compiled`` (the loaded file's setting), else the rule file's line."""
    chosen = getattr(args, "lang", None) or compiled
    if chosen:
        return check_lang(chosen)
    path = getattr(args, "file", None) or next(iter(getattr(args, "files", None) or []), None)
    return (file_language(path) if path else None) or "en"


def file_language(path: str) -> Lang | None:
    """The ``language`` a rule file's text sets, or None (no such line, or no such file)."""
    try:
        return declared_language(read_rules(path))
    except (OSError, KsfError):
        return None


def report(failure: BaseException, args: argparse.Namespace, err: TextIO) -> int:
    """Print what stopped a command, in the command's language; return the exit status."""
    lang = language(args)
    match failure:
        case KeyboardInterrupt():  # Ctrl-C: any output file is left as it was
            err.write(say.INTERRUPTED().text(lang) + "\n")
            return 130
        case UsageError():
            return usage(failure.said, err, lang)
        case FileNotFoundError():
            return usage(say.NO_SUCH_FILE(path=failure.filename), err, lang)
        case IsADirectoryError():
            return usage(say.IS_A_DIRECTORY(path=failure.filename), err, lang)
        case OSError():  # permissions, a full disk: nothing ksf can fix
            reason = failure.strerror or failure
            return usage(say.OS_FAILURE(path=failure.filename or "", reason=reason), err, lang)
        case ImportError():  # an optional extra; the message says what to install
            return usage(said_of(failure), err, lang)
        case KsfError():
            report_error(failure, err, lang)
            return 1
        case _:  # the last resort: a bug, never a traceback
            return internal(failure, err, lang)


def report_error(error: KsfError, err: TextIO, lang: Lang = "en") -> None:
    """Print a rule error (every diagnostic, each with its source line) or a data error."""
    diagnostics = getattr(error, "errors", None)
    if not diagnostics:
        render = getattr(error, "render", None)
        error_text(render(lang) if render is not None else str(error), err)
        return
    for k, diagnostic in enumerate(diagnostics):
        if k:
            err.write("\n")
        error_text(diagnostic.render(lang), err)
    if len(diagnostics) > 1:
        err.write("\n" + common.ERRORS_COUNT(count=len(diagnostics)).text(lang) + "\n")


def usage(said: Message, err: TextIO, lang: Lang = "en") -> int:
    """``ksf: error: …``: a mistake in the command line (exit status 2)."""
    error_text(say.USAGE(message=said).text(lang), err)
    return 2


def internal(bug: BaseException, err: TextIO, lang: Lang = "en") -> int:
    """A short report of an exception ksf should have turned into a clear error (status 3)."""
    where = f"ksf {ksf.__version__}, Python {sys.version.split()[0]}"
    said = say.INTERNAL(kind=type(bug).__name__, text=str(bug)[:300], where=where)
    error_text(said.text(lang), err)
    return 3
