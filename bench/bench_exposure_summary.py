"""`exposureSummary` over 10,000 purchases: the cold first summary after each kind of
invalidation (issue 14: < 1 s), the warm one (issue 6: < 200 ms median), and a purchases page
with exposure.

Usage: python bench/bench_exposure_summary.py [--database-url URL] [--purchases N] [--runs R]
       [--profile]
Without --database-url a temporary SQLite file is used. Seeds purchases with two responsible
persons each, a current screening result (40% YES, 30% NEEDS_ASSESSMENT, 30% NO), review cases
(some passed, some failed and in use), signed agreements on a third, and USD/EUR purchases with
rates. Prints median and p95 latency through the ASGI app and the SQL statements per request;
for each cold summary also the process CPU it took (time.process_time: the app runs in this
process, so this is the server's CPU, steadier than wall time on a shared machine; "other threads":
the part not spent in the event loop's thread, i.e. aiosqlite's driver thread) and how many
digests the change left to recompute; --profile prints the cProfile top 12 (internal time) of
each cold request. Like `procurement serve` (procurement.web.app.freeze_startup_objects), the
process freezes its startup objects (modules, schema, app) once the app is built, so that the
collector's full passes do not walk them on every request; --no-freeze measures without it.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import statistics
import tempfile
import time
from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import httpx
import orjson
from sqlalchemy import delete, event, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import migrate
from procurement.agreements.lifecycle import AgreementState
from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.enums import Ownership, PersonRole, PurchaseCategory, Role, Sector
from procurement.exposure.actions import record_exchange_rate, update_penalty_schedules
from procurement.models import (
    Agreement,
    AgreementTemplate,
    ExchangeRateRow,
    ExposureSnapshot,
    Operator,
    Purchase,
    ResponsiblePerson,
    ReviewCase,
    ScreeningRecord,
    Vendor,
)
from procurement.permissions import SYSTEM
from procurement.reference_data import credit_code_check_char
from procurement.registry.actions import tokens
from procurement.reviews.state_machine import CaseState
from procurement.screening.model import Verdict
from procurement.settings import load_settings, normalise_database_url
from procurement.web.app import create_app, freeze_startup_objects

S = ExposureSnapshot
GROUP_BY = ["VENDOR"]  # set from --group-by
QUERY = """{ exposureSummary(asOf: "2025-12-01", groupBy: VENDOR, top: 10) {
  purchaseCount total { min max } conditionalMax
  groups { key purchaseCount total { min max } conditionalMax }
  top { purchase { id title } exposure { total { min max } conditionalMax } } } }"""
CURRENCIES = ("CNY", "CNY", "CNY", "USD", "EUR")


def _verdict(i: int) -> Verdict:
    return (Verdict.YES, Verdict.NEEDS_ASSESSMENT, Verdict.NO)[0 if i % 10 < 4 else i % 2 + 1]


def _case(i: int) -> tuple[CaseState, date | None]:
    if i % 7 == 0:
        return CaseState.PASSED, date(2025, 6, 1)
    if i % 11 == 0:
        return CaseState.FAILED, date(2025, 5, 1)
    return CaseState.PENDING_TRIAGE, None


async def seed(url: str, n: int) -> str:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    categories = list(PurchaseCategory)
    async with engine.begin() as conn:
        ops = []
        for i in range(20):
            code = f"91310000MA1FL{i:04d}"[:17]
            ops.append(
                {
                    "name": f"Operator {i}",
                    "credit_code": code + credit_code_check_char(code),
                    "sector": list(Sector)[i % 9],
                    "is_cii_operator": True,
                }
            )
        await conn.execute(insert(Operator), ops)
        await conn.execute(
            insert(Vendor),
            [
                {"name": f"Vendor {i}", "country": "CN", "ownership": Ownership.PRIVATE}
                for i in range(200)
            ],
        )
        await conn.execute(
            insert(ExchangeRateRow),
            [
                {"currency": c, "rate_to_cny": Decimal(r), "valid_from": date(2024, 1, 1),
                 "source": "bench", "created_by": "bench"}
                for c, r in (("USD", "7.1"), ("EUR", "7.8"))
            ],
        )  # fmt: skip
        purchases = [
            {
                "operator_id": 1 + i % 20,
                "vendor_id": 1 + i % 200,
                "title": f"Purchase {i}",
                "category": categories[i % len(categories)],
                "contract_value": Decimal("100000.00") + i,
                "currency": CURRENCIES[i % len(CURRENCIES)],
                "tax_included": True,
                "contract_date": date(2025, 1 + i % 10, 1),
                "in_use_date": date(2025, 11, 1) if i % 11 == 0 else None,
            }
            for i in range(n)
        ]
        persons = [
            {"purchase_id": i + 1, "name": f"{who} {i}", "role": role}
            for i in range(n)
            for who, role in (
                ("Chief", PersonRole.PERSON_IN_CHARGE),
                ("Staff", PersonRole.OTHER_RESPONSIBLE),
            )
        ]
        screenings = [
            {"purchase_id": i + 1, "verdict": _verdict(i), "score": 50, "max_severity": 2,
             "findings": [], "reasons": [], "missing_facts": [], "ruleset_version": 1,
             "fingerprint": f"{i:064d}", "trigger": "bench"}
            for i in range(n)
        ]  # fmt: skip
        cases = []
        for i in range(n):
            if _verdict(i) is Verdict.NO:
                continue
            state, outcome = _case(i)
            cases.append(
                {"purchase_id": i + 1, "open_purchase_id": None if outcome else i + 1,
                 "operator_id": 1 + i % 20, "vendor_id": 1 + i % 200, "state": state,
                 "state_since": outcome or date(2025, 1, 1), "outcome_on": outcome}
            )  # fmt: skip
        for table, rows in (
            (Purchase, purchases),
            (ResponsiblePerson, persons),
            (ScreeningRecord, screenings),
            (ReviewCase, cases),
        ):
            for start in range(0, len(rows), 2000):
                await conn.execute(insert(table), rows[start : start + 2000])
    async with app_sessions(engine)() as session:
        _token, secret = await tokens.create_token(
            session, SYSTEM, tokens.TokenInput(role=Role.ADMIN, name="bench")
        )
        await _agreements(session, n)
    await engine.dispose()
    return secret


async def _agreements(session: AsyncSession, n: int) -> None:
    """Signed agreements on every third purchase, from one stand-in template version (the
    document bytes are irrelevant to the exposure)."""
    template = AgreementTemplate(
        template_id="bench", language="zh", version=1, title="bench", file_name="t.docx",
        content=b"", sha256="0" * 64, size_bytes=0, fields=[], clauses=[], uploaded_by="bench",
    )  # fmt: skip
    session.add(template)
    await session.flush()
    rows = [
        {"purchase_id": i + 1, "template_version_id": template.id,
         "template_id": template.template_id, "template_version": template.version,
         "language": "zh", "number": f"B-{i}", "state": AgreementState.SIGNED,
         "document": b"", "document_sha256": "0" * 64, "document_size": 0,
         "document_file_name": "a.docx", "context_snapshot": {}, "overrides": {},
         "generated_by": "bench", "signed_on": date(2025, 9, 1)}
        for i in range(0, n, 3)
    ]  # fmt: skip
    for start in range(0, len(rows), 2000):
        await session.execute(insert(Agreement), rows[start : start + 2000])
    await session.commit()


PURCHASES_QUERY = """{ purchases(first: 100) { edges { node { id
  exposure(asOf: "2025-12-01") { total { min max } conditionalMax } } } } }"""


def _load() -> str:
    return f"load={os.getloadavg()[0]:.2f}"


def _changed_schedules(article: str) -> str:
    """The shipped schedules with one figure of ``article`` changed (a new version)."""
    text = (files("procurement.exposure") / "seed_schedules.json").read_text(encoding="utf-8")
    document = orjson.loads(text)
    for record in document["schedules"]:
        if record["article"] == article and record["condition"] == "IMMEDIATE":
            record["person_max"] = str(int(record["person_max"]) + 1000)
    return orjson.dumps(document).decode()


async def measure(
    url: str, secret: str, runs: int, profile: bool, freeze: bool = True
) -> dict[str, str]:
    """Cold first summaries after each kind of invalidation, then warm ones, then a purchases
    page with exposure; returns label -> printed figure."""
    engine = create_engine(url)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": url}), engine=engine)
    sessions = app_sessions(engine)
    if freeze:  # as `procurement serve` does once its app is built
        freeze_startup_objects()
    out: dict[str, str] = {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=600
    ) as client:
        headers = {"authorization": f"Bearer {secret}"}

        cpu: list[float] = [0.0, 0.0]  # the process's, and the event loop thread's

        async def once(query: str, day: str = "2025-12-01") -> tuple[float, int]:
            statements.clear()
            started, cpu_started = time.perf_counter(), time.process_time()
            loop_started = time.thread_time()
            r = await client.post(
                "/graphql", json={"query": query.replace("2025-12-01", day)}, headers=headers
            )
            elapsed = time.perf_counter() - started
            cpu[0] = time.process_time() - cpu_started
            cpu[1] = time.thread_time() - loop_started
            assert r.status_code == 200 and "errors" not in r.json(), r.text[:500]
            return elapsed, len(statements)

        async def cold(label: str, day: str = "2025-12-01") -> None:
            async with engine.connect() as conn:  # digests left after the change, valid on day
                on = date.fromisoformat(day)
                kept = await conn.scalar(select(func.count()).select_from(ExposureSnapshot))
                valid = await conn.scalar(
                    select(func.count()).where(
                        S.valid_from <= on, or_(S.valid_until.is_(None), S.valid_until > on)
                    )
                )
                total = await conn.scalar(select(func.count()).select_from(Purchase))
            load = _load()
            if profile:
                profiler = cProfile.Profile()
                profiler.enable()
            elapsed, n = await once(summary_query, day)
            if profile:
                profiler.disable()
                buffer = io.StringIO()
                pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(12)
                print(label, buffer.getvalue())
            out[label] = (
                f"{elapsed * 1000:.0f}ms cpu={cpu[0] * 1000:.0f}ms "
                f"(other threads {(cpu[0] - cpu[1]) * 1000:.0f}ms) statements={n} "
                f"digests_kept={kept} recomputed={total - valid} {load}"
            )

        summary_query = QUERY.replace("VENDOR", GROUP_BY[0])
        await once(summary_query)  # fills the cache
        async with sessions() as session:
            await session.execute(delete(ExposureSnapshot))
            await session.commit()
        await cold("cold (a) full invalidation")
        async with sessions() as session:
            await record_exchange_rate(
                session, SYSTEM, "USD", Decimal("7.2"), date(2025, 6, 1), "bench change"
            )
            await session.commit()
        await cold("cold (b) USD rate from 2025-06-01")
        for article in ("65", "41"):
            async with sessions() as session:
                await update_penalty_schedules(session, SYSTEM, _changed_schedules(article))
            await cold(f"cold (c) schedule change Art. {article}")
        await cold("cold (d) new day 2025-12-02", "2025-12-02")
        load = _load()
        timings = [(await once(summary_query, "2025-12-02"))[0] * 1000 for _ in range(runs)]
        n = (await once(summary_query, "2025-12-02"))[1]
        out["warm summary"] = f"{_percentiles(timings)} statements={n} {load}"
        load = _load()
        await once(PURCHASES_QUERY)
        timings = [(await once(PURCHASES_QUERY))[0] * 1000 for _ in range(runs)]
        n = (await once(PURCHASES_QUERY))[1]
        out["purchases(first:100){exposure}"] = f"{_percentiles(timings)} statements={n} {load}"
        # Last: a day on which a law changes (the amended CSL), past the spans of the digests
        # whose acts it reaches; the digests then hold for 2026 on, not for the days above.
        await cold("cold (e) new day 2026-01-01 (amended CSL)", "2026-01-01")
    await engine.dispose()
    return out


def _percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    return f"p50={statistics.median(ms):.1f}ms p95={p95:.1f}ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--purchases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--no-freeze", action="store_true", help="do not gc.freeze() the startup objects"
    )
    parser.add_argument("--group-by", choices=["VENDOR", "CATEGORY", "ARTICLE"], default="VENDOR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = normalise_database_url(
            args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        )
        secret = asyncio.run(seed(url, args.purchases))
        GROUP_BY[0] = args.group_by
        figures = asyncio.run(measure(url, secret, args.runs, args.profile, not args.no_freeze))
    backend = url.split(":", 1)[0]
    print(
        f"backend={backend} groupBy={GROUP_BY[0]} purchases={args.purchases} "
        f"frozen={not args.no_freeze}"
    )
    for label, figure in figures.items():
        print(f"  {label}: {figure}")


if __name__ == "__main__":
    main()
