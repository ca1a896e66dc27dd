"""When a failed job runs again (procurement/jobs/backoff.py)."""

from __future__ import annotations

from datetime import timedelta

from procurement.jobs.backoff import DEFAULT_MAX_ATTEMPTS, retry_delay


def test_each_failed_attempt_waits_longer_then_hourly() -> None:
    # given the attempts made so far, when asking how long to wait before the next
    delays = [retry_delay(n) for n in range(1, 7)]
    # then 30 s, 2 min, 10 min, 1 h, and 1 h from then on
    assert delays == [
        timedelta(seconds=30),
        timedelta(minutes=2),
        timedelta(minutes=10),
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=1),
    ]
    assert DEFAULT_MAX_ATTEMPTS == 3
