"""Messages of calibration (``ksf calibrate``, `ksf.calibrate`): its errors and its provenance.

A provenance comment is written into the rule file in the file's language; it starts with
`MARK`, so that a later calibration of the line replaces it rather than piling up.
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
MARK = Say("calibrated", "测算")
FAILED = Say("error: {message}", "错误：{message}")

# ---- what was asked --------------------------------------------------------------------------
AT_OR_SOLVE = Say("say what to calibrate: --at STATISTIC (a balance point from history) or "
                  "--solve CLAUSE --pay AMOUNT (a value that pays a target)",
                  "请说明测算什么：--at 统计量（由历史定平衡点）或 --solve 条款 --pay 金额"
                  "（求使计薪达到目标的值）")
AT_AND_SOLVE = Say("--at and --solve are two calibrations: ask for one at a time",
                   "--at 与 --solve 是两种测算：一次只做一种")
SOLVE_NEEDS_PAY = Say("--solve {clause} needs --pay AMOUNT, the pay to reach",
                      "--solve {clause} 需要 --pay 金额，即要达到的计薪")
ONLY_WITH_SOLVE = Say("{option} goes with --solve", "{option} 须与 --solve 一起使用")
ONLY_WITH_AT = Say("{option} goes with --at", "{option} 须与 --at 一起使用")
NO_LINES = Say("name the line to calibrate: --line CARD.LINE",
               "请指明要测算的计薪项：--line 计薪卡.计薪项")
SHARES_AND_LINES = Say("{shares} shares for {lines} lines: give one --share per --line, in order",
                       "{lines} 个计薪项却有 {shares} 个占比：每个 --line 对应一个 --share，按顺序")
BAD_SHARE = Say("a share is a percentage above 0% and at most 100%, not {share}",
                "占比须大于 0% 且不超过 100%，而不是 {share}")
BAD_PAY = Say("--pay must be a number above 0, not {pay}", "--pay 须为大于 0 的数，而不是 {pay}")
BAD_LINE_SPEC = Say("--line {spec}: write the card and the line as CARD.LINE, e.g. "
                    "operator.gross_margin",
                    "--line {spec}：请写成 计薪卡.计薪项，例如 operator.gross_margin")
NO_SUCH_LINE = Say("card {card} has no line {line}; its lines: {lines}",
                   "计薪卡 {card} 没有计薪项 {line}；它的计薪项：{lines}")
NOT_A_BALANCE_LINE = Say("{card}.{line} is not a balance rule: only a balance rule has a balance "
                         "point to set from history",
                         "{card}.{line} 不是平衡点规则：只有平衡点规则才有可由历史设定的平衡点")
CANNOT_SOLVE = Say("cannot solve the line {line} for {clause}: a balance rule is solved for "
                   "balance, reward, penalty or pot, a commission for rate",
                   "计薪项 {line} 不能求解 {clause}：平衡点规则可求解 平衡点、奖励、扣减 或 分配，"
                   "提成可求解 比例")
BAD_STATISTIC = Say("--at {asked}: use pNN (a percentile, p1 to p99), median or stretch "
                    "(p60 on the good side)",
                    "--at {asked}：请用 pNN（百分位，p1 至 p99）、median（中位数）或 stretch"
                    "（好的一侧的 p60）")
BAD_COLUMN_NAME = Say("{column} cannot be a column name in a rule file: use letters, digits and _",
                      "{column} 不能作为规则文件中的列名：请用字母、数字和 _")

# ---- history ---------------------------------------------------------------------------------
HISTORY_NEEDED = Say("--at needs the history: the rows of each role's past periods",
                     "--at 需要历史数据：各岗位以往各期的数据行")
NO_CARD_COLUMN = Say("{source} has no column {column} naming each row's card (its role)",
                     "{source} 没有标明每行计薪卡（岗位）的列 {column}")
NO_ID_COLUMN = Say("{source} has no column {column} to tell employees apart",
                   "{source} 没有区分员工的列 {column}")
NO_IDS = Say("{source} has no employee id column (employee, employee_id, id, 工号, …): "
             "a balance point per employee needs one",
             "{source} 没有员工编号列（employee、employee_id、id、工号……）：按员工设平衡点需要它")
NO_HISTORY = Say("{source} has no row of card {card}: no history to calibrate from "
                 "(its cards: {roles})",
                 "{source} 中没有计薪卡 {card} 的数据行：没有可用于测算的历史"
                 "（其中的计薪卡：{roles}）")
TOO_SHORT = Say("{card}.{line}: {p} needs at least {need} values, and {source} has {count} for "
                "this role; ask for a percentile nearer the middle, or give more periods",
                "{card}.{line}：{p} 至少需要 {need} 个值，而 {source} 中该岗位只有 {count} 个；"
                "请用更接近中间的百分位，或提供更多期的数据")
EMPLOYEES_TOO_SHORT = Say("{card}.{line}: {p} of each employee's own history needs at least "
                          "{need} values each, and these employees have fewer in {source}: {names}",
                          "{card}.{line}：按员工自身历史取 {p} 每人至少需要 {need} 个值，"
                          "{source} 中这些员工不足：{names}")
PAST_BEYOND = Say("{line}: the {stat} puts the balance point at {point}, at or past "
                  "`{beyond}`: move the beyond point first, or ask for a percentile further "
                  "from it",
                  "{line}：{stat} 使平衡点落在 {point}，已到达或越过 `{beyond}`："
                  "请先移动超过点，或换一个离它更远的百分位")
FOR_EMPLOYEE = Say("{point} for {who}", "{who} 的 {point}")
NO_MEDIAN = Say("{name} has no value in {source} for card {card}: give it with --when {name}=VALUE",
                "{source} 中计薪卡 {card} 的 {name} 没有值：请用 --when {name}=数值 给出")

# ---- solving ---------------------------------------------------------------------------------
WHEN_NOT_READ = Say("--when {name}: no line calibrated reads {name}; they read: {reads}. {hint}",
                    "--when {name}：所测算的计薪项都不读取 {name}；它们读取：{reads}。{hint}")
WHEN_MISSING = Say("the line {line} also reads {names}: give each with --when NAME=VALUE, or "
                   "give the history to take their median",
                   "计薪项 {line} 还读取 {names}：请用 --when 名称=数值 逐一给出，"
                   "或提供历史数据取其中位数")
STEP_PER_ROW = Say("the line {line} reads its step per row: a balance point to solve for needs "
                   "a step written as a number",
                   "计薪项 {line} 的每步按行读取：求解平衡点需要写成数字的每步")
DOES_NOT_DEPEND = Say("the line {line} pays {pay} at this performance whatever its {clause}: "
                      "its pay does not depend on it here",
                      "在此业绩下计薪项 {line} 无论 {clause} 取何值都计 {pay}：此处计薪与它无关")
UNREACHABLE = Say("no {clause} makes the line {line} pay {target} at this performance: it pays "
                  "from {low} to {high}",
                  "没有任何 {clause} 能使计薪项 {line} 在此业绩下计 {target}：它的计薪在 {low} 到 "
                  "{high} 之间")
CAPPED = Say("{message} (its cap is {cap})", "{message}（其封顶为 {cap}）")
JUMPS = Say("no {clause} makes the line {line} pay exactly {target} at this performance: its pay "
            "moves in whole steps, from {low} straight to {high}",
            "没有任何 {clause} 能使计薪项 {line} 在此业绩下恰好计 {target}：它的计薪按整步变化，"
            "从 {low} 直接跳到 {high}")
CLAUSE_NOT_WRITTEN = Say("the line does not write {clause}, and calibration cannot add it here",
                         "该计薪项没有写 {clause}，测算也无法在此处添加它")
DOES_NOT_COMPILE = Say("the calibrated rules do not compile: {error}",
                       "测算后的规则无法编译：{error}")

# ---- provenance (a comment in the rule file) ----------------------------------------------
FROM_HISTORY = Say("{mark}: {clause} {new} = {stat} of {value} ({found}), to whole steps of "
                   "{step}; {source}{periods}, {rows} rows{left}",
                   "{mark}：{clause} {new} = {value} 的 {stat}（{found}），按每 {step} 取整步；"
                   "{source}{periods}，{rows} 行{left}")
PER_EMPLOYEE = Say("{mark}: {clause} {new} per employee = each one's {stat} of {value}, to whole "
                   "steps of {step}, in {file}; {source}{periods}, {people} employees, {rows} rows"
                   "{left}",
                   "{mark}：{clause} {new} 按员工 = 每人 {value} 的 {stat}，按每 {step} 取整步，"
                   "见 {file}；{source}{periods}，{people} 名员工，{rows} 行{left}")
PERIODS = Say(", {first}..{last} ({count} periods)", "，{first}..{last}（{count} 期）")
LEFT_OUT = Say("; {count} rows without a value left out", "；{count} 行无值，未计入")
SOLVED = Say("{mark}: {clause} {new} pays {pay}{share} at {at}{how}{medians}",
             "{mark}：{clause} {new} 在 {at} 时计 {pay}{share}{how}{medians}")
SHARE_OF = Say(" ({share} of {total})", "，为 {total} 的 {share}")
DIVIDED = Say(" ({pay} ÷ {per})", "（{pay} ÷ {per}）")
DIVIDED_ROUNDED = Say(" ({pay} ÷ {per} = {exact}, written {new})",
                      "（{pay} ÷ {per} = {exact}，写作 {new}）")
MEDIANS = Say("; {names}: the median of {source}{periods}, {rows} rows",
              "；{names}：取 {source}{periods} 的中位数，{rows} 行")

# ---- the command line ------------------------------------------------------------------------
CHANGED = Say("{card}.{line}: {clause} {old} → {new}", "{card}.{line}：{clause} {old} → {new}")
UNCHANGED = Say("{card}.{line}: {clause} {new} (unchanged)",
                "{card}.{line}：{clause} {new}（未变）")
BAD_WHEN = Say("--when {pair}: write NAME=VALUE, e.g. sales=1000000 or gross_margin=30%",
               "--when {pair}：请写成 名称=数值，例如 sales=1000000 或 gross_margin=30%")
WHEN_TWICE = Say("--when {name} is given twice", "--when {name} 给出了两次")
WROTE = Say("wrote {path}", "已写入 {path}")
NOT_THE_INPUT = Say("-o {output} is the rule file itself: use --in-place to rewrite it",
                    "-o {output} 就是规则文件本身：如要改写它请用 --in-place")
IN_PLACE_AND_OUTPUT = Say("--in-place rewrites RULES itself: leave out -o, or --in-place",
                          "--in-place 会改写规则文件本身：请去掉 -o 或 --in-place 之一")
COLUMN_FILE_IS_INPUT = Say("--per-employee {path} is one of the inputs: name a new file for the "
                           "balance points",
                           "--per-employee {path} 是输入文件之一：请为平衡点另起一个文件名")
PER_EMPLOYEE_FILE = Say("--per-employee needs the CSV file to write the balance points to, "
                        "e.g. --per-employee balances.csv",
                        "--per-employee 需要写入平衡点的 CSV 文件，"
                        "例如 --per-employee balances.csv")
