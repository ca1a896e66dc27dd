from __future__ import annotations

from typing import Any

import graphene

from procurement.registry import reads
from schema.context import context_of
from schema.core.pagination import connection, page_args
from schema.operators.types import OperatorConnection


class OperatorQueries(graphene.ObjectType):
    operators = graphene.Field(
        OperatorConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        description="Operators the caller may see",
    )

    @staticmethod
    async def resolve_operators(
        _root: Any, info: Any, first: int | None = None, after: str | None = None
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        page = await ctx.call(reads.list_operators, after_id, limit)
        return connection(OperatorConnection, page, after)
