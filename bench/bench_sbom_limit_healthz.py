"""A 1,000,000-component SBOM PUT to a real server: is /healthz answered meanwhile, and how much
memory does the server hold during and after?

Starts `procurement serve` (uvicorn) in its own process on loopback with a fresh SQLite database,
PUTs a generated CycloneDX document (over the default component limit of 500,000, so it is
refused) to /api/purchases/1/sbom, and polls /healthz every 50 ms from another thread meanwhile
and for five seconds after. Prints the upload's answer and time, the /healthz latencies (median,
99th percentile, worst) during the upload, and the server's resident memory before, at its peak
(VmHWM), and 1 s and 5 s after the answer.

    .venv/bin/python bench/bench_sbom_limit_healthz.py [--components 1000000]
        [--document /tmp/bom-1m.json] [--source /path/to/checkout] [--max-components N]
        [--timeout SECONDS]

``--document`` keeps the generated file for the next run (generating takes minutes);
``--source`` runs the server from another checkout (for a before/after comparison);
``--timeout`` stops waiting for the answer (the server is then stopped).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

from sbom_generate import generate_cyclonedx_json  # noqa: E402

UPLOAD_LIMIT = 4 * 1024 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def memory_mb(pid: int, field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of a process, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(rf"{field}:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


class HealthPoller(threading.Thread):
    """GET /healthz every 50 ms; keeps (start, latency) of each answer."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.samples: list[tuple[float, float]] = []
        self.unanswered = 0
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    client.get("/healthz")
                except httpx.TimeoutException:
                    self.unanswered += 1  # counted at the timeout's length below
                self.samples.append((started, time.perf_counter() - started))
                time.sleep(0.05)


def cli_env(database: str, max_components: int | None) -> dict[str, str]:
    env = {
        **os.environ,
        "PROCUREMENT_DATABASE_URL": database,
        "PROCUREMENT_MAX_UPLOAD_BYTES": str(UPLOAD_LIMIT),
        "PROCUREMENT_LOG_LEVEL": "WARNING",
    }
    if max_components is not None:
        env["PROCUREMENT_MAX_SBOM_COMPONENTS"] = str(max_components)
    return env


def wait_ready(base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("server did not start")
        time.sleep(0.2)


def upload(base: str, token: str, document: Path, server_pid: int, timeout: float) -> None:
    poller = HealthPoller(base)
    before = memory_mb(server_pid, "VmRSS")
    poller.start()
    time.sleep(1)
    started = time.perf_counter()
    with httpx.Client(base_url=base, timeout=timeout) as client, document.open("rb") as body:
        try:
            answer = client.put(
                "/api/purchases/1/sbom",
                content=body,
                headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
            )
            said = f"HTTP {answer.status_code}: {answer.text[:300]}"
        except httpx.TimeoutException:
            said = f"no answer within {timeout:.0f} s"
    ended = time.perf_counter()
    time.sleep(1)
    after_1s = memory_mb(server_pid, "VmRSS")
    time.sleep(4)
    after_5s = memory_mb(server_pid, "VmRSS")
    poller.stop.set()
    poller.join()
    idle = [latency for at, latency in poller.samples if at < started] or [float("nan")]
    during = [latency for at, latency in poller.samples if started <= at <= ended]
    if not during:
        during = [float("nan")]
    ordered = sorted(during)
    print(f"answer after {ended - started:.1f} s: {said}")
    print(f"/healthz before the upload: median {statistics.median(idle) * 1000:.0f} ms")
    print(
        f"/healthz during the upload: {len(during)} answers, median "
        f"{statistics.median(during) * 1000:.0f} ms, p99 "
        f"{ordered[int(len(ordered) * 0.99)] * 1000:.0f} ms, worst {ordered[-1] * 1000:.0f} ms, "
        f"{poller.unanswered} not answered within 60 s"
    )
    print(
        f"server RSS: before {before:.0f} MB, peak {memory_mb(server_pid, 'VmHWM'):.0f} MB, "
        f"1 s after the answer {after_1s:.0f} MB, 5 s after {after_5s:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--components", type=int, default=1_000_000)
    parser.add_argument("--document", type=Path)
    parser.add_argument("--source", type=Path, default=BENCH_DIR.parent)
    parser.add_argument("--max-components", type=int)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds to wait for the PUT")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        document = args.document or Path(tmp) / "bom.json"
        if not document.exists():
            document.write_bytes(generate_cyclonedx_json(args.components, seed=1))
        print(f"document: {args.components:,} components, {document.stat().st_size / 1e6:.0f} MB")
        env = cli_env(f"sqlite:///{Path(tmp) / 'bench.db'}", args.max_components)
        cli = [sys.executable, "-m", "procurement"]
        source = str(args.source.resolve())
        subprocess.run([*cli, "demo"], env=env, cwd=source, check=True, capture_output=True)
        created = subprocess.run(
            [*cli, "token", "create", "--role", "admin", "--name", "bench"],
            env=env, cwd=source, check=True, capture_output=True, text=True,
        )  # fmt: skip
        token = created.stdout.strip().splitlines()[-1]
        port = free_port()
        server = subprocess.Popen(
            [*cli, "serve", "--port", str(port)],
            env=env, cwd=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            wait_ready(base)
            upload(base, token, document, server.pid, args.timeout)
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()  # still busy with the document
                server.wait()


if __name__ == "__main__":
    main()
