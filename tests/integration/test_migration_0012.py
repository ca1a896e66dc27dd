"""Revision 0012: events stored before the hash chain are chained by the migration, in id order,
exactly as the application chains new ones, so `audit verify` passes on an upgraded database."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from procurement import audit_verify, migrate
from tests.support.databases import DatabaseUnderTest
from tests.support.migrations import downgrade
from tests.support.world import World

_CHAIN = "SELECT id, chain_seq, prev_hash, hash FROM audit_events ORDER BY id"
_HEADS = "SELECT chain, seq, hash FROM audit_chain_heads ORDER BY chain"


async def test_upgrade_chains_existing_events_as_the_application_does(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the world's 20 events as the application chained them
    async with db.engine.connect() as connection:
        sealed = (await connection.execute(text(_CHAIN))).all()
        heads = (await connection.execute(text(_HEADS))).all()
    assert len(sealed) == 20 and len(heads) == 3
    # when going back to 0011 (no chain: the events stay, their hashes go) and up again
    await downgrade(db, "0011")
    async with db.engine.connect() as connection:
        columns = await connection.execute(text("SELECT * FROM audit_events"))
        assert "hash" not in list(columns.keys()) and len(columns.all()) == 20
    await migrate.upgrade(db.engine)
    # then every event has the very place and hash the application gave it, heads included
    async with db.engine.connect() as connection:
        assert (await connection.execute(text(_CHAIN))).all() == sealed
        assert (await connection.execute(text(_HEADS))).all() == heads
    async with db.sessions() as session:
        reports = await audit_verify.verify(session)
    assert [(r.operator_id, r.events, r.message) for r in reports] == [
        (world.operator_a, 11, ""),
        (world.operator_b, 5, ""),
        (None, 4, ""),
    ]


async def test_the_append_only_triggers_are_back_after_the_upgrade(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a database taken down to 0011 and up again (the backfill lifts the triggers)
    await downgrade(db, "0011")
    await migrate.upgrade(db.engine)
    # when changing an event with raw SQL
    # then the database refuses it
    with pytest.raises(DBAPIError, match="audit_events is append-only"):
        async with db.engine.begin() as connection:
            await connection.execute(text("UPDATE audit_events SET action = 'tampered'"))
