"""Latency of `purchases(first: 100)` with vendor and operator on 10,000 purchases.

Usage: python bench/bench_purchases_list.py [--database-url URL] [--purchases N] [--runs R]
Without --database-url a temporary SQLite file is used. Prints median and p95 latency through the
ASGI app (HTTP parsing, auth, GraphQL, SQL), and the SQL statements per request.
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
from sqlalchemy import event, insert

from procurement import migrate
from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.enums import Ownership, PersonRole, PurchaseCategory, Role, Sector
from procurement.models import Operator, Purchase, ResponsiblePerson, Vendor
from procurement.permissions import SYSTEM
from procurement.reference_data import credit_code_check_char
from procurement.registry.actions import tokens
from procurement.settings import load_settings, normalise_database_url
from procurement.web.app import create_app

QUERY = """{ purchases(first: 100) { totalCount pageInfo { hasNextPage endCursor }
  edges { node { id title category contractValue { amount currency } contractDate
    operator { name sector } vendor { name country ownership } } } } }"""


async def seed(url: str, n: int) -> str:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    categories = list(PurchaseCategory)
    async with engine.begin() as conn:
        ops = [
            {
                "name": f"Operator {i}",
                "credit_code": f"91310000MA1FL{i:04d}"[:17],
                "sector": list(Sector)[i % 9],
                "is_cii_operator": True,
            }
            for i in range(20)
        ]
        for op in ops:
            op["credit_code"] += credit_code_check_char(op["credit_code"])
        await conn.execute(insert(Operator), ops)
        await conn.execute(
            insert(Vendor),
            [
                {
                    "name": f"Vendor {i}",
                    "country": "CN" if i % 3 else "US",
                    "ownership": Ownership.PRIVATE,
                }
                for i in range(200)
            ],
        )
        rows = [
            {
                "operator_id": 1 + i % 20,
                "vendor_id": 1 + i % 200,
                "title": f"Purchase {i}",
                "category": categories[i % len(categories)],
                "contract_value": Decimal("100000.00") + i,
                "currency": "CNY",
                "tax_included": True,
                "contract_date": date(2025, 1, 1),
            }
            for i in range(n)
        ]
        for start in range(0, n, 2000):
            await conn.execute(insert(Purchase), rows[start : start + 2000])
        await conn.execute(
            insert(ResponsiblePerson),
            [
                {"purchase_id": i + 1, "name": f"Person {i}", "role": PersonRole.PERSON_IN_CHARGE}
                for i in range(n)
            ],
        )
    async with app_sessions(engine)() as session:
        _token, secret = await tokens.create_token(
            session, SYSTEM, tokens.TokenInput(role=Role.ADMIN, name="bench")
        )
    await engine.dispose()
    return secret


async def measure(url: str, secret: str, runs: int) -> tuple[list[float], int, int]:
    engine = create_engine(url)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": url}), engine=engine)
    timings: list[float] = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        headers = {"authorization": f"Bearer {secret}"}
        for i in range(runs + 3):
            statements.clear()
            started = time.perf_counter()
            r = await client.post("/graphql", json={"query": QUERY}, headers=headers)
            elapsed = time.perf_counter() - started
            assert r.status_code == 200 and "errors" not in r.json(), r.text[:500]
            edges = len(r.json()["data"]["purchases"]["edges"])
            total = r.json()["data"]["purchases"]["totalCount"]
            if i >= 3:  # warm-up runs excluded
                timings.append(elapsed)
    await engine.dispose()
    assert edges == 100
    return timings, len(statements), total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--purchases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = normalise_database_url(
            args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        )
        secret = asyncio.run(seed(url, args.purchases))
        timings, n_statements, total = asyncio.run(measure(url, secret, args.runs))
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[int(len(ms) * 0.95) - 1]
    backend = url.split(":", 1)[0]
    print(
        f"backend={backend} purchases={total} runs={len(ms)} "
        f"median={statistics.median(ms):.1f}ms p95={p95:.1f}ms "
        f"sql_statements_per_request={n_statements}"
    )


if __name__ == "__main__":
    main()
