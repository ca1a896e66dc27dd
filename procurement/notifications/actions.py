"""Subscription use cases: create, update, delete, send a test notice. Each checks permission
(procurement/permissions.py), validates everything, audits (never the secret) and commits once."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement import audit
from procurement.db import utcnow
from procurement.enums import DeliveryStatus, NotificationKind, NotificationMode, Role
from procurement.errors import ErrorCode, InputError, NotFound
from procurement.jobs.store import enqueue
from procurement.models import (
    ApiToken,
    NotificationDelivery,
    NotificationEvent,
    NotificationSubscription,
    Operator,
)
from procurement.notifications.audience import kinds_for
from procurement.notifications.enqueue import DELIVER, DISPATCHER
from procurement.notifications.message import ChannelKind, Language
from procurement.notifications.messages import ERRORS, said
from procurement.permissions import Action, Principal, require, scope_subscriptions
from procurement.texts import Text
from procurement.validation import Checker

MAX_WARN_DAYS = 30
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$")
_UNSET: Any = object()


@dataclass
class SubscriptionInput:
    """``operator_id`` set: an operator-level (team) subscription with ``role``, admins only;
    otherwise the caller's own. On update, fields left as ``UNSET`` keep their value; a
    ``secret`` of "" removes it."""

    name: Any = _UNSET
    kinds: Any = _UNSET
    channel: Any = _UNSET
    address: Any = _UNSET
    secret: Any = _UNSET
    language: Any = _UNSET
    mode: Any = _UNSET
    warn_working_days: Any = _UNSET
    active: Any = _UNSET
    operator_id: Any = _UNSET
    role: Any = _UNSET


UNSET = _UNSET


def snapshot(sub: NotificationSubscription) -> dict[str, Any]:
    return audit.snapshot(sub, exclude=frozenset({"secret"})) | {"has_secret": bool(sub.secret)}


def _apply(check: Checker, sub: NotificationSubscription, data: SubscriptionInput) -> None:
    """Validate ``data`` into ``sub`` (every problem collected; the caller calls check.done())."""
    if data.name is not _UNSET:
        sub.name = check.text("name", data.name, max_len=120) or ""
    if data.channel is not _UNSET:
        channel = check.enum("channel", data.channel, ChannelKind)
        sub.channel = channel.value if channel else ""
    if data.address is not _UNSET:
        sub.address = check.text("address", data.address, max_len=500) or ""
    if data.secret is not _UNSET:
        secret = check.text("secret", data.secret, max_len=500, required=False)
        sub.secret = secret or None
    if data.language is not _UNSET:
        language = check.enum("language", data.language, Language)
        sub.language = language.value if language else ""
    if data.mode is not _UNSET:
        sub.mode = check.enum("mode", data.mode, NotificationMode) or NotificationMode.IMMEDIATE
    if data.warn_working_days is not _UNSET:
        days = check.non_negative_int("warnWorkingDays", data.warn_working_days)
        if days is not None and days > MAX_WARN_DAYS:
            at_most = Text("notifications.error.warn_days", {"max": MAX_WARN_DAYS})
            check.fail("warnWorkingDays", at_most, ErrorCode.OUT_OF_RANGE, ERRORS)
        sub.warn_working_days = days if days is not None else 5
    if data.active is not _UNSET:
        sub.active = bool(data.active)
    if data.kinds is not _UNSET:
        if not isinstance(data.kinds, list | tuple) or not data.kinds:
            none = Text("notifications.error.no_kind", {})
            check.fail("kinds", none, ErrorCode.REQUIRED, ERRORS)
        else:
            kinds = [
                check.enum(f"kinds.{i}", k, NotificationKind) for i, k in enumerate(data.kinds)
            ]
            # Input order (without repeats), so that error paths name the input's items.
            sub.kinds = list(dict.fromkeys(k.value for k in kinds if k is not None))


def _check_target(check: Checker, sub: NotificationSubscription) -> None:
    if not sub.channel or not sub.address:
        return
    if sub.channel == ChannelKind.EMAIL:
        check.email("address", sub.address)
    elif not _URL.match(sub.address):
        not_url = Text("notifications.error.url", {"value": sub.address})
        check.fail("address", not_url, templates=ERRORS)


def _check_kinds(check: Checker, sub: NotificationSubscription, role: Role) -> None:
    """A subscription may ask only for what its reader may read (a vendor: no screening)."""
    allowed = {k.value for k in kinds_for(role)}
    for i, kind in enumerate(sub.kinds or []):
        if kind not in allowed:
            reader = Text(f"notifications.role.{role.value}", {})
            refused = Text("notifications.error.kind_for_role", {"role": reader, "kind": kind})
            check.fail(f"kinds.{i}", refused, templates=ERRORS)


async def create_subscription(
    session: AsyncSession, principal: Principal, data: SubscriptionInput
) -> NotificationSubscription:
    team = data.operator_id is not _UNSET and data.operator_id is not None
    require(
        principal,
        Action.MANAGE_OPERATOR_SUBSCRIPTIONS if team else Action.MANAGE_OWN_SUBSCRIPTIONS,
    )
    check = Checker()
    sub = NotificationSubscription(
        kinds=[], mode=NotificationMode.IMMEDIATE, warn_working_days=5, active=True,
        language=Language.ZH_CN.value, created_by_token_id=principal.token_id,
    )  # fmt: skip
    for required in ("name", "kinds", "channel", "address"):
        if getattr(data, required) is _UNSET:
            check.fail(required, Text("input.required", {}), ErrorCode.REQUIRED)
    _apply(check, sub, data)
    reader = principal.role
    if team:
        role = check.enum("role", None if data.role is _UNSET else data.role, Role)
        if role is Role.VENDOR:
            check.fail("role", Text("notifications.error.team_vendor", {}), templates=ERRORS)
        if await session.get(Operator, data.operator_id) is None:
            missing = Text("notifications.error.operator", {"id": data.operator_id})
            check.fail("operatorId", missing, ErrorCode.NOT_FOUND, ERRORS)
        sub.operator_id, sub.role = data.operator_id, role
        reader = role or reader
    elif principal.token_id is None:
        check.fail(None, Text("notifications.error.owner", {}), templates=ERRORS)
    else:
        sub.token_id = principal.token_id
    _check_target(check, sub)
    _check_kinds(check, sub, reader)
    check.done()
    session.add(sub)
    await session.flush()
    audit.record(
        session, principal, "notification_subscription.created", "NotificationSubscription",
        sub.id, operator_id=sub.operator_id or principal.operator_id, after=snapshot(sub),
    )  # fmt: skip
    await session.commit()
    return sub


async def _own(
    session: AsyncSession, principal: Principal, subscription_id: int
) -> NotificationSubscription:
    require(principal, Action.MANAGE_OWN_SUBSCRIPTIONS)
    stmt = scope_subscriptions(
        select(NotificationSubscription).where(
            NotificationSubscription.id == subscription_id,
            NotificationSubscription.deleted_at.is_(None),
        ),
        principal,
    )
    sub = await session.scalar(stmt)
    if sub is None:
        raise NotFound("id", "subscription", subscription_id)
    if sub.operator_id is not None:
        require(principal, Action.MANAGE_OPERATOR_SUBSCRIPTIONS)
    return sub


async def _reader_role(
    session: AsyncSession, sub: NotificationSubscription, principal: Principal
) -> Role:
    """The role the subscription's notices are read as (an admin may edit anyone's)."""
    if sub.role is not None:
        return sub.role
    token = await session.get(ApiToken, sub.token_id) if sub.token_id is not None else None
    return token.role if token is not None else principal.role


async def update_subscription(
    session: AsyncSession, principal: Principal, subscription_id: int, data: SubscriptionInput
) -> NotificationSubscription:
    sub = await _own(session, principal, subscription_id)
    before = snapshot(sub)
    check = Checker()
    _apply(check, sub, data)
    _check_target(check, sub)
    _check_kinds(check, sub, await _reader_role(session, sub, principal))
    if check.errors:
        await session.rollback()  # nothing half-written: the loaded row was changed in memory
    check.done()
    sub.updated_at = utcnow()
    audit.record(
        session, principal, "notification_subscription.updated", "NotificationSubscription",
        sub.id, operator_id=sub.operator_id or principal.operator_id, before=before,
        after=snapshot(sub),
    )  # fmt: skip
    await session.commit()
    return sub


async def delete_subscription(
    session: AsyncSession, principal: Principal, subscription_id: int
) -> int:
    """Soft delete: the row stays for the delivery log, never used or listed again."""
    sub = await _own(session, principal, subscription_id)
    sub.active = False
    sub.deleted_at = utcnow()
    audit.record(
        session, principal, "notification_subscription.deleted", "NotificationSubscription",
        sub.id, operator_id=sub.operator_id or principal.operator_id, after=snapshot(sub),
    )  # fmt: skip
    await session.commit()
    return sub.id


async def send_test_notification(
    session: AsyncSession, principal: Principal, subscription_id: int
) -> NotificationDelivery:
    """Queue a test notice to the subscription's channel; a worker sends it at once."""
    sub = await _own(session, principal, subscription_id)
    if not sub.active:
        paused = Text("notifications.error.paused", {})
        raise InputError([said("id", paused, ErrorCode.INVALID_STATE)])
    now = utcnow()
    event = NotificationEvent(
        kind="test", occurred_at=now, operator_id=sub.operator_id, purchase_id=None,
        object_type="NotificationSubscription", object_id=sub.id, facts={},
        subscription_id=sub.id, fanned_out_at=now,
    )  # fmt: skip
    session.add(event)
    await session.flush()
    delivery = NotificationDelivery(
        event_id=event.id, subscription_id=sub.id, notice_id=uuid.uuid4().hex,
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, created_at=now,
    )  # fmt: skip
    session.add(delivery)
    await session.flush()
    audit.record(
        session, principal, "notification.test_requested", "NotificationSubscription", sub.id,
        operator_id=sub.operator_id or principal.operator_id,
        after={"delivery_id": delivery.id, "notice_id": delivery.notice_id},
    )  # fmt: skip
    # Its own deliver job, committed with it (the event is fanned out already).
    await enqueue(session, DELIVER, {"delivery_ids": [delivery.id]}, DISPATCHER)
    await session.commit()
    return delivery
