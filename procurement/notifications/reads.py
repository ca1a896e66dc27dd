"""Scoped reads of subscriptions and the delivery log (through permissions.scope_subscriptions):
admins see all, everyone else what their own token subscribed. Never commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import DeliveryStatus
from procurement.models import (
    NotificationAttempt,
    NotificationDelivery,
    NotificationEvent,
    NotificationSubscription,
)
from procurement.paging import Page, keyset_page
from procurement.permissions import Action, Principal, require, scope_subscriptions


def _visible_subscription_ids(principal: Principal) -> object:
    return scope_subscriptions(select(NotificationSubscription.id), principal)


async def list_subscriptions(
    session: AsyncSession, principal: Principal, after_id: int | None, limit: int
) -> Page[NotificationSubscription]:
    require(principal, Action.MANAGE_OWN_SUBSCRIPTIONS)
    stmt = scope_subscriptions(
        select(NotificationSubscription).where(NotificationSubscription.deleted_at.is_(None)),
        principal,
    )
    return await keyset_page(session, stmt, NotificationSubscription.id, after_id, limit)


async def list_deliveries(
    session: AsyncSession,
    principal: Principal,
    after_id: int | None,
    limit: int,
    status: DeliveryStatus | None = None,
) -> Page[NotificationDelivery]:
    require(principal, Action.MANAGE_OWN_SUBSCRIPTIONS)
    stmt = select(NotificationDelivery).where(
        NotificationDelivery.subscription_id.in_(_visible_subscription_ids(principal))  # type: ignore[arg-type]
    )
    if status is not None:
        stmt = stmt.where(NotificationDelivery.status == status)
    return await keyset_page(session, stmt, NotificationDelivery.id, after_id, limit)


# --- batches for the GraphQL loaders (scoped like the lists) ---


async def attempts_by_delivery_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, list[NotificationAttempt]]:
    rows = await session.scalars(
        select(NotificationAttempt)
        .join(NotificationDelivery, NotificationDelivery.id == NotificationAttempt.delivery_id)
        .where(
            NotificationAttempt.delivery_id.in_(ids),
            NotificationDelivery.subscription_id.in_(_visible_subscription_ids(principal)),  # type: ignore[arg-type]
        )
        .order_by(NotificationAttempt.id)
    )
    out: dict[int, list[NotificationAttempt]] = {}
    for row in rows:
        out.setdefault(row.delivery_id, []).append(row)
    return out


async def subscriptions_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, NotificationSubscription]:
    stmt = scope_subscriptions(
        select(NotificationSubscription).where(NotificationSubscription.id.in_(ids)), principal
    )
    return {s.id: s for s in await session.scalars(stmt)}


async def events_by_ids(
    session: AsyncSession, principal: Principal, ids: Sequence[int]
) -> dict[int, NotificationEvent]:
    """The events behind visible deliveries (kind and time; the facts stay internal)."""
    stmt = select(NotificationEvent).where(
        NotificationEvent.id.in_(ids),
        NotificationEvent.id.in_(
            select(NotificationDelivery.event_id).where(
                NotificationDelivery.subscription_id.in_(_visible_subscription_ids(principal))  # type: ignore[arg-type]
            )
        ),
    )
    return {e.id: e for e in await session.scalars(stmt)}
