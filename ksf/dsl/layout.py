"""Rule text that parsed → its comments and blank lines, the layout the AST leaves out.

`ksf.dsl.parser` attaches both to `ast.Rulebook` (outside equality) for the formatter.
"""

from __future__ import annotations

from ksf.dsl import ast


def layout(text: str) -> tuple[tuple[ast.Comment, ...], tuple[int, ...]]:
    """The comments of rule text that parsed, and the numbers of its blank lines.

    Read from the text rather than from tokens because the grammar folds comment lines into
    its statement separator. A scan is exact here: strings hold no newline and no escapes, so
    a ``#`` starts a comment unless an odd number of quotes precede it on its line.
    """
    comments = []
    blanks = []
    for number, line in enumerate(text.split("\n"), start=1):
        comment = _comment(number, line)
        if comment is not None:
            comments.append(comment)
        if not line.strip():
            blanks.append(number)
    return tuple(comments), tuple(blanks)


def _comment(number: int, line: str) -> ast.Comment | None:
    quoted = False
    for column, char in enumerate(line, start=1):
        if char == '"':
            quoted = not quoted
        elif char == "#" and not quoted:
            own = not line[: column - 1].strip()
            return ast.Comment(number, column, line[column - 1 :].rstrip(), own)
    return None
