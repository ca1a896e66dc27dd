"""The in-process worker: runs jobs from the jobs table inside the app (started in its lifespan on
the embedded SQLite default) or in ``procurement worker``. Woken at once by a commit that enqueued
a job, otherwise it polls, so jobs another process enqueued are found too."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement.jobs.background import BackgroundLoop
from procurement.jobs.runner import Registry, run_due

log = logging.getLogger("procurement.jobs")


class LocalWorker(BackgroundLoop):
    name = "job-worker"
    # Stopping lets a running job finish and commit (a notice being delivered is then recorded
    # as delivered, not sent twice); a job still running after this is cancelled, rolled back,
    # and runs again later.
    stop_grace_seconds = 10.0

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        registry: Registry,
        *,
        poll_seconds: float,
    ) -> None:
        super().__init__()
        self._sessions = sessions
        self._registry = registry
        self._poll = poll_seconds
        self._woken = asyncio.Event()

    def wake(self, _job_ids: Sequence[int] = ()) -> None:
        """Called after a commit that enqueued jobs (procurement/jobs/wakeup.py)."""
        self._woken.set()

    async def run_forever(self) -> None:
        while not self.stopping.is_set():
            self._woken.clear()
            try:
                await run_due(self._sessions, self._registry, keep_going=self._keep_going)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be away for a moment: log, wait, go on
                log.exception("job worker pass failed")
            waits = [asyncio.ensure_future(e.wait()) for e in (self._woken, self.stopping)]
            try:
                await asyncio.wait(waits, timeout=self._poll, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiting in waits:
                    waiting.cancel()

    def _keep_going(self) -> bool:
        return not self.stopping.is_set()
