"""Unit slips in the numbers a rule file writes: those that pay 100 times too much are refused.

The unit of each name and expression comes from `ksf.dsl.units`.

A number written without ``%`` next to a value in percent is refused where no reading of
it can be meant, because the payroll would be off by a factor of 100 or pay nothing:

- ``15 of profit``: `of` is percent-of (``15% of x`` is ``0.15 * x``, LANGUAGE.md §2), so
  its left side is a percent written with ``%``; ``15 * profit`` says fifteen times.
- a pool's ``share`` above 100%: the pool would pay out more than the whole increment;
- on a percent value, ``step 1`` or more written without ``%``: a step of 100 percentage
  points, which no one's margin ever takes, so the line pays nothing to anyone;
- on a percent value, a ``balance``, ``beyond`` point, ``baseline``, ``target`` or
  ``challenge`` of 2 or more written without ``%``: 200% or more of a share of something;
- on a value of unknown unit whose ``balance`` is written with ``%`` (so its values are
  fractions), a ``step`` of 1 or more or a ``beyond`` point of 2 or more written without
  ``%`` (``毛利率 平衡点 30% 每 1``: a step of 100 percentage points);
- a commission on a money value at a ``rate`` above 1 written without ``%``: more than all
  of the money (a rate of 15 on a count, 15 per unit sold, is fine);
- a percent value compared with a number of 2 or more written without ``%``
  (``when gross_margin >= 30``, never true), or looked up in a table whose thresholds are
  (``coefficient(sales_attainment)`` on rows ``>= 90``).

Where a reading can be meant, `ksf.dsl.lint` warns instead (a plain column named like a
rate, a share or rate of 50% or more written without ``%``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import assert_never, cast

import attrs

from ksf.catalogue import check_exprs as say
from ksf.dsl import ast
from ksf.dsl.check_report import Report
from ksf.dsl.format_expr import expression
from ksf.dsl.units import (
    PERCENT_SLIP,
    POINT_CLAUSES,
    expression_unit,
    percent,
    plain,
    rule_lines,
    slip_at,
)
from ksf.message import Keyword
from ksf.source import Span

COMPARISONS = frozenset({"<", "<=", ">", ">=", "==", "!="})


def check_units(
    tree: ast.Rulebook,
    report: Report,
    units: Mapping[str, str | None],
    shares: frozenset[str] = frozenset(),
) -> None:
    """Report every unit slip that cannot be meant (see the module's docstring).

    ``shares``: the percent names that cannot pass 100% (`shares_of`).
    """
    _expressions(tree, report, units, shares)
    for statement in tree.statements:
        if isinstance(statement, ast.Pool):
            for amount in statement.amounts:
                _share(amount, report)
    for line in rule_lines(tree):
        _line(line, report, units, shares)


def _line(
    line: ast.CardItem | ast.Kpi,
    report: Report,
    units: Mapping[str, str | None],
    shares: frozenset[str],
) -> None:
    """The slips in the clauses of one card line or KPI, by the unit of what it reads."""
    match line:
        case ast.Rule() | ast.Kpi():
            name = line.expr.name if isinstance(line.expr, ast.Name) else ""
            unit = units.get(name) if isinstance(line.expr, ast.Name) else None
            if unit == "percent":
                _percent_line(name, line.clauses, report, slip_at(name, shares))
            elif unit is None and isinstance(line, ast.Rule):
                _written_in_percent(line.clauses, report)
        case ast.Commission():
            if expression_unit(line.expr, units) == "money":
                name = line.expr.name if isinstance(line.expr, ast.Name) else ""
                _money_rates(name or expression(line.expr), line.clauses, report)
        case ast.Fixed() | ast.Bonus() | ast.Share() | ast.MinPay() | ast.Missing():
            pass  # no clause of these reads a value in a unit
        case _:
            assert_never(line)


def _expressions(
    tree: ast.Rulebook,
    report: Report,
    units: Mapping[str, str | None],
    shares: frozenset[str],
) -> None:
    """`of`, comparisons and table calls, wherever an expression is written."""
    tables = {s.name: s for s in tree.statements if isinstance(s, ast.Table)}
    checked: set[str] = set()
    for node in _nodes(tree):
        match node:
            case ast.Binary(op="of"):
                _of(node, report)
            case ast.Binary() if node.op in COMPARISONS:
                _comparison(node, report, units, shares)
            case ast.Call() if node.func in tables and node.func not in checked:
                if _table_call(node, tables[node.func], report, units, shares):
                    checked.add(node.func)  # a table is reported once, however often it is called


def _of(node: ast.Binary, report: Report) -> None:
    left = node.left
    if not isinstance(left, ast.Number) or "%" in left.text:
        return
    right = expression(node.right)
    right = f"({right})" if isinstance(node.right, ast.Binary) else right
    of = Keyword("of")
    if ":" in left.text:
        hint = say.OF_HINT_RATIO(percent=percent(left), of=of, right=right, value=f"{left.value:g}")
    elif left.value >= 1:
        hint = say.OF_HINT_TIMES(left=left.text, of=of, right=right)
    else:
        hint = say.OF_HINT_FRACTION(percent=percent(left), of=of, right=right, left=left.text)
    report.error(say.OF_NO_PERCENT(left=left.text, of=of, right=right), left.span, hint)


def _percent_name(node: ast.Expr, units: Mapping[str, str | None]) -> str | None:
    return node.name if isinstance(node, ast.Name) and units.get(node.name) == "percent" else None


def _comparison(
    node: ast.Binary, report: Report, units: Mapping[str, str | None], shares: frozenset[str]
) -> None:
    """``gross_margin >= 30``: never true, since a margin is a fraction."""
    for name_side, number in ((node.left, node.right), (node.right, node.left)):
        name = _percent_name(name_side, units)
        if (
            name is not None
            and isinstance(number, ast.Number)
            and plain(number)
            and abs(number.value) >= slip_at(name, shares)
        ):
            report.error(
                say.COMPARED_PERCENT(
                    is_percent=say.IS_PERCENTAGE(name=name),
                    number=number.text,
                    percent=percent(number),
                ),
                number.span,
                say.WRITE_PERCENT(number=number.text),
            )


def _table_call(
    node: ast.Call,
    table: ast.Table,
    report: Report,
    units: Mapping[str, str | None],
    shares: frozenset[str],
) -> bool:
    """A table called with a percentage, whose thresholds are written without ``%``."""
    if table.matrix:
        return _matrix_call(node, table, report, units, shares)
    name = _percent_name(node.args[0], units) if len(node.args) == 1 else None
    if name is None:
        return False
    for row in table.rows:
        number = row.threshold
        if number is not None and plain(number) and abs(number.value) >= slip_at(name, shares):
            written = f"{row.op} {number.text}"
            report.error(
                say.TABLE_ROW_PERCENT(
                    table=table.name, name=name, row=written, percent=percent(number)
                ),
                number.span,
                say.WRITE_AT_CALL(text=written, line=node.span.line),
            )
            return True
    return False


def _matrix_call(
    node: ast.Call,
    table: ast.Table,
    report: Report,
    units: Mapping[str, str | None],
    shares: frozenset[str],
) -> bool:
    """A decision matrix's key given a percentage, its cells written without ``%``."""
    for key, arg in enumerate(node.args):
        name = _percent_name(arg, units)
        if name is None:
            continue
        cells = [r.cells[key] for r in table.matrix if r.cells and len(r.cells) > key]
        for cell in cells:
            number = cell.number
            if number is not None and plain(number) and abs(number.value) >= slip_at(name, shares):
                op = f"{cell.op} " if cell.op else ""
                written = f"{op}{number.text}"
                report.error(
                    say.TABLE_CELL_PERCENT(
                        table=table.name, name=name, cell=written, percent=percent(number)
                    ),
                    number.span,
                    say.WRITE_AT_CALL(text=written, line=node.span.line),
                )
                return True
    return False


def _share(amount: ast.PoolAmount, report: Report) -> None:
    for clause in amount.clauses:
        if not (isinstance(clause, ast.Clause) and clause.keyword == "share"):
            continue
        value = clause.value
        if not isinstance(value, ast.Number) or value.value <= 1:
            continue
        share = Keyword("share")
        if plain(value):
            hint = say.WRITE_CLAUSE_PERCENT(keyword=share, value=value.text)
        else:
            hint = say.SHARE_AT_MOST()
        report.error(
            say.SHARE_PAST_ALL(share=share, value=value.text, percent=percent(value)),
            value.span,
            hint,
        )


def _percent_line(
    name: str, clauses: tuple[ast.AnyClause, ...], report: Report, slip: float
) -> None:
    for clause in clauses:
        if isinstance(clause, ast.Beyond) and isinstance(clause.at, ast.Number):
            keyword, number = "beyond", clause.at
        elif isinstance(clause, ast.Beyond):
            continue  # a point read per row (§9) is bounded in the data (`ksf.dsl.units`)
        elif clause.keyword in POINT_CLAUSES | {"step"} and isinstance(clause.value, ast.Number):
            keyword, number = clause.keyword, clause.value
        else:
            continue
        if not plain(number):
            continue
        is_percent = say.IS_PERCENTAGE(name=name)
        write = say.WRITE_CLAUSE_PERCENT(keyword=Keyword(keyword), value=number.text)
        if keyword == "step" and number.value >= 1:
            report.error(
                say.STEP_TOO_BIG(
                    is_percent=is_percent,
                    step=Keyword("step"),
                    value=number.text,
                    percent=percent(number),
                ),
                number.span,
                write,
            )
        elif keyword != "step" and abs(number.value) >= slip:
            report.error(
                say.POINT_PERCENT(
                    is_percent=is_percent,
                    keyword=Keyword(keyword),
                    value=number.text,
                    percent=percent(number),
                ),
                number.span,
                write,
            )


def _written_in_percent(clauses: tuple[ast.AnyClause, ...], report: Report) -> None:
    """A balance written with ``%`` and a step (or a point past it) written without.

    The balance says the values are fractions (30% is 0.3), so ``step 1`` is a step of
    100 percentage points and ``beyond 40`` a point at 4000%: the line pays nothing.
    """
    balance = next(
        (c for c in clauses if isinstance(c, ast.Clause) and c.keyword == "balance"), None
    )
    if balance is None or not isinstance(balance.value, ast.Number) or plain(balance.value):
        return
    written = f"`{report.text(balance.span)}`"
    for clause in clauses:
        if isinstance(clause, ast.Beyond) and isinstance(clause.at, ast.Number):
            number, least = clause.at, PERCENT_SLIP
        elif isinstance(clause, ast.Beyond):
            continue
        elif clause.keyword == "step" and isinstance(clause.value, ast.Number):
            number, least = clause.value, 1.0
        else:
            continue
        if not plain(number) or abs(number.value) < least:
            continue
        keyword = report.text(clause.span).split()[0]  # as the file spells it: step or 每
        effect = say.MOVES_NOTHING() if least == 1.0 else say.UNREACHED()
        report.error(
            say.WRITTEN_IN_PERCENT(
                written=written,
                keyword=keyword,
                value=number.text,
                percent=percent(number),
                effect=effect,
            ),
            number.span,
            say.WRITE_CLAUSE_PERCENT(keyword=keyword, value=number.text),
        )


def _money_rates(name: str, clauses: tuple[ast.AnyClause, ...], report: Report) -> None:
    for clause in clauses:
        if isinstance(clause, ast.Beyond):
            amount = clause.amount
            rate = amount if clause.kind == "rate" and isinstance(amount, ast.Number) else None
        elif clause.keyword == "rate" and isinstance(clause.value, ast.Number):
            rate = clause.value
        else:
            rate = None
        if rate is not None and plain(rate) and rate.value > 1:
            word = Keyword("rate")
            report.error(
                say.MONEY_RATE(rate=word, value=rate.text, percent=percent(rate), name=name),
                rate.span,
                say.WRITE_CLAUSE_PERCENT(keyword=word, value=rate.text),
            )


def _nodes(node: object) -> Iterator[object]:
    """Every AST node inside ``node``, at any depth (spans and number lexemes skipped)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, tuple):
            stack.extend(reversed(current))
            continue
        if not attrs.has(type(current)) or isinstance(current, Span | ast.Number):
            continue
        yield current
        for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(current))):
            value = getattr(current, field.name)
            if isinstance(value, tuple) or attrs.has(type(value)):
                stack.append(value)
