"""At most a few GraphQL operations execute at once in a process; the others wait their turn.

One server process runs every request on one event loop and one core. Past that core's capacity,
letting every request in makes each one dearer: measured with `bench/load_mix.py --mix read` at
100 requests/s against one SQLite `serve`, with every request admitted the server spent 13.7-15.2
ms of CPU per request and answered 60-61 per second (p95 15.7 s). With four executing at once it
spent 12.0-12.5 ms and answered 67-72 per second (p95 5.5-7.3 s): fewer pooled connections
(each an aiosqlite thread contending for the interpreter), fewer half-done requests in memory.
Below capacity the limit changes nothing: requests rarely overlap.

The wait is first come, first served, and bounded: a request that waits longer than its limit is
answered 503 with Retry-After, as for an exhausted connection pool. The body has been read and
the caller authenticated before the wait, so a slow client never holds a turn while it sends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Busy(Exception):
    """No turn came within the wait limit."""


class Turns:
    """``capacity`` operations at once (0: no limit), each waiting at most ``wait_seconds``."""

    def __init__(self, capacity: int, wait_seconds: float) -> None:
        self.capacity = capacity
        self.wait_seconds = wait_seconds
        self._slots = asyncio.Semaphore(capacity) if capacity > 0 else None

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Held while the operation executes; raises Busy when the wait runs out."""
        slots = self._slots
        if slots is None:
            yield
            return
        try:
            async with asyncio.timeout(self.wait_seconds):
                await slots.acquire()
        except TimeoutError:
            raise Busy from None
        try:
            yield
        finally:
            slots.release()
