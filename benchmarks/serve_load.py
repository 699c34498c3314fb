"""A bounded load test of `ksf serve`: many evaluate requests at once, each checked to the cent.

The service runs as it would in production (``ksf serve``, uvicorn, a process of its own on
127.0.0.1, a bearer token); the client is httpx's async client, ``--concurrency`` requests
in flight. Every answer is compared with `Rulebook.evaluate` on the same rows, line by line,
so a fast wrong answer counts as an error. Reported: throughput (requests and rows a
second), p50 and p99 latency, errors, and the machine's load (the numbers are only
comparable on an idle machine).

    python benchmarks/serve_load.py              # 2,000 requests × 1,000 rows, 16 at once
    python benchmarks/serve_load.py --workers 2  # two server processes
    python benchmarks/serve_load.py --smoke      # 20 requests × 100 rows (CI)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import reference_card as rc

import ksf
from ksf.io import payroll_json

TOKEN = "load-test"  # noqa: S105 - a throwaway server's token


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start(rules: Path, port: int, workers: int, rows: int) -> subprocess.Popen[bytes]:
    """``ksf serve`` on ``port``, answering once /health does."""
    command = [sys.executable, "-m", "ksf", "serve", "--rules", str(rules), "--port", str(port)]
    command += ["--workers", str(workers), "--max-rows", str(max(rows, 1000))]
    server = subprocess.Popen(
        command, env={**os.environ, "KSF_TOKEN": TOKEN}, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("ksf serve did not start within 120 s")


def payloads(requests: int, rows: int, distinct: int = 8) -> list[tuple[bytes, list[Any]]]:
    """``distinct`` request bodies (JSON rows of the reference card) and their expected rows."""
    book = ksf.compile(rc.RULES)
    found = []
    for seed in range(min(distinct, requests)):
        data = rc.make_data(rows, seed)
        records = [
            {k: float(v[i]) for k, v in data.items()} | {"employee": f"E{i:05d}"}
            for i in range(rows)
        ]
        expected = json.loads(payroll_json(book.evaluate(records_columns(records))))
        found.append((json.dumps({"rows": records}).encode(), expected))
    return found


def records_columns(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {k: [r[k] for r in records] for k in records[0]}


async def fire(
    url: str, bodies: list[tuple[bytes, list[Any]]], requests: int, at_once: int
) -> tuple[list[float], int]:
    """Send ``requests`` evaluate requests, ``at_once`` in flight; latencies and wrong answers."""
    limits = httpx.Limits(max_connections=at_once, max_keepalive_connections=at_once)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for k in range(requests):
        queue.put_nowait(k)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while not queue.empty():
            body, expected = bodies[queue.get_nowait() % len(bodies)]
            started = time.perf_counter()
            answer = await client.post(url, content=body, headers=headers)
            latencies.append(time.perf_counter() - started)
            if answer.status_code != 200 or answer.json()["rows"] != expected:
                errors += 1

    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        await asyncio.gather(*(worker(client) for _ in range(at_once)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="20 requests of 100 rows, 4 at once")
    args = parser.parse_args()
    if args.smoke:
        args.requests, args.rows, args.concurrency = 20, 100, 4
    bodies = payloads(args.requests, args.rows)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "reference.ksf").write_text(rc.RULES, encoding="utf-8")
        port = free_port()
        server = start(Path(folder), port, args.workers, args.rows)
        try:
            url = f"http://127.0.0.1:{port}/rulebooks/reference/evaluate"
            started = time.perf_counter()
            latencies, errors = asyncio.run(fire(url, bodies, args.requests, args.concurrency))
            seconds = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    verdict = "identical" if not errors else "NOT identical"
    print(
        f"{args.requests:,} requests × {args.rows:,} rows, {args.concurrency} at once, "
        f"{args.workers} worker(s): {args.requests / seconds:,.1f} requests/s, "
        f"{args.requests * args.rows / seconds:,.0f} rows/s; "
        f"latency p50 {cuts[49] * 1000:,.1f} ms, p99 {cuts[98] * 1000:,.1f} ms; "
        f"{errors} errors (every answer compared with Rulebook.evaluate: {verdict}); "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
