"""The dispatcher end to end: a real HTTP receiver on loopback behind the signed JSON webhook,
retries with backoff, the delivery log, at-least-once after a crash, and giving up (audited)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import orjson
from sqlalchemy import select, update

from procurement.enums import DeliveryStatus
from procurement.models import AuditEvent, NotificationAttempt, NotificationDelivery
from procurement.notifications.channels import ChannelConfig
from procurement.notifications.dispatcher import run_once
from procurement.notifications.sending import channel_sender
from procurement.notifications.store import claim, claimed, fan_out
from procurement.permissions import SYSTEM
from procurement.reviews.actions import cases as reviews
from procurement.settings import load_settings
from tests.support.databases import DatabaseUnderTest
from tests.support.http_receiver import Received, Reply, http_receiver
from tests.support.notifications import Recorder, subscribe
from tests.support.reviews import open_case_id
from tests.support.smtp_server import PASSWORD, USERNAME, smtp_server
from tests.support.world import World

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
CONFIG = ChannelConfig(timeout_seconds=5.0, trust_env=False)


async def _one_case_change(db: DatabaseUnderTest, world: World, address: str) -> int:
    """Subscribe the reviewer to case changes at ``address``, then move the case once."""
    async with db.sessions() as session:
        await run_once(db.sessions, Recorder(), now=T0 - timedelta(hours=1))  # the world's events
        sub = await subscribe(
            session, token="reviewer user", kinds=["review.case_changed"], address=address
        )
        case_id = await open_case_id(session, world.purchase_a_us)
        await reviews.triage_review(
            session, SYSTEM, case_id, "DECLARATION_REQUIRED", None, date(2025, 9, 15)
        )
    return sub


async def _log(db: DatabaseUnderTest) -> list[tuple[int, bool, int | None]]:
    async with db.sessions() as session:
        rows = await session.scalars(select(NotificationAttempt).order_by(NotificationAttempt.id))
        return [(a.number, a.delivered, a.status_code) for a in rows]


async def test_a_receiver_failing_twice_then_succeeding_gets_it_once_in_three_attempts(
    db: DatabaseUnderTest, world: World
) -> None:
    answers = [503, 500, 200]

    def respond(_request: Received) -> Reply:
        return Reply(answers.pop(0), b"{}")

    send = channel_sender(load_settings({}), CONFIG)
    with http_receiver(respond) as receiver:
        # given a reviewer's webhook subscription and one case change
        await _one_case_change(db, world, receiver.url + "/hook")
        # when the dispatcher runs now, before the first retry is due, then at each retry time
        first = await run_once(db.sessions, send, now=T0)
        early = await run_once(db.sessions, send, now=T0 + timedelta(seconds=30))
        second = await run_once(db.sessions, send, now=T0 + timedelta(minutes=1))
        third = await run_once(db.sessions, send, now=T0 + timedelta(minutes=6))
        after = await run_once(db.sessions, send, now=T0 + timedelta(hours=3))
    # then it was tried three times, 1 and 5 minutes apart, and delivered once
    assert [
        (r.attempted, r.delivered, r.retrying) for r in (first, early, second, third, after)
    ] == [
        (1, 0, 1),
        (0, 0, 0),
        (1, 0, 1),
        (1, 1, 0),
        (0, 0, 0),
    ]
    assert await _log(db) == [(1, False, 503), (2, False, 500), (3, True, 200)]
    # and all three requests carried the same notice id (receivers drop duplicates by it)
    ids = {orjson.loads(r.body)["id"] for r in receiver.requests}
    assert len(receiver.requests) == 3 and len(ids) == 1
    async with db.sessions() as session:
        [delivery] = list(await session.scalars(select(NotificationDelivery)))
    assert (delivery.status, delivery.attempts, delivery.notice_id in ids) == (
        DeliveryStatus.DELIVERED,
        3,
        True,
    )


async def test_a_crash_between_sending_and_marking_sends_it_again_with_the_same_id(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a delivery that a dispatcher claimed and (perhaps) sent, then died before marking
    recorder = Recorder()
    await _one_case_change(db, world, "http://127.0.0.1:9/hook")
    async with db.sessions() as session:
        assert await fan_out(session, T0) == 1
        await session.commit()
    async with db.sessions() as session:
        [delivery] = list(await session.scalars(select(NotificationDelivery)))
        await session.execute(
            update(NotificationDelivery).values(
                claim="dead-process", claimed_until=T0 + timedelta(minutes=5), attempts=0
            )
        )
        await session.commit()
    # when another dispatcher runs while the lease holds, then after it ran out
    during = await run_once(db.sessions, recorder, now=T0 + timedelta(minutes=1))
    later = await run_once(db.sessions, recorder, now=T0 + timedelta(minutes=6))
    # then it is left alone at first, then sent (again) under the same notice id
    assert (during.attempted, later.delivered) == (0, 1)
    assert [n.notice_id for _t, n in recorder.sent] == [delivery.notice_id]


async def test_giving_up_marks_it_failed_and_audits_it(db: DatabaseUnderTest, world: World) -> None:
    # given a receiver that always answers 500
    send = channel_sender(load_settings({}), CONFIG)
    with http_receiver(lambda _r: Reply(500, b"{}")) as receiver:
        await _one_case_change(db, world, receiver.url)
        # when every retry comes and goes
        at = T0
        for delay in (0, 1, 5, 30, 120, 240):
            at += timedelta(minutes=delay)
            await run_once(db.sessions, send, now=at)
    # then five attempts, then FAILED, and an audit event says so
    assert [n for n, _ok, _s in await _log(db)] == [1, 2, 3, 4, 5]
    async with db.sessions() as session:
        [delivery] = list(await session.scalars(select(NotificationDelivery)))
        failed = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "notification.failed")
            )
        )
    assert delivery.status is DeliveryStatus.FAILED
    assert [(e.object_id, e.after and e.after["attempts"]) for e in failed] == [(delivery.id, 5)]


async def test_an_email_subscription_receives_the_notice_from_a_real_smtp_server(
    db: DatabaseUnderTest, world: World, tmp_path: Path
) -> None:
    with smtp_server(tmp_path) as server:
        # given the installation's relay (STARTTLS, AUTH) from the settings, as in production
        settings = load_settings(
            {
                "PROCUREMENT_SMTP_HOST": server.host,
                "PROCUREMENT_SMTP_PORT": str(server.port),
                "PROCUREMENT_SMTP_USERNAME": USERNAME,
                "PROCUREMENT_SMTP_PASSWORD": PASSWORD,
                "PROCUREMENT_SMTP_FROM": "采购审查 <review@example.cn>",
                "PROCUREMENT_SMTP_CA_FILE": str(server.ca_file),
            }
        )
        # and a reviewer's email subscription in Chinese, and one case change
        await run_once(db.sessions, Recorder(), now=T0 - timedelta(hours=1))
        async with db.sessions() as session:
            await subscribe(
                session, token="reviewer user", kinds=["review.case_changed"],
                channel="EMAIL", address="zhang.min@example.cn", language="zh-CN",
            )  # fmt: skip
            case_id = await open_case_id(session, world.purchase_a_us)
            await reviews.triage_review(
                session, SYSTEM, case_id, "DECLARATION_REQUIRED", None, date(2025, 9, 15)
            )
        # when the dispatcher runs
        result = await run_once(db.sessions, channel_sender(settings), now=T0)
    # then the relay accepted one message for the subscriber, in Chinese
    assert (result.attempted, result.delivered) == (1, 1)
    assert await _log(db) == [(1, True, 250)]
    [envelope] = server.mailbox.messages
    assert envelope.rcpt_tos == ["zhang.min@example.cn"]
    message = message_from_bytes(envelope.original_content or b"", policy=policy.default)
    assert message["Subject"] == "审查案件状态变更"
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    assert body.get_content().splitlines()[2:4] == [
        "采购：Storage array（Northwind Storage）",
        "状态：待分诊 → 申报准备中",
    ]


async def test_two_dispatchers_never_claim_the_same_delivery(
    db: DatabaseUnderTest, world: World
) -> None:
    # given three pending deliveries
    async with db.sessions() as session:
        await fan_out(session, T0 - timedelta(hours=1))  # the world's events, to nobody
        for address in ("a", "b", "c"):
            await subscribe(
                session, token="reviewer user", kinds=["review.case_changed"], address=address
            )
        case_id = await open_case_id(session, world.purchase_a_us)
        await reviews.triage_review(
            session, SYSTEM, case_id, "DECLARATION_REQUIRED", None, date(2025, 9, 15)
        )
        assert await fan_out(session, T0) == 3
        await session.commit()
    lease = timedelta(minutes=5)
    async with db.sessions() as first, db.sessions() as second:
        # when one dispatcher claims two of them and, on PostgreSQL, another claims while the
        # first still holds its row locks (FOR UPDATE SKIP LOCKED); SQLite has one writer at a
        # time, so there the second claims after the first committed
        one = await claim(first, T0, lease, 2)
        if db.backend == "sqlite":
            await first.commit()
        two = await claim(second, T0, lease, 5)
        await second.commit()
        if db.backend != "sqlite":
            await first.commit()
        mine = [d.delivery.id for d in await claimed(first, one or "")]
        theirs = [d.delivery.id for d in await claimed(second, two or "")]
        # and a third comes along while both leases hold
        three = await claim(second, T0 + timedelta(minutes=1), lease, 5)
    # then they split the work without overlap, and nothing is left to claim
    assert (len(mine), len(theirs), set(mine) & set(theirs), three) == (2, 1, set(), None)
