"""Deadlines in Chinese working days through the API: National Day 2025 (1-8 October off,
Sunday 28 September and Saturday 11 October worked), pauses for supplementary materials under
both readings of Art. 15, complex cases, overdue judged on a given day, and a due date beyond the
holiday calendar's years."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest

from procurement.clock import pinned_today
from procurement.reviews import is_working_day
from procurement.settings import load_settings
from procurement.web.app import create_app
from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import OFFICE, RECEIVED, REQUEST, call, declare, gid, open_case_id
from tests.support.world import World, gql, row_counts

CASE = """query Q($id: ID!, $asOf: Date) { reviewCase(id: $id) { state deadline
  overdue(asOf: $asOf) pauses { requestedOn receivedOn }
  deadlineInfo { due start workingDays daysCounted suspendedSince basis warnings provisional
  provisionalYears } } }"""


async def declared_case(db: DatabaseUnderTest, world: World, client: httpx.AsyncClient) -> str:
    async with db.sessions() as session:
        case = gid("ReviewCase", await open_case_id(session, world.purchase_a_us))
    await declare(client, world.secrets["reviewer"], case, "2025-09-15", "2025-09-26")
    return case


async def read(
    client: httpx.AsyncClient, world: World, case: str, as_of: str | None = None
) -> dict[str, Any]:
    status, body = await gql(client, world.secrets["reviewer"], CASE, {"id": case, "asOf": as_of})
    assert status == 200 and "errors" not in body, body
    found: dict[str, Any] = body["data"]["reviewCase"]
    return found


async def test_declaration_deadline_skips_the_national_day_holiday(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given a declaration filed on Friday 26 September 2025
    case = await declared_case(db, world, client)
    # then the office's 10 working days end on 16 October: 28 Sep, 29, 30 Sep, 9, 10, 11
    # (a Saturday worked), 13, 14, 15, 16 Oct; 1-8 October are the holiday
    assert await read(client, world, case, "2025-10-16") == {
        "state": "DECLARED",
        "deadline": "2025-10-16",
        "overdue": False,
        "pauses": [],
        "deadlineInfo": {
            "due": "2025-10-16",
            "start": "2025-09-26",
            "workingDays": 10,
            "daysCounted": 10,
            "suspendedSince": None,
            "basis": "Review Measures Art. 9: 10 working days from the office's receipt of "
            "complete declaration materials",
            "warnings": [],
            "provisional": False,
            "provisionalYears": [],
        },
    }
    # and the day after the due date it is overdue
    assert (await read(client, world, case, "2025-10-17"))["overdue"] is True


async def test_supplementary_materials_stop_the_clock_and_resume_it(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    case = await declared_case(db, world, client)
    reviewer = world.secrets["reviewer"]
    # when the office asks for more materials on Thursday 9 October
    asked = await call(
        client, reviewer, REQUEST, caseId=case, requestedOn="2025-10-09", note="Source code audit"
    )
    assert asked["errors"] == []
    # then the request day still counts (Civil Code Art. 201): the deadline is suspended from
    # 10 October after 4 working days (28, 29, 30 September, 9 October) and is never overdue
    suspended = await read(client, world, case, "2026-01-01")
    assert suspended["deadline"] is None and suspended["overdue"] is False
    assert suspended["deadlineInfo"]["due"] is None
    assert suspended["deadlineInfo"]["daysCounted"] == 4
    assert suspended["deadlineInfo"]["suspendedSince"] == "2025-10-10"
    # when the materials arrive on Monday 13 October
    received = await call(client, reviewer, RECEIVED, caseId=case, receivedOn="2025-10-13")
    assert received["errors"] == []
    # then the 3 working days 10, 11 (a Saturday worked) and 13 October do not count: due 21
    # instead of 16 October
    resumed = await read(client, world, case, "2025-10-21")
    assert resumed["deadline"] == "2025-10-21"
    assert resumed["overdue"] is False
    assert resumed["pauses"] == [{"requestedOn": "2025-10-09", "receivedOn": "2025-10-13"}]
    assert resumed["deadlineInfo"]["basis"].endswith(
        "; supplementary-material periods excluded (Review Measures Art. 15; the request day "
        "counts, Civil Code Art. 201)"
    )
    assert (await read(client, world, case, "2025-10-22"))["overdue"] is True


@pytest.fixture
async def client_excluding_request_day(
    db: DatabaseUnderTest,
) -> AsyncIterator[httpx.AsyncClient]:
    """The service configured with the other reading of Art. 15."""
    settings = load_settings(
        {"PROCUREMENT_DATABASE_URL": db.url, "PROCUREMENT_PAUSE_REQUEST_DAY": "excluded"}
    )
    transport = httpx.ASGITransport(app=create_app(settings, engine=db.engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_the_request_day_is_off_the_clock_when_so_configured(
    db: DatabaseUnderTest, world: World, client_excluding_request_day: httpx.AsyncClient
) -> None:
    # given PROCUREMENT_PAUSE_REQUEST_DAY=excluded and the same declaration
    client = client_excluding_request_day
    case = await declared_case(db, world, client)
    reviewer = world.secrets["reviewer"]
    # when materials are asked for on 9 October and received on 13 October
    await call(client, reviewer, REQUEST, caseId=case, requestedOn="2025-10-09")
    suspended = await read(client, world, case)
    await call(client, reviewer, RECEIVED, caseId=case, receivedOn="2025-10-13")
    # then the clock stopped on the request day itself: 4 working days off, due 22 October
    assert suspended["deadlineInfo"]["suspendedSince"] == "2025-10-09"
    resumed = await read(client, world, case)
    assert resumed["deadline"] == "2025-10-22"
    assert resumed["deadlineInfo"]["basis"].endswith(
        "excluded (Review Measures Art. 15; from the request day)"
    )


async def test_pauses_are_refused_when_no_clock_runs_or_one_is_already_open(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    reviewer = world.secrets["reviewer"]
    async with db.sessions() as session:
        pending = gid("ReviewCase", await open_case_id(session, world.purchase_a_cn))
    refused = await call(client, reviewer, REQUEST, caseId=pending, requestedOn="2025-10-09")
    assert refused["errors"] == [
        {
            "field": None,
            "message": "supplementary materials pause the office's clock, which runs only in "
            "DECLARED, UNDER_REVIEW and SPECIAL_REVIEW; the case is PENDING_TRIAGE",
            "code": "INVALID_STATE",
        }
    ]
    nothing = await call(client, reviewer, RECEIVED, caseId=pending, receivedOn="2025-10-09")
    assert nothing["errors"] == [
        {
            "field": None,
            "message": "no supplementary materials are awaited for this case",
            "code": "INVALID_STATE",
        }
    ]
    case = await declared_case(db, world, client)
    await call(client, reviewer, REQUEST, caseId=case, requestedOn="2025-10-09")
    async with db.sessions() as session:
        before = await row_counts(session)
    twice = await call(client, reviewer, REQUEST, caseId=case, requestedOn="2025-10-10")
    assert twice["errors"][0]["message"] == (
        "materials requested on 2025-10-09 are still awaited; record their receipt first"
    )
    early = await call(client, reviewer, RECEIVED, caseId=case, receivedOn="2025-10-08")
    assert early["errors"][0]["field"] == "receivedOn"
    async with db.sessions() as session:
        assert await row_counts(session) == before


@pytest.mark.parametrize(("complex", "due"), [(False, "2025-11-20"), (True, "2025-12-11")])
async def test_preliminary_review_takes_30_or_45_working_days(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient, complex: bool, due: str
) -> None:
    case = await declared_case(db, world, client)
    started = await call(
        client,
        world.secrets["reviewer"],
        OFFICE,
        caseId=case,
        decision="REVIEW_STARTED",
        on="2025-10-10",
        complex=complex,
    )
    assert (started["reviewCase"]["complex"], started["reviewCase"]["deadline"]) == (complex, due)


async def test_marking_a_running_review_complex_extends_it(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    case = await declared_case(db, world, client)
    reviewer = world.secrets["reviewer"]
    await call(client, reviewer, OFFICE, caseId=case, decision="REVIEW_STARTED", on="2025-10-10")
    marked = await call(
        client, reviewer, OFFICE, caseId=case, decision="MARKED_COMPLEX", on="2025-11-03"
    )
    assert (marked["reviewCase"]["complex"], marked["reviewCase"]["deadline"]) == (
        True,
        "2025-12-11",
    )
    again = await call(
        client, reviewer, OFFICE, caseId=case, decision="MARKED_COMPLEX", on="2025-11-04"
    )
    assert again["errors"] == [
        {"field": "decision", "message": "the case is already complex", "code": "INVALID_STATE"}
    ]


async def test_a_due_date_beyond_the_calendar_counts_weekends_only_and_warns(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    if is_working_day(date(2027, 1, 4))[1]:
        pytest.skip("the installed chinese-calendar knows 2027; pick a later year")
    case = await declared_case(db, world, client)
    reviewer = world.secrets["reviewer"]
    await call(client, reviewer, OFFICE, caseId=case, decision="REVIEW_STARTED", on="2025-10-10")
    # when a special review starts on 2 November 2026: 90 working days run into 2027
    with pinned_today(date(2026, 11, 2)):
        special = await call(
            client, reviewer, OFFICE, caseId=case, decision="SPECIAL_REVIEW_STARTED",
            on="2026-11-02",
        )  # fmt: skip
    assert special["errors"] == []
    # then the due date counts Monday-Friday in 2027, says so and is flagged provisional
    info = (await read(client, world, case))["deadlineInfo"]
    assert info["due"] == "2027-03-08"
    assert info["warnings"] == [
        "Chinese holiday calendar unknown for 2027: Monday-Friday counted as working days, "
        "statutory holidays and adjusted working weekends not applied; the date is provisional "
        "until 2027's holiday schedule is loaded"
    ]
    assert (info["provisional"], info["provisionalYears"]) == (True, [2027])
