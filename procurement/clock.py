""" "Today" for legal dates: the date in China (UTC+8, no daylight saving), never the server's.

Services take ``today`` as an argument where it matters and fall back to this, so tests and
callers can pin the date; :func:`pinned_today` pins it for a whole block of work (a test, or the
demo loader replaying dated records), in this task only: the pin is a context variable, so
concurrent requests of a running service never see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "CST")

_pinned: ContextVar[date | None] = ContextVar("procurement_pinned_today", default=None)


def today_in_china() -> date:
    pinned = _pinned.get()
    return pinned if pinned is not None else datetime.now(CHINA).date()


@contextmanager
def pinned_today(day: date) -> Iterator[None]:
    """Within the block (and tasks started from it) :func:`today_in_china` returns ``day``."""
    token = _pinned.set(day)
    try:
        yield
    finally:
        _pinned.reset(token)
