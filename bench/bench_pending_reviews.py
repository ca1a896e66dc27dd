"""Latency of `pendingReviews(first: 100)` with findings, purchase and vendor on 10,000 purchases.

Usage: python bench/bench_pending_reviews.py [--database-url URL] [--purchases N] [--runs R]
Without --database-url a temporary SQLite file is used. Seeds with bulk inserts (operators,
vendors, purchases, SBOMs for one purchase in ten) and ONE batched rescreen through the service,
moves a third of the cases to DECLARED with dated deadlines, then prints: the rescreen time, the
time of an updateScreeningRules (new rule-set version, everything rescreened), and per order the
median and p95 latency through the ASGI app and the SQL statements per request.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import event, insert, select, update

from procurement import migrate
from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.enums import Ownership, PersonRole, PurchaseCategory, Role, SbomStandard, Sector
from procurement.job_kinds import REGISTRY
from procurement.jobs.runner import run_due
from procurement.models import (
    Operator,
    Purchase,
    ResponsiblePerson,
    ReviewCase,
    Sbom,
    SbomComponent,
    SbomVersion,
    Vendor,
)
from procurement.permissions import SYSTEM
from procurement.reference_data import credit_code_check_char
from procurement.registry.actions import tokens
from procurement.reviews import deadline_for
from procurement.reviews.state_machine import CaseState
from procurement.screening.actions import rules as screening
from procurement.screening.store.rescreen import rescreen_purchases
from procurement.settings import load_settings
from procurement.web.app import create_app

QUERY = """query P($order: PendingReviewOrder) {
  pendingReviews(first: 100, orderBy: $order, asOf: "2026-06-01") {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id state deadline overdue riskScore
    purchase { title contractValue { amount currency } vendor { name country }
      screening { verdict score ruleSetVersion
        findings { rule factor severity explanation evidence } } } } } } }"""


async def _bulk(conn: object, model: type, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), 2000):
        await conn.execute(insert(model), rows[start : start + 2000])  # type: ignore[attr-defined]


async def seed(url: str, n: int) -> tuple[str, float, float]:
    rng = random.Random(4)
    engine = create_engine(url)
    await migrate.upgrade(engine)
    categories = list(PurchaseCategory)
    async with engine.begin() as conn:
        ops = []
        for i in range(20):
            body = f"91310000MA1FL{i:04d}"[:17]
            ops.append(
                {
                    "name": f"Operator {i}",
                    "credit_code": body + credit_code_check_char(body),
                    "sector": list(Sector)[i % 9],
                    "is_cii_operator": i % 10 != 0,
                }
            )
        await conn.execute(insert(Operator), ops)
        await conn.execute(
            insert(Vendor),
            [
                {
                    "name": f"Vendor {i}",
                    "country": "CN" if i % 3 else "US",
                    "ownership": Ownership.PRIVATE,
                    "ultimate_parent_country": "CN" if i % 3 else "US",
                }
                for i in range(200)
            ],
        )
        await _bulk(
            conn,
            Purchase,
            [
                {
                    "operator_id": 1 + i % 20,
                    "vendor_id": 1 + i % 200,
                    "title": f"Purchase {i}",
                    "category": categories[i % len(categories)],
                    "contract_value": Decimal(rng.randrange(50_000, 30_000_000)),
                    "currency": "CNY" if i % 7 else "USD",
                    "tax_included": True,
                    "contract_date": date(2025, 1, 1) + timedelta(days=i % 365),
                    "handles_important_data": i % 5 == 0,
                    "handles_personal_information": i % 4 == 0,
                    "personal_information_subjects": rng.randrange(10_000, 5_000_000)
                    if i % 4 == 0
                    else None,
                    "vendor_remote_maintenance": i % 6 == 0,
                    "single_source": i % 9 == 0,
                }
                for i in range(n)
            ],
        )
        await _bulk(
            conn,
            ResponsiblePerson,
            [
                {"purchase_id": i + 1, "name": f"Person {i}", "role": PersonRole.PERSON_IN_CHARGE}
                for i in range(n)
            ],
        )
        with_sbom = list(range(1, n + 1, 10))
        await _bulk(
            conn, Sbom, [{"purchase_id": p, "key": "main", "name": f"fw-{p}"} for p in with_sbom]
        )
        now = datetime(2025, 6, 1, tzinfo=UTC)
        await _bulk(
            conn,
            SbomVersion,
            [
                {
                    "sbom_id": i + 1,
                    "number": 1,
                    "sha256": f"{i:064d}",
                    "format": "json",
                    "standard": SbomStandard.CYCLONEDX,
                    "spec_version": "1.6",
                    "bom_version": 1,
                    "size_bytes": 1,
                    "document_gzip": b"",
                    "metadata_json": "{}",
                    "quality_score": float(rng.randrange(30, 100)),
                    "quality_json": "{}",
                    "component_count": 20,
                    "raw_component_count": 20,
                    "dependency_count": 0,
                    "service_count": 0,
                    "vulnerability_count": 0,
                    "warnings_json": "[]",
                    "uploaded_by": "bench",
                    "uploaded_at": now,
                }
                for i in range(len(with_sbom))
            ],
        )
        await _bulk(
            conn,
            SbomComponent,
            [
                {
                    "version_id": v + 1,
                    "position": c,
                    "path": str(c),
                    "type": "library",
                    "name": f"lib{c}",
                    "version": "1.0.0",
                    "purl_type": "npm",
                    "purl_name": f"lib{c}",
                    "purl_version": "1.0.0",
                    "supplier": None if c % 5 == 0 else f"Supplier {c}",
                }
                for v in range(len(with_sbom))
                for c in range(20)
            ],
        )
    sessions = app_sessions(engine)
    async with sessions() as session:
        ids = list(await session.scalars(select(Purchase.id)))
        started = time.perf_counter()
        await rescreen_purchases(session, ids, "bench.seed", today=date(2026, 1, 5))
        await session.commit()
        rescreen_s = time.perf_counter() - started
        await _declare_a_third(session)
        started = time.perf_counter()
        await screening.update_screening_rules(
            session, SYSTEM, {"thresholds": {"value_cny": "9000000"}}
        )
        await run_due(sessions, REGISTRY)  # the rescreen job the change enqueued
        rules_s = time.perf_counter() - started
        _token, secret = await tokens.create_token(
            session, SYSTEM, tokens.TokenInput(role=Role.ADMIN, name="bench")
        )
    await engine.dispose()
    return secret, rescreen_s, rules_s


async def _declare_a_third(session: object) -> None:
    """A third of the cases declared on dates spread over 2026, with their Art. 9 due dates."""
    # (id, version): the ORM's bulk UPDATE checks and bumps each case's optimistic version.
    rows = (await session.execute(select(ReviewCase.id, ReviewCase.version))).all()  # type: ignore[attr-defined]
    updates = []
    for i, (case_id, version) in enumerate(rows):
        if i % 3:
            continue
        filed = date(2026, 1, 5) + timedelta(days=(i * 7) % 300)
        deadline = deadline_for(CaseState.DECLARED, filed)
        updates.append(
            {
                "id": case_id,
                "version": version,
                "state": CaseState.DECLARED,
                "state_since": filed,
                "declared_on": filed,
                "deadline_due": deadline.due if deadline else None,
            }
        )
    await session.execute(update(ReviewCase), updates)  # type: ignore[attr-defined]
    await session.commit()  # type: ignore[attr-defined]


async def measure(url: str, secret: str, runs: int, order: str) -> tuple[list[float], int, int]:
    engine = create_engine(url)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": url}), engine=engine)
    timings: list[float] = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as client:
        headers = {"authorization": f"Bearer {secret}"}
        body = {"query": QUERY, "variables": {"order": order}}
        for i in range(runs + 3):
            statements.clear()
            started = time.perf_counter()
            r = await client.post("/graphql", json=body, headers=headers)
            elapsed = time.perf_counter() - started
            assert r.status_code == 200 and "errors" not in r.json(), r.text[:500]
            page = r.json()["data"]["pendingReviews"]
            if i >= 3:  # warm-up runs excluded
                timings.append(elapsed)
    await engine.dispose()
    assert len(page["edges"]) == 100
    return timings, len(statements), page["totalCount"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--purchases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        secret, rescreen_s, rules_s = asyncio.run(seed(url, args.purchases))
        backend = url.split(":", 1)[0]
        print(
            f"backend={backend} purchases={args.purchases} "
            f"seed_rescreen={rescreen_s:.2f}s update_screening_rules={rules_s:.2f}s"
        )
        for order in ("DEADLINE", "RISK", "VALUE"):
            timings, n_statements, total = asyncio.run(measure(url, secret, args.runs, order))
            ms = sorted(t * 1000 for t in timings)
            p95 = ms[int(len(ms) * 0.95) - 1]
            print(
                f"  pendingReviews(first: 100, orderBy: {order}) open_cases={total} "
                f"runs={len(ms)} median={statistics.median(ms):.1f}ms p95={p95:.1f}ms "
                f"sql_statements_per_request={n_statements}"
            )


if __name__ == "__main__":
    main()
