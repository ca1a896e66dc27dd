"""The upload action builds screening's view of a new version's components from the rows at hand
in a worker thread, before it inserts them (issue 14: on the event loop it held up every other
request, about 0.5 s at 100,000 components), and the upload is screened from that view."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import pytest
from sqlalchemy import func, select

from procurement.models import SbomComponent, ScreeningRecord
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


async def test_screening_view_is_built_off_the_event_loop_before_the_insert(
    db: DatabaseUnderTest, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a note of where the screening view is built and of what happened before the insert
    events: list[str] = []
    built_in: list[str] = []

    def noting_build(rows: Iterable[ComponentColumns]) -> VersionComponents:
        built_in.append(threading.current_thread().name)
        view = version_components(rows)
        events.append(f"built {len(view.refs)} refs")
        return view

    async def noting_insert(*args: Any, **kwargs: Any) -> None:
        events.append("insert")
        await insert_records(*args, **kwargs)

    monkeypatch.setattr(actions, "version_components", noting_build)
    monkeypatch.setattr(actions, "insert_records", noting_insert)
    # when a document of two components is uploaded
    async with db.sessions() as session:
        result = await ingest_sbom(
            session, SYSTEM, world.purchase_a_cn, firmware_sbom([LOG4J_OLD, COMMONS]),
            max_bytes=LIMIT,
        )  # fmt: skip
    # then the view was built once, off the event loop's thread, before the rows were inserted
    assert result.created is True
    assert events == ["built 2 refs", "insert"]
    assert len(built_in) == 1
    assert built_in[0] != threading.current_thread().name
    # and the upload is stored and screened
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
