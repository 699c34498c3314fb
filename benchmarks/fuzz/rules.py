"""Rule files for the fuzzer: a grammar-based generator and a corpus mutator.

The generator writes every statement and clause of LANGUAGE.md §1-8 (currency, rounding,
indicator, table, score, pool, card with base / base by / allowance / balance rules /
commission / bonus / share / min_pay / missing), mostly valid so that evaluation is
reached, and sometimes near-valid (one clause dropped, swapped or given an odd value).
It returns the text and what the data must hold (`Meta`), so the data generator can
build columns for it.

The mutator takes the repository's own rule files (tests, docs, examples, the standard
library) and damages them at the byte and token level.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

KEYWORDS = [
    "currency",
    "rounding",
    "language",
    "indicator",
    "table",
    "score",
    "pool",
    "card",
    "base",
    "allowance",
    "commission",
    "bonus",
    "share",
    "min_pay",
    "missing",
    "as",
    "by",
    "per",
    "split",
    "points",
    "else",
    "balance",
    "pot",
    "step",
    "reward",
    "penalty",
    "cap",
    "floor",
    "rate",
    "weight",
    "baseline",
    "target",
    "challenge",
    "above",
    "beyond",
    "prorate",
    "retroactive",
    "higher_is_better",
    "lower_is_better",
    "scaled_by",
    "when",
    "of",
    "and",
    "or",
    "not",
]
UNITS = ("percent", "money", "count", "ratio", "days")
COMP = (">=", ">", "<=", "<", "==", "!=")
TABLE_COMP = (">=", ">", "<=", "<")
COLUMNS = (
    "sales",
    "revenue",
    "cogs",
    "profit_x",
    "refunds",
    "kpi",
    "attain",
    "gm",
    "orders",
    "complaints",
    "units",
    "days_worked",
    "销售额",
    "毛利率",
    "_hidden",
    "x1",
    "ad_spend",
)
STANDARD = (
    "gross_margin",
    "acos",
    "return_rate",
    "complaint_rate",
    "promo_roi",
    "inventory_turnover",
    "stockout_loss",
    "sales_attainment",
)


@dataclass
class Meta:
    """What a generated file reads from the data."""

    columns: set[str] = field(default_factory=set)  # numeric columns
    text_columns: dict[str, list[str]] = field(default_factory=dict)  # base by: keys
    params: set[str] = field(default_factory=set)  # pool bases given as params
    group_columns: set[str] = field(default_factory=set)  # pool `per` columns
    cards: list[str] = field(default_factory=list)


def number(rng: random.Random, kind: str = "any") -> str:
    """A number literal: plain, underscored, percent, ratio; sometimes extreme."""
    r = rng.random()
    if kind == "money":
        return rng.choice(["0", "50", "200", "1_200", "5000", "0.5", "1500", "12.25", "100000"])
    if kind == "pct":
        return rng.choice(["1%", "0.1%", "5%", "30%", "50%", "90%", "100%", "110%", "0.5%"])
    if r < 0.03:
        return rng.choice(
            [
                "1" + "0" * rng.randint(15, 400),
                "0." + "0" * rng.randint(5, 400) + "1",
                "9" * rng.randint(20, 320),
                "1_0_0",
                "00012",
                "0.000000001",
                "0",
                "1e5",
                "4294967296",
                "9007199254740993",
                "179769313486231570" + "0" * 291,
            ]
        )
    if r < 0.35:
        return f"{rng.choice([0, 1, 2, 5, 10, 20, 25, 30, 50, 75, 90, 100, 120])}%"
    if r < 0.42:
        return f"{rng.choice([1, 2, 1.5])}:{rng.choice([3, 4, 8, 0.5, 10])}"
    if r < 0.7:
        return str(rng.choice([0, 1, 2, 5, 10, 50, 100, 200, 1000, 5000, 10000, 1_200_000]))
    return f"{rng.uniform(0, 1000):.{rng.randint(0, 4)}f}"


class Gen:
    """One generated file: names defined so far and what the data must carry."""

    def __init__(self, rng: random.Random, near: bool | None = None) -> None:
        self.rng = rng
        self.meta = Meta()
        self.tables: list[str] = []
        self.matrices: list[tuple[str, str]] = []  # (table, its text key's column)
        self.scores: list[str] = []
        self.indicators: list[str] = []
        self.pools: list[str] = []
        self.used: set[str] = set()
        self.in_group = False  # generating the value of a group aggregate
        # a near-valid file: small slips allowed
        self.near = rng.random() < 0.25 if near is None else near

    def fresh(self, stem: str) -> str:
        if self.near and self.used and self.rng.random() < 0.08:
            return self.rng.choice(sorted(self.used))  # a name shared with another definition
        for i in range(1000):
            name = f"{stem}{i}" if i or stem in self.used else stem
            if name not in self.used:
                self.used.add(name)
                return name
        return stem

    def column(self) -> str:
        rng = self.rng
        name = rng.choice(STANDARD) if rng.random() < 0.08 else rng.choice(COLUMNS)
        if name not in STANDARD:
            self.meta.columns.add(name)
        else:
            for raw in (
                "revenue",
                "cogs",
                "ad_spend",
                "ad_sales",
                "units_returned",
                "units_sold",
                "complaints",
                "orders",
                "marketing",
                "avg_inventory_cost",
                "stockout_lost_profit",
                "sales_target",
            ):
                self.meta.columns.add(raw)
        return name

    def atom(self, depth: int) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            return number(rng)
        if r < 0.7 or depth <= 0:
            pick = rng.random()
            if pick < 0.15 and self.indicators:
                return rng.choice(self.indicators)
            if pick < 0.25 and self.scores:
                return rng.choice(self.scores)
            return self.column()
        if r < 0.75 and (not self.in_group or self.near):
            return self.group(depth)
        if r < 0.85 and self.matrices and (not self.tables or rng.random() < 0.5):
            name, text_key = rng.choice(self.matrices)
            return f"{name}({text_key}, {self.expr(depth - 1)})"
        if r < 0.8 and self.tables:
            return f"{rng.choice(self.tables)}({self.expr(depth - 1)})"
        if r < 0.9:
            fn = rng.choice(["min", "max", "abs"])
            n = 1 if fn == "abs" else rng.randint(1 if self.near else 2, 3)
            return f"{fn}({', '.join(self.expr(depth - 1) for _ in range(n))})"
        return f"({self.expr(depth - 1)})"

    def group(self, depth: int) -> str:
        """A group aggregate (LANGUAGE.md §11): `sum(x over team)`, `rank(-x over all)`."""
        rng = self.rng
        op = rng.choice(["sum", "mean", "min", "max", "count", "rank"])
        key = rng.choice(["team", "store", "all", "all"])
        if key != "all":
            self.meta.group_columns.add(key)
        if op == "count":
            return f"count(over {key})"
        self.in_group = True  # nesting is refused: only near-valid files try it
        try:
            value = self.expr(depth - 1)
        finally:
            self.in_group = False
        return f"{op}({value} over {key})"

    def expr(self, depth: int = 2) -> str:
        rng = self.rng
        r = rng.random()
        if depth <= 0 or r < 0.45:
            return self.atom(depth)
        if r < 0.75:
            op = rng.choice("+-*/")
            return f"{self.expr(depth - 1)} {op} {self.expr(depth - 1)}"
        if r < 0.85:
            return f"{number(rng, 'pct')} of {self.atom(depth - 1)}"
        if r < 0.92:
            return f"-{self.atom(depth - 1)}"
        return f"({self.expr(depth - 1)})"

    def cond(self, depth: int = 2) -> str:
        rng = self.rng
        r = rng.random()
        if depth <= 0 or r < 0.6:
            return f"{self.expr(1)} {rng.choice(COMP)} {self.expr(1)}"
        if r < 0.8:
            return f"{self.cond(depth - 1)} {rng.choice(['and', 'or'])} {self.cond(depth - 1)}"
        if r < 0.9:
            return f"not {self.cond(depth - 1)}"
        return f"({self.cond(depth - 1)})"

    # ---- statements ------------------------------------------------------------------
    def indicator(self) -> str:
        rng = self.rng
        name = self.fresh(rng.choice(["ind", "margin", "指标", "ratio_x"]))
        label = f' "{rng.choice(["毛利", "Label", "x"])}"' if rng.random() < 0.4 else ""
        unit = f" {rng.choice(UNITS)}" if rng.random() < 0.6 else ""
        if self.near and rng.random() < 0.2:
            unit = f" {rng.choice(['yuan', 'score', 'pct'])}"
        direction = (
            f" {rng.choice(['higher_is_better', 'lower_is_better'])}" if rng.random() < 0.6 else ""
        )
        text = f"indicator {name}{label} = {self.expr(2)}{unit}{direction}"
        self.indicators.append(name)
        return text

    def table(self) -> str:
        rng = self.rng
        name = self.fresh(rng.choice(["coef", "perf_coefficient", "系数"]))
        op = rng.choice(TABLE_COMP)
        keys = sorted(
            rng.sample([0, 10, 50, 60, 70, 80, 90, 100, 120], rng.randint(0, 4)),
            reverse=op.startswith(">"),
        )
        if self.near and rng.random() < 0.3:
            rng.shuffle(keys)
        sep = rng.choice(["\n  ", "; ", "\n\n  # c\n  "])
        rows = [
            f"{op} {k}{rng.choice([' : ', ':', ': '])}"
            f"{rng.choice(['1.2', '1', '0.8', '50%', '-1'])}"
            for k in keys
        ]
        if not (self.near and rng.random() < 0.3):
            rows.append(f"else : {rng.choice(['0', '0.5', '1'])}")
        self.tables.append(name)
        return f"table {name} {{{sep}{sep.join(rows)}\n}}"

    def matrix(self) -> str:
        """A decision matrix (LANGUAGE.md 10): a text key (a grade column) × a number key."""
        rng = self.rng
        name = self.fresh(rng.choice(["grade_coef", "矩阵"]))
        column = rng.choice(["grade", "level"])
        grades = self.meta.text_columns.setdefault(column, ["A", "B", "C"])
        rows = []
        for _ in range(rng.randint(0, 4)):
            grade = rng.choice([*grades, "*"])
            score = rng.choice(["*", f">= {rng.choice([60, 70, 80, 90])}", "< 60", "100"])
            value = rng.choice(["1.5", "1.2", "1", "0.8", "120%"])
            rows.append(f"{grade}, {score}{rng.choice([' : ', ':'])}{value}")
        if self.near and rng.random() < 0.3:
            rows.append(rng.choice(["A : 1", "A, >= 1, 2 : 1", "*, * : 1"]))  # slips
        if not (self.near and rng.random() < 0.3):
            rows.append(f"else : {rng.choice(['0', '0.8', '1'])}")
        self.matrices.append((name, column))
        sep = rng.choice(["\n  ", "; "])
        return f"table {name}({column}, score) {{{sep}{sep.join(rows)}\n}}"

    def score(self) -> str:
        rng = self.rng
        name = self.fresh(rng.choice(["kpi_score", "score_x", "考核分"]))
        n = rng.randint(1, 3)
        weights = [100 // n] * n
        weights[-1] += 100 - sum(weights)
        if self.near and rng.random() < 0.3:
            weights[0] += rng.choice([1, -1, 10])
        items = []
        for w in weights:
            lower = rng.random() < 0.3
            pts = [90, 100, 110] if not lower else [110, 100, 90]
            if self.near and rng.random() < 0.2:
                rng.shuffle(pts)
            clauses = [f"weight {w}%" if rng.random() > 0.05 else f"weight {w}"]
            read = [f"{p}%" for p in pts]
            if rng.random() < 0.15:  # a point read per row (LANGUAGE.md §9), checked on each row
                read[rng.randrange(3)] = rng.choice([self.column(), f"({self.column()} * 1%)"])
            clauses += [f"baseline {read[0]}", f"target {read[1]}", f"challenge {read[2]}"]
            if rng.random() < 0.2 and self.near:
                clauses.pop(rng.randrange(len(clauses)))
            if lower:
                clauses.append("lower_is_better")
            items.append(f"{self.expr(1)} {' '.join(clauses)}")
        if rng.random() < 0.3:
            pts = ["60 100 120", "0 50 100", "50 100 150"] + (
                ["60 100", "100 60 120"] if self.near else []
            )
            items.append("points " + rng.choice(pts))
        self.scores.append(name)
        return f"score {name} {{\n  " + "\n  ".join(items) + "\n}"

    def pool(self) -> str:
        rng = self.rng
        name = self.fresh(rng.choice(["partners", "team_pool", "奖金池x"]))
        per = ""
        if rng.random() < 0.4:
            col = rng.choice(["team", "store"])
            self.meta.group_columns.add(col)
            per = f" per {col}"
        base = rng.choice(["profit_p", "team_profit"])
        if rng.random() < 0.5:
            self.meta.params.add(base)
        else:
            self.meta.columns.add(base)
        above = rng.choice(["1200000", "0", "1_000_000", "-5"])
        if rng.random() < 0.15:  # read per row (§9): a param is one value in every pool
            self.meta.params.add("pool_above")
            above = rng.choice(["pool_above", "(pool_above * 2)"])
        items = [
            f"{base} above {above} share "
            + rng.choice(["20%", "5%", "100%", "30%", "0%"] + (["20", "150%"] if self.near else []))
        ]
        if rng.random() < 0.5:
            self.meta.columns.add("share_weight")
            items.append("split by share_weight")
        if rng.random() < 0.4:
            items.append(f"cap {rng.choice(['500000', '0', '100.005'])}")
        rng.shuffle(items)
        self.pools.append(name)
        return f"pool {name}{per} {{\n  " + "\n  ".join(items) + "\n}"

    def balance_rule(self) -> str:
        rng = self.rng
        target = (
            self.column()
            if rng.random() < 0.7 or not self.indicators
            else rng.choice(self.indicators + self.scores)
        )
        if rng.random() < 0.15:
            target = self.expr(1)
        pct = rng.random() < 0.5
        bal = (
            rng.choice(["30%", "2%", "95%", "1.2%"])
            if pct
            else rng.choice(["100000", "50000", "0", "820000", "0.6", "1:3", "100"])
        )
        step = (
            rng.choice(["1%", "0.1%", "0.5%"])
            if pct
            else rng.choice(["10000", "0.01", "5000", "0.05", "1", "0.1"])
        )
        if self.near and rng.random() < 0.2:
            step = rng.choice(["0", "-1%", "1", "3%"])
        reward = number(rng, "money")
        # clause values read per row (LANGUAGE.md §9): a column, or an expression in parentheses
        per_row = rng.random() < 0.2
        if per_row:
            bal = self.column() if rng.random() < 0.6 else f"({self.expr(1)})"
            step = self.column() if rng.random() < 0.2 else step
            reward = self.column() if rng.random() < 0.2 else reward
        cl = []
        if rng.random() < 0.3:
            cl.append(f"pot {number(rng, 'money') if not per_row else self.column()}")
        cl += [f"balance {bal}", f"step {step}", f"reward {reward}"]
        if rng.random() < 0.6:
            cl.append(f"penalty {number(rng, 'money')}")
        lower = rng.random() < 0.3
        if rng.random() < 0.3:
            # a beyond point a few steps from the balance, usually on the good side
            sign = -1 if lower else 1
            if self.near and rng.random() < 0.3:
                sign = -sign
            k = rng.randint(1, 7)
            if per_row:  # a point read per row (§9): placed, and checked, on each row
                point = rng.choice([f"({bal} + {sign * k} * {step})", self.column(), "35%"])
            elif pct:
                b = float(bal.rstrip("%")) + sign * k * float(step.rstrip("%") or 1)
                point = f"{b:g}%"
            else:
                try:
                    b = float(bal.replace("1:", "")) + sign * k * float(step)
                except ValueError:
                    b = k
                point = f"{b:.10g}"
            amount = self.column() if rng.random() < 0.2 else number(rng, "money")  # per row (§9)
            cl.append(f"beyond {point} {rng.choice(['reward', 'penalty'])} {amount}")
        if rng.random() < 0.4:
            cl.append(f"cap {rng.choice(['3000', '0', '1500', '100000'])}")
        if rng.random() < 0.4:
            cl.append(f"floor {rng.choice(['-1500', '0', '-800', '200'])}")
        if rng.random() < 0.15:
            cl.append("prorate")
        if lower:
            cl.append("lower_is_better")
        elif rng.random() < 0.2:
            cl.append("higher_is_better")
        if rng.random() < 0.5 or target not in COLUMNS + STANDARD:
            cl.append(f"as {self.fresh('line')}")
        if self.near and rng.random() < 0.3:
            i = rng.randrange(len(cl))
            cl[i] = rng.choice(["rate 5%", "weight 10%", "above 3", "retroactive", cl[i], cl[i]])
        if rng.random() < 0.3:
            rng.shuffle(cl)
        return f"{target} {' '.join(cl)}"

    def commission(self) -> str:
        rng = self.rng
        base = self.column() if rng.random() < 0.6 else self.expr(1)
        rate = rng.choice(["0.5%", "3%", "30%", "1%", "0.05"] + (["15", "0"] if self.near else []))
        per_row = rng.random() < 0.15  # a rate read per row (§9), tiers too
        rate = self.column() if per_row else rate
        cl = [f"rate {rate}"]
        t = 100000
        column = self.column()  # tier thresholds and rates read per row (§9), checked per row
        for index in range(rng.randint(0, 2)):
            threshold = f"{t}" if rng.random() < 0.7 else f"({index + 1} * {column})"
            tier_rate = rng.choice(["1%", "2%", "5%"]) if rng.random() < 0.8 else self.column()
            cl.append(f"beyond {threshold} rate {tier_rate}")
            t *= rng.choice([2, 5]) if not (self.near and rng.random() < 0.3) else 0.5
        if rng.random() < 0.2:
            cl.append("retroactive")
        if rng.random() < 0.2:
            cl.append(f"scaled_by {self.expr(1)}")
        if rng.random() < 0.3:
            cl.append(f"floor {rng.choice(['0', '-100'])}")
        if rng.random() < 0.2:
            cl.append(f"cap {self.column() if per_row else rng.choice(['5000', '100000'])}")
        if rng.random() < 0.5:
            cl.append(f"as {self.fresh('commission_x')}")
        return f"commission {base} {' '.join(cl)}"

    def bonus(self) -> str:
        rng = self.rng
        amount = rng.choice(
            [number(rng, "money"), self.expr(2), f"{number(rng, 'pct')} of {self.column()}"]
        )
        cl = []
        if rng.random() < 0.3:
            cl.append(f"scaled_by {self.expr(1)}")
        if rng.random() < 0.5:
            cl.append(f"when {self.cond(2)}")
        cl.append(f"as {self.fresh('bonus')}")
        return f"bonus {amount} {' '.join(cl)}"

    def fixed_amount(self) -> str:
        """A `base`/`allowance` amount: a number, a column or an expression (LANGUAGE.md 9)."""
        rng = self.rng
        pick = rng.random()
        if pick < 0.15:
            return self.column()
        if pick < 0.3:
            return f"({self.expr(1)})"
        return number(rng, "money")

    def line_ref(self, names: list[str]) -> str:
        """A bonus on earlier lines: a share of one, or a cap on the subtotal."""
        rng = self.rng
        named = rng.choice(names) if names else "subtotal"
        amount = rng.choice(
            [
                f"-max(0, subtotal - {rng.choice(['2.5', '1', '0.5'])} * {named})",
                f"{number(rng, 'pct')} of {named}",
                f"{named} - subtotal",
            ]
        )
        return f"bonus {amount} as {self.fresh('ref')}"

    def card(self) -> str:
        rng = self.rng
        name = self.fresh(rng.choice(["operator", "buyer", "dev", "运营", "card_x"]))
        self.meta.cards.append(name)
        label = f' "{rng.choice(["运营推广", "Ops", ""])}"' if rng.random() < 0.5 else ""
        lines: list[str] = []
        if rng.random() < 0.7:
            if rng.random() < 0.3:
                col = rng.choice(["grade", "level"])
                keys = rng.sample(["A", "B", "C", "P1", '"高级"', "1", "2.5"], 3)
                self.meta.text_columns[col] = [k.strip('"') for k in keys]
                sep = rng.choice([", ", "\n    ", ",\n    "])
                lines.append(
                    f"base by {col} {{ "
                    + sep.join(f"{k}: {number(rng, 'money')}" for k in keys)
                    + " }"
                )
            else:
                lines.append(f"base {self.fixed_amount()}")
            names = ["base"]
        else:
            names = []
        for _ in range(rng.randint(0, 2)):
            names.append(self.fresh("allow"))
            lines.append(f"allowance {self.fixed_amount()} as {names[-1]}")
        makers = [self.balance_rule] * 4 + [self.commission] * 2 + [self.bonus] * 2
        for _ in range(rng.randint(0, 4)):
            lines.append(rng.choice(makers)())
        if rng.random() < 0.4:  # a line that uses the lines above it (LANGUAGE.md 9)
            lines.append(self.line_ref(names))
        if self.pools and rng.random() < 0.6:
            pool = rng.choice(self.pools)
            lines.append(
                f"share {pool}" + (f" as {self.fresh('part')}" if rng.random() < 0.3 else "")
            )
        if rng.random() < 0.3:
            lines.append(f"min_pay {rng.choice(['2360', '0', '2360.5', '20000000000000'])}")
        if rng.random() < 0.25:
            lines.append(
                f"missing as {rng.choice(['balance', 'zero'] + (['none'] if self.near else []))}"
            )
        if rng.random() < 0.2:
            rng.shuffle(lines)
        sep = rng.choice(["\n  ", "; ", "\n  # note\n  "])
        return f"card {name}{label} {{{sep}" + sep.join(lines) + "\n}"

    def rulebook(self) -> str:
        rng = self.rng
        parts: list[str] = []
        if rng.random() < 0.3:
            parts.append(f"currency {rng.choice(['CNY', 'USD', 'JPY', 'EUR'])}")
        if rng.random() < 0.3:
            units = ["0.01", "1", "0.05", "10", "0.001", "0.1"]
            if self.near:
                units += ["0." + "0" * 330 + "1", "0.0000001", "1" + "0" * 20, "0", "3"]
            parts.append(f"rounding {rng.choice(units)} half_up")
        if rng.random() < 0.2:  # explain then writes Chinese (ksf.explain_words)
            parts.append(f"language {rng.choice(['zh', 'en'])}")
        for _ in range(rng.randint(0, 2)):
            parts.append(self.indicator())
        for _ in range(rng.randint(0, 2)):
            parts.append(self.table())
        if rng.random() < 0.25:
            parts.append(self.matrix())
        if rng.random() < 0.3:
            parts.append(self.score())
        if rng.random() < 0.3:
            parts.append(self.pool())
        for _ in range(rng.randint(1, 3)):
            parts.append(self.card())
        if rng.random() < 0.1:
            rng.shuffle(parts)
        sep = rng.choice(["\n", "\n\n", "\n# section\n", ";"])
        return sep.join(parts) + rng.choice(["\n", "", "\n\n", "\r\n"])


def generate(rng: random.Random, near: bool | None = None) -> tuple[str, Meta]:
    """A generated rule file and what its data must carry (near: force near-valid or not)."""
    g = Gen(rng, near)
    return g.rulebook(), g.meta


# ---- the corpus and its mutations ------------------------------------------------------
_FENCE = re.compile(r"^```ksf[^\n]*\n(.*?)^```", re.S | re.M)


def corpus() -> list[str]:
    """Every rule file of the repository, and every ```ksf block of the docs."""
    texts: list[str] = []
    for pattern in (
        "tests/golden/*.ksf",
        "tests/errors/*.ksf",
        "tests/fmt/*.ksf",
        "ksf/examples/*.ksf",
        "ksf/indicators/*.ksf",
    ):
        texts += [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob(pattern))]
    for md in sorted([*ROOT.glob("docs/*.md"), *ROOT.glob("docs/*/*.md"), ROOT / "README.md"]):
        texts += _FENCE.findall(md.read_text(encoding="utf-8"))
    return [t for t in texts if t.strip()]


TOKEN = re.compile(r"\s+|[A-Za-z_\u0080-\uffff][\w]*|\d[\d_.]*[%:]?\d*|.", re.S)

WEIRD = [
    "\uff1a",
    "\uff0c",
    "\uff05",
    "\uff08",
    "\uff09",
    "\uff1b",
    "\u3000",
    "\u2212",
    "\u00d7",
    "\u201c",
    "\u201d",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\u200b",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\U0001f600",
    "\u0663",
    "\uff11\uff12",
    "\r",
    "\t",
    "\\",
    "{",
    "}",
    "(",
    ")",
    '"',
    ":",
    ";",
    "#",
    "%",
    "_",
    ".",
    "-",
    "=",
    ">=",
    "!=",
    "\n",
    "毛利率",
    "万",
    "\u0301",
]
HUGE = [
    "1" + "0" * 400,
    "9" * 5000,
    "1e309",
    "0." + "0" * 330 + "1",
    "1_" * 500 + "1",
    "179769313486231580793728971405303415079934132710037826936173778980444968292764750946"
    "649017977587207096330286416692887910946555547851940402630657488671505820681908902000"
    "70838367627385484375",
    "4.9406564584124654e-324",
    "2.2250738585072014e-308",
    "0.000000000000000000000000000005",
    "18446744073709551615",
    "99999999999999999999%",
]


def mutate(text: str, rng: random.Random, corpus_texts: list[str]) -> str:
    """Apply one to four byte- or token-level mutations."""
    for _ in range(rng.randint(1, 4)):
        text = _mutate_once(text, rng, corpus_texts)
    return text


def _mutate_once(text: str, rng: random.Random, corpus_texts: list[str]) -> str:
    toks = TOKEN.findall(text) or [""]
    op = rng.randrange(14)
    i = rng.randrange(len(toks))
    if op == 0:  # delete a token
        del toks[i]
    elif op == 1:  # duplicate a token
        toks.insert(i, toks[i])
    elif op == 2:  # swap two tokens
        j = rng.randrange(len(toks))
        toks[i], toks[j] = toks[j], toks[i]
    elif op == 3:  # insert a keyword
        toks.insert(i, f" {rng.choice(KEYWORDS)} ")
    elif op == 4:  # weird punctuation / characters
        toks.insert(i, rng.choice(WEIRD))
    elif op == 5:  # replace a number with a huge or tiny one
        nums = [k for k, t in enumerate(toks) if t[:1].isdigit()]
        k = rng.choice(nums) if nums else i
        toks[k] = rng.choice(HUGE) + rng.choice(["", "%", ":3", ""])
    elif op == 6:  # deep nesting
        depth = rng.choice([50, 200, 1000, 5000])
        toks.insert(
            i,
            rng.choice(
                [
                    "(" * depth + "x" + ")" * depth,
                    "-" * depth + "1",
                    "not " * depth + "x",
                    "{" * depth,
                    "x+" * depth + "1",
                ]
            ),
        )
    elif op == 7:  # CJK names / keywords
        toks.insert(
            i, rng.choice(["毛利率", " 平衡点 ", " 计薪卡 ", "销售额", " 的 ", "１２", "٣"])
        )
    elif op == 8:  # control characters / surrogates
        toks.insert(i, chr(rng.choice([0, 1, 7, 8, 0x1B, 0x7F, 0x85, 0x2028, 0xD800, 0xDC00])))
    elif op == 9:  # splice a line of another file
        other = rng.choice(corpus_texts).splitlines() or [""]
        toks.insert(i, "\n" + rng.choice(other) + "\n")
    elif op == 10:  # delete or duplicate a line
        lines = text.splitlines(keepends=True) or [""]
        k = rng.randrange(len(lines))
        if rng.random() < 0.5:
            del lines[k]
        else:
            lines.insert(k, lines[k] * rng.choice([1, 2, 50]))
        return "".join(lines)
    elif op == 11:  # byte flip
        if text:
            k = rng.randrange(len(text))
            text = text[:k] + chr(ord(text[k]) ^ (1 << rng.randrange(7))) + text[k + 1 :]
        return text
    elif op == 12 and rng.random() < 0.005:  # an oversize file: about 1.5 MB
        return (text + "\n") * max(1, 1_500_000 // max(1, len(text)))
    elif op == 12:  # truncate
        return text[: rng.randrange(len(text) + 1)]
    else:  # line endings, BOM, case
        return rng.choice(
            [
                text.replace("\n", "\r\n"),
                text.replace("\n", "\r"),
                "\ufeff" + text,
                text.upper(),
                text.replace(" ", "\t"),
                text.replace("\n", ";"),
            ]
        )
    return "".join(toks)
