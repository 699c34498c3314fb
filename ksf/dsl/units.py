"""Units of the numbers a rule file writes: slips that pay 100 times too much are refused.

A name has a unit when the file or the standard library says so: an `indicator … percent`
or a `column … money` declaration (``standard.ksf`` declares both for every standard
indicator and every raw column it reads). A data column nobody declared has no known unit.

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
from typing import cast

import attrs

from ksf import ir
from ksf.dsl import ast
from ksf.dsl.check_report import Report
from ksf.dsl.format_expr import expression
from ksf.source import Span

# Past this, a fraction written without % is almost surely percentage points: 2 is 200%.
PERCENT_SLIP = 2.0
# For a percent that can pass 100% (attainment, ACoS: 2 may well mean 200%), the point past
# which a plain number is still surely percentage points: 1000% attainment is no plan.
WHOLE_PASSING_SLIP = 10.0
COMPARISONS = frozenset({"<", "<=", ">", ">=", "==", "!="})
# Clauses whose number is a value of the line's indicator (a step is a difference of two).
POINT_CLAUSES = frozenset({"balance", "baseline", "target", "challenge"})


def units_of(
    tree: ast.Rulebook,
    library: Mapping[str, ir.Named],
    columns: Mapping[str, ir.ColumnSpec],
) -> dict[str, str | None]:
    """The unit of every name the file or the library gives one; the file's come first."""
    units: dict[str, str | None] = {n: c.unit for n, c in columns.items()}
    units.update({n: d.unit for n, d in library.items()})
    for statement in tree.statements:
        if isinstance(statement, ast.Column):
            units[statement.name] = statement.unit
    for statement in tree.statements:
        if isinstance(statement, ast.Indicator):
            units[statement.name] = statement.unit
        elif isinstance(statement, ast.Score | ast.Table):
            units[statement.name] = None
    return units


# A value above this, in a column a line reads in percent, is 10,000%: see `read_in_percent`.
PERCENT_POINTS_BOUND = 100.0


def read_in_percent(
    tree: ast.Rulebook, units: Mapping[str, str | None]
) -> tuple[ir.ColumnSpec, ...]:
    """Data columns of unknown unit read by a line whose points are written with ``%``.

    ``毛利率 balance 25% …`` says the column holds fractions (0.285 for 28.5%). A value above
    100 would be above 10,000%, a hundredfold of the whole the percentage is a share of:
    no margin, rate, attainment or growth a pay rule is written for comes near it, while
    percentage points pass it as soon as they pass 100 (an attainment of 120 points, a
    growth of 150 points). Each such column may hold at most 100 (a `ksf.DataError` names
    the rows above it); values up to 100 can be meant (an ROI of 3.2 is 320%) and are paid.
    """
    found: dict[str, ir.ColumnSpec] = {}
    for line in rule_lines(tree):
        if not isinstance(line, ast.Rule | ast.Kpi) or not isinstance(line.expr, ast.Name):
            continue
        name = line.expr.name
        if name in units or name in found:
            continue  # a declared, defined or standard name has its own unit and domain
        written = next((n for n in _points(line.clauses) if "%" in n.text), None)
        if written is not None:
            found[name] = ir.ColumnSpec(
                name,
                None,
                high=PERCENT_POINTS_BOUND,
                origin="points",
                text=written.text,
                span=line.span,
            )
    return tuple(found.values())


def _points(clauses: tuple[ast.AnyClause, ...]) -> Iterator[ast.Number]:
    """The numbers of a line's clauses that are values of its indicator."""
    for clause in clauses:
        if isinstance(clause, ast.Beyond):
            yield clause.at
        elif clause.keyword in POINT_CLAUSES and isinstance(clause.value, ast.Number):
            yield clause.value


def percent(number: ast.Number) -> str:
    """A plain number's value written as a percent: 15 → ``1500%``, 0.15 → ``15%``."""
    return f"{number.value * 100:.10g}%"


def plain(number: ast.Number) -> bool:
    """Whether a number is written without ``%`` and is not a ratio."""
    return "%" not in number.text and ":" not in number.text


def rule_lines(tree: ast.Rulebook) -> Iterator[object]:
    """Every line of every card and every KPI of every score, in file order."""
    for statement in tree.statements:
        if isinstance(statement, ast.Card):
            yield from statement.items
        elif isinstance(statement, ast.Score):
            yield from statement.kpis


def shares_of(columns: Mapping[str, ir.ColumnSpec]) -> frozenset[str]:
    """The percent names that are shares of a whole (at most 100%, as the library declares).

    Other percents (attainment, ACoS) can pass 100%, so only a number of
    `WHOLE_PASSING_SLIP` or more written without ``%`` is surely a slip on them.
    """
    return frozenset(n for n, c in columns.items() if c.origin == "indicator" and c.high <= 1)


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
        if isinstance(line, ast.Rule | ast.Kpi | ast.Commission):
            unit = units.get(line.expr.name) if isinstance(line.expr, ast.Name) else None
            name = line.expr.name if isinstance(line.expr, ast.Name) else ""
            if unit == "percent" and isinstance(line, ast.Rule | ast.Kpi):
                _percent_line(name, line.clauses, report, slip_at(name, shares))
            elif unit is None and isinstance(line, ast.Rule):
                _written_in_percent(line.clauses, report)
            elif isinstance(line, ast.Commission) and expression_unit(line.expr, units) == "money":
                _money_rates(name or expression(line.expr), line.clauses, report)


def expression_unit(expr: ast.Expr, units: Mapping[str, str | None]) -> str | None:
    """The unit of an expression where arithmetic keeps it, else None (unknown).

    Money plus or minus money is money (`revenue - cogs`), and so is money times or over a
    plain number or a count (`revenue * 1`, `units_sold * price`); anything else is unknown,
    so that no rule is refused on a guess.
    """
    if isinstance(expr, ast.Name):
        return units.get(expr.name)
    if isinstance(expr, ast.Number):
        return "number" if "%" not in expr.text and ":" not in expr.text else None
    if isinstance(expr, ast.Unary) and expr.op == "-":
        return expression_unit(expr.operand, units)
    if not isinstance(expr, ast.Binary):
        return None
    left, right = expression_unit(expr.left, units), expression_unit(expr.right, units)
    if expr.op in ("+", "-"):
        return left if left == right and left in ("money", "count") else None
    if expr.op == "*" and {left, right} in ({"money", "number"}, {"money", "count"}):
        return "money"
    if expr.op == "/" and left == "money" and right in ("number", "count"):
        return "money"
    return None


def slip_at(name: str, shares: frozenset[str]) -> float:
    """The plain number from which a point on the percent ``name`` is surely a slip."""
    return PERCENT_SLIP if name in shares else WHOLE_PASSING_SLIP


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
        if isinstance(node, ast.Binary) and node.op == "of":
            _of(node, report)
        elif isinstance(node, ast.Binary) and node.op in COMPARISONS:
            _comparison(node, report, units, shares)
        elif (
            isinstance(node, ast.Call)
            and node.func in tables
            and node.func not in checked
            and _table_call(node, tables[node.func], report, units, shares)
        ):
            checked.add(node.func)  # a table is reported once, however often it is called


def _of(node: ast.Binary, report: Report) -> None:
    left = node.left
    if not isinstance(left, ast.Number) or "%" in left.text:
        return
    right = expression(node.right)
    right = f"({right})" if isinstance(node.right, ast.Binary) else right
    if ":" in left.text:
        hint = f"write `{percent(left)} of {right}` or `{left.value:g} * {right}`"
    elif left.value >= 1:
        hint = (
            f"write `{left.text}% of {right}`; for {left.text} times it, "
            f"write `{left.text} * {right}`"
        )
    else:
        hint = f"write `{percent(left)} of {right}`, or `{left.text}% of {right}` if that is meant"
    report.error(
        f"`{left.text} of {right}` has no `%`: `of` takes a percent (15% of x is 0.15 * x)",
        left.span,
        hint,
    )


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
                f"`{name}` is a percentage (38.6% is 0.386), so comparing it with "
                f"{number.text} compares it with {percent(number)}",
                number.span,
                f"write {number.text}%",
            )


def _table_call(
    node: ast.Call,
    table: ast.Table,
    report: Report,
    units: Mapping[str, str | None],
    shares: frozenset[str],
) -> bool:
    """A table called with a percentage, whose thresholds are written without ``%``."""
    name = _percent_name(node.args[0], units) if len(node.args) == 1 else None
    if name is None:
        return False
    for row in table.rows:
        number = row.threshold
        if number is not None and plain(number) and abs(number.value) >= slip_at(name, shares):
            report.error(
                f"table `{table.name}` is called with `{name}`, a percentage (38.6% is "
                f"0.386), so its row `{row.op} {number.text}` means {percent(number)}",
                number.span,
                f"write `{row.op} {number.text}%` (the call is on line {node.span.line})",
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
        if plain(value):
            hint = f"write `share {value.text}%`"
        else:
            hint = "a pool shares at most 100% of the amount above its threshold"
        report.error(
            f"`share {value.text}` is {percent(value)} of the amount above the threshold: "
            "the pool would pay out more than all of it",
            value.span,
            hint,
        )


def _percent_line(
    name: str, clauses: tuple[ast.AnyClause, ...], report: Report, slip: float
) -> None:
    for clause in clauses:
        if isinstance(clause, ast.Beyond):
            keyword, number = "beyond", clause.at
        elif clause.keyword in POINT_CLAUSES | {"step"} and isinstance(clause.value, ast.Number):
            keyword, number = clause.keyword, clause.value
        else:
            continue
        if not plain(number):
            continue
        if keyword == "step" and number.value >= 1:
            report.error(
                f"`{name}` is a percentage (38.6% is 0.386), so `step {number.text}` is a step "
                f"of {percent(number)}: no one's value moves that far, and the line pays nothing",
                number.span,
                f"write `step {number.text}%`",
            )
        elif keyword != "step" and abs(number.value) >= slip:
            report.error(
                f"`{name}` is a percentage (38.6% is 0.386), so `{keyword} {number.text}` "
                f"means {percent(number)}",
                number.span,
                f"write `{keyword} {number.text}%`",
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
        if isinstance(clause, ast.Beyond):
            number, least = clause.at, PERCENT_SLIP
        elif clause.keyword == "step" and isinstance(clause.value, ast.Number):
            number, least = clause.value, 1.0
        else:
            continue
        if not plain(number) or abs(number.value) < least:
            continue
        keyword = report.text(clause.span).split()[0]  # as the file spells it: step or 每
        effect = (
            "no one's value moves that far, and the line pays nothing"
            if least == 1.0
            else "a point no one's value reaches"
        )
        report.error(
            f"{written} is written in percent, so `{keyword} {number.text}` means "
            f"{percent(number)}: {effect}",
            number.span,
            f"write `{keyword} {number.text}%`",
        )


def _money_rates(name: str, clauses: tuple[ast.AnyClause, ...], report: Report) -> None:
    for clause in clauses:
        if isinstance(clause, ast.Beyond):
            rate = clause.amount if clause.kind == "rate" else None
        elif clause.keyword == "rate" and isinstance(clause.value, ast.Number):
            rate = clause.value
        else:
            rate = None
        if rate is not None and plain(rate) and rate.value > 1:
            report.error(
                f"`rate {rate.text}` pays {percent(rate)} of `{name}`, an amount of money: "
                "more than all of it",
                rate.span,
                f"write `rate {rate.text}%`",
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
