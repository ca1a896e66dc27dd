"""A loop the app starts in its lifespan and cancels when it stops: the in-process job worker and
the periodic passes of the embedded SQLite default (notification checks, retention)."""

from __future__ import annotations

import asyncio


class BackgroundLoop:
    """Subclasses give the task's ``name`` and its ``run_forever``."""

    name = "background-loop"

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self.run_forever(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def run_forever(self) -> None:
        raise NotImplementedError
