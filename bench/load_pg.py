"""The realistic load mix on PostgreSQL with 2 app processes and 1 job worker (issue 14).

Starts a throwaway PostgreSQL on loopback (tests/support/postgres, as bench/with_postgres.py),
migrates it, loads the demo data, makes an admin token, starts ``procurement serve --workers 2``
and one ``procurement worker``, then runs bench/load_mix.py's ``realistic`` mix (open loop) at
each rate in turn and prints, per rate, throughput, p50/p95/p99 per operation, errors, the load
average and the CPU per request of the app's processes, of PostgreSQL and of the load generator
itself (all three share the cores); at the end a summary and the first rate whose p95 (all
operations) passed 100 ms. Everything is stopped and removed afterwards.

    .venv/bin/python bench/load_pg.py --rates 25 50 100 200 --duration 15
    .venv/bin/python bench/load_pg.py --mix mixed --rates 200    # the issue's mixed load
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import load_mix  # noqa: E402

from tests.support import postgres  # noqa: E402

P95_LIMIT_MS = 100.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "procurement", *args],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def wait_healthy(url: str, deadline_seconds: float = 240) -> None:
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not become healthy")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_rates(
    args: argparse.Namespace, env: dict[str, str], workdir: Path, database_pid: int | None
) -> None:
    print("migrating and loading the demo data ...", flush=True)
    cli(env, "db", "upgrade")
    print(cli(env, "demo").strip(), flush=True)
    token = cli(env, "token", "create", "--role", "admin", "--name", "load").strip().splitlines()
    secret = token[-1].strip()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    logs = [open(workdir / name, "wb") for name in ("serve.log", "worker.log")]  # noqa: SIM115
    command = [sys.executable, "-m", "procurement"]
    serve = subprocess.Popen(
        [*command, "serve", "--workers", str(args.workers), "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=logs[0],
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [*command, "worker"], cwd=REPO, env=env, stdout=logs[1], stderr=subprocess.STDOUT
    )
    reports: list[load_mix.Report] = []
    try:
        wait_healthy(url)
        print(
            f"serving on {url} with {args.workers} app processes (pid {serve.pid}) and 1 job "
            f"worker (pid {worker.pid})\n",
            flush=True,
        )
        for rate in args.rates:
            mix_args = load_mix.checked_args(
                [
                    "--url", url, "--token", secret, "--mix", args.mix,
                    "--rate", str(rate), "--duration", str(args.duration),
                    "--timeout", str(args.timeout),
                    "--server-pid", str(serve.pid), "--server-pid", str(worker.pid),
                    *(["--database-pid", str(database_pid)] if database_pid else []),
                ]
            )  # fmt: skip
            try:
                reports.append(load_mix.run_sync(mix_args))
            except httpx.HTTPError as error:
                # The set-up request timed out: still saturated from the last rate.
                print(f"rate {rate:g}/s not measured: the server did not answer ({error!r})")
                break
            print(flush=True)
            time.sleep(args.pause)  # let the queue of jobs and the load average settle a little
    finally:
        stop(serve)
        stop(worker)
        for log in logs:
            log.close()
    summarise(reports)


def summarise(reports: list[load_mix.Report]) -> None:
    # CPU per request: the app's processes (serve + worker), PostgreSQL's, and this load
    # generator's own; all three share the machine's cores.
    print(
        f"{'rate/s':>7}{'ok/s':>8}{'errors':>8}{'p95 ms':>9}{'app CPU':>9}{'db CPU':>8}"
        f"{'load gen':>9}{'load':>7}"
    )
    passed_at = None
    for report in reports:
        p95 = report.p95_ms()
        cpu = "".join(
            f"{1000 * seconds / report.total:>{width}.1f}"
            if seconds is not None and report.total
            else f"{'-':>{width}}"
            for seconds, width in (
                (report.cpu_seconds, 9),
                (report.database_cpu_seconds, 8),
                (report.client_cpu_seconds, 9),
            )
        )
        p95_cell = f"{p95:>9.1f}" if p95 is not None else f"{'-':>9}"
        print(
            f"{report.rate:>7g}{report.answered / report.wall:>8.1f}{report.failed:>8}"
            f"{p95_cell}{cpu}{report.load_after:>7.2f}"
        )
        if passed_at is None and (p95 is None or p95 > P95_LIMIT_MS):
            passed_at = report.rate
    if passed_at is None:
        print(f"p95 stayed under {P95_LIMIT_MS:g} ms at every rate tried")
    else:
        print(f"p95 passed {P95_LIMIT_MS:g} ms at {passed_at:g} requests/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=float, nargs="+", default=[25, 50, 100, 200])
    parser.add_argument("--duration", type=load_mix.bounded(1, 120), default=15.0)
    parser.add_argument("--timeout", type=load_mix.bounded(1, 300), default=30.0, help="seconds")
    parser.add_argument("--workers", type=int, default=2, help="app processes (serve --workers)")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds between rates")
    parser.add_argument(
        "--mix", choices=sorted(load_mix.MIXES), default="realistic", help="see load_mix.py"
    )
    args = parser.parse_args()
    reason = postgres.unavailable_reason()
    if reason:
        print(f"cannot start PostgreSQL: {reason}")
        return 1
    server = postgres.start()
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"load-pg-{os.getpid()}"
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PROCUREMENT_DATABASE_URL": server.url}
    try:
        run_rates(args, env, workdir, server.postmaster_pid())
    finally:
        server.stop()
    print(f"server and worker logs: {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
