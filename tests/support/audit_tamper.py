"""Tampering with the audit log for real, the way a database owner could: lift the append-only
triggers of migration 0001, then change rows with raw SQL."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.support.databases import DatabaseUnderTest


async def lift_append_only(connection: AsyncConnection, backend: str) -> None:
    if backend == "sqlite":
        await connection.execute(text("DROP TRIGGER audit_events_no_update"))
        await connection.execute(text("DROP TRIGGER audit_events_no_delete"))
    else:
        await connection.execute(
            text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        )


async def tamper(db: DatabaseUnderTest, *statements: str) -> None:
    """Run ``statements`` with the triggers lifted, in one committed transaction."""
    async with db.engine.begin() as connection:
        await lift_append_only(connection, db.backend)
        for statement in statements:
            await connection.execute(text(statement))


async def chain_ids(db: DatabaseUnderTest, operator_id: int | None) -> list[int]:
    """The event ids of one chain, in chain order."""
    where = "operator_id IS NULL" if operator_id is None else f"operator_id = {operator_id}"
    async with db.engine.connect() as connection:
        rows = await connection.execute(
            text(f"SELECT id FROM audit_events WHERE {where} ORDER BY chain_seq")
        )
        return [row[0] for row in rows]
