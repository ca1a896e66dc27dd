"""Loaders for purchases and their responsible persons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import Purchase, ResponsiblePerson
from procurement.permissions import Principal
from procurement.registry import reads
from schema.core.dataloaders import ListLoader, ObjectLoader


class PurchaseByIdLoader(ObjectLoader[int, Purchase]):
    context_key = "purchase_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, Purchase]:
        return await reads.purchases_by_ids(session, principal, keys)


class PersonsByPurchaseIdLoader(ListLoader[int, ResponsiblePerson]):
    """Internal field: the read refuses principals without READ_INTERNAL_FIELDS."""

    context_key = "persons_by_purchase_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[ResponsiblePerson]]:
        return await reads.persons_by_purchase_ids(session, principal, keys)
