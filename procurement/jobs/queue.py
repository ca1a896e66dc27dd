"""procrastinate on PostgreSQL: ``procurement worker`` processes (any number, on any machine) run
the jobs of the jobs table; the app hands each new job to them right after its commit.

procrastinate's tables live in the ``procrastinate`` schema (created by migration 0021); its
connections (psycopg 3, beside the app's asyncpg engine) put that schema on their search path.
Its job only carries our job's id: the jobs table stays the record, and a procrastinate job run
twice does nothing the second time (the claim in ``runner`` is idempotent). The queueing lock
``job-<id>`` keeps at most one waiting procrastinate job per job.

Periodic tasks: ``procurement.sweep`` every minute re-dispatches jobs still QUEUED and never
picked up (a crash between commit and dispatch) or whose worker died, fails those with no attempt
left, and sends procrastinate's stalled jobs (workers without a heartbeat) back to the queue; the
periodic work of the domains (the notification checks) runs from ``procurement.job_kinds``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import procrastinate
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement.db import utcnow
from procurement.enums import JobState
from procurement.jobs import wakeup
from procurement.jobs.runner import Registry, due_job_ids, fail_abandoned, run_job
from procurement.models import Job

log = logging.getLogger("procurement.jobs")
SCHEMA = "procrastinate"
RUN_JOB = "procurement.run_job"
# A job QUEUED this long after it was due was not handed over (or its message was lost).
GRACE = timedelta(seconds=30)
HEARTBEAT_SECONDS = 10.0
STALLED_AFTER_SECONDS = 30.0
# procrastinate's rows only carry our job's id (the jobs table is the record): a finished one is
# deleted after a day by a daily task, else the per-minute sweep alone adds 1,440 rows a day.
QUEUE_PRUNE_CRON = "37 3 * * *"
QUEUE_KEEP_HOURS = 24


@dataclass(frozen=True)
class Periodic:
    cron: str
    run: Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class WorkerEnv:
    sessions: async_sessionmaker[AsyncSession]
    registry: Registry
    periodic: Mapping[str, Periodic] = field(default_factory=dict)


def _env(context: procrastinate.JobContext) -> WorkerEnv:
    env: WorkerEnv = context.additional_context["procurement"]
    return env


async def defer(app: procrastinate.App, job_id: int, at: datetime | None = None) -> bool:
    """Hand one job to the workers; False when one is already waiting for it."""
    options: dict[str, Any] = {"queueing_lock": f"job-{job_id}"}
    if at is not None:
        options["schedule_at"] = at
    try:
        await app.configure_task(RUN_JOB, **options).defer_async(job_id=job_id)
    except AlreadyEnqueued:
        return False
    return True


async def _run_job_task(context: procrastinate.JobContext, job_id: int) -> None:
    env = _env(context)
    result = await run_job(env.sessions, env.registry, job_id)
    handover: QueueDispatch | None = context.additional_context.get("handover")
    if handover is not None:  # what the job enqueued is queued before this worker looks again
        await handover.settle()
    if context.app is None:
        return
    if result is not None and result.state is JobState.QUEUED:
        await defer(context.app, job_id, at=result.retry_at)  # the next attempt, after backoff
    elif result is None and (at := await _scheduled(env.sessions, job_id)) is not None:
        await defer(context.app, job_id, at=at)  # handed over before its time: wait for it


async def _scheduled(sessions: async_sessionmaker[AsyncSession], job_id: int) -> datetime | None:
    """When a job enqueued to run later (``run_after``) is due, if it is not yet."""
    async with sessions() as session:
        job = await session.get(Job, job_id)
    if job is None or job.state is not JobState.QUEUED or job.run_after <= utcnow():
        return None
    return job.run_after


async def sweep(
    app: procrastinate.App,
    sessions: async_sessionmaker[AsyncSession],
    *,
    stalled_after: float = STALLED_AFTER_SECONDS,
) -> list[int]:
    """One sweep; returns the ids of the jobs handed over again. ``stalled_after``: seconds
    without a heartbeat after which a worker counts as dead."""
    manager = app.job_manager
    for stalled in await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
        try:
            await manager.retry_job(stalled)
        except Exception:  # a newer copy may be waiting already (same queueing lock)
            log.warning("could not retry stalled procrastinate job %s", stalled.id, exc_info=True)
    now = utcnow()
    async with sessions() as session:
        if await fail_abandoned(session, now):
            await session.commit()
        lost = await due_job_ids(session, now - GRACE, limit=500)
    return [job_id for job_id in lost if await defer(app, job_id)]


async def _sweep_task(context: procrastinate.JobContext, timestamp: int) -> None:
    assert context.app is not None
    handed = await sweep(context.app, _env(context).sessions)
    if handed:
        log.info("sweep handed %d jobs over again: %s", len(handed), handed)


async def _queue_prune_task(context: procrastinate.JobContext, timestamp: int) -> None:
    assert context.app is not None
    await prune_queue(context.app)


async def prune_queue(app: procrastinate.App, keep_hours: int = QUEUE_KEEP_HOURS) -> None:
    """Delete procrastinate's jobs that finished more than ``keep_hours`` ago, whatever their
    end (their outcome is on our job)."""
    await app.job_manager.delete_old_jobs(
        nb_hours=keep_hours, include_failed=True, include_cancelled=True, include_aborted=True
    )


def _periodic_task(name: str) -> Callable[..., Awaitable[None]]:
    async def task(context: procrastinate.JobContext, timestamp: int) -> None:
        await _env(context).periodic[name].run()

    return task


def build_app(
    database_url: str, *, periodic: Mapping[str, str] | None = None, pool_size: int = 4
) -> procrastinate.App:
    """The procrastinate app for this database; ``periodic`` maps task names to cron lines
    (their functions come with the worker's WorkerEnv)."""
    conninfo = "postgresql://" + database_url.split("://", 1)[1]
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo,
        kwargs={"options": f"-c search_path={SCHEMA}"},
        # No connection is opened up front: an app started while the database is away still
        # starts (its dispatch fails, logged, and the sweeper hands the jobs over later).
        min_size=0,
        max_size=pool_size,
    )
    app = procrastinate.App(connector=connector)
    app.task(name=RUN_JOB, pass_context=True)(_run_job_task)
    sweeper = app.task(name="procurement.sweep", pass_context=True, queueing_lock="sweep")
    app.periodic(cron="* * * * *")(sweeper(_sweep_task))
    pruner = app.task(name="procurement.queue_prune", pass_context=True, queueing_lock="prune")
    app.periodic(cron=QUEUE_PRUNE_CRON)(pruner(_queue_prune_task))
    for name, cron in (periodic or {}).items():
        task = app.task(name=f"procurement.{name}", pass_context=True, queueing_lock=name)
        app.periodic(cron=cron)(task(_periodic_task(name)))
    return app


async def run_worker(
    app: procrastinate.App, env: WorkerEnv, *, concurrency: int, name: str, once: bool
) -> None:
    """Run a worker until stopped (SIGINT/SIGTERM), or until the queue is empty with ``once``.
    Jobs that a job enqueues (a fan-out's deliveries, a scheduled retry) are handed over after
    the commit of the job that enqueued them, as the app hands over its own."""
    async with app.open_async():
        handover = QueueDispatch(app)
        handover.opened()
        wakeup.install(env.sessions, handover)
        try:
            await app.run_worker_async(
                concurrency=concurrency,
                name=name,
                wait=not once,
                additional_context={"procurement": env, "handover": handover},
                update_heartbeat_interval=HEARTBEAT_SECONDS,
                stalled_worker_timeout=STALLED_AFTER_SECONDS,
            )
        finally:
            await handover.drain()


class QueueDispatch:
    """The app's side on PostgreSQL: defer each newly committed job, in a task of its own so the
    commit that enqueued it never waits on (nor fails with) the queue."""

    def __init__(self, app: procrastinate.App) -> None:
        self._app = app
        self._open = False
        self._pending: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        await self._app.open_async()
        self._open = True

    def opened(self) -> None:
        """Hand jobs over through an app its owner opened already (a worker's)."""
        self._open = True

    async def settle(self) -> None:
        """Wait for the hand-overs under way (they stay open for more)."""
        await asyncio.gather(*self._pending, return_exceptions=True)

    async def drain(self) -> None:
        self._open = False
        await self.settle()

    async def stop(self) -> None:
        await self.drain()
        await self._app.close_async()

    def __call__(self, job_ids: Sequence[int]) -> None:
        if not self._open:
            return  # not serving (tests without a lifespan): the sweeper hands them over
        task = asyncio.get_running_loop().create_task(self._defer(list(job_ids)))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _defer(self, job_ids: list[int]) -> None:
        for job_id in job_ids:
            try:
                await defer(self._app, job_id)
            except Exception:  # the sweeper hands it over within a minute or two
                log.warning("could not hand job %s to the workers", job_id, exc_info=True)
