"""Large SBOM uploads as jobs (issue 14): over PROCUREMENT_SBOM_ASYNC_BYTES the upload is stored
and answered 202 with the job that ingests it; below it nothing changed."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import func, select

from procurement.enums import JobState
from procurement.models import AuditEvent, SbomComponent, SbomUpload, SbomVersion
from procurement.sboms import actions as sbom_actions
from procurement.settings import load_settings
from procurement.web.app import create_app
from schema.core.ids import to_global_id
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import finished_job, run_jobs, work_kinds
from tests.support.sbom_docs import COMMONS, LOG4J_OLD, firmware_sbom, generated
from tests.support.world import World, row_counts

THRESHOLD = 8192


@pytest.fixture
async def small_jobs_client(db: DatabaseUnderTest) -> AsyncIterator[httpx.AsyncClient]:
    """The app with documents over 8 KiB ingested by a job."""
    settings = load_settings(
        {"PROCUREMENT_DATABASE_URL": db.url, "PROCUREMENT_SBOM_ASYNC_BYTES": str(THRESHOLD)}
    )
    app = create_app(settings, engine=db.engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def bearer(world: World, role: str) -> dict[str, str]:
    return {"authorization": f"Bearer {world.secrets[role]}"}


def put_url(purchase_id: int) -> str:
    return f"/api/purchases/{to_global_id('Purchase', purchase_id)}/sbom"


async def count(db: DatabaseUnderTest, model: Any) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def queued_job(response: httpx.Response) -> str:
    assert response.status_code == 202, response.text
    job = response.json()["job"]
    assert (job["state"], job["url"]) == ("QUEUED", f"/console/jobs/{job['number']}")
    assert response.headers["location"] == job["url"]
    job_id: str = job["id"]
    return job_id


def invalid_large_document() -> bytes:
    """A 40-component document whose fourth component has no name (schema-invalid)."""
    document = orjson.loads(generated(40, seed=3))
    del document["components"][3]["name"]
    return orjson.dumps(document)


async def test_a_small_upload_is_still_ingested_in_the_request(
    db: DatabaseUnderTest, world: World, small_jobs_client: httpx.AsyncClient
) -> None:
    # given a document under the threshold
    document = firmware_sbom([LOG4J_OLD, COMMONS])
    assert len(document) < THRESHOLD
    # when the vendor uploads it
    response = await small_jobs_client.put(
        put_url(world.purchase_a_cn), content=document, headers=bearer(world, "vendor")
    )
    # then it is stored at once, as before, and no upload or job waits
    assert response.status_code == 201
    assert (response.json()["version"], response.json()["componentCount"]) == (1, 2)
    assert (await count(db, SbomComponent), await count(db, SbomUpload)) == (2, 0)
    assert await work_kinds(db) == []


async def test_a_large_upload_is_ingested_by_its_job(
    db: DatabaseUnderTest, world: World, small_jobs_client: httpx.AsyncClient
) -> None:
    # given a 40-component document over the threshold
    document = generated(40, seed=3)
    assert len(document) > THRESHOLD
    # when the vendor uploads it: a job, the upload stored, no SBOM yet
    response = await small_jobs_client.put(
        put_url(world.purchase_a_cn) + "?name=firmware",
        content=document,
        headers=bearer(world, "vendor"),
    )
    job_id = await queued_job(response)
    assert (await count(db, SbomUpload), await count(db, SbomComponent)) == (1, 0)
    # then once a worker ran it, the SBOM is stored and the upload gone
    job = await finished_job(db, small_jobs_client, world.secrets["vendor"], job_id)
    assert (job["kind"], job["state"], job["progress"], job["error"], job["attempts"]) == (
        "sboms.ingest_upload",
        "SUCCEEDED",
        {"done": 2, "total": 2},
        None,
        1,
    )
    async with db.sessions() as session:
        version = (await session.scalars(select(SbomVersion))).one()
    assert job["outcome"] == {
        "sbom": to_global_id("Sbom", version.id),
        "sbomName": "firmware",
        "sbomVersion": 1,
        "componentCount": 40,
        "qualityScore": version.quality_score,
        "warningCount": 0,
    }
    assert (await count(db, SbomComponent), await count(db, SbomUpload)) == (40, 0)
    # and the vendor's later GET of the document is the one uploaded
    stored = await small_jobs_client.get(
        f"/api/sboms/{version.id}/document", headers=bearer(world, "vendor")
    )
    assert (stored.status_code, stored.content) == (200, document)


async def test_a_large_gzip_upload_through_graphql_answers_with_the_job(
    db: DatabaseUnderTest, world: World, small_jobs_client: httpx.AsyncClient
) -> None:
    # given the same large document gzip-compressed (smaller than the threshold as sent)
    document = gzip.compress(generated(40, seed=3))
    assert len(document) < THRESHOLD
    operations = {
        "query": """mutation U($purchaseId: ID!, $file: Upload!) {
          uploadSbom(purchaseId: $purchaseId, file: $file) {
            sbom { id } job { id state kind } warnings { code } errors { field message } } }""",
        "variables": {"purchaseId": to_global_id("Purchase", world.purchase_a_cn), "file": None},
    }
    # when the procurement officer uploads it through GraphQL
    response = await small_jobs_client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("bom.json.gz", document, "application/gzip")},
        headers=bearer(world, "procurement"),
    )
    # then the payload carries the queued job instead of the SBOM
    payload = response.json()["data"]["uploadSbom"]
    assert payload["sbom"] is None and payload["errors"] == [] and payload["warnings"] == []
    assert (payload["job"]["state"], payload["job"]["kind"]) == ("QUEUED", "sboms.ingest_upload")
    job = await finished_job(
        db, small_jobs_client, world.secrets["procurement"], payload["job"]["id"]
    )
    assert (job["state"], job["outcome"]["componentCount"]) == ("SUCCEEDED", 40)
    assert await count(db, SbomComponent) == 40


async def test_an_invalid_large_upload_fails_with_the_location_and_stores_nothing(
    db: DatabaseUnderTest, world: World, small_jobs_client: httpx.AsyncClient
) -> None:
    # given a large document whose fourth component has no name
    response = await small_jobs_client.put(
        put_url(world.purchase_a_cn),
        content=invalid_large_document(),
        headers=bearer(world, "vendor"),
    )
    job_id = await queued_job(response)
    # when a worker runs it
    await run_jobs(db)
    # then it ended FAILED at its first attempt (the document would fail every time), its error
    # says what is wrong and where, and no record was stored
    job = await finished_job(db, small_jobs_client, world.secrets["vendor"], job_id)
    assert (job["state"], job["attempts"], job["outcome"]) == ("FAILED", 1, None)
    assert job["error"] == ('file/components/3: SCHEMA_INVALID: "name" is a required property')
    assert (await count(db, SbomComponent), await count(db, SbomVersion)) == (0, 0)
    assert await count(db, SbomUpload) == 1  # kept, nothing lost
    async with db.sessions() as session:
        failed = await session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "job.failed")
        )
    assert failed == 1


async def test_a_job_failing_after_writing_rows_leaves_none(
    db: DatabaseUnderTest,
    world: World,
    small_jobs_client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a rescreen that fails after the records were written (a worker dying there alike)
    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(sbom_actions, "rescreen_purchases", broken)
    response = await small_jobs_client.put(
        put_url(world.purchase_a_cn), content=generated(40, seed=3), headers=bearer(world, "vendor")
    )
    job_id = await queued_job(response)
    # when the attempt runs
    results = await run_jobs(db)
    # then it is queued again with the error, and neither the version nor a component is stored
    assert [r.state for r in results] == [JobState.QUEUED]
    assert (await count(db, SbomVersion), await count(db, SbomComponent)) == (0, 0)
    # and once the database is back, the retry stores it
    monkeypatch.undo()
    await run_jobs(db, now=results[-1].retry_at)
    job = await finished_job(db, small_jobs_client, world.secrets["vendor"], job_id)
    assert (job["state"], job["attempts"]) == ("SUCCEEDED", 2)
    assert await count(db, SbomComponent) == 40


async def test_what_the_bytes_tell_is_refused_at_once(
    db: DatabaseUnderTest, world: World, small_jobs_client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    # given large bodies that are no SBOM, a corrupt gzip, and a reviewer (who may not upload)
    headers = bearer(world, "vendor")
    url = put_url(world.purchase_a_cn)
    text = await small_jobs_client.put(url, content=b"hello " * 3000, headers=headers)
    broken = await small_jobs_client.put(
        url, content=gzip.compress(generated(40, seed=3))[:-100], headers=headers
    )
    reviewer = await small_jobs_client.put(
        url, content=generated(40, seed=3), headers=bearer(world, "reviewer")
    )
    # then each is answered at once, and nothing but the refusals' audit events was stored
    assert (text.status_code, broken.status_code, reviewer.status_code) == (422, 422, 403)
    assert [e["code"] for e in text.json()["errors"]] == ["UNKNOWN_FORMAT"]
    assert [e["code"] for e in broken.json()["errors"]] == ["DECOMPRESSION_FAILED"]
    async with db.sessions() as session:
        after = await row_counts(session)
    assert after["sbom_uploads"] == before["sbom_uploads"] == 0
    assert await work_kinds(db) == []
    assert after["audit_events"] == before["audit_events"] + 2  # two sbom.rejected
