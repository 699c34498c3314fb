"""Every phrase `ksf.explain` prints, in English and in Chinese: one table, one entry a phrase.

A `Phrase` needs both spellings (attrs refuses one without the other), and
tests/test_explain_zh.py checks that a Chinese explanation of every line kind keeps no
English word but the names of the rule file. The English spellings are the explanation as
it has always read: tests pin it byte for byte.

Money in Chinese (docs/api.md): amounts as Chinese finance staff write them, thousands
separated by commas with two decimals (3,800.00), and the total followed by 元 for a
CNY/RMB rulebook (合计：3,800.00 元), else by the currency code (合计：3,800.00 USD).
"""

from __future__ import annotations

from typing import Literal

import attrs

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")
YUAN = ("CNY", "RMB")  # currencies a Chinese explanation writes as 元


@attrs.frozen
class Phrase:
    """One phrase in both languages; ``{name}`` marks a figure or a name filled in."""

    en: str
    zh: str


# fmt: off
PHRASES: dict[str, Phrase] = {
    # the heading and the total
    # `row` is 0-based in English (the `Payroll.explain(row)` a program passes) and counted
    # from 1 in Chinese, as people count (docs/api.md); `explain.heading` passes each its own.
    "row": Phrase("row {row}", "第 {row} 行"),
    "who_at": Phrase("{ident} ({where})", "员工 {ident}（{where}）"),  # a place people name
    "people_row": Phrase("row {row}", "第 {row} 行"),  # counted from 1, for payslips
    "file_line": Phrase("line {line} of {file}", "{file} 第 {line} 行"),
    "file_sheet_row": Phrase("sheet row {line} of {file}", "{file} 第 {line} 行"),
    "heading": Phrase("{who}, card {card}{label}", "{who}，计薪卡 {card}{label}"),
    # §13: the version of the card a period chose, and the period
    "version": Phrase(" (version effective {month})", "（{month} 起生效的版本）"),
    "version_from": Phrase("effective {month}", "{month} 起生效"),
    "in_period": Phrase(", period {period}", "，期间 {period}"),
    "total": Phrase(
        "total: {amount} {currency} (the sum of the rounded lines)",
        "合计：{amount} {currency}（各项取整后相加）",
    ),
    # values
    "missing": Phrase("missing", "缺失"),
    "sep": Phrase(", ", "，"),
    "where": Phrase("where ", "其中 "),
    "line_ref": Phrase("line {name} = {amount}", "项目 {name} = {amount}"),
    "subtotal": Phrase("subtotal ({lines}) = {amount}", "小计（{lines}）= {amount}"),
    "group": Phrase("{text}: group {where}, {rows} → {op} {value}",
                    "{text}：分组 {where}，{rows} → {op} {value}"),
    "group_all": Phrase("all rows", "全体"),
    "group_rows_1": Phrase("{n} row", "{n} 行"),
    "group_rows": Phrase("{n} rows", "{n} 行"),
    "op_sum": Phrase("sum", "合计"),
    "op_mean": Phrase("mean", "平均"),
    "op_min": Phrase("min", "最小"),
    "op_max": Phrase("max", "最大"),
    "op_count": Phrase("count", "人数"),
    "op_rank": Phrase("rank", "排名"),
    "score": Phrase("{name}: {text} = {value} → {points} points × {weight}%",
                    "{name}：{text} = {value} → {points} 分 × {weight}%"),
    "matrix_missing": Phrase("a key is missing", "有键值缺失"),
    "matrix_else": Phrase("else : {value}", "其他 : {value}"),
    "matrix_row": Phrase("row {row}: {cells} : {value}", "第 {row} 行：{cells} : {value}"),
    # every line
    "line": Phrase("{name}: {amount}", "{name}：{amount}"),
    "base_line": Phrase("base", "底薪"),  # the name ksf gives a `base` line, as payslips say it
    "allowance_line": Phrase("allowance", "补贴"),
    "topup_name": Phrase("min_pay_topup", "保底补足"),
    "line_missing": Phrase("a value is missing; the card says `missing as {policy}`",
                           "有值缺失；计薪卡规定 `缺失按 {policy}`"),
    "rounded": Phrase("{exact} rounded half-up to {unit} → {amount}",
                      "{exact} 按 {unit} 四舍五入 → {amount}"),
    "amount": Phrase("amount:", "金额："),
    "fixed": Phrase("fixed amount {amount}", "固定金额 {amount}"),
    # a pool share
    "pool_base": Phrase("pool {pool}{group}: base {text} = {value}",
                        "奖金池 {pool}{group}：基数 {text} = {value}"),
    "pool_group": Phrase(" (group {group})", "（分组 {group}）"),
    "pool_value": Phrase("value", "数值"),
    "pool_past": Phrase("max(0, {base} − {threshold}) × {share} = {past}",
                        "({base} − {threshold}，不低于 0) × {share} = {past}"),
    "pool_cap": Phrase("cap {cap}: {verdict}", "封顶 {cap}：{verdict}"),
    "applied": Phrase("applied", "已生效"),
    "not_reached": Phrase("not reached", "未触及"),
    "pool": Phrase("pool {amount}", "奖金池 {amount}"),
    "pool_weight": Phrase(
        "weight {weight} of {of}: {pool} × {weight} / {of} = {exact}, to the unit by largest "
        "remainder",
        "权重 {weight}（共 {of}）：{pool} × {weight} / {of} = {exact}，按最大余数法分到取整单位",
    ),
    # a balance rule
    "value": Phrase("value:", "数值："),
    "higher": Phrase("higher is better", "越高越好"),
    "lower": Phrase("lower is better", "越低越好"),
    "balance": Phrase("balance {balance}, step {step}, {better}: ({first} − {second}) / {step} = ",
                      "平衡点 {balance}，每档 {step}，{better}：({first} − {second}) / {step} = "),
    "prorated": Phrase("{steps} steps (prorated)", "{steps} 档（按比例）"),
    "whole_steps": Phrase("{steps} steps → {whole} whole steps", "{steps} 档 → {whole} 整档"),
    "steps_pay": Phrase("steps pay {parts} = {amount}", "档数计酬 {parts} = {amount}"),
    "pot": Phrase("plus the pot {pot} = {amount}", "加上分配额 {pot} = {amount}"),
    "floor": Phrase("floor {value}", "保底 {value}"),
    "cap": Phrase("cap {value}", "封顶 {value}"),
    "clip": Phrase("{bounds}: {verdict}", "{bounds}：{verdict}"),
    "clip_applied": Phrase("applied: {before} → {after}", "已生效：{before} → {after}"),
    # a commission
    "base": Phrase("base:", "基数："),
    "beyond": Phrase("{rate} beyond {at}", "超过 {at} 部分 {rate}"),
    "retroactive": Phrase("retroactive", "全额累进"),
    "marginal": Phrase("marginal", "超额累进"),
    "rates": Phrase("rate {rates}{kind} → {amount}", "提成比例 {rates}{kind} → {amount}"),
    "kind": Phrase(" ({kind})", "（{kind}）"),
    "this_row": Phrase(
        "{clause} {text} = {value} (this row's)", "{clause} {text} = {value}（本行的值）"
    ),
    "whole_base": Phrase("the whole {base} × {rate}", "全额 {base} × {rate}"),
    "scaled_by": Phrase("scaled by:", "乘以系数："),
    # a bonus
    "holds": Phrase("condition holds:", "条件成立："),
    "fails": Phrase("condition does not hold:", "条件不成立："),
    "near_equal": Phrase("compared {left} {symbol} {right}, equal up to float noise",
                         "比较 {left} {symbol} {right}，在浮点误差内相等"),
    # min_pay
    "topup_line": Phrase("min_pay_topup: {amount}", "保底补足：{amount}"),
    "min_pay": Phrase("min_pay {amount}; {verdict}", "最低工资 {amount}；{verdict}"),
    "topup": Phrase("the lines add up to {lines}, below it: top-up {topup}",
                    "各项合计 {lines}，低于最低工资：补足 {topup}"),
    "no_topup": Phrase("the lines add up to {lines}: no top-up", "各项合计 {lines}：无需补足"),
    # the terminal's payroll table and `ksf demo` (`ksf.cli.show`)
    "t_card": Phrase("card {card}{label}", "计薪卡 {card}{label}"),
    "t_label": Phrase(" ({label})", "（{label}）"),
    "t_total_head": Phrase("total ({currency})", "合计（{currency}）"),
    "t_total": Phrase("total", "合计"),
    "t_more": Phrase("… {n} more", "… 另有 {n} 行"),
    "t_id": Phrase("id", "工号"),
    "t_row": Phrase("row", "行"),
    "t_grand_total": Phrase("total: {total}", "合计：{total}"),
    "t_written": Phrase("{output}: {rows} rows, total {total}",
                        "{output}：{rows} 行，合计 {total}"),
    "t_demo": Phrase("ksf demo: {n} payslips, cards {cards}, amounts in {currency}",
                     "ksf 示例：{n} 张工资条，计薪卡 {cards}，金额单位：{currency}"),
    "t_demo_explain": Phrase("How the first payslip was computed (ksf explain):",
                             "第一张工资条的计算过程（ksf explain）："),
    # the XLSX workbook's payslip sheets (`ksf.io.write_xlsx`)
    "x_amounts_in": Phrase("amounts in {currency}", "金额单位：{currency}"),
    "x_rules": Phrase("rules {hash}", "规则版本 {hash}"),
    "x_line": Phrase("line", "项目"),
    "x_amount": Phrase("amount ({currency})", "金额（{currency}）"),
    "x_how": Phrase("how it was computed", "计算过程"),
    "x_row": Phrase("row {row}", "第 {row} 行"),
    "x_payroll": Phrase("payroll", "工资表"),  # the payroll sheet's name
    "x_card": Phrase("card", "计薪卡"),
    "x_version": Phrase("version", "版本"),
}
# fmt: on


def say(lang: Lang, key: str, **values: object) -> str:
    """The phrase ``key`` in ``lang``, its ``{name}`` marks filled in with ``values``."""
    phrase = PHRASES[key]
    return (phrase.zh if lang == "zh" else phrase.en).format(**values)


def line_word(name: str, lang: Lang) -> str:
    """A line's name as shown: the names ksf gives itself (base, min_pay_topup) in ``lang``."""
    names = {"base": "base_line", "allowance": "allowance_line", "min_pay_topup": "topup_name"}
    key = names.get(name)
    return name if key is None else say(lang, key)


def people_row(row: int, lang: Lang) -> str:
    """A 0-based row as people count it: ``row 2``, ``第 2 行`` for row 1 (payslips)."""
    return say(lang, "people_row", row=row + 1)


def row_in_file(noun: str, line: int, file: str, lang: Lang) -> str:
    """Where a row is in its file: ``line 3 of july.csv``, ``july.csv 第 3 行``.

    ``noun``: ``"lines"`` (a text file) or ``"sheet rows"`` (a workbook), as `io.Table` says.
    """
    key = "file_sheet_row" if noun == "sheet rows" else "file_line"
    return say(lang, key, line=line, file=file)


def currency_word(currency: str, lang: Lang) -> str:
    """How the total names its currency: ``CNY``; in Chinese ``元`` for CNY and RMB."""
    return "元" if lang == "zh" and currency.upper() in YUAN else currency


def check_lang(lang: str) -> Lang:
    """``lang`` as a `Lang`, or a ValueError naming the two there are."""
    match lang:
        case "en" | "zh":
            return lang
        case _:
            msg = f"lang must be 'zh' or 'en', not {lang!r}"
            raise ValueError(msg)
