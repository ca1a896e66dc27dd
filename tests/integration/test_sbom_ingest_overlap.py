"""The upload action builds screening's view of a new version's components in a worker thread
while the driver inserts the rows (issue 14: sqlite3 releases the GIL while it steps the insert,
so on two cores the two overlap), and a failed insert still stores nothing and leaves no thread
reading the rows."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from typing import Any

import pytest
from sqlalchemy import func, select

from procurement.models import SbomComponent, SbomVersion, ScreeningRecord
from procurement.permissions import SYSTEM
from procurement.sboms import actions
from procurement.sboms.actions import ingest_sbom
from procurement.sboms.store import insert_records
from procurement.screening.store.facts import (
    ComponentColumns,
    VersionComponents,
    version_components,
)
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import COMMONS, LOG4J_OLD, firmware_sbom
from tests.support.world import World

LIMIT = 50 * 1024 * 1024
WAIT_SECONDS = 10


async def test_screening_view_is_built_in_a_thread_while_the_rows_are_inserted(
    db: DatabaseUnderTest, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an insert that only starts once the screening view is being built, and notes it
    building = threading.Event()
    built_in: list[str] = []

    def noting_build(rows: Iterable[ComponentColumns]) -> VersionComponents:
        building.set()
        built_in.append(threading.current_thread().name)
        return version_components(rows)

    started_before_insert: list[bool] = []

    async def waiting_insert(*args: Any, **kwargs: Any) -> None:
        started_before_insert.append(await asyncio.to_thread(building.wait, WAIT_SECONDS))
        await insert_records(*args, **kwargs)

    monkeypatch.setattr(actions, "version_components", noting_build)
    monkeypatch.setattr(actions, "insert_records", waiting_insert)
    # when a document is uploaded
    async with db.sessions() as session:
        result = await ingest_sbom(
            session, SYSTEM, world.purchase_a_cn, firmware_sbom([LOG4J_OLD, COMMONS]),
            max_bytes=LIMIT,
        )  # fmt: skip
    # then the view was being built, off the event loop's thread, before the insert ran
    assert result.created is True
    assert started_before_insert == [True]
    assert len(built_in) == 1
    assert built_in[0] != threading.current_thread().name
    # and the upload is stored and screened as before
    async with db.sessions() as session:
        components = await session.scalar(
            select(func.count()).where(SbomComponent.version_id == result.version.id)
        )
        triggers = list(
            await session.scalars(
                select(ScreeningRecord.trigger).where(
                    ScreeningRecord.purchase_id == world.purchase_a_cn,
                    ScreeningRecord.superseded_at.is_(None),
                )
            )
        )
    assert components == 2
    assert triggers == ["sbom.uploaded"]


async def test_a_failed_insert_stores_nothing_and_waits_for_the_thread(
    db: DatabaseUnderTest, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an insert that fails while the screening view is still being built
    release = threading.Event()
    finished: list[bool] = []

    def slow_build(rows: Iterable[ComponentColumns]) -> VersionComponents:
        release.wait(WAIT_SECONDS)
        view = version_components(rows)
        finished.append(True)
        return view

    async def failing_insert(*args: Any, **kwargs: Any) -> None:
        release.set()
        raise RuntimeError("insert failed")

    monkeypatch.setattr(actions, "version_components", slow_build)
    monkeypatch.setattr(actions, "insert_records", failing_insert)
    async with db.sessions() as session:
        versions_before = await session.scalar(select(func.count()).select_from(SbomVersion))
    # when a document is uploaded
    async with db.sessions() as session:
        with pytest.raises(RuntimeError, match="insert failed"):
            await ingest_sbom(
                session, SYSTEM, world.purchase_a_cn, firmware_sbom([COMMONS]),
                max_bytes=LIMIT,
            )  # fmt: skip
        # then the thread had finished before the failure reached the caller
        assert finished == [True]
    # and no version was stored
    async with db.sessions() as session:
        versions = await session.scalar(select(func.count()).select_from(SbomVersion))
    assert versions == versions_before
