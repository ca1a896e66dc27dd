from __future__ import annotations

from typing import Any

import graphene

from procurement.registry import reads
from schema.audit.types import AuditEventConnection
from schema.context import context_of
from schema.core.pagination import connection, page_args


class AuditQueries(graphene.ObjectType):
    audit_events = graphene.Field(
        AuditEventConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        object_type=graphene.String(description="e.g. Purchase"),
        description="Admins see every event; auditors their operator's",
    )

    @staticmethod
    async def resolve_audit_events(
        _root: Any,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        object_type: str | None = None,
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        page = await ctx.call(reads.list_audit_events, after_id, limit, object_type)
        return connection(AuditEventConnection, page, after)
