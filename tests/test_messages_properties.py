"""The messages of ksf.testing's properties and `ksf lint --payout`, in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

import ksf
from ksf.catalogue import properties as say
from ksf.payout_lint import lint, report
from ksf.testing_monotone import first_wrong, sweep, violation

FAULTS = Path(__file__).parent / "faults"


def test_a_counterexample_reads_in_chinese():
    """The low-margin bonus's counterexample, in Chinese, names both rows and the line."""
    book = ksf.load(FAULTS / "f02_low_margin_bonus.ksf")
    run = sweep(book, "operator", "gross_margin", samples=1)
    wrong = first_wrong(run)
    assert wrong is not None
    text = violation(run, *wrong, lang="zh").text("zh")
    # At 19.99999%: −5 steps × 100 = −500 and the 500 bonus: 4000; at 20%: 3500.
    assert text.startswith(
        "计薪卡 'operator' 的应发合计在 `gross_margin` 从 0.1999999 升到 0.2 时下降，"
        "但标准指标 `gross_margin` 是 越高越好：\n"
        "  gross_margin = 0.1999999 时应发 4000.00\n"
        "  gross_margin = 0.2 时应发 3500.00\n"
        "  反向变动的项目：`clearance_bonus` 500.00 → 0.00\n"
    )


def test_a_binding_cap_quotes_the_keyword_as_a_chinese_file_spells_it():
    """`cap` is written 封顶 in the Chinese report."""
    book = ksf.compile("card c { base 5000; gross_margin balance 25% step 1% reward 150 cap 150 }")
    data = {"gross_margin": [0.3, 0.4, 0.2]}
    text = report(lint(book, data), "pay.ksf", "zh")
    # 30% and 40% are 5 and 15 steps: 750 and 2250, both capped at 150: 2 rows of 3.
    assert "  封顶/保底常触发：`gross_margin` 的封顶 150 对 67% 的数据行生效\n" in text
    assert text.startswith("pay.ksf：薪酬曲线检查：发现 1 处，其中问题 0 处\n计薪卡 c：\n")


def test_a_lint_usage_error_reads_in_chinese():
    """The message for a missing --payout has its Chinese spelling."""
    assert say.LINT_WHICH().text("zh") == "ksf lint 需要 --payout（目前只有这一种检查）"
    with pytest.raises(TypeError):
        say.LINT_CLIFF_OPTION()
