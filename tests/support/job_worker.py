"""A real procrastinate worker process with the test job kinds, for the kill test:
``python -m tests.support.job_worker DATABASE_URL [--once]``."""

from __future__ import annotations

import asyncio
import sys

from procurement.composition import app_sessions
from procurement.db import create_engine
from procurement.jobs.queue import WorkerEnv, build_app, run_worker
from tests.support.job_kinds import TEST_REGISTRY


async def main(url: str, once: bool) -> None:
    engine = create_engine(url)
    try:
        env = WorkerEnv(app_sessions(engine), TEST_REGISTRY)
        await run_worker(build_app(url), env, concurrency=1, name="test-worker", once=once)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], "--once" in sys.argv[2:]))
