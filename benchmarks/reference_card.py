"""The benchmark's reference card, its data, and the same payroll in hand-written NumPy.

Every contender in ``run.py`` computes this card; this module is the one place that says
what the card is, what the data looks like and what "the same arithmetic" means.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

if importlib.util.find_spec("ksf") is None:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CARD = "reference"

RULES = """
indicator gross_margin = (revenue - cogs) / revenue  percent higher_is_better

table perf_coefficient {
  >= 90 : 1.2
  >= 80 : 1.0
  >= 70 : 0.8
  >= 60 : 0.5
  else  : 0
}

card reference "benchmark reference card" {
  base 3000
  gross_margin    balance 30% step 1% reward 200 penalty 100 cap 3000 floor -1500
  complaint_rate  balance 2% step 0.1% reward 50 penalty 80 floor -1200 lower_is_better
  sell_through    balance 60% step 1% reward 30 penalty 40 beyond 75% reward 60 floor -800
  store_sales     pot 1400 balance 820000 step 5000 reward 15 floor 0
  repurchase_rate balance 20% step 1% reward 45 prorate floor -900
  commission sales rate 1% scaled_by perf_coefficient(kpi)
  min_pay 2360
}
"""

# The same card with every balance point read from a column (LANGUAGE.md §9), each column
# holding the point written above on every row: the payroll is the same to the cent
# (sell_through's `beyond 75%` tier is then placed, and checked, on each row).
PER_ROW_POINTS = {
    "balance 30% step 1% reward 200": ("gm_target", 0.30),
    "balance 2% step 0.1% reward 50": ("complaint_target", 0.02),
    "balance 60% step 1% reward 30": ("sell_through_target", 0.60),
    "balance 820000 step 5000": ("store_sales_target", 820_000.0),
    "balance 20% step 1% reward 45": ("repurchase_target", 0.20),
}


def per_row_rules() -> str:
    """`RULES` with the balance points of `PER_ROW_POINTS` read from their columns."""
    rules = RULES
    for written, (column, _) in PER_ROW_POINTS.items():
        rules = rules.replace(written, written.replace(written.split()[1], column, 1), 1)
    return rules


def with_points(data: Data) -> Data:
    """The data plus the balance-point columns of `PER_ROW_POINTS`."""
    n = len(next(iter(data.values())))
    return {**data, **{c: np.full(n, v) for c, v in PER_ROW_POINTS.values()}}


# The same columns varying by row (each store its own targets): each point moved a whole
# number of steps, k from −VARYING_STEPS to VARYING_STEPS drawn per row and per column. Per
# column: the line it sets, its step and how a point is written in the file.
VARYING_STEPS = 3
POINT_STEPS = {
    "gm_target": ("gross_margin", 0.01, "{:g}%", 100),
    "complaint_target": ("complaint_rate", 0.001, "{:g}%", 100),
    "sell_through_target": ("sell_through", 0.01, "{:g}%", 100),
    "store_sales_target": ("store_sales", 5000.0, "{:g}", 1),
    "repurchase_target": ("repurchase_rate", 0.01, "{:g}%", 100),
}


def with_varying_points(data: Data, seed: int) -> Data:
    """The data plus balance-point columns that vary by row by whole steps around `RULES`'.

    Each value is the float a file's decimal gives (0.30 + 1 × 0.01 rounded to 9 places is
    the float of ``31%``), so a row's pay is the literal card's with that point written.
    """
    n = len(next(iter(data.values())))
    rng = np.random.default_rng(seed + 1)
    points = {}
    for column, point in PER_ROW_POINTS.values():
        step = POINT_STEPS[column][1]
        k = rng.integers(-VARYING_STEPS, VARYING_STEPS + 1, n)
        points[column] = np.round(point + k * step, 9)  # noqa: TID251 - data, not pay
    return {**data, **points}


def literal_rules(column: str, point: float) -> str:
    """`RULES` with the balance point that ``column`` holds written as ``point``."""
    written = next(w for w, (c, _) in PER_ROW_POINTS.items() if c == column)
    text = POINT_STEPS[column][2].format(round(point * POINT_STEPS[column][3], 9))
    return RULES.replace(written, written.replace(written.split()[1], text, 1), 1)


def literal_payroll(data: Data, compile_card: Callable[[str], Any]) -> Data:
    """The varying card's payroll from literal cards: each line, for each distinct point in
    its column, by the card with that point written, on the rows holding it.

    Lines whose point is not read per row are the literal card's; the top-up and the total
    follow from the lines by the card's ``min_pay`` (as `numpy_payroll` does).
    """
    evaluate = compile_card(RULES)
    pay = {line: np.array(evaluate(data)[line], dtype=np.float64) for line in LINES[:-1]}
    for column, (line, *_) in POINT_STEPS.items():
        values = data[column]
        for point in np.unique(values):
            rows = np.flatnonzero(values == point)
            subset = {k: v[rows] for k, v in data.items()}
            pay[line][rows] = compile_card(literal_rules(column, float(point)))(subset)[line]
    total = sum(pay.values())
    topup = half_up(np.maximum(2360 - total, 0))
    return {**pay, "min_pay_topup": topup, "total": total + topup}


LINES = (
    "base",
    "gross_margin",
    "complaint_rate",
    "sell_through",
    "store_sales",
    "repurchase_rate",
    "commission_sales",
    "min_pay_topup",
)

INPUTS = (
    "revenue",
    "cogs",
    "complaint_rate",
    "sell_through",
    "store_sales",
    "repurchase_rate",
    "sales",
    "kpi",
)

# perf_coefficient: the first threshold the KPI score reaches, top-down.
COEFFICIENTS = ((90.0, 1.2), (80.0, 1.0), (70.0, 0.8), (60.0, 0.5))
OTHERWISE = 0.0

Data = dict[str, np.ndarray]


def make_data(n: int, seed: int) -> Data:
    """Plausible monthly figures, rounded the way exports round them.

    The rounding is deliberate: rates with few decimals land exactly on step boundaries (so
    the 9-decimal clean-up before truncating matters), KPI scores with one decimal land
    exactly on the table's thresholds, and the prorated line and the commission hit
    half-cent ties (so half-up rounding matters).
    """
    rng = np.random.default_rng(seed)
    revenue = np.round(rng.lognormal(np.log(400_000), 0.5, n), 2)  # noqa: TID251 - data, not pay
    margin = rng.normal(0.30, 0.06, n)
    cogs = np.round(revenue * (1.0 - margin), 2)  # noqa: TID251
    return {
        "revenue": revenue,
        "cogs": cogs,
        "complaint_rate": np.round(rng.gamma(4.0, 0.005, n), 4),  # noqa: TID251
        "sell_through": np.round(rng.beta(6.0, 4.0, n), 3),  # noqa: TID251
        "store_sales": np.round(np.maximum(rng.normal(820_000, 200_000, n), 0.0)),  # noqa: TID251
        "repurchase_rate": np.round(rng.beta(4.0, 16.0, n), 5),  # noqa: TID251
        "sales": np.round(rng.lognormal(np.log(60_000), 0.7, n), 2),  # noqa: TID251
        "kpi": np.round(np.clip(rng.normal(78, 12, n), 0, 120), 1),  # noqa: TID251
    }


def input_bytes(n: int) -> int:
    """Bytes of the input columns (float64)."""
    return len(INPUTS) * n * 8


def payroll_bytes(n: int) -> int:
    """Bytes of the payroll returned: (lines + total) float64 amounts per row."""
    return (len(LINES) + 1) * n * 8


# ---- the same payroll in hand-written NumPy ---------------------------------------------------


def half_up(x: np.ndarray) -> np.ndarray:
    """Round to the cent, halves away from zero (a hair of tolerance for float noise)."""
    return np.floor(np.abs(x) * 100 + 0.5 + 1e-9) * np.sign(x) / 100


def whole_steps(value: np.ndarray, balance: float, step: float, direction: int = 1) -> np.ndarray:
    """Whole steps from the balance point toward zero, after removing float noise."""
    return np.trunc(np.round((value - balance) * (direction / step), 9))  # noqa: TID251


def numpy_payroll(d: Mapping[str, np.ndarray]) -> Data:
    """The reference card, written directly: one whole-array expression per line."""
    n = len(d["revenue"])
    pay: Data = {"base": np.full(n, 3000.0)}

    margin = (d["revenue"] - d["cogs"]) / d["revenue"]
    steps = whole_steps(margin, 0.30, 0.01)
    pay["gross_margin"] = np.clip(np.where(steps > 0, 200 * steps, 100 * steps), -1500, 3000)

    steps = whole_steps(d["complaint_rate"], 0.02, 0.001, -1)
    pay["complaint_rate"] = np.maximum(np.where(steps > 0, 50 * steps, 80 * steps), -1200)

    steps = whole_steps(d["sell_through"], 0.60, 0.01)
    good = 30 * steps + (60 - 30) * np.maximum(steps - 15, 0)
    pay["sell_through"] = np.maximum(np.where(steps > 0, good, 40 * steps), -800)

    steps = whole_steps(d["store_sales"], 820_000, 5000)
    pay["store_sales"] = np.maximum(1400 + 15 * steps, 0)

    steps = np.round((d["repurchase_rate"] - 0.20) * (1 / 0.01), 9)  # noqa: TID251 - prorated
    pay["repurchase_rate"] = half_up(np.maximum(45 * steps, -900))

    pay["commission_sales"] = half_up(d["sales"] * 0.01 * _coefficient(d["kpi"]))

    total = sum(pay.values())
    topup = half_up(np.maximum(2360 - total, 0))
    pay["min_pay_topup"] = topup
    pay["total"] = total + topup
    return pay


def _coefficient(kpi: np.ndarray) -> np.ndarray:
    """``perf_coefficient(kpi)``: the first row whose threshold the score reaches."""
    return np.select([kpi >= t for t, _ in COEFFICIENTS], [c for _, c in COEFFICIENTS], OTHERWISE)


# ---- checks ----------------------------------------------------------------------------------


def disagreements(name: str, got: Mapping[str, np.ndarray], ref: Data, data: Data) -> list[str]:
    """Every line and the total to the cent: a message per line that differs (none: agree)."""
    problems = []
    for line in (*LINES, "total"):
        if line not in got:
            problems.append(f"  {line}: missing from {name}'s result")
            continue
        values = np.asarray(got[line], dtype=np.float64)
        expected = ref[line][: len(values)]
        differ = np.flatnonzero(~(np.abs(values - expected) < 0.005))
        if len(differ):
            row = int(differ[0])
            inputs = ", ".join(f"{k}={float(v[row])!r}" for k, v in data.items())
            problems.append(
                f"  {line}: {len(differ):,} rows differ; first is row {row}: "
                f"{name} {float(values[row])!r}, numpy {float(expected[row])!r} ({inputs})"
            )
    return problems


def coverage(ref: Data, data: Data) -> str:
    """How much of the card's logic the data exercises."""
    steps = np.round((data["repurchase_rate"] - 0.20) * (1 / 0.01), 9)  # noqa: TID251
    cents = np.abs(np.maximum(45 * steps, -900)) * 100
    kpi_tenths = np.rint(data["kpi"] * 10)
    commission_cents = data["sales"] * _coefficient(data["kpi"])
    parts = {
        "half-cent ties in repurchase_rate": np.abs(cents - np.floor(cents) - 0.5) < 1e-6,
        "on a step boundary in complaint_rate": np.rint(data["complaint_rate"] * 1e4) % 10 == 0,
        "half-cent ties in commission_sales": np.abs(
            commission_cents - np.floor(commission_cents) - 0.5
        )
        < 1e-6,
        "KPI exactly on a table threshold": np.isin(kpi_tenths, (900, 800, 700, 600)),
        "gross_margin at cap/floor": np.isin(ref["gross_margin"], (3000, -1500)),
        "sell_through past 75%": ref["sell_through"] > 30 * 15,
        "store_sales at floor 0": ref["store_sales"] == 0,
        "topped up to min_pay": ref["min_pay_topup"] > 0,
    }
    return "; ".join(f"{np.mean(hit):.1%} {what}" for what, hit in parts.items())
