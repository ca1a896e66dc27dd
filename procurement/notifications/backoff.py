"""When to try a failed delivery again (pure): 1 min, 5 min, 30 min, 2 h, then give up."""

from __future__ import annotations

from datetime import datetime, timedelta

RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def next_attempt(attempts_made: int, now: datetime) -> datetime | None:
    """The time of the next attempt after ``attempts_made`` failed ones, or None: give up."""
    if attempts_made < 1:
        return now
    if attempts_made > len(RETRY_DELAYS):
        return None
    return now + RETRY_DELAYS[attempts_made - 1]
