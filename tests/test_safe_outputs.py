"""What the command and the writers put out is safe to open: no formulas, no raw escapes.

Also: ``-o`` never overwrites an input, exit statuses follow docs/cli.md, and no input makes
the command print a Python traceback.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ksf
import ksf.cli
from ksf.cli import main, render

ROOT = Path(__file__).resolve().parent.parent
RULES = 'card seller "销售" {\n  base 5000\n  bonus 10% of x as extra\n}\n'
# Ids a spreadsheet would run, a negative and a signed number (which must stay numbers),
# and ids that carry terminal escape sequences or a bidi override.
HOSTILE_IDS = [
    "=cmd|'/c calc'!A1",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1)",
    "\tE9",
    "\rE8",
    "-5",
    "+1.5",
    "\x1b[2J\x1b[31mRED",
    "E\u202eevil",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list for CSV injection
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
HIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def hostile_payroll() -> ksf.Payroll:
    """Ten rows of card seller, one per hostile id: 5,000 + 10% of x (x = 1,000·k)."""
    data = {
        "employee": np.array(HOSTILE_IDS, dtype=object),
        "x": np.arange(len(HOSTILE_IDS), dtype=float) * 1000,
    }
    return ksf.compile(RULES).evaluate(data, card="seller")


def write_hostile_csv(path: Path) -> None:
    """The hostile ids as a CSV data file (quoted, so tabs and CRs survive)."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(["employee", "x"])
        writer.writerows([i, k * 1000] for k, i in enumerate(HOSTILE_IDS))


def run_ksf(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real ``ksf`` command in a subprocess (this checkout first on the path)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "ksf", *argv],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
        timeout=60,
    )


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pay.ksf").write_text(RULES, encoding="utf-8")
    (tmp_path / "july.csv").write_text("employee,x\nE1,1000\nE2,2000\n", encoding="utf-8")
    return tmp_path


# ---- formula injection ---------------------------------------------------------------------


def test_csv_payroll_cells_cannot_start_a_formula(tmp_path: Path) -> None:
    """Every CSV cell starting with = + - @ tab or CR is a number or starts with a quote."""
    path = tmp_path / "payroll.csv"
    ksf.io.write_payroll(hostile_payroll(), path)
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    for cell in (c for row in rows for c in row):
        assert not cell.startswith(FORMULA_STARTS) or NUMBER.fullmatch(cell), cell
    ids = [row[0] for row in rows[1:]]
    assert ids[0] == "'=cmd|'/c calc'!A1"
    assert ids[2] == "'-2+3"
    # The data boundary strips white space around text cells, so a tab or CR never starts an id.
    assert ids[4:6] == ["E9", "E8"]
    assert ids[6:8] == ["-5", "+1.5"]  # numbers stay numbers
    # 5,000 + 10% × 6,000 = 5,600 for the row of -5
    assert rows[7][-1] == "5600.00"


def test_printed_csv_is_neutralised_too(here: Path) -> None:
    """`ksf run … --format csv` into a pipe quotes a formula-like id as the file does."""
    write_hostile_csv(here / "hostile.csv")
    done = run_ksf("run", "pay.ksf", "hostile.csv", "--format", "csv", cwd=here)
    assert done.returncode == 0, done.stderr
    ids = [row[0] for row in csv.reader(io.StringIO(done.stdout))][1:]
    assert ids[0] == "'=cmd|'/c calc'!A1"
    assert ids[6] == "-5"


def test_xlsx_payroll_has_text_cells_never_formulas(tmp_path: Path) -> None:
    """No cell of the workbook (payroll sheet, payslip headings) is a formula; ids read back."""
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "payroll.xlsx"
    ksf.io.write_payroll(hostile_payroll(), path)  # an id with ESC used to crash openpyxl
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    payroll = book["payroll"]
    assert payroll["A2"].value == "=cmd|'/c calc'!A1"
    assert payroll["A3"].value == "+SUM(A1:A9)"
    assert payroll["A10"].value == "\\x1b[2J\\x1b[31mRED"  # escaped, not dropped
    slip = book.worksheets[1]
    assert slip["A1"].value.startswith("=cmd|'/c calc'!A1 (row 0)")
    assert all(not HIDDEN.search(str(c.value or "")) for c in cells if c.data_type == "s")


# ---- terminal escapes ----------------------------------------------------------------------


def test_table_and_explain_escape_control_characters(here: Path) -> None:
    """ESC and bidi overrides in ids and labels print as visible escapes, never raw."""
    write_hostile_csv(here / "hostile.csv")
    (here / "pay.ksf").write_text(RULES.replace("销售", "\x1b]0;title\x07"), encoding="utf-8")
    table = run_ksf("run", "pay.ksf", "hostile.csv", "--format", "table", cwd=here)
    explain = run_ksf(
        "explain", "pay.ksf", "hostile.csv", "--employee", "\x1b[2J\x1b[31mRED", cwd=here
    )
    for done in (table, explain):
        assert done.returncode == 0, done.stderr
        assert not HIDDEN.search(done.stdout.replace("\n", "")), done.stdout
        assert "\\x1b[2J\\x1b[31mRED" in done.stdout
    assert "E\\u202eevil" in table.stdout
    assert "\\x1b]0;title\\x07" in table.stdout


def test_errors_escape_control_characters_and_keep_the_caret(here: Path) -> None:
    """A syntax error after an ESC in a label: the escape is shown, the caret still aligned."""
    (here / "bad.ksf").write_text('card c "\x1b[2J" { base 1 + }\n', encoding="utf-8")
    done = run_ksf("check", "bad.ksf", cwd=here)
    assert done.returncode == 1
    assert "\x1b" not in done.stderr
    line, caret = done.stderr.splitlines()[1:3]
    assert line == '1 | card c "\\x1b[2J" { base 1 + }'
    assert line[caret.index("^")] == "+"
    # A data error naming an employee, and argparse's own messages, are escaped as well.
    usage = run_ksf("run", "pay.ksf", "july.csv", "extra\x1b[31m", cwd=here)
    assert usage.returncode == 2
    assert "extra\\x1b[31m" in usage.stderr
    assert "\x1b" not in usage.stderr


def test_rich_table_takes_brackets_in_ids_as_text() -> None:
    """On a terminal with rich, an id like `[/x]` is a cell, not markup (it used to crash)."""
    pytest.importorskip("rich")
    out = io.StringIO()
    out.isatty = lambda: True  # type: ignore[method-assign]
    render.table(["who", "pay"], [["[/x] \x1b[2J", "1.00"]], out, fancy=True)
    assert "[/x] \\x1b[2J" in out.getvalue()


# ---- -o is never an input ------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["july.csv", "./sub/../july.csv", "link.csv", "pay.ksf"], ids=str
)
def test_output_that_is_an_input_is_refused(
    here: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-o` naming the data or the rule file (also via a symlink or ..) is a usage error."""
    (here / "sub").mkdir()
    (here / "link.csv").symlink_to(here / "july.csv")
    before = {p: (here / p).read_bytes() for p in ("july.csv", "pay.ksf")}
    assert main(["run", "pay.ksf", "july.csv", "-o", target, "--format", "csv"]) == 2
    assert "write the payroll to another file" in capsys.readouterr().err
    assert {p: (here / p).read_bytes() for p in before} == before


# ---- no traceback --------------------------------------------------------------------------


def test_cr_only_csv_is_read(here: Path) -> None:
    """A CSV with classic-Mac CR line ends is read: 5,000 + 10% × 1,000 and × 3,000."""
    (here / "mac.csv").write_bytes(b"employee,x\rE1,1000\rE2,3000\r")
    done = run_ksf("run", "pay.ksf", "mac.csv", "--format", "csv", cwd=here)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        "E1,seller,5000.00,100.00,5100.00",
        "E2,seller,5000.00,300.00,5300.00",
    ]


def _bad_inputs(here: Path) -> dict[str, list[str]]:
    """Inputs that crashed the command with a traceback, and the command run on each."""
    (here / "huge.csv").write_text("employee,x\nE1," + "9" * 131_073 + "\n", encoding="utf-8")
    (here / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (here / "gbk.ksf").write_bytes("card c { base 1 } # 底薪\n".encode("gbk"))
    (here / "utf16.ksf").write_bytes("card c { base 1 }\n".encode("utf-16"))
    (here / "binary.ksf").write_bytes(bytes(range(256)) * 4)
    commands = {
        "huge.csv": ["run", "pay.ksf", "huge.csv"],
        "deep.json": ["run", "pay.ksf", "deep.json"],
        "gbk.ksf": ["fmt", "gbk.ksf"],
        "utf16.ksf": ["fmt", "utf16.ksf"],
        "binary.ksf": ["fmt", "binary.ksf"],
    }
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return commands
    column = pa.array([1, 2**64 - 1], pa.uint64())
    pq.write_table(pa.table({"employee": ["E1", "E2"], "x": column}), here / "u64.parquet")
    commands["u64.parquet"] = ["run", "pay.ksf", "u64.parquet"]
    return commands


def test_bad_inputs_are_ksf_errors_not_tracebacks(here: Path) -> None:
    """Each is a clear error naming the file, exit status 1, and no Python traceback."""
    for name, argv in _bad_inputs(here).items():
        done = run_ksf(*argv, cwd=here)
        assert done.returncode == 1, (name, done.stderr)
        assert "Traceback" not in done.stderr, name
        assert name in done.stderr, (name, done.stderr)
        assert "internal error" not in done.stderr, name


def test_specific_messages_for_bad_inputs(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The messages say what is wrong: the cell size, the nesting, UTF-16, 2**53."""
    _bad_inputs(here)
    assert main(["run", "pay.ksf", "huge.csv"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("huge.csv: data error: line 2: a cell longer than 131,072 characters")
    assert main(["run", "pay.ksf", "deep.json"]) == 1
    assert "deep.json: data error: lists or objects nested too deeply" in capsys.readouterr().err
    assert main(["fmt", "utf16.ksf"]) == 1
    assert "it is UTF-16" in capsys.readouterr().err
    if (here / "u64.parquet").exists():
        assert main(["run", "pay.ksf", "u64.parquet"]) == 1
        err = capsys.readouterr().err
        assert "column 'x' holds whole numbers beyond 2**53" in err
        assert "rows: 1" in err


def test_a_long_cell_in_many_rows_is_refused_not_a_memory_error() -> None:
    """A 60,000-character cell in 5,000 rows is refused (held at that width: 2.4 GB).

    NumPy holds text at the width of its longest cell: 5,000 rows × 2 columns × 60,000
    characters × 4 bytes is 2.4 GB, more than the 2 GiB budget.
    """
    body = "".join(f"E{i},1\n" for i in range(4_999)) + 'E,"' + "x" * 60_000 + '"\n'
    with pytest.raises(ksf.DataError) as error:
        ksf.io.parse_csv("employee,note\n" + body, "notes.csv")
    assert error.value.message.startswith(
        "notes.csv: a cell of 60,000 characters, too long to hold in each of 5,000 rows"
    )
    assert (error.value.column, tuple(error.value.rows)) == ("note", (4_999,))


def test_a_huge_cell_in_a_big_csv_is_refused(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Over 8 MiB, pyarrow reads the file: a cell over 131,072 characters is refused there too."""
    pytest.importorskip("pyarrow")
    rows = "".join(f"E{i},{i % 7}\n" for i in range(900_000))
    (here / "big.csv").write_text("employee,x\n" + rows + 'E,"' + "9" * 140_000 + '"\n')
    assert (here / "big.csv").stat().st_size > ksf.io.fastcsv.ARROW_BYTES
    assert main(["run", "pay.ksf", "big.csv", "-o", "out.csv"]) == 1
    err = capsys.readouterr().err
    assert "big.csv: data error: a cell of 140,000 characters, more than the 131,072" in err
    assert not (here / "out.csv").exists()


def test_a_bug_is_a_short_internal_error(
    here: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An exception ksf did not expect: status 3, two lines asking for a report, no traceback."""

    def broken(*_: object) -> int:
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setitem(ksf.cli.RUNNERS, "run", broken)
    assert main(["run", "pay.ksf", "july.csv"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("ksf: internal error: ZeroDivisionError: float division by zero\n")
    assert "please report it" in err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 2


# ---- exit statuses -------------------------------------------------------------------------


def test_unknown_card_is_a_usage_error(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--card nope` exits 2 on run and explain, and the message lists the cards."""
    assert main(["run", "pay.ksf", "july.csv", "--card", "seler"]) == 2
    err = capsys.readouterr().err
    assert "--card seler: the rule file has no such card; its cards: seller" in err
    assert "did you mean 'seller'?" in err
    assert main(["explain", "pay.ksf", "july.csv", "--card", "nope", "--row", "0"]) == 2


@pytest.mark.parametrize("data", ["july.csv", "july.json"])
def test_sheet_on_a_file_without_sheets_is_a_usage_error(
    here: Path, data: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--sheet` with CSV or JSON data: exit 2 on run, explain and check --data."""
    (here / "july.json").write_text('[{"employee": "E1", "x": 1000}]', encoding="utf-8")
    assert main(["run", "pay.ksf", data, "--sheet", "7月"]) == 2
    kind = data.rsplit(".", 1)[1]
    assert f"--sheet 7月: {data} is read as {kind}, which has no sheets" in (
        capsys.readouterr().err
    )
    assert main(["explain", "pay.ksf", data, "--sheet", "7月", "--row", "0"]) == 2
    assert main(["check", "pay.ksf", "--data", data, "--sheet", "7月"]) == 2


# ---- -o writes files only, through links -----------------------------------------------------


def test_output_through_a_symlink_updates_its_target(here: Path) -> None:
    """`-o link.csv` replaces the file the link names and leaves the link a link."""
    (here / "shared").mkdir()
    shared = here / "shared" / "payroll.csv"
    shared.write_text("stale\n", encoding="utf-8")
    (here / "link.csv").symlink_to(Path("shared") / "payroll.csv")
    assert main(["run", "pay.ksf", "july.csv", "-o", "link.csv"]) == 0
    assert (here / "link.csv").is_symlink()
    rows = list(csv.reader(shared.read_text(encoding="utf-8-sig").splitlines()))
    # E1: 5,000 + 10% × 1,000 = 5,100; E2: 5,000 + 10% × 2,000 = 5,200
    assert [(r[0], r[-1]) for r in rows[1:]] == [("E1", "5100.00"), ("E2", "5200.00")]
    assert [p.name for p in (here / "shared").iterdir()] == ["payroll.csv"]  # no temp left


def test_library_writer_goes_through_a_symlink(tmp_path: Path) -> None:
    """`ksf.io.write_payroll` to a link writes the target, as the command does."""
    target = tmp_path / "real.json"
    target.write_text("[]", encoding="utf-8")
    (tmp_path / "link.json").symlink_to(target)
    ksf.io.write_payroll(hostile_payroll(), tmp_path / "link.json")
    assert (tmp_path / "link.json").is_symlink()
    assert len(json.loads(target.read_text(encoding="utf-8"))) == len(HOSTILE_IDS)


@pytest.mark.parametrize("kind", ["fifo", "link to fifo", "directory"])
def test_output_that_is_not_a_regular_file_is_refused(
    here: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A named pipe (or a link to one) or a directory as `-o` is a usage error; it stays."""
    if kind == "directory":
        (here / "out.csv").mkdir()
    else:
        os.mkfifo(here / "pipe.csv")
        if kind == "fifo":
            (here / "pipe.csv").rename(here / "out.csv")
        else:
            (here / "out.csv").symlink_to(here / "pipe.csv")
    assert main(["run", "pay.ksf", "july.csv", "-o", "out.csv"]) == 2
    err = capsys.readouterr().err
    assert "not a regular file" in err, err
    assert "a named pipe" in err or "a directory" in err
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(here / "out.csv").st_mode)
    elif kind == "link to fifo":
        assert (here / "out.csv").is_symlink()
        assert stat.S_ISFIFO(os.lstat(here / "pipe.csv").st_mode)
    else:
        assert (here / "out.csv").is_dir()
    assert sorted(p.name for p in here.iterdir() if p.name.startswith(".")) == []


def test_library_writer_refuses_a_fifo(tmp_path: Path) -> None:
    """`ksf.io.write_payroll` to a named pipe raises ValueError and leaves the pipe."""
    os.mkfifo(tmp_path / "p.csv")
    with pytest.raises(ValueError, match="is a named pipe, not a regular file"):
        ksf.io.write_payroll(hostile_payroll(), tmp_path / "p.csv")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "p.csv").st_mode)


def test_output_dash_prints_the_payroll(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`-o -` is standard output: the CSV is printed and no file named '-' appears."""
    assert main(["run", "pay.ksf", "july.csv", "-o", "-"]) == 0
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert [(r[0], r[-1]) for r in rows[1:]] == [("E1", "5100.00"), ("E2", "5200.00")]
    assert not (here / "-").exists()


# ---- no raw escapes in payroll files -------------------------------------------------------

INJECTED = "\x1b[31mRED\x1b]0;pwn\x07"


def test_csv_payroll_file_and_pipe_escape_control_characters(here: Path) -> None:
    """An id with ESC and BEL is written as `\\x1b…\\x07` to a CSV file and to a pipe."""
    (here / "inj.csv").write_text(f'employee,x\n"{INJECTED}",1000\n', encoding="utf-8")
    wrote = run_ksf("run", "pay.ksf", "inj.csv", "-o", "out.csv", cwd=here)
    printed = run_ksf("run", "pay.ksf", "inj.csv", cwd=here)  # stdout is a pipe
    assert wrote.returncode == printed.returncode == 0, wrote.stderr + printed.stderr
    file_bytes = (here / "out.csv").read_bytes()
    assert b"\x1b" not in file_bytes
    assert b"\x07" not in file_bytes
    for text in (file_bytes.decode("utf-8-sig"), printed.stdout):
        rows = list(csv.reader(io.StringIO(text)))
        # 5,000 + 10% × 1,000 = 5,100
        assert rows[1] == ["\\x1b[31mRED\\x1b]0;pwn\\x07", "seller", "5000.00", "100.00", "5100.00"]


def test_csv_escapes_only_the_cells_that_need_it() -> None:
    """Among many ids, exactly the ones with a control character or bidi mark are escaped."""
    ids = np.array(["E1", "a\x1bb", "张伟", "\u202eX", "E\n2", "c\x7f"] * 3, dtype=object)
    out = ksf.io.write.escaped(ids).tolist()
    assert out == ["E1", "a\\x1bb", "张伟", "\\u202eX", "E\n2", "c\\x7f"] * 3


def test_json_payroll_has_no_raw_control_characters(tmp_path: Path) -> None:
    """JSON escapes ESC, DEL, C1 and bidi overrides as \\u escapes; ids read back exactly."""
    path = tmp_path / "payroll.json"
    payroll = hostile_payroll()
    ksf.io.write_payroll(payroll, path)
    text = path.read_text(encoding="utf-8")
    assert not HIDDEN.search(text.replace("\n", ""))
    assert "E\\u202eevil" in text
    ids = [record["id"] for record in json.loads(text)]
    assert ids == ksf.io.cells.ids_text(payroll).tolist()


# ---- one form for each kind of message -------------------------------------------------------


def test_check_with_an_unknown_card_is_the_usage_error_run_gives(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check --data … --card nope` exits 2 with run's message, not a 'data error'."""
    assert main(["check", "pay.ksf", "--data", "july.csv", "--card", "seler"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ksf: error: --card seler: the rule file has no such card; its cards:")
    assert "did you mean 'seller'?" in err
    assert "data error" not in err


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("empty.csv", "", "the file is empty; it needs a header row"),
        ("hdr.csv", "employee,employee\nE1,1\n", "column names repeat: employee"),
        ("words.csv", "employee,x\nE1,1\nE2,abc\n", "column 'x' holds text"),
    ],
    ids=["unreadable", "header", "values"],
)
def test_every_data_error_starts_with_the_file(
    here: Path, name: str, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`FILE: data error: …` whether the file cannot be read or its values are wrong."""
    (here / name).write_text(text, encoding="utf-8")
    assert main(["run", "pay.ksf", name]) == 1
    assert capsys.readouterr().err.startswith(f"{name}: data error: {message}")
    if name != "words.csv":  # check --data reads the header only
        assert main(["check", "pay.ksf", "--data", name]) == 1
        assert capsys.readouterr().err.startswith(f"{name}: data error: {message}")


def test_explain_heading_names_the_file_line(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The heading gives the line a person finds in the file: E2 is on line 3 of july.csv."""
    assert main(["explain", "pay.ksf", "july.csv", "--employee", "E2"]) == 0
    assert capsys.readouterr().out.startswith('E2 (line 3 of july.csv), card seller "销售"\n')
    (here / "noid.csv").write_text("x\n1000\n2000\n", encoding="utf-8")
    assert main(["explain", "pay.ksf", "noid.csv", "--row", "1"]) == 0
    assert capsys.readouterr().out.startswith('line 3 of noid.csv, card seller "销售"\n')
    (here / "july.json").write_text('[{"employee": "E1", "x": 1}, {"employee": "E2", "x": 2}]')
    assert main(["explain", "pay.ksf", "july.json", "--employee", "E2"]) == 0
    assert capsys.readouterr().out.startswith('E2 (row 1), card seller "销售"\n')  # no lines


def test_a_repeated_id_is_named_once_with_its_lines(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`employees: E1 (lines 2, 4)`, not `E1, E1`; a DataError lists each label once."""
    (here / "twice.csv").write_text("employee,x\nE1,1\nE2,2\nE1,3\n", encoding="utf-8")
    assert main(["run", "pay.ksf", "twice.csv"]) == 1
    assert capsys.readouterr().err.endswith("\n  employees: E1 (lines 2, 4)\n")
    error = ksf.DataError("the same id", column="employee", rows=[0, 2], labels=["E1", "E1"])
    assert str(error) == "data error: the same id (column 'employee')\n  employees: E1"
    assert error.labels == ("E1", "E1")  # one per row, as the rows


def test_fmt_rewrites_the_file_a_link_names(here: Path) -> None:
    """`ksf fmt link.ksf` formats the linked file and leaves the link in place."""
    (here / "rules").mkdir()
    (here / "rules" / "pay.ksf").write_text("card c {base 5000}\n", encoding="utf-8")
    (here / "link.ksf").symlink_to(Path("rules") / "pay.ksf")
    assert main(["fmt", "link.ksf"]) == 0
    assert (here / "link.ksf").is_symlink()
    assert (here / "rules" / "pay.ksf").read_text(encoding="utf-8") == "card c {\n  base 5000\n}\n"
