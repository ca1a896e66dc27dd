"""When a failed job runs again (pure): 30 s, 2 min, 10 min, 1 h, then every 1 h."""

from __future__ import annotations

from datetime import timedelta

RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
)
DEFAULT_MAX_ATTEMPTS = 3


def retry_delay(attempts_made: int) -> timedelta:
    """How long to wait after the ``attempts_made``-th failed attempt (1 for the first)."""
    index = min(max(attempts_made, 1), len(RETRY_DELAYS)) - 1
    return RETRY_DELAYS[index]
