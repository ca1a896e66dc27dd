"""The composition root: the session factory every entry point uses, with the domains' listeners.

``procurement.db`` knows nothing of the domains; the app, the CLI, the tests and the benchmarks get
their sessions here, so the exposure cache is invalidated whichever of them changes a purchase,
and every stored review deadline is counted with the configured Art. 15 reading.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from procurement.db import session_factory
from procurement.exposure import invalidation
from procurement.notifications import enqueue as notification_jobs
from procurement.reviews.pauses import PauseReading
from procurement.reviews.store import PAUSE_READING_INFO
from procurement.settings import Settings


def app_sessions(
    engine: AsyncEngine, settings: Settings | None = None
) -> async_sessionmaker[AsyncSession]:
    """The session factory of a running service: a bare factory plus the domains' listeners,
    carrying the settings the domains read from their session (default ones without)."""
    factory = invalidation.install(session_factory(engine))
    if settings is not None:
        factory.configure(info={PAUSE_READING_INFO: PauseReading(settings.pause_request_day).value})
    # A commit that wrote outbox events enqueues the job that delivers them.
    return notification_jobs.install(factory)
