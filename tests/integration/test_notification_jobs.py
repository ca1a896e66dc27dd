"""Notification delivery as jobs (issue 14), on both databases: the commit that writes an event
enqueues exactly one job; workers deliver to a real webhook receiver and a real SMTP relay on
loopback; a failing receiver is retried on the delivery backoff, then FAILED, audited and listed;
a worker killed in the middle of sending leads to the notice being sent again, same notice id."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from datetime import date, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import func, select, update

from procurement.db import utcnow
from procurement.enums import DeliveryStatus, JobState
from procurement.job_kinds import registry
from procurement.jobs.queue import build_app, defer
from procurement.jobs.runner import Registry
from procurement.models import AuditEvent, Job, NotificationAttempt, NotificationDelivery
from procurement.notifications import delivery_jobs
from procurement.notifications.channels import ChannelConfig
from procurement.notifications.enqueue import DELIVER, FAN_OUT
from procurement.notifications.sending import channel_sender
from procurement.notifications.store import fan_out
from procurement.outbox import add, event_row
from procurement.permissions import SYSTEM
from procurement.reviews.actions import cases as reviews
from procurement.settings import load_settings
from tests.support.databases import DatabaseUnderTest
from tests.support.http_receiver import Received, Reply, http_receiver
from tests.support.jobs import run_jobs
from tests.support.notifications import subscribe
from tests.support.reviews import open_case_id
from tests.support.smtp_server import PASSWORD, USERNAME, smtp_server
from tests.support.world import World, gql

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ChannelConfig(timeout_seconds=5.0, trust_env=False)
DELIVERIES = """query { notificationDeliveries(status: FAILED) { edges { node {
  noticeId status attemptCount attempts { number statusCode } } } } }"""


def webhook_kinds() -> Registry:
    """A worker's job kinds, its channels not reading the environment's proxies (loopback)."""
    return {
        **registry(load_settings({})),
        **delivery_jobs.kinds(channel_sender(load_settings({}), CONFIG)),
    }


async def jobs(db: DatabaseUnderTest) -> list[tuple[str, JobState]]:
    async with db.sessions() as session:
        return [(j.kind, j.state) for j in await session.scalars(select(Job).order_by(Job.id))]


async def deliveries(db: DatabaseUnderTest) -> list[NotificationDelivery]:
    async with db.sessions() as session:
        return list(await session.scalars(select(NotificationDelivery)))


async def attempts(db: DatabaseUnderTest) -> list[tuple[int, bool, int | None]]:
    async with db.sessions() as session:
        rows = await session.scalars(select(NotificationAttempt).order_by(NotificationAttempt.id))
        return [(a.number, a.delivered, a.status_code) for a in rows]


async def subscribed_case(db: DatabaseUnderTest, world: World, **subscription: Any) -> int:
    """The world's own events fanned out (to nobody), then a reviewer's subscription to case
    changes; returns the case to move."""
    async with db.sessions() as session:
        await fan_out(session, utcnow())
        await session.commit()
        await subscribe(
            session, token="reviewer user", kinds=["review.case_changed"], **subscription
        )
        return await open_case_id(session, world.purchase_a_us)


async def triage(db: DatabaseUnderTest, case_id: int) -> None:
    async with db.sessions() as session:
        await reviews.triage_review(
            session, SYSTEM, case_id, "DECLARATION_REQUIRED", None, date(2025, 9, 15)
        )


async def test_committing_an_event_enqueues_exactly_one_job_and_a_rollback_none(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a subscribed case
    case_id = await subscribed_case(db, world)
    # when a change to it commits its event
    await triage(db, case_id)
    committed = await jobs(db)
    # and another change that wrote an event is rolled back
    async with db.sessions() as session:
        add(session, event_row("sbom.uploaded", "Purchase", world.purchase_a_us, None, None, {}))
        await session.flush()
        await session.rollback()
    # then the committed change enqueued one fan-out job, the rolled-back one nothing
    assert committed == [(FAN_OUT, JobState.QUEUED)]
    assert await jobs(db) == committed


async def test_a_worker_delivers_to_a_real_webhook_receiver(
    db: DatabaseUnderTest, world: World
) -> None:
    with http_receiver(lambda _r: Reply(200, b"{}")) as receiver:
        # given a reviewer's webhook and one committed case change
        case_id = await subscribed_case(db, world, address=receiver.url + "/hook")
        await triage(db, case_id)
        # when a worker runs what is due
        results = await run_jobs(db, registry=webhook_kinds())
    # then the fan-out job made one delivery and the deliver job sent it, once
    assert [(r.state, r.outcome) for r in results] == [
        (JobState.SUCCEEDED, {"deliveries": 1}),
        (JobState.SUCCEEDED, {"attempted": 1, "delivered": 1, "retrying": 0, "failed": 0}),
    ]
    assert await jobs(db) == [(FAN_OUT, JobState.SUCCEEDED), (DELIVER, JobState.SUCCEEDED)]
    [request] = receiver.requests
    [delivery] = await deliveries(db)
    assert orjson.loads(request.body)["id"] == delivery.notice_id
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
    assert await attempts(db) == [(1, True, 200)]


async def test_a_worker_delivers_email_through_a_real_smtp_relay(
    db: DatabaseUnderTest, world: World, tmp_path: Path
) -> None:
    with smtp_server(tmp_path) as server:
        # given the installation's relay (STARTTLS, AUTH) in the settings the worker is given
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
        case_id = await subscribed_case(
            db, world, channel="EMAIL", address="zhang.min@example.cn", language="zh-CN"
        )
        await triage(db, case_id)
        # when a worker with those settings runs what is due
        await run_jobs(db, registry=registry(settings))
    # then the relay accepted one message for the subscriber, in Chinese, with its notice id
    [envelope] = server.mailbox.messages
    assert envelope.rcpt_tos == ["zhang.min@example.cn"]
    message = message_from_bytes(envelope.original_content or b"", policy=policy.default)
    [delivery] = await deliveries(db)
    assert (message["Subject"], message["Message-ID"]) == (
        "审查案件状态变更",
        f"<notice.{delivery.notice_id}@example.cn>",
    )
    assert await attempts(db) == [(1, True, 250)]


async def next_retry(db: DatabaseUnderTest) -> timedelta | None:
    """How long after the last attempt the waiting deliver job is due; then it is made due now
    (time travel: the job and the delivery brought forward, instead of waiting for them)."""
    async with db.sessions() as session:
        due = await session.scalar(
            select(Job.run_after).where(Job.state == JobState.QUEUED, Job.kind == DELIVER)
        )
        if due is None:
            return None
        last = await session.scalar(select(func.max(NotificationAttempt.attempted_at)))
        assert last is not None
        now = utcnow()
        await session.execute(update(Job).where(Job.state == JobState.QUEUED).values(run_after=now))
        await session.execute(
            update(NotificationDelivery)
            .where(NotificationDelivery.status == DeliveryStatus.PENDING)
            .values(next_attempt_at=now)
        )
        await session.commit()
    gap: timedelta = due - last
    return gap


async def test_a_failing_receiver_is_retried_on_the_backoff_then_failed_audited_and_listed(
    db: DatabaseUnderTest, world: World, client: httpx.AsyncClient
) -> None:
    with http_receiver(lambda _r: Reply(500, b"{}")) as receiver:
        # given a reviewer's webhook that always answers 500, and one case change
        case_id = await subscribed_case(db, world, address=receiver.url + "/hook")
        await triage(db, case_id)
        # when a worker runs each job when it is due, until none is waiting
        results = await run_jobs(db, registry=webhook_kinds())
        gaps = []
        while (gap := await next_retry(db)) is not None:
            gaps.append(gap)
            results += await run_jobs(db, registry=webhook_kinds())
    # then five attempts, each retry due 1, 5, 30 and 120 minutes after the attempt before
    assert await attempts(db) == [(n, False, 500) for n in (1, 2, 3, 4, 5)]
    assert gaps == [timedelta(minutes=m) for m in (1, 5, 30, 120)]
    assert len(receiver.requests) == 5
    assert [r.outcome for r in results][-1] == {
        "attempted": 1, "delivered": 0, "retrying": 0, "failed": 1
    }  # fmt: skip
    assert all(r.state is JobState.SUCCEEDED for r in results)
    # and the delivery ended FAILED, with an audit event saying so
    [delivery] = await deliveries(db)
    async with db.sessions() as session:
        failed = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "notification.failed")
            )
        )
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 5)
    assert [(e.object_id, e.after and e.after["attempts"]) for e in failed] == [(delivery.id, 5)]
    # and the subscriber sees it among the failed deliveries, with its attempts
    _, body = await gql(client, world.secrets["reviewer"], DELIVERIES)
    [edge] = body["data"]["notificationDeliveries"]["edges"]
    assert edge["node"] == {
        "noticeId": delivery.notice_id,
        "status": "FAILED",
        "attemptCount": 5,
        "attempts": [{"number": n, "statusCode": 500} for n in (1, 2, 3, 4, 5)],
    }


async def test_a_worker_killed_while_sending_leads_to_the_same_notice_again(
    db: DatabaseUnderTest, world: World
) -> None:
    release = threading.Event()

    def respond(_request: Received) -> Reply:
        release.wait(60)  # the first request hangs: its worker is killed meanwhile
        return Reply(200, b"{}")

    with http_receiver(respond) as receiver:
        # given a reviewer's webhook and one committed case change, and a `procurement worker`
        # process (handed the job by procrastinate on PostgreSQL; polling on SQLite)
        case_id = await subscribed_case(db, world, address=receiver.url + "/hook")
        await triage(db, case_id)
        if db.backend == "postgresql":
            app = build_app(db.url)
            async with app.open_async():
                async with db.sessions() as session:
                    job_id = await session.scalar(select(Job.id).where(Job.kind == FAN_OUT))
                assert job_id is not None and await defer(app, job_id)
        env = os.environ | {"PROCUREMENT_DATABASE_URL": db.url, "NO_PROXY": "127.0.0.1"}
        worker = subprocess.Popen(  # noqa: ASYNC220
            [sys.executable, "-m", "procurement", "worker", "--poll", "0.2"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            # when the worker has sent the notice (the receiver has it) and is killed before
            # its answer comes
            for _ in range(1200):
                if receiver.requests or worker.poll() is not None:
                    break
                await asyncio.sleep(0.05)
            assert len(receiver.requests) == 1, worker.stderr.read() if worker.stderr else b""
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
            release.set()
            if worker.stderr is not None:
                worker.stderr.close()
        # then nothing of the attempt is recorded, the deliver job still holds it
        [held] = await deliveries(db)
        assert (held.status, held.attempts, await attempts(db)) == (DeliveryStatus.PENDING, 0, [])
        assert await jobs(db) == [(FAN_OUT, JobState.SUCCEEDED), (DELIVER, JobState.RUNNING)]
        # when the job's lease runs out (shortened here) and a worker runs it again
        async with db.sessions() as session:
            await session.execute(
                update(Job).where(Job.kind == DELIVER).values(claimed_until=utcnow())
            )
            await session.commit()
        results = await run_jobs(db, registry=webhook_kinds(), now=utcnow() + timedelta(seconds=1))
    # then the notice went out again under the same notice id, and is delivered once on record
    assert [(r.state, r.outcome) for r in results] == [
        (JobState.SUCCEEDED, {"attempted": 1, "delivered": 1, "retrying": 0, "failed": 0})
    ]
    ids = [orjson.loads(r.body)["id"] for r in receiver.requests]
    [delivery] = await deliveries(db)
    assert ids == [delivery.notice_id, delivery.notice_id]
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
    assert await attempts(db) == [(1, True, 200)]


async def test_the_sweep_enqueues_work_whose_job_was_lost(
    db: DatabaseUnderTest, world: World
) -> None:
    # given a committed case change whose fan-out job is lost (FAILED here, as after a database
    # outage that outlasted its attempts)
    case_id = await subscribed_case(db, world)
    await triage(db, case_id)
    async with db.sessions() as session:
        await session.execute(update(Job).values(state=JobState.FAILED))
        await session.commit()
    # when the sweep runs within the grace period, then after it
    early = await delivery_jobs.sweep(db.sessions)
    late = await delivery_jobs.sweep(db.sessions, now=utcnow() + timedelta(minutes=2))
    # then it waits at first, then enqueues one fan-out job
    assert (early.fan_out, late.fan_out) == (False, True)
    assert (await jobs(db))[-1] == (FAN_OUT, JobState.QUEUED)
    # and with that job waiting, a second sweep adds nothing
    again = await delivery_jobs.sweep(db.sessions, now=utcnow() + timedelta(minutes=2))
    assert (again.fan_out, again.deliveries) == (False, [])
