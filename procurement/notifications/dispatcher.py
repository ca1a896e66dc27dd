"""The dispatcher: after commit, fan events out, deliver what is due, log every attempt, retry
with backoff, and give up loudly (FAILED, audited, visible in GraphQL).

At least once: a delivery is leased, sent outside any transaction, then marked. A crash between
sending and marking lets the lease run out, and the next pass sends it again with the same
notice id, which receivers use to drop the duplicate. Nothing here blocks or fails the change
that wrote the event: it runs in another task or process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from procurement import audit
from procurement.db import utcnow
from procurement.enums import DeliveryStatus
from procurement.models import NotificationAttempt, NotificationDelivery
from procurement.notifications.audience import may_hear, principal_of
from procurement.notifications.backoff import next_attempt
from procurement.notifications.enqueue import DISPATCHER
from procurement.notifications.message import (
    ChannelKind,
    ChannelTarget,
    DeliveryOutcome,
    Language,
    Notice,
)
from procurement.notifications.store import Claimed, claim, claimed, fan_out, subjects
from procurement.notifications.texts import Subject, render
from procurement.permissions import Principal

log = logging.getLogger("procurement.notifications")

Deliver = Callable[[ChannelTarget, Notice], Awaitable[DeliveryOutcome]]
# Longer than a batch can take (50 deliveries, 8 at a time, each bounded by the channel timeout).
LEASE = timedelta(minutes=15)
CONCURRENCY = 8


@dataclass
class PassResult:
    fanned_out: int = 0
    attempted: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def notice_for(item: Claimed, subject: Subject) -> Notice:
    language = Language(item.subscription.language)
    facts = item.event.facts or {}
    title, lines = render(item.event.kind, facts, subject, language, item.event.occurred_at)
    return Notice(
        kind=item.event.kind,
        language=language,
        title=title,
        lines=lines,
        occurred_at=item.event.occurred_at,
        facts={k: str(v) for k, v in facts.items() if not isinstance(v, list | dict)},
        notice_id=item.delivery.notice_id,
    )


def target_of(item: Claimed) -> ChannelTarget:
    sub = item.subscription
    return ChannelTarget(ChannelKind(sub.channel), sub.address, sub.secret)


async def _still_allowed(
    session: AsyncSession, item: Claimed, seen: dict[tuple[Principal, int], bool]
) -> bool:
    """Roles and tokens change between the event and the attempt: ask again before sending."""
    sub = item.subscription
    if not sub.active or sub.deleted_at is not None:
        return False
    principal = principal_of(sub, item.token)
    return principal is not None and await may_hear(
        session, principal, item.event.kind, item.event.purchase_id, item.event.operator_id, seen
    )


async def _send(deliver: Deliver, target: ChannelTarget, notice: Notice) -> DeliveryOutcome:
    try:
        return await deliver(target, notice)
    except Exception as error:  # a channel bug must not stop the other deliveries
        log.exception("delivery raised")
        return DeliveryOutcome(False, True, f"internal error: {type(error).__name__}")


@dataclass(frozen=True)
class Batch:
    """Claimed deliveries with what sending them needs, read before any is sent."""

    items: list[Claimed]
    labels: dict[int, Subject]
    allowed: dict[int, bool]


async def read_claimed(session: AsyncSession, token: str) -> Batch:
    items = await claimed(session, token)
    labels = await subjects(
        session, [i.event.purchase_id for i in items if i.event.purchase_id is not None]
    )
    seen: dict[tuple[Principal, int], bool] = {}
    allowed = {i.delivery.id: await _still_allowed(session, i, seen) for i in items}
    return Batch(items, labels, allowed)


async def send_batch(batch: Batch, deliver: Deliver) -> list[DeliveryOutcome]:
    """Send every claimed delivery, a few at a time, outside any transaction."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def attempt(item: Claimed) -> DeliveryOutcome:
        if not batch.allowed[item.delivery.id]:
            return DeliveryOutcome(False, False, "recipient may no longer receive this notice")
        subject = batch.labels.get(item.event.purchase_id or 0, Subject())
        async with gate:
            return await _send(deliver, target_of(item), notice_for(item, subject))

    return list(await asyncio.gather(*(attempt(i) for i in batch.items)))


async def record_outcomes(
    session: AsyncSession,
    batch: Batch,
    outcomes: list[DeliveryOutcome],
    at: datetime,
    result: PassResult,
) -> dict[int, datetime]:
    """Log each attempt and mark each delivery (never commits); returns the next attempt time
    of each delivery to be tried again."""
    attempts, marks = [], []
    for item, outcome in zip(batch.items, outcomes, strict=True):
        attempt_row, mark = _outcome_rows(session, item, outcome, at, result)
        attempts.append(attempt_row)
        marks.append(mark)
    if not attempts:
        return {}
    await session.execute(insert(NotificationAttempt), attempts)
    # Only the claim holder marks a delivery; a late marker after a lost lease just logs.
    # Core, so that it is one executemany and not the ORM's update per row
    table = cast(Table, NotificationDelivery.__table__)
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("m_id"), table.c.claim == bindparam("m_claim"))
        .values(
            attempts=bindparam("m_attempts"),
            status=bindparam("m_status"),
            next_attempt_at=bindparam("m_next"),
            finished_at=bindparam("m_finished"),
            claim=None,
            claimed_until=None,
        ),
        marks,
    )
    return {
        cast(int, m["m_id"]): cast(datetime, m["m_next"])
        for m in marks
        if m["m_status"] is DeliveryStatus.PENDING
    }


async def run_once(
    sessions: async_sessionmaker[AsyncSession],
    deliver: Deliver,
    *,
    now: datetime | None = None,
    batch: int = 50,
) -> PassResult:
    """One pass outside the job queue (``procurement notifications deliver`` for cron, and
    tests): fan out new events, then deliver one batch of due deliveries."""
    pinned = now  # tests pin the clock; otherwise each attempt is logged at its own time
    now = now or utcnow()
    result = PassResult()
    async with sessions() as session:
        result.fanned_out = await fan_out(session, now)
        await session.commit()
    async with sessions() as session:
        token = await claim(session, now, LEASE, batch)
        await session.commit()
        if token is None:
            return result
        claimed_batch = await read_claimed(session, token)
        await session.commit()
    outcomes = await send_batch(claimed_batch, deliver)
    async with sessions() as session:
        await record_outcomes(session, claimed_batch, outcomes, pinned or utcnow(), result)
        await session.commit()
    result.attempted = len(claimed_batch.items)
    return result


def _outcome_rows(
    session: AsyncSession,
    item: Claimed,
    outcome: DeliveryOutcome,
    now: datetime,
    result: PassResult,
) -> tuple[dict[str, object], dict[str, object]]:
    """The log row of one attempt and the delivery's new state (audited when it gives up)."""
    d = item.delivery
    operator_id = item.subscription.operator_id or (item.token.operator_id if item.token else None)
    number = d.attempts + 1
    attempt = {
        "delivery_id": d.id, "number": number, "attempted_at": now,
        "delivered": outcome.delivered, "retryable": outcome.retryable,
        "status_code": outcome.status, "detail": outcome.detail[:2000],
    }  # fmt: skip
    mark: dict[str, object] = {
        "m_id": d.id, "m_claim": d.claim, "m_attempts": number, "m_status": d.status,
        "m_next": d.next_attempt_at, "m_finished": None,
    }  # fmt: skip
    retry_at = next_attempt(number, now) if outcome.retryable else None
    if outcome.delivered:
        mark |= {"m_status": DeliveryStatus.DELIVERED, "m_finished": now}
        result.delivered += 1
    elif retry_at is not None:
        mark |= {"m_next": retry_at}
        result.retrying += 1
    else:
        mark |= {"m_status": DeliveryStatus.FAILED, "m_finished": now}
        result.failed += 1
        audit.record(
            session, DISPATCHER, "notification.failed", "NotificationDelivery", d.id,
            operator_id=operator_id,
            after={"subscription_id": item.subscription.id, "notice_id": d.notice_id,
                   "kind": item.event.kind, "attempts": number, "detail": outcome.detail[:500]},
        )  # fmt: skip
    return attempt, mark
