"""Screening work that runs as background jobs (procurement/jobs): rescreening every active
purchase after a rule-set or restriction-list change, and re-matching stored components after
an advisory import. Each does all its work in the job's one transaction (the runner commits it
with the job's outcome), so an interrupted run leaves nothing and simply runs again."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.exposure.fill import enqueue_fill_if_dropped
from procurement.jobs.runner import JobContext
from procurement.jobs.store import enqueue
from procurement.models import Job
from procurement.permissions import Principal
from procurement.screening.store.rematch import rematch_pending
from procurement.screening.store.rescreen import (
    RescreenSummary,
    active_purchase_ids,
    rescreen_purchases,
)

RESCREEN_ACTIVE = "screening.rescreen_active"
REMATCH_ADVISORIES = "screening.rematch_advisories"


def summary_outcome(summary: RescreenSummary) -> dict[str, Any]:
    """The outcome of a rescreen, named as GraphQL's RescreenSummary names its fields."""
    return {
        "screened": summary.screened,
        "changed": summary.changed,
        "verdictsChanged": summary.verdicts_changed,
        "casesOpened": summary.cases_opened,
    }


async def enqueue_rescreen(session: AsyncSession, principal: Principal, trigger: str) -> Job:
    """Rescreen every active purchase after the caller's transaction commits (never commits)."""
    return await enqueue(session, RESCREEN_ACTIVE, {"trigger": trigger}, principal)


async def enqueue_rematch(session: AsyncSession, principal: Principal, trigger: str) -> Job:
    """Re-match the advisories marked pending and rescreen the purchases whose matches changed."""
    return await enqueue(session, REMATCH_ADVISORIES, {"trigger": trigger}, principal)


async def rescreen_active(session: AsyncSession, job: JobContext) -> dict[str, Any]:
    # The purchases active when the job runs: one registered since the change is screened too.
    ids = await active_purchase_ids(session)
    await job.progress(0, len(ids))
    summary = await rescreen_purchases(
        session, ids, str(job.arguments["trigger"]), actor=job.actor, progress=job.progress
    )
    await enqueue_fill_if_dropped(session, job.actor, RESCREEN_ACTIVE)  # refill what it dropped
    return summary_outcome(summary)


async def rematch_advisories(session: AsyncSession, job: JobContext) -> dict[str, Any]:
    rematch = await rematch_pending(session, str(job.arguments["trigger"]), actor=job.actor)
    await enqueue_fill_if_dropped(session, job.actor, REMATCH_ADVISORIES)
    await job.progress(rematch.purchases, rematch.purchases)
    return {
        "advisories": rematch.advisories,
        "components": rematch.components,
        "purchases": rematch.purchases,
        "rescreen": summary_outcome(rematch.rescreen),
    }
