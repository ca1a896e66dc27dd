"""Notification delivery as jobs (issue 14): workers, not the app, fan events out and send.

``notifications.fan_out`` (enqueued by the commit that wrote events, see ``enqueue``) turns every
event not yet fanned out into deliveries and, in the same transaction, enqueues
``notifications.deliver`` jobs naming them (50 a job). A deliver job leases its deliveries to its
own token and commits the lease, sends outside any transaction, then logs the attempts and marks the
deliveries in the job's transaction, which the runner commits with the job's success. A channel
failure enqueues a deliver job due at the delivery's next attempt (1 min, 5 min, 30 min, 2 h),
and the fifth failure marks it FAILED (audited). A worker killed after sending leaves the lease
to this job's token: the job runs again and sends again with the same notice id.

``sweep`` (every minute on PostgreSQL's workers, on the app's poll on SQLite) enqueues the
jobs of events and deliveries whose job was lost, when no notification job is waiting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement.db import utcnow
from procurement.enums import DeliveryStatus, JobState
from procurement.jobs.runner import JobContext, JobFunction
from procurement.jobs.store import enqueue
from procurement.models import Job, NotificationDelivery, NotificationEvent
from procurement.notifications.dispatcher import (
    LEASE,
    Deliver,
    PassResult,
    read_claimed,
    record_outcomes,
    send_batch,
)
from procurement.notifications.enqueue import DELIVER, DISPATCHER, FAN_OUT
from procurement.notifications.store import claim_ids, fan_out_ids

# Work older than this with no notification job waiting lost its job (a crash, or a job that
# ran out of attempts): the sweep enqueues it again.
GRACE = timedelta(seconds=60)
SWEEP_LIMIT = 500
# Deliveries per deliver job: sent 8 at a time, each bounded by the channel timeout, a batch
# ends well inside the deliveries' lease (dispatcher.LEASE).
BATCH = 50


async def fan_out_job(session: AsyncSession, job: JobContext) -> dict[str, Any]:
    """Fan out every event waiting, and enqueue the job that delivers what it made."""
    made: list[int] = []
    while batch := await fan_out_ids(session, utcnow()):
        made += batch
    for start in range(0, len(made), BATCH):
        chunk = made[start : start + BATCH]
        await enqueue(session, DELIVER, {"delivery_ids": chunk}, DISPATCHER)
    return {"deliveries": len(made)}


def deliver_job(deliver: Deliver) -> JobFunction:
    async def run(session: AsyncSession, job: JobContext) -> dict[str, Any]:
        ids = [int(i) for i in job.arguments.get("delivery_ids", [])]
        token = f"job-{job.job_id}"
        # The lease is committed before sending (another job naming the same delivery leaves it
        # alone), from a session of its own: the job's session stays free of writes until the
        # marks, so SQLite's write lock is not held while receivers answer.
        leases = async_sessionmaker(session.bind, expire_on_commit=False, autoflush=False)
        async with leases() as lease:
            await claim_ids(lease, ids, token, utcnow(), LEASE)
            await lease.commit()
            batch = await read_claimed(lease, token)
            await lease.commit()
        outcomes = await send_batch(batch, deliver)
        result = PassResult(attempted=len(batch.items))
        retries = await record_outcomes(session, batch, outcomes, utcnow(), result)
        for at, group in _by_time(retries).items():
            await enqueue(session, DELIVER, {"delivery_ids": group}, DISPATCHER, run_after=at)
        return {
            "attempted": result.attempted,
            "delivered": result.delivered,
            "retrying": result.retrying,
            "failed": result.failed,
        }

    return run


def _by_time(retries: dict[int, datetime]) -> dict[datetime, list[int]]:
    groups: dict[datetime, list[int]] = defaultdict(list)
    for delivery_id, at in sorted(retries.items()):
        groups[at].append(delivery_id)
    return groups


def kinds(deliver: Deliver) -> dict[str, JobFunction]:
    """The notification job kinds, sending through ``deliver`` (the installation's channels)."""
    return {FAN_OUT: fan_out_job, DELIVER: deliver_job(deliver)}


@dataclass(frozen=True)
class Swept:
    fan_out: bool
    deliveries: list[int]


async def sweep(sessions: async_sessionmaker[AsyncSession], now: datetime | None = None) -> Swept:
    """Enqueue the jobs of events and deliveries left without one (committed here)."""
    now = now or utcnow()
    late = now - GRACE
    async with sessions() as session:
        waiting = await session.scalar(
            select(
                exists().where(
                    Job.kind.in_((FAN_OUT, DELIVER)),
                    or_(
                        and_(Job.state == JobState.QUEUED, Job.run_after <= now),
                        Job.state == JobState.RUNNING,
                    ),
                )
            )
        )
        if waiting:
            return Swept(False, [])  # the queue is behind, not lost: its jobs will come
        events = await session.scalar(
            select(
                exists().where(
                    NotificationEvent.fanned_out_at.is_(None),
                    NotificationEvent.occurred_at < late,
                )
            )
        )
        orphans = list(
            await session.scalars(
                select(NotificationDelivery.id)
                .where(
                    NotificationDelivery.status == DeliveryStatus.PENDING,
                    NotificationDelivery.next_attempt_at < late,
                    or_(
                        NotificationDelivery.claimed_until.is_(None),
                        NotificationDelivery.claimed_until < now,
                    ),
                )
                .order_by(NotificationDelivery.id)
                .limit(SWEEP_LIMIT)
            )
        )
        if events:
            await enqueue(session, FAN_OUT, {}, DISPATCHER)
        for start in range(0, len(orphans), BATCH):
            chunk = orphans[start : start + BATCH]
            await enqueue(session, DELIVER, {"delivery_ids": chunk}, DISPATCHER)
        await session.commit()
    return Swept(bool(events), orphans)
