"""Retention of background work: finished jobs, and stored uploads whose job never succeeded, are
deleted a number of days after they finished or arrived (``PROCUREMENT_JOB_RETENTION_DAYS``).

Without it the jobs table grows with every notification (a fan-out and a delivery job per
event) and a failed large upload keeps its document for ever. What stays: jobs still QUEUED or
RUNNING, whatever their age, and every audit event (a failed job was audited when it failed, so
its record outlives its row). An upload is stored only until its job succeeds and a job's
retries end within hours (backoff, then the sweep fails it), so an upload older than the
retention period belongs to a job that failed: its document is deleted without looking the job up.

Who runs it: on PostgreSQL the workers' daily periodic task (``procurement.job_kinds``), which
also deletes procrastinate's own finished rows (they only carry our job's id); on the embedded
SQLite default the app, once a day; and ``procurement job prune`` by hand.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement import audit
from procurement.db import utcnow
from procurement.enums import JobState
from procurement.jobs.background import BackgroundLoop
from procurement.jobs.runner import WORKER
from procurement.models import AdvisoryUpload, Job, SbomUpload

log = logging.getLogger("procurement.jobs")
PRUNED = "jobs.pruned"
# The app's first pass waits a while after start (a restart loop never prunes in a burst).
FIRST_PASS_AFTER = timedelta(minutes=10)
EVERY = timedelta(days=1)


@dataclass(frozen=True)
class Pruned:
    jobs: int
    sbom_uploads: int
    advisory_uploads: int

    @property
    def total(self) -> int:
        return self.jobs + self.sbom_uploads + self.advisory_uploads


async def prune(session: AsyncSession, now: datetime, keep_days: int) -> Pruned:
    """Delete what finished (arrived) more than ``keep_days`` before ``now`` and audit the counts
    when anything went; the caller commits."""
    before = now - timedelta(days=keep_days)
    finished = (JobState.SUCCEEDED, JobState.FAILED)
    jobs = await session.execute(
        delete(Job).where(Job.state.in_(finished), Job.finished_at < before)
    )
    sboms = await session.execute(delete(SbomUpload).where(SbomUpload.created_at < before))
    dumps = await session.execute(delete(AdvisoryUpload).where(AdvisoryUpload.created_at < before))
    pruned = Pruned(jobs.rowcount, sboms.rowcount, dumps.rowcount)  # type: ignore[attr-defined]
    if pruned.total:
        audit.record(
            session, WORKER, PRUNED, "Job", None,
            after={"before": before.isoformat(), "keepDays": keep_days, "jobs": pruned.jobs,
                   "sbomUploads": pruned.sbom_uploads,
                   "advisoryUploads": pruned.advisory_uploads},
        )  # fmt: skip
    return pruned


async def prune_now(sessions: async_sessionmaker[AsyncSession], keep_days: int) -> Pruned:
    async with sessions() as session:
        pruned = await prune(session, utcnow(), keep_days)
        await session.commit()
    if pruned.total:
        log.info(
            "retention: deleted %d finished jobs, %d SBOM uploads, %d advisory uploads",
            pruned.jobs, pruned.sbom_uploads, pruned.advisory_uploads,
        )  # fmt: skip
    return pruned


class DailyRetention(BackgroundLoop):
    """The app's own daily pass on the embedded SQLite default (no worker runs periodic tasks)."""

    name = "job-retention"

    def __init__(self, sessions: async_sessionmaker[AsyncSession], keep_days: int) -> None:
        super().__init__()
        self._sessions = sessions
        self._keep_days = keep_days

    async def run_forever(self) -> None:
        await asyncio.sleep(FIRST_PASS_AFTER.total_seconds())
        while True:
            try:
                await prune_now(self._sessions, self._keep_days)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be away for a moment: next time
                log.exception("retention pass failed")
            await asyncio.sleep(EVERY.total_seconds())
