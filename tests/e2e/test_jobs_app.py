"""The app hands new jobs over by itself: on SQLite its in-process worker runs them; on
PostgreSQL they reach procrastinate right after the commit and a ``worker`` process runs them."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from procurement import retention
from procurement.db import utcnow
from procurement.enums import JobState
from procurement.jobs.store import enqueue
from procurement.models import Job
from procurement.permissions import SYSTEM
from procurement.screening.jobs import RESCREEN_ACTIVE
from procurement.settings import load_settings
from procurement.web.app import create_app
from tests.support.databases import DatabaseUnderTest
from tests.support.jobs import JOB
from tests.support.world import World, gql

ROOT = Path(__file__).resolve().parents[2]
RULES = """mutation R($input: UpdateScreeningRulesInput!) { updateScreeningRules(input: $input) {
  screeningRules { version } job { id state } errors { message } } }"""


async def job_state(client: httpx.AsyncClient, secret: str, job_id: str) -> dict[str, Any]:
    _, body = await gql(client, secret, JOB, {"id": job_id})
    job: dict[str, Any] = body["data"]["job"]
    return job


async def test_a_rule_change_answers_at_once_and_its_job_runs_without_a_test_helper(
    db: DatabaseUnderTest, world: World
) -> None:
    # given the app serving, with its lifespan (the in-process worker or the queue dispatch)
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": db.url}), engine=db.engine)
    admin = world.secrets["admin"]
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
    ):
        # when the admin changes the rules
        _, body = await gql(client, admin, RULES, {"input": {"rules": "{}"}})
        payload = body["data"]["updateScreeningRules"]
        assert (payload["screeningRules"], payload["errors"]) == ({"version": 2}, [])
        job_id = payload["job"]["id"]
        if db.backend == "postgresql":
            # then the job waits in procrastinate's queue until a worker process takes it
            worker = await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "tests.support.job_worker", db.url, "--once"],
                cwd=ROOT, capture_output=True, timeout=120, check=False,
            )  # fmt: skip
            assert worker.returncode == 0, worker.stderr
        job = await job_state(client, admin, job_id)
        for _ in range(600):  # SQLite: the app's own worker, woken by the commit
            if job["state"] in ("SUCCEEDED", "FAILED"):
                break
            await asyncio.sleep(0.05)
            job = await job_state(client, admin, job_id)
    # then the job rescreened every active purchase
    assert (job["state"], job["kind"], job["progress"], job["attempts"]) == (
        "SUCCEEDED",
        "screening.rescreen_active",
        {"done": 3, "total": 3},
        1,
    )
    assert job["outcome"]["screened"] == 3


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_the_sqlite_app_deletes_old_finished_jobs_by_itself(
    db: DatabaseUnderTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a job that finished 40 days ago, and the app's first retention pass due at once
    async with db.sessions() as session:
        job = await enqueue(session, RESCREEN_ACTIVE, {"trigger": "test"}, SYSTEM)
        job.state, job.finished_at = JobState.SUCCEEDED, utcnow() - timedelta(days=40)
        await session.commit()
    monkeypatch.setattr(retention, "FIRST_PASS_AFTER", timedelta(0))
    app = create_app(load_settings({"PROCUREMENT_DATABASE_URL": db.url}), engine=db.engine)
    # when the app serves for a moment
    async with app.router.lifespan_context(app):
        for _ in range(200):
            async with db.sessions() as session:
                if await session.get(Job, job.id) is None:
                    break
            await asyncio.sleep(0.05)
    # then the job is gone (the default keeps 30 days)
    async with db.sessions() as session:
        assert await session.get(Job, job.id) is None
