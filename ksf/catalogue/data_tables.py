"""Messages of the raw tables `ksf.indicators.aggregate` reads.

Orders, returns, receipts, skus, owners, exchange rates and targets (each error names the
table, column and rows).
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# ---- tables: one raw table and its columns --------------------------------------------------
TABLE_LENGTHS_DIFFER = Say("the columns of the {table} table differ in length ({detail})",
                           "{table} 表的各列长度不一致（{detail}）")
TABLE_NO_COLUMN = Say("the {table} table has no column {column}", "{table} 表中没有列 {column}")
TABLE_OTHER_COLUMNS = Say(
    "the {table} table has no column {column}; its other columns are {others}",
    "{table} 表中没有列 {column}；它的其他列是 {others}")
NEGATIVE_VALUES = Say("negative values", "有负值")
VALUES_BELOW = Say("values below {minimum}", "有小于 {minimum} 的值")
NOT_A_NUMBER = Say("not a number", "不是数字")
EMPTY_OR_INFINITE = Say("empty or infinite values", "有空值或无穷大的值")
NOT_0_OR_1 = Say("values other than 0 and 1", "有 0 和 1 以外的值")
EMPTY_CELLS = Say("empty cells", "有空单元格")
IDS_WHOLE = Say("ids must be text or whole numbers", "编号必须是文本或整数")
NOT_A_DATE = Say("not a date (write 2026-07-31)", "不是日期（请写成 2026-07-31）")
EMPTY_DATES = Say("empty dates", "有空日期")
TABLE_COLUMN_NOT_1D = Say("column {column} of the {table} table must be one-dimensional",
                          "{table} 表的列 {column} 必须是一维的")
TABLE_UNREADABLE = Say(
    "cannot read the {table} table from a {kind}; pass a mapping of column name → values, "
    "a pandas or polars DataFrame, or a pyarrow Table",
    "无法从 {kind} 读取 {table} 表；请传入“列名 → 值”的映射、pandas 或 polars DataFrame，"
    "或 pyarrow Table")

# ---- space: SKUs, dates, exchange rates and owners ------------------------------------------
SKU_TWICE = Say("the same SKU on more than one row", "同一 SKU 出现在多行中")
NO_ORDER_LINES = Say("there are no order lines; pass start and end to aggregate an empty range",
                     "没有任何订单行；如要汇总一个空的区间，请传入 start 和 end")
DATED_OUTSIDE = Say(
    "{count} rows dated outside {start} .. {end}; pass start and end that cover them, "
    "or leave them out",
    "有 {count} 行的日期在 {start} .. {end} 之外；"
    "请传入能覆盖这些日期的 start 和 end，或去掉这些行")
RATES_POSITIVE = Say("rates must be greater than 0", "汇率必须大于 0")
RATE_TWICE = Say("more than one rate for a currency and month", "同一币种同一月份有多个汇率")
NO_RATE = Say(
    "no exchange rate to {currency} for {pairs}; add them to the fx table (currency, month, rate)",
    "缺少以下币种月份折算为 {currency} 的汇率：{pairs}；"
    "请把它们加入 fx 表（currency、month、rate）")
OWNS_TWICE = Say("the same employee owns an SKU twice in one role",
                 "同一员工在同一角色下重复拥有同一 SKU")
SHARES_POSITIVE = Say("shares must be greater than 0", "分成比例必须大于 0")
SHARES_ADD_UP = Say("the shares of one SKU in one role must add up to 1",
                    "同一 SKU 在同一角色下的分成比例之和必须为 1")

# ---- aggregate and measures: owners, targets and quantities ---------------------------------
UNOWNED = Say(
    "{count} SKU–role pairs have no owner, e.g. no {role} for SKU {sku}; add them to the "
    "owners table",
    "有 {count} 个 SKU–角色组合没有负责人，例如 SKU {sku} 没有 {role}；请把它们加入 owners 表")
OWNS_NO_SKU_IN_ROLE = Say("the employee owns no SKU in that role",
                          "该员工在这个角色下没有负责的 SKU")
TARGET_TWICE = Say("more than one target row for an employee, role and period",
                   "同一员工、角色和期间有多行目标")
UNKNOWN_EMPLOYEES = Say("employees who own no SKU", "这些员工不负责任何 SKU")
UNKNOWN_PERIODS = Say("periods that are not periods of the aggregation ({first} … {last}; months "
                      "are written 2026-07, quarters 2026Q3)",
                      "这些期间不在汇总范围内（{first} … {last}；"
                      "月份写作 2026-07，季度写作 2026Q3）")
UNKNOWN_ROLES = Say("roles that no owner has", "这些角色没有任何负责人")
NEGATIVE_QUANTITIES = Say("negative quantities: returns belong in the returns table",
                          "数量为负：退货应记入 returns 表")
NO_REFERENCE_COST = Say("SKUs received without a reference_cost in the skus table",
                        "有 SKU 已入库，但 skus 表中没有它的 reference_cost")
