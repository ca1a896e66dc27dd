"""Retention of background work (procurement/retention.py) on both backends: finished jobs and
stored uploads older than the period are deleted and audited once; unfinished jobs and recent
rows stay. On PostgreSQL, procrastinate's own finished rows go after a day."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from procurement.enums import JobState
from procurement.jobs.queue import WorkerEnv, build_app, defer, prune_queue, run_worker
from procurement.models import AdvisoryUpload, AuditEvent, Job, SbomUpload
from procurement.retention import PRUNED, Pruned, prune
from tests.support.databases import DatabaseUnderTest
from tests.support.job_kinds import TEST_REGISTRY
from tests.support.world import World

NOW = datetime.fromisoformat("2026-11-28T12:00:00+00:00")
OLD = NOW - timedelta(days=31)
RECENT = NOW - timedelta(days=29)


def job_row(name: str, state: JobState, created: datetime, finished: datetime | None) -> Job:
    return Job(
        kind="test.write", arguments={"prefix": name}, state=state, attempts=1, max_attempts=3,
        actor_name="admin user", actor_role="admin", run_after=created, created_at=created,
        finished_at=finished, updated_at=finished or created,
    )  # fmt: skip


def upload_rows(purchase_id: int) -> list[Any]:
    return [
        SbomUpload(purchase_id=purchase_id, name="old", content=b"x", size=1,
                   uploaded_by="vendor", created_at=OLD),
        SbomUpload(purchase_id=purchase_id, name="recent", content=b"x", size=1,
                   uploaded_by="vendor", created_at=RECENT),
        AdvisoryUpload(name="old dump", content=b"x", gzipped=False, size=1,
                       uploaded_by="admin", created_at=OLD),
    ]  # fmt: skip


async def test_old_finished_jobs_and_uploads_are_deleted_once_and_audited(
    db: DatabaseUnderTest, world: World
) -> None:
    # given jobs finished 31 and 29 days ago, a job queued 31 days ago and still waiting, one
    # running, and uploads stored 31 and 29 days ago
    async with db.sessions() as session:
        session.add_all(
            [
                job_row("old ok", JobState.SUCCEEDED, OLD, OLD),
                job_row("old failed", JobState.FAILED, OLD, OLD),
                job_row("recent ok", JobState.SUCCEEDED, RECENT, RECENT),
                job_row("old waiting", JobState.QUEUED, OLD, None),
                job_row("running", JobState.RUNNING, OLD, None),
                *upload_rows(world.purchase_a_cn),
            ]
        )
        await session.commit()
    # when the retention pass runs with 30 days, twice
    async with db.sessions() as session:
        first = await prune(session, NOW, 30)
        await session.commit()
    async with db.sessions() as session:
        second = await prune(session, NOW, 30)
        await session.commit()
    # then the old finished jobs and the old uploads went, the first time only
    assert first == Pruned(jobs=2, sbom_uploads=1, advisory_uploads=1)
    assert second == Pruned(jobs=0, sbom_uploads=0, advisory_uploads=0)
    async with db.sessions() as session:
        left = await session.scalars(select(Job.arguments["prefix"].as_string()).order_by(Job.id))
        assert list(left) == ["recent ok", "old waiting", "running"]
        assert list(await session.scalars(select(SbomUpload.name))) == ["recent"]
        assert await session.scalar(select(func.count()).select_from(AdvisoryUpload)) == 0
        # and one audit event says what went
        events = list(await session.scalars(select(AuditEvent).where(AuditEvent.action == PRUNED)))
    assert [(e.actor_name, e.object_type, e.object_id, e.after) for e in events] == [
        (
            "job worker",
            "Job",
            None,
            {
                "before": "2026-10-29T12:00:00+00:00",
                "keepDays": 30,
                "jobs": 2,
                "sbomUploads": 1,
                "advisoryUploads": 1,
            },
        )
    ]


@pytest.mark.parametrize(
    "db", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
async def test_procrastinate_rows_finished_over_a_day_ago_are_deleted(
    db: DatabaseUnderTest,
) -> None:
    # given two procrastinate jobs run to their end by a real worker (for job ids that no longer
    # exist: each run does nothing and succeeds), one of them finished two days ago
    app = build_app(db.url)
    async with app.open_async():
        assert await defer(app, 9001)
        assert await defer(app, 9002)
    await run_worker(
        app, WorkerEnv(db.sessions, TEST_REGISTRY), concurrency=1, name="retention-test", once=True
    )  # fmt: skip (it opens the app itself)
    async with app.open_async():
        async with db.sessions() as session:
            await session.execute(
                text(
                    "UPDATE procrastinate.procrastinate_events SET at = now() - interval '2 days'"
                    " WHERE job_id IN (SELECT id FROM procrastinate.procrastinate_jobs"
                    " WHERE args->>'job_id' = '9001')"
                )
            )
            await session.commit()
        # when the queue is pruned with its default of a day
        await prune_queue(app)
        # then only the recent one is left
        left = await app.job_manager.list_jobs_async(task="procurement.run_job")
    assert [(job.task_kwargs, job.status) for job in left] == [({"job_id": 9002}, "succeeded")]
