"""Two review decisions on one case at the same time, as real concurrent requests through the
app on both databases: exactly one wins, the other is refused with CONFLICT (or, if it started
after the winner committed, with INVALID_STATE), and the case's history never contradicts itself
(issue 11: both succeeded in 40 of 40 pairs, leaving open cases with closed_at set)."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select

from procurement.errors import InputError
from procurement.models import ReviewCase, ReviewEvent
from procurement.permissions import SYSTEM
from procurement.reviews.actions.cases import record_office_decision
from tests.support.databases import DatabaseUnderTest
from tests.support.reviews import OFFICE, declare, gid, open_case_id
from tests.support.world import World, gql


async def test_two_office_decisions_at_once_leave_one_consistent_outcome(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    reviewer = world.secrets["reviewer"]
    async with db.sessions() as session:
        case_pk = await open_case_id(session, world.purchase_a_us)
    case = gid("ReviewCase", case_pk)
    await declare(client, reviewer, case, "2025-09-15", "2025-09-26")

    async def decide(decision: str) -> dict[str, object]:
        _status, body = await gql(
            client,
            reviewer,
            OFFICE,
            {"input": {"caseId": case, "decision": decision, "on": "2025-10-10"}},
        )
        payload: dict[str, object] = body["data"]["recordOfficeDecision"]
        return payload

    # when the office's two contradictory decisions are recorded at the same moment
    started, not_needed = await asyncio.gather(decide("REVIEW_STARTED"), decide("NO_REVIEW_NEEDED"))
    # then exactly one went through and the other was refused with a reason
    outcomes = [started, not_needed]
    winners = [p for p in outcomes if p["errors"] == []]
    losers = [p for p in outcomes if p["errors"] != []]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    refusals: list[dict[str, str]] = losers[0]["errors"]  # type: ignore[assignment]
    assert len(refusals) == 1
    assert refusals[0]["code"] in {"CONFLICT", "INVALID_STATE"}
    # and the stored case agrees with its one history entry
    async with db.sessions() as session:
        stored = await session.get(ReviewCase, case_pk)
        transitions = list(
            await session.scalars(
                select(ReviewEvent.to_state).where(
                    ReviewEvent.case_id == case_pk, ReviewEvent.from_state == "DECLARED"
                )
            )
        )
    assert stored is not None
    assert transitions == [stored.state]
    assert (stored.closed_at is None) == (stored.open_purchase_id is not None)


async def test_a_decision_on_a_case_read_before_another_changed_it_is_a_conflict(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    # given a declared case, read by one request (its session holds the DECLARED row)
    reviewer = world.secrets["reviewer"]
    async with db.sessions() as setup:
        case_pk = await open_case_id(setup, world.purchase_a_us)
    await declare(client, reviewer, gid("ReviewCase", case_pk), "2025-09-15", "2025-09-26")
    async with db.sessions() as slow, db.sessions() as fast:
        seen = await slow.get(ReviewCase, case_pk)  # kept: the identity map holds it weakly
        assert seen is not None and seen.state == "DECLARED"
        # when another request moves the case first, and then the first decides on what it read
        winner = await record_office_decision(fast, SYSTEM, case_pk, "REVIEW_STARTED", "2025-10-10")
        version_after_winner = winner.version
        try:
            await record_office_decision(slow, SYSTEM, case_pk, "NO_REVIEW_NEEDED", "2025-10-10")
        except InputError as refused:
            error = refused.errors[0]
        else:
            raise AssertionError("the stale decision went through")
    # then the late one is refused as a conflict that names the state the case is in now
    assert (error.field, error.code) == (None, "CONFLICT")
    assert error.message == (
        "the review case was changed by another request at the same moment and is now "
        "UNDER_REVIEW; nothing was saved: reload it and try again"
    )
    async with db.sessions() as session:
        stored = await session.get(ReviewCase, case_pk)
        transitions = list(
            await session.scalars(
                select(ReviewEvent.to_state).where(
                    ReviewEvent.case_id == case_pk, ReviewEvent.from_state == "DECLARED"
                )
            )
        )
    # and the loser wrote nothing: the row is as the winner left it
    assert stored is not None and stored.state == "UNDER_REVIEW"
    assert stored.version == version_after_winner
    assert transitions == ["UNDER_REVIEW"]
