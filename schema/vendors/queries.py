from __future__ import annotations

from typing import Any

import graphene

from procurement.registry import reads
from schema.context import context_of
from schema.core.pagination import connection, page_args
from schema.vendors.types import VendorConnection


class VendorQueries(graphene.ObjectType):
    vendors = graphene.Field(
        VendorConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        search=graphene.String(description="Part of the vendor's name"),
        description="Vendors the caller may see",
    )

    @staticmethod
    async def resolve_vendors(
        _root: Any,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        page = await ctx.call(reads.list_vendors, after_id, limit, search)
        return connection(VendorConnection, page, after)
