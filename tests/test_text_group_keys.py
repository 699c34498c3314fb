"""Text keys of group aggregates (LANGUAGE.md §11) grouped from their packed characters,
with no Python string per row: the same groups as the strings themselves."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ksf
from ksf import text_keys

SUM = "card c { bonus sum(x over team) as s }"


def _sums(teams: list[str], x: list[float]) -> list[float]:
    pay = ksf.compile(SUM).evaluate({"team": teams, "x": x}, card="c")
    return pay["s"].tolist()


def _by_hand(teams: list[str], x: list[float]) -> list[float]:
    """Each row's team total, added up in Python one team at a time."""
    totals: dict[str, float] = {}
    for team, value in zip(teams, x, strict=True):
        totals[team] = totals.get(team, 0.0) + value
    return [totals[team] for team in teams]


def test_latin_chinese_and_long_keys_group_as_strings() -> None:
    """Short, Chinese, astral and long keys, and keys one character apart, each a group."""
    teams = ["北区", "南区", "北区", "team-a", "team-b", "team-a", "🐉队", "🐉队"]
    teams += ["a very long store name 1", "a very long store name 2", "a very long store name 1"]
    x = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0]
    # 北区 1 + 4 = 5; team-a 8 + 32 = 40; 🐉队 64 + 128 = 192; "…name 1" 256 + 1024 = 1280
    assert _sums(teams, x) == [5, 2, 5, 40, 16, 40, 192, 192, 1280, 512, 1280]


@pytest.mark.parametrize(
    "keys",
    [
        ["ab", "abc", "ab", "b"],
        ["东", "東", "东"],
        ["x" * 9, "x" * 8, "x" * 9],
        ["1", "01", "1"],
        ["team", "team1", "team", "team12"],
        ["same", "same", "same"],
        ["abc1234", "abc5678", "abc1234"],
        ["12345678", "87654321", "12345678"],
    ],
    ids=[
        "prefix",
        "simplified-traditional",
        "word-boundary",
        "leading-zero",
        "stem",
        "one",
        "middle-bits",
        "all-bits",
    ],
)
def test_keys_that_share_characters_are_different_groups(keys: list[str]) -> None:
    """Codes of packed characters: a key and its prefix, or a near twin, are two groups."""
    codes, count, blank = text_keys.text_codes(np.array(keys))
    assert count == len(set(keys))
    assert blank is None
    assert codes[0] == codes[2]
    assert len(set(codes.tolist())) == len(set(keys))


def test_a_hash_shared_by_two_long_keys_falls_back_to_strings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Long keys whose hashes all collide (forced) are grouped from the strings instead."""
    keys = np.array(["store number one", "store number two", "store number one"])

    def one_group(key: object) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(3, dtype=np.intp), np.zeros(1, np.uint64)  # one group: a collision

    monkeypatch.setattr(text_keys, "_factorize", one_group)
    codes, count, _ = text_keys.text_codes(keys)
    assert count == 2
    assert codes[0] == codes[2] != codes[1]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(
                st.characters(codec="utf-8", exclude_categories=("Z", "C")), min_size=1, max_size=12
            ),
            st.integers(0, 99),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_text_group_sums_equal_sums_by_hand(rows: list[tuple[str, int]]) -> None:
    """Any text keys: each row's team sum is the sum of its team's values added by hand."""
    # a letter first: never a number, never blank; no spaces or controls, which cells lose
    teams = [f"k{team}" for team, _ in rows]
    x = [float(v) for _, v in rows]  # whole numbers: every order of addition is exact
    assert _sums(teams, x) == _by_hand(teams, x)


def test_without_pandas_text_keys_group_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """With pandas absent (it is optional), a sort of the packed keys gives the same sums."""
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` raises ImportError
    teams = ["北区", "南区", "北区", "a very long store name 1", "a very long store name 1"]
    # 北区 1 + 4 = 5; the long name 8 + 16 = 24
    assert _sums(teams, [1.0, 2.0, 4.0, 8.0, 16.0]) == [5, 2, 5, 24, 24]


@pytest.mark.parametrize("pandas", ["installed", "absent"])
@pytest.mark.parametrize("name", ["北区", "a very long store name"], ids=["short", "long"])
def test_an_empty_text_key_names_its_rows(
    monkeypatch: pytest.MonkeyPatch, pandas: str, name: str
) -> None:
    """Rows 1 and 3 with no team: a DataError naming the column and exactly those rows."""
    if pandas == "absent":
        monkeypatch.setitem(sys.modules, "pandas", None)
    data = {"team": [name, "", name, ""], "x": [1.0, 2.0, 3.0, 4.0]}
    with pytest.raises(ksf.DataError) as error:
        ksf.compile(SUM).evaluate(data, card="c")
    assert (error.value.column, error.value.rows) == ("team", (1, 3))
