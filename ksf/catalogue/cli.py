"""Messages of the command line: usage errors, file problems and what commands report."""

from __future__ import annotations

from ksf.message import Say

# fmt: off

# ksf plot --at NAME=VALUE
AT_NOT_A_NUMBER = Say(
    "--at takes NAME=NUMBER, e.g. target_gm=25% or last_year_sales=100万; got {pair}",
    "--at 的写法是 名字=数字，例如 target_gm=25% 或 last_year_sales=100万；收到的是 {pair}",
)
AT_TWICE = Say("--at {name} is given twice; give each value once",
               "--at {name} 给了两次；每个值只给一次")
