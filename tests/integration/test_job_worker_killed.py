"""PostgreSQL: a real ``procrastinate`` worker process killed with SIGKILL in the middle of a
job leaves no partial rows; the sweeper sends its stalled job back to the queue and another worker
process runs it to success. (On SQLite the same recovery is the abandoned claim of test_jobs.)"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update

from procurement.db import utcnow
from procurement.enums import JobState
from procurement.jobs.queue import build_app, defer, sweep
from procurement.jobs.store import enqueue
from procurement.models import Job, RestrictionList
from procurement.permissions import SYSTEM
from tests.support.databases import DatabaseUnderTest
from tests.support.job_kinds import HANG_FIRST

ROOT = Path(__file__).resolve().parents[2]


def worker(url: str, *flags: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.job_worker", url, *flags],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def names(db: DatabaseUnderTest) -> list[str]:
    async with db.sessions() as session:
        return list(
            await session.scalars(select(RestrictionList.name).order_by(RestrictionList.id))
        )


@pytest.mark.parametrize(
    "db", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
async def test_a_worker_killed_mid_job_leaves_no_rows_and_the_job_runs_again(
    db: DatabaseUnderTest, tmp_path: Path
) -> None:
    # given a committed job handed to procrastinate, and a worker process that takes it, writes
    # its rows and is then killed with SIGKILL before committing
    marker = tmp_path / "marker"
    async with db.sessions() as session:
        job = await enqueue(session, HANG_FIRST, {"prefix": "k", "marker": str(marker)}, SYSTEM)
        await session.commit()
    app = build_app(db.url)
    async with app.open_async():
        assert await defer(app, job.id)
        first = worker(db.url)
        try:
            for _ in range(1200):  # up to a minute for the process to start and write
                if marker.exists() or first.poll() is not None:
                    break
                await asyncio.sleep(0.05)
            died = first.poll() is not None and first.stderr is not None
            assert marker.exists(), first.stderr.read() if died and first.stderr else b""
        finally:
            os.kill(first.pid, signal.SIGKILL)
            first.wait()
            if first.stderr is not None:
                first.stderr.close()
        # then none of its rows is stored, and the job is still RUNNING under the dead claim
        assert await names(db) == []
        async with db.sessions() as session:
            stored = await session.get_one(Job, job.id)
            assert (stored.state, stored.attempts) == (JobState.RUNNING, 1)
            # when the lease runs out (shortened here instead of waiting 30 s for it)
            await session.execute(
                update(Job).where(Job.id == job.id).values(claimed_until=utcnow())
            )
            await session.commit()
        # and the sweeper runs (the dead worker's heartbeat counts as stale at once here)
        await sweep(app, db.sessions, stalled_after=0.0)
    # then a second worker process runs the job again, to success, with its rows once
    second = worker(db.url, "--once")
    _out, err = await asyncio.to_thread(second.communicate, None, 120)
    assert second.returncode == 0, err
    async with db.sessions() as session:
        done = await session.get_one(Job, job.id)
    assert (done.state, done.attempts, done.outcome) == (
        JobState.SUCCEEDED,
        2,
        {"written": 2, "attempt": 2},
    )
    assert await names(db) == ["k 1", "k 2"]
