"""Job kinds for the job tests: write two rows with progress; fail; write then hang on the first
attempt (a worker to kill mid-job); refuse its input; lose a race. The real kinds come along, as a worker has them."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.errors import ErrorCode, InputError
from procurement.job_kinds import REGISTRY
from procurement.jobs.runner import JobContext, Registry
from procurement.models import RestrictionList

WRITE = "test.write_two_lists"
FAIL = "test.fail"
HANG_FIRST = "test.write_then_hang_on_first_attempt"
REFUSED = "test.refused_input"
CONFLICT = "test.lost_a_race"


async def _add(session: AsyncSession, name: str) -> None:
    session.add(RestrictionList(name=name, source="job test", published_on=date(2025, 1, 1)))
    await session.flush()


async def write_two(session: AsyncSession, job: JobContext) -> dict[str, Any]:
    prefix = str(job.arguments["prefix"])
    for i in (1, 2):
        await _add(session, f"{prefix} {i}")
        await job.progress(i, 2)
    return {"written": 2, "attempt": job.attempt}


async def fail(session: AsyncSession, job: JobContext) -> dict[str, Any]:
    await _add(session, f"never kept {job.attempt}")
    raise RuntimeError(f"the advisory feed answered 503 (attempt {job.attempt})")


async def refused(session: AsyncSession, job: JobContext) -> dict[str, Any]:
    await _add(session, f"never kept {job.attempt}")
    raise InputError.single("file/components/3", "name is required", ErrorCode.INVALID)


async def conflict(session: AsyncSession, job: JobContext) -> dict[str, Any]:
    raise InputError.single("version", "changed meanwhile", ErrorCode.CONFLICT)


async def hang_first(session: AsyncSession, job: JobContext) -> dict[str, Any]:
    outcome = await write_two(session, job)
    if job.attempt == 1:
        marker = Path(job.arguments["marker"])
        await asyncio.to_thread(marker.write_text, "rows written, not committed")
        await asyncio.sleep(3600)  # killed here
    return outcome


TEST_REGISTRY: Registry = {
    **REGISTRY, WRITE: write_two, FAIL: fail, HANG_FIRST: hang_first, REFUSED: refused,
    CONFLICT: conflict,
}  # fmt: skip
