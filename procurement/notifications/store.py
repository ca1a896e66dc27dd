"""Session helpers of the dispatcher: fan events out to deliveries, claim due deliveries, record
attempts. Never commit, never check a caller's permission (the dispatcher is the system)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import DeliveryStatus, NotificationMode
from procurement.models import (
    Agreement,
    AgreementObligation,
    ApiToken,
    NotificationDelivery,
    NotificationEvent,
    NotificationSubscription,
    Purchase,
    SupervisionCheck,
    Vendor,
)
from procurement.notifications.audience import may_hear, principal_of
from procurement.notifications.texts import Subject
from procurement.permissions import Principal


async def active_subscriptions(
    session: AsyncSession,
) -> list[tuple[NotificationSubscription, ApiToken | None]]:
    rows = await session.execute(
        select(NotificationSubscription, ApiToken)
        .outerjoin(ApiToken, ApiToken.id == NotificationSubscription.token_id)
        .where(
            NotificationSubscription.active.is_(True),
            NotificationSubscription.deleted_at.is_(None),
        )
        .order_by(NotificationSubscription.id)
    )
    return [(sub, token) for sub, token in rows]


async def purchase_of_event(session: AsyncSession, event: NotificationEvent) -> int | None:
    """The purchase an event is about; agreement and supervision events name it indirectly."""
    if event.purchase_id is not None or event.object_id is None:
        return event.purchase_id
    if event.object_type == "Agreement":
        return await session.scalar(
            select(Agreement.purchase_id).where(Agreement.id == event.object_id)
        )
    if event.object_type == "SupervisionCheck":
        return await session.scalar(
            select(Agreement.purchase_id)
            .join(AgreementObligation, AgreementObligation.agreement_id == Agreement.id)
            .join(SupervisionCheck, SupervisionCheck.obligation_id == AgreementObligation.id)
            .where(SupervisionCheck.id == event.object_id)
        )
    return None


async def fan_out(session: AsyncSession, now: datetime, limit: int = 200) -> int:
    """:func:`fan_out_ids`, counted."""
    return len(await fan_out_ids(session, now, limit))


async def fan_out_ids(session: AsyncSession, now: datetime, limit: int = 200) -> list[int]:
    """Turn events not yet fanned out into one pending delivery per recipient that subscribed to
    their kind and may read them. Each event is taken by exactly one process: FOR UPDATE SKIP
    LOCKED on PostgreSQL, and the conditional UPDATE (whose RETURNING names what this process
    took) on every backend. Returns the new deliveries' ids."""
    ids = list(
        await session.scalars(
            select(NotificationEvent.id)
            .where(NotificationEvent.fanned_out_at.is_(None))
            .order_by(NotificationEvent.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        return []
    taken = list(
        await session.scalars(
            update(NotificationEvent)
            .where(NotificationEvent.id.in_(ids), NotificationEvent.fanned_out_at.is_(None))
            .values(fanned_out_at=now)
            .returning(NotificationEvent.id)
            .execution_options(synchronize_session=False)
        )
    )
    if not taken:
        return []
    events = await session.scalars(
        select(NotificationEvent)
        .where(NotificationEvent.id.in_(taken))
        .order_by(NotificationEvent.id)
    )
    subscriptions = await active_subscriptions(session)
    seen: dict[tuple[Principal, int], bool] = {}
    rows: list[dict[str, object]] = []
    for event in list(events):
        purchase_id = await purchase_of_event(session, event)
        if purchase_id is not None and event.purchase_id is None:
            event.purchase_id = purchase_id
        for sub, token in subscriptions:
            if event.subscription_id is not None:
                if sub.id != event.subscription_id:
                    continue
            elif sub.mode is not NotificationMode.IMMEDIATE or event.kind not in sub.kinds:
                continue  # digest subscriptions hear of events in their daily summary
            principal = principal_of(sub, token)
            if principal is None:
                continue
            if not await may_hear(
                session, principal, event.kind, purchase_id, event.operator_id, seen
            ):
                continue
            rows.append(
                {
                    "event_id": event.id,
                    "subscription_id": sub.id,
                    "notice_id": uuid.uuid4().hex,
                    "status": DeliveryStatus.PENDING,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
    if not rows:
        return []
    made = await session.scalars(
        insert(NotificationDelivery).returning(NotificationDelivery.id), rows
    )
    return sorted(made)


def _due(now: datetime) -> list[object]:
    return [
        NotificationDelivery.status == DeliveryStatus.PENDING,
        NotificationDelivery.next_attempt_at <= now,
        or_(
            NotificationDelivery.claimed_until.is_(None),
            NotificationDelivery.claimed_until < now,
        ),
    ]


async def claim(session: AsyncSession, now: datetime, lease: timedelta, limit: int) -> str | None:
    """Lease up to ``limit`` due deliveries to this process; the claim token names them. A lease
    that runs out (the process died between sending and marking) makes them due again: the
    notice is sent again with the same notice id (at least once)."""
    ids = list(
        await session.scalars(
            select(NotificationDelivery.id)
            .where(and_(*_due(now)))  # type: ignore[arg-type]
            .order_by(NotificationDelivery.next_attempt_at, NotificationDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        return None
    token = uuid.uuid4().hex
    await session.execute(
        update(NotificationDelivery)
        .where(NotificationDelivery.id.in_(ids), *_due(now))  # type: ignore[arg-type]
        .values(claim=token, claimed_until=now + lease)
    )
    return token


async def claim_ids(
    session: AsyncSession, ids: Sequence[int], token: str, now: datetime, lease: timedelta
) -> None:
    """Lease the named deliveries that are due to ``token`` (a delivery job's own token): those
    nobody holds, and those this token held before (the same job run again after its worker
    died between sending and marking: sent again, same notice id)."""
    if not ids:
        return
    due = [
        NotificationDelivery.id.in_(sorted(set(ids))),
        NotificationDelivery.status == DeliveryStatus.PENDING,
        NotificationDelivery.next_attempt_at <= now,
        or_(
            NotificationDelivery.claimed_until.is_(None),
            NotificationDelivery.claimed_until < now,
            NotificationDelivery.claim == token,
        ),
    ]
    free = list(
        await session.scalars(
            select(NotificationDelivery.id).where(*due).with_for_update(skip_locked=True)
        )
    )
    if free:
        await session.execute(
            update(NotificationDelivery)
            .where(NotificationDelivery.id.in_(free), *due)
            .values(claim=token, claimed_until=now + lease)
            .execution_options(synchronize_session=False)
        )


@dataclass(frozen=True, slots=True)
class Claimed:
    delivery: NotificationDelivery
    event: NotificationEvent
    subscription: NotificationSubscription
    token: ApiToken | None


async def claimed(session: AsyncSession, token: str) -> list[Claimed]:
    rows = await session.execute(
        select(NotificationDelivery, NotificationEvent, NotificationSubscription, ApiToken)
        .join(NotificationEvent, NotificationEvent.id == NotificationDelivery.event_id)
        .join(
            NotificationSubscription,
            NotificationSubscription.id == NotificationDelivery.subscription_id,
        )
        .outerjoin(ApiToken, ApiToken.id == NotificationSubscription.token_id)
        .where(NotificationDelivery.claim == token)
        .order_by(NotificationDelivery.id)
    )
    return [Claimed(d, e, s, t) for d, e, s, t in rows]


async def subjects(session: AsyncSession, purchase_ids: Sequence[int]) -> dict[int, Subject]:
    """Purchase titles and vendor names, for the notices' texts."""
    if not purchase_ids:
        return {}
    rows = await session.execute(
        select(Purchase.id, Purchase.title, Vendor.name)
        .join(Vendor, Vendor.id == Purchase.vendor_id)
        .where(Purchase.id.in_(sorted(set(purchase_ids))))
    )
    return {pid: Subject(title, vendor) for pid, title, vendor in rows}
