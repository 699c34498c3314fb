"""Staff payslips: one employee's pay, line by line, with a reason in plain words.

`payslips` builds typed `Payslip` values from a `Payroll` and the data it was evaluated
on (for the name and period columns); the renderers (`ksf.io.payslip_html`,
`ksf.io.payslip_xlsx`) only lay them out. Each line's reason comes from the row's typed
trace (`Payroll.trace`, `ksf.reasons`), never from the text of `Payroll.explain`, which
is kept whole as the audit trail.

`find_employee` finds an employee's rows by id or by name, for ``--employee``.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from ksf._typing import AnyArray, IntArray
from ksf.catalogue import common
from ksf.catalogue import io as say
from ksf.columns import from_data
from ksf.errors import AmbiguousEmployeeError, DataError, UnknownEmployeeError
from ksf.explain import explain, heading
from ksf.explain_figures import unit_places
from ksf.explain_words import Lang, check_lang, people_row
from ksf.explain_words import say as explain_say
from ksf.ids import PERIOD_COLUMNS
from ksf.message import Message
from ksf.payroll import Payroll
from ksf.reasons import line_title, min_pay_reason, money_text, reason
from ksf.trace import RowTrace

NAME_COLUMNS = ("姓名", "name")  # the column a payslip takes the name from, by default
CURRENCY_SIGNS = {"CNY": "¥", "RMB": "¥"}

WORDS: dict[Lang, dict[str, str]] = {
    "zh": {
        "title": "工资条",
        "name": "姓名",
        "id": "工号",
        "period": "期间",
        "company": "公司",
        "card": "岗位",
        "version": "计薪卡版本",
        "line": "项目",
        "amount": "金额",
        "reason": "说明",
        "total": "应发合计",
        "audit": "计算明细（审计）",
        "rules": "规则版本",
        "unit": "单位",
    },
    "en": {
        "title": "Payslip",
        "name": "Name",
        "id": "Employee ID",
        "period": "Period",
        "company": "Company",
        "card": "Role",
        "version": "Card version",
        "line": "Item",
        "amount": "Amount",
        "reason": "How it was worked out",
        "total": "Total pay",
        "audit": "Full calculation (audit trail)",
        "rules": "Rules",
        "unit": "Currency",
    },
}


@attrs.frozen(kw_only=True)
class PayslipLine:
    """One line of a payslip: its title, rounded amount and one-line reason."""

    name: str  # the payroll's line name (``pay["毛利率"]``)
    title: str  # as the payslip shows it (``底薪`` for ``base`` in Chinese)
    amount: float
    reason: str


@attrs.frozen(kw_only=True)
class Payslip:
    """One employee's payslip for one row of the payroll: nothing of any other row."""

    lang: Lang
    row: int
    employee_id: str
    name: str
    period: str
    company: str
    card: str
    card_title: str  # the card's label (产品开发), else its name
    version: str = ""  # the card's version (§13): ``effective 2026-07``; "" without versions
    currency: str
    places: int
    lines: tuple[PayslipLine, ...]  # in card order; the min_pay top-up last, if the card has one
    total: float
    rulebook_hash: str
    audit: str  # `Payroll.explain` of the row: the full arithmetic

    def words(self) -> dict[str, str]:
        """The headings in the payslip's language."""
        return WORDS[self.lang]

    def title(self) -> str:
        """The heading: ``深圳示例科技 工资条``, or the word alone without a company."""
        word = self.words()["title"]
        return f"{self.company} {word}" if self.company else word

    def facts(self) -> list[tuple[str, str]]:
        """Who and what the payslip is for, as (heading, value); those with no value left out."""
        w = self.words()
        given = [
            (w["name"], self.name),
            (w["id"], self.employee_id),
            (w["period"], self.period),
            (w["company"], self.company),
            (w["card"], self.card_title),
            (w["version"], self.version),
            (w["unit"], self.currency),
        ]
        return [(key, value) for key, value in given if value]

    def money(self, value: float) -> str:
        """An amount to the payslip's places: ``12,345.60``."""
        return money_text(value, self.places)

    def total_text(self) -> str:
        """The total with its currency: ``¥12,345.60``, ``-¥800.00``, ``1,234.50 USD``."""
        sign = CURRENCY_SIGNS.get(self.currency.upper())
        shown = money_text(abs(self.total), self.places)
        minus = "-" if round(self.total, self.places) < 0 else ""
        return f"{minus}{sign}{shown}" if sign else f"{minus}{shown} {self.currency}"

    def amount_heading(self) -> str:
        """The heading over the amounts: ``金额（元）``, ``Amount (CNY)``."""
        word = self.words()["amount"]
        if self.lang == "zh":
            return (
                f"{word}（元）"
                if self.currency.upper() in CURRENCY_SIGNS
                else f"{word}（{self.currency}）"
            )
        return f"{word} ({self.currency})"


def payslip(
    payroll: Payroll,
    row: int,
    *,
    name: str = "",
    period: str = "",
    company: str = "",
    lang: Lang | None = None,
    where: str = "",
) -> Payslip:
    """The payslip of one row (0-based) of ``payroll``.

    ``lang``: ``"zh"`` or ``"en"``, for the payslip and its audit section (`Payroll.explain`);
    None: the rule file's ``language`` setting, else Chinese. ``where``: the row as the
    audit's heading names it (``line 3 of july.csv``); empty: counted from 1 (``row 2``).
    ``period``: the data's period cell; empty: the payroll's (``evaluate(period=)``), if any.
    The card's version (LANGUAGE.md §13) is shown where the card has versions.

    Raises:
        ValueError: ``lang`` is neither ``"zh"`` nor ``"en"``.
        IndexError: a row out of range.
    """
    lang = check_lang(lang or payroll.language or "zh")
    trace = payroll.trace(row)
    places = unit_places(payroll.rounding)
    lines = _slip_lines(trace, places, lang)
    ident = "" if payroll.ids is None else _cell_text(np.asarray(payroll.ids)[row])
    effective = payroll.version_of(row)
    return Payslip(
        lang=lang,
        row=row,
        employee_id=ident,
        name=name,
        period=period or ("" if payroll.period is None else str(payroll.period)),
        company=company,
        card=trace.card.name,
        card_title=trace.card.label or trace.card.name,
        version="" if effective is None else explain_say(lang, "version_from", month=effective),
        currency=payroll.currency,
        places=places,
        lines=tuple(lines),
        total=trace.total,
        rulebook_hash=payroll.rulebook_hash,
        audit=explain_at(payroll, row, lang, where or people_row(row, lang)),
    )


def _slip_lines(trace: RowTrace, places: int, lang: Lang) -> list[PayslipLine]:
    """The card's lines of a row, each with its reason, and the ``min_pay`` top-up last."""
    lines = [
        PayslipLine(
            name=line.name,
            title=line_title(line, line.name, lang),
            amount=trace.amounts[line.name],
            reason=reason(trace.lines[line.name], trace.amounts[line.name], places, lang),
        )
        for line in trace.card.lines
    ]
    if trace.min_pay is not None:
        lines.append(
            PayslipLine(
                name="min_pay_topup",
                title=line_title(None, "min_pay_topup", lang),
                amount=trace.min_pay.topup,
                reason=min_pay_reason(trace.min_pay, places, lang),
            )
        )
    return lines


def explain_at(payroll: Payroll, row: int, lang: Lang, where: str) -> str:
    """`Payroll.explain` of a row, its heading naming the row by ``where`` (people's count).

    ``Payroll.explain(1)`` says ``E002 (row 1)``, the number a program passes; a person
    reading a payslip, or ``ksf explain``, counts from 1 or looks for the file's line.
    """
    trace = payroll.trace(row)
    ident = None if payroll.ids is None else np.asarray(payroll.ids)[row]
    head = heading(row, ident, trace.card, lang, where, period=payroll.period)
    return explain(trace, head, payroll.rounding, payroll.currency, lang)


def payslips(
    payroll: Payroll,
    data: Any = None,
    *,
    rows: Sequence[int] | None = None,
    name_column: str | None = None,
    company: str = "",
    lang: Lang | None = None,
    where: Sequence[str] | None = None,
) -> list[Payslip]:
    """One payslip per row (every row, or ``rows``), names and periods read from ``data``.

    Args:
        payroll: the result of ``Rulebook.evaluate(data)``.
        data: the data it was evaluated on (any form ``evaluate`` takes), for the name and
            the period; None: payslips without them.
        rows: the 0-based rows (default: all); `find_employee` gives an employee's rows.
        name_column: the column holding names (default: the first of ``姓名``, ``name``).
        company: the company name printed on each payslip.
        lang: ``"zh"`` or ``"en"``; None: the rule file's ``language``, else ``"zh"``.
        where: each row of the payroll as the audit names it (the file's line, as
            ``ksf payslip`` passes); None: the row counted from 1.

    Raises:
        DataError: ``name_column`` is not in the data, or the data has another row count.
    """
    names, periods = _name_and_period(data, name_column, len(payroll))
    chosen = range(len(payroll)) if rows is None else rows
    return [
        payslip(
            payroll,
            int(r),
            name="" if names is None else _cell_text(names[r]),
            period="" if periods is None else _cell_text(periods[r]),
            company=company,
            lang=lang,
            where="" if where is None else where[r],
        )
        for r in chosen
    ]


def name_column_of(columns: Sequence[str], name_column: str | None) -> str | None:
    """The name column: ``name_column`` (which must exist), else the first of `NAME_COLUMNS`."""
    if name_column is None:
        return next((c for c in NAME_COLUMNS if c in columns), None)
    if name_column not in columns:
        msg = say.NO_NAME_COLUMN(column=repr(name_column))
        raise DataError(msg, column=name_column)
    return name_column


def _name_and_period(
    data: Any, name_column: str | None, n_rows: int
) -> tuple[AnyArray | None, AnyArray | None]:
    """The name and period columns of ``data`` (None where it has none)."""
    if data is None:
        if name_column is not None:
            msg = say.NAME_NEEDS_DATA(column=repr(name_column))
            raise ValueError(msg)
        return None, None
    keep = [*NAME_COLUMNS, *PERIOD_COLUMNS] + ([name_column] if name_column else [])
    columns = from_data(data, keep_text=keep)
    if columns.n_rows != n_rows:
        msg = say.ROWS_DIFFER(data=f"{columns.n_rows:,}", payroll=f"{n_rows:,}")
        raise DataError(msg)
    found = list(columns.names())
    name = name_column_of(found, name_column)
    period = next((p for p in PERIOD_COLUMNS if p in found), None)
    return _column(columns, name), _column(columns, period)


def _column(columns: Any, name: str | None) -> AnyArray | None:
    if name is None:
        return None
    found: AnyArray = columns.text[name] if name in columns.text else columns.numeric[name]
    return found


def _cell_text(value: Any) -> str:
    """A cell as text: a whole number without ``.0`` (202607), a missing one as empty."""
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        if float(value).is_integer():
            return str(int(value))
    return str(value)


def find_employee(payroll: Payroll, who: str, names: AnyArray | None = None) -> IntArray:
    """The rows of the employee ``who``: by id first, else by name (``names``, one a row).

    An id on several rows (several periods or cards) gives all of them.

    Raises:
        UnknownEmployeeError: nobody has that id or name; the message lists the ids and
            names written most like it.
        AmbiguousEmployeeError: the name is that of several employees (their ids listed).
    """
    ids = None if payroll.ids is None else np.asarray(payroll.ids).astype(str)
    if ids is not None:
        rows = np.flatnonzero(ids == who)
        if rows.size:
            return rows
    if names is not None:
        texts = (
            np.asarray([_cell_text(v) for v in names.tolist()])
            if names.dtype.kind != "U"
            else names
        )
        rows = np.flatnonzero(texts == who)
        if rows.size:
            _one_employee(who, rows, ids)
            return rows
    known = [
        *([] if ids is None else ids.tolist()),
        *([] if names is None else map(str, names.tolist())),
    ]
    msg = say.NO_EMPLOYEE(who=repr(who))
    hint = _did_you_mean([repr(c) for c in _close(who, known)])
    raise UnknownEmployeeError(msg if hint is None else common.SUGGESTION(message=msg, hint=hint))


def _one_employee(who: str, rows: IntArray, ids: AnyArray | None) -> None:
    """Refuse a name on the rows of several ids: which of them was meant is a guess."""
    if ids is None:
        return
    distinct = list(dict.fromkeys(ids[rows].tolist()))
    if len(distinct) > 1:
        msg = say.SAME_NAME(count=len(distinct), who=repr(who), ids=", ".join(distinct))
        raise AmbiguousEmployeeError(msg, rows=rows.tolist(), labels=ids[rows].tolist())


def _did_you_mean(close: list[str]) -> Message | None:
    """``did you mean 'a' or 'b'?`` for up to three quoted names, or None for none."""
    match close:
        case [one]:
            return common.DID_YOU_MEAN(name=one)
        case [one, two]:
            return common.DID_YOU_MEAN_2(name=one, other=two)
        case [one, two, three, *_]:
            return common.DID_YOU_MEAN_3(name=one, other=two, third=three)
    return None


def _close(who: str, known: list[str]) -> list[str]:
    """Up to three ids or names written like ``who``, from at most 100,000 of them.

    A two-character name one character off (王方 for 王芳) is only half the same, below
    difflib's usual cutoff of 0.6: half is tried when nothing closer is found.
    """
    candidates = list(dict.fromkeys(known))[:100_000]
    close = difflib.get_close_matches(who, candidates, n=3, cutoff=0.6)
    return close or difflib.get_close_matches(who, candidates, n=3, cutoff=0.5)
