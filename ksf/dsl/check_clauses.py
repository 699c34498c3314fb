"""A statement's AST clauses → its single clauses by keyword, and the values they carry.

The grammar parses every clause after an expression through one generic rule; which clauses
each kind of statement takes is decided here, so the error can name the clause and the kind.
A balance rule's `beyond` points are checked here too: a whole number of steps away, on the
side the rule's direction pays.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from ksf import ir
from ksf.catalogue import check_lines as say
from ksf.dsl import ast
from ksf.dsl.check_expr import Expressions
from ksf.dsl.check_report import Report, keywords
from ksf.dsl.fold import steps_between
from ksf.dsl.format_expr import expression
from ksf.dsl.scope import DIRECTIONS
from ksf.message import Keyword, Message

# Clauses each kind of statement accepts (besides its leading expression).
RULE_CLAUSES = frozenset(
    {
        "pot",
        "balance",
        "step",
        "reward",
        "penalty",
        "cap",
        "floor",
        "prorate",
        "higher_is_better",
        "lower_is_better",
        "as",
        "beyond",
    }
)
COMMISSION_CLAUSES = frozenset({"rate", "beyond", "retroactive", "scaled_by", "cap", "floor", "as"})
BONUS_CLAUSES = frozenset({"scaled_by", "when", "as"})
KPI_CLAUSES = frozenset(
    {"weight", "baseline", "target", "challenge", "higher_is_better", "lower_is_better"}
)
POOL_AMOUNT_CLAUSES = frozenset({"above", "share"})
POOL_CLAUSES = frozenset({"cap"})
WHOLE_STEP = say.WHOLE_STEP()
BEYOND = Keyword("beyond")
# Clauses that take a number (LANGUAGE.md §9: any of them may be read per row but `weight`)
NUMERIC_CLAUSES = frozenset(
    {"pot", "balance", "step", "reward", "penalty", "cap", "floor", "rate", "weight"}
    | {"baseline", "target", "challenge", "above", "share"}
)
# The clauses a value read per row is built for so far, by the kind of statement
PER_ROW_RULE = frozenset(ir.BALANCE_CLAUSES)
PER_ROW_COMMISSION = frozenset(ir.COMMISSION_CLAUSES)
PER_ROW_KPI = frozenset({"baseline", "target", "challenge"})


def collect(
    report: Report,
    items: Iterable[ast.AnyClause],
    allowed: frozenset[str],
    what: Message,
    per_row: frozenset[str] = frozenset(),
) -> dict[str, ast.Clause]:
    """Single clauses by keyword; reports unknown and repeated ones (`beyond` excluded).

    ``per_row``: the numeric clauses that may hold a name or an expression; any other
    must be a number (reported, with a stand-in value so that no second error follows).
    """
    found: dict[str, ast.Clause] = {}
    for item in items:
        keyword = "beyond" if isinstance(item, ast.Beyond) else item.keyword
        if keyword not in allowed:
            hint = say.MAY_TAKE(clauses=keywords(sorted(allowed)))
            report.error(say.NOT_A_CLAUSE(keyword=Keyword(keyword), what=what), item.span, hint)
        elif isinstance(item, ast.Clause):
            if keyword in found:
                report.error(say.GIVEN_TWICE(keyword=Keyword(keyword)), item.span)
            found[keyword] = _numeric(report, item, per_row)
    if "higher_is_better" in found and "lower_is_better" in found:
        report.error(
            say.BOTH_DIRECTIONS(
                higher=Keyword("higher_is_better"), lower=Keyword("lower_is_better")
            ),
            found["lower_is_better"].span,
        )
    return found


def _numeric(report: Report, clause: ast.Clause, per_row: frozenset[str]) -> ast.Clause:
    """The clause, or, when it must be a number and is not, a stand-in 1 (reported)."""
    value = clause.value
    numeric = clause.keyword in NUMERIC_CLAUSES
    if not numeric or isinstance(value, ast.Number) or clause.keyword in per_row:
        return clause
    hint = say.WEIGHTS_STAY_NUMBERS() if clause.keyword == "weight" else say.PER_ROW_WHERE()
    report.error(say.TAKES_NUMBER(keyword=Keyword(clause.keyword)), clause.span, hint)
    # NaN fails every comparison, so the weights' sum raises no second error
    stand_in = math.nan if clause.keyword == "weight" else 1.0
    return attrs.evolve(clause, value=ast.Number(stand_in, "1", span=clause.span))


def clause_value(report: Report, expressions: Expressions, clause: ast.Clause) -> ir.ClauseValue:
    """A clause's number, or the expression it reads per row (LANGUAGE.md §9)."""
    value = clause.value
    if isinstance(value, ast.Number):
        return value.value
    assert not isinstance(value, str | None)  # noqa: S101 - grammar: a numeric clause
    expr = expressions.number(value)
    text = report.text(value.span)  # an expression is shown in the parentheses it needs
    text = text if isinstance(value, ast.Name) else f"({text})"
    return ir.PerRow(clause.keyword, expr, text, span=clause.span)


def value_of(clause: ast.Clause) -> float:
    """A numeric clause's value."""
    assert isinstance(clause.value, ast.Number)  # noqa: S101 - grammar: numeric clause
    return clause.value.value


def optional(found: Mapping[str, ast.Clause], keyword: str) -> float | None:
    """The value of a numeric clause, or None when it is not given."""
    return value_of(found[keyword]) if keyword in found else None


def direction_of(found: Mapping[str, ast.Clause]) -> int | None:
    """1 for `higher_is_better`, -1 for `lower_is_better`, None when neither is given."""
    for word, sign in DIRECTIONS.items():
        if word in found:
            return sign
    return None


def alias_of(found: Mapping[str, ast.Clause]) -> str | None:
    """The name given with `as NAME`, if any."""
    clause = found.get("as")
    return clause.value if clause is not None and isinstance(clause.value, str) else None


def bounds(report: Report, found: Mapping[str, ast.Clause]) -> tuple[float | None, float | None]:
    """The `cap` and `floor` of a line; reports a floor above its cap."""
    cap, floor = optional(found, "cap"), optional(found, "floor")
    if cap is not None and floor is not None and floor > cap:
        report.error(
            say.FLOOR_ABOVE_CAP(
                floor=Keyword("floor"),
                low=lexeme(found["floor"]),
                cap=Keyword("cap"),
                high=lexeme(found["cap"]),
            ),
            found["floor"].span,
        )
    return cap, floor


def literal_bounds(report: Report, found: Mapping[str, ast.Clause]) -> None:
    """A floor written above its cap, both numbers (values read per row are checked per row)."""
    if all(k in found and isinstance(found[k].value, ast.Number) for k in ("cap", "floor")):
        bounds(report, found)


def lexeme(clause: ast.Clause) -> str:
    """A numeric clause's value as written (``30%``, ``1_000_000``)."""
    value = clause.value
    if isinstance(value, ast.Number):
        return value.text
    if isinstance(value, str | None):
        return str(value)
    return expression(value)


def beyond_value(
    report: Report, expressions: Expressions, clause: ast.Beyond
) -> tuple[ir.ClauseValue, ir.ClauseValue]:
    """A `beyond` clause's point and amount: numbers, or read per row (LANGUAGE.md §9).

    A point read per row is the clause ``beyond``; an amount, ``beyond reward`` (its kind).
    """
    at = clause_value(report, expressions, ast.Clause("beyond", clause.at, span=clause.span))
    amount = ast.Clause(f"beyond {clause.kind}", clause.amount, span=clause.span)
    return at, clause_value(report, expressions, amount)


def beyond_point(
    report: Report,
    clause: ast.Beyond,
    balance: float,
    step: float,
    sides: tuple[int, str],
) -> bool:
    """Whether a `beyond` point written as a number is a whole number of steps away, on its side.

    ``sides`` is the rule's direction and its balance point as written; reports it if not.
    """
    assert isinstance(clause.at, ast.Number)  # noqa: S101 - the caller asks for numbers only
    steps = steps_between(balance, clause.at.value, step) if step > 0 else 0.0
    if steps == 0:
        report.error(
            say.BEYOND_AT_BALANCE(beyond=BEYOND, at=clause.at.text), clause.at.span, WHOLE_STEP
        )
        return False
    if steps != math.trunc(steps):
        report.error(
            say.BEYOND_NOT_WHOLE(beyond=BEYOND, at=clause.at.text, steps=f"{abs(steps):g}"),
            clause.at.span,
            WHOLE_STEP,
        )
        return False
    direction, balance_text = sides
    if (clause.kind == "reward") != (steps * direction > 0):
        sides_hint = say.HIGHER_SIDES if direction > 0 else say.LOWER_SIDES
        report.error(
            say.BEYOND_WRONG_SIDE(
                beyond=BEYOND, at=clause.at.text, kind=Keyword(clause.kind), balance=balance_text
            ),
            clause.span,
            sides_hint(reward=Keyword("reward"), penalty=Keyword("penalty")),
        )
        return False
    return True


def beyond_points(
    report: Report,
    expressions: Expressions,
    item: ast.Rule,
    given: Mapping[str, ir.ClauseValue],
    sides: tuple[int, str],
) -> tuple[ir.Beyond, ...]:
    """A rule's `beyond` points and amounts: numbers, or read per row (LANGUAGE.md §9).

    A point written as a number on a balance and a step written as numbers is checked here;
    any other is placed, and checked, on each row (`ksf.per_row`), as are amounts read per row.
    """
    balance, step = given["balance"], given["step"]
    found: list[ir.Beyond] = []
    points = [c for c in item.clauses if isinstance(c, ast.Beyond)]
    for clause in points:
        if not _kind_ok(report, clause):
            continue
        if (
            isinstance(balance, float)
            and isinstance(step, float)
            and isinstance(clause.at, ast.Number)
            and not beyond_point(report, clause, balance, step, sides)
        ):
            continue
        if _same_point(report, clause, points):
            continue
        at, amount = beyond_value(report, expressions, clause)
        text = clause.at.text if isinstance(clause.at, ast.Number) else ""
        found.append(ir.Beyond(at, clause.kind, amount, text, span=clause.span))
    return tuple(found)


def _kind_ok(report: Report, clause: ast.Beyond) -> bool:
    """A balance rule's `beyond` pays a reward or a penalty, 0 or more."""
    if clause.kind not in ("reward", "penalty"):
        report.error(
            say.BEYOND_KIND(
                beyond=BEYOND,
                reward=Keyword("reward"),
                penalty=Keyword("penalty"),
                kind=Keyword(clause.kind),
            ),
            clause.span,
        )
        return False
    if isinstance(clause.amount, ast.Number) and clause.amount.value < 0:
        report.error(say.AMOUNT_NEGATIVE(kind=Keyword(clause.kind)), clause.amount.span)
    return True


def _same_point(report: Report, clause: ast.Beyond, points: list[ast.Beyond]) -> bool:
    """Whether a point written as a number was written before on the same side (reported).

    A balance written as a number reports it when the tiers are placed (`ksf.bind`); points
    read per row that meet are refused on the rows where they do (`ksf.per_row`).
    """
    if not isinstance(clause.at, ast.Number):
        return False
    at = clause.at.value
    first = next(
        p
        for p in points
        if p.kind == clause.kind and isinstance(p.at, ast.Number) and p.at.value == at
    )
    if first is clause:
        return False
    report.error(say.SAME_POINT_TWICE(beyond=BEYOND), clause.span)
    return True
