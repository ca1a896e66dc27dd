"""Holiday schedules as data (admins): load a year's State Council notice, list the years known.

Loading a year replaces that year's schedule (the package's, or one loaded before) and recounts
every running review clock that can reach the year, in the same transaction as the audit events.
A recounted case changed by another request meanwhile makes the load a CONFLICT (row versions).

Known gap: a case action that starts a clock while a load runs counts with the schedules it read
before the load committed; the load does not see that case yet (not in a clock state when it
looked), so its due date may stay counted without the new year (still flagged provisional) until
the case next moves or the year is loaded again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from procurement import audit
from procurement.db import utcnow
from procurement.errors import ErrorCode, InputError
from procurement.models import HolidayCalendarYear
from procurement.permissions import Action, Principal, require
from procurement.reviews.holidays import YearSchedule, validate_schedule
from procurement.reviews.messages import said
from procurement.reviews.store import DeadlineChange, audit_case, refresh_deadlines_through
from procurement.texts import Text


@dataclass(frozen=True, slots=True)
class CalendarLoad:
    row: HolidayCalendarYear
    replaced: bool  # a schedule for the year had been loaded before
    recomputed: list[DeadlineChange]


def _iso(days: frozenset[date]) -> list[str]:
    return [d.isoformat() for d in sorted(days)]


async def load_holiday_calendar(
    session: AsyncSession,
    principal: Principal,
    year: Any,
    days_off: Sequence[Any],
    working_weekends: Sequence[Any],
    source: Any,
) -> CalendarLoad:
    """Store ``year``'s schedule (every input problem at once, nothing written on error) and
    recount the open deadlines it affects."""
    require(principal, Action.MANAGE_HOLIDAY_CALENDARS)
    schedule = validate_schedule(year, days_off, working_weekends, source)
    try:
        loaded = await _store(session, principal, schedule)
        await session.commit()
    except (IntegrityError, StaleDataError):
        # Another admin loaded the same year, or a case it recounts was changed, at the same
        # moment: nothing of this load is kept.
        await session.rollback()
        clash = Text("reviews.holidays.conflict", {"year": schedule.year})
        raise InputError([said(None, clash, ErrorCode.CONFLICT)]) from None
    return loaded


async def _store(
    session: AsyncSession, principal: Principal, schedule: YearSchedule
) -> CalendarLoad:
    row = await session.scalar(
        select(HolidayCalendarYear).where(HolidayCalendarYear.year == schedule.year)
    )
    before = None if row is None else audit.snapshot(row, exclude=frozenset({"id"}))
    if row is None:
        row = HolidayCalendarYear(year=schedule.year)
        session.add(row)
    row.days_off = _iso(schedule.days_off)
    row.working_weekends = _iso(schedule.working_weekends)
    row.source = schedule.source
    row.loaded_by = principal.name
    row.loaded_by_token_id = principal.token_id
    row.loaded_at = utcnow()
    await session.flush()
    changes = await refresh_deadlines_through(session, schedule.year)
    audit.record(
        session,
        principal,
        "holiday_calendar.loaded",
        "HolidayCalendarYear",
        row.id,
        before=before,
        after=audit.snapshot(row, exclude=frozenset({"id"}))
        | {"recomputed_case_ids": [c.case.id for c in changes]},
    )
    for change in changes:
        audit_case(
            session,
            principal,
            "review_case.deadline_recomputed",
            change.case,
            holiday_calendar_year=schedule.year,
            deadline_due_before=change.due_before,
            deadline_due=change.case.deadline_due,
            deadline_provisional=change.case.deadline_provisional,
        )
    await session.flush()
    return CalendarLoad(row, before is not None, changes)
