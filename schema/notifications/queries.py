from __future__ import annotations

from typing import Any

import graphene

from procurement.notifications import reads
from schema.context import context_of
from schema.core.pagination import connection, page_args
from schema.notifications.types import (
    DeliveryStatusEnum,
    NotificationDeliveryConnection,
    NotificationSubscriptionConnection,
)


class NotificationQueries(graphene.ObjectType):
    notification_subscriptions = graphene.Field(
        NotificationSubscriptionConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        description="Your own subscriptions (admins: every one, team addresses included)",
    )
    notification_deliveries = graphene.Field(
        NotificationDeliveryConnection,
        required=True,
        first=graphene.Int(description="Page size; default and maximum: the server limit"),
        after=graphene.String(description="The cursor after which the page starts"),
        status=graphene.Argument(DeliveryStatusEnum, description="Only deliveries in this status"),
        description="The delivery log of your subscriptions, oldest first",
    )

    @staticmethod
    async def resolve_notification_subscriptions(
        _root: Any, info: Any, first: int | None = None, after: str | None = None
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        page = await ctx.call(reads.list_subscriptions, after_id, limit)
        return connection(NotificationSubscriptionConnection, page, after)

    @staticmethod
    async def resolve_notification_deliveries(
        _root: Any,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        status: Any = None,
    ) -> Any:
        ctx = context_of(info)
        after_id, limit = page_args(first, after, ctx.settings.max_page_size)
        page = await ctx.call(reads.list_deliveries, after_id, limit, status)
        return connection(NotificationDeliveryConnection, page, after)
