"""A transaction that appends several events to one audit chain locks and reads the chain's head
once (procurement/models/audit.py): later events link to the head it left, and bulk rows store
each head once. On both databases, the chains stay intact, also across a savepoint rolled back
after it appended events."""

from __future__ import annotations

from sqlalchemy import select

from procurement import audit, audit_verify
from procurement.models import AuditChainHead, AuditEvent
from procurement.permissions import SYSTEM
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World


def row(world: World, action: str) -> dict[str, object]:
    return {
        "actor_name": SYSTEM.name,
        "actor_role": SYSTEM.role.value,
        "operator_id": world.operator_a,
        "action": action,
        "object_type": "Purchase",
        "object_id": world.purchase_a_us,
        "after": {"n": action},
    }


def head_statements(statements: list[str]) -> list[str]:
    return [s.split()[0] for s in statements if "audit_chain_heads" in s]


async def chain_a(db: DatabaseUnderTest, world: World) -> list[tuple[str, int | None]]:
    async with db.sessions() as session:
        rows = await session.execute(
            select(AuditEvent.action, AuditEvent.chain_seq)
            .where(AuditEvent.operator_id == world.operator_a)
            .order_by(AuditEvent.chain_seq)
        )
        return [(action, seq) for action, seq in rows][-4:]


async def test_one_transaction_reads_a_chain_head_once_and_stores_bulk_rows_head_once(
    db: DatabaseUnderTest, world: World
) -> None:
    # given operator A's chain of 11 events (the test world)
    async with db.sessions() as session:
        with db.queries.counting() as statements:
            # when one transaction records an event through the ORM, then two bulk rows
            audit.record(
                session, SYSTEM, "one", "Purchase", world.purchase_a_us,
                operator_id=world.operator_a, after={"n": 1},
            )  # fmt: skip
            await session.flush()
            await audit.insert_rows(session, [row(world, "two"), row(world, "three")])
            await session.commit()
    # then the head was locked and read once, and stored once for the ORM event, once for both
    # bulk rows
    assert head_statements(statements) == ["INSERT", "UPDATE", "UPDATE"]
    # and the events took places 12, 13, 14, the head is the last, and the chains are intact
    assert (await chain_a(db, world))[-3:] == [("one", 12), ("two", 13), ("three", 14)]
    async with db.sessions() as session:
        head = await session.get(AuditChainHead, world.operator_a)
        last = await session.scalar(select(AuditEvent.hash).where(AuditEvent.chain_seq == 14))
        reports = await audit_verify.verify(session, None)
    assert head is not None and (head.seq, head.hash) == (14, last)
    assert [r.message for r in reports] == ["", "", ""]


async def test_events_after_a_rolled_back_savepoint_link_to_the_head_before_it(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a transaction that appended an event to operator A's chain
    async with db.sessions() as session:
        await audit.insert_rows(session, [row(world, "kept")])
        # when a savepoint appends another and is rolled back, and the transaction appends again
        savepoint = await session.begin_nested()
        await audit.insert_rows(session, [row(world, "undone")])
        await savepoint.rollback()
        await audit.insert_rows(session, [row(world, "after")])
        await session.commit()
    # then the undone event left no place taken, and every chain is intact
    assert (await chain_a(db, world))[-2:] == [("kept", 12), ("after", 13)]
    async with db.sessions() as session:
        reports = await audit_verify.verify(session, None)
    assert [r.message for r in reports] == ["", "", ""]
