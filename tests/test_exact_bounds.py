"""Float error bounds that follow a value into tier thresholds and scores; data-boundary crashes.

Each figure is worked by hand in the comment next to it (LANGUAGE.md 3.2, 5, 7).
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

import ksf
from ksf.io.read import parse_json
from ksf.rulebook import format_text

# ---- retroactive commission tiers (LANGUAGE.md 3.2 with 7) -----------------------------------


def test_retroactive_tier_reached_by_a_difference_equal_to_its_threshold() -> None:
    """A base of 4,798,925.63 − 4,798,548 = 377.63 reaches `beyond 377.63`: all of it at 10%."""
    book = ksf.compile(
        "card c { commission sales - refunds rate 1% beyond 377.63 rate 10% retroactive as c }"
    )
    pay = book.evaluate({"sales": [4_798_925.63, 4_798_925.62], "refunds": [4_798_548] * 2})
    # 377.63 × 10% = 37.763 → 37.76 (floats make it 377.62999999988824, which is equal);
    # 377.62 is below the threshold: 377.62 × 1% = 3.7762 → 3.78
    assert pay["c"].tolist() == [37.76, 3.78]
    assert "the whole 377.63 × 10% = 37.763" in pay.explain(0)


def test_retroactive_tier_reached_within_the_error_of_the_millions_subtracted() -> None:
    """1,000,000,000.41 − 1,000,000,000 is 0.41 by hand, 0.40999997 in floats: the tier is reached.

    0.00000003 is far more than one part in 10^9 of 0.41, but it is the float error of the
    billions subtracted (their ulp is 1.2e-7), so the base's magnitude bound covers it.
    """
    book = ksf.compile(
        "card c { commission sales - refunds rate 1% beyond 0.41 rate 50% retroactive as c }"
    )
    sales = [1_000_000_000.41, 1_000_000_000.40, 1_000_000_000.43]
    pay = book.evaluate({"sales": sales, "refunds": [1e9] * 3})
    # 0.41 × 50% = 0.205 → 0.21; 0.40 × 1% = 0.004 → 0.00; 0.43 × 50% = 0.215 → 0.22
    assert pay["c"].tolist() == [0.21, 0.0, 0.22]


@pytest.mark.parametrize("at", ["100", "q"])
def test_half_cents_of_tiers_on_a_base_that_cancels_digits(at: str) -> None:
    """1,957,000.15 − 1,956,900 = 100.15 by hand (100.14999999990687 in floats): every half
    cent it makes, marginal, retroactive or scaled, tiers written or read per row, rounds up.
    """
    tiers = f"commission (sales - refunds) rate 1% beyond {at} rate 10%"
    book = ksf.compile(
        f"card c {{ {tiers} as m\n  {tiers} retroactive as r\n"
        f"  {tiers} retroactive scaled_by k as s }}"
    )
    data = {"sales": [1_957_000.15], "refunds": [1_956_900.0], "q": [100.0], "k": [3.0]}
    pay = book.evaluate(data)
    # marginal 100 × 1% + 0.15 × 10% = 1.015 → 1.02; retroactive 100.15 × 10% = 10.015 → 10.02;
    # × 3 = 30.045 → 30.05. In floats each is 1e-11 below its half: the bound (the base's
    # millions × the steepest rate 10%) takes it onto the half.
    assert [pay[line].tolist() for line in "mrs"] == [[1.02], [10.02], [30.05]]


def test_retroactive_commission_on_a_constant_base() -> None:
    """`commission 2 … retroactive` pays the same on every row (the base is one number)."""
    book = ksf.compile(
        "card c { commission 2 rate 0.05 beyond 100000 rate 5% retroactive floor 0 as a\n"
        "  commission 200000 rate 1% beyond 100000 rate 5% retroactive as b }"
    )
    pay = book.evaluate({"x": [1, 2, 3]})
    assert pay["a"].tolist() == [0.1, 0.1, 0.1]  # 2 × 0.05, the tier not reached
    assert pay["b"].tolist() == [10_000.0] * 3  # 200,000 × 5%, all of it past 100,000


def test_retroactive_tier_on_a_param_base() -> None:
    """A param base (one number for every row) reaches its tier on each row."""
    book = ksf.compile(
        "card c { commission target * 3 rate 1% beyond 3 rate 10% retroactive as c }"
    )
    pay = book.evaluate({"x": [1, 2]}, params={"target": 0.9999999999})
    # 2.9999999997 is 3 up to one part in 10^9: 3 × 10% = 0.3
    assert pay["c"].tolist() == [0.3, 0.3]


# ---- steps of a file indicator that subtracts (LANGUAGE.md 3.1) -------------------------------


def test_steps_of_an_indicator_that_subtracts_large_amounts() -> None:
    """`indicator net = sales - refunds`: 908,342.96 − 908,338.1 = 4.86; 4 / 0.01 = 400 steps."""
    book = ksf.compile(
        "indicator net = sales - refunds\ncard c { net balance 0.86 step 0.01 reward 1 as n }"
    )
    pay = book.evaluate({"sales": [908_342.96], "refunds": [908_338.1]})
    assert pay["n"].tolist() == [400.0]


# ---- half cents through a score (LANGUAGE.md 5 with 7) -----------------------------------------

SCORE_OF_A_DIFFERENCE = """
indicator d = a - b
score s {
  d weight 100% baseline 0% target 100% challenge 200%
}
card c { bonus s as sb }
"""


def test_half_cent_through_a_score_whose_kpi_subtracts_large_amounts() -> None:
    """d = 200,000.000125 − 200,000 = 0.000125: 60 + 40 × 0.000125 = 60.005 points → 60.01."""
    book = ksf.compile(SCORE_OF_A_DIFFERENCE)
    pay = book.evaluate({"a": [200_000.000125, 0.000125], "b": [200_000, 0]})
    # the same d written as a column (0.000125 − 0) pays the same
    assert pay["sb"].tolist() == [60.01, 60.01]


def test_a_score_scaling_a_difference_keeps_a_tight_bound() -> None:
    """−41.075 × 0.972 = −39.9249 is 1/100 of a cent from −39.925: it rounds to −39.92.

    The scale is a score whose KPI subtracts 845,492; the product's error is each factor's
    error times the other factor (about 1e-6 here), not the product of their magnitudes.
    """
    book = ksf.compile(
        """
        indicator m = x7 - x8
        score s {
          x6 weight 4% baseline 95% target 102% challenge 112.3% higher_is_better
          m weight 96% baseline 13.7% target 3.7% challenge -11% lower_is_better
          points 60 90 100
        }
        card c { bonus x4 - x5 scaled_by (s / 100) as l }
        """
    )
    data = {"x4": [606_070.125], "x5": [606_111.2], "x6": [1.02]}
    pay = book.evaluate({**data, "x7": [845_491.92675], "x8": [845_492]})
    # x6 = 102% is the target: 90 points × 4% = 3.6; m = −0.07325, 7.325% better than the
    # target by 3.7% + 7.325% = 11.025% of the 14.7% to the challenge: 90 + 10 × 0.75 = 97.5
    # points × 96% = 93.6; score 97.2; −41.075 × 0.972 = −39.9249 → −39.92
    assert pay["l"].tolist() == [-39.92]


def test_a_kpi_that_subtracts_large_amounts_reaches_its_baseline() -> None:
    """m = 8,715,926.29 − 8,715,925.4 = 0.89 by hand, the baseline 89%: the baseline points.

    In floats m is 0.8899999987334, below 0.89 by 1.3e-9 (more than one part in 10^9 of
    0.89), but within the float error of the millions subtracted (their ulp is 1.9e-9).
    """
    book = ksf.compile(
        """
        indicator m = x14 - x15
        score s {
          m weight 100% baseline 89% target 92.8% challenge 112.8% higher_is_better
          points 50 100 150
        }
        card c { bonus s as l }
        """
    )
    pay = book.evaluate({"x14": [8_715_926.29, 8_715_926.28], "x15": [8_715_925.4] * 2})
    # 0.89 is the baseline: 50 points × 100% = 50; 0.88 is below it: 0 points
    assert pay["l"].tolist() == [50.0, 0.0]
    assert "m = 0.89 → 50 points × 100%" in pay.explain(0)
    # the same m written as a column (0.89) pays the same
    assert book.evaluate({"x14": [0.89], "x15": [0.0]})["l"].tolist() == [50.0]


def test_a_lower_is_better_kpi_that_subtracts_large_amounts_reaches_its_baseline() -> None:
    """m = 8,715,925.4 − 8,715,926.29 = −0.89, the baseline −89% lower_is_better: 50 points."""
    book = ksf.compile(
        """
        indicator m = x15 - x14
        score s {
          m weight 100% baseline -89% target -92.8% challenge -112.8% lower_is_better
          points 50 100 150
        }
        card c { bonus s as l }
        """
    )
    pay = book.evaluate({"x14": [8_715_926.29, 8_715_926.28], "x15": [8_715_925.4] * 2})
    # −0.89 is the baseline: 50 points; −0.88 is above it (worse): 0 points
    assert pay["l"].tolist() == [50.0, 0.0]


def test_a_condition_on_a_difference_of_billions_compares_within_its_error() -> None:
    """1,000,000,000.41 − 1,000,000,000 is 0.41 by hand (0.40999997 in floats): `>= 0.41` holds.

    0.00000003 is far more than one part in 10^9 of 0.41, but it is the float error of the
    billions subtracted (their ulp is 1.2e-7); 0.40 is a cent below and stays below.
    """
    book = ksf.compile(
        "card c { bonus 100 when sales - refunds >= 0.41 as b\n"
        "  bonus 100 when sales - refunds > 0.41 as strict\n"
        "  bonus 100 when sales - refunds == refunds - refunds + 0.41 as same }"
    )
    sales = [1_000_000_000.41, 1_000_000_000.40, 1_000_000_000.42]
    pay = book.evaluate({"sales": sales, "refunds": [1e9] * 3})
    # 0.41 ≥ 0.41 pays, 0.40 does not, 0.42 does
    assert pay["b"].tolist() == [100.0, 0.0, 100.0]
    # 0.41 > 0.41 is false: equal by hand
    assert pay["strict"].tolist() == [0.0, 0.0, 100.0]
    assert pay["same"].tolist() == [100.0, 0.0, 0.0]
    assert "compared 0.41 >= 0.41, equal up to float noise" in pay.explain(0)


def test_a_table_row_on_a_difference_of_billions_compares_within_its_error() -> None:
    """A table row `>= 0.41` is met by 1,000,000,000.41 − 1,000,000,000 = 0.41 by hand."""
    book = ksf.compile(
        "table t { >= 0.41 : 2; >= 0.2 : 1; else : 0 }\n"
        "table u { < 0.41 : 1; else : 0 }\n"
        "card c { bonus t(sales - refunds) as a\n  bonus u(sales - refunds) as b }"
    )
    sales = [1_000_000_000.41, 1_000_000_000.40, 1_000_000_000.1]
    pay = book.evaluate({"sales": sales, "refunds": [1e9] * 3})
    # 0.41 meets the first row: 2; 0.40 the second: 1; 0.1 (0.100000024 in floats) neither: 0
    assert pay["a"].tolist() == [2.0, 1.0, 0.0]
    # 0.41 < 0.41 is false: 0; 0.40 and 0.1 are below: 1
    assert pay["b"].tolist() == [0.0, 1.0, 1.0]


# ---- a lone surrogate in rule text --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("card a { base 1 }\n# \ud800", 2, 3),
        ("card a\udc00 { base 1 }", 1, 7),
        ("# \udc00", 1, 3),
    ],
)
def test_a_lone_surrogate_in_rule_text_is_a_located_syntax_error(
    text: str, line: int, column: int
) -> None:
    """compile and format refuse a lone surrogate at its line and column, printably."""
    for refuse in (ksf.compile, format_text):
        with pytest.raises(ksf.KsfSyntaxError, match="not valid Unicode") as error:
            refuse(text)
        assert (error.value.line, error.value.column) == (line, column)
        stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        print(error.value, file=stream)  # must not raise UnicodeEncodeError
        stream.flush()
        assert "\\u" in str(error.value)  # the excerpt shows it as an escape


def test_a_surrogate_in_a_rule_file_or_its_name_is_reported_printably(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """UTF-8 bytes of a surrogate are not UTF-8; an undecodable file name prints as an escape."""
    path = tmp_path / "rules.ksf"
    path.write_bytes(b"card a { base 1 }\n# \xed\xa0\x80\n")
    with pytest.raises(ksf.KsfSyntaxError, match="not UTF-8") as error:
        ksf.load(path)
    assert (error.value.line, error.value.column) == (2, 3)
    named = tmp_path / b"r\xff.ksf".decode("utf-8", "surrogateescape")
    named.write_bytes(b"card a { base }\n")
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.load(named)
    assert "r\\udcff.ksf:1:" in str(error.value)
    str(error.value).encode("utf-8")  # printable


# ---- integers past float64 in the data ---------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "rows"),
    [
        ([1, 10**400], (1,)),
        (np.array([1, -(10**400)], dtype=object), (1,)),
        ([1.0, "2", None, 10**400], (3,)),
    ],
)
def test_an_integer_too_large_for_a_float_is_a_data_error(column: object, rows: tuple) -> None:  # type: ignore[type-arg]
    """A 401-digit integer in a list or object column names the column and its row."""
    book = ksf.compile("card a { bonus x }")
    with pytest.raises(ksf.DataError, match="too large to compute with") as error:
        book.evaluate({"x": column})
    assert error.value.column == "x"
    assert error.value.rows == rows


def test_json_numbers_too_large_or_too_long() -> None:
    """JSON: a 401-digit number names its column and record; 5,000 digits is refused too."""
    records = [{"x": 1}, {"x": 10**400}]
    with pytest.raises(ksf.DataError, match="too large to compute with") as error:
        parse_json(json.dumps(records), "pay.json")
    assert error.value.column == "x"
    assert error.value.rows == (1,)
    with pytest.raises(ksf.DataError, match="more than 4,300 digits"):
        parse_json('[{"x": 1' + "0" * 5000 + "}]", "pay.json")


def test_a_long_integer_id_in_json_keeps_every_digit() -> None:
    """An id of 31 digits is text with all its digits, not the float 1e30 printed."""
    table = parse_json('[{"id": 1' + "0" * 30 + ', "x": 1}]', "pay.json", keep_text=["id"])
    assert table["id"].tolist() == ["1" + "0" * 30]


def test_an_xlsx_sheet_whose_xml_does_not_parse_is_a_data_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A cell holding `&#55296;` (a surrogate, no character) makes the sheet's XML invalid."""
    openpyxl = pytest.importorskip("openpyxl")
    import zipfile

    from ksf.io.read import read_data

    good = tmp_path / "good.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["id", "x"])
    workbook.active.append(["E01", "PLACEHOLDER"])
    workbook.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/"):
                data = data.replace(b"PLACEHOLDER", b"&#55296;")
            target.writestr(item, data)
    with pytest.raises(ksf.DataError, match="a damaged workbook: its sheet is not valid XML"):
        read_data(bad)
