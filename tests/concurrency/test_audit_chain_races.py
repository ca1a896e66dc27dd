"""Appending to one operator's audit chain from concurrent transactions, on both databases:
every event gets its own place and links to the one before it, never to a shared predecessor."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from procurement import audit, audit_verify
from procurement.audit_chain import GENESIS
from procurement.models import AuditEvent
from procurement.permissions import SYSTEM
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World, gql

REGISTER = (
    "mutation($input: RegisterVendorInput!) { registerVendor(input: $input) { errors { code } } }"
)


async def _chain(db: DatabaseUnderTest, operator_id: int) -> list[AuditEvent]:
    async with db.sessions() as session:
        stmt = select(AuditEvent).where(AuditEvent.operator_id == operator_id)
        return list(await session.scalars(stmt.order_by(AuditEvent.chain_seq)))


async def test_concurrent_requests_append_one_linked_chain(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given operator A's chain of 11 events
    buyer = world.secrets["procurement"]

    async def register(n: int) -> object:
        variables = {"input": {"name": f"Vendor {n}", "country": "CN", "ownership": "STATE"}}
        _status, body = await gql(client, buyer, REGISTER, variables)
        return body["data"]["registerVendor"]["errors"]

    # when eight vendors are registered by eight requests at once
    outcomes = await asyncio.gather(*(register(n) for n in range(8)))
    # then all succeeded, and the chain is 19 events numbered 1..19, each linked to the previous
    assert outcomes == [[]] * 8
    events = await _chain(db, world.operator_a)
    assert [e.chain_seq for e in events] == list(range(1, 20))
    assert [e.prev_hash for e in events] == [GENESIS] + [e.hash for e in events[:-1]]
    async with db.sessions() as session:
        reports = await audit_verify.verify(session, world.operator_a)
    assert [(r.events, r.message) for r in reports] == [(19, "")]


async def test_a_second_writer_waits_for_the_first_and_links_to_its_event(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a transaction that has appended to operator B's chain and not yet committed
    async with db.sessions() as first, db.sessions() as second:
        audit.record(
            first, SYSTEM, "test.first", "Operator", world.operator_b, operator_id=world.operator_b
        )
        await first.flush()
        # when a second transaction appends to the same chain meanwhile, then the first commits
        audit.record(
            second,
            SYSTEM,
            "test.second",
            "Operator",
            world.operator_b,
            operator_id=world.operator_b,
        )
        waiting = asyncio.create_task(second.commit())
        await asyncio.sleep(0.2)  # let it reach the chain head (it must wait there)
        assert not waiting.done()
        await first.commit()
        await waiting
    # then the second event comes after the first and links to it
    events = await _chain(db, world.operator_b)
    assert [(e.action, e.chain_seq) for e in events[-2:]] == [("test.first", 6), ("test.second", 7)]
    assert events[-1].prev_hash == events[-2].hash
    async with db.sessions() as session:
        reports = await audit_verify.verify(session, world.operator_b)
    assert [(r.events, r.message) for r in reports] == [(7, "")]
