"""Loaders for the delivery log (scoped by procurement.notifications.reads)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from procurement.models import NotificationAttempt, NotificationEvent, NotificationSubscription
from procurement.notifications import reads
from procurement.permissions import Principal
from schema.core.dataloaders import ListLoader, ObjectLoader


class SubscriptionByIdLoader(ObjectLoader[int, NotificationSubscription]):
    context_key = "notification_subscription_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, NotificationSubscription]:
        return await reads.subscriptions_by_ids(session, principal, keys)


class NotificationEventByIdLoader(ObjectLoader[int, NotificationEvent]):
    context_key = "notification_event_by_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, NotificationEvent]:
        return await reads.events_by_ids(session, principal, keys)


class AttemptsByDeliveryIdLoader(ListLoader[int, NotificationAttempt]):
    context_key = "notification_attempts_by_delivery_id"

    async def fetch(
        self, session: AsyncSession, principal: Principal, keys: Sequence[int]
    ) -> Mapping[int, list[NotificationAttempt]]:
        return await reads.attempts_by_delivery_ids(session, principal, keys)
