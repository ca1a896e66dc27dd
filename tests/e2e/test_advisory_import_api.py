"""OSV dumps over HTTP (``POST /api/advisories/import``, answered with the job that imports the
dump) and from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import func, select

from procurement.enums import JobState
from procurement.models import AdvisoryRecord, AdvisoryUpload, AuditEvent
from procurement.screening.actions import advisory_dump
from procurement.screening.store.advisories import save_advisories
from procurement.settings import load_settings
from procurement.web.app import create_app
from tests.support.cli import cli
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import finished_job, run_jobs
from tests.support.osv_dumps import dump_of, record
from tests.support.reviews import Component, SbomSpec, insert_sbom, screenings_of
from tests.support.world import World, row_counts

URL = "/api/advisories/import"


def bearer(world: World, role: str) -> dict[str, str]:
    return {"authorization": f"Bearer {world.secrets[role]}"}


async def count(db: DatabaseUnderTest, model: Any) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def upload_job(client: httpx.AsyncClient, secret: str, body: bytes, query: str = "") -> str:
    """Upload a dump; the answer is at once the job that imports it. Returns the job's id."""
    response = await client.post(
        URL + query, content=body, headers={"authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 202, response.text
    job = response.json()["job"]
    assert (job["state"], job["url"]) == ("QUEUED", f"/console/jobs/{job['number']}")
    assert response.headers["location"] == job["url"]
    job_id: str = job["id"]
    return job_id


async def test_an_admin_uploads_a_zip_and_gets_the_report(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    # given purchase A whose SBOM has lodash 4.17.20, and a dump with the lodash advisory
    async with db.sessions() as session:
        await insert_sbom(
            session,
            world.purchase_a_cn,
            SbomSpec(components=[Component("lodash", "npm", "4.17.20")]),
        )
        await session.commit()
    zipped = dump_of(
        tmp_path / "all.zip",
        record("GHSA-35jh-r3h4-6jhm"),
        record("GO-2021-0113"),
        extra={"bad.json": b"{"},
    ).read_bytes()
    # when the admin uploads it: a job, and the dump is stored, nothing imported yet
    job_id = await upload_job(client, world.secrets["admin"], zipped, "?name=npm-all.zip")
    assert (await count(db, AdvisoryUpload), await count(db, AdvisoryRecord)) == (1, 0)
    # then once a worker has run it, its outcome is the report, record by record where one failed
    job = await finished_job(db, client, world.secrets["admin"], job_id)
    assert (job["kind"], job["state"], job["progress"], job["error"], job["attempts"]) == (
        "screening.import_dump",
        "SUCCEEDED",
        {"done": 3, "total": 3},
        None,
        1,
    )
    assert job["outcome"] == {
        "sources": ["npm-all.zip"],
        "read": 3,
        "added": 2,
        "updated": 0,
        "skipped": 0,
        "withdrawn": 0,
        "unmatchable": 0,
        "invalidCount": 1,
        "invalid": [
            {
                "source": "npm-all.zip:bad.json",
                "error": "not valid JSON: unexpected end of data: line 1 column 2 (char 1)",
            }
        ],
        "rematch": {"advisories": 2, "components": 1, "purchases": 1},
        "rescreen": {"screened": 1, "changed": 1, "verdictsChanged": 1, "casesOpened": 0},
    }
    assert (await count(db, AdvisoryUpload), await count(db, AdvisoryRecord)) == (0, 2)
    async with db.sessions() as session:
        assert (await screenings_of(session, world.purchase_a_cn))[-1].trigger == (
            "advisories.imported"
        )
    # when a single JSON record is uploaded again: skipped
    single = await upload_job(client, world.secrets["admin"], orjson.dumps(record("GO-2021-0113")))
    again = await finished_job(db, client, world.secrets["admin"], single)
    assert (again["outcome"]["sources"], again["outcome"]["skipped"]) == (["upload"], 1)
    assert again["progress"] == {"done": 1, "total": 1}


async def test_a_failing_import_is_retried_then_failed_and_leaves_no_advisory(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # given a dump of three records read one per batch, where storing the second batch fails
    monkeypatch.setattr(advisory_dump, "BATCH", 1)
    calls: list[int] = []

    async def flaky_save(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) % 2 == 0:
            raise RuntimeError("disk full")
        return await save_advisories(*args, **kwargs)

    monkeypatch.setattr(advisory_dump, "save_advisories", flaky_save)
    dump = dump_of(
        tmp_path / "all.zip", *(record("GO-2021-0113", id=f"GO-{i}") for i in range(3))
    ).read_bytes()
    job_id = await upload_job(client, world.secrets["admin"], dump, "?name=all.zip")
    # when a worker runs it and each retry as it falls due
    results = await run_jobs(db)
    while results and results[-1].state is JobState.QUEUED:
        results = await run_jobs(db, now=results[-1].retry_at)
    # then it ended FAILED after its three attempts, with the error, and stored no advisory
    job = await finished_job(db, client, world.secrets["admin"], job_id)
    assert (job["state"], job["attempts"], job["maxAttempts"], job["error"], job["outcome"]) == (
        "FAILED", 3, 3, "RuntimeError: disk full", None
    )  # fmt: skip
    assert len(calls) == 6  # two batches per attempt: the first stored, the second failed
    assert await count(db, AdvisoryRecord) == 0
    # and the upload is kept (nothing lost), the failure audited
    assert await count(db, AdvisoryUpload) == 1
    async with db.sessions() as session:
        failed = await session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "job.failed")
        )
    assert failed == 1


async def test_refusals_change_nothing(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    zipped = dump_of(tmp_path / "all.zip", record("GHSA-35jh-r3h4-6jhm")).read_bytes()
    async with db.sessions() as session:
        before = await row_counts(session)
    # no token, a role that may not manage screening, an empty body, a body that is no dump
    no_token = await client.post(URL, content=zipped)
    reviewer = await client.post(URL, content=zipped, headers=bearer(world, "reviewer"))
    empty = await client.post(URL, content=b"", headers=bearer(world, "admin"))
    junk = await client.post(
        URL + "?name=osv.zip", content=b"PK\x03\x04garbage", headers=bearer(world, "admin")
    )
    text = await client.post(URL, content=b"hello", headers=bearer(world, "admin"))
    assert (no_token.status_code, reviewer.status_code, empty.status_code) == (401, 403, 400)
    assert reviewer.json() == {
        "error": "role 'reviewer' may not change screening rules, advisories or restriction lists"
    }
    assert empty.json() == {"error": "the request body is empty: send the zip or JSON file"}
    assert (junk.status_code, text.status_code) == (422, 422)
    assert junk.json() == {
        "error": "the upload is not an OSV dump; nothing was stored",
        "errors": [
            {
                "field": None,
                "message": "osv.zip: not a readable zip file: File is not a zip file",
                "code": "INVALID",
            }
        ],
    }
    assert text.json()["errors"][0]["message"].startswith(
        "upload: neither a zip file nor valid JSON"
    )
    # and over the upload limit: 413, before anything is imported
    settings = load_settings(
        {"PROCUREMENT_DATABASE_URL": db.url, "PROCUREMENT_MAX_UPLOAD_BYTES": "1024"}
    )
    app = create_app(settings, engine=db.engine)
    big = dump_of(
        tmp_path / "big.zip", *(record("GO-2021-0113", id=f"GO-{i}") for i in range(20))
    ).read_bytes()
    assert len(big) > 1024
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        too_large = await c.post(URL, content=big, headers=bearer(world, "admin"))
    assert too_large.status_code == 413
    assert too_large.json()["error"].startswith("the upload is larger than the limit of 1024 bytes")
    async with db.sessions() as session:
        assert await row_counts(session) == before


def test_the_cli_imports_a_zip_and_a_directory(tmp_path: Path) -> None:
    # given a fresh database, a zip and a directory holding the same record unzipped
    database = tmp_path / "procurement.db"
    zipped = dump_of(tmp_path / "all.zip", record("GHSA-35jh-r3h4-6jhm"), record("DSA-5532-1"))
    folder = tmp_path / "unzipped"
    folder.mkdir()
    (folder / "DSA-5532-1.json").write_bytes(orjson.dumps(record("DSA-5532-1")))
    # when both are imported
    result = cli(database, "advisories", "import", str(zipped), str(folder))
    # then the zip's records are added and the directory's copy is skipped
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Read 3 records: 2 added, 0 updated, 1 skipped (unchanged), 0 invalid; "
        "of the added and updated, 0 withdrawn and 0 unmatchable.",
        "Re-matched 0 stored components against 2 changed advisories: 0 purchases affected, "
        "0 rescreened, 0 with a new result, 0 verdicts changed, 0 review cases opened.",
    ]
    # and a missing path is an error that names it
    missing = cli(database, "advisories", "import", str(tmp_path / "nope.zip"))
    assert (missing.returncode, missing.stderr) == (
        1,
        f"error: (input): {tmp_path / 'nope.zip'}: no such file or directory\n",
    )
