"""One line of a staff payslip in plain words, in Chinese or English, from the row's trace.

`ksf.explain` shows an auditor every figure; a payslip tells the employee in one line why
a line pays what it does: ``毛利率 29%，高于平衡点 25% 共 4 档，每档 200 → +800.00``. Like
`ksf.explain`, this module only lays out figures the kernels recorded (`ksf.trace`).
"""

from __future__ import annotations

from typing import assert_never

from ksf import ir
from ksf.explain_figures import figure, number
from ksf.explain_words import Lang
from ksf.trace import (
    NAN,
    BalanceTrace,
    BonusTrace,
    ByTrace,
    ClauseFigures,
    CommissionTrace,
    FixedTrace,
    LineTrace,
    MinPayTrace,
    ShareTrace,
)

# The names ksf gives lines itself, as a payslip shows them; a card's own names show as written.
LINE_TITLES: dict[Lang, dict[str, str]] = {
    "zh": {"base": "底薪", "allowance": "补贴", "min_pay_topup": "保底补足"},
    "en": {"base": "base pay", "allowance": "allowance", "min_pay_topup": "minimum pay top-up"},
}


def money_text(value: float, places: int = 2, *, sign: bool = False) -> str:
    """An amount as finance staff write it: ``12,345.60``, ``-800.00``; ``sign``: ``+800.00``."""
    value = round(value, places) + 0.0  # -0.0 shows as 0.00
    return f"{value:{'+' if sign and value else ''},.{places}f}"


def named_text(node: ir.Expr, text: str, lang: Lang) -> str:
    """What a value is called: an indicator's label in Chinese (毛利率), else its name."""
    match node:
        case ir.Named():
            name = node.label if lang == "zh" and node.label else node.name
        case ir.Column() | ir.Param():
            name = node.name
        case ir.Const() | ir.Free() | ir.Op() | ir.Lookup() | ir.MatrixLookup() | ir.ScoreValue():
            name = text
        case ir.Group():
            name = node.text or text
        case ir.TextCodes():
            name = node.column
        case ir.LineRef():
            name = node.name
        case ir.Subtotal():
            name = "小计" if lang == "zh" else "subtotal"
        case _:
            assert_never(node)
    return name.replace("_", " ") if lang == "en" else name


def line_title(line: ir.Line | None, name: str, lang: Lang) -> str:
    """A line's title: ksf's own names translated, a line named after an indicator by its label."""
    if name in LINE_TITLES[lang]:
        return LINE_TITLES[lang][name]
    value = line.value if isinstance(line, ir.BalanceLine) else None
    if isinstance(value, ir.Named) and value.name == name:
        return named_text(value, name, lang)
    return name


def _value(node: ir.Expr, value: float, percent: bool = False) -> str:
    """A value with its unit: 0.29 of a percent indicator (or ``percent``) as 29%."""
    unit = node.unit if isinstance(node, ir.Named) else None
    return number(value, "percent" if percent else unit)


def reason(traced: LineTrace, rounded: float, places: int, lang: Lang) -> str:
    """The line's reason in one line of plain words, ending in its rounded amount."""
    detail = traced.detail
    match detail:
        case FixedTrace() if isinstance(detail.line.amount, ir.Const):
            said = "固定金额" if lang == "zh" else "fixed amount"
        case FixedTrace():  # read from the data: `base (6000 * days_worked / payable_days)`
            how = detail.line.text or "?"
            said = f"按 {how} 计算" if lang == "zh" else f"computed as {how}"
        case ByTrace():
            column = detail.line.column
            said = f"{column}为 {detail.key}" if lang == "zh" else f"{column} {detail.key}"
        case BalanceTrace():
            said = _balance(detail, lang)
        case CommissionTrace():
            said = _commission(detail, lang)
        case BonusTrace():
            said = _bonus(detail, lang)
        case ShareTrace():
            said = _share(detail, places, lang)
        case _:
            assert_never(detail)
    clip = _clip(detail, traced.amount)
    if clip:
        said += ("，" if lang == "zh" else ", ") + clip[lang == "en"]
    if traced.missing is not None:
        said = _missing(traced.missing, lang) + said
    return f"{said} → {money_text(rounded, places, sign=True)}"


def _missing(policy: str, lang: Lang) -> str:
    """The card's `missing as` policy, said before the reason of a line it applied to."""
    at_balance = policy == "balance"
    if lang == "zh":
        return "数据缺失，按平衡点计：" if at_balance else "数据缺失，按 0 计："
    return (
        "value missing, counted at the balance point: "
        if at_balance
        else "value missing, counted as 0: "
    )


def _balance(trace: BalanceTrace, lang: Lang) -> str:
    """``毛利率 29%，高于平衡点 25% 共 4 档，每档 200``.

    A value read from a column of unknown unit shows as a percentage when the rule wrote
    its balance point as one (``balance 25%``): 0.15 is 15% to whoever wrote the rule.
    """
    line = trace.line
    what = named_text(line.value, line.text, lang)
    percent = line.balance_text.endswith(("%", "％"))
    value = _value(line.value, trace.value, percent)
    row = _row_figures(trace)
    point = _value(line.value, row.balance, percent)
    steps = figure(abs(trace.steps), 6)
    above = trace.value > row.balance
    pot = number(row.pot)
    if trace.steps == 0:
        if lang == "zh":
            said = f"{what} {value}，与平衡点 {point} 相差不足一档"
            return said + (f"，底数 {pot}" if row.pot else "")
        said = f"{what} {value}, less than a step from the balance point {point}"
        return said + (f", the pot {pot}" if row.pot else "")
    if lang == "zh":
        side = "高于" if above else "低于"
        said = f"{what} {value}，{side}平衡点 {point} 共 {steps} 档，"
        return said + (f"底数 {pot}，" if row.pot else "") + _per_step(trace, lang)
    side = "above" if above else "below"
    noun = "step" if abs(trace.steps) == 1 else "steps"
    said = f"{what} {value}, {steps} {noun} {side} the balance point {point}, "
    return said + (f"the pot {pot}, " if row.pot else "") + _per_step(trace, lang)


def _per_step(trace: BalanceTrace, lang: Lang) -> str:
    """What a step pays: ``每档 200``, or per tier: ``其中 2 档每档 200、2 档每档 300``."""
    off = trace.steps < 0
    rates = list(dict.fromkeys(p.rate for p in trace.tiers))
    if len(rates) <= 1:
        rate = number(rates[0] if rates else 0.0)
        if lang == "zh":
            return f"每档{'扣' if off else ''} {rate}"
        return f"{rate} off a step" if off else f"{rate} a step"
    parts = [(figure(p.size, 6), number(p.rate)) for p in trace.tiers if p.size]
    if lang == "zh":
        verb = "扣" if off else ""
        return "其中 " + "、".join(f"{n} 档每档{verb} {r}" for n, r in parts)
    verb = "off" if off else "each"
    return " and ".join(f"{n} at {r} {verb}" for n, r in parts)


def _commission(trace: CommissionTrace, lang: Lang) -> str:
    """``销售额 1,300,000：1,000,000 × 0.75% + 300,000 × 1%``, then a scale."""
    line = trace.line
    what = f"{named_text(line.base, line.text, lang)} {_value(line.base, trace.base)}"
    if line.retroactive and len(line.tiers) > 1:
        rate = number(trace.rate, "percent")
        said = f"{what}，全额按 {rate}" if lang == "zh" else f"{what}, all of it at {rate}"
    elif len(trace.parts) > 1:
        parts = " + ".join(f"{number(p.size)} × {number(p.rate, 'percent')}" for p in trace.parts)
        said = f"{what}：{parts}" if lang == "zh" else f"{what}: {parts}"
    else:
        # A rate read per row (§9) is on the trace; the one tier then holds 0.
        per_row = line.rate is not None and trace.given is not None
        row_rate = trace.given.reward if per_row and trace.given else line.tiers[0].rate
        said = f"{what} × {number(row_rate, 'percent')}"
    if line.scale is not None:
        scale = f"{named_text(line.scale, line.scale_text, lang)} {_value(line.scale, trace.scale)}"
        said += f"，乘以 {scale}" if lang == "zh" else f", times {scale}"
    return said


def _bonus(trace: BonusTrace, lang: Lang) -> str:
    """``满足条件 清仓率 >= 50%：奖金 8% of 清仓毛利 = 1,584``, or the condition not met."""
    line = trace.line
    when = line.when_text
    if not trace.paid:
        return f"未满足条件 {when}" if lang == "zh" else f"the condition {when} does not hold"
    amount = number(trace.amount)
    if isinstance(line.amount, ir.Const):
        said = f"奖金 {amount}" if lang == "zh" else f"bonus {amount}"
    else:
        written = named_text(line.amount, line.text, lang)
        said = f"奖金 {written} = {amount}" if lang == "zh" else f"bonus {written} = {amount}"
    if line.scale is not None:
        scale = f"{named_text(line.scale, line.scale_text, lang)} {_value(line.scale, trace.scale)}"
        said += f"，乘以 {scale}" if lang == "zh" else f", times {scale}"
    if line.when is not None:
        said = (f"满足条件 {when}：" if lang == "zh" else f"{when} holds: ") + said
    return said


def _share(trace: ShareTrace, places: int, lang: Lang) -> str:
    """``奖金池 团队池 12,000.00（华南组），按权重 2 / 5 分得``."""
    pool, group = money_text(trace.pool, places), trace.group
    weight, of = number(trace.weight), number(trace.group_weight)
    if lang == "zh":
        where = f"（{group}组）" if group else ""
        return f"奖金池 {trace.line.pool} {pool}{where}，按权重 {weight} / {of} 分得"
    where = f" (group {group})" if group else ""
    return f"pool {trace.line.pool} {pool}{where}, weight {weight} of {of}"


def _clip(detail: object, before: float) -> tuple[str, str] | None:
    """The floor or cap that applied, in (Chinese, English), or None."""
    if not isinstance(detail, BalanceTrace | CommissionTrace):
        return None
    if detail.unclipped == before:
        return None
    row = _row_figures(detail) if isinstance(detail, BalanceTrace) else detail.given
    cap = row.cap if row is not None else _literal(detail.line.cap)
    floor = row.floor if row is not None else _literal(detail.line.floor)
    if cap is not None and before == cap:
        return f"封顶 {number(cap)}", f"capped at {number(cap)}"
    if floor is not None and before == floor:
        return f"最低 {number(floor)}", f"floored at {number(floor)}"
    return None


def _literal(value: ir.ClauseValue | None) -> float | None:
    """A clause value as written; one read per row (§9) is known only from the trace."""
    return None if value is None or isinstance(value, ir.PerRow) else value


def _row_figures(trace: BalanceTrace) -> ClauseFigures:
    """A balance rule's clause values on the row: from the trace, or as the file writes them."""
    if trace.clauses is not None:
        return trace.clauses
    line = trace.line
    written = [_literal(v) for v in (line.balance, line.step, line.reward, line.penalty, line.pot)]
    balance, step, reward, penalty, pot = (NAN if v is None else v for v in written)
    cap, floor = _literal(line.cap), _literal(line.floor)
    return ClauseFigures(
        balance=balance, step=step, reward=reward, penalty=penalty, pot=pot, cap=cap, floor=floor
    )


def min_pay_reason(top: MinPayTrace, places: int, lang: Lang) -> str:
    """The top-up to ``min_pay``: what the lines add up to and what was added."""
    lines, floor, topup = (money_text(x, places) for x in (top.lines_total, top.min_pay, top.topup))
    if lang == "zh":
        if top.topup:
            return f"各项合计 {lines}，低于保底工资 {floor}，补足 {topup}"
        return f"各项合计 {lines}，不低于保底工资 {floor}，无需补足"
    if top.topup:
        return f"the lines add up to {lines}, below the minimum pay {floor}: topped up by {topup}"
    return f"the lines add up to {lines}, at least the minimum pay {floor}: no top-up"
