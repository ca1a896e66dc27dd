"""Committing a large SBOM version without copying it into the SQLite database file first.

In WAL mode SQLite appends a transaction's pages to the write-ahead log, and the connection that
commits checkpoints (copies the log into the database file and syncs it) when the log has grown
past ``wal_autocheckpoint`` pages (1,000 by default). A 10,000-component version writes about
7 MB of pages, so its upload always paid for that copy before it could answer: measured on this
machine, the commit took 0.06-0.11 s with the checkpoint and 0.03-0.04 s without (issue 14). The
readers need nothing of it: they read the log. So the commit runs with the checkpoint off, and
the checkpoint runs later, as a step the caller runs when it releases what the upload left
(:class:`procurement.sboms.aftermath.Aftermath`; the web route does so after answering). Should
that step never run, the next commit past the threshold, on any connection, checkpoints as
before: nothing is lost but the deferral. PostgreSQL has no such step: nothing changes there.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

log = logging.getLogger(__name__)


@asynccontextmanager
async def checkpoint_deferred(
    session: AsyncSession, defer: Callable[[Callable[[], Awaitable[None]]], None]
) -> AsyncIterator[None]:
    """Around the caller's commit of the session's transaction: on SQLite, that commit does not
    checkpoint the log; the checkpoint is handed to ``defer`` instead, to be run later."""
    connection = await session.connection()
    engine = session.bind
    if connection.dialect.name != "sqlite" or not isinstance(engine, AsyncEngine):
        yield
        return
    # The same DBAPI connection after the commit has returned it to the pool (the setting is
    # the connection's own, not the transaction's).
    driver: Any = (await connection.get_raw_connection()).driver_connection
    pages = int((await connection.exec_driver_sql("PRAGMA wal_autocheckpoint")).scalar_one())
    await connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
    try:
        yield
    finally:
        await _restore(driver, pages)
    defer(lambda: checkpoint(engine))


async def _restore(driver: Any, pages: int) -> None:
    """Set the connection's threshold back. On the pooled connection, outside any session: the
    pragma neither opens nor ends a transaction, so it is safe even if another request has
    taken the connection meanwhile. A failure is logged, not raised: the upload is committed."""
    try:
        cursor = await driver.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")
        await cursor.close()
    except (sqlite3.Error, ValueError) as error:  # ValueError: aiosqlite's closed connection
        log.warning("could not restore wal_autocheckpoint on a connection: %s", error)


async def checkpoint(engine: AsyncEngine) -> None:
    """Copy the log into the database file as far as no reader needs it (PASSIVE: never waits
    for readers or writers). A failure is logged: a later commit checkpoints instead."""
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
    except DBAPIError as error:
        log.warning("deferred WAL checkpoint failed: %s", error)
