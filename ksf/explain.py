"""A row's trace → text a finance person can check by hand.

`explanation_lines` lays out the text lines (`heading` the first) and `explain` joins them
(openfisca's computation log's split). Every figure comes from the row's trace (`ksf.trace`),
recorded by the kernels, the pool split and the card run; this module computes none.
"""

from __future__ import annotations

import math
from typing import Any, assert_never

from ksf import ir
from ksf.explain_figures import (
    beyond_read,
    commission_parts,
    commission_tiers,
    figure,
    line_name,
    money,
    named,
    number,
    outside_groups,
    pool_read,
    rate_text,
    steps_before_truncation,
    unit_places,
)
from ksf.explain_words import Lang, currency_word, say
from ksf.headings import heading as heading  # noqa: PLC0414 - `explain.heading` callers
from ksf.spelling import ZH, ZH_VALUES
from ksf.trace import (
    BalanceTrace,
    BonusTrace,
    ByTrace,
    CommissionTrace,
    FixedTrace,
    LineTrace,
    RowTrace,
    ShareTrace,
    node_value,
)

INDENT = "    "
STEP_UNITS = ("balance", "step")  # clauses shown in the unit of the value they measure


class _Writer:
    """Lays out one row's trace."""

    def __init__(self, trace: RowTrace, unit: float, lang: Lang) -> None:
        self.trace = trace
        self.unit = unit
        self.lang = lang
        self.places = unit_places(unit)
        self.out: list[str] = []

    def say(self, key: str, **values: object) -> str:
        """A phrase of `ksf.explain_words` in the explanation's language."""
        return say(self.lang, key, **values)

    def number(self, value: Any, unit: str | None = None) -> str:
        """`number` in the explanation's language (a missing value is 缺失 in Chinese)."""
        return number(value, unit, self.lang)

    def money(self, value: float) -> str:
        """An amount to the places of the rounding unit."""
        return money(value, self.places)

    def value_of(self, node: ir.Expr) -> float:
        """A node's value on the row."""
        return node_value(self.trace.values, node)

    def describe(self, node: ir.Expr, text: str, depth: int = 2) -> None:
        """The value of an input expression and the raw values it was computed from."""
        pad = INDENT * depth
        unit = None
        match node:
            case ir.Named():
                label, shown, unit = "", f"{named(node, self.lang)} = {node.text} = ", node.unit
            case ir.Column() | ir.Param():
                label, shown = node.name + " = ", ""
            case ir.Const() | ir.Free() | ir.Op() | ir.Lookup() | ir.ScoreValue() | ir.Group():
                label, shown = "", f"{text} = "
            case ir.MatrixLookup() | ir.TextCodes():
                label, shown = "", f"{text} = "
            case ir.LineRef() | ir.Subtotal():
                label, shown = "", ""
            case _:
                assert_never(node)
        if isinstance(node, ir.LineRef | ir.Subtotal):
            self.out.append(f"{pad}{self.leaf(node)}")
        else:
            self.out.append(f"{pad}{label}{shown}{self.number(self.value_of(node), unit)}")
        leaves = [
            n
            for n in outside_groups(node)
            if n is not node
            and isinstance(n, ir.Column | ir.Param | ir.Named | ir.LineRef | ir.Subtotal)
        ]
        if leaves:
            parts = [self.leaf(n) for n in dict.fromkeys(leaves)]
            self.out.append(f"{pad}{INDENT}{self.say('where')}" + self.say("sep").join(parts))
        self.scores(node, depth + 1)
        self.matrices(node, depth + 1)
        self.groups(node, depth + 1)

    def groups(self, node: ir.Expr, depth: int) -> None:
        """Each group aggregate the value reads: the row's group, its size and the value."""
        pad = INDENT * depth
        for group in self.trace.groups:
            if any(n == group.node for n in ir.walk(node)):
                key = group.node.key
                where = self.say("group_all") if key is None else f"{key} = {group.key}"
                taken = self.say("group_rows_1" if group.rows == 1 else "group_rows", n=group.rows)
                what = self.say(f"op_{group.node.op}")
                value = self.number(group.value)
                text = self.say(
                    "group", text=group.node.text, where=where, rows=taken, op=what, value=value
                )
                self.out.append(pad + text)

    def leaf(self, node: ir.Column | ir.Param | ir.Named | ir.LineRef | ir.Subtotal) -> str:
        """A value an input reads: a raw value, or a line above with its rounded amount."""
        value = self.value_of(node)
        match node:
            case ir.LineRef():
                return self.say("line_ref", name=node.name, amount=self.money(value))
            case ir.Subtotal():
                lines = self.trace.card.lines[: node.count]
                added = " + ".join(line_name(line, self.lang) for line in lines)
                return self.say("subtotal", lines=added, amount=self.money(value))
            case ir.Column() | ir.Param() | ir.Named():
                shown = self.number(value, getattr(node, "unit", None))
                return f"{named(node, self.lang)} = {shown}"
            case _:
                assert_never(node)

    def line(self, traced: LineTrace, rounded: float) -> None:
        """One line: its amount, then its arithmetic by kind."""
        detail = traced.detail
        name = line_name(detail.line, self.lang)
        self.out.append(self.say("line", name=name, amount=self.money(rounded)))
        pad = INDENT
        if traced.missing is not None:
            policy = ZH_VALUES.get(traced.missing, traced.missing) if self.lang == "zh" else None
            self.out.append(pad + self.say("line_missing", policy=policy or traced.missing))
        match detail:
            case FixedTrace() if not isinstance(detail.line.amount, ir.Const):
                self.out.append(pad + self.say("amount"))  # from the data (LANGUAGE.md 9)
                self.describe(detail.line.amount, detail.line.text)
            case FixedTrace():
                amount, places = detail.amount, self.places
                shown = (
                    self.money(amount) if round(amount, places) == amount else self.number(amount)
                )
                self.out.append(pad + self.say("fixed", amount=shown))
            case ByTrace():
                self.out.append(f"{pad}{detail.line.column} = {detail.key} → {self.money(rounded)}")
            case ShareTrace():
                self.share(detail)
            case BalanceTrace():
                self.balance(detail, traced.amount)
            case CommissionTrace():
                self.commission(detail, traced.amount)
            case BonusTrace():
                self.bonus(detail)
            case _:
                assert_never(detail)
        if traced.amount != rounded:
            unexact = figure(traced.amount, 10, decimals=self.places + 4)
            unit, shown = self.number(self.unit), self.money(rounded)
            self.out.append(pad + self.say("rounded", exact=unexact, unit=unit, amount=shown))

    def share(self, share: ShareTrace) -> None:
        """A member's share: the group's pool, then the member's part of it."""
        spec = share.spec
        group = self.say("pool_group", group=share.group) if share.group else ""
        text, base = spec.text or self.say("pool_value"), self.number(share.base)
        self.out.append(
            INDENT + self.say("pool_base", pool=share.line.pool, group=group, text=text, value=base)
        )
        self.out += pool_read(share, self.lang)  # values read per row (§9)
        past = self.say(
            "pool_past",
            base=base,
            threshold=self.number(share.threshold),
            share=self.number(share.share, "percent"),
            past=self.number(share.past),
        )
        self.out.append(INDENT * 2 + past)
        if share.cap is not None:
            verdict = self.say("applied" if share.capped else "not_reached")
            cap = self.say("pool_cap", cap=self.number(share.cap), verdict=verdict)
            self.out.append(INDENT * 2 + cap)
        pool = self.money(share.pool)
        self.out.append(INDENT * 2 + self.say("pool", amount=pool))
        weight, of = self.number(share.weight), self.number(share.group_weight)
        exact = self.number(share.exact)
        self.out.append(
            INDENT + self.say("pool_weight", weight=weight, of=of, pool=pool, exact=exact)
        )

    def scores(self, node: ir.Expr, depth: int) -> None:
        """Each KPI's value and points for every score an input reads."""
        for found in dict.fromkeys(outside_groups(node)):  # a group's scores are other rows'
            if not (isinstance(found, ir.Named) and found in self.trace.kpis):
                continue  # not a score
            for kpi in self.trace.kpis[found]:
                shown = self.say(
                    "score",
                    name=named(found, self.lang),
                    text=kpi.text,
                    value=self.number(kpi.value),
                    points=self.number(kpi.points),
                    weight=self.number(kpi.weight * 100),
                )
                self.out.append(INDENT * depth + shown)
                for given, value in kpi.read:  # points read per row (LANGUAGE.md §9)
                    self.this_row(given, self.number(value), depth + 1)

    def matrices(self, node: ir.Expr, depth: int) -> None:
        """The row of each decision matrix an input reads, with the keys that chose it."""
        for found in dict.fromkeys(ir.walk(node)):
            matrix = self.trace.matrices.get(found) if isinstance(found, ir.MatrixLookup) else None
            if matrix is None:
                continue
            spec = matrix.spec
            keys = ", ".join(  # as the rule file writes the call
                f"{key} = {value if isinstance(value, str) else self.number(value)}"
                for key, value in zip(spec.keys, matrix.keys, strict=True)
            )
            if math.isnan(matrix.value):
                chosen = self.say("matrix_missing")
            elif matrix.row is None:
                chosen = self.say("matrix_else", value=self.number(spec.otherwise))
            else:
                cells = ", ".join(cell.text for cell in spec.rows[matrix.row])
                value = self.number(spec.values[matrix.row])
                chosen = self.say("matrix_row", row=matrix.row + 1, cells=cells, value=value)
            self.out.append(
                f"{INDENT * depth}{spec.name}({keys}) → {chosen} → {self.number(matrix.value)}"
            )

    def balance(self, trace: BalanceTrace, amount: float) -> None:
        """The balance rule: the value, its steps, what each tier's steps pay, floor and cap."""
        line, pad, row = trace.line, INDENT, trace.clauses
        assert row is not None  # noqa: S101 - the kernel records the row's clause values
        unit = line.value.unit if isinstance(line.value, ir.Named) else None
        self.out.append(pad + self.say("value"))
        self.describe(line.value, line.text)
        for given in ir.clause_per_row(line):  # clause values read per row (LANGUAGE.md §9)
            shown = getattr(row, given.clause)
            self.this_row(given, self.number(shown, unit if given.clause in STEP_UNITS else None))
        self.out += beyond_read(line.beyond, row.beyond, unit, self.lang)
        higher = (line.direction or 1) > 0
        first, second = (trace.value, row.balance) if higher else (row.balance, trace.value)
        steps = (
            self.say("prorated", steps=figure(trace.steps, 9, decimals=1, sign=True))
            if line.prorate
            else self.say(
                "whole_steps",
                steps=steps_before_truncation(trace.delta, trace.steps),
                whole=figure(trace.steps, 6, sign=True),
            )
        )
        rule = self.say(
            "balance",
            balance=self.number(row.balance, unit),
            step=self.number(row.step, unit),
            better=self.say("higher" if higher else "lower"),
            first=self.number(first, unit),
            second=self.number(second, unit),
        )
        self.out.append(pad + rule + steps)
        sign = "" if trace.steps > 0 else "−"
        parts = [
            f"{sign}{figure(p.size, 6, decimals=1)} × {self.number(p.rate)}" for p in trace.tiers
        ]
        paid = self.number(trace.step_amount)
        self.out.append(pad + self.say("steps_pay", parts=" + ".join(parts) or "0", amount=paid))
        if row.pot:
            total = self.number(trace.step_amount + row.pot)
            self.out.append(pad + self.say("pot", pot=self.money(row.pot), amount=total))
        self.clip(row.floor, row.cap, trace.unclipped, amount)

    def this_row(self, given: ir.PerRow, shown: str, depth: int = 1) -> None:
        """A clause value read for this row (LANGUAGE.md §9): ``balance target_gm = 25%``."""
        clause = ZH.get(given.clause, given.clause) if self.lang == "zh" else given.clause
        said = self.say("this_row", clause=clause, text=given.text, value=shown)
        self.out.append(INDENT * depth + said)

    def clip(self, floor: float | None, cap: float | None, before: float, after: float) -> None:
        """Floor and cap, and whether either applied."""
        if floor is None and cap is None:
            return
        given = (("floor", floor), ("cap", cap))
        shown = [self.say(k, value=self.number(v)) for k, v in given if v is not None]
        bounds = self.say("sep").join(shown)
        verdict = (
            self.say("clip_applied", before=self.number(before), after=self.number(after))
            if before != after
            else self.say("not_reached")
        )
        self.out.append(INDENT + self.say("clip", bounds=bounds, verdict=verdict))

    def commission(self, trace: CommissionTrace, amount: float) -> None:
        """Commission: the base, the rates and the part of the base each applies to."""
        line, pad, row = trace.line, INDENT, trace.given
        assert row is not None  # noqa: S101 - the kernel records the row's rate, cap and floor
        self.out.append(pad + self.say("base"))
        self.describe(line.base, line.text)
        for given in ir.clause_per_row(line):  # clause values read per row (LANGUAGE.md §9)
            value = {"cap": row.cap, "floor": row.floor}.get(given.clause)
            shown = rate_text(row.reward) if given.clause == "rate" else self.number(value)
            self.this_row(given, shown)
        self.out += beyond_read(line.beyond, row.beyond, None, self.lang)
        tiers = commission_tiers(line, row)
        rates = self.say("sep").join(
            self.say("beyond", rate=rate_text(r), at=self.number(a)) if i else rate_text(r)
            for i, (a, r) in enumerate(tiers)
        )
        kind = "retroactive" if line.retroactive else "marginal" if len(tiers) > 1 else ""
        unscaled = self.number(trace.unscaled)
        kind = self.say("kind", kind=self.say(kind)) if kind else ""
        self.out.append(pad + self.say("rates", rates=rates, kind=kind, amount=unscaled))
        self.out.append(f"{pad}{INDENT}{commission_parts(trace, self.lang)} = {unscaled}")
        if line.scale is not None:
            self.out.append(pad + self.say("scaled_by"))
            self.describe(line.scale, line.scale_text)
            self.product(trace.unscaled, trace.scale, trace.scaled)
        self.clip(row.floor, row.cap, trace.unclipped, amount)

    def product(self, amount: float, scale: float, product: float) -> None:
        """``amount × scale = product``: the arithmetic of a `scaled_by` clause."""
        self.out.append(
            f"{INDENT}{self.number(amount)} × {self.number(scale)} = {self.number(product)}"
        )

    def bonus(self, trace: BonusTrace) -> None:
        """A bonus: its amount, its scale and its condition."""
        line, pad = trace.line, INDENT
        self.out.append(pad + self.say("amount"))
        self.describe(line.amount, line.text)
        if line.scale is not None:
            self.out.append(pad + self.say("scaled_by"))
            self.describe(line.scale, line.scale_text)
            if trace.paid:  # an unpaid bonus's product is no part of the arithmetic
                self.product(trace.amount, trace.scale, trace.scaled)
        if line.when is not None:
            self.out.append(pad + self.say("holds" if trace.paid else "fails"))
            self.describe(line.when, line.when_text)
            for near in trace.near_equal:  # equal only up to float noise (LANGUAGE.md 7)
                left, right = self.number(near.left), self.number(near.right)
                shown = self.say("near_equal", left=left, symbol=near.symbol, right=right)
                self.out.append(INDENT * 3 + shown)

    def min_pay(self) -> None:
        """The ``min_pay`` top-up, for a card that has one."""
        top = self.trace.min_pay
        if top is None:
            return
        before, topup = self.money(top.lines_total), self.money(top.topup)
        verdict = (
            self.say("topup", lines=before, topup=topup)
            if top.topup
            else self.say("no_topup", lines=before)
        )
        self.out.append(self.say("topup_line", amount=topup))
        self.out.append(
            INDENT + self.say("min_pay", amount=self.money(top.min_pay), verdict=verdict)
        )


def explanation_lines(
    trace: RowTrace, heading: str, unit: float, currency: str, lang: Lang = "en"
) -> list[str]:
    """The explanation of one row, as a list of text lines, in ``lang``."""
    writer = _Writer(trace, unit, lang)
    writer.out.append(heading)
    for line in trace.card.lines:
        writer.line(trace.lines[line.name], trace.amounts[line.name])
    writer.min_pay()
    shown = currency_word(currency, lang)
    writer.out.append(say(lang, "total", amount=writer.money(trace.total), currency=shown))
    return writer.out


def explain(trace: RowTrace, heading: str, unit: float, currency: str, lang: Lang = "en") -> str:
    """The explanation of one row as text: `explanation_lines`, joined."""
    return "\n".join(explanation_lines(trace, heading, unit, currency, lang))
