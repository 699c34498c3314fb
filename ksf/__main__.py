"""``python -m ksf``: the ``ksf`` command."""

import sys

from ksf.cli import main

if __name__ == "__main__":
    sys.exit(main())
