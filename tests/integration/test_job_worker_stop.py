"""Stopping the in-process worker (the app's shutdown, or SIGTERM to a SQLite `procurement
worker`) lets the job it is running finish and commit, takes no other, and cancels only a job
still running after the grace: that one rolls back and runs again later."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.cli_jobs import run_until_signalled
from procurement.enums import JobState
from procurement.jobs.local import LocalWorker
from procurement.jobs.runner import JobContext, JobFunction
from procurement.jobs.store import enqueue
from procurement.models import Job, RestrictionList
from procurement.permissions import SYSTEM
from tests.support.databases import DatabaseUnderTest
from tests.support.job_kinds import TEST_REGISTRY

SLOW = "test.write_then_take_a_while"


def slow_kind(started: asyncio.Event, seconds: float) -> JobFunction:
    async def slow(session: AsyncSession, job: JobContext) -> dict[str, Any]:
        name = str(job.arguments["name"])
        session.add(RestrictionList(name=name, source="stop test", published_on=date(2025, 1, 1)))
        await session.flush()
        started.set()
        await asyncio.sleep(seconds)  # e.g. a receiver taking its time to answer
        return {"wrote": name}

    return slow


async def enqueue_two(db: DatabaseUnderTest) -> tuple[int, int]:
    async with db.sessions() as session:
        first = await enqueue(session, SLOW, {"name": "first"}, SYSTEM)
        second = await enqueue(session, SLOW, {"name": "second"}, SYSTEM)
        await session.commit()
        return first.id, second.id


async def worker_with_two_due_jobs(
    db: DatabaseUnderTest, job_seconds: float
) -> tuple[LocalWorker, asyncio.Event]:
    """Two due jobs and a worker, not started yet, whose jobs write their row, set the event,
    then take ``job_seconds``."""
    await enqueue_two(db)
    started = asyncio.Event()
    registry = {**TEST_REGISTRY, SLOW: slow_kind(started, job_seconds)}
    return LocalWorker(db.sessions, registry, poll_seconds=30), started


async def states(db: DatabaseUnderTest) -> tuple[list[tuple[JobState, int]], list[str]]:
    async with db.sessions() as session:
        jobs = await session.execute(select(Job.state, Job.attempts).order_by(Job.id))
        names = await session.scalars(select(RestrictionList.name).order_by(RestrictionList.id))
        return [(s, a) for s, a in jobs.all()], list(names)


async def test_stopping_lets_the_running_job_commit_and_starts_no_other(
    db: DatabaseUnderTest,
) -> None:
    # given two due jobs and a worker in the middle of the first (it has written its row)
    worker, started = await worker_with_two_due_jobs(db, job_seconds=0.3)
    worker.start()
    await asyncio.wait_for(started.wait(), timeout=30)
    # when the worker is stopped
    ended_by_itself = await worker.stop()
    # then the worker ended within the grace; the first job finished and committed its row;
    # the second was not started
    assert ended_by_itself is True
    assert await states(db) == (
        [(JobState.SUCCEEDED, 1), (JobState.QUEUED, 0)],
        ["first"],
    )


async def test_a_job_still_running_after_the_grace_is_cancelled_and_leaves_nothing(
    db: DatabaseUnderTest,
) -> None:
    # given a worker whose grace is shorter than its job
    worker, started = await worker_with_two_due_jobs(db, job_seconds=3600)
    worker.stop_grace_seconds = 0.2
    worker.start()
    await asyncio.wait_for(started.wait(), timeout=30)
    # when the worker is stopped
    ended_by_itself = await worker.stop()
    # then it had to be cancelled; the job's row was rolled back; the job stays claimed until
    # its lease runs out, and then runs again (tests/integration/test_jobs.py covers the rerun)
    assert ended_by_itself is False
    assert await states(db) == ([(JobState.RUNNING, 1), (JobState.QUEUED, 0)], [])


async def test_an_idle_worker_stops_at_once(db: DatabaseUnderTest) -> None:
    # given a worker with nothing to do, waiting up to an hour for a wake-up
    worker = LocalWorker(db.sessions, TEST_REGISTRY, poll_seconds=3600)
    worker.start()
    await asyncio.sleep(0.05)
    # when it is stopped
    ended_by_itself = await worker.stop()
    # then its wait ended and the loop returned by itself, without being cancelled
    assert ended_by_itself is True


async def test_sigterm_to_a_sqlite_worker_process_lets_its_running_job_commit(
    db: DatabaseUnderTest,
) -> None:
    # given `procurement worker`'s loop (SQLite) in the middle of a job
    worker, started = await worker_with_two_due_jobs(db, job_seconds=0.3)
    running = asyncio.create_task(run_until_signalled(worker))
    await asyncio.wait_for(started.wait(), timeout=30)
    # when the process gets SIGTERM (as from systemd or `kill`)
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(running, timeout=30)
    # then the running job committed and the other waits for the next worker
    assert await states(db) == (
        [(JobState.SUCCEEDED, 1), (JobState.QUEUED, 0)],
        ["first"],
    )
