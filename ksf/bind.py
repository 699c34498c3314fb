"""IR + data schema → bound IR: every free name becomes a column, a param or a library entry.

Resolution order (LANGUAGE.md section 2): the file's own definitions (already resolved by
the checker), then a data column or a ``params`` scalar, then the standard indicator
library. Directions left open by the text are settled here, and with them the side of
each ``beyond`` tier. Unknown names are positioned `KsfCompileError`s with suggestions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping
from typing import Any, assert_never

import attrs

from ksf import ir
from ksf.catalogue import data as say
from ksf.errors import Diagnostic, KsfCompileError, suggest
from ksf.ir_leaves import map_per_row, written_point
from ksf.kernels.balance import steps_apart
from ksf.matrix_args import swapped_call, swapped_keys
from ksf.message import Keyword, Message
from ksf.source import Span

# Suggestions are looked for on this many errors; a file with thousands of unknown names
# among thousands of known ones would otherwise spend minutes on hints nobody reads.
MAX_SUGGESTED = 20


@attrs.frozen
class Schema:
    """What the data offers: numeric columns, text columns and params, by name."""

    numeric: frozenset[str]
    text: frozenset[str]
    params: frozenset[str]
    # Only the names are known (`Rulebook.check_columns`): every column is in ``numeric``,
    # so a column may still hold the text a decision matrix's text key compares.
    names_only: bool = False


class _Binder:
    def __init__(
        self,
        program: ir.Program,
        library: Mapping[str, ir.Named],
        schema: Schema,
    ) -> None:
        self.program = program
        self.library = library
        self.schema = schema
        self.errors: list[Diagnostic] = []
        self.earlier: list[str] = []  # the names of the lines above the one being bound
        self.bound_library: dict[str, ir.Expr | None] = {}
        # Bound nodes by the id of their unbound node: an indicator read by several others is
        # one shared node, bound once (walking every path would be exponential).
        self.bound: dict[int, tuple[ir.Expr, ir.Expr]] = {}

    def error(self, message: Message, span: Span, hint: Message | None = None) -> None:
        self.errors.append(Diagnostic(message, span, self.program.source, hint))

    def close(self, name: str, candidates: list[str]) -> Message | None:
        """A did-you-mean hint, for the first errors only: each costs a pass over every name."""
        return suggest(name, candidates) if len(self.errors) < MAX_SUGGESTED else None

    def expr(self, node: ir.Expr) -> ir.Expr:
        known = self.bound.get(id(node))
        if known is not None and known[0] is node:
            return known[1]
        result = self.bind_expr(node)
        self.bound[id(node)] = (node, result)  # keeps node alive, so its id stays its own
        return result

    def bind_expr(self, node: ir.Expr) -> ir.Expr:
        """`expr` without the memo."""
        match node:
            case ir.Free():
                return self.free(node)
            case ir.Op():
                return attrs.evolve(node, args=tuple(self.expr(a) for a in node.args))
            case ir.Lookup():
                return attrs.evolve(node, arg=self.expr(node.arg))
            case ir.MatrixLookup():
                return self.matrix(node)
            case ir.Named():
                return attrs.evolve(node, expr=self.expr(node.expr))
            case ir.ScoreValue():
                kpis = tuple(self.kpi(k) for k in node.score.kpis)
                return ir.ScoreValue(attrs.evolve(node.score, kpis=kpis))
            case ir.Group():
                return self.group(node)
            case (
                ir.Const()
                | ir.Column()
                | ir.Param()
                | ir.TextCodes()
                | ir.LineRef()
                | ir.Subtotal()
            ):
                return node
            case _:
                assert_never(node)

    def matrix(self, node: ir.MatrixLookup) -> ir.Expr:
        """A matrix lookup, its keys bound; two arguments that look swapped are refused."""
        pair = swapped_keys(node.table, node.args, self.schema.numeric, self.schema.text)
        if pair is not None:  # grade_coef(score, grade): text at a number key and back
            found = say.MATRIX_ARGS_SWAPPED(table=node.table.name, keys=", ".join(node.table.keys))
            self.error(found, node.span, say.SWAPPED_COLUMNS_HINT(call=swapped_call(node, pair)))
            return ir.Const(math.nan)
        args = tuple(self.matrix_key(node, k) for k in range(len(node.args)))
        return attrs.evolve(node, args=args)

    def matrix_key(self, node: ir.MatrixLookup, key: int) -> ir.Expr:
        """A matrix's key: a text column as codes, or a number (LANGUAGE.md 10).

        A number column compared with names, or a text column compared with numbers, is
        refused here, naming the key, the column and a cell (docs/language.md 13).
        """
        spec, arg = node.table, node.args[key]
        cell = next((c.text for row in spec.rows if (c := row[key]).op != "*"), None)
        if not isinstance(arg, ir.Free) or self.schema.names_only:
            return self.expr(arg)
        what = say.MATRIX_KEY(key=spec.keys[key], table=spec.name)
        if spec.text_keys[key] and arg.name in self.schema.numeric:
            self.error(
                say.KEY_NUMBERS_NAMED(what=what, cell=cell, column=arg.name),
                arg.span,
                say.KEY_NUMBERS_NAMED_HINT(),
            )
            return ir.Const(math.nan)
        if arg.name in self.schema.text and arg.name not in self.schema.numeric:
            if spec.may_be_text(key):
                return ir.TextCodes(arg.name, spec.names[key])
            self.error(
                say.KEY_TEXT_NUMBERS(what=what, cell=cell, column=arg.name),
                arg.span,
                say.KEY_TEXT_NUMBERS_HINT(),
            )
            return ir.Const(math.nan)
        return self.expr(arg)

    def group(self, node: ir.Group) -> ir.Group:
        """A group aggregate with its value bound; its key must be a column of the data."""
        known = self.schema.numeric | self.schema.text | {"card"}  # `over card`: §11
        if node.key is not None and node.key not in known:
            self.error(
                say.GROUP_NO_COLUMN(column=node.key, what=node.text or node.op),
                node.span,
                self.close(node.key, self.columns()) or say.GROUP_OVER_HINT(all=Keyword("all")),
            )
        return attrs.evolve(node, expr=None if node.expr is None else self.expr(node.expr))

    def free(self, node: ir.Free) -> ir.Expr:
        name = node.name
        if name in self.schema.numeric:
            return ir.Column(name)
        if name in self.schema.params:
            return ir.Param(name)
        if name in self.schema.text:
            self.error(say.COLUMN_HOLDS_TEXT(name=name), node.span, say.COLUMN_HOLDS_TEXT_HINT())
            return ir.Const(math.nan)
        library = self.library_entry(name)
        if library is not None:
            return library
        self.error(say.UNKNOWN_NAME(name=name), node.span, self.hint(name))
        return ir.Const(math.nan)

    def library_entry(self, name: str) -> ir.Expr | None:
        """A library indicator bound to the data, or None if it is unknown or lacks columns."""
        if name in self.bound_library:
            return self.bound_library[name]
        definition = self.library.get(name)
        if definition is None:
            return None
        self.bound_library[name] = None  # guards against cycles in the library
        inner = self.library_expr(definition.expr)
        bound = attrs.evolve(definition, expr=inner) if inner is not None else None
        self.bound_library[name] = bound
        return bound

    def library_expr(self, node: ir.Expr) -> ir.Expr | None:
        """A library definition's expression bound to the data, or None if it lacks a column."""
        if isinstance(node, ir.Free):
            if node.name in self.schema.numeric:
                return ir.Column(node.name)
            if node.name in self.schema.params:
                return ir.Param(node.name)
            return self.library_entry(node.name)
        found = [self.library_expr(c) for c in ir.children(node)]
        parts = [p for p in found if p is not None]
        if len(parts) < len(found):
            return None
        match node:
            case ir.Op():
                return attrs.evolve(node, args=tuple(parts))
            case ir.Lookup():
                return attrs.evolve(node, arg=parts[0])
            case ir.MatrixLookup():
                return attrs.evolve(node, args=tuple(parts))
            case ir.Named():
                return attrs.evolve(node, expr=parts[0])
            case (
                ir.ScoreValue()
                | ir.Group()
                | ir.Const()
                | ir.Column()
                | ir.Param()
                | ir.TextCodes()
                | ir.LineRef()
                | ir.Subtotal()
            ):
                # The standard library defines no scores, groups nor lines; the rest binds nothing.
                return node
            case _:
                assert_never(node)

    def hint(self, name: str) -> Message:
        known = [
            *self.schema.numeric,
            *self.schema.params,
            *self.library,
            *(n.name for n in self.program.indicators),
            *self.earlier,  # `comission_team_sales` for the line `commission_team_sales`
        ]
        close = self.close(name, known)
        if name in self.library:
            needs = sorted(
                {n.name for n in ir.walk(self.library[name].expr) if isinstance(n, ir.Free)}
                - self.schema.numeric
                - self.schema.params
                - set(self.library)
            )
            lacks = say.LIBRARY_NEEDS_COLUMNS if len(needs) > 1 else say.LIBRARY_NEEDS_COLUMN
            return lacks(name=name, columns=", ".join(needs))
        if close:
            return close
        return say.UNKNOWN_NAME_HINT()

    # ---- directions -----------------------------------------------------------------------

    def direction_of(self, value: ir.Expr, written: int | None) -> int:
        if written is not None:
            return written
        if isinstance(value, ir.Named) and value.direction is not None:
            return value.direction
        if isinstance(value, ir.Column | ir.Param) and value.name in self.library:
            # A column (or param) named like a standard indicator means that indicator,
            # direction and all; the checker settled the side of each `beyond` the same way.
            return self.library[value.name].direction or 1
        return 1

    def kpi(self, kpi: ir.KpiSpec) -> ir.KpiSpec:
        value = self.expr(kpi.value)
        kpi = attrs.evolve(kpi, **self.per_row(ir.kpi_per_row(kpi)))
        low, high = kpi.baseline, kpi.challenge
        if not (isinstance(low, float) and isinstance(high, float)):  # read per row: §13
            return attrs.evolve(kpi, value=value, direction=self.direction_of(value, kpi.direction))
        if kpi.direction is None and not isinstance(value, ir.Named | ir.Column):
            direction = 1 if low < high else -1
        else:
            direction = self.direction_of(value, kpi.direction)
        if (high - low) * direction <= 0:
            better = say.KPI_LOWER_BETTER if direction < 0 else say.KPI_HIGHER_BETTER
            self.error(better(kpi=kpi.text), kpi.span)
        return attrs.evolve(kpi, value=value, direction=direction)

    # ---- lines ------------------------------------------------------------------------------

    def card(self, card: ir.Card) -> ir.Card:
        """A card with its lines bound; a misspelt name may be meant as an earlier line."""
        lines: list[ir.Line] = []
        for line in card.lines:
            self.earlier = [*(done.name for done in lines), "subtotal"]
            lines.append(self.line(line))
        self.earlier = []  # a pool's names are not in any card
        return attrs.evolve(card, lines=tuple(lines))

    def line(self, line: ir.Line) -> ir.Line:
        """A line with the expressions it reads bound; a `base by` column must exist."""
        match line:
            case ir.BalanceLine():
                return self.balance(line)
            case ir.CommissionLine():
                scale = self.expr(line.scale) if line.scale is not None else None
                line = attrs.evolve(line, **self.per_row(ir.clause_per_row(line)))
                beyond = map_per_row(line.beyond, lambda p: attrs.evolve(p, expr=self.expr(p.expr)))
                return attrs.evolve(line, base=self.expr(line.base), scale=scale, beyond=beyond)
            case ir.BonusLine():
                return attrs.evolve(
                    line,
                    amount=self.expr(line.amount),
                    scale=self.expr(line.scale) if line.scale is not None else None,
                    when=self.expr(line.when) if line.when is not None else None,
                )
            case ir.ByLine() if line.column not in self.schema.text | self.schema.numeric:
                self.error(
                    say.BY_NO_COLUMN(column=line.column, name=line.name, by=Keyword("by")),
                    line.column_span,
                    self.close(line.column, self.columns()),
                )
                return line
            case ir.FixedLine():
                return attrs.evolve(line, amount=self.expr(line.amount))
            case ir.ByLine() | ir.ShareLine():
                return line
            case _:
                assert_never(line)

    def per_row(self, given: tuple[ir.PerRow, ...]) -> dict[str, Any]:
        """Clause values read per row (LANGUAGE.md §9), bound, by their clause (their field)."""
        return {p.clause: attrs.evolve(p, expr=self.expr(p.expr)) for p in given}

    def balance(self, line: ir.BalanceLine) -> ir.BalanceLine:
        value = self.expr(line.value)
        direction = self.direction_of(value, line.direction)
        bound = map_per_row(line.beyond, lambda p: attrs.evolve(p, expr=self.expr(p.expr)))
        line = attrs.evolve(line, **self.per_row(ir.clause_per_row(line)), beyond=bound)
        clauses = (line.balance, line.step, line.reward, line.penalty)
        numbers = [v for v in clauses if isinstance(v, float)]
        points = [(b, *w) for b in line.beyond if (w := written_point(b)) is not None]
        if len(numbers) < 4 or len(points) < len(line.beyond):  # placed per row (`per_row`)
            return attrs.evolve(line, value=value, direction=direction)
        balance, step, reward, penalty = numbers
        good, bad = [ir.Tier(0.0, reward)], [ir.Tier(0.0, penalty)]  # placed at compile time
        for beyond, at, rate in points:
            steps = direction * steps_apart(balance, at, step)
            side = "good" if steps > 0 else "bad"
            if (beyond.kind == "reward") != (side == "good"):
                hint = say.BEYOND_HIGHER_HINT if direction > 0 else say.BEYOND_LOWER_HINT
                self.error(
                    say.BEYOND_WRONG_SIDE(
                        beyond=Keyword("beyond"),
                        at=beyond.text,
                        kind=Keyword(beyond.kind),
                        balance=line.balance_text,
                    ),
                    beyond.span,
                    hint(reward=Keyword("reward"), penalty=Keyword("penalty")),
                )
                continue
            (good if side == "good" else bad).append(ir.Tier(abs(steps), rate, span=beyond.span))
        for tiers in (good, bad):
            tiers.sort(key=lambda t: t.at)
            for first, second in itertools.pairwise(tiers):
                if first.at == second.at:
                    self.error(say.BEYOND_SAME_POINT(beyond=Keyword("beyond")), second.span)
        return attrs.evolve(
            line, value=value, direction=direction, good=tuple(good), bad=tuple(bad)
        )

    def columns(self) -> list[str]:
        return [*self.schema.numeric, *self.schema.text]

    def pool(self, pool: ir.PoolSpec) -> ir.PoolSpec:
        for column, what in ((pool.per, "per"), (pool.split_by, "split by")):
            if column is not None and column not in self.schema.numeric | self.schema.text:
                self.error(
                    say.POOL_NO_COLUMN(column=column, what=Keyword(what), pool=pool.name),
                    pool.span,
                    self.close(column, self.columns()),
                )
        if pool.split_by is not None and pool.split_by in self.schema.text:
            self.error(say.SPLIT_COLUMN_TEXT(column=pool.split_by), pool.span)
        read = self.per_row(ir.pool_per_row(pool))
        read = {"threshold" if k == "above" else k: v for k, v in read.items()}
        return attrs.evolve(pool, base=self.expr(pool.base), **read)


def bind(
    program: ir.Program, library: Mapping[str, ir.Named], schema: Schema, cards: Collection[str]
) -> ir.Program:
    """Bind the named cards (and the pools they share) to the data's schema.

    Raises:
        KsfCompileError: unknown names, text columns used as numbers, tiers on the wrong side.
    """
    binder = _Binder(program, library, schema)
    bound_cards = tuple(binder.card(card) for card in program.cards if card.name in cards)
    shared = {pool for card in bound_cards for pool in card.pools()}
    bound_pools = tuple(binder.pool(p) for p in program.pools if p.name in shared)
    if binder.errors:
        raise KsfCompileError(binder.errors)
    return attrs.evolve(program, cards=bound_cards, pools=bound_pools)
