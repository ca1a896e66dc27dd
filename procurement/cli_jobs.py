"""``procurement worker`` and ``procurement job show``: running background jobs and reading one.

Kept beside cli.py (which adds these parsers) so that the job commands live in one place.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
from collections.abc import Callable
from typing import Any

from procurement import migrate
from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.enums import JobState
from procurement.errors import NotFound
from procurement.ids import from_number_or_global_id
from procurement.job_kinds import PERIODIC_CRONS, periodic, registry
from procurement.jobs import reads
from procurement.jobs.local import LocalWorker
from procurement.jobs.runner import run_due
from procurement.models import Job
from procurement.permissions import SYSTEM
from procurement.retention import Pruned
from procurement.settings import Settings

FINISHED = (JobState.SUCCEEDED, JobState.FAILED)


async def run_until_signalled(worker: LocalWorker) -> None:
    """Run until SIGINT or SIGTERM, then stop as the app does: the running job may finish."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    worker.start()
    try:
        await stop.wait()
    finally:
        await worker.stop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> None:
        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
            sessions = app_sessions(engine, settings)
            kinds = registry(settings)
            if settings.is_sqlite:
                if args.once:
                    done = await run_due(sessions, kinds)
                    print(f"ran {len(done)} job attempts")
                    return
                await run_until_signalled(LocalWorker(sessions, kinds, poll_seconds=args.poll))
                return
            from procurement.jobs.queue import WorkerEnv, build_app, run_worker

            env = WorkerEnv(sessions, kinds, periodic(sessions, settings))
            app = build_app(settings.database_url, periodic=PERIODIC_CRONS)
            await run_worker(app, env, concurrency=args.concurrency, name=args.name, once=args.once)
        finally:
            await engine.dispose()

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a SQLite worker stops
        asyncio.run(run())
    return 0


def job_view(job: Job) -> dict[str, Any]:
    stamp: Callable[[Any], str | None] = lambda t: None if t is None else t.isoformat()  # noqa: E731
    return {
        "id": job.id, "kind": job.kind, "state": job.state.value, "attempts": job.attempts,
        "maxAttempts": job.max_attempts,
        "progress": {"done": job.progress_done, "total": job.progress_total},
        "outcome": job.outcome, "error": job.error, "requestedBy": job.actor_name,
        "createdAt": stamp(job.created_at), "startedAt": stamp(job.started_at),
        "finishedAt": stamp(job.finished_at),
    }  # fmt: skip


def cmd_job(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> Job:
        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
            sessions = app_sessions(engine, settings)
            waited = 0.0
            while True:
                if args.wait and settings.is_sqlite:
                    await run_due(sessions, registry(settings))  # no worker may be running: be one
                async with sessions() as session:
                    job = (await reads.jobs_by_ids(session, SYSTEM, [args.id])).get(args.id)
                if job is None:
                    raise NotFound("id", "job", args.id)
                if job.state in FINISHED or waited >= args.wait:
                    return job
                await asyncio.sleep(1.0)
                waited += 1.0
        finally:
            await engine.dispose()

    job = asyncio.run(run())
    print(json.dumps(job_view(job), ensure_ascii=False, indent=2))
    return 1 if job.state is JobState.FAILED else 0


def cmd_job_prune(settings: Settings, args: argparse.Namespace) -> int:
    from procurement.retention import prune_now

    days: int = args.days or settings.job_retention_days

    async def run() -> Pruned:
        engine = create_engine(settings.database_url)
        try:
            await migrate.upgrade(engine)
            pruned = await prune_now(app_sessions(engine, settings), days)
            if not settings.is_sqlite:
                from procurement.jobs.queue import build_app, prune_queue

                queue = build_app(settings.database_url)
                async with queue.open_async():
                    await prune_queue(queue)
            return pruned
        finally:
            await engine.dispose()

    pruned = asyncio.run(run())
    print(
        f"deleted {pruned.jobs} finished jobs, {pruned.sbom_uploads} SBOM uploads and "
        f"{pruned.advisory_uploads} advisory uploads older than {days} days"
    )
    return 0


def _positive_days(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 3650:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of days from 1 to 3650")
    return int(value)


def _job_id(value: str) -> int:
    pk = from_number_or_global_id(value, "Job")
    if pk is None:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number or a global ID of type Job")
    return pk


def add_parsers(sub: Any) -> None:
    worker = sub.add_parser(
        "worker",
        help="run background jobs (rescreens after rule, list and advisory changes)",
        description=(
            "Run background jobs until stopped (Ctrl-C or SIGTERM). On PostgreSQL start one or "
            "more of these beside 'procurement serve', on any machine that reaches the "
            "database: the app only enqueues. On the embedded SQLite database the app runs "
            "jobs itself, so a worker is needed only while the app is not running."
        ),
    )
    worker.add_argument(
        "--concurrency", type=int, default=1,
        help="jobs run at the same time by this worker, PostgreSQL only (default: 1)",
    )  # fmt: skip
    worker.add_argument(
        "--once", action="store_true",
        help="run the jobs that are due, then exit instead of waiting for more",
    )  # fmt: skip
    worker.add_argument(
        "--name", default=f"{socket.gethostname()}-{os.getpid()}",
        help="the worker's name in logs, PostgreSQL only (default: host-pid)",
    )  # fmt: skip
    worker.add_argument(
        "--poll", type=float, default=5.0,
        help="seconds between looks for new jobs, SQLite only (default: 5)",
    )  # fmt: skip
    worker.set_defaults(handler=cmd_worker)

    job = sub.add_parser("job", help="background jobs")
    job_sub = job.add_subparsers(dest="job_command", required=True)
    show = job_sub.add_parser(
        "show", help="a job's state, progress, outcome or error, as JSON; exit 1 when FAILED"
    )
    show.add_argument(
        "id", type=_job_id, help="the job's number, or its global ID as the API shows it"
    )
    show.add_argument(
        "--wait", type=float, default=0.0,
        help="wait up to this many seconds for the job to finish (on SQLite, running due jobs "
        "meanwhile); default: 0, show it as it is",
    )  # fmt: skip
    show.set_defaults(handler=cmd_job)
    prune = job_sub.add_parser(
        "prune",
        help="delete finished jobs, and uploads whose job failed, older than the retention "
        "period (the service also does it once a day)",
    )
    prune.add_argument(
        "--days", type=_positive_days, default=None,
        help="keep this many days (default: PROCUREMENT_JOB_RETENTION_DAYS, 30)",
    )  # fmt: skip
    prune.set_defaults(handler=cmd_job_prune)
