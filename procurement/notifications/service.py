"""The dispatcher as a background task of the app (started in its lifespan): deliver at a short
poll interval and at once when a commit wrote events; run the periodic checks every few minutes.
Several app processes may run it side by side: claims and dedupe keys keep them apart."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement.db import utcnow
from procurement.notifications.checks import run_checks
from procurement.notifications.dispatcher import Deliver, run_once

log = logging.getLogger("procurement.notifications")
CHECK_EVERY = timedelta(minutes=5)


class BackgroundDispatcher:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        deliver: Deliver,
        *,
        poll_seconds: float,
        digest_hour: int,
    ) -> None:
        self._sessions = sessions
        self._deliver = deliver
        self._poll = poll_seconds
        self._digest_hour = digest_hour
        self._woken = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Called after a commit that wrote events (procurement/notifications/wakeup.py)."""
        self._woken.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="notification-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        next_check = utcnow()
        while True:
            try:
                if utcnow() >= next_check:
                    await run_checks(self._sessions, digest_hour=self._digest_hour)
                    next_check = utcnow() + CHECK_EVERY
                result = await run_once(self._sessions, self._deliver)
                busy = result.attempted > 0 or result.fanned_out > 0
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be away for a moment: log, wait, go on
                log.exception("notification pass failed")
                busy = False
            if busy:
                continue  # more may be waiting: no sleep while there is work
            self._woken.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), timeout=self._poll)
