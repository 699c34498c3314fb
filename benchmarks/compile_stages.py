"""Where the compile time of a big rulebook goes, stage by stage (a measurement, not a test).

    python benchmarks/compile_stages.py               # 200 cards × 8 lines, best of 5
    python benchmarks/compile_stages.py --cards 50 --repeat 3

Prints the fresh-process numbers `run.py` reports (first compile, a later compile, bind and
compile on the first evaluate), then one later compile split into its stages: Lark's parse
(lexing, LALR and the positions it propagates), the depth and size bound, the tree → AST
transform, the comment and blank-line scan, the checker and the warnings. Each stage is the
best of ``--repeat`` rounds with the garbage collector off (as `timeit` does: otherwise a
collection, whose cost grows with the tree and AST kept alive here, lands in whichever stage
triggers it); the whole compile is timed with the collector off and on, and the difference
is what collection costs a compile. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from typing import Any

from measure import compile_times, rulebook_text

import ksf
from ksf.dsl import check, grammar, layout, limits, lint, parser, to_ast, unit_slips, units
from ksf.dsl.check_report import Report
from ksf.rulebook import standard_columns, standard_library
from ksf.source import Source


def best(run: Callable[[], Any], repeat: int) -> float:
    """The fastest of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def stages(cards: int, repeat: int) -> dict[str, float]:
    """Seconds per stage of compiling ``cards`` cards, in this (already warm) process."""
    text = rulebook_text(cards)
    source = Source(text)
    ksf.compile(text)  # builds the grammar and the standard library first
    library = standard_library()
    whole_with_gc = best(lambda: ksf.compile(text), repeat)  # before the tree is kept alive
    tree = grammar.lark_parser().parse(text)
    rules = parser.parse(source)
    columns = standard_columns()
    unit_of = units.units_of(rules, library, columns)
    shares = units.shares_of(columns)
    gc.disable()
    try:
        return {
            "Lark parse": best(lambda: grammar.lark_parser().parse(text), repeat),
            "depth and size bound": best(lambda: limits.check_size(tree, source), repeat),
            "tree → AST": best(lambda: to_ast.to_ast(tree, source), repeat),
            "comments and blank lines": best(lambda: layout.layout(text), repeat),
            "length bound (before parsing)": best(lambda: limits.check_length(source), repeat),
            "checker": best(lambda: check._Checker(source, library).rulebook(rules), repeat),
            "units": best(
                lambda: unit_slips.check_units(rules, Report(source), unit_of, shares), repeat
            ),
            "warnings": best(lambda: lint.lint(rules, source, library, unit_of), repeat),
            "whole compile, collector off": best(lambda: ksf.compile(text), repeat),
            "whole compile, collector on": whole_with_gc,
        }
    finally:
        gc.enable()


def main() -> None:
    """Print the fresh-process times, then the stages."""
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--cards", type=int, default=200, help="cards (default 200)")
    args.add_argument("--repeat", type=int, default=5, help="rounds per stage (default 5)")
    options = args.parse_args()
    fresh = compile_times(options.cards)
    print(f"{options.cards} cards, fresh process:")
    print(f"  first compile (grammar built)  {fresh['cold'] * 1000:8.1f} ms")
    print(f"  a later compile                {fresh['warm'] * 1000:8.1f} ms")
    print(f"  bind + compile, first evaluate {fresh['bind'] * 1000:8.1f} ms")
    print(f"one later compile, best of {options.repeat} per stage:")
    for name, seconds in stages(options.cards, options.repeat).items():
        print(f"  {name:<30} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
