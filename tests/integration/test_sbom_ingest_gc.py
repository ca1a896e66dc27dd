"""The upload action keeps the cyclic garbage collector paused from reading a document until its
rows are dropped (issue 14: resumed while the rows were alive, the first collections rescanned
everything reading had made), and always resumes it, whether the document is stored or refused."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from procurement.models import SbomVersion
from procurement.permissions import SYSTEM
from procurement.sboms import rows as sbom_rows
from procurement.sboms.actions import SbomRejectedError, ingest_sbom
from procurement.sboms.aftermath import Aftermath
from procurement.screening.store import rescreen
from tests.support.databases import DatabaseUnderTest
from tests.support.sbom_docs import COMMONS, LOG4J_OLD, firmware_sbom
from tests.support.world import World

LIMIT = 50 * 1024 * 1024


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()


def _record_collector_after(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, seen: list[str]
) -> None:
    """Wrap ``module.name`` to note whether the collector is on when it has returned."""
    real = getattr(module, name)

    def noting(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        seen.append(f"{name}: {'on' if gc.isenabled() else 'paused'}")
        return result

    monkeypatch.setattr(module, name, noting)


@pytest.mark.usefixtures("collector_on")
async def test_collector_stays_paused_from_reading_to_storing_and_is_resumed(
    db: DatabaseUnderTest, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the collector on, and a note of its state once the document is read into rows
    seen: list[str] = []
    _record_collector_after(monkeypatch, sbom_rows, "prepare", seen)
    screened_with: list[str] = []
    real_rescreen = rescreen.rescreen_purchases

    async def rescreen_noting(*args: Any, **kwargs: Any) -> Any:
        screened_with.append("on" if gc.isenabled() else "paused")
        return await real_rescreen(*args, **kwargs)

    monkeypatch.setattr("procurement.sboms.actions.rescreen_purchases", rescreen_noting)
    # when a document is uploaded
    async with db.sessions() as session:
        result = await ingest_sbom(
            session, SYSTEM, world.purchase_a_cn, firmware_sbom([LOG4J_OLD, COMMONS]),
            max_bytes=LIMIT,
        )  # fmt: skip
    # then the collector was still paused after reading and while rescreening, and is on again
    assert result.created is True
    assert seen == ["prepare: paused"]
    assert screened_with == ["paused"]
    assert gc.isenabled() is True


@pytest.mark.usefixtures("collector_on")
async def test_collector_is_resumed_after_a_refused_document(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a document whose only component lacks its required name
    document = orjson.loads(firmware_sbom([LOG4J_OLD]))
    del document["components"][0]["name"]
    # when it is uploaded and refused
    async with db.sessions() as session:
        with pytest.raises(SbomRejectedError):
            await ingest_sbom(
                session, SYSTEM, world.purchase_a_cn, orjson.dumps(document),
                max_bytes=LIMIT,
            )  # fmt: skip
    # then the collector is on again
    assert gc.isenabled() is True


@pytest.mark.usefixtures("collector_on")
async def test_collector_is_resumed_when_storing_fails(
    db: DatabaseUnderTest, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a rescreen that fails after the rows were written
    async def failing(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("rescreen failed")

    monkeypatch.setattr("procurement.sboms.actions.rescreen_purchases", failing)
    # when a document is uploaded
    async with db.sessions() as session:
        with pytest.raises(RuntimeError, match="rescreen failed"):
            await ingest_sbom(
                session, SYSTEM, world.purchase_a_cn, firmware_sbom([COMMONS]),
                max_bytes=LIMIT,
            )  # fmt: skip
    # then the collector is on again
    assert gc.isenabled() is True


@pytest.mark.usefixtures("collector_on")
async def test_with_an_aftermath_the_rows_outlive_the_commit_until_released(
    db: DatabaseUnderTest, world: World
) -> None:
    # given an aftermath the caller releases itself (as the upload route does after answering)
    aftermath = Aftermath()
    # when a document is uploaded with it
    async with db.sessions() as session:
        result = await ingest_sbom(
            session, SYSTEM, world.purchase_a_cn, firmware_sbom([LOG4J_OLD, COMMONS]),
            max_bytes=LIMIT, aftermath=aftermath,
        )  # fmt: skip
    # then the version is committed while its parsed tree and rows are still held with the collector paused
    async with db.sessions() as session:
        stored = await session.scalar(
            select(SbomVersion.component_count).where(SbomVersion.id == result.version.id)
        )
    assert stored == 2
    tree, prepared = aftermath._held  # the parsed JSON and the rows
    assert (len(tree["components"]), len(prepared.components)) == (2, 2)  # type: ignore[index, attr-defined]
    assert gc.isenabled() is False
    # and releasing drops them and resumes the collector
    await aftermath.release()
    assert aftermath._held == []
    assert gc.isenabled() is True
