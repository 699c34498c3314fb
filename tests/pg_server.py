"""A throw-away PostgreSQL server for the ledger's tests: initdb, pg_ctl start, stop.

Debian's ``postgresql`` package (installed by tests/setup_env.sh) puts its programs in
``/usr/lib/postgresql/<version>/bin``, off the PATH. PostgreSQL refuses to run as root, so
when the tests run as root (as in CI) the server runs as the ``postgres`` user the package
creates, in a directory of its own under the system's temporary directory (pytest's own
temporary directories are private to root).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import attrs


@attrs.frozen
class Server:
    """A running server: its data directory, port, and the user it runs as (or None)."""

    bindir: Path
    data: Path
    port: int
    user: str | None

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the ``postgres`` database, as the superuser ``ksf``."""
        return f"postgresql+psycopg://ksf@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        """Stop the server and delete its data directory."""
        _run(self, "pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.data.parent, ignore_errors=True)


def bindir() -> Path | None:
    """The directory of initdb and pg_ctl: on the PATH, else Debian's newest version."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    installed = Path("/usr/lib/postgresql").glob("*/bin/initdb")
    candidates = sorted(installed, key=lambda p: int(p.parent.parent.name))
    return candidates[-1].parent if candidates else None


def why_not() -> str | None:
    """Why no server can be started here, or None when one can."""
    if bindir() is None:
        return "PostgreSQL is not installed (tests/setup_env.sh installs Debian's postgresql)"
    if os.geteuid() == 0 and _user() is None:
        return "running as root and there is no postgres user to run PostgreSQL as"
    return None


def start() -> Server:
    """Initialise a cluster in a new temporary directory and start it on a free port."""
    programs = bindir()
    assert programs is not None
    user = _user() if os.geteuid() == 0 else None
    home = Path(tempfile.mkdtemp(prefix="ksf-pg-"))
    data = home / "data"
    if user is not None:
        record = pwd.getpwnam(user)
        os.chown(home, record.pw_uid, record.pw_gid)
    server = Server(programs, data, _free_port(), user)
    _run(server, "initdb", "-D", str(data), "-U", "ksf", "-A", "trust", "-E", "UTF8",
         "--locale", "C", "--no-sync")  # fmt: skip
    options = f"-h 127.0.0.1 -p {server.port} -k {home} -F"
    _run(server, "pg_ctl", "-D", str(data), "-o", options, "-l", str(home / "log"), "-w", "start")
    return server


def _user() -> str | None:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    return "postgres"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(server: Server, program: str, *args: str) -> None:
    command = [str(server.bindir / program), *args]
    if server.user is not None:
        command = ["runuser", "-u", server.user, "--", *command]
    subprocess.run(command, check=True, capture_output=True, cwd="/")
