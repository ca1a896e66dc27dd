"""Alembic environment: runs on the connection handed over by procurement.migrate, or on the
URL from the app's settings when the alembic command line is used directly."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import procurement.models  # noqa: F401  (registers every table on Base.metadata)
from procurement.db import Base, create_engine
from procurement.settings import load_settings

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_settings() -> None:
    engine = create_engine(load_settings().database_url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_from_settings())
