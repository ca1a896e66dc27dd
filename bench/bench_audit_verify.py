"""Time of `procurement audit verify` over one operator's chain of 100,000 audit events.

Usage: python bench/bench_audit_verify.py [--database-url URL] [--events N] [--runs R]
Without --database-url a temporary SQLite file is used. Seeds one operator's chain with N events
(each with a 13-key vendor snapshot before and after, as a vendor.updated event carries), hashed
with the same pure functions the application uses and bulk-inserted; then prints the time to
seed, the median and worst of R verify runs (streamed read plus SHA-256 of every event), and the
time to append 1,000 more events through the application's sealing path (audit.insert_rows).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from procurement import audit, audit_chain, audit_verify, migrate
from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.enums import Sector
from procurement.models import AuditChainHead, AuditEvent, Operator
from procurement.settings import normalise_database_url

BATCH = 2000


def _snapshot(n: int) -> dict[str, Any]:
    return {
        "id": n, "name": f"Vendor {n}", "country": "CN", "registration_id": None,
        "ownership": "PRIVATE", "ultimate_parent_name": None, "ultimate_parent_country": None,
        "address": "1 Road, Shanghai", "contact_name": "Li", "contact_email": "li@example.cn",
        "contact_phone": None, "created_at": "2026-01-01T00:00:00+00:00",
        "updated_at": "2026-01-02T00:00:00+00:00",
    }  # fmt: skip


def _rows(operator_id: int, count: int) -> tuple[list[dict[str, Any]], str]:
    rows, prev = [], audit_chain.GENESIS
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for seq in range(1, count + 1):
        after = _snapshot(seq) | {"name": f"Vendor {seq} Ltd."}
        values = {
            "occurred_at": start + timedelta(seconds=seq),
            "actor_token_id": None,
            "actor_name": "bench",
            "actor_role": "admin",
            "operator_id": operator_id,
            "action": "vendor.updated",
            "object_type": "Vendor",
            "object_id": seq,
            "before": _snapshot(seq),
            "after": after,
        }
        fields = audit_chain.EventFields(**values)
        digest = audit_chain.event_hash(fields, seq, prev)
        rows.append(values | {"chain_seq": seq, "prev_hash": prev, "hash": digest})
        prev = digest
    return rows, prev


async def run(url: str, count: int, runs: int) -> None:
    engine = create_engine(normalise_database_url(url))
    await migrate.upgrade(engine)
    sessions = app_sessions(engine)
    started = time.perf_counter()
    async with sessions() as session:
        operator = Operator(
            name="Bench",
            credit_code="91310000MA1FL0BENX",
            sector=Sector.ENERGY,
            is_cii_operator=True,
        )
        session.add(operator)
        await session.flush()
        rows, last = _rows(operator.id, count)
        for at in range(0, len(rows), BATCH):
            await session.execute(insert(AuditEvent), rows[at : at + BATCH])
        session.add(AuditChainHead(chain=operator.id, seq=count, hash=last))
        await session.commit()
        operator_id = operator.id
    print(f"seeded {count:,} chained events in {time.perf_counter() - started:.1f} s")

    times, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        async with sessions() as session:
            reports = await audit_verify.verify(session, operator_id)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)  # this process's threads (aiosqlite's too)
        assert [(r.events, r.intact) for r in reports] == [(count, True)], reports
    print(
        f"audit verify, one chain of {count:,} events: median {statistics.median(times):.2f} s, "
        f"worst {max(times):.2f} s over {runs} runs ({count / statistics.median(times):,.0f} "
        f"events/s); CPU time of this process median {statistics.median(cpu):.2f} s"
    )

    more = [{k: v for k, v in r.items() if k not in ("chain_seq", "prev_hash", "hash")}
            for r in _rows(operator_id, 1000)[0]]  # fmt: skip
    began = time.perf_counter()
    async with sessions() as session:
        await audit.insert_rows(session, more)
        await session.commit()
    elapsed = time.perf_counter() - began
    print(f"appended 1,000 events through the sealing path in {elapsed:.2f} s "
          f"({elapsed:.2f} ms per event)")  # fmt: skip
    async with sessions() as session:
        reports = await audit_verify.verify(session, operator_id)
    assert [(r.events, r.intact) for r in reports] == [(count + 1000, True)], reports
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        asyncio.run(run(url, args.events, args.runs))


if __name__ == "__main__":
    main()
