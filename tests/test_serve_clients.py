"""The clients of docs/service.md (curl, Java) against a real `ksf serve`: the library's payroll."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import ksf
from ksf.io import parse_csv, payroll_csv
from tests.serving import SHOP, TOKEN, Server

ROOT = Path(__file__).resolve().parents[1]
CLIENT = re.compile(r"<!-- client: (\S+) -->\n```\w*\n(.*?)\n```", re.DOTALL)
# A CSV export as HR writes it: thousands separators, a blank line, an id column.
JULY = 'employee,sales\nE1,"125,000"\nE2,80000\n\nE3,"100,000"\n'


def clients() -> dict[str, str]:
    """Each client program of docs/service.md by its file name."""
    text = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")
    return dict(CLIENT.findall(text))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    rules = tmp_path_factory.mktemp("rules")
    (rules / "shop.ksf").write_text(SHOP, encoding="utf-8")
    running = Server(rules, tmp_path_factory.mktemp("log") / "serve.log")
    yield running
    running.stop()


def expected() -> str:
    """The payroll the library computes from the same export (the CSV ksf run writes)."""
    return payroll_csv(ksf.compile(SHOP).evaluate(parse_csv(JULY, "july.csv")))


def run(command: list[str], folder: Path, server: Server) -> str:
    env = {**os.environ, "KSF_URL": server.url, "KSF_TOKEN": TOKEN}
    done = subprocess.run(
        command, cwd=folder, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_docs_have_both_clients() -> None:
    """docs/service.md holds the curl script and the Java program the tests run."""
    assert set(clients()) == {"pay.sh", "Pay.java"}


def test_the_curl_script_prints_the_librarys_payroll(server: Server, tmp_path: Path) -> None:
    """pay.sh sends july.csv and prints, byte for byte, what ksf run would write."""
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    (tmp_path / "july.csv").write_text(JULY, encoding="utf-8")
    (tmp_path / "pay.sh").write_text(clients()["pay.sh"], encoding="utf-8")
    # E1 3,200 and E2 2,900 (tests/serving.py); E3 sits on the balance point: 3,000.
    assert run(["sh", "pay.sh"], tmp_path, server) == expected()
    assert "E3,seller,3000.00,0.00,3000.00" in expected()


def test_the_java_client_prints_the_librarys_payroll(server: Server, tmp_path: Path) -> None:
    """Pay.java, run from source by the JDK, prints the same payroll."""
    if shutil.which("java") is None:
        pytest.skip("no JDK on this machine: the Java client is not run")
    (tmp_path / "july.csv").write_text(JULY, encoding="utf-8")
    (tmp_path / "Pay.java").write_text(clients()["Pay.java"], encoding="utf-8")
    assert run(["java", "Pay.java"], tmp_path, server) == expected()
