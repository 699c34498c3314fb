"""A `ksf serve` process for the tests that speak HTTP to it (test_serve, test_serve_clients)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]

TOKEN = "t0ken-for-tests"  # noqa: S105 - a test server's token
# One line a whole step of 10,000 over the balance of 100,000 pays 100; base 3,000.
# sales 125,000: (125,000 - 100,000) / 10,000 = 2.5 → 2 whole steps → 3,000 + 200 = 3,200.
# sales  80,000: 2 whole steps under → 3,000 - 2 × 50 = 2,900.
SHOP = """\
card seller {
  base 3000
  sales balance 100000 step 10000 reward 100 penalty 50
}
"""
ROWS = [{"employee": "E1", "sales": 125_000}, {"employee": "E2", "sales": 80_000}]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """A `ksf serve` process and a client that sends the token."""

    def __init__(self, rules: Path, log: Path, *options: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "ksf", "serve", "--rules", str(rules)]
        command += ["--port", str(self.port), *options]
        # This checkout's ksf, whatever the environment has installed.
        env = {"KSF_TOKEN": TOKEN, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
        self.log = log
        self.log_file = log.open("w")
        self.process = subprocess.Popen(command, env=env, stderr=self.log_file)
        self.client = httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log_file.close()
                pytest.fail(f"ksf serve exited: {self.log.read_text()}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.3)
        pytest.fail("ksf serve did not answer within 90 s")

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log_file.close()
