"""Delivery where it runs: as jobs, handed over by the commit that wrote the event (not found by
a poll), to the app's in-process worker on SQLite and to a ``procurement worker`` on PostgreSQL;
and as the cron commands ``procurement notifications deliver`` and ``check``."""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import orjson
import pytest

from procurement.job_kinds import registry
from procurement.jobs.queue import WorkerEnv, build_app, run_worker
from procurement.notifications.dispatcher import run_once
from procurement.permissions import SYSTEM
from procurement.reviews.actions import cases as reviews
from procurement.settings import load_settings
from procurement.web.app import create_app
from tests.support.cli import cli
from tests.support.databases import DatabaseUnderTest
from tests.support.http_receiver import Reply, http_receiver
from tests.support.notifications import Recorder, subscribe
from tests.support.reviews import gid, open_case_id
from tests.support.world import World, gql

TRIAGE = """mutation T($id: ID!) { triageReview(input: {caseId: $id,
  decision: DECLARATION_REQUIRED, on: "2025-09-15"}) { errors { field message } } }"""


async def test_the_app_delivers_right_after_the_commit_that_wrote_the_event(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the app with a recording channel and a sweep interval of an hour
    settings = load_settings(
        {"PROCUREMENT_DATABASE_URL": db.url, "PROCUREMENT_NOTIFICATION_POLL_SECONDS": "3600"}
    )
    recorder = Recorder()
    app = create_app(settings, engine=db.engine, deliver=recorder)
    await run_once(db.sessions, Recorder())  # the world's own events, before anyone subscribed
    worker = None
    if db.backend == "postgresql":  # a worker beside the app, with the same recorded channel
        env = WorkerEnv(db.sessions, registry(settings, recorder))
        queue = build_app(db.url)
        worker = asyncio.create_task(run_worker(queue, env, concurrency=1, name="w", once=False))
    async with db.sessions() as session:
        await subscribe(session, token="reviewer user", kinds=["review.case_changed"])
        case_id = await open_case_id(session, world.purchase_a_us)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        await asyncio.sleep(0)  # let the in-process worker start
        # when a reviewer triages the case over GraphQL
        status, body = await gql(
            client, world.secrets["reviewer"], TRIAGE, {"id": gid("ReviewCase", case_id)}
        )
        assert status == 200 and body["data"]["triageReview"]["errors"] == [], body
        # then the notice goes out without waiting an hour (bounded wait; no timing asserted)
        for _ in range(300):
            if recorder.sent:
                break
            await asyncio.sleep(0.1)
        if worker is not None:
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)
    assert [(n.kind, n.title) for _t, n in recorder.sent] == [
        ("review.case_changed", "Review case changed state")
    ]


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


async def test_the_cron_commands_deliver_and_check_once(
    db: DatabaseUnderTest, world: World, no_proxy: None
) -> None:
    with http_receiver(lambda _r: Reply(200, b"{}")) as receiver:
        # given a reviewer's webhook and a case change
        await run_once(db.sessions, Recorder())  # the world's own events, before subscribing
        async with db.sessions() as session:
            await subscribe(
                session,
                token="reviewer user",
                kinds=["review.case_changed"],
                address=receiver.url + "/hook",
                language="zh-CN",
            )
            case_id = await open_case_id(session, world.purchase_a_us)
            await reviews.triage_review(
                session, SYSTEM, case_id, "DECLARATION_REQUIRED", None, date(2025, 9, 15)
            )
        # when cron runs the two commands
        delivered = await asyncio.to_thread(cli, db.url, "notifications", "deliver")
        checked = await asyncio.to_thread(cli, db.url, "notifications", "check")
        again = await asyncio.to_thread(cli, db.url, "notifications", "deliver")
    # then the first sends the one notice, the check finds nothing due, the second sends nothing
    assert delivered.returncode == 0, delivered.stderr
    assert delivered.stdout == "fanned out 1, attempted 1, delivered 1, to retry 0, failed 0\n"
    assert checked.stdout == (
        "deadlines passed 0, deadlines near 0, obligations due 0, digests 0\n"
    ), checked.stderr
    assert again.stdout == ("fanned out 0, attempted 0, delivered 0, to retry 0, failed 0\n"), (
        again.stderr
    )
    [request] = receiver.requests
    assert orjson.loads(request.body)["title"] == "审查案件状态变更"
