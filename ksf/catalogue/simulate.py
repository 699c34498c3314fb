"""Messages of ``ksf simulate`` (`ksf.design.simulate`): its refusals, its table and its files."""

from __future__ import annotations

from ksf.message import Say

# fmt: off

# ---- what the simulation refuses -----------------------------------------------------------
NO_HISTORY = Say(
    "card `{card}` has no rows in the history: a simulation draws each card's months from "
    "its own history; add its rows (card column `{card}`), or leave it out with "
    "employees={{'{card}': 0}} (--employees {card}=0)",
    "计薪卡 `{card}` 在历史数据中没有任何行：测算只从每张卡自己的历史中抽取月份；"
    "请补上它的行（card 列为 `{card}`），或用 employees={{'{card}': 0}}"
    "（--employees {card}=0）把它排除在外",
)
TOO_SHORT = Say(
    "card `{card}` has {rows} row of history; a simulation draws from at least {least} "
    "(one row would make every simulated month the same)",
    "计薪卡 `{card}` 只有 {rows} 行历史；测算至少需要 {least} 行"
    "（只有一行时每个模拟月份都完全相同）",
)
GROUP_CARD = Say(
    "card `{card}` {reads}: that amount depends on the whole team of the month, which "
    "drawing each employee's row on its own does not rebuild; leave the card out with "
    "employees={{'{card}': 0}} (--employees {card}=0)",
    "计薪卡 `{card}` {reads}：该金额取决于当月整个团队，而逐人抽取历史行无法重建整个团队；"
    "请用 employees={{'{card}': 0}}（--employees {card}=0）把它排除在外",
)
READS_POOL = Say("shares the pool `{pool}`", "分享奖金池 `{pool}`")
READS_GROUP = Say("reads the group aggregate `{text}`", "读取分组汇总 `{text}`")
BAD_RUNS = Say("runs must be a whole number of at least 1, not {runs}",
               "模拟次数须为至少 1 的整数，而不是 {runs}")
BAD_EMPLOYEES = Say(
    "employees of card `{card}` must be a whole number of at least 0, not {count}",
    "计薪卡 `{card}` 的人数须为至少 0 的整数，而不是 {count}",
)
NOTHING_TO_SIMULATE = Say(
    "every card has 0 employees: there is nothing to simulate",
    "所有计薪卡的人数都是 0：没有可测算的内容",
)
EMPLOYEES_FORM = Say(
    "--employees {text}: write CARD=N (operator=12) or one N for every card",
    "--employees {text}：请写成 卡名=人数（operator=12），或写一个人数用于所有计薪卡",
)

FORMAT = Say("cannot tell the format of {path}; a simulation is written as .csv, .xlsx or .json",
             "无法判断 {path} 的格式；测算结果可写为 .csv、.xlsx 或 .json 文件")

# ---- the table -------------------------------------------------------------------------------
TITLE = Say(
    "Simulated pay: {runs} months drawn from {rows} rows of history (seed {seed}), "
    "amounts in {currency}",
    "薪酬测算：从 {rows} 行历史中抽取 {runs} 个模拟月份（随机种子 {seed}），金额单位 {currency}",
)
CARD_HEADING = Say(
    "{card}: {employees} employees, {rows} rows of history",
    "{card}：{employees} 人，历史 {rows} 行",
)
CARD_COST = Say("cost a month: P5 {p5}, median {p50}, P95 {p95}",
                "每月成本：P5 {p5}，中位数 {p50}，P95 {p95}")
TEAM_COST = Say(
    "Team cost a month: P5 {p5}, median {p50}, P95 {p95}, mean {mean}",
    "团队每月成本：P5 {p5}，中位数 {p50}，P95 {p95}，平均 {mean}",
)
NOTE_PAY = Say("P5/P50/P95: one employee's amount in a simulated month.",
               "P5/P50/P95：一名员工在一个模拟月份中的金额。")
NOTE_SIDES = Say(
    "Above/below: the share of simulated months on the good/bad side of the line's balance "
    "point (n/a: the line has none).",
    "高于/低于：指标处于平衡点好的一侧/差的一侧的模拟月份占比（不适用：该项目没有平衡点）。",
)
NOTE_COST = Say(
    "Cost: the card's mean cost a month; of GP: as a share of the same months' gross profit.",
    "成本：该卡每月平均成本；占毛利：占同期毛利的比例。",
)
NOTE_MARKS = Say(
    "Best/worst: the line's pay in history's best and worst month for its indicator; "
    "balance: its pay at the balance point.",
    "最好/最差：按该项目的指标，历史上最好与最差月份的金额；平衡：平衡点处的金额。",
)
HEAD_LINE = Say("line", "项目")
HEAD_ABOVE = Say("above", "高于")
HEAD_BELOW = Say("below", "低于")
HEAD_COST = Say("cost", "成本")
HEAD_SHARE = Say("of GP", "占毛利")
HEAD_BEST = Say("best", "最好")
HEAD_BALANCE = Say("balance", "平衡")
HEAD_WORST = Say("worst", "最差")
TOTAL = Say("total", "合计")
NOT_APPLICABLE = Say("n/a", "不适用")
WROTE = Say("wrote {path}", "已写入 {path}")

# ---- the XLSX sheet's headings (`ksf simulate -o sim.xlsx --lang zh`) -----------------------
SHEET = Say("simulation", "测算")
FIELD_CARD = Say("card", "计薪卡")
FIELD_LINE = Say("line", "项目")
FIELD_KIND = Say("kind", "类型")
FIELD_EMPLOYEES = Say("employees", "人数")
FIELD_HISTORY_ROWS = Say("history rows", "历史行数")
FIELD_SHARE_ABOVE = Say("share above balance", "高于平衡点占比")
FIELD_SHARE_BELOW = Say("share below balance", "低于平衡点占比")
FIELD_COST = Say("cost a month", "每月成本")
FIELD_COST_P5 = Say("cost P5", "每月成本 P5")
FIELD_COST_P50 = Say("cost P50", "每月成本 P50")
FIELD_COST_P95 = Say("cost P95", "每月成本 P95")
FIELD_GROSS_PROFIT = Say("gross profit a month", "每月毛利")
FIELD_COST_SHARE = Say("cost share of gross profit", "成本占毛利")
FIELD_BEST = Say("best", "最好")
FIELD_BALANCE = Say("balance", "平衡点")
FIELD_WORST = Say("worst", "最差")
