"""Hostile GraphQL documents against a real server: how fast each is refused, and how fast
/healthz answers while a heavy but allowed request runs.

Usage: python bench/bench_query_limits.py [--timeout S] [--heavy-seconds S]
Starts ``procurement serve`` on a temporary SQLite file (the first start prints an admin token),
sends each hostile document once with that token and prints the status, the wall time and the
first error. Then, for each heavy-but-allowed request, sends it back to back for --heavy-seconds
while another thread probes /healthz every 20 ms, and prints the probes' latencies (only probes
that started while a heavy request was in flight count).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from graphql import get_introspection_query


def fragment_bomb(levels: int) -> str:
    fragments = ["fragment F0 on Query { __typename }"]
    fragments += [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    return " ".join(fragments) + f" {{ ...F{levels} }}"


def aliases(count: int, selection: str) -> str:
    return "{ " + " ".join(f"a{i}: {selection}" for i in range(count)) + " }"


HOSTILE = {
    "fragment bomb 2^22 (847 bytes)": fragment_bomb(22),
    "1,000 aliases of exposureSummary": aliases(1000, "exposureSummary { purchaseCount }"),
    "1,000 aliases of __schema": aliases(1000, "__schema { types { name } }"),
    "10,000 identical fields": "{ " + "__typename " * 10_000 + "}",
    "fragment cycle": "fragment A on Query { ...B } fragment B on Query { ...A } { ...A }",
    "200,000 comments": "{ __typename }" + "\n#" * 200_000,
}
HEAVY = {
    "standard introspection query": get_introspection_query(descriptions=True),
    "40 aliases of __type(Purchase)": aliases(
        40, '__type(name: "Purchase") { name fields { name type { name } } }'
    ),
    "250 identical fields (validation)": "{ " + "__typename " * 250 + "}",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(directory: Path) -> tuple[subprocess.Popen[str], str, str]:
    env = os.environ | {"PROCUREMENT_DATABASE_URL": f"sqlite:///{directory / 'bench.db'}"}
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "procurement", "serve", "--port", str(port)],
        env=env,
        cwd=directory,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    server.stdout.readline()  # "Created the first admin token ..."
    token = server.stdout.readline().strip()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return server, base, token
        except httpx.TransportError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


def refuse_all(base: str, token: str, timeout: float) -> None:
    headers = {"authorization": f"Bearer {token}"}
    print(f"{'hostile document':36} {'bytes':>9} {'status':>6} {'seconds':>8}  first error")
    with httpx.Client(base_url=base, headers=headers, timeout=timeout) as client:
        for name, query in HOSTILE.items():
            started = time.perf_counter()
            try:
                response = client.post("/graphql", json={"query": query})
                status, body = str(response.status_code), response.json()
                message = body["errors"][0]["message"] if "errors" in body else "(data)"
            except httpx.TimeoutException:
                status, message = "-", f"no answer within {timeout} s"
            elapsed = time.perf_counter() - started
            print(f"{name:36} {len(query):9,} {status:>6} {elapsed:8.3f}  {message[:60]}")


def probe_during(base: str, token: str, query: str, seconds: float) -> tuple[list[float], int]:
    """/healthz latencies (ms) of probes started while the heavy request was in flight."""
    in_flight = threading.Event()
    stop = threading.Event()
    statuses: list[int] = []

    def heavy() -> None:
        headers = {"authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            while not stop.is_set():
                in_flight.set()
                statuses.append(client.post("/graphql", json={"query": query}).status_code)
                in_flight.clear()

    worker = threading.Thread(target=heavy)
    worker.start()
    latencies: list[float] = []
    end = time.monotonic() + seconds
    with httpx.Client(base_url=base, timeout=30) as probe:
        while time.monotonic() < end:
            time.sleep(0.02)
            if not in_flight.is_set():
                continue
            started = time.perf_counter()
            probe.get("/healthz").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)
    stop.set()
    worker.join()
    return latencies, statuses[0] if statuses else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--heavy-seconds", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        server, base, token = start_server(Path(directory))
        try:
            refuse_all(base, token, args.timeout)
            print()
            print(f"{'heavy request (allowed)':36} {'status':>6} {'probes':>6} {'median':>7} "
                  f"{'p95':>7} {'max':>7}  (/healthz ms)")  # fmt: skip
            for name, query in HEAVY.items():
                latencies, status = probe_during(base, token, query, args.heavy_seconds)
                if not latencies:
                    print(f"{name:36} {status:>6} no probe overlapped a request")
                    continue
                latencies.sort()
                p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
                print(
                    f"{name:36} {status:>6} {len(latencies):>6} "
                    f"{statistics.median(latencies):7.1f} {p95:7.1f} {latencies[-1]:7.1f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
