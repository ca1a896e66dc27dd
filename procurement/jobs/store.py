"""Session helpers for jobs: never commit, never check permission (the calling action has).

:func:`enqueue` adds the job to the caller's transaction, so a change and the job that finishes
it commit or roll back together. After the commit, the session's hook (``procurement.jobs.wakeup``)
hands the new job ids to whatever runs jobs in this process (the in-process worker, or the
procrastinate dispatch on PostgreSQL); a crash in between leaves a QUEUED job that the sweeper
finds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from procurement.db import utcnow
from procurement.enums import JobState
from procurement.jobs.backoff import DEFAULT_MAX_ATTEMPTS
from procurement.models import Job
from procurement.permissions import Principal

# session.info key: ids of the jobs this transaction enqueued, dispatched after its commit.
PENDING_JOBS = "jobs_enqueued"


async def enqueue(
    session: AsyncSession,
    kind: str,
    arguments: dict[str, Any],
    actor: Principal,
    *,
    operator_id: int | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    run_after: datetime | None = None,
) -> Job:
    """Add a QUEUED job in the caller's transaction (flushed, so it has its id); ``run_after``
    holds it back until then (a scheduled retry)."""
    job = new_job(kind, arguments, actor, operator_id, max_attempts, run_after)
    session.add(job)
    await session.flush()
    session.info.setdefault(PENDING_JOBS, []).append(job.id)
    return job


def enqueue_in_flush(
    session: Session, kind: str, arguments: dict[str, Any], actor: Principal
) -> Job:
    """:func:`enqueue` from a synchronous session event (``before_commit``), where no await is
    possible: the same row, flushed by the sync session."""
    job = new_job(kind, arguments, actor, None, DEFAULT_MAX_ATTEMPTS, None)
    session.add(job)
    session.flush()
    session.info.setdefault(PENDING_JOBS, []).append(job.id)
    return job


def holds_waiting_job(session: Session, kind: str) -> bool:
    """Whether a job of ``kind`` is QUEUED, due and not yet claimed, from a synchronous session
    event. The job found is held until this transaction ends, so its claim (a conditional
    UPDATE) waits for this commit and its run then sees what this transaction wrote: on
    PostgreSQL by a shared row lock (a job being claimed right now is skipped, not waited for,
    and counts as not waiting), on SQLite by the write lock that this writing transaction holds
    anyway until its commit."""
    stmt = (
        select(Job.id)
        .where(Job.kind == kind, Job.state == JobState.QUEUED, Job.run_after <= utcnow())
        .limit(1)
        .with_for_update(read=True, skip_locked=True)
    )
    return session.execute(stmt).first() is not None


def new_job(
    kind: str,
    arguments: dict[str, Any],
    actor: Principal,
    operator_id: int | None,
    max_attempts: int,
    run_after: datetime | None,
) -> Job:
    now = utcnow()
    return Job(
        kind=kind,
        arguments=arguments,
        state=JobState.QUEUED,
        attempts=0,
        max_attempts=max_attempts,
        progress_done=0,
        actor_name=actor.name[:200],
        actor_role=actor.role,
        actor_token_id=actor.token_id,
        actor_account_id=actor.account_id,
        operator_id=operator_id if operator_id is not None else actor.operator_id,
        run_after=run_after or now,
        created_at=now,
        updated_at=now,
    )
