"""The contenders: ksf and the other ways to compute the reference card, each to the cent.

Each contender has a ``setup(data)`` that does the untimed preparation (compiling rules,
turning columns into the rows a per-row engine reads) and returns the timed call, and a
``lines(result)`` that turns what the call returned into arrays for the agreement check
(also untimed). Peers that are not installed are skipped with the reason.
"""

from __future__ import annotations

import importlib.util
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import reference_card as rc

import ksf

Run = Callable[[], Any]


class Contender:
    """One way to compute the reference card."""

    name = ""
    per_row = False  # loops over rows in Python (or per row in an engine): stops early
    max_rows: int | None = None  # the largest size a per-row peer runs at by default
    needs: tuple[str, ...] = ()  # modules that must be importable

    def missing(self) -> str | None:
        """Why this contender cannot run here (None: it can)."""
        absent = [m for m in self.needs if importlib.util.find_spec(m) is None]
        return f"not installed: {', '.join(absent)} (pip install -e '.[bench]')" if absent else None

    def setup(self, data: rc.Data) -> Run:
        raise NotImplementedError

    def lines(self, result: Any) -> dict[str, np.ndarray]:
        return dict(result)

    def reference(self, data: rc.Data, ref: rc.Data) -> rc.Data:
        """The payroll this contender must agree with to the cent (untimed)."""
        return ref


class Ksf(Contender):
    name = "ksf"

    def __init__(self) -> None:
        self.book = ksf.compile(rc.RULES, name="reference.ksf")

    def setup(self, data: rc.Data) -> Run:
        self.book.evaluate(data, card=rc.CARD)  # binds and compiles (cached for the same columns)
        # One thread, as NumPy and the first numexpr; `mixed.py` times threads.
        return lambda: self.book.evaluate(data, card=rc.CARD, threads=1)

    def lines(self, result: ksf.Payroll) -> dict[str, np.ndarray]:
        return {**{line: result[line] for line in result.lines}, "total": result.total}


class KsfPerRow(Ksf):
    """ksf on the reference card with its balance points read per row from columns."""

    name = "ksf per-row points"

    def __init__(self) -> None:
        self.book = ksf.compile(rc.per_row_rules(), name="reference-per-row.ksf")

    def setup(self, data: rc.Data) -> Run:
        return super().setup(rc.with_points(data))


class KsfVarying(Ksf):
    """ksf with the balance points read per row from columns that vary by row.

    Checked against the literal card evaluated, for each distinct point, on its rows.
    """

    name = "ksf varying points"

    def __init__(self, seed: int) -> None:
        self.book = ksf.compile(rc.per_row_rules(), name="reference-per-row.ksf")
        self.seed = seed

    def setup(self, data: rc.Data) -> Run:
        return super().setup(rc.with_varying_points(data, self.seed))

    def reference(self, data: rc.Data, ref: rc.Data) -> rc.Data:
        return rc.literal_payroll(rc.with_varying_points(data, self.seed), _literal)


def _literal(rules: str) -> Callable[[rc.Data], ksf.Payroll]:
    """A card's evaluate, compiled from its text (the checks compile 36 literal cards)."""
    book = ksf.compile(rules, name="literal.ksf")
    return lambda data: book.evaluate(data, card=rc.CARD)


class NumPy(Contender):
    name = "hand-written NumPy"

    def setup(self, data: rc.Data) -> Run:
        return lambda: rc.numpy_payroll(data)


# ---- numexpr -----------------------------------------------------------------------------------

_HALF_UP = "floor(abs({x}) * 100 + 0.5 + 1e-9) * sign({x}) / 100"
_STEPS = "trunc(round(({value} - {balance}) * {scale} * 1e9) / 1e9)"  # round() is rint


class NumExpr(Contender):
    """``numexpr.evaluate`` per line: the hand-written NumPy arithmetic, fused per line."""

    needs = ("numexpr",)

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.name = f"numexpr ({threads} thread{'s' if threads > 1 else ''})"

    def setup(self, data: rc.Data) -> Run:
        return lambda: self.payroll(data)

    def payroll(self, d: rc.Data) -> rc.Data:
        import numexpr as ne

        def ev(expression: str, **arrays: Any) -> np.ndarray:
            return ne.evaluate(expression, local_dict=arrays)

        def steps(x: np.ndarray, balance: float, scale: float) -> np.ndarray:
            return ev(_STEPS.format(value="x", balance=balance, scale=scale), x=x)

        ne.set_num_threads(self.threads)
        n = len(d["revenue"])
        pay: rc.Data = {"base": np.full(n, 3000.0)}
        margin = ev("(revenue - cogs) / revenue", revenue=d["revenue"], cogs=d["cogs"])
        s = steps(margin, 0.30, 1 / 0.01)
        pay["gross_margin"] = ev(
            "maximum(minimum(where(s > 0, 200 * s, 100 * s), 3000), -1500)", s=s
        )
        s = steps(d["complaint_rate"], 0.02, -1 / 0.001)
        pay["complaint_rate"] = ev("maximum(where(s > 0, 50 * s, 80 * s), -1200)", s=s)
        s = steps(d["sell_through"], 0.60, 1 / 0.01)
        pay["sell_through"] = ev(
            "maximum(where(s > 0, 30 * s + 30 * maximum(s - 15, 0), 40 * s), -800)", s=s
        )
        s = steps(d["store_sales"], 820_000, 1 / 5000)
        pay["store_sales"] = ev("maximum(1400 + 15 * s, 0)", s=s)
        s = ev(f"round((x - 0.20) * {1 / 0.01} * 1e9) / 1e9", x=d["repurchase_rate"])
        pay["repurchase_rate"] = ev(_HALF_UP.format(x="a"), a=ev("maximum(45 * s, -900)", s=s))
        coefficient = ev(
            "where(kpi >= 90, 1.2, where(kpi >= 80, 1.0, where(kpi >= 70, 0.8,"
            " where(kpi >= 60, 0.5, 0.0))))",
            kpi=d["kpi"],
        )
        commission = ev("sales * 0.01 * c", sales=d["sales"], c=coefficient)
        pay["commission_sales"] = ev(_HALF_UP.format(x="a"), a=commission)
        total = ev(" + ".join(pay), **pay)
        short = ev("where(2360 - total > 0, 2360 - total, 0)", total=total)
        pay["min_pay_topup"] = ev(_HALF_UP.format(x="a"), a=short)
        pay["total"] = ev("total + topup", total=total, topup=pay["min_pay_topup"])
        return pay


# ---- a plain Python loop ------------------------------------------------------------------------


def _half_up(x: float) -> float:
    """To the cent, halves away from zero, with the same hair of tolerance as the NumPy one."""
    cents = math.floor(abs(x) * 100 + 0.5 + 1e-9)
    return (cents if x > 0 else -cents if x < 0 else 0) / 100


def python_payroll(records: list[dict[str, float]]) -> list[tuple[float, ...]]:
    """What most HR scripts are: a loop over rows, floats, and a careful half-up."""
    out = []
    for r in records:
        base = 3000.0
        margin = (r["revenue"] - r["cogs"]) / r["revenue"]
        s = math.trunc(round((margin - 0.30) * (1 / 0.01), 9))
        gm = min(max(200 * s if s > 0 else 100 * s, -1500), 3000)
        s = math.trunc(round((r["complaint_rate"] - 0.02) * (-1 / 0.001), 9))
        cr = max(50 * s if s > 0 else 80 * s, -1200)
        s = math.trunc(round((r["sell_through"] - 0.60) * (1 / 0.01), 9))
        st = max(30 * s + 30 * max(s - 15, 0) if s > 0 else 40 * s, -800)
        s = math.trunc(round((r["store_sales"] - 820_000) * (1 / 5000), 9))
        ss = max(1400 + 15 * s, 0)
        p = round((r["repurchase_rate"] - 0.20) * (1 / 0.01), 9)
        rr = _half_up(max(45 * p, -900))
        kpi = r["kpi"]
        coefficient = (
            1.2
            if kpi >= 90
            else 1.0
            if kpi >= 80
            else 0.8
            if kpi >= 70
            else 0.5
            if kpi >= 60
            else 0.0
        )
        cm = _half_up(r["sales"] * 0.01 * coefficient)
        total = base + gm + cr + st + ss + rr + cm
        topup = _half_up(max(2360 - total, 0.0))
        out.append((base, gm, cr, st, ss, rr, cm, topup, total + topup))
    return out


def records(data: rc.Data) -> list[dict[str, float]]:
    """The rows as dicts of floats, as csv.DictReader plus float() would give them."""
    names = list(data)
    columns = [data[k].tolist() for k in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _columns(rows: list[tuple[float, ...]]) -> dict[str, np.ndarray]:
    table = np.array(rows, dtype=np.float64).reshape(-1, len(rc.LINES) + 1)
    return {name: table[:, i] for i, name in enumerate((*rc.LINES, "total"))}


class PythonLoop(Contender):
    name = "Python loop over rows"
    per_row = True
    max_rows = 100_000

    def setup(self, data: rc.Data) -> Run:
        rows = records(data)
        return lambda: python_payroll(rows)

    def lines(self, result: list[tuple[float, ...]]) -> dict[str, np.ndarray]:
        return _columns(result)


# ---- rule-engine ---------------------------------------------------------------------------------


def _re_half_up(x: str) -> str:
    return f"(({x}) * 100 + (({x}) < 0 ? -0.5 : 0.5)) // 1 / 100"


# One rule per line and per shared value; rule-engine computes in decimal.Decimal, where
# ``// 1`` truncates toward zero, so steps need no float clean-up.
RULE_ENGINE_RULES = (
    ("margin", "(revenue - cogs) / revenue"),
    ("gm_steps", "(margin - 0.30) * 100 // 1"),
    (
        "pay_gross_margin",
        "$max([$min([gm_steps > 0 ? gm_steps * 200 : gm_steps * 100, 3000]), -1500])",
    ),
    ("cr_steps", "(0.02 - complaint_rate) * 1000 // 1"),
    ("pay_complaint_rate", "$max([cr_steps > 0 ? cr_steps * 50 : cr_steps * 80, -1200])"),
    ("st_steps", "(sell_through - 0.60) * 100 // 1"),
    (
        "pay_sell_through",
        "$max([st_steps > 0 ? 30 * st_steps + 30 * $max([st_steps - 15, 0])"
        " : 40 * st_steps, -800])",
    ),
    ("ss_steps", "(store_sales - 820000) / 5000 // 1"),
    ("pay_store_sales", "$max([1400 + 15 * ss_steps, 0])"),
    ("pay_repurchase_rate", _re_half_up("$max([45 * ((repurchase_rate - 0.20) * 100), -900])")),
    (
        "coefficient",
        "kpi >= 90 ? 1.2 : (kpi >= 80 ? 1.0 : (kpi >= 70 ? 0.8 : (kpi >= 60 ? 0.5 : 0)))",
    ),
    ("pay_commission_sales", _re_half_up("sales * 0.01 * coefficient")),
    (
        "subtotal",
        "3000 + pay_gross_margin + pay_complaint_rate + pay_sell_through"
        " + pay_store_sales + pay_repurchase_rate + pay_commission_sales",
    ),
    ("pay_min_pay_topup", _re_half_up("$max([2360 - subtotal, 0])")),
    ("pay_total", "subtotal + pay_min_pay_topup"),
)


class RuleEngine(Contender):
    """rule-engine: each rule compiled once, evaluated row by row (decimal arithmetic)."""

    name = "rule-engine"
    per_row = True
    max_rows = 10_000  # about 0.6 ms a row: 100k rows take a minute per run
    needs = ("rule_engine",)

    def setup(self, data: rc.Data) -> Run:
        import rule_engine

        context = rule_engine.Context()
        rules = [(key, rule_engine.Rule(text, context=context)) for key, text in RULE_ENGINE_RULES]
        rows = records(data)

        def run() -> list[dict[str, Any]]:
            results = []
            for row in rows:
                values: dict[str, Any] = dict(row)
                for key, rule in rules:
                    values[key] = rule.evaluate(values)
                results.append(values)
            return results

        return run

    def lines(self, result: list[dict[str, Any]]) -> dict[str, np.ndarray]:
        return {
            "base": np.full(len(result), 3000.0),
            **{
                line: np.array([float(r[f"pay_{line}"]) for r in result])
                for line in (*rc.LINES[1:], "total")
            },
        }


# ---- zen-engine (GoRules) ---------------------------------------------------------------------


def _zen_half_up(x: str) -> str:
    return f"round({x}, 2)"  # zen computes in decimals; round() is half away from zero


ZEN_EXPRESSIONS = (
    ("margin", "(revenue - cogs) / revenue"),
    ("gm_steps", "trunc(($.margin - 0.30) * 100)"),
    (
        "pay_gross_margin",
        "max([min([$.gm_steps > 0 ? $.gm_steps * 200 : $.gm_steps * 100, 3000]), -1500])",
    ),
    ("cr_steps", "trunc((0.02 - complaint_rate) * 1000)"),
    ("pay_complaint_rate", "max([$.cr_steps > 0 ? $.cr_steps * 50 : $.cr_steps * 80, -1200])"),
    ("st_steps", "trunc((sell_through - 0.60) * 100)"),
    (
        "pay_sell_through",
        "max([$.st_steps > 0 ? 30 * $.st_steps + 30 * max([$.st_steps - 15, 0]) : 40 * $.st_steps,"
        " -800])",
    ),
    ("ss_steps", "trunc((store_sales - 820000) / 5000)"),
    ("pay_store_sales", "max([1400 + 15 * $.ss_steps, 0])"),
    ("pay_repurchase_rate", _zen_half_up("max([45 * ((repurchase_rate - 0.20) * 100), -900])")),
    (
        "coefficient",
        "kpi >= 90 ? 1.2 : (kpi >= 80 ? 1.0 : (kpi >= 70 ? 0.8 : (kpi >= 60 ? 0.5 : 0)))",
    ),
    ("pay_commission_sales", _zen_half_up("sales * 0.01 * $.coefficient")),
    (
        "subtotal",
        "3000 + $.pay_gross_margin + $.pay_complaint_rate + $.pay_sell_through"
        " + $.pay_store_sales + $.pay_repurchase_rate + $.pay_commission_sales",
    ),
    ("pay_min_pay_topup", _zen_half_up("max([2360 - $.subtotal, 0])")),
    ("pay_total", "$.subtotal + $.pay_min_pay_topup"),
)


def zen_decision() -> str:
    """A JDM decision graph: input → one expression node with the card → output."""
    node = {
        "id": "card",
        "type": "expressionNode",
        "name": "reference card",
        "position": {"x": 200, "y": 0},
        "content": {
            "expressions": [
                {"id": key, "key": key, "value": value} for key, value in ZEN_EXPRESSIONS
            ]
        },
    }
    graph = {
        "nodes": [
            {
                "id": "in",
                "type": "inputNode",
                "name": "Request",
                "position": {"x": 0, "y": 0},
                "content": {},
            },
            node,
            {
                "id": "out",
                "type": "outputNode",
                "name": "Response",
                "position": {"x": 400, "y": 0},
                "content": {},
            },
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "card", "type": "edge"},
            {"id": "e2", "sourceId": "card", "targetId": "out", "type": "edge"},
        ],
    }
    return json.dumps(graph)


class ZenEngine(Contender):
    """zen-engine: the card as a decision graph, rows sent through ``evaluate_batch``."""

    name = "zen-engine (GoRules)"
    per_row = True
    max_rows = 100_000
    needs = ("zen",)

    def setup(self, data: rc.Data) -> Run:
        import zen

        content = zen_decision()
        engine = zen.ZenEngine({"loader": lambda key: content})
        engine.get_decision("card").validate()
        requests = [{"key": "card", "context": row} for row in records(data)]
        return lambda: engine.evaluate_batch(requests)

    def lines(self, result: list[Mapping[str, Any]]) -> dict[str, np.ndarray]:
        failed = [r for r in result if not r.get("success")]
        if failed:
            raise SystemExit(f"zen-engine failed on {len(failed)} rows: {failed[0].get('error')}")
        values = [r["data"]["result"] for r in result]
        return {
            "base": np.full(len(values), 3000.0),
            **{
                line: np.array([float(v[f"pay_{line}"]) for v in values])
                for line in (*rc.LINES[1:], "total")
            },
        }


def limit(contender: Contender, per_row_max: int | None) -> int | None:
    """The largest size a contender runs at (None: every size)."""
    if not contender.per_row:
        return None
    return per_row_max or contender.max_rows


def contenders(threads: int, seed: int) -> list[Contender]:
    """Every contender, in table order (numexpr once per thread count)."""
    found: list[Contender] = [Ksf(), KsfPerRow(), KsfVarying(seed), NumPy(), NumExpr(1)]
    if threads > 1:
        found.append(NumExpr(threads))
    found += [PythonLoop(), RuleEngine(), ZenEngine()]
    return found
