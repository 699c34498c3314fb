"""Warnings: rule text that is valid but probably not what its author meant.

Each one is something a careful payroll reviewer would want pointed out, and each can be
intended, so none stops a payroll:

- a file definition that shadows a standard indicator (the file's wins, silently otherwise);
- a pool that no card shares: its money is computed and paid to nobody;
- a table or score that nothing reads: usually a line that was never written, or one that
  was deleted while its definition stayed;
- a number of 2 or more written without ``%`` on a data column of unknown unit whose name
  reads like a rate (``毛利率 balance 25``): 2500% if the column holds fractions, right if
  it holds percentage points (on a value known to be a percentage, `ksf.dsl.units` refuses
  it);
- a ``balance`` of 2 or more written without ``%`` and a ``step`` written with it, on a
  value of unknown unit (``毛利率 balance 30 step 1%``): if the data holds fractions the
  balance is 3000%, if it holds percentage points the step is 0.01 of a point;
- a sign slip on a balance line without a pot: ``floor 1500`` (a guaranteed 1,500 however
  bad the result, where ``floor -1500`` was meant) or ``cap -300``;
- a commission rate of 50% or more written without ``%`` (``rate 0.75`` for 0.75%), unless
  the base is a count (``rate 15`` on units sold is 15 per unit);
- a pool share of 50% to 100% written without ``%`` (``share 1`` for 1%).

Warnings about the data (a column hidden by a file definition, a param that cannot be used)
need the data's column names and live in `ksf.data_clashes.data_warnings`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import assert_never, cast

import attrs

from ksf import ir
from ksf.catalogue import check as kinds
from ksf.catalogue import check_lint as say
from ksf.dsl import ast
from ksf.dsl.check_report import source_text
from ksf.dsl.format_expr import expression
from ksf.dsl.units import PERCENT_SLIP, percent, plain, rule_lines
from ksf.errors import RuleWarning
from ksf.message import Keyword
from ksf.source import Source, Span

PERCENT_CLAUSES = frozenset({"balance", "baseline", "target", "challenge"})
# Endings of names that read like a rate or share (毛利率, 广告占比, return_rate, …).
RATE_ENDINGS = ("率", "占比", "比例", "rate", "ratio", "margin", "pct", "percent", "attainment")


def definitions(tree: ast.Rulebook) -> tuple[tuple[str, str, Span], ...]:
    """The file's value definitions: (name, kind, position of the name)."""
    return tuple(
        (s.name, type(s).__name__.lower(), s.name_span)
        for s in tree.statements
        if isinstance(s, ast.Indicator | ast.Score | ast.Table)
    )


def lint(
    tree: ast.Rulebook,
    source: Source,
    library: Mapping[str, ir.Named],
    units: Mapping[str, str | None] | None = None,
) -> tuple[RuleWarning, ...]:
    """Every warning the text alone gives, in source order.

    ``units``: the unit of each name that has one (`ksf.dsl.units.units_of`).
    """
    units = units if units is not None else {n: d.unit for n, d in library.items()}
    found = [
        *_shadowed(tree, source, library),
        *_percent_slips(tree, source, units),
        *_mixed_percent(tree, source, units),
        *_sign_and_rate_slips(tree, source, units),
        *_indicator_not_line(tree, source),
    ]
    if any(isinstance(s, ast.Card) for s in tree.statements):
        # A file without cards is a library of definitions: nothing in it needs a reader.
        found += _unused(tree, source)
    return tuple(sorted(found, key=RuleWarning.sort_key))


def _shadowed(
    tree: ast.Rulebook, source: Source, library: Mapping[str, ir.Named]
) -> Iterator[RuleWarning]:
    for name, kind, span in definitions(tree):
        standard = library.get(name)
        if standard is None:
            continue
        node = next(s for s in tree.statements if getattr(s, "name_span", None) is span)
        if isinstance(node, ast.Indicator) and _same(node, standard):
            continue  # a copy of the standard definition changes nothing
        label = say.LABEL(label=standard.label) if standard.label else ""
        noun = kinds.KINDS[kind]()
        yield RuleWarning(
            say.SHADOWS(kind=noun, name=name, label=label),
            span,
            source,
            say.SHADOWS_HINT(text=standard.text, kind=noun),
        )


def _same(node: ast.Indicator, standard: ir.Named) -> bool:
    """Whether a file indicator spells the standard one (same expression, unit, direction)."""
    direction = {"higher_is_better": 1, "lower_is_better": -1}.get(node.direction or "")
    return (
        " ".join(expression(node.expr).split()) == " ".join(standard.text.split())
        and node.unit == standard.unit
        and direction == standard.direction
    )


def _unused(tree: ast.Rulebook, source: Source) -> Iterator[RuleWarning]:
    read = {name for s in tree.statements if not isinstance(s, ast.Table) for name in _names(s)}
    shared = {
        item.pool
        for card in tree.statements
        if isinstance(card, ast.Card)
        for item in card.items
        if isinstance(item, ast.Share)
    }
    for statement in tree.statements:
        match statement:
            case ast.Pool():
                if statement.name not in shared:
                    yield RuleWarning(
                        say.POOL_NOT_SHARED(name=statement.name),
                        statement.name_span,
                        source,
                        say.POOL_NOT_SHARED_HINT(share=Keyword("share"), name=statement.name),
                    )
            case ast.Table() | ast.Score():
                if statement.name not in read:
                    kind = kinds.KINDS[type(statement).__name__.lower()]
                    yield RuleWarning(
                        say.UNUSED(kind=kind(), name=statement.name),
                        statement.name_span,
                        source,
                        say.UNUSED_HINT(),
                    )
            case (
                ast.Currency() | ast.Rounding() | ast.Language() | ast.Indicator() | ast.Column()
            ) | ast.Card():
                pass
            case _:
                assert_never(statement)


def _indicator_not_line(tree: ast.Rulebook, source: Source) -> Iterator[RuleWarning]:
    """An amount computed from the name of a balance rule named after its indicator.

    ``毛利率 平衡点 25% …`` is named 毛利率, but inside the card that name keeps meaning the
    indicator (LANGUAGE.md 9, docs/language.md 13): ``奖金 毛利率 * 50%`` below it pays half
    of 0.35, not half of the rule's 2,000. In a condition (``when 毛利率 >= 40%``) the
    indicator is what is meant, so only a bonus amount or a commission base is looked at.
    """
    for card in (s for s in tree.statements if isinstance(s, ast.Card)):
        named: dict[str, ast.Rule] = {}
        for item in card.items:
            amount = item.expr if isinstance(item, ast.Bonus | ast.Commission) else None
            for name in sorted(set(_names(amount)) & set(named)):
                yield RuleWarning(
                    say.INDICATOR_NOT_LINE(name=name, line=named[name].span.line),
                    item.span,
                    source,
                    say.INDICATOR_NOT_LINE_HINT(name=name, alias=Keyword("as")),
                )
            if (
                isinstance(item, ast.Rule)
                and isinstance(item.expr, ast.Name)
                and not any(isinstance(c, ast.Clause) and c.keyword == "as" for c in item.clauses)
            ):
                named[item.expr.name] = item


def _names(node: object) -> Iterator[str]:
    """Every name read inside ``node`` (values and calls), at any depth."""
    if isinstance(node, ast.Name):
        yield node.name
    elif isinstance(node, ast.Call):
        yield node.func
    if isinstance(node, tuple):
        for item in node:
            yield from _names(item)
    elif attrs.has(type(node)):
        for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(node))):
            value = getattr(node, field.name)
            # Spans and numbers hold no names; skipping them halves the walk of a big file.
            if isinstance(value, tuple) or (
                attrs.has(type(value)) and not isinstance(value, Span | ast.Number)
            ):
                yield from _names(value)


def _percent_slips(
    tree: ast.Rulebook, source: Source, units: Mapping[str, str | None]
) -> Iterator[RuleWarning]:
    """Plain columns named like a rate, with a point of 2 or more written without ``%``."""
    for line in rule_lines(tree):
        if not isinstance(line, ast.Rule | ast.Kpi) or not isinstance(line.expr, ast.Name):
            continue
        name = line.expr.name
        if name in units or not name.lower().endswith(RATE_ENDINGS):
            continue  # a known unit is checked by ksf.dsl.units
        if isinstance(line, ast.Rule) and _mixed(line) is not None:
            continue  # `_mixed_percent` says more
        slip = next(
            (
                (clause, number)
                for clause in line.clauses
                if (number := _clause_number(clause)) is not None
                and plain(number)
                and abs(number.value) >= PERCENT_SLIP
            ),
            None,
        )
        if slip is not None:
            clause, number = slip
            yield RuleWarning(
                say.READS_LIKE_PERCENT(
                    name=name,
                    keyword=Keyword(_keyword(clause)),
                    value=number.text,
                    percent=percent(number),
                ),
                number.span,
                source,
                say.READS_LIKE_PERCENT_HINT(value=number.text),
            )


def _mixed(line: ast.Rule) -> tuple[ast.Clause, ast.Clause] | None:
    """A line's balance (2 or more, without ``%``) and step (with ``%``), else None."""
    numbers = {
        c.keyword: c
        for c in line.clauses
        if isinstance(c, ast.Clause) and isinstance(c.value, ast.Number)
    }
    balance, step = numbers.get("balance"), numbers.get("step")
    if balance is None or step is None:
        return None
    b, s = cast("ast.Number", balance.value), cast("ast.Number", step.value)
    if plain(b) and abs(b.value) >= PERCENT_SLIP and "%" in s.text:
        return balance, step
    return None


def _mixed_percent(
    tree: ast.Rulebook, source: Source, units: Mapping[str, str | None]
) -> Iterator[RuleWarning]:
    """A balance of 2 or more without ``%`` and a step with it, on a value of unknown unit."""
    for line in rule_lines(tree):
        if not isinstance(line, ast.Rule) or not isinstance(line.expr, ast.Name):
            continue
        mixed = _mixed(line) if line.expr.name not in units else None
        if mixed is None:
            continue  # a known unit is checked by ksf.dsl.units
        balance, step = mixed
        b, s = cast("ast.Number", balance.value), cast("ast.Number", step.value)
        written = source_text(source, balance.span)
        yield RuleWarning(
            say.MIXED_PERCENT(
                balance=written,
                step=source_text(source, step.span),
                percent=percent(b),
                points=f"{s.value:g}",
            ),
            b.span,
            source,
            say.MIXED_PERCENT_HINT(balance=written),
        )


# A commission rate this high, written as a plain number, is almost surely meant in percent.
RATE_SLIP = 0.5


def _sign_and_rate_slips(
    tree: ast.Rulebook, source: Source, units: Mapping[str, str | None]
) -> Iterator[RuleWarning]:
    for statement in tree.statements:
        match statement:
            case ast.Pool():
                yield from _share_slips(statement, source)
            case ast.Card():
                yield from _card_slips(statement, source, units)
            case (
                ast.Currency()
                | ast.Rounding()
                | ast.Language()
                | ast.Indicator()
                | ast.Column()
                | ast.Table()
                | ast.Score()
            ):
                pass
            case _:
                assert_never(statement)


def _card_slips(
    card: ast.Card, source: Source, units: Mapping[str, str | None]
) -> Iterator[RuleWarning]:
    """Cap and floor signs on balance rules, and plain rates on commissions."""
    for line in card.items:
        match line:
            case ast.Rule():
                yield from _bound_slips(line, source)
            case ast.Commission():
                base = line.expr.name if isinstance(line.expr, ast.Name) else ""
                if units.get(base) != "count":  # `rate 15` on units sold: 15 per unit
                    yield from _rate_slips(line, source)
            case ast.Fixed() | ast.Bonus() | ast.Share() | ast.MinPay() | ast.Missing():
                pass
            case _:
                assert_never(line)


def _bound_slips(line: ast.Rule, source: Source) -> Iterator[RuleWarning]:
    clauses = {c.keyword: c.value for c in line.clauses if isinstance(c, ast.Clause)}
    if "pot" in clauses:  # with a pot, a positive floor is a guaranteed part of the pot
        return
    floor, cap = clauses.get("floor"), clauses.get("cap")
    if isinstance(floor, ast.Number) and floor.value > 0:
        word = Keyword("floor")
        yield RuleWarning(
            say.FLOOR_PAYS(floor=word, value=floor.text),
            floor.span,
            source,
            say.FLOOR_PAYS_HINT(floor=word, value=floor.text),
        )
    if isinstance(cap, ast.Number) and cap.value < 0:
        word, amount = Keyword("cap"), cap.text.lstrip("-")
        yield RuleWarning(
            say.CAP_DEDUCTS(cap=word, value=cap.text, amount=amount),
            cap.span,
            source,
            say.DID_YOU_MEAN_CLAUSE(keyword=word, value=amount),
        )


def _rate_slips(line: ast.Commission, source: Source) -> Iterator[RuleWarning]:
    rates = [c.value for c in line.clauses if isinstance(c, ast.Clause) and c.keyword == "rate"]
    rates += [c.amount for c in line.clauses if isinstance(c, ast.Beyond) and c.kind == "rate"]
    for rate in rates:
        if isinstance(rate, ast.Number) and "%" not in rate.text and rate.value >= RATE_SLIP:
            word = Keyword("rate")
            yield RuleWarning(
                say.RATE_PAYS(rate=word, value=rate.text, percent=f"{rate.value:.0%}"),
                rate.span,
                source,
                say.DID_YOU_MEAN_PERCENT(keyword=word, value=rate.text),
            )


def _share_slips(pool: ast.Pool, source: Source) -> Iterator[RuleWarning]:
    for amount in pool.amounts:
        for clause in amount.clauses:
            share = clause.value if isinstance(clause, ast.Clause) else None
            if (
                isinstance(clause, ast.Clause)
                and clause.keyword == "share"
                and isinstance(share, ast.Number)
                and plain(share)
                and RATE_SLIP <= share.value <= 1
            ):
                word = Keyword("share")
                yield RuleWarning(
                    say.SHARE_GIVES(share=word, value=share.text, percent=percent(share)),
                    share.span,
                    source,
                    say.DID_YOU_MEAN_PERCENT(keyword=word, value=share.text),
                )


def _clause_number(clause: ast.AnyClause) -> ast.Number | None:
    if isinstance(clause, ast.Beyond):
        return clause.at if isinstance(clause.at, ast.Number) else None
    if clause.keyword in PERCENT_CLAUSES and isinstance(clause.value, ast.Number):
        return clause.value
    return None


def _keyword(clause: ast.AnyClause) -> str:
    return "beyond" if isinstance(clause, ast.Beyond) else clause.keyword
