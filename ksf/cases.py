"""``ksf test``: a payroll checked against cases HR worked out by hand, to the cent.

A case sheet (`ksf.io.read_cases`) holds one row per case: the inputs, the card, an id,
``expected_total`` and ``expected_<line>`` amounts and a ``note``. `check_cases`
(`ksf.case_check`) reads it against a rulebook — every mistake a clear `DataError` naming
the file, the column and the rows as the sheet shows them — and `run_cases` evaluates all
the cases at once and compares each expected amount with the payroll's, in whole rounding
units (exactly: ``1,234.50`` is 123450 cents). Each failure carries the explanation of the
line that differs (`ksf.Payroll.explain`), in English or Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import attrs
import numpy as np

from ksf._typing import BoolArray, FloatArray
from ksf.case_check import Cases, amount, check_cases, located
from ksf.catalogue import cases as say
from ksf.errors import DataError
from ksf.explain_words import Lang, check_lang, row_in_file
from ksf.io.junit import JunitCase
from ksf.io.read_cases import CaseSheet
from ksf.money import to_units
from ksf.payroll import Payroll
from ksf.payslip import explain_at
from ksf.rulebook import Rulebook

INDENT = "    "  # a failure's note and explanation, under its first line

__all__ = ["CaseFailure", "CaseReport", "Cases", "amount", "check_cases", "run_cases"]


@attrs.frozen
class CaseFailure:
    """One amount that is not what the case expects."""

    case: int  # 0-based, in sheet order
    line: str  # a line name, or "total"
    expected: Decimal
    actual: Decimal
    explanation: str  # of the line that differs (the whole row for the total)


@attrs.frozen
class CaseReport:
    """What `run_cases` found: every case, and the amounts that differ."""

    name: str
    labels: tuple[str, ...]  # each case as a person finds it: ``E01 (line 2 of pay.cases.csv)``
    cards: tuple[str, ...]
    notes: tuple[str, ...]
    failures: tuple[CaseFailure, ...]
    lang: Lang = "en"

    @property
    def passed(self) -> bool:
        """Whether every case pays what it expects."""
        return not self.failures

    def failed_cases(self) -> list[int]:
        """The cases with at least one amount that differs, in sheet order."""
        return sorted({f.case for f in self.failures})

    def head(self, failure: CaseFailure) -> str:
        """One amount that differs: the case, the card, the line, expected and actual."""
        line = say.TOTAL_LINE().text(self.lang) if failure.line == "total" else failure.line
        return say.CASE_FAILED(
            case=self.labels[failure.case],
            card=self.cards[failure.case],
            line=line,
            expected=f"{failure.expected:,}",
            actual=f"{failure.actual:,}",
        ).text(self.lang)

    def case_text(self, case: int) -> str:
        """A failing case: each amount that differs, its note, and the explanation.

        The explanation is of the lines that differ; when the total differs too, of the
        whole row (which holds every line's), so no line is explained twice.
        """
        found = [f for f in self.failures if f.case == case]
        note = self.notes[case]
        noted = [INDENT + say.CASE_NOTE(note=note).text(self.lang)] if note else []
        total = next((f for f in found if f.line == "total"), None)
        shown = [total.explanation] if total is not None else [f.explanation for f in found]
        body = [INDENT + row for text in shown for row in text.splitlines()]
        return "\n".join([*(self.head(f) for f in found), *noted, *body])

    def text(self) -> str:
        """The report: each failing case in full, then one line of counts."""
        failed = self.failed_cases()
        count = len(self.labels)
        if failed:
            summary = say.CASES_FAILED(file=self.name, failed=len(failed), count=count)
        else:
            summary = (say.CASE_PASSED if count == 1 else say.CASES_PASSED)(
                file=self.name, count=count
            )
        parts = [self.case_text(case) for case in failed]
        return "\n\n".join([*parts, summary.text(self.lang)]) + "\n"

    def junit(self) -> list[JunitCase]:
        """The cases for a JUnit XML file (`ksf.io.junit`): one test case each."""
        failed = set(self.failed_cases())
        return [
            JunitCase(
                name=label,
                classname=self.name,
                failure="; ".join(self.head(f) for f in self.failures if f.case == k)
                if k in failed
                else None,
                details=self.case_text(k) if k in failed else "",
            )
            for k, label in enumerate(self.labels)
        ]


# ---- running the cases -------------------------------------------------------------------


def run_cases(
    book: Rulebook,
    cases: Cases | CaseSheet,
    *,
    lang: Lang | None = None,
    params: Mapping[str, float] | None = None,
) -> CaseReport:
    """Evaluate every case at once and compare each expected amount to the cent.

    Args:
        book: the rules.
        cases: a case sheet (`ksf.io.read_cases`), checked here, or checked `Cases`.
        lang: the report's and the explanations' language (default: the rule file's
            ``language``, else English).
        params: scalars the rules name, the same for every case (``evaluate``'s).

    Raises:
        DataError: a mistake in the sheet (see `check_cases`), or data the rules refuse
            (a missing value, an unknown card), naming the sheet's rows.
    """
    if isinstance(cases, CaseSheet):
        sheet, cases = cases, check_cases(book, cases, params)
    else:
        sheet = CaseSheet(cases.name, {}, cases.data.lines or (), cases.data.noun)
    try:
        payroll = book.evaluate(cases.data, params=params)
    except DataError as error:
        raise located(sheet, error) from None
    language = check_lang(lang or payroll.language or "en")
    name = Path(sheet.name).name
    where = [row_in_file(sheet.noun, line, name, language) for line in sheet.rows]
    failures = _failures(payroll, cases, language, where)
    return CaseReport(
        cases.name,
        _labels(payroll, where, language),
        tuple(payroll.cards.tolist()),
        cases.notes,
        tuple(failures),
        language,
    )


def _labels(payroll: Payroll, where: list[str], lang: Lang) -> tuple[str, ...]:
    """Each case as a person finds it: ``E01 (line 2 of pay.cases.csv)``."""
    if payroll.ids is None:
        return tuple(where)
    ids = np.asarray(payroll.ids).astype(str).tolist()
    return tuple(say.CASE_AT(case=i, where=w).text(lang) for i, w in zip(ids, where, strict=True))


def _failures(payroll: Payroll, cases: Cases, lang: Lang, where: list[str]) -> list[CaseFailure]:
    """Each expected amount that differs, compared in whole units for all cases at once."""
    unit = Decimal(repr(payroll.rounding))
    wrong: dict[str, BoolArray] = {}
    actual: dict[str, FloatArray] = {}
    for line, (units, given) in cases.expected.items():
        amounts = payroll.total if line == "total" else _line_amounts(payroll, line)
        actual[line] = to_units(np.asarray(amounts, dtype=np.float64), payroll.rounding)
        wrong[line] = given & (actual[line] != units)
    failures = []
    for row in np.flatnonzero(np.logical_or.reduce(list(wrong.values()))).tolist():
        # Only the failing cases are explained, each headed by its row in the sheet.
        explanation = explain_at(payroll, row, lang, where[row])
        for line, (units, _) in cases.expected.items():
            if wrong[line][row]:
                failures.append(
                    CaseFailure(
                        row,
                        line,
                        (Decimal(int(units[row])) * unit).quantize(unit),
                        (Decimal(int(actual[line][row])) * unit).quantize(unit),
                        line_explanation(payroll, row, line, explanation),
                    )
                )
    return failures


def _line_amounts(payroll: Payroll, line: str) -> FloatArray:
    """A line's amounts: 0 for every case when no case's card has the line."""
    return payroll[line] if line in payroll.lines else np.zeros(len(payroll))


def line_explanation(payroll: Payroll, row: int, line: str, explanation: str) -> str:
    """The part of a row's explanation about ``line``: its block, or all of it (the total).

    An explanation is a heading, one block per line of the card in card order (a line of
    text, then its indented working), the ``min_pay`` top-up's block when the card has
    ``min_pay``, and the total; the blocks are found by that order, in either language.
    """
    blocks = _blocks(explanation)
    card = payroll.trace(row).card
    names = [item.name for item in card.lines]
    names += ["min_pay_topup"] if card.min_pay is not None else []
    if line == "total" or line not in names or len(blocks) != len(names) + 2:
        return explanation
    return blocks[names.index(line) + 1]


def _blocks(text: str) -> Sequence[str]:
    blocks: list[list[str]] = []
    for row in text.splitlines():
        if row.startswith(" ") and blocks:
            blocks[-1].append(row)
        else:
            blocks.append([row])
    return ["\n".join(b) for b in blocks]
