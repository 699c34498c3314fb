"""The order rows are evaluated in: chunk by chunk, and in each chunk every card's rows.

A payroll's rows run in **chunks** of consecutive rows; inside a chunk each card runs on
its rows there, in blocks of at most `frame.BLOCK_ROWS` (a slice when the rows are
consecutive, else an index array). Each card is set up once per thread (`CardRun.start`)
and then runs block by block (`CardRun.step`), interleaved with the other cards.

Chunks are independent (a row belongs to one card, and pools and group aggregates are worked
out before): each writes only its own rows, so chunks go to threads, and the payroll is the
same whatever the number of threads. Data errors are kept per card and block, merged in row
order, and the first card's (in the cards' order) is raised, as one card run after the
other would.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import attrs
import numpy as np

from ksf._typing import FloatArray, IntArray
from ksf.card_run import CardPass, CardRun
from ksf.catalogue import data_run as say
from ksf.errors import DataError, merge_checks
from ksf.frame import Frame, Scratch, block_rows

# Rows per chunk; None: as many as the cards in the plan times `frame.BLOCK_ROWS`, so that on
# interleaved cards each still runs full blocks. Chunks sized to keep their payroll and
# columns in a 32 MiB L3 (61,440 rows on 20 interleaved cards: 3,072 a card) were measured
# the slowest (docs/performance.md, "Mixed-card payrolls"): a card's block costs about
# 0.35 ms whatever its length (some 250 NumPy calls), which 3,072 rows do not pay back, and
# the L3 of a shared machine is not the process's alone; CPU time fell steadily as chunks
# grew, 1.19 s on 5M rows with 16 MiB chunks, 0.86 s with 256 MiB.
CHUNK_ROWS: int | None = None

Block = slice | IntArray


@attrs.frozen
class RowPlan:
    """The blocks to run, chunk by chunk: ``(card, rows)`` in the cards' order."""

    chunks: tuple[tuple[tuple[int, Block], ...], ...]
    size: int  # the longest block: the length of every card's buffers
    whole: bool  # one card on all rows: slices whose columns are checked once, whole


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity, where the system tells)."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13
    if counted is not None:
        return int(counted() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def cards_rows(card_of_row: IntArray | None, n_cards: int) -> tuple[IntArray | None, ...]:
    """Each card's rows, ascending (None: one card, every row), in one stable sort of codes.

    A stable argsort of 8- or 16-bit keys is a radix sort: one pass, not a comparison of
    the rows once per card.
    """
    if card_of_row is None:
        return (None,) * n_cards
    small = np.uint8 if n_cards <= 2**8 else np.uint16 if n_cards <= 2**16 else np.intp
    order = np.argsort(card_of_row.astype(small), kind="stable")
    ends = np.cumsum(np.bincount(card_of_row, minlength=n_cards))
    return tuple(np.split(order, ends[:-1]))


def chunk_rows(cards: int) -> int:
    """Rows per chunk for a plan of ``cards`` cards: `CHUNK_ROWS`, or a block for each."""
    return CHUNK_ROWS or max(cards, 1) * block_rows()


def plan_rows(rows_of: Sequence[IntArray | None], n_rows: int, chunk: int) -> RowPlan:
    """The chunks of ``chunk`` rows, and in each the block of every card that has rows there."""
    if len(rows_of) == 1 and rows_of[0] is None:
        size = block_rows()
        slices = tuple(((0, slice(a, min(a + size, n_rows))),) for a in range(0, n_rows, size))
        return RowPlan(slices, min(size, max(n_rows, 1)), whole=True)
    edges = np.append(np.arange(0, n_rows, chunk), n_rows)
    chunks: list[list[tuple[int, Block]]] = [[] for _ in range(len(edges) - 1)]
    most = block_rows()  # a card's registers stay block-sized, whatever the chunk
    size = 1
    for card, rows in enumerate(rows_of):
        assert rows is not None  # noqa: S101 - only a single card runs on every row
        cuts = np.searchsorted(rows, edges)
        size = max(size, min(most, int(np.diff(cuts).max(initial=0))))
        for at in np.flatnonzero(np.diff(cuts)).tolist():  # the chunks the card has rows in
            for start in range(cuts[at], cuts[at + 1], most):
                part = rows[start : min(start + most, cuts[at + 1])]
                chunks[at].append((card, _block(part)))
    return RowPlan(tuple(tuple(blocks) for blocks in chunks), size, whole=False)


def _block(rows: IntArray) -> Block:
    """Sorted rows as a slice when they are consecutive: views, no gather and no scatter."""
    first, last = int(rows[0]), int(rows[-1])
    return slice(first, last + 1) if last - first + 1 == len(rows) else rows


def run_rows(
    runs: Sequence[CardRun],
    rows_of: Mapping[str, IntArray | None],
    n_lines: int,
    n_rows: int,
    threads: int | None,
) -> tuple[FloatArray, FloatArray]:
    """The payroll's ``amounts[line, row]`` and ``total[row]``: every card on its rows.

    ``runs`` and ``rows_of`` (`cards_rows`) in the cards' order; ``threads`` None: one per
    core the process may use.

    Raises:
        ValueError: ``threads`` is not a whole number of at least 1.
    """
    if threads is None:
        threads = available_cores()
    elif type(threads) is not int or threads < 1:  # a caller's 0, 2.0 or True is no count
        raise ValueError(say.THREADS(threads=repr(threads)))
    amounts = np.zeros((n_lines, n_rows))
    total = np.zeros(n_rows)
    plan = plan_rows(list(rows_of.values()), n_rows, chunk_rows(len(runs)))
    run_plan(runs, plan, amounts, total, threads)
    return amounts, total


def run_plan(
    runs: Sequence[CardRun], plan: RowPlan, amounts: FloatArray, total: FloatArray, threads: int
) -> None:
    """Every block of the plan into ``amounts[line, row]`` and ``total[row]``.

    Chunks are dealt to ``threads`` threads in turn (NumPy lets go of the GIL in its loops);
    each thread sets its cards up once, on buffers of its own.

    Raises:
        DataError: the first card's (in the cards' order) whose blocks found one.
    """
    for run in runs:
        run.writes_to(amounts)
    scanned = runs[0].scan() if plan.whole and runs and plan.chunks else None
    workers = max(1, min(threads, len(plan.chunks)))

    def part(worker: int) -> dict[int, CardPass]:
        taken = range(worker, len(plan.chunks), workers)
        return _run_chunks(runs, plan, taken, (amounts, total), scanned)

    if workers == 1:
        passes = [part(0)]
    else:
        with ThreadPoolExecutor(workers, thread_name_prefix="ksf-chunks") as pool:
            passes = list(pool.map(part, range(workers)))
    for card in range(len(runs)):
        raise_found([found for done in passes if card in done for found in done[card].found])


def _run_chunks(
    runs: Sequence[CardRun],
    plan: RowPlan,
    taken: Sequence[int],
    payroll: tuple[FloatArray, FloatArray],
    scanned: Frame | None,
) -> dict[int, CardPass]:
    """The blocks of the ``taken`` chunks, on this thread; each card's pass, by card."""
    scratch = Scratch(plan.size)
    passes: dict[int, CardPass] = {}
    # Per thread: NumPy's error state does not follow into a pool's threads.
    with np.errstate(over="ignore", invalid="ignore"):  # `CardTotal.check_range` reports them
        for at in taken:
            for card, block in plan.chunks[at]:
                state = passes.get(card)
                if state is None:
                    state = passes[card] = runs[card].start(scratch, scanned)
                runs[card].step(state, at, block, *payroll)
    return passes


def raise_found(found: list[tuple[int, DataError]]) -> None:
    """One card's data errors as one: the first block's, with the rows of every block's same one.

    Several checks failing at once (`ksf.per_row`) are merged across blocks too.
    """
    if not found:
        return
    errors = [error for _, error in sorted(found, key=lambda pair: pair[0])]
    first = errors[0]
    same = [e for e in errors if (e.message, e.column) == (first.message, first.column)]
    every = np.unique(np.concatenate([np.asarray(e.rows, dtype=np.intp) for e in same]))
    merged = merge_checks([check for error in same for check in error.checks])
    raise DataError(first.said, column=first.column, rows=every, table=first.table, checks=merged)
