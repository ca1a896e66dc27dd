"""Loaders for purchases and their responsible persons, and the priming of a page of purchases'
relations."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import Operator, Purchase, ResponsiblePerson, ScreeningRecord, Vendor
from procurement.permissions import Principal
from procurement.registry import reads
from schema.core.dataloaders import DataLoader, ListLoader, ObjectLoader
from schema.operators.loaders import CiiSystemByIdLoader, OperatorByIdLoader
from schema.screening.loaders import ScreeningByPurchaseIdLoader
from schema.vendors.loaders import VendorByIdLoader


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


# Purchase fields (GraphQL names) whose resolvers take their value from a loader by a key of the
# purchase (through DataLoader.get), with that key; None: nothing to load.
_RELATIONS: dict[str, tuple[type[DataLoader[Any, Any]], Callable[[Purchase], int | None]]] = {
    "operator": (OperatorByIdLoader, lambda purchase: purchase.operator_id),
    "vendor": (VendorByIdLoader, lambda purchase: purchase.vendor_id),
    "ciiSystem": (CiiSystemByIdLoader, lambda purchase: purchase.cii_system_id),
    "screening": (ScreeningByPurchaseIdLoader, lambda purchase: purchase.id),
}


async def prime_relations(info: Any, purchases: Sequence[Purchase], fields: Iterable[str]) -> None:
    """Load what the selected ``fields`` (GraphQL names) of these purchases need, one batch per
    relation, so that their resolvers complete at once (a page of 20 purchases with vendor,
    operator and screening: 60 fields without a coroutine each). The same loaders and reads as
    the fields' own, in the same request: the same statements, the same scoping, and a refusal
    or failure reaches each field as it would have (see ``DataLoader.prime_many``)."""
    loads: list[Awaitable[None]] = []
    for field in fields:
        relation = _RELATIONS.get(field)
        if relation is None:
            continue
        loader, key_of = relation
        keys = [key for purchase in purchases if (key := key_of(purchase)) is not None]
        if keys:
            loads.append(loader(info).prime_many(keys))
    if loads:
        await asyncio.gather(*loads)


async def prime_purchases(info: Any, ids: Sequence[int], fields: Iterable[str]) -> None:
    """Load these purchases in one batch, then what their selected ``fields`` need (see
    ``prime_relations``): for a page of items that each point at a purchase."""
    if not ids:
        return
    loader = PurchaseByIdLoader(info)
    await loader.prime_many(ids)
    loaded = (loader.get(key) for key in dict.fromkeys(ids))
    found = [purchase for purchase in loaded if isinstance(purchase, Purchase)]
    await prime_relations(info, found, fields)


def prime_parties(
    info: Any, operators: Mapping[int, Operator], vendors: Mapping[int, Vendor]
) -> None:
    """Hand operators and vendors read with a page (by id) to their loaders, so that
    ``prime_relations`` finds them loaded and reads them no more."""
    operator_loader = OperatorByIdLoader(info)
    for key, operator in operators.items():
        operator_loader.prime(key, operator)
    vendor_loader = VendorByIdLoader(info)
    for key, vendor in vendors.items():
        vendor_loader.prime(key, vendor)


def prime_screenings(info: Any, screenings: Mapping[int, ScreeningRecord | None]) -> None:
    """Hand the current screening results read with a page (by purchase id; None: none) to
    their loader, as ``prime_parties`` does for the parties."""
    loader = ScreeningByPurchaseIdLoader(info)
    for key, result in screenings.items():
        loader.prime(key, result)


async def prime_read_purchases(
    info: Any,
    ids: Sequence[int],
    purchases: Mapping[int, Purchase],
    vendors: Mapping[int, Vendor],
    fields: Iterable[str],
) -> None:
    """``prime_purchases`` for purchases (and their vendors) read with a page already: hand
    them to their loaders, then load what else their selected ``fields`` need."""
    loader = PurchaseByIdLoader(info)
    for key, purchase in purchases.items():
        loader.prime(key, purchase)
    prime_parties(info, {}, vendors)
    await prime_purchases(info, ids, fields)
