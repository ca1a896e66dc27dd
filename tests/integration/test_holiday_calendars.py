"""Loading a year's holiday schedule (issue 9) on both backends: only the running clocks that
reach the year are recounted, a reload replaces the year and is audited with what it replaced.
The 2027 schedules here are test data, not the State Council's notice."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.clock import pinned_today
from procurement.errors import ErrorCode, InputError
from procurement.models import AuditEvent, HolidayCalendarYear, ReviewCase
from procurement.permissions import SYSTEM
from procurement.reviews.actions import calendars
from procurement.reviews.actions import cases as reviews
from procurement.reviews.actions import notes as review_notes
from procurement.reviews.store import DeadlineChange, refresh_deadlines_through
from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import FILING_MATERIALS, open_case_id
from tests.support.world import World, row_counts


async def declare(session: AsyncSession, case_id: int) -> None:
    await reviews.triage_review(
        session, SYSTEM, case_id, "DECLARATION_REQUIRED", None, date(2025, 9, 15)
    )
    for material in FILING_MATERIALS:
        await review_notes.attach_declaration_material(
            session, SYSTEM, case_id, material, f"{material}.pdf", material.encode(), max_bytes=1000
        )
    await reviews.record_declaration(session, SYSTEM, case_id, date(2025, 9, 26))


async def test_loading_a_year_recounts_only_the_clocks_that_reach_it(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        with pinned_today(date(2026, 12, 1)):
            # given a special review started on 30 November 2026 (90 working days into 2027)
            special = await open_case_id(session, world.purchase_a_us)
            await declare(session, special)
            await reviews.record_office_decision(
                session, SYSTEM, special, "REVIEW_STARTED", date(2025, 10, 10)
            )
            await reviews.record_office_decision(
                session, SYSTEM, special, "SPECIAL_REVIEW_STARTED", date(2026, 11, 30)
            )
            # and a declaration whose 10 working days ended in October 2025
            done = await open_case_id(session, world.purchase_a_cn)
            await declare(session, done)
            # when 2027 is loaded with Qingming off
            result = await calendars.load_holiday_calendar(
                session, SYSTEM, 2027, ["2027-04-05", "2027-01-01"], [], "first test schedule"
            )
        # then only the special review was recounted, from Qingming to 7 April
        assert (result.replaced, [c.case.id for c in result.recomputed]) == (False, [special])
        assert (result.recomputed[0].due_before, result.recomputed[0].provisional_before) == (
            date(2027, 4, 5),
            True,
        )
    async with db.sessions() as session:
        stored = {
            c.id: (c.deadline_due, c.deadline_provisional)
            for c in await session.scalars(
                select(ReviewCase).where(ReviewCase.id.in_([special, done]))
            )
        }
        assert stored == {special: (date(2027, 4, 7), False), done: (date(2025, 10, 16), False)}
        row = await session.scalar(select(HolidayCalendarYear))
        assert row is not None
        assert (row.year, row.days_off, row.working_weekends, row.source, row.loaded_by) == (
            2027,
            ["2027-01-01", "2027-04-05"],
            [],
            "first test schedule",
            "local command line",
        )
        # when the year is loaded again with 6 April off as well
        again = await calendars.load_holiday_calendar(
            session,
            SYSTEM,
            2027,
            ["2027-01-01", "2027-04-05", "2027-04-06"],
            [],
            "corrected test schedule",
        )
        # then it replaces the first schedule, moves the due date once more, and the audit
        # event keeps what was replaced
        assert (again.replaced, again.recomputed[0].case.deadline_due) == (True, date(2027, 4, 8))
        events = list(
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "holiday_calendar.loaded")
                .order_by(AuditEvent.id)
            )
        )
        assert events[0].before is None
        assert events[1].before is not None and events[1].before["source"] == "first test schedule"
        assert events[1].after is not None
        assert (events[1].after["days_off"], events[1].after["recomputed_case_ids"]) == (
            ["2027-01-01", "2027-04-05", "2027-04-06"],
            [special],
        )
        assert len(list(await session.scalars(select(HolidayCalendarYear)))) == 1


async def test_a_case_changed_while_a_year_is_loaded_makes_the_load_a_conflict(
    db: DatabaseUnderTest, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with db.sessions() as session:
        with pinned_today(date(2026, 12, 1)):
            # given a special review running into 2027
            special = await open_case_id(session, world.purchase_a_us)
            await declare(session, special)
            await reviews.record_office_decision(
                session, SYSTEM, special, "REVIEW_STARTED", date(2025, 10, 10)
            )
            await reviews.record_office_decision(
                session, SYSTEM, special, "SPECIAL_REVIEW_STARTED", date(2026, 11, 30)
            )
    async with db.sessions() as session:
        before = await row_counts(session)
        version = await session.scalar(select(ReviewCase.version).where(ReviewCase.id == special))

    async def changed_meanwhile(session: AsyncSession, year: int) -> list[DeadlineChange]:
        # another request changes the case after the load read it, before the load writes
        changes = await refresh_deadlines_through(session, year)
        with session.no_autoflush:
            await session.execute(
                text("UPDATE review_cases SET version = version + 1 WHERE id = :id"),
                {"id": special},
            )
        return changes

    monkeypatch.setattr(calendars, "refresh_deadlines_through", changed_meanwhile)
    # when 2027 is loaded
    async with db.sessions() as session:
        with pytest.raises(InputError) as raised:
            await calendars.load_holiday_calendar(
                session, SYSTEM, 2027, ["2027-01-01", "2027-04-05"], [], "test schedule"
            )
    # then the load is refused as a conflict and nothing of it is written: the year is not
    # stored, the case keeps its provisional due date, and the only change is the other one
    assert [(e.field, e.code) for e in raised.value.errors] == [(None, ErrorCode.CONFLICT)]
    assert raised.value.errors[0].message == (
        "2027's schedule or a review case it recounts was changed by another request at the "
        "same moment; nothing was saved: try again"
    )
    async with db.sessions() as session:
        assert await row_counts(session) == before
        case = await session.get(ReviewCase, special)
        assert case is not None
        assert (case.deadline_due, case.deadline_provisional, case.version) == (
            date(2027, 4, 5),
            True,
            version,
        )
