"""A table with several keys (a decision matrix, LANGUAGE.md 10) → its IR.

Each row is checked for its number of cells, each key for the kind of its cells (a key
compared with names is a text key; one compared with numbers is a number key; never both),
and each row for reachability, conservatively: a row is reported only when one earlier row
alone matches everything it matches (every cell ``*``, the same, or a wider comparison).
Which keys are text columns is settled at binding, once the data's columns are known.
"""

from __future__ import annotations

import math

from ksf import ir
from ksf.catalogue import check as say
from ksf.dsl import ast
from ksf.dsl.check_report import Report
from ksf.message import Keyword

ORDERING = (">=", ">", "<=", "<")
# The values a cell matches, as (low, low included, high, high included).
_Range = tuple[float, bool, float, bool]


def cell_range(cell: ir.MatrixCell) -> _Range:
    """The numbers (or text codes) a cell matches."""
    t = cell.number
    match cell.op:
        case ">=":
            return (t, True, math.inf, True)
        case ">":
            return (t, False, math.inf, True)
        case "<=":
            return (-math.inf, True, t, True)
        case "<":
            return (-math.inf, True, t, False)
        case "==":
            return (t, True, t, True)
        case _:  # `*`
            return (-math.inf, True, math.inf, True)


def covers(wide: ir.MatrixCell, narrow: ir.MatrixCell) -> bool:
    """Whether every value ``narrow`` matches is matched by ``wide`` too."""
    if wide.op == "*":
        return True
    if narrow.op == "*":
        return False
    lo, lo_in, hi, hi_in = cell_range(wide)
    n_lo, n_lo_in, n_hi, n_hi_in = cell_range(narrow)
    low_ok = lo < n_lo or (lo == n_lo and (lo_in or not n_lo_in))
    high_ok = n_hi < hi or (n_hi == hi and (hi_in or not n_hi_in))
    return low_ok and high_ok


class MatrixChecker:
    """Checks one matrix table, reporting every problem to ``report``."""

    def __init__(self, report: Report, node: ast.Table) -> None:
        self.report = report
        self.node = node
        self.keys = node.keys
        if not self.keys:
            self.report.error(
                say.MATRIX_NO_KEYS(name=node.name),
                node.name_span,
                say.MATRIX_NO_KEYS_HINT(table=Keyword("table"), name=node.name),
            )
            first = next((r.cells for r in node.matrix if r.cells is not None), ())
            self.keys = self.keys or tuple(f"key{i + 1}" for i in range(len(first)))
        self.kinds: list[str | None] = [None] * len(self.keys)  # "text" / "number" per key
        self.names: list[list[str]] = [[] for _ in self.keys]

    def spec(self) -> ir.MatrixSpec:
        """The table's IR; rows with errors are left out of it."""
        node = self.node
        seen = sorted(set(self.keys), key=self.keys.index)
        if len(seen) < len(self.keys):
            self.report.error(
                say.MATRIX_KEY_TWICE(name=node.name), node.keys_span, say.MATRIX_KEY_TWICE_HINT()
            )
        rows: list[tuple[ir.MatrixCell, ...]] = []
        values: list[float] = []
        otherwise = math.nan
        for position, row in enumerate(node.matrix):
            if row.cells is None:
                self.else_row(row, position)
                otherwise = row.value.value
                continue
            cells = self.row(row)
            if cells is None:
                continue
            self.reachable(row, cells, rows)
            rows.append(cells)
            values.append(row.value.value)
        if math.isnan(otherwise):
            else_word = Keyword("else")
            self.report.error(
                say.NO_ELSE(name=node.name, otherwise=else_word),
                node.span,
                say.NO_ELSE_MATRIX_HINT(otherwise=else_word),
            )
        return ir.MatrixSpec(
            node.name,
            self.keys,
            tuple(rows),
            tuple(values),
            0.0 if math.isnan(otherwise) else otherwise,
            tuple(tuple(n) for n in self.names),
            tuple(kind == "text" for kind in self.kinds),
        )

    def else_row(self, row: ast.MatrixRow, position: int) -> None:
        """Report an ``else`` that is not the last row."""
        if position != len(self.node.matrix) - 1:
            else_word = Keyword("else")
            self.report.error(
                say.ELSE_NOT_LAST(otherwise=else_word),
                row.span,
                say.ELSE_NOT_LAST_HINT(otherwise=else_word),
            )

    def row(self, row: ast.MatrixRow) -> tuple[ir.MatrixCell, ...] | None:
        """A row's cells, or None (reported) when it has the wrong number or a bad cell."""
        assert row.cells is not None  # noqa: S101 - spec() passes rows with cells only
        if len(row.cells) != len(self.keys):
            wrong = say.MATRIX_CELLS if len(row.cells) != 1 else say.MATRIX_CELL
            self.report.error(
                wrong(
                    count=len(row.cells),
                    name=self.node.name,
                    keys=len(self.keys),
                    names=", ".join(self.keys),
                ),
                row.span,
                say.MATRIX_ROW_HINT(),
            )
            return None
        cells = [self.cell(k, c) for k, c in enumerate(row.cells)]
        return None if any(c is None for c in cells) else tuple(c for c in cells if c)

    def cell(self, key: int, cell: ast.Cell) -> ir.MatrixCell | None:
        """One cell, noting its key's kind; None (reported) for a comparison a key cannot take."""
        text = self.report.text(cell.span)
        match cell.kind:
            case "any":
                return ir.MatrixCell("*", text="*")
            case "name" | "string":
                if not self.kind(key, "text", cell):
                    return None
                names = self.names[key]
                if cell.text not in names:
                    names.append(cell.text)
                return ir.MatrixCell("==", float(names.index(cell.text)), text=text)
            case _:
                assert cell.number is not None  # noqa: S101 - the grammar gives compare/number one
                op = cell.op or "=="
                if op not in (*ORDERING, "=="):
                    self.report.error(
                        say.CELL_BAD_COMPARE(op=op), cell.span, say.CELL_COMPARE_HINT()
                    )
                    return None
                if not self.kind(key, "number", cell):
                    return None
                return ir.MatrixCell(op, cell.number.value, text=text)

    def kind(self, key: int, kind: str, cell: ast.Cell) -> bool:
        """Note that ``key`` is a text or number key; report a cell of the other kind."""
        known = self.kinds[key]
        if known is None or known == kind:
            self.kinds[key] = kind
            return True
        compared = say.KEY_COMPARED_NAMES if known == "text" else say.KEY_COMPARED_NUMBERS
        self.report.error(
            compared(key=self.keys[key], name=self.node.name, cell=self.report.text(cell.span)),
            cell.span,
            say.KEY_KIND_HINT(),
        )
        return False

    def reachable(
        self,
        row: ast.MatrixRow,
        cells: tuple[ir.MatrixCell, ...],
        above: list[tuple[ir.MatrixCell, ...]],
    ) -> None:
        """Report a row that one earlier row always beats."""
        for position, earlier in enumerate(above):
            if all(covers(w, n) for w, n in zip(earlier, cells, strict=True)):
                shown = ", ".join(c.text for c in earlier)
                self.report.error(
                    say.ROW_NEVER_MATCHES(row=self.report.text(row.span)),
                    row.span,
                    say.MATRIX_ROW_BEATEN_HINT(row=position + 1, cells=shown),
                )
                return


def matrix_spec(report: Report, node: ast.Table) -> ir.MatrixSpec:
    """A decision matrix's IR; every problem found is reported."""
    return MatrixChecker(report, node).spec()
