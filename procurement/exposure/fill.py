"""Exposure cache fills as background jobs (issue 14): a change that drops cached digests (an
exchange rate recorded, a penalty schedule version stored, a rescreen that changed verdicts or
cases) enqueues, in its own transaction, one job that computes the dropped digests, so the
next reader of the summary finds the cache warm. A reader arriving first still computes what
is missing itself (procurement.exposure.cache), so figures are exact either way.

The job is idempotent: it computes only the digests missing on the day it runs and upserts
them, so a second run (or a reader that filled them meanwhile) leaves nothing to do. Its work
commits with its SUCCEEDED mark in the runner's one transaction: a killed worker leaves no
partial rows, and a failure is retried by the runner.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.clock import today_in_china
from procurement.enums import Role
from procurement.exposure.cache import fill_missing
from procurement.jobs.runner import JobContext
from procurement.jobs.store import enqueue
from procurement.models import Job
from procurement.permissions import Principal

FILL_CACHE = "exposure.fill_cache"
# session.info keys: the fill job a transaction enqueued, and whether it dropped digests in bulk
# (each paired with the transaction, so the next transaction of the session starts afresh).
_JOB = "exposure_fill_job"
_DROPPED = "exposure_digests_dropped"
# Who asks for a fill that a bulk drop needs (the change's own actor when it is known).
CACHE = Principal(role=Role.ADMIN, name="exposure cache")


def _transaction(session: AsyncSession) -> object:
    return session.sync_session.get_transaction()


async def enqueue_fill(session: AsyncSession, principal: Principal, trigger: str) -> Job:
    """The transaction's fill job: enqueued on the first call, the same job after that, so one
    change enqueues exactly one fill (never commits)."""
    current = _transaction(session)
    memo = session.info.get(_JOB)
    if memo is not None and current is not None and memo[0] is current:
        job: Job = memo[1]
        return job
    job = await enqueue(session, FILL_CACHE, {"trigger": trigger}, principal)
    session.info[_JOB] = (current, job)
    return job


def enqueued_fill(session: AsyncSession) -> Job | None:
    """The fill job the session's latest transaction enqueued, read after its commit (the
    mutation payloads that caused a fill return it)."""
    memo = session.info.get(_JOB)
    return None if memo is None else memo[1]


def note_dropped(session: AsyncSession) -> None:
    """Called by a bulk writer's explicit drop (procurement.exposure.invalidation)."""
    session.info[_DROPPED] = _transaction(session)


async def enqueue_fill_if_dropped(
    session: AsyncSession, principal: Principal, trigger: str
) -> Job | None:
    """A fill job when this transaction dropped digests in bulk (a rescreen job), else None."""
    current = _transaction(session)
    if current is None or session.info.get(_DROPPED) is not current:
        return None
    return await enqueue_fill(session, principal, trigger)


async def fill_cache(session: AsyncSession, job: JobContext) -> dict[str, Any]:
    """Compute every digest missing today (China time), in the job's transaction."""
    as_of = today_in_china()
    stored, unpriced = await fill_missing(session, as_of)
    await job.progress(stored + unpriced, stored + unpriced)
    return {"asOf": as_of.isoformat(), "stored": stored, "unpriced": unpriced}
