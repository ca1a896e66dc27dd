"""Loaders for jobs (scoped by procurement.jobs.reads)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.jobs import reads
from procurement.models import Job
from procurement.permissions import Principal
from schema.core.dataloaders import ObjectLoader


class JobByIdLoader(ObjectLoader[int, Job]):
    context_key = "job_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, Job]:
        return await reads.jobs_by_ids(session, principal, keys)
