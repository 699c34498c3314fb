"""Every message ksf shows a person exists in English and in Chinese (issue 14).

A message is a catalogue entry and its figures (`ksf.message`); these tests hold the
catalogue to both spellings and show one error written in each language, with a keyword
quoted as the rule file spells it.
"""

from __future__ import annotations

import pickle
import string

import pytest

import ksf
from ksf import catalogue
from ksf.errors import DataError, suggest
from ksf.message import Keyword, Say

ENTRIES = catalogue.entries()


def _fields(template: str) -> set[str]:
    """The ``{name}`` figures a template fills."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _chinese(text: str) -> bool:
    """Whether ``text`` holds a CJK character."""
    return any("\u4e00" <= c <= "\u9fff" for c in text)


@pytest.mark.parametrize("entry", sorted(ENTRIES), ids=str)
def test_every_entry_is_said_in_both_languages(entry):
    """Each entry has an English and a Chinese spelling that fill the same figures."""
    said = ENTRIES[entry]
    assert said.en.strip()
    assert said.zh.strip()
    assert _fields(said.en) == _fields(said.zh)
    words = "".join(literal for literal, *_ in string.Formatter().parse(said.en))
    if any(c.isalpha() for c in words):
        assert _chinese(said.zh), f"{entry}: {said.zh!r} is not Chinese"


def test_an_entry_without_its_translation_cannot_be_made():
    """The catalogue cannot hold an entry whose Chinese fills other figures or is English."""
    with pytest.raises(ValueError, match="different figures"):
        Say("`{clause}` must be above 0", "必须大于 0")
    with pytest.raises(ValueError, match="no Chinese"):
        Say("`{clause}` must be above 0", "`{clause}` must be above 0")


def test_a_message_needs_all_its_figures():
    """Saying an entry without one of its figures is a programming error, found at once."""
    with pytest.raises(TypeError, match="needs clause"):
        Say("`{clause}` must be above 0", "`{clause}` 必须大于 0")()


def test_a_keyword_is_spelt_as_the_file_spells_it():
    """A quoted keyword follows the rule file's spelling, whatever the message's language."""
    said = Say("`{clause}` must be above 0", "`{clause}` 必须大于 0")(clause=Keyword("step"))
    assert said.text("en") == "`step` must be above 0"
    assert said.text("zh") == "`每` 必须大于 0"
    assert said.text("zh", keywords="en") == "`step` 必须大于 0"
    assert said.text("en", keywords="zh") == "`每` must be above 0"


def test_a_did_you_mean_hint_is_written_in_either_language():
    """`suggest` joins up to three names with the language's own word for "or"."""
    hint = suggest("revenu", ["revenue", "revenues", "cogs"])
    assert hint is not None
    assert hint.text("en") == "did you mean 'revenue' or 'revenues'?"
    assert hint.text("zh") == "是不是要写 'revenue' 或 'revenues'？"


def test_a_data_error_renders_in_chinese_and_survives_pickling():
    """The words around a data error follow the language; pickling keeps the message."""
    error = DataError(
        Say("{count} values are not numbers", "{count} 个值不是数字")(count=2),
        column="sales",
        rows=[0, 3],
        labels=["E1", "E4"],
    )
    assert (
        str(error) == "data error: 2 values are not numbers (column 'sales')\n  employees: E1, E4"
    )
    assert error.render("zh") == "数据错误：2 个值不是数字（列 'sales'）\n  员工：E1, E4"
    again = pickle.loads(pickle.dumps(error))  # noqa: S301  (our own bytes)
    assert again.render("zh") == error.render("zh")


def test_an_unknown_card_is_reported_in_chinese():
    """`UnknownCardError.named` says what cards there are, and the closest, in Chinese."""
    error = ksf.errors.UnknownCardError.named("opertor", ["operator", "lead"])
    assert error.render("zh") == (
        "数据错误：没有计薪卡 'opertor'；规则文件中有：operator, lead；是不是要写 'operator'？"
    )


def test_a_rule_error_renders_its_frame_in_chinese():
    """`error:` and `hint:` around a diagnostic are written in the reader's language."""
    with pytest.raises(ksf.KsfSyntaxError) as info:
        ksf.compile("card a {\n  base 100\n  gross_margin balance 30% stp 1% reward 200\n}\n")
    zh = info.value.render("zh")
    en = info.value.render("en")
    assert en == str(info.value)
    assert en.startswith("<string>:3:28: error: ")
    assert zh.startswith("<string>:3:28: 错误: ")
    assert en.endswith("\nhint: did you mean 'step'?")
    assert zh.endswith("\n提示：是不是要写 'step'？")
