"""Messages of the ledger (`ksf.ledger`, LANGUAGE.md §13), ``ksf ledger`` and ``ksf rerun``."""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# ---- opening a ledger -----------------------------------------------------------------------
THE_LEDGER = Say("the ledger (ksf.Ledger)", "台账（ksf.Ledger）")
CANNOT_OPEN = Say("{ledger} cannot be opened as a ledger: {reason}",
                  "无法把 {ledger} 作为台账打开：{reason}")
NEWER_SCHEMA = Say(
    "{ledger} has ledger schema version {found}; this ksf reads versions up to {known}: "
    "upgrade ksf to use it",
    "{ledger} 的台账结构版本是 {found}；这个版本的 ksf 最高只能读取版本 {known}：请升级 ksf")

# ---- posting --------------------------------------------------------------------------------
NO_PERIOD = Say(
    "the payroll has no period; evaluate it with period= (evaluate(data, period='2026-08'), "
    "ksf run --period 2026-08) before posting it",
    "这份工资表没有期间；过账前请带期间计算（evaluate(data, period='2026-08')，"
    "ksf run --period 2026-08）")
NO_IDS = Say(
    "the payroll has no employee ids; the ledger keeps every row by its employee: give the "
    "data an id column (employee, 工号 …) or evaluate(..., id_column=...)",
    "这份工资表没有员工编号；台账按员工保存每一行：请在数据中提供编号列（employee、工号 等），"
    "或使用 evaluate(..., id_column=...)")
NO_INPUTS = Say(
    "the payroll was not computed by Rulebook.evaluate, so the values its cards read are "
    "unknown and the ledger cannot store them",
    "这份工资表不是由 Rulebook.evaluate 计算的，不知道计薪卡读取了哪些数值，台账无法保存")
ALREADY_POSTED = Say(
    "period {period} is already posted (posting {posting}, {posted_at}); to post it again "
    "and keep the old posting as superseded, pass replace=True (ksf run --post --replace)",
    "期间 {period} 已经过账（过账 {posting}，{posted_at}）；如需重新过账并把旧的过账保留为"
    "已被取代，请传入 replace=True（ksf run --post --replace）")
CLOSED = Say(
    "period {period} is closed ({closed_at}): its posting is final and cannot be replaced",
    "期间 {period} 已结账（{closed_at}）：其过账为最终结果，不能再替换")
NOT_POSTED = Say("period {period} is not posted in {ledger}; posted: {periods}",
                 "{ledger} 中没有期间 {period} 的过账；已过账的期间：{periods}")
NONE_POSTED = Say("none", "无")
NO_POSTING = Say("{ledger} has no posting {posting}", "{ledger} 中没有过账 {posting}")
TWO_COLUMNS = Say(
    "the posting names {name} twice among the values its cards read",
    "这次过账在计薪卡读取的数值中两次出现了 {name}")

# ---- history --------------------------------------------------------------------------------
NOT_A_VALUE = Say(
    "{name} is neither a line nor a value the cards read in the posted periods {periods}",
    "{name} 既不是已过账期间 {periods} 中的项目，也不是计薪卡读取的数值")

# ---- the command line: ksf ledger and ksf rerun ---------------------------------------------
POSTED = Say("posted {period}: {rows} rows, total {total} (posting {posting})",
             "已过账 {period}：{rows} 行，合计 {total}（过账 {posting}）")
REPLACED = Say("posted {period} again: posting {posting} supersedes posting {old}",
               "已重新过账 {period}：过账 {posting} 取代了过账 {old}")
CLOSED_NOW = Say("closed {period}: posting {posting} is final",
                 "已结账 {period}：过账 {posting} 为最终结果")
WAS_CLOSED = Say("{period} was already closed ({closed_at})", "{period} 早已结账（{closed_at}）")
EXPORTED = Say("wrote {path} ({rows} rows of {period})", "已写出 {path}（{period} 的 {rows} 行）")
HEAD_PERIOD = Say("period", "期间")
HEAD_POSTING = Say("posting", "过账")
HEAD_ROWS = Say("rows", "行数")
HEAD_TOTAL = Say("total", "合计")
HEAD_RULES = Say("rules", "规则")
HEAD_POSTED = Say("posted at", "过账时间")
HEAD_CLOSED = Say("closed at", "结账时间")
SHOW_EMPTY = Say("{ledger}: nothing posted yet", "{ledger}：尚无任何过账")
SUPERSEDED = Say("  superseded: posting {posting} ({posted_at}), total {total}",
                 "  已被取代：过账 {posting}（{posted_at}），合计 {total}")
OPEN = Say("open", "未结账")
POST_NEEDS = Say("--post needs --ledger LEDGER and --period PERIOD",
                 "--post 需要同时给出 --ledger LEDGER 和 --period PERIOD")
REPLACE_NEEDS = Say("--replace goes with --post", "--replace 须与 --post 一起使用")
NOT_POSTED_HINT = Say("{period} not posted: add --post to post it to {ledger}",
                      "{period} 未过账：加上 --post 即可过账到 {ledger}")
RERUN_SAME = Say(
    "{period}: recomputed {rows} rows with the posted rules ({rulebook}) and data: "
    "every amount as posted",
    "{period}：已用过账时的规则（{rulebook}）和数据重新计算 {rows} 行：每个金额都与过账一致")
RERUN_DIFFERS = Say(
    "{period}: {count} amounts differ from the posting (recomputed with the posted rules "
    "{rulebook} and data):",
    "{period}：有 {count} 个金额与过账不同（用过账时的规则 {rulebook} 和数据重新计算）：")
RERUN_LINE = Say("  {employee} {line}: posted {posted}, now {now} ({change})",
                 "  {employee} {line}：过账 {posted}，现在 {now}（{change}）")
RERUN_MORE = Say("  … and {count} more", "  ……另有 {count} 处")
