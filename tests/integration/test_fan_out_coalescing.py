"""A commit that wrote outbox events enqueues a fan-out job only when none is queued and unclaimed
(procurement/notifications/enqueue.py): on both databases, the waiting job takes the new events
too, a job held back for a retry does not count, and a claim racing the commit waits for it, so
that no event is ever left without a job that will see it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.db import utcnow
from procurement.enums import JobState
from procurement.job_kinds import REGISTRY
from procurement.jobs.runner import RunResult, claim, run_job
from procurement.jobs.store import holds_waiting_job
from procurement.models import Job, NotificationEvent
from procurement.notifications.enqueue import FAN_OUT
from procurement.notifications.store import fan_out
from procurement.outbox import add, event_row
from tests.support.databases import DatabaseUnderTest
from tests.support.world import World


def write_event(session: AsyncSession, world: World) -> None:
    add(session, event_row("sbom.uploaded", "Purchase", world.purchase_a_us, None, None, {}))


async def commit_an_event(db: DatabaseUnderTest, world: World) -> None:
    async with db.sessions() as session:
        write_event(session, world)
        await session.commit()


async def fan_out_jobs(db: DatabaseUnderTest) -> list[tuple[int, JobState]]:
    async with db.sessions() as session:
        rows = await session.execute(
            select(Job.id, Job.state).where(Job.kind == FAN_OUT).order_by(Job.id)
        )
        return [(job_id, state) for job_id, state in rows]


async def events_waiting(db: DatabaseUnderTest) -> int:
    async with db.sessions() as session:
        waiting = select(func.count()).where(NotificationEvent.fanned_out_at.is_(None))
        return int(await session.scalar(waiting) or 0)


async def drain_world_events(db: DatabaseUnderTest) -> None:
    async with db.sessions() as session:
        await fan_out(session, utcnow())
        await session.commit()


async def test_commits_while_a_fan_out_job_waits_add_no_job_and_it_takes_all_their_events(
    db: DatabaseUnderTest, world: World
) -> None:
    # given no event waiting and no job
    await drain_world_events(db)
    # when three changes that wrote events commit before any worker runs
    for _ in range(3):
        await commit_an_event(db, world)
    # then one fan-out job is queued, and running it fans out all three events
    [(job_id, state)] = await fan_out_jobs(db)
    assert (state, await events_waiting(db)) == (JobState.QUEUED, 3)
    result = await run_job(db.sessions, REGISTRY, job_id)
    assert result is not None and result.state is JobState.SUCCEEDED
    assert await events_waiting(db) == 0
    # and the next change, with no job waiting any more, enqueues its own
    await commit_an_event(db, world)
    assert [s for _, s in await fan_out_jobs(db)] == [JobState.SUCCEEDED, JobState.QUEUED]


async def test_a_fan_out_job_held_back_for_a_retry_does_not_take_new_events(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a fan-out job queued to run in five minutes (the backoff after a failed attempt)
    await drain_world_events(db)
    await commit_an_event(db, world)
    async with db.sessions() as session:
        later = utcnow() + timedelta(minutes=5)
        await session.execute(update(Job).where(Job.kind == FAN_OUT).values(run_after=later))
        await session.commit()
    # when a change commits an event
    await commit_an_event(db, world)
    # then it enqueues a job of its own, due now
    assert [s for _, s in await fan_out_jobs(db)] == [JobState.QUEUED, JobState.QUEUED]


async def test_a_claim_made_between_the_look_and_the_commit_waits_and_then_sees_the_event(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a fan-out job queued and unclaimed
    await drain_world_events(db)
    await commit_an_event(db, world)
    [(job_id, _)] = await fan_out_jobs(db)
    async with db.sessions() as change:
        # and a change that wrote an event and found that job waiting, not yet committed
        write_event(change, world)
        await change.flush()
        assert await change.run_sync(lambda s: holds_waiting_job(s, FAN_OUT))
        # when a worker runs the job meanwhile
        running = asyncio.create_task(run_job(db.sessions, REGISTRY, job_id))
        await asyncio.sleep(0.5)
        claimed_before_commit = running.done()
        await change.commit()
    result: RunResult | None = await asyncio.wait_for(running, timeout=10)
    # then its claim waited for the commit, no second job was added, and the job fanned out
    # both events
    assert claimed_before_commit is False
    assert result is not None and result.state is JobState.SUCCEEDED
    assert result.outcome == {"deliveries": 0}
    assert await fan_out_jobs(db) == [(job_id, JobState.SUCCEEDED)]
    assert await events_waiting(db) == 0


async def test_a_job_being_claimed_is_skipped_and_the_commit_enqueues_its_own(
    db: DatabaseUnderTest, world: World
) -> None:
    if db.backend != "postgresql":
        pytest.skip("SQLite has one writer: a claim cannot be under way during a change")
    # given a fan-out job whose claim is under way (its row locked, not yet committed)
    await drain_world_events(db)
    await commit_an_event(db, world)
    [(job_id, _)] = await fan_out_jobs(db)
    async with db.sessions() as worker:
        assert await claim(worker, job_id, "worker", utcnow())
        # when a change commits an event meanwhile
        await asyncio.wait_for(commit_an_event(db, world), timeout=10)
        await worker.rollback()
    # then it did not wait for the claim and enqueued a job of its own
    assert [s for _, s in await fan_out_jobs(db)] == [JobState.QUEUED, JobState.QUEUED]
