"""The composition of background work: every job kind a worker runs, and the periodic tasks of
the PostgreSQL workers. ``procurement.jobs`` knows no domain; the domains enqueue through it."""

from __future__ import annotations

from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement import retention
from procurement.exposure import fill as exposure_fill
from procurement.jobs.queue import Periodic
from procurement.jobs.runner import Registry
from procurement.notifications import delivery_jobs
from procurement.notifications.checks import run_checks
from procurement.notifications.dispatcher import Deliver
from procurement.notifications.message import ChannelTarget, DeliveryOutcome, Notice
from procurement.notifications.sending import channel_sender
from procurement.sboms import upload_job as sbom_upload
from procurement.screening import jobs as screening_jobs
from procurement.screening.actions import advisory_upload
from procurement.settings import Settings, load_settings


@cache
def _environment_channels() -> Deliver:
    return channel_sender(load_settings())


async def _send_with_environment(target: ChannelTarget, notice: Notice) -> DeliveryOutcome:
    return await _environment_channels()(target, notice)


# Every kind, notification delivery through the channels the environment configures; the app
# and ``procurement worker`` use ``registry(settings)`` with the settings they were given.
REGISTRY: Registry = {
    screening_jobs.RESCREEN_ACTIVE: screening_jobs.rescreen_active,
    screening_jobs.REMATCH_ADVISORIES: screening_jobs.rematch_advisories,
    advisory_upload.IMPORT_DUMP: advisory_upload.import_dump,
    exposure_fill.FILL_CACHE: exposure_fill.fill_cache,
    sbom_upload.INGEST_UPLOAD: sbom_upload.ingest_upload,
    **delivery_jobs.kinds(_send_with_environment),
}
# Deadline warnings, overdue cases and daily digests (dedupe keys make them happen once even
# when two workers run them); the sweep of notification work whose job was lost.
# The retention pass (procurement/retention.py) once a day.
PERIODIC_CRONS = {
    "notification_checks": "*/5 * * * *",
    "notification_sweep": "* * * * *",
    "retention": "23 3 * * *",
}


def registry(settings: Settings, deliver: Deliver | None = None) -> Registry:
    """Every job kind, with notification delivery through this installation's channels
    (``deliver`` replaces them in tests)."""
    return {**REGISTRY, **delivery_jobs.kinds(deliver or channel_sender(settings))}


def periodic(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> dict[str, Periodic]:
    async def notification_checks() -> None:
        await run_checks(sessions, digest_hour=settings.notification_digest_hour)

    async def notification_sweep() -> None:
        await delivery_jobs.sweep(sessions)

    async def retention_pass() -> None:
        await retention.prune_now(sessions, settings.job_retention_days)

    return {
        "notification_checks": Periodic(PERIODIC_CRONS["notification_checks"], notification_checks),
        "notification_sweep": Periodic(PERIODIC_CRONS["notification_sweep"], notification_sweep),
        "retention": Periodic(PERIODIC_CRONS["retention"], retention_pass),
    }
