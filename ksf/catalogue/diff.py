"""Messages of comparing two plans (LANGUAGE.md §14): ``ksf diff``, `ksf.diff` and its files."""

from __future__ import annotations

from ksf.message import Say

# fmt: off

# ---- two rulebooks that cannot be compared ------------------------------------------------
PLAN_ERROR = Say("error: {message}", "错误：{message}")
OTHER_CURRENCY = Say(
    "{old} pays in {old_currency} and {new} in {new_currency}: amounts in two currencies "
    "cannot be compared; write the same `currency` in both files",
    "{old} 以 {old_currency} 计薪，{new} 以 {new_currency} 计薪：两种币种的金额无法比较；"
    "请在两个文件中写同一个 `currency`（币种）",
)
UNDER_BOOK = Say("under {book}: {message}", "按 {book} 计算时：{message}")
CARD_NOT_IN_BOOK = Say(
    "under {book}: {message}; a diff pays every row under both rulebooks: add the card to "
    "{book} (a new role in the plan), or leave its rows out of the data",
    "按 {book} 计算时：{message}；对比时每一行都要按两份规则各算一次：请在 {book} 中加上"
    "这张计薪卡（方案中新增的岗位），或从数据中去掉这些行",
)
DIFF_FORMATS = Say(
    "{output}: a diff is written as .csv, .xlsx, .json or .html",
    "{output}：对比结果只能写成 .csv、.xlsx、.json 或 .html 文件",
)
OUTPUT_IS_DATA = Say("-o {output} is the data ({name}); write the diff to another file",
                     "-o {output} 就是数据文件（{name}）；请把对比结果写到另一个文件")

# ---- words of the tables and files --------------------------------------------------------
ID = Say("id", "工号")
PERIOD = Say("period", "期间")
CARD = Say("card", "计薪卡")
LINE = Say("line", "项目")
TOTAL = Say("total", "合计")
OLD_TOTAL = Say("old total", "原合计")
NEW_TOTAL = Say("new total", "新合计")
OLD = Say("old", "原金额")
NEW = Say("new", "新金额")
CHANGE = Say("change", "变化")
OLD_HOW = Say("how the old rules pay it", "原规则算法")
NEW_HOW = Say("how the new rules pay it", "新规则算法")
NOT_ON_CARD = Say("(the card has no such line)", "（该计薪卡无此项目）")
ROWS = Say("rows", "行数")
WINNERS = Say("paid more", "增加")
LOSERS = Say("paid less", "减少")
UNCHANGED = Say("unchanged", "不变")
MEDIAN = Say("median change", "变化中位数")
MEDIAN_GAIN = Say("median gain", "增加中位数")
MEDIAN_LOSS = Say("median loss", "减少中位数")
LARGEST_GAIN = Say("largest gain", "最大增加")
LARGEST_LOSS = Say("largest loss", "最大减少")
WHO = Say("who", "员工")
OLD_COST = Say("old cost", "原成本")
NEW_COST = Say("new cost", "新成本")
COST_CHANGE = Say("cost change", "成本变化")
IN_CURRENCY = Say("{heading} ({currency})", "{heading}（{currency}）")
ROW = Say("row {row}", "第 {row} 行")  # 0-based in English, counted from 1 in Chinese
ALL_CARDS = Say("all cards", "全部计薪卡")
LINES_ADDED = Say("lines added", "新增项目")
LINES_REMOVED = Say("lines removed", "删除项目")
SHEET_CARDS = Say("by card", "按计薪卡")
SHEET_EMPLOYEES = Say("by employee", "按员工")
SHEET_LINES = Say("lines changed", "变化项目")

# ---- what the command prints --------------------------------------------------------------
TITLE = Say("{old} → {new}", "{old} → {new}")
HEADLINE = Say(
    "{rows} rows: cost {old_cost} → {new_cost} {currency} ({change}); {winners} paid more, "
    "{losers} paid less, {unchanged} unchanged",
    "共 {rows} 行：成本 {old_cost} → {new_cost} {currency}（{change}）；{winners} 行增加，"
    "{losers} 行减少，{unchanged} 行不变",
)
CARD_LINES = Say("card {card}: {what} {lines}", "计薪卡 {card}：{what} {lines}")
CARDS_ONLY_OLD = Say(
    "cards only {book} has (no row of the data uses them): {cards}",
    "只有 {book} 才有的计薪卡（数据中没有行使用）：{cards}",
)
CARDS_ONLY_NEW = Say(
    "cards only {book} has (no row of the data uses them): {cards}",
    "只有 {book} 才有的计薪卡（数据中没有行使用）：{cards}",
)
BIGGEST = Say("the largest changes (the first {count} of {changed} rows that changed)",
              "变化最大的员工（{changed} 个有变化的行中的前 {count} 个）")
NO_CHANGE = Say("the two rulebooks pay every row the same", "两份规则对每一行的计薪完全相同")
WRITTEN = Say("{output}: the diff of {rows} rows ({changed} changed)",
              "{output}：{rows} 行的对比（{changed} 行有变化）")
