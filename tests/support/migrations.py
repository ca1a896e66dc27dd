"""Taking a test database back to an earlier revision, to check what an upgrade does to the rows
written before it."""

from __future__ import annotations

from alembic import command
from sqlalchemy.engine import Connection

from procurement import migrate
from tests.support.databases import DatabaseUnderTest


async def downgrade(db: DatabaseUnderTest, revision: str) -> None:
    """Downgrade ``db`` to ``revision`` through alembic, on the test's own engine."""

    def run(connection: Connection) -> None:
        config = migrate.alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with db.engine.begin() as connection:
        await connection.run_sync(run)
