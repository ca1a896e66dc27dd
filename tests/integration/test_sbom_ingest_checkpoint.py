"""An upload's commit on SQLite does not copy the write-ahead log into the database file: the
checkpoint runs when the caller releases what the upload left, after answering (issue 14:
0.04-0.06 s of a 10,000-component upload's commit, measured with raw sqlite3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from procurement.permissions import SYSTEM
from procurement.sboms.actions import ingest_sbom
from procurement.sboms.aftermath import Aftermath
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import COMMONS, LOG4J_OLD, firmware_sbom
from tests.support.world import World

LIMIT = 50 * 1024 * 1024


def _checkpoint_after_every_commit(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=1")
    cursor.close()


def _contents(database_file: Path) -> bytes:
    return database_file.read_bytes()


async def _threshold(db: DatabaseUnderTest) -> int:
    async with db.engine.connect() as connection:
        return int((await connection.exec_driver_sql("PRAGMA wal_autocheckpoint")).scalar_one())


async def test_the_commit_leaves_the_checkpoint_to_the_release(
    db: DatabaseUnderTest, world: World
) -> None:
    if db.backend != "sqlite":
        pytest.skip("a step of SQLite's write-ahead log; PostgreSQL commits as it did")
    # given connections that would checkpoint at every commit, and the database file as it is
    event.listen(db.engine.sync_engine, "connect", _checkpoint_after_every_commit)
    await db.engine.dispose()
    database_file = Path(str(db.engine.url.database))
    before = _contents(database_file)
    aftermath = Aftermath()
    # when a document is uploaded and committed, its release left to the caller
    async with db.sessions() as session:
        result = await ingest_sbom(
            session, SYSTEM, world.purchase_a_cn, firmware_sbom([LOG4J_OLD, COMMONS]),
            max_bytes=LIMIT, aftermath=aftermath,
        )  # fmt: skip
    # then the new version is committed but only in the log: the database file is unchanged
    assert result.created is True
    assert _contents(database_file) == before
    # and the one connection that committed checkpoints at every commit again
    pool: Any = db.engine.sync_engine.pool
    assert pool.checkedin() == 1
    assert await _threshold(db) == 1
    # and releasing copies the log into the database file
    await aftermath.release()
    assert _contents(database_file) != before


async def test_without_an_aftermath_the_upload_checkpoints_before_returning(
    db: DatabaseUnderTest, world: World
) -> None:
    if db.backend != "sqlite":
        pytest.skip("a step of SQLite's write-ahead log; PostgreSQL commits as it did")
    # given the database file as it is
    database_file = Path(str(db.engine.url.database))
    before = _contents(database_file)
    # when a document is uploaded by a caller that gives no aftermath (a job, the CLI)
    async with db.sessions() as session:
        result = await ingest_sbom(
            session, SYSTEM, world.purchase_a_cn, firmware_sbom([LOG4J_OLD, COMMONS]),
            max_bytes=LIMIT,
        )  # fmt: skip
    # then the log was copied into the database file before it returned
    assert result.created is True
    assert _contents(database_file) != before
    assert await _threshold(db) == 1000
