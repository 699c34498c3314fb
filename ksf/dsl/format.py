"""AST → canonical rule text, for ``ksf fmt``.

The layout is fixed: two spaces of indentation per block, one statement or line per output
line, a blank line around every block, table keys, score KPIs and runs of indicators aligned
in columns. What the author chose is kept where it carries meaning for a reader: comments
(own-line ones before the line they precede, trailing ones after their line), single blank
lines between lines, the order of a pool's or score's items, and number lexemes as written
(``30%``, ``1:3``, ``1_200_000``, ``100万``). Expressions and clauses are printed by
`ksf.dsl.format_expr`, with exactly the parentheses their structure needs, so
``parse(format(tree)) == tree`` for every tree the parser can build.

Keywords are written in one spelling, English or Chinese (``lang``, LANGUAGE.md §12); names,
labels, comments and numbers are never translated. ``parse(format(tree, lang)) == tree`` in
both spellings. This module sees only the AST; it never imports Lark or the parser.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import assert_never

import attrs

from ksf.dsl import ast
from ksf.dsl.format_expr import clause, clauses, entry_key, expression, label
from ksf.explain_words import Lang
from ksf.source import display_width
from ksf.spelling import ZH, value_word, word

INDENT = "  "
WIDTH = 100  # a `base by` table longer than this goes one entry per line

# ---- keywords a line may not start with ----------------------------------------------------


def _both(*words: str) -> frozenset[str]:
    """``words`` in both spellings (``split by`` and ``missing as`` are one Chinese word)."""
    chinese = {ZH.get(w) or ZH.get(f"{w} by") or ZH.get(f"{w} as") for w in words}
    return frozenset(words) | {w for w in chinese if w}


# Keywords that start a line inside a block. A line whose expression starts with a column of
# that spelling needs it in parentheses, ``(bonus) balance 1000 …``, or it reads as the keyword.
# Both spellings are keywords whatever the file is written in.
CARD_LINE_WORDS = _both("base", "allowance", "commission", "bonus", "share", "min_pay", "missing")
SCORE_LINE_WORDS = _both("points")
POOL_LINE_WORDS = _both(
    "split", "pot", "balance", "step", "reward", "penalty", "cap", "floor", "rate", "weight",
    "baseline", "target", "challenge", "above", "share",
)  # fmt: skip


# ---- output lines --------------------------------------------------------------------------


@attrs.frozen
class _Line:
    """One output line before comments and blank lines are merged in."""

    depth: int
    text: str
    src: int  # the source line it comes from; 0 for a tree built in code
    opens: bool = False
    closes: bool = False


def _align(rows: Sequence[tuple[str, str]], gap: int = 1) -> list[str]:
    """``left right`` with the right parts starting in one column (CJK counts double)."""
    width = max((display_width(left) for left, right in rows if right), default=0)
    return [
        left + " " * (width - display_width(left) + gap) + right if right else left
        for left, right in rows
    ]


def _cell(cell: ast.Cell) -> str:
    """A decision-matrix cell as written: ``>= 90``, ``A``, ``"x y"``, ``3`` or ``*``."""
    number = cell.number.text if cell.number is not None else ""
    match cell.kind:
        case "compare":
            return f"{cell.op} {number}"
        case "number":
            return number
        case "string":
            return f'"{cell.text}"'
        case "any":
            return "*"
        case _:  # a name
            return cell.text


class _Layout:
    """Turns statements into `_Line`s; knows the comments, to keep them inside their block."""

    def __init__(self, comments: Sequence[ast.Comment], lang: Lang = "en") -> None:
        self.comment_lines = sorted(c.line for c in comments)
        self.lang = lang

    def w(self, english: str) -> str:
        """A keyword in the layout's spelling."""
        return word(english, self.lang)

    def has_comment(self, after: int, upto: int) -> bool:
        """Whether a comment starts on a line in (after, upto]."""
        return bisect.bisect_right(self.comment_lines, upto) > bisect.bisect_right(
            self.comment_lines, after
        )

    def block(
        self, head: str, node: ast.Statement, body: list[_Line], depth: int = 0
    ) -> list[_Line]:
        """``head {``, the body one level deeper, ``}`` (``head {}`` when there is nothing)."""
        if not body and not self.has_comment(node.span.line, node.span.end_line):
            return [_Line(depth, head + " {}", node.span.line)]
        return [
            _Line(depth, head + " {", node.span.line, opens=True),
            *body,
            _Line(depth, "}", node.span.end_line, closes=True),
        ]

    def statement(self, node: ast.Statement) -> list[_Line]:
        """The lines of one top-level statement (indicators are laid out by `indicators`)."""
        line = node.span.line
        match node:
            case ast.Currency() | ast.Language():
                word = "currency" if isinstance(node, ast.Currency) else "language"
                return [_Line(0, f"{self.w(word)} {node.code}", line)]
            case ast.Rounding():
                mode = f" {value_word(node.mode, self.lang)}" if node.mode else ""
                return [_Line(0, f"{self.w('rounding')} {node.unit.text}{mode}", line)]
            case ast.Indicator():
                return self.indicators([node])
            case ast.Column():
                return self.columns([node])
            case ast.Table():
                keys = f"({', '.join(node.keys)})" if node.keys else ""
                rows = self.matrix_rows(node) if node.matrix else self.table_rows(node)
                return self.block(f"{self.w('table')} {node.name}{keys}", node, rows)
            case ast.Score():
                return self.block(f"{self.w('score')} {node.name}", node, self.score_items(node))
            case ast.Pool():
                per = f" {self.w('per')} {node.per}" if node.per else ""
                head = f"{self.w('pool')} {node.name}{per}"
                return self.block(head, node, self.pool_items(node))
            case ast.Card():
                body = [row for item in node.items for row in self.card_item(item)]
                head = f"{self.w('card')} {node.name}{label(node.label)}"
                head += f" {self.w('effective')} {node.effective}" if node.effective else ""
                return self.block(head, node, body)
            case _:
                assert_never(node)

    def indicators(self, run: Sequence[ast.Indicator]) -> list[_Line]:
        """A run of indicators with their ``=`` and their units aligned."""
        heads = [f"{self.w('indicator')} {n.name}{label(n.label)}" for n in run]
        tails = [
            " ".join(w for w in (n.unit, n.direction and self.w(n.direction)) if w) for n in run
        ]
        exprs = _align(
            [
                (f"= {expression(n.expr, lang=self.lang)}", t)
                for n, t in zip(run, tails, strict=True)
            ],
            gap=2,
        )
        texts = _align(list(zip(heads, exprs, strict=True)))
        return [_Line(0, text, n.span.line) for n, text in zip(run, texts, strict=True)]

    def columns(self, run: Sequence[ast.Column]) -> list[_Line]:
        """A run of ``column`` declarations with their units and bounds aligned."""
        heads = [f"{self.w('column')} {n.name}{label(n.label)}" for n in run]
        units = [(n.unit or "", " ".join(f"{b.op} {b.value.text}" for b in n.bounds)) for n in run]
        tails = _align(units, gap=2)
        texts = _align(list(zip(heads, tails, strict=True)))
        return [_Line(0, text.rstrip(), n.span.line) for n, text in zip(run, texts, strict=True)]

    def table_rows(self, node: ast.Table) -> list[_Line]:
        """``>= 90 : 1.2`` rows, keys aligned."""
        keys = [
            self.w("else") if r.op is None or r.threshold is None else f"{r.op} {r.threshold.text}"
            for r in node.rows
        ]
        texts = _align([(key, f": {r.value.text}") for key, r in zip(keys, node.rows, strict=True)])
        return [_Line(1, text, r.span.line) for text, r in zip(texts, node.rows, strict=True)]

    def matrix_rows(self, node: ast.Table) -> list[_Line]:
        """``A, >= 90 : 1.5`` rows of a decision matrix, each key's cells aligned."""
        cells = [[_cell(c) for c in r.cells] if r.cells else [] for r in node.matrix]
        texts = [row[0] if row else self.w("else") for row in cells]
        for k in range(1, max(map(len, cells), default=0)):
            texts = _align(
                [
                    (t + ",", r[k]) if len(r) > k else (t, "")
                    for t, r in zip(texts, cells, strict=True)
                ]
            )
        texts = _align([(t, f": {r.value.text}") for t, r in zip(texts, node.matrix, strict=True)])
        return [_Line(1, text, r.span.line) for text, r in zip(texts, node.matrix, strict=True)]

    def score_items(self, node: ast.Score) -> list[_Line]:
        """KPIs with their clauses aligned, and ``points``, in the order written."""
        words = [" ".join(clause(c, self.lang) for c in k.clauses) for k in node.kpis]
        texts = _align(
            [
                (expression(k.expr, SCORE_LINE_WORDS, self.lang), w)
                for k, w in zip(node.kpis, words, strict=True)
            ]
        )
        lines = [_Line(1, text, k.span.line) for text, k in zip(texts, node.kpis, strict=True)]
        if node.points is not None:
            points = " ".join(p.text for p in node.points)
            lines.append(_Line(1, f"{self.w('points')} {points}", node.points_span.line))
        return sorted(lines, key=lambda x: x.src)

    def pool_items(self, node: ast.Pool) -> list[_Line]:
        """Amounts, ``split by`` and ``cap``, in the order written."""
        lines = [
            _Line(1, clauses(a.expr, a.clauses, POOL_LINE_WORDS, self.lang), a.span.line)
            for a in node.amounts
        ]
        lines += [
            _Line(1, clause(c, self.lang), c.span.line) for c in (*node.split_by, *node.clauses)
        ]
        return sorted(lines, key=lambda x: x.src)

    def card_item(self, node: ast.CardItem) -> list[_Line]:
        """The line (or, for a long or commented ``by`` table, lines) of one card item."""
        line = node.span.line
        match node:
            case ast.Fixed():
                return self.fixed(node)
            case ast.Rule():
                text = clauses(node.expr, node.clauses, CARD_LINE_WORDS, self.lang)
                return [_Line(1, text, line)]
            case ast.Commission():
                text = clauses(node.expr, node.clauses, lang=self.lang)
                return [_Line(1, f"{self.w('commission')} {text}", line)]
            case ast.Bonus():
                text = clauses(node.expr, node.clauses, lang=self.lang)
                return [_Line(1, f"{self.w('bonus')} {text}", line)]
            case ast.Share():
                alias = f" {self.w('as')} {node.alias}" if node.alias else ""
                return [_Line(1, f"{self.w('share')} {node.pool}{alias}", line)]
            case ast.MinPay():
                return [_Line(1, f"{self.w('min_pay')} {node.amount.text}", line)]
            case ast.Missing():
                balance = node.mode == "balance"
                mode = self.w(node.mode) if balance else value_word(node.mode, self.lang)
                return [_Line(1, f"{self.w('missing as')} {mode}", line)]
            case _:
                assert_never(node)

    def fixed(self, node: ast.Fixed) -> list[_Line]:
        """``base 6000``, ``base by grade { A: 9000, B: 7000 } as pay``."""
        alias = f" {self.w('as')} {node.alias}" if node.alias else ""
        kind = self.w(node.kind)
        if node.by is None and node.expr is not None:
            # a name from the data stays bare; anything else keeps its parentheses (§9)
            text = expression(node.expr, lang=self.lang)
            amount = text if isinstance(node.expr, ast.Name) else f"({text})"
            return [_Line(1, f"{kind} {amount}{alias}", node.span.line)]
        if node.by is None:
            amount = node.amount.text if node.amount is not None else "0"
            return [_Line(1, f"{kind} {amount}{alias}", node.span.line)]
        head = f"{kind} {self.w('by')} {node.by}"
        entries = [f"{entry_key(e.key)}: {e.value.text}" for e in node.entries]
        inline = f"{head} {{ {', '.join(entries)} }}{alias}"
        span = node.span
        if len(INDENT) + len(inline) <= WIDTH and not self.has_comment(span.line, span.end_line):
            return [_Line(1, inline, span.line)]
        return [
            _Line(1, head + " {", span.line, opens=True),
            *(_Line(2, text, e.span.line) for text, e in zip(entries, node.entries, strict=True)),
            _Line(1, "}" + alias, span.end_line, closes=True),
        ]


# ---- the whole file ------------------------------------------------------------------------


def format_rulebook(tree: ast.Rulebook, lang: Lang = "en") -> str:
    """The canonical text of a rule file: the same rules, comments and blank-line groups.

    Args:
        tree: a parsed rule file (its comments and blank lines are kept) or a tree built in
            code (laid out from scratch).
        lang: the spelling of the keywords, ``"en"`` (``card``, ``balance``) or ``"zh"``
            (``计薪卡``, ``平衡点``).

    Returns:
        The text, ending in a newline; empty for an empty file.
    """
    layout = _Layout(tree.comments, lang)
    blanks = frozenset(tree.blank_lines)
    chunks: list[tuple[bool, list[_Line]]] = []  # (is a block, lines) per statement group
    statements = list(tree.statements)
    while statements:
        node = statements.pop(0)
        match node:
            case ast.Indicator():
                run = [node]
                while statements and _same_run(run[-1], statements[0], blanks):
                    run.append(statements.pop(0))  # type: ignore[arg-type]  # _same_run checks
                chunks.append((False, layout.indicators(run)))
            case ast.Column():
                columns = [node]
                while statements and _same_run(columns[-1], statements[0], blanks):
                    columns.append(statements.pop(0))  # type: ignore[arg-type]  # _same_run checks
                chunks.append((False, layout.columns(columns)))
            case ast.Table() | ast.Score() | ast.Pool() | ast.Card():
                chunks.append((True, layout.statement(node)))
            case ast.Currency() | ast.Rounding() | ast.Language():
                chunks.append((False, layout.statement(node)))
            case _:
                assert_never(node)
    return _render(chunks, tree.comments, blanks)


def _same_run(
    last: ast.Indicator | ast.Column, node: ast.Statement, blanks: frozenset[int]
) -> bool:
    """Whether ``node`` continues a run of indicators or columns: one, no blank line between."""
    if type(node) is not type(last):
        return False
    return not any(last.span.end_line < b < node.span.line for b in blanks)


@attrs.frozen
class _Out:
    """An output line with what deciding the blank line before it needs."""

    text: str
    src: int
    opens: bool = False
    closes: bool = False
    comment: bool = False
    forced_blank: bool = False  # a block's group starts here: it needs a blank line…
    lead: int = 1  # …unless the source has one within its first `lead` lines


def _render(
    chunks: Sequence[tuple[bool, list[_Line]]],
    comments: Sequence[ast.Comment],
    blanks: frozenset[int],
) -> str:
    code = [line for _, lines in chunks for line in lines]
    srcs = [line.src for line in code]
    before: dict[int, list[ast.Comment]] = {}  # code index → own-line comments before it
    after: dict[int, str] = {}  # code index → its trailing comment
    for comment in sorted(comments, key=lambda c: (c.line, c.column)):
        index = bisect.bisect_right(srcs, comment.line)
        if not comment.own_line and index > 0 and index - 1 not in after:
            after[index - 1] = comment.text
        else:  # an own-line comment, or a second trailing one on one output line
            before.setdefault(index, []).append(comment)
    out: list[_Out] = []
    start = 0
    previous_block = False
    # The last group holds no code: the comments after the last statement.
    for block, lines in [*chunks, (False, [])]:
        group: list[_Out] = []
        stop = start + len(lines)
        for position in range(start, stop if lines else start + 1):
            target = code[position] if position < len(code) else None
            depth = 0 if target is None else target.depth + int(target.closes)
            group += [
                _Out(INDENT * depth + c.text, c.line, comment=True)
                for c in before.get(position, [])
            ]
            if target is not None:
                trailing = f"  {after[position]}" if position in after else ""
                text = INDENT * target.depth + target.text + trailing
                group.append(_Out(text, target.src, target.opens, target.closes))
        if group and out and (block or previous_block):
            # a block gets a blank line on both sides, whatever the source had
            lead = next((n for n, line in enumerate(group) if not line.comment), len(group)) + 1
            group[0] = attrs.evolve(group[0], forced_blank=True, lead=lead)
        out += group
        start = stop
        previous_block = block
    return _join(out, blanks)


def _join(out: Sequence[_Out], blanks: frozenset[int]) -> str:
    """The lines, with one blank line where forced or where the source had one or more."""

    def kept(number: int) -> bool:
        line, previous = out[number], out[number - 1]
        return line.src - 1 in blanks and previous.src < line.src - 1

    text: list[str] = []
    for number, line in enumerate(out):
        if number > 0 and not line.closes and not out[number - 1].opens:
            lead = range(number, min(number + line.lead, len(out)))
            forced = line.forced_blank and not any(kept(n) for n in lead)
            if forced or kept(number):
                text.append("")
        text.append(line.text)
    return "".join(f"{line}\n" for line in text)
