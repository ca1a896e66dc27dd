"""Scoped reads of jobs (the permission choke point decides which a principal sees)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import Job
from procurement.permissions import Principal, scope_jobs


async def jobs_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, Job]:
    stmt = scope_jobs(select(Job).where(Job.id.in_(ids)), principal)
    return {j.id: j for j in await session.scalars(stmt)}
