"""Messages of the command line: usage errors, file problems and what commands report.

argparse's own usage line and ``--help`` text stay English (docs/cli.md); everything else
the ``ksf`` command prints is here, or in `ksf.catalogue.io` and `ksf.explain_words`.
"""

from __future__ import annotations

from ksf.message import Say

# fmt: off
# ---- the frame of every report --------------------------------------------------------------
USAGE = Say("ksf: error: {message}", "ksf：错误：{message}")
NO_SUCH_FILE = Say("no such file: {path}", "没有这个文件：{path}")
IS_A_DIRECTORY = Say("{path} is a directory, not a file", "{path} 是目录，不是文件")
OS_FAILURE = Say("{path}: {reason}", "{path}：{reason}")  # the reason is the system's words
INTERRUPTED = Say("ksf: interrupted", "ksf：已中断")
INTERNAL = Say(
    "ksf: internal error: {kind}: {text}\n"
    "this is a bug in ksf ({where}); please report it with the command line that caused it",
    "ksf：内部错误：{kind}: {text}\n"
    "这是 ksf 自身的缺陷（{where}）；请连同引发它的命令行一起报告")
DATA_IN_FILE = Say("{path}: {error}", "{path}：{error}")

# ---- check and fmt --------------------------------------------------------------------------
CHECK_NEEDS_DATA = Say("--card, --param, --sheet and --data-format go with --data DATA",
                       "--card、--param、--sheet 和 --data-format 须与 --data DATA 一起使用")
CHECKED = Say("{path}: ok{against} — cards {cards}", "{path}：通过{against}——计薪卡 {cards}")
AGAINST = Say(" against {data}", "（已对照 {data}）")
NO_CARDS = Say("(none)", "（无）")
WARNINGS = Say("{path}: {count} warnings", "{path}：{count} 条警告")
ONE_WARNING = Say("{path}: 1 warning", "{path}：1 条警告")
ALREADY_FORMATTED = Say("{path}: already formatted", "{path}：已是规范格式")
WOULD_REFORMAT = Say("{path}: would be reformatted", "{path}：需要重新排版")
REFORMATTED = Say("{path}: reformatted", "{path}：已重新排版")
AS_WRITTEN = Say("{path} (as written)", "{path}（原文）")
AS_FORMATTED = Say("{path} (formatted)", "{path}（排版后）")

# ---- run, explain, payslip ------------------------------------------------------------------
NO_DIRECTORY = Say("-o {output}: there is no directory {missing}",
                   "-o {output}：目录 {missing} 不存在")
FORMAT_NEEDS_OUTPUT = Say("--format {format} needs -o FILE; csv, json and table can print",
                          "--format {format} 需要 -o FILE；只有 csv、json 和 table 能直接打印")
OUTPUT_IS_INPUT = Say("-o {output} is {what} ({name}); write the payroll to another file",
                      "-o {output} 就是{what}（{name}）；请把工资表写到另一个文件")
THE_RULE_FILE = Say("the rule file", "规则文件")
THE_DATA = Say("the data", "数据文件")
EXCEL_ROWS = Say("{rows} rows do not fit in an Excel sheet (at most {most}); use -o .csv",
                 "{rows} 行放不进一张 Excel 工作表（最多 {most} 行）；请用 -o .csv")
EXCEL_SHEETS = Say(
    "{rows} rows are too many payslip sheets for one workbook (at most {most}); add "
    "--no-payslips to write the payroll sheet alone",
    "{rows} 行的工资条工作表太多，一个工作簿放不下（最多 {most} 张）；"
    "加上 --no-payslips 只写工资表")
ROW_OUT_OF_RANGE = Say("--row {row}: the data has rows 0 to {last}",
                       "--row {row}：数据只有第 0 至 {last} 行")
NO_ID_COLUMN = Say(
    "the data has no id column ({columns}); name one with --id COLUMN, or pick a row with "
    "--row N",
    "数据中没有工号列（{columns}）；请用 --id COLUMN 指定一列，或用 --row N 选一行")
NO_SUCH_COLUMN = Say("{option} {name}: the data has no such column; it has: {columns}",
                     "{option} {name}：数据中没有这一列；现有的列：{columns}")
PAYSLIP_FORMATS = Say("-o {output}: payslips are written as .html or .xlsx",
                      "-o {output}：工资条只能写成 .html 或 .xlsx")
TOO_MANY_PAYSLIPS = Say("at most {most} payslips go in one file; pick one with --employee",
                        "一个文件最多放 {most} 张工资条；请用 --employee 选一位员工")
PAYSLIPS_WRITTEN = Say("{output}: {count} payslips", "{output}：{count} 张工资条")
ONE_PAYSLIP = Say("{output}: 1 payslip", "{output}：1 张工资条")
NO_DATA_ROWS = Say("the file has a header row but no data rows: nobody to pay",
                   "文件只有表头，没有数据行：没有人需要计薪")
NO_SUCH_CARD = Say("--card {card}: the rule file has no such card; its cards: {cards}",
                   "--card {card}：规则文件中没有这张计薪卡；它的计薪卡有：{cards}")
NO_SHEETS = Say("--sheet {sheet}: {data} is read as {kind}, which has no sheets",
                "--sheet {sheet}：{data} 按 {kind} 读取，没有工作表")
PARAM_FORM = Say("--param takes NAME=NUMBER, e.g. profit=1500000 or profit=150万; got {pair}",
                 "--param 的写法是 NAME=NUMBER，例如 profit=1500000 或 profit=150万；"
                 "收到的是 {pair}")
PARAM_TWICE = Say("--param {name} is given twice; give each param once",
                  "--param {name} 给了两次；每个参数只能给一次")

# ---- progress on a terminal, for big data (ksf.cli.render.Progress) --------------------------
READING = Say("reading {name}", "正在读取 {name}")
PARSING = Say("parsing {name}", "正在解析 {name}")
COMPUTING = Say("computing the payroll", "正在计算工资")
WRITING = Say("writing {name}", "正在写出 {name}")

# ---- plot -----------------------------------------------------------------------------------
SEVERAL_CARDS = Say("the file has several cards; pick one with --card ({cards})",
                    "文件中有多张计薪卡；请用 --card 选一张（{cards}）")
PLOTTED = Say("{output}: {card}.{line} over {indicator}{held}",
              "{output}：{card}.{line}，横轴 {indicator}{held}")
HELD = Say(" ({note})", "（{note}）")
RANGE_FORM = Say("--range takes LOW:HIGH with LOW < HIGH, e.g. 0.2:0.5; got {text}",
                 "--range 的写法是 LOW:HIGH，且 LOW < HIGH，例如 0.2:0.5；收到的是 {text}")

# ksf plot --at NAME=VALUE
AT_NOT_A_NUMBER = Say(
    "--at takes NAME=NUMBER, e.g. target_gm=25% or last_year_sales=100万; got {pair}",
    "--at 的写法是 名字=数字，例如 target_gm=25% 或 last_year_sales=100万；收到的是 {pair}",
)
AT_TWICE = Say("--at {name} is given twice; give each value once",
               "--at {name} 给了两次；每个值只给一次")
# fmt: on
