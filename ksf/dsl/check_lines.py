"""An AST card → its IR card: each line checked for the clauses its kind takes and needs.

Balance rules get their steps, rewards and whole-step `beyond` points checked, commissions
their tier order, `share` lines their pool; every line gets a name unique in its card and
free of the payroll's own columns, and the card's `min_pay` and `missing` settings.
"""

from __future__ import annotations

import math
from typing import assert_never

import attrs

from ksf import ir
from ksf.catalogue import check_lines as say
from ksf.dsl import ast
from ksf.dsl.check_clause_values import ClauseChecks
from ksf.dsl.check_clauses import (
    BONUS_CLAUSES,
    COMMISSION_CLAUSES,
    PER_ROW_COMMISSION,
    PER_ROW_RULE,
    RULE_CLAUSES,
    alias_of,
    beyond_points,
    beyond_value,
    collect,
    direction_of,
    lexeme,
    literal_bounds,
)
from ksf.dsl.line_refs import LineScope, line_name, value_named
from ksf.dsl.scope import MISSING_MODES, RESERVED_LINE_NAMES
from ksf.errors import suggest
from ksf.message import Keyword
from ksf.money import is_whole_units
from ksf.source import Span


class CardLines(ClauseChecks):
    """Checks the cards of one rule file, once its definitions are checked."""

    # ---- the card -------------------------------------------------------------------------

    def card(self, node: ast.Card) -> ir.Card:
        """A card's IR: its lines, minimum pay and missing-value policy."""
        lines: list[ir.Line] = []
        names: dict[str, Span] = {}
        min_pay: float | None = None
        missing = "error"
        once: dict[str, Span] = {}
        self.shared = {}
        scope = self.scope(node)
        for position, item in enumerate(node.items):
            match item:
                case ast.MinPay():
                    if self.once("min_pay", item.span, once, node.name):
                        min_pay = self.min_pay(item, names)
                case ast.Missing():
                    if self.once("missing", item.span, once, node.name):
                        missing = self.missing(item)
                case _:
                    line = self.scoped_line(item, scope, position)
                    if line is not None and self.line_name(line.name, item.span, names):
                        scope.earlier.setdefault(line.name, len(lines))
                        lines.append(line)
        self.references.extend((name, "line", span) for name, span in scope.used)
        return ir.Card(node.name, node.label, tuple(lines), min_pay, missing, span=node.span)

    def scope(self, node: ast.Card) -> LineScope:
        """The line names a card's lines may use (LANGUAGE.md 9), none of them checked yet."""
        scope = LineScope(node.name, owners=self.owners)
        values = set()
        for position, item in enumerate(node.items):
            if isinstance(item, ast.MinPay | ast.Missing):
                continue
            name = line_name(item)
            if name is not None:
                scope.lines.setdefault(name, (position, item.span))
                if value_named(item):
                    values.add(name)
        scope.values = frozenset(values)
        return scope

    def scoped_line(self, item: ast.PayItem, scope: LineScope, position: int) -> ir.Line | None:
        """A line checked with the names of the lines above it in scope."""
        scope.current, scope.position = line_name(item), position
        self.expressions.lines = scope
        try:
            return self.line(item)
        finally:
            self.expressions.lines = None

    def once(self, key: str, span: Span, once: dict[str, Span], card: str) -> bool:
        """Whether ``key`` (``min_pay``, ``missing``) is given first here; reports a second."""
        if key in once:
            self.report.error(say.GIVEN_TWICE_IN_CARD(keyword=Keyword(key), card=card), span)
            return False
        once[key] = span
        return True

    def min_pay(self, item: ast.MinPay, names: dict[str, Span]) -> float:
        """The card's minimum pay, a whole number of rounding units; names its top-up line."""
        if self.payable(Keyword("min_pay"), item.amount) and not is_whole_units(
            item.amount.value, self.unit
        ):
            self.report.error(
                say.MIN_PAY_NOT_WHOLE(
                    min_pay=Keyword("min_pay"), amount=item.amount.text, unit=f"{self.unit:g}"
                ),
                item.amount.span,
                say.MIN_PAY_NOT_WHOLE_HINT(),
            )
        self.line_name("min_pay_topup", item.span, names, reserved=False)
        return item.amount.value

    def missing(self, item: ast.Missing) -> str:
        """The card's missing-value policy; ``error`` (the default) when it is unknown."""
        if item.mode in MISSING_MODES:
            return item.mode
        hint = suggest(item.mode, MISSING_MODES) or say.MISSING_HINT(
            missing_as=Keyword("missing as"), balance=Keyword("balance"), zero=Keyword("zero")
        )
        self.report.error(say.UNKNOWN_MISSING(mode=item.mode), item.mode_span, hint)
        return "error"

    def line_name(
        self, name: str, span: Span, names: dict[str, Span], *, reserved: bool = True
    ) -> bool:
        """Enter a line's name in its card; False (reported) if it is reserved or taken."""
        if reserved and name in RESERVED_LINE_NAMES:
            self.report.error(
                say.RESERVED_LINE(name=name, why=RESERVED_LINE_NAMES[name]),
                span,
                say.RENAME_WITH_AS(alias=Keyword("as")),
            )
            return False
        if name in names:
            self.report.error(
                say.TWO_LINES_NAMED(name=name),
                span,
                say.TWO_LINES_HINT(line=names[name].line, alias=Keyword("as")),
            )
            return False
        names[name] = span
        return True

    def line(self, item: ast.PayItem) -> ir.Line | None:
        """The IR of one card line, None when it is too broken to pay."""
        match item:
            case ast.Fixed():
                return self.fixed(item)
            case ast.Rule():
                return self.rule(item)
            case ast.Commission():
                return self.commission(item)
            case ast.Bonus():
                return self.bonus(item)
            case ast.Share():
                return self.share(item)
            case _:
                assert_never(item)

    def line_label(self, expr: ast.Expr, alias: str | None, span: Span, default: str) -> str:
        """A line's name: its alias, else ``default`` filled with the indicator it reads."""
        if alias is not None:
            return alias
        if isinstance(expr, ast.Name):
            return default.format(expr.name)
        if default == "{}":
            self.report.error(
                say.NAME_THIS_LINE(alias=Keyword("as")), span, say.NAME_THIS_LINE_HINT()
            )
        return default.replace("_{}", "")

    # ---- line kinds -----------------------------------------------------------------------

    def share(self, item: ast.Share) -> ir.Line | None:
        """A `share POOL` line; the pool must exist and be shared once per card."""
        pool = self.defs.get(item.pool)
        if not isinstance(pool, ast.Pool):
            pools = [n for n, s in self.defs.items() if isinstance(s, ast.Pool)]
            hint = self.report.did_you_mean(item.pool, pools) or say.DEFINE_POOL(
                pool=Keyword("pool")
            )
            self.report.error(say.NO_POOL(name=item.pool), item.pool_span, hint)
            return None
        if item.pool in self.shared:
            first = self.shared[item.pool].line
            self.report.error(
                say.SHARES_TWICE(name=item.pool),
                item.span,
                say.SHARES_TWICE_HINT(share=Keyword("share"), name=item.pool, line=first),
            )
            return None
        self.shared[item.pool] = item.span
        return ir.ShareLine(item.alias or item.pool, item.pool, span=item.span)

    def fixed(self, item: ast.Fixed) -> ir.Line:
        """A fixed amount (`base 6000`), or one by a column's value (`base by level`)."""
        name = item.alias or item.kind
        if item.by is None and item.expr is not None:
            if isinstance(item.expr, ast.Number):  # `base (6000)` is still a literal
                self.payable(Keyword(item.kind), item.expr)
            amount = self.expressions.number(item.expr)  # read per row (LANGUAGE.md 9)
            text = self.report.text(item.expr.span)
            return ir.FixedLine(name, amount, text=text, span=item.span)
        if item.by is None:
            assert item.amount is not None  # noqa: S101 - grammar: `base N` has an amount
            self.payable(Keyword(item.kind), item.amount)
            return ir.FixedLine(name, ir.Const(item.amount.value), span=item.span)
        keys: dict[str, Span] = {}
        for entry in item.entries:
            self.payable(say.BY_ENTRY(kind=Keyword(item.kind), key=entry.key), entry.value)
            if entry.key in keys:
                self.report.error(say.LISTED_TWICE(key=entry.key), entry.span)
            keys[entry.key] = entry.span
        return ir.ByLine(
            name,
            item.by,
            tuple(e.key for e in item.entries),
            tuple(e.value.value for e in item.entries),
            span=item.span,
            column_span=item.by_span,
        )

    def rule(self, item: ast.Rule) -> ir.Line | None:
        """A balance rule: a reward or penalty per step from the balance point.

        Any clause but a `beyond` may be read per row (LANGUAGE.md §9); the checks a number
        gets here (`step` above 0, amounts 0 or more) are then made per row by the run.
        """
        clauses = collect(self.report, item.clauses, RULE_CLAUSES, say.OF_RULE(), PER_ROW_RULE)
        needed = [k for k in ("balance", "step", "reward") if k not in clauses]
        if needed:
            self.report.error(
                say.RULE_MISSING(keyword=Keyword(needed[0])),
                item.span,
                say.RULE_EXAMPLE(
                    balance=Keyword("balance"), step=Keyword("step"), reward=Keyword("reward")
                ),
            )
            return None
        self._step(clauses["step"])
        self._amounts(clauses)
        given = {k: self.clause(c) for k, c in clauses.items() if k in PER_ROW_RULE}
        value = self.expressions.number(item.expr)
        sides = (
            direction_of(clauses) or self.direction(value),
            lexeme(clauses["balance"]),
        )
        beyond = beyond_points(self.report, self.expressions, item, given, sides)
        literal_bounds(self.report, clauses)
        self._payable_bounds(clauses)
        return ir.BalanceLine(
            name=self.line_label(item.expr, alias_of(clauses), item.span, "{}"),
            value=value,
            balance=given["balance"],
            step=given["step"],
            reward=given["reward"],
            penalty=given.get("penalty", _as_penalty(given["reward"])),
            beyond=beyond,
            pot=given.get("pot", 0.0),
            cap=given.get("cap"),
            floor=given.get("floor"),
            prorate="prorate" in clauses,
            direction=direction_of(clauses),
            text=self.report.text(item.expr.span),
            balance_text=lexeme(clauses["balance"]),
            span=item.span,
        )

    def commission(self, item: ast.Commission) -> ir.Line | None:
        """A commission: a rate, with `beyond` tiers in increasing order.

        Any rate, threshold, cap and floor may be read per row (LANGUAGE.md §9); the tiers
        are then kept as written (`beyond`) and checked on each row (`ksf.per_row`).
        """
        clauses = collect(
            self.report, item.clauses, COMMISSION_CLAUSES, say.OF_COMMISSION(), PER_ROW_COMMISSION
        )
        rate_word = Keyword("rate")
        if "rate" not in clauses:
            self.report.error(
                say.NO_RATE(rate=rate_word),
                item.span,
                say.COMMISSION_EXAMPLE(commission=Keyword("commission"), rate=rate_word),
            )
            return None
        given = {k: self.clause(c) for k, c in clauses.items() if k in PER_ROW_COMMISSION}
        rate = given["rate"]
        tiers = self._tiers(item, rate if isinstance(rate, float) else 0.0)
        beyond = self._row_tiers(item)
        if beyond or isinstance(rate, ir.PerRow):
            tiers = tiers[:1]  # placed per row from `beyond` (`ksf.per_row`)
        scale, scale_text = self.expr_clause(clauses.get("scaled_by"))
        literal_bounds(self.report, clauses)
        self._payable_bounds(clauses)
        return ir.CommissionLine(
            name=self.line_label(item.expr, alias_of(clauses), item.span, "commission_{}"),
            base=self.expressions.number(item.expr),
            tiers=tiers,
            retroactive="retroactive" in clauses,
            scale=scale,
            cap=given.get("cap"),
            floor=given.get("floor"),
            rate=rate if isinstance(rate, ir.PerRow) else None,
            beyond=beyond,
            text=self.report.text(item.expr.span),
            scale_text=scale_text,
            span=item.span,
        )

    def _tiers(self, item: ast.Commission, rate: float) -> tuple[ir.Tier, ...]:
        tiers = [ir.Tier(-math.inf, rate)]
        for clause in item.clauses:
            if not isinstance(clause, ast.Beyond):
                continue
            if clause.kind != "rate":
                said = say.COMMISSION_BEYOND_KIND(
                    beyond=Keyword("beyond"), rate=Keyword("rate"), kind=Keyword(clause.kind)
                )
                self.report.error(said, clause.span)
            elif not (isinstance(clause.at, ast.Number) and isinstance(clause.amount, ast.Number)):
                continue  # read per row: checked on each row (`ksf.per_row`)
            elif clause.at.value <= tiers[-1].at:
                self.report.error(say.TIERS_ORDER(), clause.span)
            else:
                tiers.append(ir.Tier(clause.at.value, clause.amount.value, span=clause.span))
        return tuple(tiers)

    def _row_tiers(self, item: ast.Commission) -> tuple[ir.Beyond, ...]:
        """The tiers as written when a threshold or a rate is read per row (§9), else ()."""
        points = [c for c in item.clauses if isinstance(c, ast.Beyond) and c.kind == "rate"]
        if all(isinstance(c.at, ast.Number) and isinstance(c.amount, ast.Number) for c in points):
            rate = next(
                c for c in item.clauses if isinstance(c, ast.Clause) and c.keyword == "rate"
            )
            if isinstance(rate.value, ast.Number) or not points:
                return ()
        found = []
        for clause in points:
            at, amount = beyond_value(self.report, self.expressions, clause)
            text = clause.at.text if isinstance(clause.at, ast.Number) else ""
            found.append(ir.Beyond(at, "rate", amount, text, span=clause.span))
        return tuple(found)

    def bonus(self, item: ast.Bonus) -> ir.Line:
        """A bonus, maybe scaled and paid only `when` a condition holds."""
        clauses = collect(self.report, item.clauses, BONUS_CLAUSES, say.OF_BONUS())
        scale, scale_text = self.expr_clause(clauses.get("scaled_by"))
        when, when_text = self.expr_clause(clauses.get("when"), condition=True)
        return ir.BonusLine(
            name=alias_of(clauses) or "bonus",
            amount=self.expressions.number(item.expr),
            scale=scale,
            when=when,
            text=self.report.text(item.expr.span),
            scale_text=scale_text,
            when_text=when_text,
            span=item.span,
        )


def _as_penalty(reward: ir.ClauseValue) -> ir.ClauseValue:
    """The penalty a rule without one takes: its reward (read per row, as the penalty)."""
    return attrs.evolve(reward, clause="penalty") if isinstance(reward, ir.PerRow) else reward
