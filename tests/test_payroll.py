"""The API a Python engineer expects: explain by employee id, a payroll that joins its
DataFrame, `to_polars`, `names()` with what pools read, and one "no such card" error.
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import polars as pl
import pytest

import ksf
import ksf.plot
import ksf.testing

# E1: 5000 + 2 steps × 150 = 5300; E2: at the balance point, 5000; E3: 1 step, 5150.
BOOK = ksf.compile(
    "card operator { base 5000; gross_margin balance 25% step 1% reward 150 as margin_pay }\n"
    "card developer { base 6000 }"
)
CARD = "operator"


def operators(ids, **kwargs):
    """The three rows above, with the given ids (and any other columns)."""
    data = {"employee": ids, "gross_margin": [0.27, 0.25, 0.26], **kwargs}
    return BOOK.evaluate(data, card=CARD)


# --- explain by employee id ------------------------------------------------------------------


def test_explain_a_text_id_picks_the_employees_row():
    """explain("E2") was an internal TypeError; it is row 1's explanation."""
    pay = operators(["E1", "E2", "E3"])
    assert pay.explain("E2") == pay.explain(1)
    assert pay.explain("E2").splitlines()[0] == "E2 (row 1), card operator"


def test_an_int_is_a_row_number_even_when_ids_are_numbers():
    """explain(1) is row 1 (id 102), not id 1; explain(id=102) and explain("102") find 102."""
    pay = operators([101, 102, 1])
    assert pay.explain(1).splitlines()[0] == "102 (row 1), card operator"
    assert pay.explain(id=1).splitlines()[0] == "1 (row 2), card operator"
    assert pay.explain(id=102) == pay.explain("102") == pay.explain(row=1)


def test_a_numeric_id_matches_a_text_id_that_reads_as_it():
    """Ids read from text ("102") are found by explain(id=102) and explain(id=102.0)."""
    pay = operators(["101", "102", "x"])
    assert pay.explain(id=102) == pay.explain(id=102.0) == pay.explain(1)


def test_an_unknown_id_is_a_key_error_and_a_data_error_with_close_ids():
    """explain("E1O2") names E102, the id that reads like it; the error is a KsfError."""
    pay = operators(["E101", "E102", "F999"])
    with pytest.raises(ksf.UnknownEmployeeError) as info:
        pay.explain("E1O2")
    error = info.value
    assert isinstance(error, KeyError)
    assert isinstance(error, ksf.DataError)
    assert str(error) == (
        "data error: no row has the id 'E1O2'; did you mean 'E102'? (column 'employee')"
    )
    assert error.column == "employee"
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert type(again) is ksf.UnknownEmployeeError
    assert str(again) == str(error)


def test_an_id_without_an_id_column_says_how_to_name_one():
    """No id column: the error says to pass id_column= or explain by row number."""
    pay = BOOK.evaluate({"gross_margin": [0.27]}, card=CARD)
    with pytest.raises(ksf.UnknownEmployeeError, match="id_column="):
        pay.explain("E1")


def test_an_id_on_two_rows_explains_both_rows():
    """Where the data repeats an id on purpose, explain("E1") gives rows 0 and 2, in order."""
    pay = ksf.Payroll(
        lines=["base"],
        amounts=np.zeros((1, 3)),
        total=np.zeros(3),
        card_names=["a"],
        card_codes=None,
        rulebook_hash="",
        currency="CNY",
        ids=np.array(["E1", "E2", "E1"]),
        explainer=lambda row, lang: f"row {row}",
        id_column="employee",
    )
    assert pay.explain("E2") == "row 1"
    assert pay.explain("E1") == "row 0\n\nrow 2"


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1.5,), {}), ((), {}), ((0,), {"id": "E1"}), ((True,), {})],
    ids=["float", "neither", "both", "bool"],
)
def test_explain_refuses_what_is_neither_a_row_number_nor_an_id(args, kwargs):
    """A float row, no argument, both arguments, or True: TypeError saying what it takes."""
    pay = operators(["E1", "E2", "E3"])
    with pytest.raises(TypeError, match="explain takes a row number"):
        pay.explain(*args, **kwargs)


def test_explain_by_row_number_still_works_as_before():
    """LANGUAGE.md §8: explain(0); negative rows count from the end; out of range is IndexError."""
    pay = operators(["E1", "E2", "E3"])
    assert pay.explain(0).splitlines()[0] == "E1 (row 0), card operator"
    assert pay.explain(np.int64(-1)) == pay.explain(2)
    with pytest.raises(IndexError):
        pay.explain(3)


# --- to_pandas keeps the index; to_polars -------------------------------------------------------


def test_to_pandas_keeps_a_dataframe_inputs_index_so_join_pairs_each_row():
    """A sorted, filtered frame (index 7, 3, 5) joins its own payslips: E1 5300, E2 5000."""
    df = pd.DataFrame(
        {"employee": ["E1", "E2", "E3"], "gross_margin": [0.27, 0.25, 0.26]}, index=[7, 3, 5]
    )
    pay = BOOK.evaluate(df, card=CARD)
    joined = df.join(pay.to_pandas()[["total"]])
    assert joined["total"].tolist() == [5300.0, 5000.0, 5150.0]
    assert joined.loc[3, "total"] == 5000.0
    assert pay.to_pandas().index.tolist() == [7, 3, 5]


def test_to_pandas_index_choices():
    """'range' gives 0, 1, 2; 'id' indexes by employee and drops the id column."""
    df = pd.DataFrame(
        {"employee": ["E1", "E2", "E3"], "gross_margin": [0.27, 0.25, 0.26]},
        index=pd.Index(["a", "b", "c"], name="key"),
    )
    pay = BOOK.evaluate(df, card=CARD)
    assert pay.to_pandas().index.name == "key"
    assert pay.to_pandas(index="range").index.tolist() == [0, 1, 2]
    by_id = pay.to_pandas(index="id")
    assert by_id.loc["E3", "total"] == 5150.0
    assert "id" not in by_id.columns
    with pytest.raises(ValueError, match="index must be"):
        pay.to_pandas(index="rows")


def test_to_pandas_of_a_mapping_input_is_numbered_from_zero():
    """A dict has no index: 0, 1, 2 …; index='id' without ids is a ValueError."""
    pay = BOOK.evaluate({"gross_margin": [0.27, 0.25]}, card=CARD)
    assert pay.to_pandas().index.tolist() == [0, 1]
    with pytest.raises(ValueError, match="needs employee ids"):
        pay.to_pandas(index="id")


def test_to_polars_has_the_columns_of_to_pandas():
    """Same columns and values as to_pandas: id, card, each line, total."""
    pay = operators(["E1", "E2", "E3"])
    frame = pay.to_polars()
    assert isinstance(frame, pl.DataFrame)
    assert frame.columns == ["id", "card", "base", "margin_pay", "total"]
    assert frame["total"].to_list() == [5300.0, 5000.0, 5150.0]
    assert frame["id"].to_list() == ["E1", "E2", "E3"]


def test_to_polars_without_polars_says_how_to_install_it(monkeypatch):
    """Like the other extras: ImportError with the pip command."""
    import builtins

    real_import = builtins.__import__

    def no_polars(name, *args, **kwargs):
        if name == "polars":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_polars)
    with pytest.raises(ImportError, match=r"pip install 'ksf\[polars\]'"):
        operators(["E1", "E2", "E3"]).to_polars()


# --- names() with what pools read ---------------------------------------------------------------

POOLS = ksf.compile(
    "pool team_pool per team { (team_profit - costs) above 100000 share 10%; split by hours }\n"
    "pool flat { company_profit above 0 share 1% }\n"
    "card lead { base 8000; bonus 100 when rating > 3; share team_pool }\n"
    "card other { base 1; share flat }"
)


def test_names_include_the_columns_the_cards_pools_read():
    """The pool's per column, split-by weights and profit names come with the card."""
    assert POOLS.names("lead") == ("costs", "hours", "rating", "team", "team_profit")
    assert POOLS.names("other") == ("company_profit",)


def test_data_for_draws_what_the_cards_pools_read_once_per_group():
    """ksf.testing draws a pool's base, key and weights; the base is one value per team."""
    from hypothesis import given, settings

    @settings(max_examples=10, database=None, deadline=None)
    @given(ksf.testing.data_for(POOLS, "lead", max_rows=6))
    def check(data):
        assert sorted(data) == ["costs", "hours", "rating", "team", "team_profit"]
        for team in np.unique(data["team"]):
            rows = data["team"] == team
            assert len(np.unique(data["team_profit"][rows] - data["costs"][rows])) == 1
        POOLS.evaluate(data, card="lead")

    check()


# --- one error for "no such card" ---------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: BOOK.evaluate({"gross_margin": [0.3]}, card="opertor"),
        lambda: BOOK.evaluate({"gross_margin": [0.3, 0.3], "card": ["operator", "opertor"]}),
        lambda: BOOK.names("opertor"),
        lambda: BOOK.check_columns(["gross_margin"], cards=["opertor"]),
        lambda: ksf.testing.data_for(BOOK, "opertor"),
        lambda: ksf.testing.assert_monotone(BOOK, "opertor", "gross_margin"),
        lambda: ksf.plot.curve(BOOK, "opertor", "margin_pay"),
    ],
    ids=["card=", "card column", "names", "check_columns", "data_for", "assert_monotone",
         "plot"],
)  # fmt: skip
def test_every_way_of_naming_a_card_raises_unknown_card_error(call):
    """evaluate raised DataError, names/testing/plot KeyError; now one class that is both."""
    with pytest.raises(ksf.UnknownCardError) as info:
        call()
    assert isinstance(info.value, ksf.DataError)
    assert isinstance(info.value, KeyError)
    assert "'opertor'" in str(info.value)
    assert "operator, developer" in str(info.value)


def test_an_unknown_card_argument_suggests_the_closest_card():
    """card="opertor": the message names the file's cards and the one meant."""
    with pytest.raises(ksf.UnknownCardError) as info:
        BOOK.evaluate({"gross_margin": [0.3]}, card="opertor")
    assert str(info.value) == (
        "data error: there is no card 'opertor'; the rule file has: operator, developer; "
        "did you mean 'operator'?"
    )


def test_an_unknown_card_in_the_column_keeps_its_class_when_labelled_with_ids():
    """With an id column, the rows are named by employee, and the error stays UnknownCardError."""
    with pytest.raises(ksf.UnknownCardError) as info:
        BOOK.evaluate({"employee": ["E1", "E2"], "gross_margin": [0.3, 0.3],
                       "card": ["operator", "opertor"]})  # fmt: skip
    assert (info.value.column, info.value.rows, info.value.labels) == ("card", (1,), ("E2",))
