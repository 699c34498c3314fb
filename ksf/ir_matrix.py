"""The IR of a decision matrix (LANGUAGE.md 10) that reads no expression: cells, spec, text codes.

`ksf.ir` re-exports these, so every stage names them ``ir.MatrixSpec`` and so on;
`ksf.ir.MatrixLookup` is the expression that looks a matrix up.
"""

from __future__ import annotations

import attrs


@attrs.frozen(cache_hash=True)
class MatrixCell:
    """One cell of a decision-matrix row: ``*``, a comparison, or an equality.

    ``op`` is ``*`` (any), ``>= > <= <`` or ``==``. A text key's cell ``A`` is ``== i``,
    ``i`` the index of ``A`` among the key's ``names`` (`MatrixSpec`), which is the code
    `TextCodes` gives a row holding ``A``; ``text`` is the cell as written, for explain.
    """

    op: str
    number: float = 0.0
    text: str = attrs.field(default="*", eq=False)


@attrs.frozen(cache_hash=True)
class MatrixSpec:
    """A table with several keys (LANGUAGE.md 10): the first row whose every cell matches wins.

    ``names[k]`` are the texts key ``k`` is compared with (empty for a number key);
    ``text_keys[k]`` says whether key ``k`` must be a text column.
    """

    name: str
    keys: tuple[str, ...]
    rows: tuple[tuple[MatrixCell, ...], ...]
    values: tuple[float, ...]
    otherwise: float
    names: tuple[tuple[str, ...], ...]
    text_keys: tuple[bool, ...]

    def may_be_text(self, key: int) -> bool:
        """Whether key ``key`` may read a text column: compared with names, or only ``*``."""
        return self.text_keys[key] or all(row[key].op == "*" for row in self.rows)


@attrs.frozen(cache_hash=True)
class TextCodes:
    """A text column as numbers: the index of each row's text among ``names``.

    A text not among them is -1; an empty (missing) cell is NaN. Binding makes it from a
    matrix's text key, so every kernel still works on numbers.
    """

    column: str
    names: tuple[str, ...]
