"""Loaders for screening results and restriction-list entries (the reads check READ_SCREENING,
so vendors are refused)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import RestrictionEntry, ScreeningRecord
from procurement.permissions import Principal
from procurement.screening import reads
from procurement.screening.actions import restrictions
from schema.core.dataloaders import ListLoader, ObjectLoader


class ScreeningByPurchaseIdLoader(ObjectLoader[int, ScreeningRecord]):
    """The purchase's current screening result."""

    context_key = "screening_by_purchase_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, ScreeningRecord]:
        return await reads.screenings_by_purchase_ids(session, principal, keys)


class ScreeningHistoryByPurchaseIdLoader(ListLoader[int, ScreeningRecord]):
    """The newest results, newest first."""

    context_key = "screening_history_by_purchase_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[ScreeningRecord]]:
        return await reads.screening_history_by_purchase_ids(session, principal, keys)


class RestrictionEntriesByListIdLoader(ListLoader[int, RestrictionEntry]):
    context_key = "restriction_entries_by_list_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[RestrictionEntry]]:
        return await restrictions.entries_by_list_ids(session, principal, keys)
