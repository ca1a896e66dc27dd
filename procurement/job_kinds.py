"""The composition of background work: every job kind a worker runs, and the periodic tasks of
the PostgreSQL workers. ``procurement.jobs`` knows no domain; the domains enqueue through it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement.exposure import fill as exposure_fill
from procurement.jobs.queue import Periodic
from procurement.jobs.runner import Registry
from procurement.notifications.checks import run_checks
from procurement.sboms import upload_job as sbom_upload
from procurement.screening import jobs as screening_jobs
from procurement.screening.actions import advisory_upload
from procurement.settings import Settings

REGISTRY: Registry = {
    screening_jobs.RESCREEN_ACTIVE: screening_jobs.rescreen_active,
    screening_jobs.REMATCH_ADVISORIES: screening_jobs.rematch_advisories,
    advisory_upload.IMPORT_DUMP: advisory_upload.import_dump,
    exposure_fill.FILL_CACHE: exposure_fill.fill_cache,
    sbom_upload.INGEST_UPLOAD: sbom_upload.ingest_upload,
}
# Deadline warnings, overdue cases and daily digests (dedupe keys make them happen once even
# when the app's own dispatcher runs them too).
PERIODIC_CRONS = {"notification_checks": "*/5 * * * *"}


def periodic(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> dict[str, Periodic]:
    async def notification_checks() -> None:
        await run_checks(sessions, digest_hour=settings.notification_digest_hour)

    return {
        "notification_checks": Periodic(PERIODIC_CRONS["notification_checks"], notification_checks)
    }
