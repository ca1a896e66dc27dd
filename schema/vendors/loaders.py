"""Loaders for vendors and the restriction-list entries that name them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import RestrictionEntry, RestrictionList, Vendor
from procurement.permissions import Principal
from procurement.registry import reads
from schema.core.dataloaders import ListLoader, ObjectLoader


class VendorByIdLoader(ObjectLoader[int, Vendor]):
    context_key = "vendor_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, Vendor]:
        return await reads.vendors_by_ids(session, principal, keys)


class RestrictionsByVendorIdLoader(ListLoader[int, tuple[RestrictionEntry, RestrictionList]]):
    """Each entry naming the vendor, with its list."""

    context_key = "restrictions_by_vendor_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[tuple[RestrictionEntry, RestrictionList]]]:
        return await reads.restrictions_by_vendor_ids(session, principal, keys)
