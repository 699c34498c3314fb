"""Optional libraries (pandas, polars, pyarrow, openpyxl, matplotlib, hypothesis).

ksf's core needs only NumPy, attrs and Lark; each extra is imported by the function that
needs it, and when it is missing the error says which ``pip install`` provides it.
"""

from __future__ import annotations

import sys
from types import ModuleType


def require(
    module: str, needed_by: str, extra: str | None = None, *, chain: bool = False
) -> ModuleType:
    """``module`` imported, or an ImportError naming the ``pip install`` that provides it.

    Args:
        module: the module to import (``"pyarrow.parquet"``); the message names its package.
        needed_by: what needs it, as the message starts (``"Payroll.to_pandas"``).
        extra: the ksf extra that installs it (``"pandas"``: ``pip install 'ksf[pandas]'``);
            None: the package itself (``pip install hypothesis``).
        chain: keep the original ImportError as the cause, so that a broken install (a
            library present but failing to import) shows why.

    Examples:
        >>> require("json", "ksf").dumps([1])
        '[1]'
        >>> require("no_such_library", "reading .xyz files", "xyz")
        Traceback (most recent call last):
        ...
        ImportError: reading .xyz files needs no_such_library: pip install 'ksf[xyz]'
    """
    try:
        # The import statement's own hook, not importlib: whatever stands in for it (a test
        # hiding a library, an application's import guard) is honoured as before.
        __import__(module)
    except ImportError as error:
        package = module.partition(".")[0]
        install = f"'ksf[{extra}]'" if extra else package
        msg = f"{needed_by} needs {package}: pip install {install}"
        raise ImportError(msg) from (error if chain else None)
    return sys.modules[module]
