"""A loop the app starts in its lifespan and stops when it stops: the in-process job worker and
the periodic passes of the embedded SQLite default (notification checks, retention)."""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger("procurement.jobs")


class BackgroundLoop:
    """Subclasses give the task's ``name`` and its ``run_forever``.

    ``stop`` first sets ``stopping`` and lets the loop finish the unit of work it is in for up to
    ``stop_grace_seconds``; a loop that checks ``stopping`` between units then ends by itself.
    Whatever is still running after that is cancelled. A grace matters where cancelling half-way
    repeats an effect outside the database: a notice sent whose delivery was not yet committed
    is sent again when its job runs again."""

    name = "background-loop"
    stop_grace_seconds = 0.0

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None
        self.stopping = asyncio.Event()

    def start(self) -> None:
        self.stopping.clear()
        self._task = asyncio.create_task(self.run_forever(), name=self.name)

    async def stop(self) -> bool:
        """Stop the loop; True when it ended by itself within the grace, False when it had to be
        cancelled (logged where a grace was given)."""
        if self._task is None:
            return True
        self.stopping.set()
        if self.stop_grace_seconds > 0:
            await asyncio.wait({self._task}, timeout=self.stop_grace_seconds)
        ended = self._task.done()
        if not ended and self.stop_grace_seconds > 0:
            log.warning("%s still busy %.0f s after stop: cancelled", self.name,
                        self.stop_grace_seconds)  # fmt: skip
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        self._task = None
        return ended

    async def run_forever(self) -> None:
        raise NotImplementedError
