"""`ksf.calibrate`: balance points from history and clause values that pay a target, as rule text.

Two calibrations (LANGUAGE.md §14): ``at="p60"`` sets a balance rule's balance point from a
percentile of the role's history (`ksf.design.points`), for the role or for each employee
(a column file, LANGUAGE.md §9); ``solve="rate", pay=7500, when={"sales": 1_000_000}``
finds the value at which the line pays the target (`ksf.design.targets`). Either way the
value is written back into the rule text with a provenance comment (`ksf.design.rewrite`,
`ksf.design.provenance`) and the result is compiled before it is returned.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from ksf import ir
from ksf.catalogue import calibrate as say
from ksf.catalogue import common
from ksf.design import provenance
from ksf.design.calibrate_history import History, read_history
from ksf.design.failure import CalibrationError, UnknownLineError
from ksf.design.points import employee_points, is_percent, role_point
from ksf.design.rewrite import Edit, lexeme, plain, rewritten, written_value
from ksf.design.targets import check_when, solvable, solve_line
from ksf.errors import KsfError, UnknownCardError, suggest
from ksf.explain_words import Lang, check_lang
from ksf.io.write import escaped, neutralised
from ksf.rulebook import Rulebook, compile, format_text  # noqa: A004 - ksf's own verb
from ksf.spelling import mostly

NAME = re.compile(r"[^\W\d]\w*")


@attrs.frozen
class Change:
    """One clause a calibration wrote: what it was, what it is, and where that came from."""

    card: str
    line: str
    clause: str
    old: str  # as the file wrote it: ``52%``, ``target_gm``
    new: str  # as the file now writes it: ``48%``, or the per-employee column's name
    provenance: str  # the comment above the line, without ``#``

    @property
    def changed(self) -> bool:
        """Whether the clause now reads differently."""
        return self.old != self.new


@attrs.frozen
class EmployeeColumns:
    """Each employee's own balance points, one column per line, for a column file.

    An employee of another card has an empty cell in a line's column: a row's card never
    reads it (LANGUAGE.md §7).
    """

    file: str
    id_column: str
    ids: tuple[str, ...]
    columns: tuple[tuple[str, tuple[str, ...]], ...]  # name, a plain decimal (or "") per id

    def csv(self) -> str:
        """The column file: a header ``id_column,column…``, then one row per employee."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([self.id_column, *(name for name, _ in self.columns)])
        cells = [values for _, values in self.columns]
        # Safe to open in Excel, as a payroll CSV is: no id runs as a formula or an escape.
        ids = neutralised(escaped(np.asarray(self.ids, dtype=str))).tolist() if self.ids else []
        writer.writerows(zip(ids, *cells, strict=True))
        return out.getvalue()

    def values(self, column: str) -> dict[str, str]:
        """One column's values by employee id (those with a value)."""
        found = dict(self.columns)[column]
        return {i: v for i, v in zip(self.ids, found, strict=True) if v}

    def with_column(self, column: str, values: Mapping[str, str]) -> EmployeeColumns:
        """These columns and one more (replacing one of the same name)."""
        known = {name: self.values(name) for name, _ in self.columns if name != column}
        known[column] = dict(values)
        ids = tuple(sorted({i for v in known.values() for i in v}))
        table = tuple((n, tuple(v.get(i, "") for i in ids)) for n, v in known.items())
        return attrs.evolve(self, ids=ids, columns=table)


@attrs.frozen
class Calibration:
    """A calibration's result: the new rule text, each change, and any column file."""

    text: str
    changes: tuple[Change, ...]
    columns: EmployeeColumns | None = None


@attrs.frozen
class _Ask:
    """What was asked, checked."""

    lines: tuple[str, ...]
    at: str | None
    solve: str | None
    pays: tuple[tuple[float, float | None, float | None], ...]  # target, total, share per line
    when: Mapping[str, float]


def calibrate(
    rules: str | Rulebook,
    history: Any = None,
    *,
    line: str | Sequence[str],
    at: str | None = None,
    solve: str | None = None,
    pay: float | None = None,
    share: float | Sequence[float] | None = None,
    when: Mapping[str, float] | None = None,
    per_employee: str | None = None,
    column: str | None = None,
    name: str = "<rules>",
    source: str = "<history>",
    card_column: str = "card",
    id_column: str | None = None,
    lang: Lang | None = None,
) -> Calibration:
    """Calibrate lines of a rule file from history, or solve them for a target pay.

    Args:
        rules: the rule text, or a compiled `Rulebook` (its source text is rewritten).
        history: payroll-shaped data (a mapping of columns or a DataFrame): one row per
            employee per period, a ``card`` column naming each row's role.
        line: ``"CARD.LINE"``, or several (each calibrated in turn).
        at: ``"p60"`` (p1 to p99), ``"median"`` or ``"stretch"`` (p60 on the good side).
        solve: ``"rate"`` (commission), ``"reward"``, ``"penalty"``, ``"pot"``, ``"balance"``.
        pay: the pay the line must reach at ``when``.
        share: each line's part of ``pay`` (0.2 of 15,000 is 3,000), one per line.
        when: a value for names the line reads (others: the median of the role's history).
        per_employee: with ``at``, each employee's own point, for a column file of this
            name; the rule then reads the column.
        column: the column's name (default ``LINE_balance``).
        name: the rule file's name, for errors.
        source: the history's name, for the comments.
        card_column: the history's column of roles (card names).
        id_column: the history's column of employee ids.
        lang: the comments' language (default: the file's ``language``, else its keywords').

    Returns:
        The new rule text (formatted as ``ksf fmt`` writes it), each change, and the
        column file for ``per_employee``.

    Raises:
        CalibrationError: no solution, too little history, no history for a role, a bad
            statistic or option; `UnknownLineError` (also a `KeyError`) for a line the
            card lacks, with did-you-mean.
        UnknownCardError: a card the file does not have; DataError: bad history data.
        ValueError: ``lang`` is neither ``"en"`` nor ``"zh"``.
    """
    text, rules_name = _text(rules, name)
    ask = asked(line, at, solve, pay, share, when, per_employee, column)
    found = None if history is None else read_history(history, source, card_column, id_column)
    if ask.at is not None and found is None:
        raise CalibrationError(say.HISTORY_NEEDED())
    book = compile(text, name=rules_name)
    if ask.solve is not None:
        check_when(book, [find_line(book, spec)[0] for spec in ask.lines], ask.when)
    words = check_lang(lang) if lang else book.program.language or mostly(text)
    return _each_line(book, ask, found, (per_employee, column), words)


def _each_line(
    book: Rulebook,
    ask: _Ask,
    history: History | None,
    employees: tuple[str | None, str | None],
    lang: Lang,
) -> Calibration:
    """Each line calibrated in turn, on the text the lines before it left."""
    text, name = book.source.text, book.source.name
    changes: list[Change] = []
    columns: EmployeeColumns | None = None
    for k, spec in enumerate(ask.lines):
        card, target = find_line(book, spec)
        if ask.at is not None and history is not None:
            (edit, change), table = _from_history(
                book, history, card, target, ask.at, employees, lang
            )
            if table is not None:
                start = columns or EmployeeColumns(table[0], str(history.id_column), (), ())
                columns = start.with_column(table[1], table[2])
        else:
            edit, change = _solved(book, history, card, target, ask, k, lang)
        text = rewritten(text, name, [edit])
        book = _compiled(text, name)
        changes.append(change)
    return Calibration(text, tuple(changes), columns)


def _text(rules: str | Rulebook, name: str) -> tuple[str, str]:
    """The text laid out as ``ksf fmt`` does (a rule to a line, its comment above), its name."""
    text, name = (
        (rules.source.text, rules.source.name) if isinstance(rules, Rulebook) else (rules, name)
    )
    return format_text(text, name), name


def _compiled(text: str, name: str) -> Rulebook:
    """The calibrated text compiled: a value the checker refuses is said, not returned."""
    try:
        return compile(text, name=name)
    except KsfError as error:
        raise CalibrationError(say.DOES_NOT_COMPILE(error=str(error))) from None


def asked(
    lines: str | Sequence[str],
    at: str | None,
    solve: str | None,
    pay: float | None,
    share: float | Sequence[float] | None,
    when: Mapping[str, float] | None,
    per_employee: str | None,
    column: str | None,
) -> _Ask:
    """The options, checked against each other (the command line checks them first).

    Raises:
        CalibrationError: options that do not go together, or a bad pay or share.
    """
    specs = (lines,) if isinstance(lines, str) else tuple(lines)
    if not specs:
        raise CalibrationError(say.NO_LINES())
    if (at is None) == (solve is None):
        raise CalibrationError(say.AT_AND_SOLVE() if at else say.AT_OR_SOLVE())
    if at is not None:
        for option, given in (("--pay", pay), ("--share", share), ("--when", when)):
            if given is not None:
                raise CalibrationError(say.ONLY_WITH_SOLVE(option=option))
        if column is not None and not NAME.fullmatch(column):
            raise CalibrationError(say.BAD_COLUMN_NAME(column=column))
        return _Ask(specs, at, None, (), {})
    if per_employee is not None or column is not None:
        raise CalibrationError(say.ONLY_WITH_AT(option="--per-employee"))
    return _Ask(specs, None, solve, _pays(specs, solve, pay, share), dict(when or {}))


def _pays(
    specs: tuple[str, ...], solve: str | None, pay: float | None, share: Any
) -> tuple[tuple[float, float | None, float | None], ...]:
    """Each line's target pay: ``pay``, or its share of ``pay``."""
    if pay is None:
        raise CalibrationError(say.SOLVE_NEEDS_PAY(clause=solve))
    if not pay > 0:
        raise CalibrationError(say.BAD_PAY(pay=pay))
    if share is None:
        return tuple((float(pay), None, None) for _ in specs)
    shares = [float(share)] if isinstance(share, int | float) else [float(s) for s in share]
    if len(shares) != len(specs):
        raise CalibrationError(say.SHARES_AND_LINES(shares=len(shares), lines=len(specs)))
    for part in shares:
        if not 0 < part <= 1:
            raise CalibrationError(say.BAD_SHARE(share=provenance.figure(part, percent=True)))
    return tuple((float(pay) * part, float(pay), part) for part in shares)


def find_line(book: Rulebook, spec: str) -> tuple[str, ir.Line]:
    """``CARD.LINE`` → the card's name and the line.

    Raises:
        CalibrationError: not written ``CARD.LINE``.
        UnknownCardError: no such card (did-you-mean).
        UnknownLineError: no such line on the card (did-you-mean).
    """
    card_name, dot, line_name = spec.partition(".")
    if not dot or not card_name or not line_name:
        raise CalibrationError(say.BAD_LINE_SPEC(spec=spec))
    card = book.program.card(card_name)
    if card is None:
        raise UnknownCardError.named(card_name, book.cards)
    lines = {x.name: x for x in card.lines}
    if line_name not in lines:
        message = say.NO_SUCH_LINE(card=card_name, line=line_name, lines=", ".join(lines))
        hint = suggest(line_name, lines)
        raise UnknownLineError(
            message if hint is None else common.SUGGESTION(message=message, hint=hint)
        )
    return card_name, lines[line_name]


def _from_history(
    book: Rulebook,
    history: History,
    card: str,
    line: ir.Line,
    at: str,
    employees: tuple[str | None, str | None],
    lang: Lang,
) -> tuple[tuple[Edit, Change], tuple[str, str, dict[str, str]] | None]:
    """The edit of a balance point from history: a number, or a per-employee column.

    Returns:
        The edit and change, and for a per-employee point the file, column and values.
    """
    if not isinstance(line, ir.BalanceLine):
        raise CalibrationError(say.NOT_A_BALANCE_LINE(card=card, line=line.name))
    old = written_value(book.source.text, book.source.name, card, line.span, "balance")
    step = written_value(book.source.text, book.source.name, card, line.span, "step")
    percent = old.endswith("%") or step.endswith("%") or is_percent(line)
    words = (
        line.text or line.name,
        _step_text(line, percent=percent),
        history.name,
        lang,
        mostly(book.source.text),
    )
    file, column = employees
    if file is None:
        point = role_point(book, history, card, line, at)
        new = lexeme(point.value, old, percent=percent)
        comment = provenance.from_history(point, new, *words)
        return _edit(card, line, "balance", old, new, comment), None
    points = employee_points(book, history, card, line, at)
    name = column or f"{line.name}_balance"
    comment = provenance.per_employee(points, name, file, *words)
    values = {i: plain(v) for i, v in zip(points.ids, points.values, strict=True)}
    return _edit(card, line, "balance", old, name, comment), (file, name, values)


def _step_text(line: ir.BalanceLine, *, percent: bool) -> str:
    """The line's step as a person reads it: ``1%``, ``10,000``, or its text when per row."""
    if isinstance(line.step, float):
        return provenance.figure(line.step, percent=percent)
    return line.step.text


def _edit(
    card: str, line: ir.Line, clause: str, old: str, new: str, comment: str
) -> tuple[Edit, Change]:
    return Edit(card, line.span, clause, new, comment), Change(
        card, line.name, clause, old, new, comment
    )


def _solved(
    book: Rulebook,
    history: History | None,
    card: str,
    line: ir.Line,
    ask: _Ask,
    k: int,
    lang: Lang,
) -> tuple[Edit, Change]:
    """The edit of a clause solved for the line's target pay."""
    clause = str(ask.solve)
    line = solvable(line, clause)
    text, name = book.source.text, book.source.name
    old = written_value(text, name, card, line.span, clause)
    target = ask.pays[k]
    points = [written_value(text, name, card, line.span, c) for c in ("balance", "step")]
    percent = any(p.endswith("%") for p in points) or is_percent(line)
    found = solve_line(
        text, name, card, line, clause, target[0], ask.when, history, percent=percent
    )
    written = clause == "rate" or (clause == "balance" and percent)  # else money: 300
    new = lexeme(found.value, old if clause == "balance" else "", percent=written)
    source = "" if history is None else history.name
    comment = provenance.solved(found, clause, new, target, source, lang, mostly(book.source.text))
    return _edit(card, line, clause, old or "—", new, comment)
