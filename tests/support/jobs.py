"""Running background jobs in a test: what a worker would do, in the test's process, through the
same runner and job definitions (procurement/jobs/runner.py, procurement/job_kinds.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select

from procurement.job_kinds import REGISTRY
from procurement.jobs.runner import Registry, RunResult, run_due
from procurement.models import Job
from procurement.screening.store.rescreen import RescreenSummary
from tests.support.databases import DatabaseUnderTest
from tests.support.world import gql

JOB = """query J($id: ID!) { job(id: $id) { id kind state progress { done total } outcome error
  attempts maxAttempts requestedBy } }"""


async def run_jobs(
    db: DatabaseUnderTest, *, now: datetime | None = None, registry: Registry = REGISTRY
) -> list[RunResult]:
    """Run every due job to its end (success, retry later, or FAILED)."""
    return await run_due(db.sessions, registry, now=now)


async def finished_job(
    db: DatabaseUnderTest, client: httpx.AsyncClient, secret: str, job_id: str
) -> dict[str, Any]:
    """Let a worker run the due jobs, then read the job as ``secret``'s holder sees it."""
    await run_jobs(db)
    status, body = await gql(client, secret, JOB, {"id": job_id})
    assert status == 200 and "errors" not in body, body
    job: dict[str, Any] = body["data"]["job"]
    return job


def rescreen_summary(outcome: dict[str, Any] | None) -> RescreenSummary:
    """A rescreen job's outcome as the RescreenSummary the action used to return."""
    assert outcome is not None
    return RescreenSummary(
        screened=outcome["screened"],
        changed=outcome["changed"],
        verdicts_changed=outcome["verdictsChanged"],
        cases_opened=outcome["casesOpened"],
    )


async def work_kinds(db: DatabaseUnderTest) -> list[str]:
    """The kinds of the stored jobs, leaving out notification delivery (every committed audit
    event that is a notice enqueues its fan-out job): the work a test's request asked for."""
    async with db.sessions() as session:
        kinds = await session.scalars(select(Job.kind).order_by(Job.id))
    return [k for k in kinds if not k.startswith("notifications.")]
