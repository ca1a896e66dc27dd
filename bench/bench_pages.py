"""Server time and page weight of the console's purchase register, exposure page and review
queue on 10,000 purchases.

Usage: python bench/bench_pages.py [--database-url URL] [--purchases N] [--runs R]
Without --database-url a temporary SQLite file is used. Signs in as an administrator (who sees
every purchase) and requests each view through the ASGI app (session look-up, reads, template),
printing median and p95; then the weight of the page with every asset it loads. The review
queue is measured on a second database seeded as bench_pending_reviews.py seeds it (every
purchase screened, about 70% with an open case, a third of them declared).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from bench_pending_reviews import seed as seed_reviews
from bench_purchases_list import seed  # bench/ is on sys.path when run as a script
from sqlalchemy import insert, select

from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.enums import Role, Verdict
from procurement.models import Purchase, ScreeningRecord
from procurement.permissions import SYSTEM
from procurement.registry.actions import accounts
from procurement.settings import load_settings, normalise_database_url
from procurement.web.app import create_app

PASSWORD = "bench password for the console"
VIEWS = {
    "register": "/console/purchases",
    "sorted+filtered": "/console/purchases?sort=vendor&dir=desc&status=ACTIVE&verdict=YES",
    "page 100": "/console/purchases?sort=contract_date&page=100",
    # The exposure digests are computed on the first (warm-up) request and cached after that.
    "exposure": "/console/exposure",
    "exposure what-if": "/console/exposure?what_if=1",
}
QUEUE_VIEWS = {
    "queue": "/console/reviews",
    "queue by risk": "/console/reviews?order=RISK",
    "queue by value": "/console/reviews?order=VALUE",
}


async def add_account(url: str) -> None:
    engine = create_engine(url)
    async with app_sessions(engine)() as session:
        await accounts.create_account(
            session,
            SYSTEM,
            accounts.AccountInput(name="Bench", login="bench", role=Role.ADMIN, password=PASSWORD),
        )
    await engine.dispose()


async def add_screening_and_account(url: str) -> None:
    engine = create_engine(url)
    verdicts = list(Verdict)
    async with engine.begin() as conn:
        ids = list(await conn.scalars(select(Purchase.id)))
        rows = [
            {
                "purchase_id": pid, "verdict": verdicts[pid % 3], "score": pid % 100,
                "max_severity": 2, "findings": [], "reasons": [], "missing_facts": [],
                "ruleset_version": 1, "fingerprint": f"{pid:064d}", "trigger": "bench",
            }
            for pid in ids
        ]  # fmt: skip
        for start in range(0, len(rows), 2000):
            await conn.execute(insert(ScreeningRecord), rows[start : start + 2000])
    async with app_sessions(engine)() as session:
        await accounts.create_account(
            session,
            SYSTEM,
            accounts.AccountInput(name="Bench", login="bench", role=Role.ADMIN, password=PASSWORD),
        )
    await engine.dispose()


async def sign_in(client: httpx.AsyncClient) -> None:
    page = await client.get("/sign-in")
    csrf = re.search(r'name="csrf" value="([^"]*)"', page.text)
    assert csrf is not None
    form = {"csrf": csrf.group(1), "next": "/", "login": "bench", "password": PASSWORD}
    answer = await client.post("/sign-in", data=form)
    assert answer.status_code == 303, answer.text


def assets(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


async def measure(url: str, runs: int, views: dict[str, str], weigh: bool = True) -> None:
    engine = create_engine(url)
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": url}), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        await sign_in(client)
        for name, path in views.items():
            timings: list[float] = []
            for i in range(runs + 3):
                started = time.perf_counter()
                r = await client.get(path)
                elapsed = time.perf_counter() - started
                assert r.status_code == 200, r.text[:300]
                if i >= 3:  # warm-up runs excluded
                    timings.append(elapsed)
            ms = sorted(t * 1000 for t in timings)
            p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
            count = re.search(r'<p id="(?:count|exposure-total)"[^>]*>([^<]*)', r.text)
            rows = r.text.count("<tr")
            print(
                f"{name:16} median={statistics.median(ms):.1f}ms p95={p95:.1f}ms "
                f"({count.group(1) if count else f'{rows} table rows'}; "
                f"{len(r.content)} bytes of HTML)"
            )
        weighed = ("/console/purchases", "/console/purchases/1/sboms", "/console/exposure")
        for path in weighed if weigh else ():
            page = await client.get(path)
            weights = {a: len((await client.get(a)).content) for a in assets(page.text)}
            total = len(page.content) + sum(weights.values())
            print(
                f"weight {path}: {total / 1024:.1f} KB "
                f"(HTML {len(page.content) / 1024:.1f} KB + "
                + ", ".join(f"{a} {w / 1024:.1f} KB" for a, w in weights.items())
                + ")"
            )
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--purchases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = normalise_database_url(
            args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        )
        asyncio.run(seed(url, args.purchases))
        asyncio.run(add_screening_and_account(url))
        print(f"backend={url.split(':', 1)[0]} purchases={args.purchases} runs={args.runs}")
        asyncio.run(measure(url, args.runs, VIEWS))
    with tempfile.TemporaryDirectory() as tmp:
        url = normalise_database_url(
            args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'queue.db'}"
        )
        if args.database_url is None:  # a second database only when the script owns it
            asyncio.run(seed_reviews(url, args.purchases))
            asyncio.run(add_account(url))
            print(f"review queue: purchases={args.purchases} runs={args.runs}")
            asyncio.run(measure(url, args.runs, QUEUE_VIEWS, weigh=False))


if __name__ == "__main__":
    main()
