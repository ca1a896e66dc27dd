"""The app's own notification loop on the embedded SQLite default, where no ``procurement
worker`` runs the periodic tasks: the checks every few minutes, and the sweep of notification work
whose job was lost at the poll interval. Delivery itself runs as jobs (``delivery_jobs``) on the
in-process worker. On PostgreSQL the workers' periodic tasks do both and the app runs none."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement.db import utcnow
from procurement.jobs.background import BackgroundLoop
from procurement.notifications.checks import run_checks
from procurement.notifications.delivery_jobs import sweep

log = logging.getLogger("procurement.notifications")
CHECK_EVERY = timedelta(minutes=5)


class PeriodicNotifications(BackgroundLoop):
    name = "notification-periodic"

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        poll_seconds: float,
        digest_hour: int,
    ) -> None:
        super().__init__()
        self._sessions = sessions
        self._poll = poll_seconds
        self._digest_hour = digest_hour

    async def run_forever(self) -> None:
        next_check = utcnow()
        while True:
            try:
                if utcnow() >= next_check:
                    await run_checks(self._sessions, digest_hour=self._digest_hour)
                    next_check = utcnow() + CHECK_EVERY
                await sweep(self._sessions)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be away for a moment: log, wait, go on
                log.exception("notification checks or sweep failed")
            await asyncio.sleep(self._poll)
