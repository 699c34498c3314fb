"""Hostile or huge input fails cleanly and quickly, and rule text never becomes Python code."""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys
import time
import tokenize
from pathlib import Path

import pytest

import ksf
import ksf.dsl.limits
import ksf.examples
import ksf.rulebook

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ksf"
FEW_SECONDS = 5.0


def compile_or_error(text: str) -> ksf.Rulebook | ksf.KsfError:
    """The compiled rulebook, or the `KsfError` compiling raised; any other exception escapes."""
    try:
        return ksf.compile(text)
    except ksf.KsfError as error:
        return error


def timed(text: str) -> tuple[ksf.Rulebook | ksf.KsfError, float]:
    """`compile_or_error` and the seconds it took."""
    start = time.perf_counter()
    outcome = compile_or_error(text)
    return outcome, time.perf_counter() - start


def run_python(code: str, timeout: float) -> str:
    """Run ``code`` in a fresh interpreter that imports ksf from this checkout; its stdout."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=env,
        check=True,
    )
    return done.stdout.strip()


# ---- deep nesting --------------------------------------------------------------------------


def test_ten_thousand_parentheses_do_not_overflow_the_stack():
    """10,000 nested parentheses give a clean KsfError or a correct result, never RecursionError."""
    outcome, seconds = timed("card c { bonus " + "(" * 10_000 + "x" + ")" * 10_000 + " }")
    assert seconds < FEW_SECONDS
    if isinstance(outcome, ksf.KsfError):
        return
    assert outcome.evaluate({"x": [2.0]}).total.tolist() == [2.0]


NESTINGS = {
    "minus": "card c { bonus " + "-" * 10_000 + "x }",
    "not": "card c { bonus 1 when " + "not " * 10_000 + "x }",
    "min": "card c { bonus " + "min(1, " * 10_000 + "x" + ")" * 10_000 + " }",
    "table": "table t { else: 1 }\ncard c { bonus " + "t(" * 10_000 + "x" + ")" * 10_000 + " }",
    "mixed": "card c { bonus " + "-(abs(" * 5_000 + "x" + "))" * 5_000 + " }",
}


@pytest.mark.parametrize("text", NESTINGS.values(), ids=NESTINGS.keys())
def test_deep_nesting_is_a_syntax_error(text):
    """10,000 levels of `-`, `not` or calls are refused with a positioned KsfSyntaxError."""
    outcome, seconds = timed(text)
    assert seconds < FEW_SECONDS
    assert isinstance(outcome, ksf.KsfSyntaxError)
    # Either limit refuses it cleanly: the nesting depth, or the length of the line.
    assert "200 operations deep" in outcome.message or "rule lines are limited" in outcome.message
    assert outcome.line == text[: text.index("bonus")].count("\n") + 1
    assert len(str(outcome)) < 1_000


def test_a_long_chain_is_refused_by_name():
    """A sum of 300 columns is refused with a message that names chains, not just nesting.

    Every later stage walks expressions recursively, so a chain counts as deep as nesting;
    150 terms (far more than any pay rule) still compile.
    """
    outcome = compile_or_error("card c { bonus " + " + ".join(["x"] * 300) + " }")
    assert isinstance(outcome, ksf.KsfSyntaxError)
    assert "(nested or chained)" in outcome.message
    fine = compile_or_error("card c { bonus " + " + ".join(["x"] * 150) + " }")
    assert isinstance(fine, ksf.Rulebook), str(fine)
    assert fine.evaluate({"x": [1.0]}).total.tolist() == [150.0]


# ---- huge input ----------------------------------------------------------------------------


def test_ten_megabyte_text_fails_cleanly_and_quickly():
    """A 10 MB rule text is refused (or compiled) within a few seconds, never a Python error."""
    text = ("card c { base 1 }\n" + "# filler " + "y" * 100 + "\n") * 90_000
    assert len(text) > 10_000_000
    outcome, seconds = timed(text)
    assert seconds < FEW_SECONDS
    assert isinstance(outcome, ksf.KsfError | ksf.Rulebook)
    if isinstance(outcome, ksf.KsfError):
        assert len(str(outcome)) < 1_000


def test_ten_megabyte_file_loads_cleanly(tmp_path):
    """`ksf.load` of a 10 MB file ends in a KsfError or a rulebook within a few seconds."""
    path = tmp_path / "huge.ksf"
    path.write_text("card c { base 1 }\n" + ("# " + "z" * 1_000 + "\n") * 10_000, encoding="utf-8")
    start = time.perf_counter()
    try:
        outcome = ksf.load(path)
    except ksf.KsfError as error:
        outcome = error
    assert time.perf_counter() - start < FEW_SECONDS
    assert isinstance(outcome, ksf.KsfError | ksf.Rulebook)


def test_two_megabytes_of_statements_are_refused_before_parsing():
    """1.9 MB of short statements (under the character limit) is refused in well under a second.

    Parsing it took 15 seconds before the file was refused for its size; the token count
    refuses it before the parser runs, at the first token past the limit.
    """
    text = "card c {\n" + "  allowance 300 as housing_and_meal_allowance\n" * 42_000 + "}\n"
    assert 1_900_000 < len(text) < ksf.dsl.limits.MAX_CHARS
    outcome, seconds = timed(text)
    assert seconds < 1.0
    assert isinstance(outcome, ksf.KsfSyntaxError)
    assert outcome.message.startswith("the rules have more than 30,000 words, numbers and signs")
    # Token 30,001 (index 30,000): after the 3 of `card c {`, 29,997 = 7,499 lines of 4 tokens
    # (allowance, 300, as, the name) and 1 more: `300` (column 13) of line 2 + 7,499.
    assert (outcome.line, outcome.column) == (7_501, 13)


def test_many_lines_are_refused_before_parsing():
    """60,000 blank lines are refused by their count, at the first line past the limit."""
    outcome, seconds = timed("card c { base 1 }" + "\n" * 60_000)
    assert seconds < 1.0
    assert isinstance(outcome, ksf.KsfSyntaxError)
    assert outcome.message == "the file has 60,001 lines; rule files are limited to 50,000"
    assert outcome.line == 50_001


def test_real_rule_files_are_far_below_the_token_limit():
    """The example team's cards and the standard library compile; the limit is 50x them."""
    for text in (ksf.examples.demo_rules(), (PACKAGE / "indicators" / "standard.ksf").read_text()):
        tokens = [t for t in ksf.dsl.limits._TOKENS.findall(text) if not t.startswith("#")]
        assert 100 < len(tokens) < ksf.dsl.limits.MAX_TOKENS // 50
    assert ksf.compile(ksf.examples.demo_rules()).cards


def test_a_huge_rule_file_is_not_read_whole(tmp_path):
    """`ksf.load` of a 100 MB file reads at most `MAX_BYTES` of it and refuses it."""
    import tracemalloc

    path = tmp_path / "huge.ksf"
    with path.open("wb") as file:
        file.write(b"card c { base 1 }\n")
        file.truncate(100 * 2**20)  # sparse: no disk used
    tracemalloc.start()
    try:
        with pytest.raises(ksf.KsfSyntaxError, match="a rule file is a few kilobytes") as error:
            ksf.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * ksf.dsl.limits.MAX_BYTES
    assert f"more than {ksf.dsl.limits.MAX_BYTES:,} bytes" in error.value.message


def test_formatted_text_is_within_the_line_limit():
    """`ksf fmt` never writes a line the parser refuses; a layout that would is refused.

    Indenting a line of exactly 10,000 characters makes it 10,002.
    """
    line = "bonus " + "x" * (ksf.dsl.limits.MAX_LINE - 6)
    text = "card c {\n" + line + "\n}\n"
    assert ksf.compile(text).cards == ("c",)  # the line is exactly at the limit
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.rulebook.format_text(text)
    assert error.value.message == (
        "formatted, line 2 would have 10,002 characters, more than the 10,000 a rule line may have"
    )
    assert error.value.line == 2
    short = "card c {\nbonus " + "x" * 9_000 + "\n}\n"
    assert ksf.compile(ksf.rulebook.format_text(short)).cards == ("c",)
    # 49,000 comment lines and 300 one-line cards (49,301 lines) would format to 50,200.
    many = "# c\n" * 49_000 + "".join(f"card a{i} {{ base 1 }}\n" for i in range(300))
    assert len(ksf.compile(many).cards) == 300
    with pytest.raises(ksf.KsfSyntaxError) as error:
        ksf.rulebook.format_text(many)
    assert error.value.message == (
        "formatted, the file would have 50,200 lines, more than the 50,000 a rule file may have"
    )


def test_one_megabyte_comment_line():
    """A single 1 MB comment line is skipped quickly."""
    outcome, seconds = timed("# " + "x" * 1_000_000 + "\ncard c { base 6000 }\n")
    assert seconds < FEW_SECONDS
    assert isinstance(outcome, ksf.Rulebook)
    assert outcome.evaluate({"x": [1.0]}).total.tolist() == [6000.0]


def test_one_megabyte_label_line():
    """A card label of 1 MB on one line compiles quickly."""
    outcome, seconds = timed('card c "' + "标" * 1_000_000 + '" { base 6000 }')
    assert seconds < FEW_SECONDS
    assert isinstance(outcome, ksf.KsfError | ksf.Rulebook)


def test_one_megabyte_expression_line_within_a_few_seconds():
    """A 1 MB expression line ends in a KsfError or a rulebook within a few seconds."""
    code = (
        "import ksf\n"
        "try:\n"
        "    ksf.compile('card c { bonus ' + 'x + ' * 250_000 + 'x }')\n"
        "    print('compiled')\n"
        "except ksf.KsfError as error:\n"
        "    print(type(error).__name__)\n"
    )
    assert run_python(code, timeout=FEW_SECONDS) in {
        "compiled",
        "KsfSyntaxError",
        "KsfCompileError",
    }


# ---- no rule text ever becomes Python code -------------------------------------------------

FORBIDDEN = {
    "eval()": r"(?<![\w.])eval\s*\(",
    "exec()": r"(?<![\w.])exec\s*\(",
    "compile() builtin": r"(?<![\w.])(?<!def )compile\s*\(",
    "builtins": r"\bbuiltins\b",
    "pickle": r"\b(c?[Pp]ickle|marshal|shelve|dill)\b",
    "importlib.import_module": r"\bimport_module\b",
    "__import__": r"\b__import__\b",
    "os.system": r"\bos\s*\.\s*(system|popen|exec\w*|spawn\w*)\b",
    "from os import system": r"\bfrom\s+os\s+import\b[^\n]*\b(system|popen|exec\w*|spawn\w*)\b",
    "subprocess": r"\bsubprocess\b",
}
_BLANKED = {tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", -1)}


def code_only(source: str) -> str:
    """``source`` with every string literal and comment blanked out, lines and columns kept."""
    rows = [list(line) for line in source.splitlines(keepends=True)]
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in _BLANKED:
            continue
        (first, start), (last, end) = token.start, token.end
        for number in range(first, last + 1):
            row = rows[number - 1]
            low = start if number == first else 0
            high = end if number == last else len(row)
            for i in range(low, high):
                if row[i] != "\n":
                    row[i] = " "
    return "".join("".join(row) for row in rows)


def binds_own_compile(source: str) -> bool:
    """True if the module defines `compile` or imports ksf's, so a bare call is not the builtin."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == "compile":
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and (node.module or "").split(".")[0] == "ksf"
            and any(alias.name == "compile" and alias.asname is None for alias in node.names)
        ):
            return True
    return False


def violations(source: str) -> list[str]:
    """The forbidden uses in one module's source, as ``line: what``."""
    code = code_only(source)
    own_compile = binds_own_compile(source)
    return [
        f"{code.count(chr(10), 0, match.start()) + 1}: {what}"
        for what, pattern in FORBIDDEN.items()
        if not (what == "compile() builtin" and own_compile)
        for match in re.finditer(pattern, code)
    ]


FLAGGED = [
    "x = eval(text)\n",
    "exec (code)\n",
    "code = compile(text, 'rules', 'eval')\n",
    "import pickle\n",
    "from pickle import loads\n",
    "import importlib\nmodule = importlib.import_module(name)\n",
    "from importlib import import_module\n",
    "os = __import__('os')\n",
    "import os\nos.system('ls')\n",
    "import os\nos.popen('ls')\n",
    "from os import system\n",
    "import subprocess\n",
    "import builtins\nbuiltins.eval('1')\n",
]
ALLOWED = [
    "import re\nPATTERN = re.compile(r'x')\n",
    "def compile(text):\n    return text\n\n\ndef load(path):\n    return compile(path)\n",
    "import ksf\nbook = ksf.compile(text)\n",
    "from ksf.rulebook import compile\nbook = compile(text)\n",
    "# eval(x) would be wrong here\n",
    "HELP = 'never call exec(x) or pickle.loads'\n",
    "def f(pay):\n    return pay.evaluate(x) + retrieval(y)\n",
    "from importlib import resources\n",
    "import os\npath = os.path.join('a', 'b')\n",
]


@pytest.mark.parametrize("source", FLAGGED)
def test_scanner_flags_dangerous_calls(source):
    """The source scanner finds each forbidden call or import."""
    assert violations(source)


@pytest.mark.parametrize("source", ALLOWED)
def test_scanner_allows_lookalikes(source):
    """`re.compile`, ksf's own `compile`, `evaluate`, comments and strings are not flagged."""
    assert violations(source) == []


def test_no_module_of_ksf_can_run_code_or_import_by_name():
    """No ksf module calls eval/exec/compile(), unpickles, imports by name or runs processes."""
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 10
    found = [
        f"{path.relative_to(ROOT)}:{hit}"
        for path in modules
        for hit in violations(path.read_text(encoding="utf-8"))
    ]
    assert found == []


UNSAFE_RULES = {
    "dunder import": 'card c { bonus __import__("os") }',
    "open a file": 'card c { bonus open("/etc/passwd") }',
    "import statement": "import os\ncard c { base 1 }",
    "attribute access": "card c { bonus os.system(x) }",
    "subscript": "card c { bonus x[0] }",
    "lambda": "card c { bonus (lambda: 1)() }",
    "string in expression": 'card c { bonus "1 + 1" }',
}


@pytest.mark.parametrize("text", UNSAFE_RULES.values(), ids=UNSAFE_RULES.keys())
def test_python_constructs_are_syntax_errors(text):
    """Strings, attributes, subscripts, imports and lambdas do not parse in rule text."""
    assert isinstance(compile_or_error(text), ksf.KsfSyntaxError)


@pytest.mark.parametrize("function", ["eval", "exec", "open", "getattr", "print", "globals"])
def test_python_builtins_are_unknown_functions(function):
    """Only min, max, abs and the file's tables can be called; Python builtins are unknown."""
    outcome = compile_or_error(f"card c {{ bonus {function}(x) }}")
    assert isinstance(outcome, ksf.KsfCompileError)
    assert outcome.message == f"unknown function or table `{function}`"


@pytest.mark.parametrize("name", ["__builtins__", "__import__", "os", "print", "self"])
def test_python_names_are_unknown_names(name):
    """A bare name resolves only to definitions, data and params, never to a Python object."""
    book = ksf.compile(f"card c {{ bonus {name} * 2 }}")
    with pytest.raises(ksf.KsfCompileError) as info:
        book.evaluate({"x": [1.0]})
    assert info.value.message == f"unknown name `{name}`"


def test_import_ksf_loads_no_optional_extra():
    """`import ksf` in a fresh interpreter imports none of the optional heavy libraries."""
    code = (
        "import sys, ksf\n"
        "heavy = {'pandas', 'polars', 'pyarrow', 'openpyxl', 'matplotlib', 'rich',\n"
        "         'hypothesis', 'yaml', 'pygments', 'fastapi', 'starlette', 'pydantic',\n"
        "         'uvicorn', 'sqlalchemy'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    assert run_python(code, timeout=60) == "[]"


def test_the_command_line_starts_without_the_service_stack():
    """`import ksf.cli` loads no FastAPI, pydantic or uvicorn: only `ksf serve` needs them."""
    code = (
        "import sys, ksf.cli\n"
        "stack = {'fastapi', 'starlette', 'pydantic', 'uvicorn', 'pygments'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & stack))\n"
    )
    assert run_python(code, timeout=60) == "[]"
