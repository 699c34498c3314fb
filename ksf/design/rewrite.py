"""Writing a calibrated value back into rule text, with its provenance comment above the line.

The clause is rewritten where it stands (its keyword as the file spells it, the new value
after it), a comment saying where the value came from goes on its own line above the rule
(replacing the comment an earlier calibration left there), and the whole text then goes
through the formatter (`ksf.rulebook.format_text`, what ``ksf fmt`` writes): every other
line, comment and keyword spelling stays as it was, formatting aside.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import attrs

from ksf.catalogue import calibrate as say
from ksf.design.failure import CalibrationError
from ksf.dsl import ast
from ksf.dsl.parser import parse
from ksf.rulebook import format_text, rule_source
from ksf.source import Source, Span
from ksf.spelling import mostly, word

# Where a clause the line does not write goes: after this clause (``penalty`` after ``reward``).
INSERTED_AFTER = {"penalty": "reward", "pot": "balance"}
MARKS = (say.MARK.en, say.MARK.zh)  # a comment an earlier calibration wrote starts so


@attrs.frozen
class Edit:
    """One clause of one line to write: the line is found by its card and its span."""

    card: str
    line: Span  # the line's span in the text being edited
    clause: str  # the English keyword
    value: str  # the text to write: a number as the file writes numbers, or a name
    comment: str = ""  # the provenance, without ``#``; empty: no comment is changed


def rewritten(text: str, name: str, edits: Sequence[Edit], *, formatted: bool = True) -> str:
    """``text`` with every edit made (and formatted, unless ``formatted`` is False).

    Raises:
        CalibrationError: a clause the line neither writes nor can take.
    """
    source = rule_source(text, name)
    tree = parse(source)
    out = source.text
    for edit in sorted(edits, key=lambda e: (e.line.line, e.line.column), reverse=True):
        item = _item(tree, edit)
        out = _with_clause(out, source, item, edit)
        if edit.comment:
            out = _with_comment(out, item.span.line, edit.comment)
    return format_text(out, name) if formatted else out


def _item(tree: ast.Rulebook, edit: Edit) -> ast.Rule | ast.Commission:
    cards = (s for s in tree.statements if isinstance(s, ast.Card) and s.name == edit.card)
    for card in cards:
        for item in card.items:
            if isinstance(item, ast.Rule | ast.Commission) and item.span == edit.line:
                return item
    raise AssertionError(edit)  # the span came from compiling this very text


def _offset(source: Source, line: int, column: int) -> int:
    """The character offset of a 1-based line and column."""
    starts = [0]
    for text in source.text.split("\n"):
        starts.append(starts[-1] + len(text) + 1)
    return starts[line - 1] + column - 1


def _with_clause(out: str, source: Source, item: ast.Rule | ast.Commission, edit: Edit) -> str:
    """The text with the clause's value replaced, or the clause added after its neighbour."""
    written = {c.keyword: c for c in item.clauses if isinstance(c, ast.Clause)}
    found = written.get(edit.clause)
    lang = mostly(source.text)
    if found is not None:
        start = _offset(source, found.span.line, found.span.column)
        end = _offset(source, found.span.end_line, found.span.end_column)
        keyword = out[start:end].split(None, 1)[0]
        return f"{out[:start]}{keyword} {edit.value}{out[end:]}"
    neighbour = written.get(INSERTED_AFTER.get(edit.clause, ""))
    if neighbour is None:
        raise CalibrationError(say.CLAUSE_NOT_WRITTEN(clause=edit.clause))
    end = _offset(source, neighbour.span.end_line, neighbour.span.end_column)
    return f"{out[:end]} {word(edit.clause, lang)} {edit.value}{out[end:]}"


def _with_comment(out: str, line: int, comment: str) -> str:
    """The comment on its own line above ``line``, in place of an earlier calibration's."""
    lines = out.split("\n")
    indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
    above = lines[line - 2].strip() if line >= 2 else ""
    first = line - 1
    if above.startswith("#") and above.lstrip("#").strip().startswith(MARKS):
        first = line - 2
    return "\n".join([*lines[:first], f"{indent}# {comment}", *lines[line - 1 :]])


def written_value(text: str, name: str, card: str, line: Span, clause: str) -> str:
    """The clause's value as the file writes it: ``52%``, ``target_gm``; empty if not written."""
    source = rule_source(text, name)
    item = _item(parse(source), Edit(card, line, clause, ""))
    found = next(
        (c for c in item.clauses if isinstance(c, ast.Clause) and c.keyword == clause), None
    )
    if found is None or found.value is None or isinstance(found.value, str):
        return ""
    span = found.value.span
    return source.text[
        _offset(source, span.line, span.column) : _offset(source, span.end_line, span.end_column)
    ]


# ---- numbers as the file writes them -------------------------------------------------------


def plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 0.0075, 1200000, -3."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def lexeme(value: Decimal, like: str, *, percent: bool) -> str:
    """``value`` written as the lexeme ``like`` was: ``48%``, ``1:8.5``, ``52万``, ``1_200_000``.

    ``percent``: the clause is a percentage (a rate, or a point of a percentage indicator)
    and ``like`` is not a number (a name read per row): written with ``%``.
    """
    if like.endswith("%") or (percent and not _number(like)):
        return f"{plain(value * 100)}%"
    if ":" in like:
        return f"1:{plain(value)}"
    if like.endswith("万") and (value / 10_000) == (value / 10_000).quantize(Decimal("0.0001")):
        return f"{plain(value / 10_000)}万"
    if "_" in like and value == value.to_integral_value() and abs(value) >= 10_000:
        return f"{int(value):_}"
    return plain(value)


def _number(text: str) -> bool:
    return bool(text) and (text[0].isdigit() or text[0] in "-+.")


def snapped(value: float, origin: Decimal, step: Decimal) -> Decimal:
    """``value`` moved to the nearest whole number of steps from ``origin`` (halves away)."""
    steps = ((decimal(value) - origin) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return origin + steps * step


def decimal(value: float) -> Decimal:
    """A float as the shortest decimal that reads back as it (0.1 → 0.1, not 0.1000…0555)."""
    return Decimal(repr(float(value)))
