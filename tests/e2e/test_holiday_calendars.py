"""Holiday schedules as data over HTTP (issue 9): until 2027 is loaded its deadlines are
provisional everywhere they are listed; an admin's loadHolidayCalendar recounts them, is audited,
and refuses a bad schedule field by field without writing anything.

The 2027 schedule here is test data (1 January and 5 April off, Saturday 20 February worked),
not the State Council's notice, which had not been published when this was written."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy import select

from procurement.clock import pinned_today
from procurement.models import AuditEvent
from procurement.reviews.holidays import PACKAGE_SOURCE
from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import OFFICE, TRIAGE, call, declare, gid, open_case_id
from tests.support.world import World, gql, row_counts

LOAD = """mutation M($input: LoadHolidayCalendarInput!) { loadHolidayCalendar(input: $input) {
  holidayCalendar { year status source daysOff workingWeekends loadedBy } recomputedCases
  errors { field message code } } }"""
PENDING = """{ pendingReviews(first: 10, asOf: "2026-12-16") { edges { node {
  state deadline deadlineProvisional } } } }"""
PROVISIONAL_ONLY = """{ pendingReviews(first: 10, filter: {provisional: true}) { totalCount } }"""
YEARS = """{ holidayCalendars(throughYear: 2027) { year status source } }"""
SCHEDULE_2027 = {
    "year": 2027,
    "daysOff": ["2027-01-01", "2027-04-05"],
    "workingWeekends": ["2027-02-20"],
    "source": "Test schedule for 2027 (not the official notice)",
}


async def query(client: httpx.AsyncClient, secret: str, document: str) -> dict[str, Any]:
    status, body = await gql(client, secret, document)
    assert status == 200 and "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def cases_into_2027(db: DatabaseUnderTest, world: World, client: httpx.AsyncClient) -> None:
    """A special review started on 30 November 2026 and a preliminary one on 15 December."""
    reviewer = world.secrets["reviewer"]
    async with db.sessions() as session:
        special = gid("ReviewCase", await open_case_id(session, world.purchase_a_us))
        preliminary = gid("ReviewCase", await open_case_id(session, world.purchase_a_cn))
    for case in (special, preliminary):
        await declare(client, reviewer, case, "2025-09-15", "2025-09-26")
    await call(client, reviewer, OFFICE, caseId=special, decision="REVIEW_STARTED", on="2025-10-10")
    for case, decision, on in (
        (special, "SPECIAL_REVIEW_STARTED", "2026-11-30"),
        (preliminary, "REVIEW_STARTED", "2026-12-15"),
    ):
        moved = await call(client, reviewer, OFFICE, caseId=case, decision=decision, on=on)
        assert moved["errors"] == [], moved


async def test_loading_2027_recounts_the_open_deadlines_that_reach_it(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    with pinned_today(date(2026, 12, 16)):
        # given two reviews whose 90 and 30 working days run into 2027, which nobody loaded
        await cases_into_2027(db, world, client)
        reviewer, admin = world.secrets["reviewer"], world.secrets["admin"]
        # then the list shows their Monday-Friday dates (Qingming, and 26 January counting New
        # Year's Day) flagged provisional without anyone selecting deadlineInfo
        listed = await query(client, reviewer, PENDING)
        assert [e["node"] for e in listed["pendingReviews"]["edges"]] == [
            {"state": "UNDER_REVIEW", "deadline": "2027-01-26", "deadlineProvisional": True},
            {"state": "SPECIAL_REVIEW", "deadline": "2027-04-05", "deadlineProvisional": True},
        ]
        assert (await query(client, reviewer, PROVISIONAL_ONLY))["pendingReviews"] == {
            "totalCount": 2
        }
        # when an admin loads 2027's schedule
        status, body = await gql(client, admin, LOAD, {"input": SCHEDULE_2027})
        # then it is stored as official, and both deadlines are recounted
        assert (status, body) == (
            200,
            {
                "data": {
                    "loadHolidayCalendar": {
                        "holidayCalendar": {
                            "year": 2027,
                            "status": "OFFICIAL",
                            "source": "Test schedule for 2027 (not the official notice)",
                            "daysOff": ["2027-01-01", "2027-04-05"],
                            "workingWeekends": ["2027-02-20"],
                            "loadedBy": "admin user",
                        },
                        "recomputedCases": 2,
                        "errors": [],
                    }
                }
            },
        )
        # and New Year's Day and Qingming are skipped, Saturday 20 February counted
        listed = await query(client, reviewer, PENDING)
        assert [e["node"] for e in listed["pendingReviews"]["edges"]] == [
            {"state": "UNDER_REVIEW", "deadline": "2027-01-27", "deadlineProvisional": False},
            {"state": "SPECIAL_REVIEW", "deadline": "2027-04-06", "deadlineProvisional": False},
        ]
        assert (await query(client, reviewer, PROVISIONAL_ONLY))["pendingReviews"] == {
            "totalCount": 0
        }
    # and the load and each recount are audit events
    async with db.sessions() as session:
        actions = list(
            await session.scalars(
                select(AuditEvent.action)
                .where(
                    AuditEvent.action.in_(
                        ["holiday_calendar.loaded", "review_case.deadline_recomputed"]
                    )
                )
                .order_by(AuditEvent.id)
            )
        )
    assert actions == [
        "holiday_calendar.loaded",
        "review_case.deadline_recomputed",
        "review_case.deadline_recomputed",
    ]


async def test_holiday_calendars_list_each_year_with_its_source(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    reviewer = world.secrets["reviewer"]
    # given nothing loaded: the package's years are official, 2027 provisional
    years = (await query(client, reviewer, YEARS))["holidayCalendars"]
    assert years[0] == {"year": 2004, "status": "OFFICIAL", "source": PACKAGE_SOURCE}
    assert years[-2:] == [
        {"year": 2026, "status": "OFFICIAL", "source": PACKAGE_SOURCE},
        {"year": 2027, "status": "PROVISIONAL", "source": None},
    ]
    assert len(years) == 24
    # when 2027 is loaded, then it is official with its notice
    await gql(client, world.secrets["admin"], LOAD, {"input": SCHEDULE_2027})
    years = (await query(client, reviewer, YEARS))["holidayCalendars"]
    assert years[-1] == {"year": 2027, "status": "OFFICIAL", "source": SCHEDULE_2027["source"]}


async def test_a_bad_schedule_is_refused_field_by_field_and_nothing_is_written(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    # when an admin sends a day of 2026, a weekday as a working weekend and a day both off
    # and worked
    bad = SCHEDULE_2027 | {
        "daysOff": ["2027-01-01", "2026-10-01", "2027-02-20"],
        "workingWeekends": ["2027-02-22", "2027-02-20"],
    }
    status, body = await gql(client, world.secrets["admin"], LOAD, {"input": bad})
    # then each problem names its element, and no row changed, the audit log included
    assert (status, body["data"]["loadHolidayCalendar"]) == (
        200,
        {
            "holidayCalendar": None,
            "recomputedCases": 0,
            "errors": [
                {
                    "field": "daysOff[1]",
                    "message": "2026-10-01 is not in 2027",
                    "code": "OUT_OF_RANGE",
                },
                {
                    "field": "workingWeekends[0]",
                    "message": "2027-02-22 is a Monday: only a Saturday or Sunday can be an "
                    "adjusted working day",
                    "code": "INVALID",
                },
                {
                    "field": "workingWeekends[1]",
                    "message": "2027-02-20 is also listed as a day off (daysOff[2])",
                    "code": "CONFLICT",
                },
            ],
        },
    )
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_only_admins_load_a_schedule_and_vendors_cannot_list_them(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    async with db.sessions() as session:
        before = await row_counts(session)
    status, body = await gql(client, world.secrets["reviewer"], LOAD, {"input": SCHEDULE_2027})
    assert status == 200 and body["data"] == {"loadHolidayCalendar": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    status, body = await gql(client, world.secrets["vendor"], YEARS)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    async with db.sessions() as session:
        assert await row_counts(session) == before


async def test_a_triage_dated_before_the_case_opened_is_refused(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given a case opened when the world was built, on 1 April 2025
    async with db.sessions() as session:
        case = gid("ReviewCase", await open_case_id(session, world.purchase_a_us))
        before = await row_counts(session)
    # when a triage is dated the day before
    refused = await call(
        client,
        world.secrets["reviewer"],
        TRIAGE,
        caseId=case,
        decision="DECLARATION_REQUIRED",
        on="2025-03-31",
    )
    # then it is refused against the case's history, and nothing changed
    assert refused == {
        "reviewCase": None,
        "errors": [
            {
                "field": "on",
                "message": "2025-03-31 is before the case was opened on 2025-04-01",
                "code": "OUT_OF_RANGE",
            }
        ],
    }
    async with db.sessions() as session:
        assert await row_counts(session) == before
    # and the opening day itself is accepted
    accepted = await call(
        client,
        world.secrets["reviewer"],
        TRIAGE,
        caseId=case,
        decision="DECLARATION_REQUIRED",
        on="2025-04-01",
    )
    assert accepted["errors"] == []
