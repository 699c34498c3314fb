"""The unit of each name and expression a rule file reads: percent, money, count or unknown.

A name has a unit when the file or the standard library says so: an `indicator … percent`
or a `column … money` declaration (``standard.ksf`` declares both for every standard
indicator and every raw column it reads). A data column nobody declared has no known unit,
unless a line writes its points with ``%`` (`read_in_percent`). `ksf.dsl.unit_slips` refuses
the numbers that, on these units, would pay 100 times too much; `ksf.dsl.lint` warns on the
ones that may be meant.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import assert_never

from ksf import ir
from ksf.dsl import ast

# Past this, a fraction written without % is almost surely percentage points: 2 is 200%.
PERCENT_SLIP = 2.0
# For a percent that can pass 100% (attainment, ACoS: 2 may well mean 200%), the point past
# which a plain number is still surely percentage points: 1000% attainment is no plan.
WHOLE_PASSING_SLIP = 10.0
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
    for statement in tree.statements:  # after the columns: a definition wins over a column
        match statement:
            case ast.Indicator():
                units[statement.name] = statement.unit
            case ast.Score() | ast.Table():
                units[statement.name] = None
            case (
                ast.Currency() | ast.Rounding() | ast.Language() | ast.Column() | ast.Pool()
            ) | ast.Card():
                pass  # no value an expression reads
            case _:
                assert_never(statement)
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
        if isinstance(line, ast.Rule | ast.Kpi):
            _per_row_points(line, units, found)
        if isinstance(line, ast.Commission) and expression_unit(line.expr, units) == "money":
            _per_row_money_rate(line, units, found)
        if not isinstance(line, ast.Rule | ast.Kpi) or not isinstance(line.expr, ast.Name):
            continue
        name = line.expr.name
        if name in units or name in found:
            continue  # a declared, defined or standard name has its own unit and domain
        written = next((n for n in _points(line.clauses) if "%" in n.text), None)
        if written is not None:
            found[name] = _in_percent(name, written, line)
    return tuple(found.values())


def _in_percent(name: str, written: ast.Number, line: ast.Rule | ast.Kpi) -> ir.ColumnSpec:
    """The bound of a column a line writes in percent: at most `PERCENT_POINTS_BOUND`."""
    return ir.ColumnSpec(
        name, None, high=PERCENT_POINTS_BOUND, origin="points", text=written.text, span=line.span
    )


def _per_row_points(
    line: ast.Rule | ast.Kpi, units: Mapping[str, str | None], found: dict[str, ir.ColumnSpec]
) -> None:
    """A balance point (or a KPI's point) read per row from a column, written in percent (§9).

    ``gross_margin balance target_gm step 1%``: the column holds the same fractions as the
    value it is a point of (25% is 0.25). A written ``balance 25`` there is refused as
    2500% (`ksf.dsl.unit_slips`); the same slip in the data is refused row by row: a point
    of `WHOLE_PASSING_SLIP` (1000%) or more is percentage points, never a plan.
    """
    clauses = [c for c in line.clauses if isinstance(c, ast.Clause)]
    numbers = [*_points(line.clauses)]
    numbers += [c.value for c in clauses if c.keyword == "step" and isinstance(c.value, ast.Number)]
    written = next((n for n in numbers if "%" in n.text), None)
    if written is None:
        return
    kpi = isinstance(line, ast.Kpi)
    read = ("baseline", "target", "challenge") if kpi else ("balance", "beyond")
    points = [ast.Clause("beyond", c.at) for c in line.clauses if isinstance(c, ast.Beyond)]
    for clause in [*clauses, *points]:  # a `beyond` point read per row is a point too
        value = clause.value
        name = value.name if isinstance(value, ast.Name) else None
        if clause.keyword in read and name and name not in units and name not in found:
            found[name] = ir.ColumnSpec(
                name,
                None,
                high=WHOLE_PASSING_SLIP,
                high_open=True,
                origin="per_row_kpi_points" if kpi else "per_row_points",
                text=written.text,
                span=line.span,
            )


def _per_row_money_rate(
    line: ast.Commission, units: Mapping[str, str | None], found: dict[str, ir.ColumnSpec]
) -> None:
    """A commission rate read per row on money (§9): at most 1, all of the money.

    A written `rate 5` on sales is refused as 500% (`ksf.dsl.unit_slips`); a rate column
    holding 5 for 5% would pay five times the sales, so such rows are refused too.
    """
    for clause in line.clauses:  # a tier's rate read per row (`beyond T rate r2`) too
        value = clause.value if isinstance(clause, ast.Clause) else clause.amount
        name = value.name if isinstance(value, ast.Name) else None
        is_rate = (
            clause.keyword == "rate" if isinstance(clause, ast.Clause) else clause.kind == "rate"
        )
        if is_rate and name and name not in units and name not in found:
            found[name] = ir.ColumnSpec(name, None, high=1.0, origin="per_row_rate", span=line.span)


def _points(clauses: tuple[ast.AnyClause, ...]) -> Iterator[ast.Number]:
    """The numbers of a line's clauses that are values of its indicator."""
    for clause in clauses:
        if isinstance(clause, ast.Beyond):
            if isinstance(clause.at, ast.Number):  # a point read per row has no digits here
                yield clause.at
        elif clause.keyword in POINT_CLAUSES and isinstance(clause.value, ast.Number):
            yield clause.value


def percent(number: ast.Number) -> str:
    """A plain number's value written as a percent: 15 → ``1500%``, 0.15 → ``15%``."""
    return f"{number.value * 100:.10g}%"


def plain(number: ast.Number) -> bool:
    """Whether a number is written without ``%`` and is not a ratio."""
    return "%" not in number.text and ":" not in number.text


def rule_lines(tree: ast.Rulebook) -> Iterator[ast.CardItem | ast.Kpi]:
    """Every line of every card and every KPI of every score, in file order."""
    for statement in tree.statements:
        match statement:
            case ast.Card():
                yield from statement.items
            case ast.Score():
                yield from statement.kpis
            case (
                ast.Currency()
                | ast.Rounding()
                | ast.Language()
                | ast.Indicator()
                | ast.Column()
                | ast.Table()
                | ast.Pool()
            ):
                pass
            case _:
                assert_never(statement)


def shares_of(columns: Mapping[str, ir.ColumnSpec]) -> frozenset[str]:
    """The percent names that are shares of a whole (at most 100%, as the library declares).

    Other percents (attainment, ACoS) can pass 100%, so only a number of
    `WHOLE_PASSING_SLIP` or more written without ``%`` is surely a slip on them.
    """
    return frozenset(n for n, c in columns.items() if c.origin == "indicator" and c.high <= 1)


def expression_unit(expr: ast.Expr, units: Mapping[str, str | None]) -> str | None:
    """The unit of an expression where arithmetic keeps it, else None (unknown).

    Money plus or minus money is money (`revenue - cogs`), and so is money times or over a
    plain number or a count (`revenue * 1`, `units_sold * price`); anything else is unknown,
    so that no rule is refused on a guess.
    """
    match expr:
        case ast.Name():
            return units.get(expr.name)
        case ast.Number():
            return "number" if "%" not in expr.text and ":" not in expr.text else None
        case ast.Unary() if expr.op == "-":
            return expression_unit(expr.operand, units)
        case ast.Binary():
            return _binary_unit(expr, units)
        case ast.Group(func="count"):
            return "count"
        case ast.Group(func="sum" | "mean" | "min" | "max", arg=arg) if arg is not None:
            return expression_unit(arg, units)  # a team's total sales are money too
        case ast.Unary() | ast.Call() | ast.Group():
            return None
        case _:
            assert_never(expr)


def _binary_unit(expr: ast.Binary, units: Mapping[str, str | None]) -> str | None:
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
