"""Throughput of the notification dispatcher: fan-out and delivery of N outbox events to K team
subscriptions, with a channel that answers at once (so the figures are the dispatcher's own:
claims, rendering, the delivery log).

Usage: python bench/bench_notification_dispatch.py [--database-url URL] [--events N] [--subs K]
Without --database-url a temporary SQLite file is used. Prints the fan-out time, the time to
deliver everything (passes of 50), and the time per delivery.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import event, func, insert, select

from procurement import migrate
from procurement.composition import app_sessions
from procurement.db import create_engine, utcnow
from procurement.enums import (
    NotificationMode,
    Ownership,
    PersonRole,
    PurchaseCategory,
    Role,
    Sector,
)
from procurement.models import NotificationDelivery, NotificationEvent, NotificationSubscription
from procurement.notifications.dispatcher import run_once
from procurement.notifications.message import ChannelTarget, DeliveryOutcome, Notice
from procurement.notifications.store import fan_out
from procurement.permissions import SYSTEM
from procurement.reference_data import credit_code_check_char
from procurement.registry.actions import operators, purchases, vendors
from procurement.settings import normalise_database_url


def _count(counter: list[int]) -> None:
    counter[0] += 1


async def instant(_target: ChannelTarget, _notice: Notice) -> DeliveryOutcome:
    return DeliveryOutcome(True, False, "ok", 200)


async def main(url: str, n_events: int, n_subs: int) -> None:
    url = normalise_database_url(url)
    engine = create_engine(url)
    await migrate.upgrade(engine)
    sessions = app_sessions(engine)
    async with sessions() as session:
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
        await fan_out(session, utcnow())  # the set-up's own events, before anyone subscribed
        await session.commit()
        await session.execute(
            insert(NotificationSubscription),
            [
                {"operator_id": op.id, "role": Role.REVIEWER, "name": f"team {i}",
                 "kinds": ["review.case_changed"], "channel": "WEBHOOK",
                 "address": f"https://hooks.example.cn/{i}", "language": "zh-CN" if i % 2 else "en",
                 "mode": NotificationMode.IMMEDIATE, "warn_working_days": 5, "active": True,
                 "created_at": utcnow(), "updated_at": utcnow()}
                for i in range(n_subs)
            ],
        )  # fmt: skip
        await session.execute(
            insert(NotificationEvent),
            [
                {"kind": "review.case_changed", "occurred_at": utcnow(), "operator_id": op.id,
                 "purchase_id": purchase.id, "object_type": "ReviewCase", "object_id": i,
                 "facts": {"state": "DECLARED", "from_state": "DECLARATION_PREPARED"}}
                for i in range(n_events)
            ],
        )  # fmt: skip
        await session.commit()
    statements = [0]
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *_a: _count(statements))
    started = time.perf_counter()
    fanned = 0
    while True:
        async with sessions() as session:
            made = await fan_out(session, utcnow())
            await session.commit()
        if not made:
            async with sessions() as session:
                left = await session.scalar(
                    select(func.count()).where(NotificationEvent.fanned_out_at.is_(None))
                )
            if not left:
                break
        fanned += made
    fan_out_s = time.perf_counter() - started
    fan_out_sql, statements[0] = statements[0], 0
    started = time.perf_counter()
    delivered = 0
    while True:
        result = await run_once(sessions, instant)
        if result.attempted == 0:
            break
        delivered += result.delivered
    deliver_s = time.perf_counter() - started
    deliver_sql = statements[0]
    async with sessions() as session:
        stored = await session.scalar(select(func.count()).select_from(NotificationDelivery))
    await engine.dispose()
    print(f"backend: {url.split(':', 1)[0]}; {n_events} events x {n_subs} subscriptions")
    print(f"fan-out: {fanned} deliveries in {fan_out_s:.2f} s, {fan_out_sql} SQL statements")
    print(f"delivery: {delivered} of {stored} delivered in {deliver_s:.2f} s "
          f"({1000 * deliver_s / max(delivered, 1):.2f} ms per delivery), "
          f"{deliver_sql} SQL statements")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--subs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        asyncio.run(main(url, args.events, args.subs))
