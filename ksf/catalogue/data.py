"""Messages of binding rules to data and evaluating them: columns, params, ids, cards, pools.

Binding (`ksf.bind`) and reading columns (`ksf.columns`, `ksf.cell_numbers`) are here; the
rest of evaluation is in `data_run` (cards, pools, groups, kernels), `data_rows` (params,
ids, each row's card, the payroll) and `data_tables` (the indicator library's raw tables).
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# ---- bind: names → columns, params, the library ---------------------------------------------
MATRIX_KEY = Say("key `{key}` of table `{table}`", "系数表 `{table}` 的键 `{key}`")
KEY_NUMBERS_NAMED = Say(
    "{what} is compared with the name `{cell}`, but column `{column}` holds numbers",
    "{what} 与名称 `{cell}` 比较，但列 `{column}` 存的是数字")
KEY_NUMBERS_NAMED_HINT = Say(
    "write the numbers the column holds in that key's cells (`1, >= 90 : 1.5`), "
    "or pass a text column",
    "请在该键的单元格中写这一列实际存的数字（`1, >= 90 : 1.5`），或改用文本列")
KEY_TEXT_NUMBERS = Say(
    "{what} is compared with `{cell}`, but column `{column}` holds text",
    "{what} 与 `{cell}` 比较，但列 `{column}` 存的是文本")
KEY_TEXT_NUMBERS_HINT = Say(
    'compare a text key with names or quoted text (`A`, "Senior"), or pass a number column',
    '文本键请与名称或带引号的文本比较（`A`、"Senior"），或改用数字列')
GROUP_NO_COLUMN = Say("the data has no column `{column}` for `{what}`",
                      "数据中没有 `{what}` 所需的列 `{column}`")
GROUP_OVER_HINT = Say("`over` names the column whose equal values make a group, or `{all}`",
                      "`over`（`按`）后写一个列名，该列取值相同的行为一组；或写 `{all}`")
COLUMN_HOLDS_TEXT = Say("column `{name}` holds text, not numbers",
                        "列 `{name}` 存的是文本，不是数字")
COLUMN_HOLDS_TEXT_HINT = Say("check the column's values; numbers may not carry units or words",
                             "请检查该列的值；数字中不能带单位或文字")
UNKNOWN_NAME = Say("unknown name `{name}`", "未知名称 `{name}`")
LIBRARY_NEEDS_COLUMN = Say(
    "the standard indicator `{name}` needs the column {columns}, which the data lacks",
    "标准指标 `{name}` 需要列 {columns}，数据中没有")
LIBRARY_NEEDS_COLUMNS = Say(
    "the standard indicator `{name}` needs the columns {columns}, which the data lacks",
    "标准指标 `{name}` 需要列 {columns}，数据中没有")
UNKNOWN_NAME_HINT = Say(
    "it is not defined in the file, not a column of the data, not a param, "
    "and not a standard indicator",
    "它既没有在文件中定义，也不是数据的列、参数或标准指标")
KPI_LOWER_BETTER = Say(
    "KPI `{kpi}` is lower-is-better, so its challenge must be lower than its baseline",
    "KPI `{kpi}` 越低越好，所以挑战值必须低于底线值")
KPI_HIGHER_BETTER = Say(
    "KPI `{kpi}` is higher-is-better, so its challenge must be higher than its baseline",
    "KPI `{kpi}` 越高越好，所以挑战值必须高于底线值")
BY_NO_COLUMN = Say("the data has no column `{column}` for `{name} {by} {column}`",
                   "数据中没有 `{name} {by} {column}` 所需的列 `{column}`")
BEYOND_WRONG_SIDE = Say(
    "`{beyond} {at} {kind}` is on the wrong side of the balance point {balance}",
    "`{beyond} {at} {kind}` 位于平衡点 {balance} 错误的一侧")
BEYOND_HIGHER_HINT = Say(
    "higher is better here, so `{reward}` tiers go above the balance point and "
    "`{penalty}` tiers below it",
    "这里越高越好，所以 `{reward}` 档位应在平衡点之上，`{penalty}` 档位在其之下")
BEYOND_LOWER_HINT = Say(
    "lower is better here, so `{reward}` tiers go below the balance point and "
    "`{penalty}` tiers above it",
    "这里越低越好，所以 `{reward}` 档位应在平衡点之下，`{penalty}` 档位在其之上")
BEYOND_SAME_POINT = Say("two `{beyond}` tiers start at the same point",
                        "两个 `{beyond}` 档位从同一点开始")
POOL_NO_COLUMN = Say("the data has no column `{column}` for `{what} {column}` of pool `{pool}`",
                     "数据中没有奖金池 `{pool}` 的 `{what} {column}` 所需的列 `{column}`")
SPLIT_COLUMN_TEXT = Say("the split column `{column}` holds text, not weights",
                        "分配列 `{column}` 存的是文本，不是权重")
# a decision matrix called with a text column at a number key and a number column at the
# text key: the two arguments swapped (`ksf.bind`, `ksf.matrix_args`)
MATRIX_ARGS_SWAPPED = Say(
    "arguments look swapped: {table} takes ({keys})",
    "参数似乎写反了：{table} 的参数依次是 ({keys})",
)
SWAPPED_COLUMNS_HINT = Say(
    "call it as {call}: a text column goes to the key compared with names, a number column "
    "to the key compared with numbers",
    "请写成 {call}：文字列传给与名称比较的键，数字列传给与数字比较的键",
)

# ---- columns: the data taken apart into columns ---------------------------------------------
LENGTHS_DIFFER = Say("columns differ in length ({detail})", "各列长度不一致（{detail}）")
ITERATOR_COLUMN = Say("column {column} is an iterator; pass a list or an array",
                      "列 {column} 是迭代器；请传入列表或数组")
NOT_ONE_DIMENSIONAL = Say("column {column} must be one-dimensional, got {shape}",
                          "列 {column} 必须是一维的，实际为 {shape}")
A_SINGLE_VALUE = Say("a single value", "单个值")
SHAPE = Say("shape {shape}", "形状 {shape}")
DATA_TYPE_UNREADABLE = Say(
    "cannot read data of type {kind}; pass a mapping of column name → values, "
    "a pandas or polars DataFrame, or a pyarrow Table",
    "无法读取类型为 {kind} 的数据；请传入“列名 → 值”的映射、pandas 或 polars DataFrame，"
    "或 pyarrow Table")
TWO_COLUMNS_NAMED = Say("the data has two columns named {column}; rename one",
                        "数据中有两列都叫 {column}；请给其中一列改名")
SURROGATE_NAME = Say(
    "column name '{name}' holds a lone surrogate, not text: the bytes it came from "
    "were not decoded as UTF-8; fix the name",
    "列名 '{name}' 含有孤立代理字符，不是正常文本：其原始字节没有按 UTF-8 解码；请修正列名")
SURROGATE_CELLS = Say(
    "column {column} holds a lone surrogate (undecodable bytes) in text; decode "
    "the source as UTF-8 and fix the cell",
    "列 {column} 的文本中含有孤立代理字符（无法解码的字节）；请按 UTF-8 解码数据源并修正该单元格")
SPARSE_COLUMN = Say(
    "column {column} is a scipy.sparse {kind}; pass its values as a dense 1-D array "
    "(.toarray().ravel())",
    "列 {column} 是 scipy.sparse {kind}；请以稠密的一维数组传入其值（.toarray().ravel()）")

# ---- cell_numbers: each cell a number or text -----------------------------------------------
NARROW_FLOAT = Say(
    "column {column} is {dtype}, which keeps only about {digits} significant digits "
    "({example}): read or cast it as float64",
    "列 {column} 的类型是 {dtype}，只能保留约 {digits} 位有效数字（{example}）："
    "请按 float64 读取或转换")
NARROW_FLOAT_EXAMPLE = Say("{given} becomes {kept}", "{given} 会变成 {kept}")
BEYOND_EXACT = Say(
    "column {column} holds whole numbers beyond 2**53, which cannot be held exactly as "
    "numbers (e.g. {example}); ksf keeps such a column as text, for ids; an amount that "
    "large is not a pay figure",
    "列 {column} 含有超过 2**53 的整数，无法作为数字精确保存（例如 {example}）；ksf 把这样的列"
    "当作文本（用于工号等编号）；这么大的金额不可能是薪酬数字")
RECORDS = Say("column {column} holds records (fields {fields}); pass one field per column",
              "列 {column} 存的是记录（字段 {fields}）；请每列只传一个字段")
COMPLEX = Say("column {column} holds complex numbers; pay is computed from real numbers",
              "列 {column} 存的是复数；薪酬只能用实数计算")
RAW_BYTES = Say("column {column} holds raw bytes ({dtype}); pass numbers or text",
                "列 {column} 存的是原始字节（{dtype}）；请传入数字或文本")
UNDECODED_BYTES = Say("column {column} holds bytes that are not text; decode them first",
                      "列 {column} 存的字节不是文本；请先解码")
CONTAINER_CELL = Say(
    "column {column} holds a container ({kind}) in a cell; each cell must be one number "
    "or text: flatten it into columns",
    "列 {column} 的单元格中有容器（{kind}）；每个单元格只能是一个数字或一段文本：请拆成多列")
TOO_LARGE = Say(
    "column {column} holds a number too large to compute with ({digits} digits; "
    "a float64 ends near 1.8e308)",
    "列 {column} 中有一个大到无法计算的数字（{digits} 位；float64 的上限约为 1.8e308）")
TEXT_NOT_NUMBER = Say("column {column} holds text where the rules need numbers, e.g. {cell}",
                      "列 {column} 在规则需要数字的地方存的是文本，例如 {cell}")
TEXT_NOT_NUMBER_YES_NO = Say(
    "column {column} holds text where the rules need numbers, e.g. {cell}; a yes/no column "
    "needs 1 for yes (是) and 0 for no (否) (in .xlsx, TRUE/FALSE cells)",
    "列 {column} 在规则需要数字的地方存的是文本，例如 {cell}；是/否列请用 1 表示是、0 表示否"
    "（.xlsx 中可用 TRUE/FALSE 单元格）")
