"""The SQLite connection settings of one upload's transaction: a page cache that holds what it
writes, and the WAL checkpoint left until after the answer (issue 14).

Page cache. SQLite's default cache is 2 MB per connection; a 10,000-component version writes
about 7 MB of table and index pages. Past the cache, SQLite spills dirty pages to the log mid-
transaction and reads them back when it touches them again (the where-used index takes its
entries all over the tree). During the upload's transaction the cache may hold UPLOAD_CACHE_KIB;
it is set back when the transaction ends, which frees the pages over the usual size.

Checkpoint. In WAL mode the connection that commits checkpoints (copies the log into the
database file and syncs it) when the log has grown past ``wal_autocheckpoint`` pages (1,000 by
default): a 10,000-component upload always paid for that copy before it could answer (the
commit took 0.08-0.11 s with it and 0.03 s without, on a loaded machine). Readers need nothing
of it: they read the log. So the commit runs with the checkpoint off, and the checkpoint runs as
a step the caller runs when it releases what the upload left
(:class:`procurement.sboms.aftermath.Aftermath`; the web route does so after answering). Should
that step never run, the next commit past the threshold, on any connection, checkpoints as
before: only the deferral is lost.

PostgreSQL has neither step: nothing changes there.
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

UPLOAD_CACHE_KIB = 32 * 1024


@asynccontextmanager
async def upload_transaction(
    session: AsyncSession, defer: Callable[[Callable[[], Awaitable[None]]], None]
) -> AsyncIterator[None]:
    """Around the writes and the commit of one upload's transaction: on SQLite, a larger page
    cache meanwhile, and no checkpoint at the commit; the checkpoint is handed to ``defer``, to
    be run later, once the transaction is committed."""
    connection = await session.connection()
    engine = session.bind
    if connection.dialect.name != "sqlite" or not isinstance(engine, AsyncEngine):
        yield
        return
    # The settings are the connection's own, not the transaction's: they are set back on the same
    # DBAPI connection, after the commit has returned it to the pool.
    driver: Any = (await connection.get_raw_connection()).driver_connection
    settings = {
        name: int((await connection.exec_driver_sql(f"PRAGMA {name}")).scalar_one())
        for name in ("cache_size", "wal_autocheckpoint")
    }
    await connection.exec_driver_sql(f"PRAGMA cache_size=-{int(UPLOAD_CACHE_KIB)}")
    await connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
    try:
        yield
    finally:
        await _restore(driver, settings)
    defer(lambda: checkpoint(engine))


async def _restore(driver: Any, settings: dict[str, int]) -> None:
    """Set the connection's settings back, outside any session: the pragmas neither open nor
    end a transaction, so they are safe even if another request has taken the connection
    meanwhile. A failure is logged, not raised: the upload is committed (or rolled back) by now."""
    try:
        for name, value in settings.items():
            cursor = await driver.execute(f"PRAGMA {name}={int(value)}")
            await cursor.close()
    except (sqlite3.Error, ValueError) as error:  # ValueError: aiosqlite's closed connection
        log.warning("could not set a connection's %s back: %s", ", ".join(settings), error)


async def checkpoint(engine: AsyncEngine) -> None:
    """Copy the log into the database file as far as no reader needs it (PASSIVE: never waits
    for readers or writers). A failure is logged: a later commit checkpoints instead."""
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
    except DBAPIError as error:
        log.warning("deferred WAL checkpoint failed: %s", error)
