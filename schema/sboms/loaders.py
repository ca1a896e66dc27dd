"""Loaders for SBOMs: a version (the GraphQL ``Sbom``), its series, a series' history, and the
current versions of a purchase."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import Sbom, SbomVersion
from procurement.permissions import Principal
from procurement.sboms import reads
from schema.core.dataloaders import ListLoader, ObjectLoader


class SbomVersionByIdLoader(ObjectLoader[int, SbomVersion]):
    context_key = "sbom_version_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, SbomVersion]:
        return await reads.versions_by_ids(session, principal, keys)


class SbomSeriesByIdLoader(ObjectLoader[int, Sbom]):
    context_key = "sbom_series_by_id"

    def peek(self, key: int) -> Sbom | None:
        """The series if this request has it already (loaded or primed), without waiting."""
        future = self._cache.get(key)  # graphene's DataLoader: key -> future of the value
        if future is None or not future.done() or future.cancelled() or future.exception():
            return None
        found: Sbom | None = future.result()
        return found

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, Sbom]:
        return await reads.series_by_ids(session, principal, keys)


class SbomHistoryBySeriesIdLoader(ListLoader[int, SbomVersion]):
    """Every version of the series, newest first."""

    context_key = "sbom_history_by_series_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[SbomVersion]]:
        return await reads.history_by_series_ids(session, principal, keys)


class SbomsByPurchaseIdLoader(ListLoader[int, SbomVersion]):
    """The current version of each SBOM of the purchase, oldest SBOM first."""

    context_key = "sboms_by_purchase_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[SbomVersion]]:
        return await reads.current_versions_by_purchase_ids(session, principal, keys)
