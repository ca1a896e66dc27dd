"""Revision 0014: accounts and sessions appear, tokens made before it keep working and belong to
no account, and the revision downgrades cleanly on both backends."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from procurement import migrate
from tests.support.databases import DatabaseUnderTest
from tests.support.migrations import downgrade
from tests.support.world import World


def _tables_and_token_columns(connection: Connection) -> tuple[set[str], set[str]]:
    inspector = inspect(connection)
    columns = {c["name"] for c in inspector.get_columns("api_tokens")}
    return set(inspector.get_table_names()), columns


async def test_downgrade_removes_accounts_and_upgrade_keeps_old_tokens(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the head with the world's tokens, downgraded to 0011
    await downgrade(db, "0011")
    async with db.engine.connect() as connection:
        tables, columns = await connection.run_sync(_tables_and_token_columns)
    assert {"accounts", "web_sessions"} & tables == set()
    assert "account_id" not in columns
    # when upgrading again
    await migrate.upgrade(db.engine)
    # then the tables are back and the old tokens belong to no account
    async with db.engine.connect() as connection:
        tables, columns = await connection.run_sync(_tables_and_token_columns)
        owners = (
            await connection.execute(text("SELECT DISTINCT account_id FROM api_tokens"))
        ).all()
    assert {"accounts", "web_sessions"} <= tables
    assert "account_id" in columns
    assert owners == [(None,)]
