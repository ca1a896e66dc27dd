"""What a vendor hears: only its SBOMs and the agreements sent to it, never screening, advisories,
reviews, supervision or fines, even when subscribed to every kind. Every trigger is exercised, and
an internal subscriber hears of each, so the vendor's silence is not an empty outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from procurement.agreements.actions.supervision import (
    SupervisionCheckInput,
    record_supervision_check,
)
from procurement.job_kinds import REGISTRY
from procurement.models import NotificationDelivery, NotificationSubscription, ReviewCase
from procurement.notifications import delivery_jobs
from procurement.notifications.checks import run_checks
from procurement.notifications.dispatcher import run_once
from procurement.permissions import SYSTEM
from procurement.reviews.actions import cases as reviews
from procurement.sboms.actions import SbomRejectedError, ingest_sbom
from procurement.screening.actions.advisories import import_advisories
from tests.integration.test_advisories import COMPONENTS, osv_file
from tests.support.agreements import build_agreements
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import run_jobs
from tests.support.notifications import Recorder, subscribe
from tests.support.reviews import SbomSpec, insert_sbom, open_case_id
from tests.support.sbom_docs import COMMONS, firmware_sbom
from tests.support.world import World

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
FORBIDDEN = ("screen", "risk", "fine", "penalt", "verdict", "vulnerab", "review", "advisor",
             "obligation", "筛查", "风险", "罚", "漏洞", "审查", "义务")  # fmt: skip
VENDOR_KINDS = {"sbom.uploaded", "sbom.refused", "agreement.sent", "agreement.signed"}


async def _every_trigger(db: DatabaseUnderTest, world: World, recorder: Recorder) -> None:
    """One event of every kind about operator A's purchases from the vendor CN; the jobs that
    run meanwhile deliver what is fanned out by then through ``recorder``."""
    async with db.sessions() as session:
        agreements = await build_agreements(session, world)  # sent and signed
        await record_supervision_check(
            session,
            SYSTEM,
            SupervisionCheckInput(agreements.obligation, "NOT_MET", evidence="no SBOM yet"),
        )
        case_id = await open_case_id(session, world.purchase_a_cn)
        await reviews.triage_review(
            session, SYSTEM, case_id, "DECLARATION_REQUIRED", None, date(2025, 9, 15)
        )
        await session.execute(
            update(ReviewCase).where(ReviewCase.id == case_id).values(deadline_due=date(2026, 2, 2))
        )
        await session.commit()
        await ingest_sbom(
            session, SYSTEM, world.purchase_a_cn, firmware_sbom([COMMONS]), max_bytes=10**7
        )
        with pytest.raises(SbomRejectedError):
            await ingest_sbom(session, SYSTEM, world.purchase_a_cn, b"{}", max_bytes=10**7)
        await insert_sbom(session, world.purchase_a_cn, SbomSpec(components=COMPONENTS))
        await session.commit()
        await import_advisories(session, SYSTEM, "osv.json", osv_file("GHSA-35jh-r3h4-6jhm"))
    # the re-match job the import enqueued, and the notification jobs of the changes so far
    await run_jobs(db, registry={**REGISTRY, **delivery_jobs.kinds(recorder)})
    result = await run_checks(db.sessions, digest_hour=8, now=NOW)
    assert (result.deadlines_passed, result.obligations_due) == (1, 5)


async def test_a_vendor_subscribed_to_everything_hears_nothing_internal(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the vendor CN and operator A's reviewer, both subscribed to every kind
    await run_once(db.sessions, Recorder(), now=NOW - timedelta(days=1))  # the world's events
    async with db.sessions() as session:
        vendor = await subscribe(session, token="vendor user", name="vendor")
        reviewer = await subscribe(session, token="reviewer user", name="reviewer")
    # when every trigger fires, and what they wrote is delivered (by jobs, then by a pass)
    recorder = Recorder()
    await _every_trigger(db, world, recorder)
    await run_once(db.sessions, recorder, now=NOW)
    async with db.sessions() as session:
        rows = (
            await session.execute(
                select(NotificationDelivery.notice_id, NotificationSubscription.id).join(
                    NotificationSubscription
                )
            )
        ).all()
    owner = dict(rows)
    heard: dict[int, set[str]] = {vendor: set(), reviewer: set()}
    texts: dict[int, list[str]] = {vendor: [], reviewer: []}
    for _target, notice in recorder.sent:
        heard[owner[notice.notice_id]].add(notice.kind)
        texts[owner[notice.notice_id]].append(
            " ".join((notice.title, *notice.lines, *notice.facts)).lower()
        )
    # then the reviewer heard of every kind
    assert heard[reviewer] == {
        "review.case_changed", "review.deadline_passed", "sbom.uploaded", "sbom.refused",
        "screening.advisory_hit", "obligation.due", "obligation.failed", "agreement.sent",
        "agreement.signed",
    }  # fmt: skip
    # and the vendor only of its SBOMs and agreements, with no internal word in any text
    assert heard[vendor] == VENDOR_KINDS
    leaks = [(word, text) for text in texts[vendor] for word in FORBIDDEN if word in text]
    assert leaks == []
