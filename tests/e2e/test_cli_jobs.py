"""``procurement job show`` and ``procurement worker --once`` on the embedded SQLite database,
called in-process (the commands are the same functions the console script runs)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from procurement.cli import main
from procurement.composition import app_sessions
from procurement.db import create_engine, utcnow
from procurement.enums import JobState
from procurement.jobs.store import enqueue
from procurement.models import Job
from procurement.permissions import SYSTEM
from procurement.screening.jobs import RESCREEN_ACTIVE
from schema.core.ids import to_global_id


def enqueue_rescreen(url: str) -> int:
    async def run() -> int:
        engine = create_engine(url)
        try:
            async with app_sessions(engine)() as session:
                job = await enqueue(session, RESCREEN_ACTIVE, {"trigger": "cli.test"}, SYSTEM)
                await session.commit()
                return job.id
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_job_show_waits_for_the_job_and_worker_once_finds_nothing_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a migrated database with a queued rescreen job and no app running
    url = f"sqlite:///{tmp_path / 'p.db'}"
    monkeypatch.setenv("PROCUREMENT_DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    job_id = enqueue_rescreen(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    capsys.readouterr()
    # when the job is shown without waiting, then with --wait (which runs due jobs on SQLite)
    assert main(["job", "show", str(job_id)]) == 0
    queued = json.loads(capsys.readouterr().out)
    assert main(["job", "show", to_global_id("Job", job_id), "--wait", "30"]) == 0
    done = json.loads(capsys.readouterr().out)
    # then it was QUEUED, and then SUCCEEDED with an empty rescreen (no purchases yet)
    assert (queued["state"], queued["attempts"]) == ("QUEUED", 0)
    assert {k: done[k] for k in ("state", "attempts", "progress", "outcome")} == {
        "state": "SUCCEEDED",
        "attempts": 1,
        "progress": {"done": 0, "total": 0},
        "outcome": {"screened": 0, "changed": 0, "verdictsChanged": 0, "casesOpened": 0},
    }
    # and a worker run once finds nothing left to do
    assert main(["worker", "--once"]) == 0
    assert capsys.readouterr().out == "ran 0 job attempts\n"
    # and an unknown job is an error naming it
    assert main(["job", "show", "99"]) == 1
    assert capsys.readouterr().err == "error: id: job 99 not found\n"


def finish_long_ago(url: str, job_id: int, days: int) -> None:
    async def run() -> None:
        engine = create_engine(url)
        try:
            async with app_sessions(engine)() as session:
                long_ago = utcnow() - timedelta(days=days)
                await session.execute(
                    update(Job)
                    .where(Job.id == job_id)
                    .values(state=JobState.SUCCEEDED, finished_at=long_ago)
                )
                await session.commit()
        finally:
            await engine.dispose()

    asyncio.run(run())


def test_job_prune_deletes_finished_jobs_older_than_the_days_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given two jobs that finished 10 and 40 days ago
    url = f"sqlite:///{tmp_path / 'p.db'}"
    monkeypatch.setenv("PROCUREMENT_DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    async_url = f"sqlite+aiosqlite:///{tmp_path / 'p.db'}"
    recent, old = enqueue_rescreen(async_url), enqueue_rescreen(async_url)
    finish_long_ago(async_url, recent, 10)
    finish_long_ago(async_url, old, 40)
    capsys.readouterr()
    # when jobs older than the default 30 days are pruned, then those older than 7
    assert main(["job", "prune"]) == 0
    first = capsys.readouterr().out
    assert main(["job", "prune", "--days", "7"]) == 0
    second = capsys.readouterr().out
    # then the old one went first, the other second, and showing it now says it is not found
    assert first == (
        "deleted 1 finished jobs, 0 SBOM uploads and 0 advisory uploads older than 30 days\n"
    )
    assert second == (
        "deleted 1 finished jobs, 0 SBOM uploads and 0 advisory uploads older than 7 days\n"
    )
    assert main(["job", "show", str(recent)]) == 1
    assert capsys.readouterr().err == f"error: id: job {recent} not found\n"


def test_job_prune_refuses_a_number_of_days_out_of_range(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # when the days are zero
    with pytest.raises(SystemExit) as exited:
        main(["job", "prune", "--days", "0"])
    # then argparse refuses them, saying what is allowed
    assert exited.value.code == 2
    assert "'0' is not a number of days from 1 to 3650" in capsys.readouterr().err
