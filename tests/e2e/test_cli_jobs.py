"""``procurement job show`` and ``procurement worker --once`` on the embedded SQLite database,
called in-process (the commands are the same functions the console script runs)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from procurement.cli import main
from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.jobs.store import enqueue
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
