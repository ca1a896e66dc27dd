"""Periodic checks: a review deadline near or passed is told once per case and deadline; the
daily digest goes out once a day per subscription, in its language, from the configured hour."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from procurement.enums import NotificationMode, Role
from procurement.models import ReviewCase
from procurement.notifications.checks import run_checks
from procurement.notifications.dispatcher import run_once
from tests.support.databases import DatabaseUnderTest
from tests.support.notifications import Recorder, events, subscribe
from tests.support.reviews import open_case_id
from tests.support.world import World

# Monday 2 March 2026, 10:00 in China; the 4th is a Wednesday, the 6th a Friday.
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def _due(db: DatabaseUnderTest, world: World, due: date) -> int:
    async with db.sessions() as session:
        case_id = await open_case_id(session, world.purchase_a_us)
        await session.execute(
            update(ReviewCase).where(ReviewCase.id == case_id).values(deadline_due=due)
        )
        await session.commit()
        await run_once(db.sessions, Recorder(), now=NOW - timedelta(days=1))  # world's events
    return case_id


async def test_a_passed_deadline_is_told_once(db: DatabaseUnderTest, world: World) -> None:
    # given the open case's deadline was last Friday and a reviewer subscribed to it
    case_id = await _due(db, world, date(2026, 2, 27))
    async with db.sessions() as session:
        sub = await subscribe(session, token="reviewer user", kinds=["review.deadline_passed"])
        before = len(await events(session))
    # when the checks run three times, over two days
    runs = [
        await run_checks(db.sessions, digest_hour=8, now=NOW),
        await run_checks(db.sessions, digest_hour=8, now=NOW + timedelta(minutes=5)),
        await run_checks(db.sessions, digest_hour=8, now=NOW + timedelta(days=1)),
    ]
    recorder = Recorder()
    await run_once(db.sessions, recorder, now=NOW + timedelta(days=1))
    # then one event, one notice
    assert [r.deadlines_passed for r in runs] == [1, 0, 0]
    async with db.sessions() as session:
        new = (await events(session))[before:]
    assert [(e.kind, e.object_id, e.facts["due"]) for e in new] == [
        ("review.deadline_passed", case_id, "2026-02-27")
    ]
    assert [(n.title, n.lines[1]) for _t, n in recorder.sent] == [
        ("Review deadline passed", "Deadline: 2026-02-27")
    ]
    assert sub


async def test_a_near_deadline_is_told_once_within_each_subscriptions_working_days(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a deadline on Friday (4 working days from Monday) and two subscriptions warning 5
    # and 2 working days ahead
    await _due(db, world, date(2026, 3, 6))
    async with db.sessions() as session:
        early = await subscribe(
            session, token="reviewer user", kinds=["review.deadline_near"], warn_working_days=5
        )
        late = await subscribe(
            session,
            operator_id=world.operator_a,
            role=Role.REVIEWER,
            kinds=["review.deadline_near"],
            warn_working_days=2,
            language="zh-CN",
        )
    # when the checks run on Monday, again on Monday, and on Wednesday
    monday = await run_checks(db.sessions, digest_hour=8, now=NOW)
    again = await run_checks(db.sessions, digest_hour=8, now=NOW + timedelta(hours=1))
    recorder = Recorder()
    await run_once(db.sessions, recorder, now=NOW + timedelta(hours=1))
    wednesday = await run_checks(db.sessions, digest_hour=8, now=NOW + timedelta(days=2))
    await run_once(db.sessions, recorder, now=NOW + timedelta(days=2))
    # then the 5-day one hears on Monday (4 left), the 2-day one on Wednesday (2 left), once each
    assert [monday.deadlines_near, again.deadlines_near, wednesday.deadlines_near] == [1, 0, 1]
    assert [(n.language.value, n.lines[1:4]) for _t, n in recorder.sent] == [
        ("en", ("Deadline: 2026-03-06", "State: PENDING_TRIAGE", "Working days left: 4")),
        ("zh-CN", ("期限：2026-03-06", "状态：待分诊", "剩余工作日：2")),
    ]
    assert early != late


async def test_the_digest_goes_once_a_day_per_subscription_in_its_language(
    db: DatabaseUnderTest, world: World
) -> None:
    # given an overdue case and two daily-digest subscriptions, in Chinese and in English
    await _due(db, world, date(2026, 2, 27))
    async with db.sessions() as session:
        zh = await subscribe(
            session, token="reviewer user", mode=NotificationMode.DAILY_DIGEST, language="zh-CN"
        )
        en = await subscribe(session, token="vendor user", mode=NotificationMode.DAILY_DIGEST)
    seven = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)  # 07:00 on Monday in China
    # when the checks run before the hour, at 10:00 twice, and the next day
    counts = [
        (await run_checks(db.sessions, digest_hour=8, now=at)).digests
        for at in (seven, NOW, NOW + timedelta(hours=2), NOW + timedelta(days=1))
    ]
    recorder = Recorder()
    await run_once(db.sessions, recorder, now=NOW + timedelta(days=1))
    # then two digests on Monday from 08:00 on, two on Tuesday
    assert counts == [0, 2, 0, 2]
    by_language = sorted((n.language.value, n.title, n.lines) for _t, n in recorder.sent)
    # the reviewer (Chinese) sees the overdue case; the vendor (English) nothing of reviews
    assert by_language == [
        ("en", "Daily digest 2026-03-02", ("Nothing needs you today.",)),
        ("en", "Daily digest 2026-03-03", ("Nothing needs you today.",)),
        (
            "zh-CN",
            "每日摘要 2026-03-02",
            ("审查案件：Storage array，待分诊，期限 2026-02-27（已逾期）",),
        ),
        (
            "zh-CN",
            "每日摘要 2026-03-03",
            ("审查案件：Storage array，待分诊，期限 2026-02-27（已逾期）",),
        ),
    ]
    assert zh != en
