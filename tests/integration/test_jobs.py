"""Background jobs on both backends: enqueued in the change's transaction, run once, retried then
FAILED and audited, and run again after their worker died mid-job without leaving partial rows."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from procurement.db import utcnow
from procurement.enums import JobState, Role
from procurement.jobs.runner import SQLITE_LEASE, run_job
from procurement.jobs.store import enqueue
from procurement.models import ApiToken, AuditEvent, Job, RestrictionList
from procurement.permissions import SYSTEM, Principal
from schema.core.ids import to_global_id
from tests.support.databases import DatabaseUnderTest
from tests.support.job_kinds import CONFLICT, FAIL, HANG_FIRST, REFUSED, TEST_REGISTRY, WRITE
from tests.support.jobs import JOB, run_jobs
from tests.support.world import World, gql


async def list_names(db: DatabaseUnderTest) -> list[str]:
    async with db.sessions() as session:
        return list(
            await session.scalars(select(RestrictionList.name).order_by(RestrictionList.id))
        )


async def test_a_job_enqueued_in_a_rolled_back_transaction_never_runs(
    db: DatabaseUnderTest,
) -> None:
    # given a change that enqueues a job and is then rolled back
    async with db.sessions() as session:
        session.add(RestrictionList(name="draft", source="s", published_on=utcnow().date()))
        await enqueue(session, WRITE, {"prefix": "rolled back"}, SYSTEM)
        await session.rollback()
    # when a worker looks for work
    ran = await run_jobs(db, registry=TEST_REGISTRY)
    # then there was no job, and nothing of the change
    assert ran == []
    async with db.sessions() as session:
        assert list(await session.scalars(select(Job))) == []
    assert await list_names(db) == []


async def test_a_committed_job_runs_once_and_shows_its_progress_and_outcome(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given a job committed with the change that needs it, asked for by the admin's token
    async with db.sessions() as session:
        token_id = await session.scalar(select(ApiToken.id).where(ApiToken.name == "admin user"))
        admin = Principal(role=Role.ADMIN, name="admin user", token_id=token_id)
        job = await enqueue(session, WRITE, {"prefix": "committed"}, admin)
        await session.commit()
    job_gid = to_global_id("Job", job.id)
    _, body = await gql(client, world.secrets["admin"], JOB, {"id": job_gid})
    assert {k: body["data"]["job"][k] for k in ("state", "progress", "attempts")} == {
        "state": "QUEUED",
        "progress": {"done": 0, "total": None},
        "attempts": 0,
    }
    # when workers run what is due, twice
    first = await run_jobs(db, registry=TEST_REGISTRY)
    second = await run_jobs(db, registry=TEST_REGISTRY)
    # then it ran exactly once, and job(id) shows its end
    assert [(r.state, r.outcome) for r in first] == [
        (JobState.SUCCEEDED, {"written": 2, "attempt": 1})
    ]
    assert second == []
    assert await list_names(db) == ["committed 1", "committed 2"]
    _, body = await gql(client, world.secrets["admin"], JOB, {"id": job_gid})
    assert body["data"]["job"] == {
        "id": job_gid,
        "kind": WRITE,
        "state": "SUCCEEDED",
        "progress": {"done": 2, "total": 2},
        "outcome": {"written": 2, "attempt": 1},
        "error": None,
        "attempts": 1,
        "maxAttempts": 3,
        "requestedBy": "admin user",
    }
    # and a vendor, who did not ask for it, cannot see it
    _, body = await gql(client, world.secrets["vendor"], JOB, {"id": job_gid})
    assert body["data"]["job"] is None


async def test_a_failing_job_is_retried_then_failed_and_audited(db: DatabaseUnderTest) -> None:
    # given a job that fails every time, allowed two attempts
    async with db.sessions() as session:
        job = await enqueue(session, FAIL, {}, SYSTEM, max_attempts=2)
        await session.commit()
    # when it runs: the first failure is queued again after the backoff
    [first] = await run_jobs(db, registry=TEST_REGISTRY)
    assert (first.state, first.error) == (
        JobState.QUEUED,
        "RuntimeError: the advisory feed answered 503 (attempt 1)",
    )
    assert await run_jobs(db, registry=TEST_REGISTRY) == []  # not due yet
    assert first.retry_at is not None
    [second, notice] = await run_jobs(db, registry=TEST_REGISTRY, now=first.retry_at)
    # then the second failure is final, recorded with its error and audited; no row was kept
    assert second.state is JobState.FAILED
    # (and its failure notice was fanned out by the job its commit enqueued: nobody subscribed)
    assert (notice.state, notice.outcome) == (JobState.SUCCEEDED, {"deliveries": 0})
    async with db.sessions() as session:
        stored = await session.get_one(Job, job.id)
        [event] = list(
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "job.failed"))
        )
    assert (stored.state, stored.attempts, stored.error) == (
        JobState.FAILED,
        2,
        "RuntimeError: the advisory feed answered 503 (attempt 2)",
    )
    assert (event.object_type, event.object_id, event.actor_name) == ("Job", job.id, "job worker")
    assert event.after == {
        "kind": FAIL,
        "attempts": 2,
        "error": "RuntimeError: the advisory feed answered 503 (attempt 2)",
        "actor": "local command line",
    }
    assert await list_names(db) == []
    assert await run_jobs(db, registry=TEST_REGISTRY, now=utcnow() + timedelta(days=1)) == []


async def test_a_refused_input_fails_the_job_at_once_and_a_lost_race_is_retried(
    db: DatabaseUnderTest,
) -> None:
    # given a job whose input is refused and one that loses a race, three attempts allowed each
    async with db.sessions() as session:
        refused = await enqueue(session, REFUSED, {}, SYSTEM, max_attempts=3)
        raced = await enqueue(session, CONFLICT, {}, SYSTEM, max_attempts=3)
        await session.commit()
    # when a worker runs what is due (and the fan-out of the failure notice it enqueued)
    results = await run_jobs(db, registry=TEST_REGISTRY)
    # then the refused one is FAILED after one attempt, with the field and message; the lost
    # race waits for its second attempt
    states = {result.error: result.state for result in results if result.error}
    assert states == {
        "file/components/3: name is required": JobState.FAILED,
        "version: changed meanwhile": JobState.QUEUED,
    }
    async with db.sessions() as session:
        first = await session.get_one(Job, refused.id)
        second = await session.get_one(Job, raced.id)
    assert (first.state, first.attempts, second.state, second.attempts) == (
        JobState.FAILED, 1, JobState.QUEUED, 1
    )  # fmt: skip
    assert await list_names(db) == []


async def test_a_job_whose_worker_died_leaves_no_rows_and_runs_again(
    db: DatabaseUnderTest, tmp_path: Path
) -> None:
    # given a job whose first attempt writes its rows, then its worker dies before committing
    # (the worker's task is cancelled mid-job: its claim stays, its transaction is rolled back)
    marker = tmp_path / "marker"
    async with db.sessions() as session:
        job = await enqueue(session, HANG_FIRST, {"prefix": "once", "marker": str(marker)}, SYSTEM)
        await session.commit()
    worker = asyncio.create_task(run_job(db.sessions, TEST_REGISTRY, job.id))
    for _ in range(600):  # the attempt has written its rows when the marker appears
        if marker.exists():
            break
        await asyncio.sleep(0.05)
    worker.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await worker
    # then nothing of it is stored, and the job is still claimed by the dead worker
    assert await list_names(db) == []
    assert await run_jobs(db, registry=TEST_REGISTRY) == []  # its lease has not run out
    # when its lease has run out, another worker claims it and runs it to the end
    later = utcnow() + SQLITE_LEASE + timedelta(seconds=1)
    [result] = await run_jobs(db, registry=TEST_REGISTRY, now=later)
    assert (result.state, result.outcome) == (JobState.SUCCEEDED, {"written": 2, "attempt": 2})
    assert await list_names(db) == ["once 1", "once 2"]
