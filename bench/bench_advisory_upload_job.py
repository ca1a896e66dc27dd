"""The OSV upload as a job (issue 14): how long the request's part takes (check, store the dump,
enqueue the job, commit) against the job's import, and against importing in the request as before.

Generates a zip of --records records (bench/osv_generate.py, deterministic), then on two fresh
databases: (1) stores it and enqueues its job as ``POST /api/advisories/import`` now does, then
runs the job; (2) imports it in the caller, in committed batches, as the request used to.

    .venv/bin/python bench/bench_advisory_upload_job.py --records 5000      # fresh SQLite files
    .venv/bin/python bench/with_postgres.py bench/bench_advisory_upload_job.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR.parent), str(BENCH_DIR)]

import osv_generate  # noqa: E402
from sqlalchemy import text  # noqa: E402

from procurement import migrate  # noqa: E402
from procurement.composition import app_sessions  # noqa: E402
from procurement.db import create_engine  # noqa: E402
from procurement.job_kinds import REGISTRY  # noqa: E402
from procurement.jobs.runner import run_due  # noqa: E402
from procurement.permissions import SYSTEM  # noqa: E402
from procurement.screening.actions.advisory_dump import import_osv_dump  # noqa: E402
from procurement.screening.actions.advisory_upload import upload_osv_dump  # noqa: E402
from procurement.settings import normalise_database_url  # noqa: E402


async def fresh(url: str) -> tuple[object, object]:
    engine = create_engine(normalise_database_url(url))
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("DROP SCHEMA IF EXISTS procrastinate CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await migrate.upgrade(engine)
    return engine, app_sessions(engine)


async def run(url_of: object, records: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "all.zip"
        osv_generate.write_zip(dump, osv_generate.records(records))
        print(f"dump: {records} records, {dump.stat().st_size / 1e6:.1f} MB zip")

        engine, sessions = await fresh(url_of(Path(folder) / "job.db"))  # type: ignore[operator]
        timings = []
        for _ in range(3):  # the first pays the process's warm-up (mappers, compiled SQL)
            async with sessions() as session:  # type: ignore[operator]
                started = time.perf_counter()
                await upload_osv_dump(session, SYSTEM, dump, "all.zip")
                timings.append(time.perf_counter() - started)
        request = min(timings[1:])
        started = time.perf_counter()
        result, *again = await run_due(sessions, REGISTRY)  # type: ignore[arg-type]
        worker = time.perf_counter() - started
        assert result.outcome is not None, result.error
        skipped = [r.outcome["skipped"] if r.outcome else r.error for r in again]
        print(f"as a job: request (check, store, enqueue, commit) {request * 1000:.0f} ms warm "
              f"({timings[0] * 1000:.0f} ms first); the 3 jobs in {worker:.2f} s, the first "
              f"{result.state.value} adding {result.outcome['added']}, then "
              f"{skipped} skipped")  # fmt: skip
        await engine.dispose()  # type: ignore[attr-defined]

        engine, sessions = await fresh(url_of(Path(folder) / "inline.db"))  # type: ignore[operator]
        async with sessions() as session:  # type: ignore[operator]
            started = time.perf_counter()
            report = await import_osv_dump(session, SYSTEM, [(dump, "all.zip")])
            inline = time.perf_counter() - started
        print(f"in the request (before): {inline:.2f} s, added {report.added}")
        await engine.dispose()  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    args = parser.parse_args()
    shared = os.environ.get("BENCH_POSTGRES_URL")

    def url_of(path: Path) -> str:
        return shared or f"sqlite:///{path}"

    asyncio.run(run(url_of, args.records))


if __name__ == "__main__":
    main()
