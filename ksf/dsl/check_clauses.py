"""A statement's AST clauses → its single clauses by keyword, and the values they carry.

The grammar parses every clause after an expression through one generic rule; which clauses
each kind of statement takes is decided here, so the error can name the clause and the kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ksf.dsl import ast
from ksf.dsl.check_report import Report
from ksf.dsl.scope import DIRECTIONS

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


def collect(
    report: Report, items: Iterable[ast.AnyClause], allowed: frozenset[str], what: str
) -> dict[str, ast.Clause]:
    """Single clauses by keyword; reports unknown and repeated ones (`beyond` excluded)."""
    found: dict[str, ast.Clause] = {}
    for item in items:
        keyword = "beyond" if isinstance(item, ast.Beyond) else item.keyword
        if keyword not in allowed:
            hint = "it may take: " + ", ".join(sorted(allowed))
            report.error(f"`{keyword}` is not a clause of {what}", item.span, hint)
        elif isinstance(item, ast.Clause):
            if keyword in found:
                report.error(f"`{keyword}` is given twice", item.span)
            found[keyword] = item
    if "higher_is_better" in found and "lower_is_better" in found:
        report.error(
            "a rule cannot be both higher_is_better and lower_is_better",
            found["lower_is_better"].span,
        )
    return found


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
            f"floor {lexeme(found['floor'])} is above cap {lexeme(found['cap'])}",
            found["floor"].span,
        )
    return cap, floor


def lexeme(clause: ast.Clause) -> str:
    """A numeric clause's value as written (``30%``, ``1_000_000``)."""
    return clause.value.text if isinstance(clause.value, ast.Number) else str(clause.value)
