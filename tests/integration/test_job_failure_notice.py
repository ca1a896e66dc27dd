"""A job that ends FAILED is told to the admins who subscribed to failed jobs, in their language,
through the notification outbox (besides its audit event); an admin of another operator and
people who are not admins are not told."""

from __future__ import annotations

from sqlalchemy import select

from procurement.db import utcnow
from procurement.enums import JobState, Role
from procurement.jobs.store import enqueue
from procurement.models import NotificationDelivery
from procurement.notifications import delivery_jobs
from procurement.notifications.dispatcher import run_once
from procurement.permissions import Principal
from tests.support.databases import DatabaseUnderTest
from tests.support.job_kinds import FAIL, TEST_REGISTRY
from tests.support.jobs import run_jobs
from tests.support.notifications import Recorder, subscribe
from tests.support.world import World


async def test_a_failed_job_is_told_to_the_admins_in_their_language(
    db: DatabaseUnderTest, world: World
) -> None:
    async with db.sessions() as session:
        # given the world's own events already fanned out (to nobody)
        await run_once(db.sessions, Recorder(), now=utcnow())
        # and subscriptions to failed jobs: the admin's token (Chinese), operator A's and
        # operator B's admin addresses (English), and a reviewer subscribed to every kind
        admin = await subscribe(session, token="admin user", kinds=["job.failed"], language="zh-CN")
        team_a = await subscribe(
            session, operator_id=world.operator_a, role=Role.ADMIN, kinds=["job.failed"]
        )
        team_b = await subscribe(
            session, operator_id=world.operator_b, role=Role.ADMIN, kinds=["job.failed"]
        )
        reviewer = await subscribe(session, token="reviewer user")
        # and a job of operator A that fails on every attempt
        buyer = Principal(role=Role.PROCUREMENT, name="Li Na", operator_id=world.operator_a)
        job = await enqueue(session, FAIL, {}, buyer)
        await session.commit()
    # when a worker (its channels recorded) runs it and its retries, each when due
    recorder = Recorder()
    kinds = {**TEST_REGISTRY, **delivery_jobs.kinds(recorder)}
    results = await run_jobs(db, registry=kinds)
    while results and results[-1].state is JobState.QUEUED:
        results = await run_jobs(db, registry=kinds, now=results[-1].retry_at)
    # then the last attempt failed, and the same pass fanned out and delivered the notice
    assert [(r.state, r.outcome) for r in results] == [
        (JobState.FAILED, None),
        (JobState.SUCCEEDED, {"deliveries": 2}),
        (JobState.SUCCEEDED, {"attempted": 2, "delivered": 2, "retrying": 0, "failed": 0}),
    ]
    # then the admin and operator A's admins are told once each, in their language
    async with db.sessions() as session:
        told = sorted(
            d.subscription_id for d in await session.scalars(select(NotificationDelivery))
        )
    assert told == sorted([admin, team_a])
    assert team_b not in told and reviewer not in told
    by_language = {n.language.value: (n.kind, n.title, n.lines[:3]) for _t, n in recorder.sent}
    error = "RuntimeError: the advisory feed answered 503 (attempt 3)"
    assert by_language == {
        "zh-CN": (
            "job.failed",
            "后台任务失败",
            (f"任务：{job.id} ({FAIL})", "已尝试 3 次后失败，请求人：Li Na", f"错误：{error}"),
        ),
        "en": (
            "job.failed",
            "Background job failed",
            (
                f"Job: {job.id} ({FAIL})",
                "Failed after 3 attempts; requested by Li Na",
                f"Error: {error}",
            ),
        ),
    }
