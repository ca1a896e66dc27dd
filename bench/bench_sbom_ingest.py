"""End-to-end SBOM ingest through a real server: request to committed.

Starts `procurement serve --workers 1` (uvicorn, one process: the one whose CPU and memory
are read) on loopback with a fresh database, PUTs generated CycloneDX documents of 10,000 and
100,000 components to /api/purchases/{id}/sbom (all synchronous: PROCUREMENT_SBOM_ASYNC_BYTES
is set above them), and prints the median request time, the server's CPU seconds per upload,
the in-process floor (orjson.loads + jsonschema-rs validation of the same bytes, wall and CPU,
measured in this run, as it is and with the cyclic GC paused, which is most of orjson's time
with it on) with the ratios against both, the load average (the machine may be shared) and the
server's peak memory (VmHWM). Also prints, for one 1,000-component document, the plain path
(cyclonedx-python-lib's validator + Bom.from_json) against ours, as a ratio.

    .venv/bin/python bench/bench_sbom_ingest.py                     # SQLite
    .venv/bin/python bench/bench_sbom_ingest.py --database-url postgresql://...
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
import time
from pathlib import Path

import httpx

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

from sbom_generate import generate_cyclonedx_json  # noqa: E402

from sbom import parse_sbom  # noqa: E402

LIMIT = 512 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


def plain_path_ratio() -> str:
    from cyclonedx.model.bom import Bom
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    document = generate_cyclonedx_json(1000, seed=1)
    text = document.decode()
    parse_sbom(document, max_bytes=LIMIT)  # warm both paths' caches
    started = time.perf_counter()
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    import json

    Bom.from_json(json.loads(text))  # type: ignore[attr-defined]
    plain = time.perf_counter() - started
    started = time.perf_counter()
    parse_sbom(document, max_bytes=LIMIT)
    ours = time.perf_counter() - started
    return (
        f"1,000 components: plain path (JsonStrictValidator + Bom.from_json) {plain * 1000:.0f} ms"
        f"{' (it reported errors)' if errors else ''}, ours {ours * 1000:.1f} ms, "
        f"ratio {plain / ours:.0f}x"
    )


def floor_seconds(
    document: bytes, runs: int = 3, *, gc_paused: bool = False
) -> tuple[float, float]:
    """The in-process floor: orjson.loads + jsonschema-rs validation of the same bytes; the
    median (wall, CPU) seconds. With ``gc_paused`` the cyclic collector is off meanwhile: with it
    on, most of orjson's time is the collector rescanning the objects it has just made."""
    import gc

    import orjson

    from sbom.schemas import json_validator

    validator = json_validator("1.6")
    walls, cpus = [], []
    for _ in range(runs):
        gc.collect()
        was_enabled = gc.isenabled()
        if gc_paused:
            gc.disable()
        try:
            started, cpu = time.perf_counter(), time.process_time()
            tree = orjson.loads(document)
            validator.is_valid(tree)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            del tree
        finally:
            if was_enabled:
                gc.enable()
    return statistics.median(walls), statistics.median(cpus)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-plain", action="store_true", help="skip the 1,000-component ratio")
    args = parser.parse_args()
    if not args.skip_plain:
        print(plain_path_ratio(), flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        env = {
            **os.environ,
            "PROCUREMENT_DATABASE_URL": url,
            "PROCUREMENT_MAX_UPLOAD_BYTES": str(LIMIT),
            "PROCUREMENT_SBOM_ASYNC_BYTES": str(LIMIT),  # every upload here is synchronous
            "PROCUREMENT_LOG_LEVEL": "WARNING",
        }
        cli = [sys.executable, "-m", "procurement"]
        subprocess.run([*cli, "demo"], env=env, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [*cli, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            token = (
                subprocess.run(
                    [*cli, "token", "create", "--role", "admin", "--name", "bench"],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("server did not start")
                time.sleep(0.2)
            headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
            purchase = 1
            with httpx.Client(base_url=base, timeout=300) as client:
                for size in args.sizes:
                    timings, cpus, loads = [], [], []
                    floors, floor_cpus, paused, paused_cpus = [], [], [], []
                    for run in range(args.runs):
                        document = generate_cyclonedx_json(size, seed=100 + run)
                        floor_wall, floor_cpu = floor_seconds(document)
                        floors.append(floor_wall)
                        floor_cpus.append(floor_cpu)
                        paused_wall, paused_cpu = floor_seconds(document, gc_paused=True)
                        paused.append(paused_wall)
                        paused_cpus.append(paused_cpu)
                        loads.append(os.getloadavg()[0])
                        started, cpu = time.perf_counter(), cpu_seconds(server.pid)
                        r = client.put(
                            f"/api/purchases/{purchase}/sbom", content=document, headers=headers
                        )
                        timings.append(time.perf_counter() - started)
                        cpus.append(cpu_seconds(server.pid) - cpu)
                        assert r.status_code == 201, r.text[:300]
                        assert r.json()["componentCount"] == size
                        purchase += 1
                        del document
                    median, floor = statistics.median(timings), statistics.median(floors)
                    cpu, floor_cpu = statistics.median(cpus), statistics.median(floor_cpus)
                    gc_floor, gc_floor_cpu = (
                        statistics.median(paused),
                        statistics.median(paused_cpus),
                    )
                    print(
                        f"{size:,} components ({url.split(':')[0]}): "
                        f"median {median:.3f} s, "
                        f"runs {', '.join(f'{t:.3f}' for t in timings)} s; "
                        f"floor (orjson + jsonschema-rs) {floor:.3f} s = {median / floor:.1f}x, "
                        f"with the GC paused {gc_floor:.3f} s = {median / gc_floor:.1f}x; "
                        f"server CPU {cpu:.3f} s/upload, floor CPU {floor_cpu:.3f} s = "
                        f"{cpu / floor_cpu:.1f}x, GC paused {gc_floor_cpu:.3f} s = "
                        f"{cpu / gc_floor_cpu:.1f}x; "
                        f"load average {', '.join(f'{x:.1f}' for x in loads)}; "
                        f"server peak RSS so far {peak_rss_mb(server.pid):.0f} MB",
                        flush=True,
                    )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
