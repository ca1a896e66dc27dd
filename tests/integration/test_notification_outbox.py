"""The outbox: a change writes its notification event in its own transaction; the dispatcher fans
it out to the subscribers that may read it, in their language, and never to others."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from procurement.enums import NotificationKind, Role
from procurement.models import (
    NotificationAttempt,
    NotificationDelivery,
    NotificationEvent,
    ReviewCase,
)
from procurement.notifications.dispatcher import run_once
from procurement.notifications.store import fan_out
from procurement.permissions import SYSTEM
from procurement.registry.actions import tokens
from procurement.reviews.actions import cases as reviews
from procurement.reviews.state_machine import PrepareDeclaration
from procurement.reviews.store import apply_transition
from procurement.screening.actions.advisories import import_advisories
from tests.integration.test_advisories import COMPONENTS, osv_file
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import run_jobs
from tests.support.notifications import Recorder, events, subscribe, token_id
from tests.support.reviews import SbomSpec, insert_sbom, open_case_id
from tests.support.world import World

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 10:00 in China, a Monday
CASE_CHANGED = NotificationKind.REVIEW_CASE_CHANGED.value


async def _event_count(db: DatabaseUnderTest) -> int:
    async with db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(NotificationEvent)) or 0)


async def test_a_case_transition_writes_one_event_in_its_transaction(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the US purchase's open case and the events the world's set-up wrote
    async with db.sessions() as session:
        case_id = await open_case_id(session, world.purchase_a_us)
    before = await _event_count(db)
    # when a reviewer triages it
    async with db.sessions() as session:
        await reviews.triage_review(
            session, SYSTEM, case_id, "DECLARATION_REQUIRED", None, date(2025, 9, 15)
        )
    # then exactly one event was written, saying what changed
    async with db.sessions() as session:
        new = (await events(session))[before:]
    assert [(e.kind, e.object_type, e.object_id, e.purchase_id, e.operator_id) for e in new] == [
        (CASE_CHANGED, "ReviewCase", case_id, world.purchase_a_us, world.operator_a)
    ]
    assert new[0].facts == {
        "purchase_id": world.purchase_a_us,
        "state": "DECLARATION_PREPARED",
        "from_state": "PENDING_TRIAGE",
    }
    assert new[0].fanned_out_at is None


async def test_a_rolled_back_change_writes_no_event(db: DatabaseUnderTest, world: World) -> None:
    # given the open case
    async with db.sessions() as session:
        case_id = await open_case_id(session, world.purchase_a_us)
    before = await _event_count(db)
    async with db.sessions() as session:
        case = await session.get_one(ReviewCase, case_id)
        # when the transition is applied (audit and outbox written) but the change rolls back
        await apply_transition(session, SYSTEM, case, PrepareDeclaration(date(2025, 9, 15)))
        await session.flush()
        await session.rollback()
    # then no event is left behind
    assert await _event_count(db) == before


async def test_fan_out_reaches_only_those_who_may_read_it(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        case_id = await open_case_id(session, world.purchase_a_us)
        # given the events of the world's set-up already fanned out (to nobody: no subscriptions)
        await run_once(db.sessions, Recorder(), now=NOW)
        # and subscriptions to every kind: operator A's reviewer (Chinese), the vendor, a buyer
        # of operator B, an auditor of operator A, and a team address of operator A (English)
        reviewer = await subscribe(session, token="reviewer user", language="zh-CN")
        vendor = await subscribe(session, token="vendor user")
        buyer_b = await subscribe(session, token="B buyer")
        auditor = await subscribe(session, token="auditor user")
        team = await subscribe(session, operator_id=world.operator_a, role=Role.REVIEWER)
        # when the case moves
        await reviews.triage_review(
            session, SYSTEM, case_id, "DECLARATION_REQUIRED", None, date(2025, 9, 15)
        )
    recorder = Recorder()
    result = await run_once(db.sessions, recorder, now=NOW)
    # then the reviewer, the auditor and the team are told; the vendor and operator B are not
    async with db.sessions() as session:
        rows = list(await session.scalars(select(NotificationDelivery)))
    assert sorted(d.subscription_id for d in rows) == sorted([reviewer, auditor, team])
    assert vendor not in [d.subscription_id for d in rows] and buyer_b not in [
        d.subscription_id for d in rows
    ]
    assert (result.fanned_out, result.attempted, result.delivered) == (3, 3, 3)
    # and each in its own language, with a stable notice id per delivery
    texts = {n.notice_id: (n.language.value, n.title, n.lines[:2]) for _t, n in recorder.sent}
    by_sub = {d.subscription_id: texts[d.notice_id] for d in rows}
    assert by_sub[reviewer] == (
        "zh-CN",
        "审查案件状态变更",
        ("采购：Storage array（Northwind Storage）", "状态：待分诊 → 申报准备中"),
    )
    assert by_sub[team] == (
        "en",
        "Review case changed state",
        (
            "Purchase: Storage array (Northwind Storage)",
            "State: PENDING_TRIAGE → DECLARATION_PREPARED",
        ),
    )
    # and nothing is sent twice
    again = await run_once(db.sessions, recorder, now=NOW)
    assert (again.fanned_out, again.attempted, len(recorder.sent)) == (0, 0, 3)


async def test_a_revoked_account_is_not_sent_what_was_queued_for_it(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a notice queued for the reviewer
    async with db.sessions() as session:
        case_id = await open_case_id(session, world.purchase_a_us)
        await run_once(db.sessions, Recorder(), now=NOW)  # the world's events, to nobody
        await subscribe(session, token="reviewer user", kinds=[CASE_CHANGED])
        await reviews.triage_review(
            session, SYSTEM, case_id, "DECLARATION_REQUIRED", None, date(2025, 9, 15)
        )
        assert await fan_out(session, NOW) == 1
        await session.commit()
        # when the reviewer's token is revoked before the dispatcher sends it
        await tokens.revoke_token(session, SYSTEM, await token_id(session, "reviewer user"))
    recorder = Recorder()
    result = await run_once(db.sessions, recorder, now=NOW)
    # then nothing is sent, and the delivery says why
    async with db.sessions() as session:
        [delivery] = list(await session.scalars(select(NotificationDelivery)))
        [attempt] = list(await session.scalars(select(NotificationAttempt)))
    assert (recorder.sent, result.failed, delivery.status.value) == ([], 1, "FAILED")
    assert attempt.detail == "recipient may no longer receive this notice"


async def test_an_advisory_that_hits_a_purchase_is_one_event_and_only_once(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a purchase whose SBOM has lodash 4.17.20
    async with db.sessions() as session:
        await insert_sbom(session, world.purchase_a_cn, SbomSpec(components=COMPONENTS))
        await session.commit()
        before = len(await events(session))
        # when the lodash advisory is imported, then imported again
        await import_advisories(session, SYSTEM, "osv.json", osv_file("GHSA-35jh-r3h4-6jhm"))
        await run_jobs(db)  # the re-match job the import enqueued
        await import_advisories(session, SYSTEM, "osv.json", osv_file("GHSA-35jh-r3h4-6jhm"))
        await run_jobs(db)
        new = [e for e in (await events(session))[before:] if e.kind == "screening.advisory_hit"]
    # then one event names the purchase and the new vulnerability
    assert [(e.purchase_id, e.operator_id, e.facts) for e in new] == [
        (
            world.purchase_a_cn,
            world.operator_a,
            {
                "purchase_id": world.purchase_a_cn,
                "vulnerability_ids": ["GHSA-35jh-r3h4-6jhm"],
                "open_count": 1,
                "trigger": "advisories.imported",
            },
        )
    ]
