"""``ksf serve --rules DIR``: the HTTP service on uvicorn (the ``serve`` extra).

uvicorn is handed the app as an import string (``ksf.serve.app:from_environment``) and the
settings through the environment, as uvicorn needs for ``--workers`` (each worker process
imports the app itself); so the command line never imports FastAPI, and other commands
start as fast without the extra as with it.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import TextIO

from ksf.catalogue import serve as say
from ksf.cli.inputs import UsageError
from ksf.explain_words import check_lang
from ksf.optional import requires

__all__ = ["EXAMPLES", "SETTINGS", "options", "serve"]

SETTINGS = "KSF_SERVE_SETTINGS"  # the folder and the limits, as JSON, for each worker
EXAMPLES = """\
examples:
  ksf serve --rules rules/                       every rules/*.ksf on http://127.0.0.1:8000
  KSF_TOKEN=s3cret ksf serve --rules rules/ --host 0.0.0.0 --workers 2
                               callers send 'Authorization: Bearer s3cret'
  the API: http://127.0.0.1:8000/openapi.json (OpenAPI 3.1), /docs to try it"""


def options(command: argparse.ArgumentParser) -> None:
    """The options of ``ksf serve``."""
    command.add_argument("--rules", required=True, metavar="DIR", help="the folder of .ksf files")
    command.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1 (this machine)")
    command.add_argument("--port", type=int, default=8000, help="default: 8000")
    command.add_argument("--workers", type=int, default=1, help="processes (default: 1)")
    command.add_argument(
        "--max-body",
        type=int,
        default=20 * 2**20,
        metavar="BYTES",
        help="largest request body (default: 20 MiB); larger: 413",
    )
    command.add_argument(
        "--max-rows",
        type=int,
        default=200_000,
        metavar="N",
        help="most rows one request evaluates (default: 200,000); more: 413",
    )
    command.add_argument(
        "--max-rule-chars",
        type=int,
        default=1_000_000,
        metavar="N",
        help="longest rule text /check reads (default: 1,000,000 characters); longer: 413",
    )
    command.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="longest evaluation (default: 30 s); longer: 503",
    )
    command.add_argument(
        "--ledger",
        metavar="WHERE",
        help="a ledger (a SQLite file or an SQLAlchemy URL) that POST /rulebooks/NAME/post "
        "posts payrolls to (ksf[ledger]); without it there is no posting",
    )
    command.add_argument("--lang", choices=["zh", "en"], help="the start-up message's language")


def serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run the service until interrupted; the token is read from ``KSF_TOKEN``."""
    folder = Path(args.rules)
    if not folder.is_dir():
        raise UsageError(say.NOT_A_FOLDER(path=str(folder)))
    with requires("fastapi", "ksf serve", "serve"):
        import fastapi  # noqa: F401 - refused here, not in each worker, when missing
        import uvicorn
    settings = {
        "rules": str(folder.resolve()),
        "max_body": args.max_body,
        "max_rule_chars": args.max_rule_chars,
        "max_rows": args.max_rows,
        "seconds": args.timeout,
        "ledger": args.ledger,
    }
    os.environ[SETTINGS] = json.dumps(settings)
    lang = check_lang(args.lang or "en")
    count = len(list(folder.glob("*.ksf")))
    started = say.SERVING(count=count, folder=folder, host=args.host, port=args.port)
    err.write(started.text(lang) + "\n")
    err.flush()
    uvicorn.run(
        "ksf.serve.app:from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,  # ksf's own access log: no query strings, no amounts
        log_level="warning",
    )
    return 0
