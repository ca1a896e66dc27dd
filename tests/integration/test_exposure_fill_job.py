"""Exposure cache fills run as jobs (issue 14): a change that drops digests enqueues exactly one
fill job in its transaction; running it leaves no digest missing and the summary equal to a
from-scratch computation; it is idempotent, and a failed attempt leaves no partial rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import func, select

from procurement.clock import pinned_today
from procurement.enums import JobState
from procurement.exposure import GroupBy, summarise
from procurement.exposure import actions as exposure_actions
from procurement.exposure import reads as exposure
from procurement.exposure.cache import missing_digests
from procurement.exposure.fill import FILL_CACHE, enqueued_fill, fill_cache
from procurement.job_kinds import REGISTRY
from procurement.jobs.runner import JobContext
from procurement.models import ExposureSlice, ExposureSnapshot, Job
from procurement.permissions import SYSTEM
from procurement.screening.actions.rates import set_exchange_rate
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import run_jobs

AS_OF = date(2026, 11, 21)


def _exact(value: object) -> object:
    """Decimals as their strings: equal values with another exponent print differently."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_exact(v) for v in value]
    if hasattr(value, "__slots__"):
        return {s: _exact(getattr(value, s)) for s in value.__slots__}
    return value


async def _missing(db: DatabaseUnderTest) -> int:
    async with db.sessions() as session:
        return len(list(await session.scalars(missing_digests(AS_OF))))


async def _fill_jobs(
    db: DatabaseUnderTest, after: int = 0
) -> list[tuple[int, JobState, dict[str, Any] | None]]:
    """The fill jobs enqueued after job ``after`` (loading the demo records rates: it has some)."""
    async with db.sessions() as session:
        rows = await session.execute(
            select(Job.id, Job.state, Job.outcome)
            .where(Job.kind == FILL_CACHE, Job.id > after)
            .order_by(Job.id)
        )
        return [(i, s, o) for i, s, o in rows]


async def _last_job(db: DatabaseUnderTest) -> int:
    async with db.sessions() as session:
        return await session.scalar(select(func.coalesce(func.max(Job.id), 0))) or 0


async def _warm_cache(db: DatabaseUnderTest) -> None:
    async with db.sessions() as session:
        await exposure.group_summaries(
            session, SYSTEM, operator_id=None, as_of=AS_OF, what_if=False
        )


async def test_a_rate_change_enqueues_one_fill_job_that_warms_the_cache_exactly(
    db: DatabaseUnderTest, demo: str
) -> None:
    # given the demo data set with every digest cached (the demo's own fills run)
    with pinned_today(AS_OF):
        await run_jobs(db)
    await _warm_cache(db)
    assert await _missing(db) == 0
    before = await _last_job(db)
    # when the USD rate changes (a rate rescreens and drops the USD purchases' digests)
    async with db.sessions() as session:
        await set_exchange_rate(session, SYSTEM, "USD", "9.5000", date(2025, 1, 1), "test")
        job = enqueued_fill(session)
    # then exactly one fill job is queued, the one the change reports, and digests are missing
    assert job is not None
    assert await _fill_jobs(db, before) == [(job.id, JobState.QUEUED, None)]
    dropped = await _missing(db)
    assert dropped > 0
    # when a worker runs it
    with pinned_today(AS_OF):
        await run_jobs(db)
    # then it succeeded, no digest is missing, and the warm summary is the full computation
    assert await _fill_jobs(db, before) == [
        (job.id, JobState.SUCCEEDED, {"asOf": AS_OF.isoformat(), "stored": dropped, "unpriced": 0})
    ]
    assert await _missing(db) == 0
    async with db.sessions() as session:
        warm = await exposure.group_summaries(
            session, SYSTEM, operator_id=None, as_of=AS_OF, what_if=False
        )
        full = await exposure.assess(session, SYSTEM, as_of=AS_OF)
    for group_by in GroupBy:
        expected = summarise(full.exposures, group_by, top_n=0)
        got = warm[group_by]
        assert _exact((got.groups, got.total, got.conditional_max)) == _exact(
            (expected.groups, expected.total, expected.conditional_max)
        ), group_by


async def test_a_schedule_version_enqueues_one_fill_job(db: DatabaseUnderTest, demo: str) -> None:
    # given the shipped schedules in force
    async with db.sessions() as session:
        _version, records = await exposure.schedules_document(session, SYSTEM)
    document = orjson.dumps({"schedules": records}).decode()
    before = await _last_job(db)
    # when an admin stores them as version 1
    async with db.sessions() as session:
        row = await exposure_actions.update_penalty_schedules(session, SYSTEM, document, "same")
        job = enqueued_fill(session)
    # then exactly one fill job is queued for it
    assert row.version == 1 and job is not None
    assert await _fill_jobs(db, before) == [(job.id, JobState.QUEUED, None)]


async def test_the_fill_is_idempotent_and_a_failed_attempt_leaves_no_rows(
    db: DatabaseUnderTest, demo: str
) -> None:
    # given a rate change that dropped digests, and a fill whose first attempt fails at its end
    with pinned_today(AS_OF):
        await run_jobs(db)  # the demo's own fills
    await _warm_cache(db)
    async with db.sessions() as session:
        await set_exchange_rate(session, SYSTEM, "USD", "9.5000", date(2025, 1, 1), "test")
        job = enqueued_fill(session)
    assert job is not None
    dropped = await _missing(db)
    assert dropped > 0
    async with db.sessions() as session:
        counts = (
            await session.scalar(select(func.count()).select_from(ExposureSnapshot)),
            await session.scalar(select(func.count()).select_from(ExposureSlice)),
        )

    async def dies_after_filling(session: Any, context: JobContext) -> dict[str, Any]:
        await fill_cache(session, context)
        raise RuntimeError("worker lost")

    # when the worker runs it with the failing definition
    with pinned_today(AS_OF):
        results = await run_jobs(db, registry={**REGISTRY, FILL_CACHE: dies_after_filling})
    # then nothing of the attempt is stored, and the job waits for a retry
    assert [r.state for r in results] == [JobState.QUEUED]
    assert await _missing(db) == dropped
    async with db.sessions() as session:
        assert (
            await session.scalar(select(func.count()).select_from(ExposureSnapshot)),
            await session.scalar(select(func.count()).select_from(ExposureSlice)),
        ) == counts
    # when the fill runs twice for real (the retry, then again)
    async with db.sessions() as session:
        with pinned_today(AS_OF):
            first = await fill_cache(session, JobContext(job.id, FILL_CACHE, {}, SYSTEM, 2))
            second = await fill_cache(session, JobContext(job.id, FILL_CACHE, {}, SYSTEM, 3))
        await session.commit()
    # then the first stores what was missing and the second finds nothing to do
    assert first == {"asOf": AS_OF.isoformat(), "stored": dropped, "unpriced": 0}
    assert second == {"asOf": AS_OF.isoformat(), "stored": 0, "unpriced": 0}
    assert await _missing(db) == 0
