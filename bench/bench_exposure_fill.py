"""Time from a USD rate change to a warm console exposure page on 10,000 purchases (issue 14:
exposure cache fills run as jobs).

Usage: python bench/bench_exposure_fill.py [--purchases N] [--rounds R]
Seeds a temporary SQLite file as bench_exposure_summary.py does (a fifth of the purchases in
USD), signs in as an administrator, warms the page, then per round records a new USD rate
(set_exchange_rate, which drops the USD purchases' digests) and measures:
- reader first: the next page request, which computes the dropped digests itself;
- job first (when the code has procurement.exposure.fill): the fill job the change enqueued,
  run as a worker would, then the page request, which finds the cache warm.
Prints each time (median over the rounds) with the process CPU it took (time.process_time: the
app and the job run in this process, so this is the server's CPU, steadier than wall time on a
shared machine), and the change-to-warm-page total of both.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
from bench_exposure_summary import seed  # bench/ is on sys.path when run as a script
from bench_pages import PASSWORD, sign_in

from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.enums import Role
from procurement.job_kinds import REGISTRY
from procurement.jobs.runner import run_due
from procurement.permissions import SYSTEM
from procurement.registry.actions import accounts
from procurement.screening.actions.rates import set_exchange_rate
from procurement.settings import load_settings, normalise_database_url
from procurement.web.app import create_app

try:
    from procurement.exposure.fill import FILL_CACHE
except ImportError:  # code from before the fill job: only the reader-first figure
    FILL_CACHE = ""

PAGE = "/console/exposure"


async def measure(url: str, rounds: int) -> None:
    engine = create_engine(url)
    sessions = app_sessions(engine)
    async with sessions() as session:
        await accounts.create_account(
            session, SYSTEM,
            accounts.AccountInput(name="Bench", login="bench", role=Role.ADMIN, password=PASSWORD),
        )  # fmt: skip
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": url}), engine=engine)
    timed: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    cpu_started = [0.0]

    def note(name: str, started: float) -> float:
        ms = (time.perf_counter() - started) * 1000
        timed.setdefault(name, []).append(ms)
        cpu.setdefault(name, []).append((time.process_time() - cpu_started[0]) * 1000)
        return ms

    def start() -> float:
        cpu_started[0] = time.process_time()
        return time.perf_counter()

    async def change(i: int) -> None:
        started = start()
        async with sessions() as session:
            rate = Decimal("7.1") + Decimal(i) / 100
            await set_exchange_rate(session, SYSTEM, "USD", rate, date(2024, 1, 1), "bench")
        note("rate change", started)

    async def page(name: str) -> None:
        started = start()
        answer = await client.get(PAGE)
        assert answer.status_code == 200, answer.text[:300]
        note(name, started)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        await sign_in(client)
        await page("first page (cold)")
        await run_due(sessions, REGISTRY)  # nothing queued on old code; the seed's none
        for i in range(rounds):
            await change(2 * i)
            await page("reader first: page")
            await run_due(sessions, REGISTRY)  # the fill finds nothing left to do
            if FILL_CACHE:
                await change(2 * i + 1)
                started = start()
                results = await run_due(sessions, REGISTRY)
                assert [r.state.value for r in results] == ["SUCCEEDED"], results
                note("job first: fill job", started)
                await page("job first: page")
    await engine.dispose()
    for name, values in timed.items():
        print(
            f"{name:22} median {statistics.median(values):7.1f} ms, "
            f"CPU {statistics.median(cpu[name]):7.1f} ms  ({len(values)} runs)"
        )
    med = {k: statistics.median(v) for k, v in timed.items()}
    first = med["rate change"] + med["reader first: page"]
    print(f"change to warm page, reader first: {first:.0f} ms")
    if FILL_CACHE:
        total = med["rate change"] + med["job first: fill job"] + med["job first: page"]
        print(f"change to warm page, job first:    {total:.0f} ms "
              f"(the reader's page itself {med['job first: page']:.0f} ms)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--purchases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = normalise_database_url(f"sqlite+aiosqlite:///{Path(tmp) / 'fill.db'}")
        asyncio.run(seed(url, args.purchases))
        print(f"purchases={args.purchases} rounds={args.rounds}")
        asyncio.run(measure(url, args.rounds))


if __name__ == "__main__":
    main()
