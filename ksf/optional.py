"""Optional libraries (pandas, polars, pyarrow, openpyxl, matplotlib, hypothesis).

ksf's core needs only NumPy, attrs and Lark; each extra is imported by the function that
needs it, and when it is missing the error says which ``pip install`` provides it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ksf.catalogue import io as say
from ksf.message import Message


@contextmanager
def requires(
    package: str, needed_by: Message | str, extra: str | None = None, *, chain: bool = False
) -> Iterator[None]:
    """Around the imports of an optional library: if one fails, say what to install.

    The imports stay plain ``import`` statements inside the block, never a name looked up
    at run time, so what ksf may import is written in its source.

    Args:
        package: the library the block imports (``"pyarrow"``).
        needed_by: what needs it, as the message starts: the name of a function
            (``"Payroll.to_pandas"``), or what is being done (`say.READING_XLSX`).
        extra: the ksf extra that installs it (``"pandas"``: ``pip install 'ksf[pandas]'``);
            None: the package itself (``pip install hypothesis``).
        chain: keep the original ImportError as the cause, so that a broken install (a
            library present but failing to import) shows why.

    Raises:
        ImportError: ``{needed_by} needs {package}: pip install …``.

    Examples:
        >>> with requires("no_such_library", "reading .xyz files", "xyz"):
        ...     import no_such_library
        Traceback (most recent call last):
        ...
        ImportError: reading .xyz files needs no_such_library: pip install 'ksf[xyz]'
    """
    try:
        yield
    except ImportError as error:
        install = f"'ksf[{extra}]'" if extra else package
        msg = say.NEEDS(needed_by=needed_by, package=package, install=install)
        raise ImportError(msg) from (error if chain else None)
