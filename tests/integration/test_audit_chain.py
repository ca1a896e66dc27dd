"""The audit log's hash chains on both databases: intact after real use, and every kind of
tampering a database owner can do (triggers lifted, rows changed with raw SQL) is reported at
the first broken link (issue 11)."""

from __future__ import annotations

from sqlalchemy import select, text

from procurement import audit_verify
from procurement.audit_chain import GENESIS, ChainReport, EventFields, event_hash
from procurement.models import AuditChainHead, AuditEvent
from tests.support.audit_tamper import chain_ids, tamper
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World


async def _verify(db: DatabaseUnderTest, operator_id: int | None = None) -> list[ChainReport]:
    async with db.sessions() as session:
        return await audit_verify.verify(session, operator_id)


def _summary(reports: list[ChainReport]) -> list[tuple[int | None, int, str]]:
    return [(r.operator_id, r.events, r.message) for r in reports]


async def test_the_world_s_chains_are_intact_and_linked(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the 20 events of the test world (ORM inserts and the screening's bulk rows)
    # when verifying every chain
    reports = await _verify(db)
    # then each operator's chain and the no-operator chain is intact, and counts add up to 20
    assert _summary(reports) == [
        (world.operator_a, 11, ""),
        (world.operator_b, 5, ""),
        (None, 4, ""),
    ]
    async with db.sessions() as session:
        events = list(
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.operator_id == world.operator_a)
                .order_by(AuditEvent.chain_seq)
            )
        )
        head = await session.get(AuditChainHead, world.operator_a)
    # and each event links to its predecessor, numbered 1, 2, 3... and the head is the last
    assert [e.chain_seq for e in events] == list(range(1, 12))
    assert [e.prev_hash for e in events] == [GENESIS] + [e.hash for e in events[:-1]]
    assert head is not None and (head.seq, head.hash) == (11, events[-1].hash)
    assert reports[0].head_hash == events[-1].hash


async def test_a_changed_after_is_reported_as_content_changed(
    db: DatabaseUnderTest, world: World
) -> None:
    # given operator A's fourth event rewritten past the triggers
    target = (await chain_ids(db, world.operator_a))[3]
    await tamper(db, f"""UPDATE audit_events SET after = '{{"name": "x"}}' WHERE id = {target}""")
    # when verifying
    reports = await _verify(db)
    # then operator A's chain breaks at that event, after reading 4 events; the others are intact
    assert _summary(reports) == [
        (world.operator_a, 4, f"event {target}: content changed: its fields do not match its "
         "stored hash"),
        (world.operator_b, 5, ""),
        (None, 4, ""),
    ]  # fmt: skip


async def test_a_deleted_event_is_reported_as_missing_at_the_next(
    db: DatabaseUnderTest, world: World
) -> None:
    # given operator A's third event deleted
    ids = await chain_ids(db, world.operator_a)
    await tamper(db, f"DELETE FROM audit_events WHERE id = {ids[2]}")
    # when verifying operator A's chain only
    reports = await _verify(db, world.operator_a)
    # then the event after the gap is where it breaks
    assert _summary(reports) == [
        (world.operator_a, 3, f"event {ids[3]}: event missing: sequence number 3 absent before "
         "sequence 4"),
    ]  # fmt: skip


async def test_a_deleted_last_event_is_reported_as_a_head_mismatch(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the last event of operator B's chain deleted
    ids = await chain_ids(db, world.operator_b)
    await tamper(db, f"DELETE FROM audit_events WHERE id = {ids[-1]}")
    # when verifying
    reports = await _verify(db, world.operator_b)
    # then the chain is whole up to its new end, but the head still points past it
    assert _summary(reports) == [
        (world.operator_b, 4, f"chain head mismatch: the head is at sequence 5, the last event "
         f"({ids[3]}) at 4"),
    ]  # fmt: skip


async def test_an_event_inserted_with_raw_sql_is_reported(
    db: DatabaseUnderTest, world: World
) -> None:
    # given an event inserted past the application (no trigger stops an INSERT)
    async with db.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO audit_events (occurred_at, actor_name, actor_role, operator_id, "
                "action, object_type) VALUES ('2026-01-01 00:00:00', 'intruder', 'admin', "
                f"{world.operator_b}, 'vendor.updated', 'Vendor')"
            )
        )
        inserted = (await connection.execute(text("SELECT max(id) FROM audit_events"))).scalar()
    # when verifying
    reports = await _verify(db, world.operator_b)
    # then it has no place in the chain
    assert _summary(reports) == [
        (
            world.operator_b,
            1,
            f"event {inserted}: event inserted: it has no sequence number or hash",
        )
    ]


async def test_an_event_given_a_taken_place_is_reported_as_inserted(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a copy of operator B's second event, claiming its place and hash
    ids = await chain_ids(db, world.operator_b)
    columns = (
        "occurred_at, actor_token_id, actor_name, actor_role, operator_id, action, object_type, "
        "object_id, before, after, chain_seq, prev_hash, hash"
    )
    async with db.engine.begin() as connection:
        await connection.execute(
            text(
                f"INSERT INTO audit_events ({columns}) SELECT {columns} FROM audit_events "
                f"WHERE id = {ids[1]}"
            )
        )
        copy = (await connection.execute(text("SELECT max(id) FROM audit_events"))).scalar()
    # when verifying
    reports = await _verify(db, world.operator_b)
    # then the copy is found where its number was already taken
    assert _summary(reports) == [
        (world.operator_b, 3, f"event {copy}: event inserted: sequence number 2 is taken by "
         f"event {ids[1]}"),
    ]  # fmt: skip


async def test_a_rewritten_event_with_a_recomputed_hash_breaks_the_next_link(
    db: DatabaseUnderTest, world: World
) -> None:
    # given operator B's first event rewritten by someone who also recomputed its own hash
    ids = await chain_ids(db, world.operator_b)
    async with db.sessions() as session:
        event = await session.get(AuditEvent, ids[0])
    assert event is not None and event.chain_seq == 1 and event.prev_hash == GENESIS
    forged = EventFields(
        event.occurred_at, event.actor_token_id, event.actor_name, event.actor_role,
        event.operator_id, event.action, event.object_type, event.object_id, event.before,
        {"name": "x"},
    )  # fmt: skip
    digest = event_hash(forged, 1, GENESIS)
    await tamper(
        db,
        f"""UPDATE audit_events SET after = '{{"name": "x"}}', hash = '{digest}' """
        f"WHERE id = {ids[0]}",
    )
    # when verifying
    reports = await _verify(db, world.operator_b)
    # then the forged event is self-consistent, but the next one no longer links to it
    assert _summary(reports) == [
        (world.operator_b, 2, f"event {ids[1]}: broken link: its previous hash is not that of "
         f"event {ids[0]}"),
    ]  # fmt: skip
