"""Slowing down whoever keeps presenting bad tokens: after too many failed authentications from
one client address, or with one token prefix, within a window, further attempts get 429 with
Retry-After until the window has passed. Per process: with several app processes an attacker
gets that many tries per process, still a small fraction of what guessing needs."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_FAILURES = 10
WINDOW_SECONDS = 300.0
# Keys tracked at most: a client inventing a new token prefix per request must not grow memory
# without bound; past this, keys whose last failure left the window are dropped first.
MAX_KEYS = 10_000


class TooManyFailedAttempts(Exception):
    """Refused before looking at the token: this client or token prefix failed too often."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed authentications; try again in {retry_after} seconds")
        self.message = str(self)
        self.retry_after = retry_after


@dataclass
class FailedAuthentications:
    """Failure times per key (``address:...`` and ``prefix:...``), oldest first."""

    max_failures: int = MAX_FAILURES
    window: float = WINDOW_SECONDS
    max_keys: int = MAX_KEYS
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def _now(self) -> float:
        return self.clock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and now - times[0] >= self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def check(self, keys: list[str]) -> None:
        """Raise TooManyFailedAttempts when any key has used up its failures."""
        now = self._now()
        waits = [
            times[0] + self.window - now
            for key in keys
            if len(times := self._recent(key, now)) >= self.max_failures
        ]
        if waits:
            raise TooManyFailedAttempts(max(1, int(max(waits)) + 1))

    def failed(self, keys: list[str]) -> bool:
        """Count a failure; True when it is the one that starts the refusals (to audit once)."""
        now = self._now()
        if len(self._failures) + len(keys) > self.max_keys:
            self._prune(now)
        started = False
        for key in keys:
            times = self._recent(key, now)
            times.append(now)
            self._failures[key] = times
            started = started or len(times) == self.max_failures
        return started

    def _prune(self, now: float) -> None:
        """Drop keys with no failure in the window; if that is not enough, the stalest keys."""
        for key in [k for k, times in self._failures.items() if now - times[-1] >= self.window]:
            del self._failures[key]
        excess = len(self._failures) - self.max_keys // 2
        if excess > 0:
            stalest = sorted(self._failures, key=lambda k: self._failures[k][-1])[:excess]
            for key in stalest:
                del self._failures[key]
