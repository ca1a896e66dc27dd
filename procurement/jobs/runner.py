"""Claiming and running one job, the same on every backend and for every kind of worker.

A claim is one conditional UPDATE (a QUEUED job that is due, or a RUNNING one whose lease ran out
because its worker died), so two workers handed the same job never both run it. The job's work
and its SUCCEEDED mark commit in one transaction: a worker killed mid-job leaves nothing of it,
and the job is claimed again when its lease runs out. A failed attempt is rolled back, then
recorded: QUEUED again after a backoff delay, or FAILED (audited) when no attempt is left.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement import audit
from procurement.db import utcnow
from procurement.enums import JobState, Role
from procurement.errors import ErrorCode, InputError, PermissionDenied
from procurement.jobs.backoff import retry_delay
from procurement.models import Job
from procurement.permissions import Principal

log = logging.getLogger("procurement.jobs")
WORKER = Principal(role=Role.ADMIN, name="job worker")
# PostgreSQL: the running worker renews its lease every LEASE / 3 from another connection.
# SQLite has one writer at a time, and the job's own transaction holds it: no renewal there, so
# the lease is longer than any job is expected to run.
LEASE = timedelta(seconds=30)
SQLITE_LEASE = timedelta(minutes=15)


@dataclass
class JobContext:
    """What a job function gets besides its session: its arguments, who asked (it acts as
    them), which attempt this is, and a way to report progress."""

    job_id: int
    kind: str
    arguments: dict[str, Any]
    actor: Principal
    attempt: int
    report: Callable[[int, int], Awaitable[None]] | None = None
    done: int = 0
    total: int | None = None

    async def progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        if self.report is not None:
            await self.report(done, total)


# A job function does its work in the given session and never commits: the runner commits the
# work together with the job's outcome. It returns the outcome, a small JSON object.
JobFunction = Callable[[AsyncSession, JobContext], Awaitable[dict[str, Any]]]
Registry = Mapping[str, JobFunction]


@dataclass
class RunResult:
    state: JobState
    outcome: dict[str, Any] | None = None
    error: str | None = None
    retry_at: datetime | None = field(default=None)


def _claimable(now: datetime) -> Any:
    return or_(
        and_(Job.state == JobState.QUEUED, Job.run_after <= now),
        and_(
            Job.state == JobState.RUNNING,
            Job.claimed_until < now,
            Job.attempts < Job.max_attempts,
        ),
    )


async def due_job_ids(session: AsyncSession, now: datetime, limit: int = 20) -> list[int]:
    """Jobs a worker may claim now, oldest first."""
    stmt = select(Job.id).where(_claimable(now)).order_by(Job.id).limit(limit)
    return list(await session.scalars(stmt))


def _lease(session: AsyncSession) -> timedelta:
    return SQLITE_LEASE if session.get_bind().dialect.name == "sqlite" else LEASE


async def claim(session: AsyncSession, job_id: int, token: str, now: datetime) -> bool:
    """Take the job if nobody holds it (never commits)."""
    result = await session.execute(
        update(Job)
        .where(Job.id == job_id, _claimable(now))
        .values(
            state=JobState.RUNNING,
            attempts=Job.attempts + 1,
            claim=token,
            claimed_until=now + _lease(session),
            started_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def actor_of(job: Job) -> Principal:
    return Principal(
        role=job.actor_role,
        name=job.actor_name,
        token_id=job.actor_token_id,
        operator_id=job.operator_id,
        account_id=job.actor_account_id,
    )


def _error_text(error: BaseException) -> str:
    if isinstance(error, InputError):
        return "; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in error.errors)
    return f"{type(error).__name__}: {error}"[:2000]


async def _mark(
    sessions: async_sessionmaker[AsyncSession], job_id: int, token: str, **values: Any
) -> None:
    async with sessions() as session:
        await session.execute(
            update(Job).where(Job.id == job_id, Job.claim == token).values(**values)
        )
        await session.commit()


async def _keep_lease(sessions: async_sessionmaker[AsyncSession], job_id: int, token: str) -> None:
    while True:
        await asyncio.sleep(LEASE.total_seconds() / 3)
        try:
            await _mark(sessions, job_id, token, claimed_until=utcnow() + LEASE)
        except Exception:  # the database may be away a moment: the next renewal tries again
            log.warning("renewing the lease of job %s failed", job_id, exc_info=True)


async def run_job(
    sessions: async_sessionmaker[AsyncSession],
    registry: Registry,
    job_id: int,
    *,
    now: datetime | None = None,
) -> RunResult | None:
    """Claim and run the job; None when it was not claimable (done, or held by another)."""
    token = uuid.uuid4().hex
    now = now or utcnow()
    async with sessions() as session:
        if not await claim(session, job_id, token, now):
            return None
        await session.commit()
        job = await session.get_one(Job, job_id)
        live = session.get_bind().dialect.name != "sqlite"

    async def report(done: int, total: int) -> None:
        await _mark(sessions, job_id, token, progress_done=done, progress_total=total)

    context = JobContext(
        job.id, job.kind, dict(job.arguments), actor_of(job), job.attempts, report if live else None
    )
    keeper = asyncio.create_task(_keep_lease(sessions, job_id, token)) if live else None
    try:
        return await _attempt(sessions, registry, job, context, token)
    finally:
        if keeper is not None:
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)


async def _attempt(
    sessions: async_sessionmaker[AsyncSession],
    registry: Registry,
    job: Job,
    context: JobContext,
    token: str,
) -> RunResult | None:
    function = registry.get(job.kind)
    try:
        if function is None:
            raise LookupError(f"no job kind {job.kind!r} in this worker")
        async with sessions() as session:
            outcome = await function(session, context)
            done = context.total if context.total is not None else context.done
            finished = utcnow()
            result = await session.execute(
                update(Job)
                .where(Job.id == job.id, Job.claim == token)
                .values(
                    state=JobState.SUCCEEDED,
                    outcome=outcome,
                    error=None,
                    finished_at=finished,
                    updated_at=finished,
                    claim=None,
                    claimed_until=None,
                    progress_done=done,
                    progress_total=context.total,
                )
            )
            if getattr(result, "rowcount", 0) != 1:
                # Our lease ran out and another worker holds the job: its run counts, not ours.
                await session.rollback()
                log.warning("job %s lost its lease; its work was rolled back", job.id)
                return None
            await session.commit()
        return RunResult(JobState.SUCCEEDED, outcome)
    except asyncio.CancelledError:
        raise
    except Exception as error:
        log.exception("job %s (%s) attempt %s failed", job.id, job.kind, context.attempt)
        retryable = function is not None and may_pass_next_time(error)
        return await _record_failure(sessions, job, context, token, error, retryable)


def may_pass_next_time(error: Exception) -> bool:
    """Whether another attempt could end otherwise. A refusal of the job's input (a document
    that fails validation, a permission the actor lacks) says the same every time, so it fails
    the job at once; a lost race (CONFLICT) or anything else (the database away, a receiver
    down) is retried after the backoff."""
    if isinstance(error, PermissionDenied):
        return False
    if isinstance(error, InputError):
        return any(e.code is ErrorCode.CONFLICT for e in error.errors)
    return True


async def _record_failure(
    sessions: async_sessionmaker[AsyncSession],
    job: Job,
    context: JobContext,
    token: str,
    error: Exception,
    retryable: bool,
) -> RunResult:
    text = _error_text(error)
    now = utcnow()
    async with sessions() as session:
        if retryable and context.attempt < job.max_attempts:
            retry_at = now + retry_delay(context.attempt)
            values: dict[str, Any] = {"state": JobState.QUEUED, "run_after": retry_at}
            result = RunResult(JobState.QUEUED, error=text, retry_at=retry_at)
        else:
            values = {"state": JobState.FAILED, "finished_at": now}
            result = RunResult(JobState.FAILED, error=text)
            audit.record(
                session, WORKER, "job.failed", "Job", job.id, operator_id=job.operator_id,
                after={"kind": job.kind, "attempts": context.attempt, "error": text[:500],
                       "actor": job.actor_name},
            )  # fmt: skip
        await session.execute(
            update(Job)
            .where(Job.id == job.id, Job.claim == token)
            .values(**values, error=text, claim=None, claimed_until=None, updated_at=now)
        )
        await session.commit()
    return result


async def fail_abandoned(session: AsyncSession, now: datetime) -> list[int]:
    """Mark FAILED (audited) the jobs whose last allowed attempt died with its worker: their
    lease ran out and no attempt is left, so no claim will ever take them (never commits)."""
    stmt = select(Job).where(
        Job.state == JobState.RUNNING, Job.claimed_until < now, Job.attempts >= Job.max_attempts
    )
    failed = []
    for job in await session.scalars(stmt):
        text = f"the worker running attempt {job.attempts} of {job.max_attempts} stopped"
        job.state, job.error, job.finished_at, job.updated_at = JobState.FAILED, text, now, now
        job.claim, job.claimed_until = None, None
        audit.record(
            session, WORKER, "job.failed", "Job", job.id, operator_id=job.operator_id,
            after={"kind": job.kind, "attempts": job.attempts, "error": text,
                   "actor": job.actor_name},
        )  # fmt: skip
        failed.append(job.id)
    return failed


async def run_due(
    sessions: async_sessionmaker[AsyncSession],
    registry: Registry,
    *,
    now: datetime | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> list[RunResult]:
    """Run every job that is due now, one after another, until none is left or ``keep_going``
    says stop (checked before each job: a stopping worker finishes the job it is in and takes no
    other). The in-process worker's pass; tests and ``procurement worker --once`` call it too."""
    results: list[RunResult] = []
    tried: set[int] = set()
    while True:
        at = now or utcnow()
        async with sessions() as session:
            if await fail_abandoned(session, at):
                await session.commit()
            ids = [i for i in await due_job_ids(session, at) if i not in tried]
        if not ids:
            return results
        for job_id in ids:
            if not keep_going():
                return results
            tried.add(job_id)  # a job retried later in this pass waits for the next pass
            result = await run_job(sessions, registry, job_id, now=at)
            if result is not None:
                results.append(result)


async def run_inline(session: AsyncSession, registry: Registry, job_id: int) -> dict[str, Any]:
    """Run a job at once in the caller's session and commit it with its outcome: for seed
    scripts (the demo data) that need the result before going on. Raises what the job raises."""
    now = utcnow()
    token = f"inline-{uuid.uuid4().hex}"
    if not await claim(session, job_id, token, now):
        raise LookupError(f"job {job_id} is not waiting to run")
    job = await session.get_one(Job, job_id, populate_existing=True)
    context = JobContext(job.id, job.kind, dict(job.arguments), actor_of(job), job.attempts)
    outcome = await registry[job.kind](session, context)
    job.state, job.outcome, job.finished_at, job.updated_at = JobState.SUCCEEDED, outcome, now, now
    job.progress_done, job.progress_total = context.done, context.total
    job.claim, job.claimed_until = None, None
    await session.commit()
    return outcome
