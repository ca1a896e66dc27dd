"""Latency from an outbox event's commit to its arrival at a real webhook receiver on loopback,
with the service running as deployed: the app's lifespan (its in-process job worker on SQLite),
plus ``procurement worker`` processes on PostgreSQL when ``--workers N`` is given.

Usage: python bench/bench_notification_latency.py [--database-url URL] [--events N] [--workers N]
Without --database-url a temporary SQLite file is used. Events are committed one at a time, each
after the previous one arrived; prints p50/p95/max of commit -> receiver in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import orjson
from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from procurement import migrate  # noqa: E402
from procurement.composition import app_sessions  # noqa: E402
from procurement.db import create_engine, utcnow  # noqa: E402
from procurement.enums import (  # noqa: E402
    NotificationMode,
    Ownership,
    PersonRole,
    PurchaseCategory,
    Role,
    Sector,
)
from procurement.models import NotificationEvent, NotificationSubscription  # noqa: E402
from procurement.outbox import PENDING  # noqa: E402
from procurement.permissions import SYSTEM  # noqa: E402
from procurement.reference_data import credit_code_check_char  # noqa: E402
from procurement.registry.actions import operators, purchases, vendors  # noqa: E402
from procurement.settings import load_settings, normalise_database_url  # noqa: E402
from procurement.web.app import create_app  # noqa: E402
from tests.support.http_receiver import Received, Reply, http_receiver  # noqa: E402


async def _world(sessions: object, address: str) -> tuple[int, int]:
    async with sessions() as session:  # type: ignore[operator]
        body = "91310000MA1FL00A"[:17].ljust(17, "0")
        op = await operators.register_operator(
            session, SYSTEM,
            operators.OperatorInput(name="Bench operator", credit_code=body
                                    + credit_code_check_char(body), sector=Sector.ENERGY,
                                    is_cii_operator=True),
        )  # fmt: skip
        vendor = await vendors.register_vendor(
            session, SYSTEM,
            vendors.VendorInput(name="Bench vendor", country="CN", ownership=Ownership.PRIVATE),
        )  # fmt: skip
        purchase = await purchases.register_purchase(
            session, SYSTEM,
            purchases.PurchaseInput(
                operator_id=op.id, vendor_id=vendor.id, title="Bench purchase",
                category=PurchaseCategory.CORE_NETWORK_EQUIPMENT,
                contract_value=Decimal("1000000.00"), currency="CNY", tax_included=True,
                contract_date=date(2025, 3, 1),
                persons=[purchases.PersonInput("Zhang Wei", PersonRole.PERSON_IN_CHARGE, None)],
            ),
        )  # fmt: skip
        await session.execute(
            insert(NotificationSubscription),
            [{"operator_id": op.id, "role": Role.REVIEWER, "name": "bench team",
              "kinds": ["review.case_changed"], "channel": "WEBHOOK", "address": address,
              "language": "zh-CN", "mode": NotificationMode.IMMEDIATE, "warn_working_days": 5,
              "active": True, "created_at": utcnow(), "updated_at": utcnow()}],
        )  # fmt: skip
        await session.commit()
        return op.id, purchase.id


async def main(url: str, n_events: int, n_workers: int) -> None:
    url = normalise_database_url(url)
    os.environ.pop("HTTP_PROXY", None), os.environ.pop("http_proxy", None)
    arrived: dict[int, float] = {}

    def respond(request: Received) -> Reply:
        seq = orjson.loads(request.body)["facts"].get("bench_seq")
        if seq is not None:  # not the set-up's own events
            arrived.setdefault(int(seq), time.perf_counter())
        return Reply(200, b"{}")

    engine = create_engine(url)
    await migrate.upgrade(engine)
    sessions = app_sessions(engine)
    workers: list[subprocess.Popen[bytes]] = []
    with http_receiver(respond) as receiver:
        op_id, purchase_id = await _world(sessions, receiver.url + "/hook")
        settings = load_settings({"PROCUREMENT_DATABASE_URL": url})
        app = create_app(settings, engine=engine)
        env = {**os.environ, "PROCUREMENT_DATABASE_URL": url}
        for _ in range(n_workers):
            command = [sys.executable, "-m", "procurement", "worker"]
            workers.append(subprocess.Popen(command, cwd=REPO, env=env))  # noqa: ASYNC220
        latencies: list[float] = []
        async with app.router.lifespan_context(app):
            # the set-up's own events go out; worker processes start (imports, migrations check)
            await asyncio.sleep(3.0 + 5.0 * bool(n_workers))
            for seq in range(n_events):
                async with app.state.sessions() as session:  # the app's: as a request commits
                    await session.execute(
                        insert(NotificationEvent),
                        [{"kind": "review.case_changed", "occurred_at": utcnow(),
                          "operator_id": op_id, "purchase_id": purchase_id,
                          "object_type": "ReviewCase", "object_id": seq,
                          "facts": {"state": "DECLARED", "from_state": "DECLARATION_PREPARED",
                                    "bench_seq": seq}}],
                    )  # fmt: skip
                    session.info[PENDING] = True  # as the outbox marks a transaction
                    await session.commit()
                committed = time.perf_counter()
                for _ in range(3000):  # up to 30 s
                    if seq in arrived:
                        break
                    await asyncio.sleep(0.01)
                if seq in arrived:
                    latencies.append(1000 * (arrived[seq] - committed))
        for worker in workers:
            worker.terminate()
            worker.wait()
    await engine.dispose()
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else float("nan")
    print(f"backend: {url.split(':', 1)[0]}; workers: {n_workers}; "
          f"{len(latencies)} of {n_events} events arrived")  # fmt: skip
    if latencies:
        print(f"commit -> webhook: p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, "
              f"max {latencies[-1]:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--events", type=int, default=30)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        asyncio.run(main(url, args.events, args.workers))
