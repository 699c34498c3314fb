"""Messages of ``ksf serve``: the titles and details of its problem answers (RFC 9457)."""

from __future__ import annotations

from ksf.message import Say

# fmt: off

# ---- problem titles: one per kind of answer that is not a payroll -------------------------
RULE_ERROR = Say("the rule text has errors", "规则文本有错误")
DATA_ERROR = Say("the data cannot be evaluated", "数据无法计算")
UNKNOWN_RULEBOOK = Say("no rulebook of that name", "没有这个名字的规则集")
UNKNOWN_EMPLOYEE = Say("no such employee in the rows sent", "发送的数据里没有这名员工")
NOT_AUTHORISED = Say("a valid bearer token is needed", "需要有效的 Bearer 令牌")
BODY_TOO_LARGE = Say("the request body is too large", "请求体过大")
RULES_TOO_LARGE = Say("the rule text is too large", "规则文本过长")
TOO_MANY_ROWS = Say("too many rows in one request", "一次请求的行数过多")
TOO_SLOW = Say("the evaluation took too long", "计算超时")
BAD_MEDIA_TYPE = Say("a body of this media type cannot be read", "无法读取这种媒体类型的请求体")
NOT_FOUND = Say("no such path in this service; /docs lists them",
                "服务里没有这个路径；/docs 列出了所有路径")
BAD_REQUEST = Say("the request does not match the API", "请求与接口不符")
NOT_ACCEPTABLE = Say("no answer in a media type the request accepts",
                     "没有请求可接受的媒体类型的结果")
INTERNAL = Say("ksf failed on this request; the service's log says more",
               "ksf 处理这个请求时出错；详情见服务日志")

# ---- details ---------------------------------------------------------------------------------
BODY_LIMIT = Say("the body has more than {limit} bytes, the limit this service is run with",
                 "请求体超过 {limit} 字节，这是服务设定的上限")
RULES_LIMIT = Say("the rule text has {size} characters; the limit is {limit}",
                  "规则文本有 {size} 个字符；上限是 {limit}")
ROWS_LIMIT = Say("the request has {rows} rows; the limit is {limit}",
                 "请求有 {rows} 行；上限是 {limit}")
TIME_LIMIT = Say("the payroll was not done in {seconds} s, the limit this service is run with",
                 "工资在 {seconds} 秒内没有算完，这是服务设定的上限")
RULEBOOK_NAMED = Say("no rulebook {name}; the service has: {names}",
                     "没有规则集 {name}；服务里有：{names}")
RULEBOOK_BROKEN = Say("the rulebook {name} does not compile; fix its file: {error}",
                      "规则集 {name} 编译不通过；请修改它的文件：{error}")
NO_RULEBOOKS = Say("(none)", "（无）")
MEDIA_TYPE = Say("{media_type}: send application/json, text/csv or "
                 "application/vnd.apache.parquet",
                 "{media_type}：请发送 application/json、text/csv 或 "
                 "application/vnd.apache.parquet")
ACCEPTS = Say("{accept}: the payroll is answered as application/json, text/csv or XLSX",
              "{accept}：工资结果可返回 application/json、text/csv 或 XLSX")
TOKEN_MISSING = Say("send the header 'Authorization: Bearer <token>'",
                    "请发送请求头 'Authorization: Bearer <令牌>'")
TOKEN_WRONG = Say("the token is not this service's", "令牌不是本服务的")
EMPLOYEE_OR_ROW = Say("name the employee (employee) or the row (row) to explain",
                      "请指定要解释的员工（employee）或行号（row）")
ROW_OUT_OF_RANGE = Say("row {row} is not among the {rows} rows sent (rows count from 0)",
                       "第 {row} 行不在发送的 {rows} 行之内（行号从 0 开始）")
NOT_A_FOLDER = Say("{path} is not a folder; --rules names the folder of the .ksf files to serve",
                   "{path} 不是文件夹；--rules 应指向存放 .ksf 文件的文件夹")
NOT_ENCODED = Say(
    "the body is not {charset} text; send UTF-8 (Excel: save as 'CSV UTF-8'), or name the "
    "encoding: Content-Type: text/csv; charset=GBK",
    "请求体不是 {charset} 文本；请发送 UTF-8（Excel 中另存为“CSV UTF-8”），"
    "或写明编码：Content-Type: text/csv; charset=GBK",
)
UNKNOWN_CHARSET = Say("charset={charset} is no encoding Python knows; send UTF-8 or GBK",
                      "charset={charset} 不是已知的编码；请发送 UTF-8 或 GBK")
BODY_NOT_JSON = Say("the body is not JSON: line {line}, column {column}: {error}",
                    "请求体不是合法的 JSON：第 {line} 行第 {column} 列：{error}")
NO_CARDS_IN_FILE = Say(
    "the file has no card; the rulebook keeps its last version that had cards (an editor "
    "may have emptied the file before writing it)",
    "文件里没有计薪卡；服务继续使用这个规则集上一个有计薪卡的版本（编辑器可能在写入前清空了文件）",
)
BROKEN_RULEBOOK = Say("the rulebook does not compile", "规则集编译不通过")
POST_NEEDS_PERIOD = Say("a payroll is posted for a period: send \"period\": \"2026-08\"",
                        "工资按期间过账：请发送 \"period\": \"2026-08\"")
LEDGER_REFUSED = Say("the ledger refused the posting", "台账拒绝了这次过账")
SERVING = Say("ksf serve: {count} rulebooks from {folder} on http://{host}:{port}",
              "ksf serve：从 {folder} 载入 {count} 个规则集，地址 http://{host}:{port}")
