""" "Today" for legal dates: the date in China (UTC+8, no daylight saving), never the server's.

Services take ``today`` as an argument where it matters and fall back to this, so tests and
callers can pin the date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "CST")


def today_in_china() -> date:
    return datetime.now(CHINA).date()
