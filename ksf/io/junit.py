"""JUnit XML for CI systems (Jenkins, GitLab, GitHub Actions): ``ksf test --junit FILE``.

Written with `xml.etree.ElementTree`, which escapes ``&``, ``<``, ``>`` and quotes in text
and attributes; characters XML 1.0 cannot hold at all (control characters from a cell)
are written as visible escapes first (`ksf.source.visible`), so any id or note is safe.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from ksf.io.write import write_atomically
from ksf.source import visible


@attrs.frozen
class JunitCase:
    """One test case: its name, its class (the case sheet), and its failure, if it failed.

    ``error``: the case could not be run (a mistake in the sheet), a JUnit ``<error>``;
    otherwise a failure is an amount that differs, a ``<failure>``.
    """

    name: str
    classname: str
    failure: str | None = None  # the one-line message
    details: str = ""  # the full report of the failure
    error: bool = False


def _safe(text: str) -> str:
    """Text XML 1.0 can hold: control characters (but tab and newline) as escapes."""
    shown = visible(text)
    return "".join(c if c in "\t\n" or ord(c) >= 0x20 else f"\\x{ord(c):02x}" for c in shown)


def junit_xml(suites: Mapping[str, Sequence[JunitCase]]) -> str:
    """A ``<testsuites>`` document: one ``<testsuite>`` per case sheet."""
    root = ET.Element("testsuites", name="ksf test")
    for name, cases in suites.items():
        failures = sum(case.failure is not None and not case.error for case in cases)
        errors = sum(case.failure is not None and case.error for case in cases)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=_safe(name),
            tests=str(len(cases)),
            failures=str(failures),
            errors=str(errors),
        )
        for case in cases:
            element = ET.SubElement(
                suite, "testcase", name=_safe(case.name), classname=_safe(case.classname)
            )
            if case.failure is not None:
                kind = "error" if case.error else "failure"
                failure = ET.SubElement(element, kind, message=_safe(case.failure))
                failure.text = _safe(case.details)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(path: str | Path, suites: Mapping[str, Sequence[JunitCase]]) -> None:
    """Write `junit_xml` to ``path``, replacing it only when complete."""
    write_atomically(Path(path), junit_xml(suites))
