"""`ksf.simulate` and `ksf simulate`: the bootstrap of each card's history, worked by hand."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ksf
from ksf.cli import main
from ksf.design.draws import draw, percentiles

ONE_LINE = "card s { base 5000; sales balance 100 step 10 reward 50 penalty 40 }"


def _two_rows(**extra):
    """sales 130 pays +150 (3 steps × 50); sales 80 pays −80 (2 steps × 40)."""
    return ksf.simulate(ksf.compile(ONE_LINE), {"sales": [130, 80], **extra}, **_RUN)


_RUN = {"runs": 1000, "employees": 1, "seed": 3}


def test_two_rows_percentiles_and_marks_by_hand():
    """Two rows: P5 is the −80 row, P95 the +150 row; best/balance/worst are 150/0/−80."""
    line = _two_rows().card("s").line("sales")
    # Each row is drawn about half of 1,000 times, far more than 5%: the lowest 5% of the
    # draws are all −80 and the highest 5% all +150.
    assert (line.p5, line.p95) == (-80.0, 150.0)
    # best: the row with the highest sales (130, +150); worst: the lowest (80, −80); at the
    # balance point 100 the line pays its pot, 0.
    assert (line.best, line.balance, line.worst) == (150.0, 0.0, -80.0)
    # Every draw is one side or the other; P50 is −80 exactly when −80 is at least half.
    assert line.share_above + line.share_below == pytest.approx(1.0)
    assert line.p50 == (-80.0 if line.share_below >= 0.5 else 150.0)
    assert line.kind == "balance"


def test_two_rows_cost_is_the_mean_month_to_the_cent():
    """One employee: the mean month is 4,920 + 230 × the share of +150 draws, to the cent."""
    card = _two_rows().card("s")
    # Totals 5,150 (5,000 + 150) and 4,920 (5,000 − 80); the mean of 1,000 months is
    # 4,920 + (5,150 − 4,920) × share_above, in whole cents.
    above = card.line("sales").share_above
    assert card.cost == pytest.approx(round(4920 + 230 * above, 2), abs=1e-9)
    assert card.line("base").cost == 5000.0
    assert card.cost_p5 == 4920.0
    assert card.cost_p95 == 5150.0


def test_cost_share_of_gross_profit_by_hand():
    """Gross profit 10,000 and 8,000: the share is the cost over the same draws' profit."""
    card = _two_rows(gross_profit=[10_000, 8_000]).card("s")
    above = card.line("sales").share_above
    # Drawn rows' profit: 10,000 × a + 8,000 × (1 − a) a month; cost 5,150 × a + 4,920 × (1 − a).
    expected = (5150 * above + 4920 * (1 - above)) / (10_000 * above + 8000 * (1 - above))
    assert card.cost_share == pytest.approx(expected, rel=1e-12)
    assert card.gross_profit == pytest.approx(round(8000 + 2000 * above, 2))


def test_gross_profit_from_revenue_and_cogs():
    """Without a gross_profit column, revenue − cogs is the gross profit."""
    history = {"sales": [130, 80], "revenue": [30_000, 20_000], "cogs": [20_000, 12_000]}
    book = ksf.compile(ONE_LINE)
    by_parts = ksf.simulate(book, history, **_RUN).card("s")
    given = ksf.simulate(book, {"sales": [130, 80], "gross_profit": [10_000, 8000]}, **_RUN)
    assert by_parts.cost_share == given.card("s").cost_share
    assert ksf.simulate(book, {"sales": [130, 80]}, **_RUN).card("s").cost_share is None


def test_three_rows_median_is_the_middle_row():
    """Three rows each drawn about a third of 10,000 times: P50 is the middle row's 0."""
    history = {"sales": [130, 100, 80]}  # +150, 0 (at the balance point), −80
    sim = ksf.simulate(ksf.compile(ONE_LINE), history, runs=10_000, employees=1)
    line = sim.card("s").line("sales")
    # F(−80) ≈ 1/3 < 1/2 ≤ F(0) ≈ 2/3: the median is 0. The row at the balance point is on
    # neither side, so the shares above and below leave about a third out.
    assert line.p50 == 0.0
    assert line.share_above + line.share_below == pytest.approx(2 / 3, abs=0.03)


def test_lower_is_better_best_is_the_lowest_value():
    """complaint_rate (lower is better): best is the lowest rate's row, above is under 2%."""
    book = ksf.compile("card c { complaint_rate balance 2% step 0.1% reward 50 lower_is_better }")
    line = ksf.simulate(book, {"complaint_rate": [0.017, 0.0225]}, **_RUN).card("c").lines[0]
    # 1.7% is 3 steps better: +150; 2.25% is 2.5 steps worse, 2 whole steps: −100.
    assert (line.best, line.worst) == (150.0, -100.0)
    assert line.p95 == 150.0
    assert line.share_above + line.share_below == pytest.approx(1.0)


def test_same_seed_same_result_and_another_seed_other_draws():
    """The same seed gives an equal Simulation; another seed draws other months."""
    book = ksf.compile(ONE_LINE)
    history = {"sales": np.arange(60.0, 160.0, 5.0)}
    first = ksf.simulate(book, history, runs=500, employees=7, seed=11)
    assert first == ksf.simulate(book, history, runs=500, employees=7, seed=11)
    other = ksf.simulate(book, history, runs=500, employees=7, seed=12)
    assert other.card("s").line("sales").share_above != first.card("s").line("sales").share_above


def test_a_card_draws_the_same_whatever_another_cards_employees():
    """Each card has its own stream: changing one card's employees leaves the other's draws."""
    book = ksf.compile(ONE_LINE + "\ncard t { base 100; sales balance 100 step 10 reward 5 }")
    history = {"sales": [130, 80, 120, 90], "card": ["s", "s", "t", "t"]}
    one = ksf.simulate(book, history, runs=300, employees={"s": 2, "t": 1})
    two = ksf.simulate(book, history, runs=300, employees={"s": 2, "t": 9})
    assert one.card("s") == two.card("s")


def test_lines_add_up_to_the_card_and_shares_too():
    """Every line's cost adds up to the card's (within a cent a line), and so do the shares."""
    book = ksf.compile(
        "card s { base 3000; sales balance 100 step 10 reward 50; commission sales rate 3%\n"
        "  min_pay 4000 }"
    )
    rng = np.random.default_rng(1)
    sales = rng.integers(2000, 20000, 40) / 100  # whole cents
    history = {"sales": sales, "gross_profit": rng.uniform(1, 9, 40)}
    card = ksf.simulate(book, history, runs=400, employees=5).card("s")
    assert sum(line.cost for line in card.lines) == pytest.approx(card.cost, abs=0.01 * 4)
    assert sum(line.cost_share for line in card.lines) == pytest.approx(card.cost_share)
    assert [line.kind for line in card.lines] == ["fixed", "balance", "commission", "min_pay"]


def test_a_month_costs_what_evaluating_its_drawn_rows_costs():
    """Drawn months summed from the history's payroll equal `evaluate` on the drawn rows."""
    book = ksf.compile(ONE_LINE + "\n")
    history = {"sales": np.array([131.0, 79.5, 104.0, 117.25, 88.0])}
    pay = book.evaluate(history)
    cents = np.rint(pay.total * 100).astype(np.int64)
    drawn = draw(np.random.default_rng(5), cents, employees=4, runs=50)
    picks = np.random.default_rng(5).integers(0, 5, size=(50, 4))  # the same single block
    again = book.evaluate({"sales": history["sales"][picks.ravel()]}).total.reshape(50, 4)
    assert drawn.month_units.tolist() == np.rint(again.sum(axis=1) * 100).astype(int).tolist()
    assert drawn.counts.tolist() == np.bincount(picks.ravel(), minlength=5).tolist()


def test_percentiles_are_amounts_paid():
    """The inverted CDF: 1, 2, 3, 4 each once: P5 1, P50 2 (half are ≤ 2), P95 4."""
    assert percentiles(np.array([4.0, 1.0, 3.0, 2.0]), np.ones(4, dtype=np.int64)) == (
        1.0,
        2.0,
        4.0,
    )


def test_default_employees_are_the_latest_periods():
    """Without employees: as many as the card's rows (ids) in the latest period."""
    history = {
        "sales": [100, 110, 120, 90, 95],
        "period": ["2026-05", "2026-05", "2026-06", "2026-06", "2026-06"],
        "employee": ["E1", "E2", "E1", "E2", "E3"],
    }
    sim = ksf.simulate(ksf.compile(ONE_LINE), history, runs=10)
    assert sim.card("s").employees == 3
    # A number period with a missing cell: the latest is 202606 (2 rows), not the blank.
    numbers = {"sales": [100, 110, 120, 90], "month": [202605, 202606, 202606, np.nan]}
    assert ksf.simulate(ksf.compile(ONE_LINE), numbers, runs=10).card("s").employees == 2


# ---- bad input -------------------------------------------------------------------------------

TWO_CARDS = ONE_LINE + "\ncard t { base 100 }"


def test_a_card_with_no_history_is_named():
    """A card without rows is a DataError naming it and saying how to leave it out."""
    history = {"sales": [130, 80], "card": ["s", "s"]}
    for employees in (None, 2, {"t": 1}):  # by default too: no rows is not 0 employees
        with pytest.raises(ksf.DataError, match=r"card `t` has no rows in the history") as caught:
            ksf.simulate(ksf.compile(TWO_CARDS), history, employees=employees)
    assert "employees={'t': 0}" in str(caught.value)
    sim = ksf.simulate(ksf.compile(TWO_CARDS), history, employees={"s": 2, "t": 0}, runs=10)
    assert [card.name for card in sim.cards] == ["s"]


def test_a_history_too_short():
    """One row of history is refused: every simulated month would be that row."""
    with pytest.raises(ksf.DataError, match=r"card `s` has 1 row of history; .* at least 2"):
        ksf.simulate(ksf.compile(ONE_LINE), {"sales": [130]}, employees=1)


def test_a_missing_column_is_the_usual_compile_error():
    """A name the history lacks is the KsfCompileError evaluate raises, with its position."""
    with pytest.raises(ksf.KsfCompileError, match="sales"):
        ksf.simulate(ksf.compile(ONE_LINE), {"revenue": [1.0, 2.0]}, employees=1)


def test_a_missing_value_names_the_historys_row():
    """A missing value is named by its row in the whole history, not in a card's part."""
    history = {"sales": [130, 1, 80, 2, np.nan], "card": ["s", "t", "s", "t", "s"]}
    with pytest.raises(ksf.DataError) as caught:
        ksf.simulate(ksf.compile(TWO_CARDS), history, employees={"s": 1, "t": 0})
    assert caught.value.rows == (4,)  # evaluated without t's rows 1 and 3, named as given
    assert caught.value.column == "sales"


def test_text_in_a_number_column_names_its_row():
    """Text where a card reads a number is the data error evaluate gives, naming the row."""
    history = {"sales": np.array(["130", "lots", "80"], dtype=object)}
    with pytest.raises(ksf.DataError) as caught:
        ksf.simulate(ksf.compile(ONE_LINE), history, employees=1)
    assert caught.value.column == "sales"
    assert caught.value.rows == (1,)


def test_a_pool_card_is_refused():
    """A card sharing a pool pays by the month's team, which a bootstrap does not rebuild."""
    book = ksf.compile("pool p { profit above 0 share 10% }\ncard s { share p }")
    with pytest.raises(ksf.DataError, match="shares the pool `p`"):
        ksf.simulate(book, {"profit": [5.0, 6.0]}, employees=1)


def test_bad_runs_and_employees():
    """runs below 1 and a negative count are ValueErrors; an unknown card is named."""
    book = ksf.compile(ONE_LINE)
    with pytest.raises(ValueError, match="runs must be a whole number of at least 1, not 0"):
        ksf.simulate(book, {"sales": [1, 2]}, runs=0)
    with pytest.raises(ValueError, match="employees of card `s`"):
        ksf.simulate(book, {"sales": [1, 2]}, employees=-1)
    with pytest.raises(ksf.UnknownCardError, match="there is no card 'x'"):
        ksf.simulate(book, {"sales": [1, 2]}, employees={"x": 1})


# ---- the command -----------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path):
    """A rule file and a history CSV of two cards."""
    rules = tmp_path / "pay.ksf"
    rules.write_text(TWO_CARDS.replace("card t {", 'card t "仓库" {'), encoding="utf-8")
    history = tmp_path / "history.csv"
    history.write_text("card,sales\ns,130\ns,80\nt,1\nt,2\n", encoding="utf-8")
    return rules, history


def test_cli_prints_a_table_per_card(files, capsys):
    """The table names each card, its lines and the team's cost, in English and Chinese."""
    rules, history = files
    assert main(["simulate", str(rules), str(history), "--runs", "200"]) == 0
    text = capsys.readouterr().out
    # No period and no id column: every row of history is an employee of the latest month.
    assert "t (仓库): 2 employees, 2 rows of history" in text
    assert "sales " in text
    assert "Team cost a month: P5 " in text
    assert main(["simulate", str(rules), str(history), "--runs", "200", "--lang", "zh"]) == 0
    text = capsys.readouterr().out
    assert "t (仓库)：2 人，历史 2 行" in text
    assert "底薪" in text
    assert "团队每月成本" in text


def test_cli_writes_csv_and_json(files, tmp_path, capsys):
    """-o: a CSV row per line, per card and the team; JSON is the Simulation's fields."""
    rules, history = files
    out = tmp_path / "sim.csv"
    argv = ["simulate", str(rules), str(history), "--employees", "s=4", "-o", str(out)]
    assert main(argv) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    # card s: base, sales, total; card t: base, total; the team
    assert [(r["card"], r["line"]) for r in rows] == [
        ("s", "base"), ("s", "sales"), ("s", "total"), ("t", "base"), ("t", "total"),
        ("*", "total"),
    ]  # fmt: skip
    assert rows[-1]["employees"] == "6"  # 4 of s, and t's 2 rows (no period column)
    assert main([*argv[:-1], str(tmp_path / "sim.json")]) == 0
    data = json.loads((tmp_path / "sim.json").read_text(encoding="utf-8"))
    assert data["runs"] == 10_000
    assert data["cards"][0]["lines"][1]["name"] == "sales"


def test_cli_usage_errors(files, capsys):
    """A bad --employees and an output format it cannot write are usage errors (status 2)."""
    rules, history = files
    assert main(["simulate", str(rules), str(history), "--employees", "s=many"]) == 2
    assert "--employees 's=many': write CARD=N" in capsys.readouterr().err
    assert main(["simulate", str(rules), str(history), "--runs", "0"]) == 2
    assert main(["simulate", str(rules), str(history), "--runs", "5", "-o", "x.parquet"]) == 2
    assert "written as .csv, .xlsx or .json" in capsys.readouterr().err


def test_cli_data_error_names_the_file(files, tmp_path, capsys):
    """A card without history is a data error of the history file (status 1)."""
    rules, _ = files
    history = tmp_path / "only_s.csv"
    history.write_text("card,sales\ns,130\ns,80\n", encoding="utf-8")
    assert main(["simulate", str(rules), str(history), "--employees", "2"]) == 1
    assert "only_s.csv: data error: card `t` has no rows" in capsys.readouterr().err


def test_cli_writes_xlsx(files, tmp_path, capsys):
    """-o .xlsx: one sheet, the table's rows, money and shares as numbers Excel formats."""
    openpyxl = pytest.importorskip("openpyxl")
    rules, history = files
    out = tmp_path / "sim.xlsx"
    assert main(["simulate", str(rules), str(history), "--runs", "50", "-o", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("card", "line", "kind")
    assert [r[1] for r in rows[1:]] == ["base", "sales", "total", "base", "total", "total"]
    assert rows[1][5] == 5000  # base's P5: 5,000, a number
    assert sheet.cell(row=3, column=9).number_format == "0.00%"  # sales' share_above
    argv = ["simulate", str(rules), str(history), "--runs", "50", "--lang", "zh", "-o", str(out)]
    assert main(argv) == 0
    sheet = openpyxl.load_workbook(out)["测算"]
    assert next(sheet.iter_rows(values_only=True))[:6] == (
        "计薪卡",
        "项目",
        "类型",
        "人数",
        "历史行数",
        "P5",
    )


PROPERTY_BOOK = ksf.compile(
    "card s { base 3000; sales balance 100 step 10 reward 50 penalty 40 cap 900 floor -500\n"
    "  commission sales rate 2.5%; min_pay 3000 }"
)


@settings(max_examples=25, deadline=None)
@given(
    sales=st.lists(st.integers(0, 40_000), min_size=2, max_size=12),
    employees=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_properties_of_any_history(sales, employees, seed):
    """Percentiles in order, within history's worst and best; sides at most all; costs add up."""
    book = PROPERTY_BOOK
    history = {"sales": np.array(sales) / 100, "gross_profit": np.array(sales) + 1.0}
    sim = ksf.simulate(book, history, runs=60, employees=employees, seed=seed)
    card = sim.card("s")
    for line in card.lines:
        assert line.p5 <= line.p50 <= line.p95
        if line.kind in ("balance", "commission"):  # pays more as sales rise: best is the most
            assert line.worst <= line.p5
            assert line.p95 <= line.best
    sides = card.line("sales")
    assert sides.share_above + sides.share_below <= 1.0
    assert card.cost_p5 <= card.cost_p50 <= card.cost_p95
    assert abs(sum(line.cost for line in card.lines) - card.cost) <= 0.01 * len(card.lines)
    assert sim.cost == card.cost
