from __future__ import annotations

from typing import Any

import graphene

from procurement.registry import purchase_list
from schema.context import context_of
from schema.core.enums import PurchaseCategoryEnum, PurchaseStatusEnum
from schema.core.ids import parse_global_id, parse_optional_global_id
from schema.core.pagination import connection, page_args
from schema.core.selection import selected_fields
from schema.purchases.loaders import (
    PurchaseByIdLoader,
    prime_parties,
    prime_relations,
    prime_screenings,
)
from schema.purchases.types import Purchase, PurchaseConnection


class PurchaseFilterInput(graphene.InputObjectType):
    """Which purchases to list (all conditions must hold)"""

    operator_id = graphene.ID(description="Only this Operator's (global ID)")
    vendor_id = graphene.ID(description="Only this Vendor's (global ID)")
    category = graphene.InputField(PurchaseCategoryEnum, description="Only this category")
    status = graphene.InputField(PurchaseStatusEnum, description="Only this status")
    in_use = graphene.Boolean(
        description="Only those with (true) or without (false) an in-use date"
    )
    contract_date_from = graphene.Date(description="Contract date on or after this day")
    contract_date_to = graphene.Date(description="Contract date on or before this day")
    search = graphene.String(description="Part of the title")


def _filter(raw: dict[str, Any] | None) -> purchase_list.PurchaseFilter:
    raw = dict(raw or {})
    return purchase_list.PurchaseFilter(
        operator_id=parse_optional_global_id(
            raw.get("operator_id"), "Operator", "filter.operatorId"
        ),
        vendor_id=parse_optional_global_id(raw.get("vendor_id"), "Vendor", "filter.vendorId"),
        category=raw.get("category"),
        status=raw.get("status"),
        in_use=raw.get("in_use"),
        contract_date_from=raw.get("contract_date_from"),
        contract_date_to=raw.get("contract_date_to"),
        search=raw.get("search"),
    )


class PurchaseQueries(graphene.ObjectType):
    purchases = graphene.Field(
        PurchaseConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        filter=PurchaseFilterInput(description="Which purchases to list"),
        description="Purchases the caller may see, in registration order",
    )
    purchase = graphene.Field(
        Purchase,
        id=graphene.ID(required=True, description="The Purchase's global ID"),
        description="One purchase",
    )

    @staticmethod
    async def resolve_purchases(
        _root: Any,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        filter: dict[str, Any] | None = None,
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        fields = selected_fields(info, "edges", "node")
        if "operator" in fields or "vendor" in fields:  # one statement instead of three
            found = await ctx.call(
                purchase_list.list_purchases_with_parties, _filter(filter), after_id, limit,
                screening="screening" in fields,
            )  # fmt: skip
            prime_parties(info, found.operators, found.vendors)
            if found.screenings is not None:
                prime_screenings(info, found.screenings)
            page = found.page
        else:
            page = await ctx.call(purchase_list.list_purchases, _filter(filter), after_id, limit)
        await prime_relations(info, page.items, fields)
        return connection(PurchaseConnection, page, after)

    @staticmethod
    async def resolve_purchase(_root: Any, info: Any, id: str) -> Any:
        pk = parse_global_id(id, "Purchase", "id")
        return await PurchaseByIdLoader(info).load(pk)
