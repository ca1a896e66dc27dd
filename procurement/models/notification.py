"""Notifications (issue 12): subscriptions, the outbox of domain events, and deliveries with every
attempt. Event rows are written in the transaction of the change; everything else happens after
commit, in the dispatcher."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from procurement.db import Base, UTCDateTime, utcnow
from procurement.enums import DeliveryStatus, NotificationMode, Role


class NotificationSubscription(Base):
    """Who hears of what, where. Owned by an API token (the account: its role, operator or vendor
    decide what it may hear) or by an operator (an admin-made team address; ``role`` is the view
    the team gets). Channel kind and language are ``procurement.notifications.message`` values."""

    __tablename__ = "notification_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"), index=True)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"), index=True)
    role: Mapped[Role | None] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    name: Mapped[str] = mapped_column(String(120))
    kinds: Mapped[list[str]] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str | None] = mapped_column(Text)  # write-only through the API
    language: Mapped[str] = mapped_column(String(8))
    mode: Mapped[NotificationMode] = mapped_column(
        Enum(NotificationMode, native_enum=False, length=16)
    )
    warn_working_days: Mapped[int] = mapped_column(Integer, default=5)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Deleting keeps the row (its deliveries stay in the log) but it is never listed nor used.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotificationEvent(Base):
    """The outbox: one row per domain event, written in the change's own transaction (so a rolled
    back change leaves none). ``dedupe_key`` makes periodic events (deadlines, digests) happen
    once; ``subscription_id`` targets one subscription (digests, per-subscription warnings)."""

    __tablename__ = "notification_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(48))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    purchase_id: Mapped[int | None] = mapped_column(ForeignKey("purchases.id"))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int | None] = mapped_column()
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    subscription_id: Mapped[int | None] = mapped_column(ForeignKey("notification_subscriptions.id"))
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    fanned_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class NotificationDelivery(Base):
    """One event for one subscription, until delivered or given up. ``notice_id`` is stable
    across retries so that receivers can drop a redelivered duplicate; ``claimed_until`` is the
    lease of the dispatcher working on it (a crashed one's lease runs out and another retries)."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "subscription_id", name="uq_notification_deliveries_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("notification_events.id"), index=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("notification_subscriptions.id"), index=True
    )
    notice_id: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[DeliveryStatus] = mapped_column(
        Enum(DeliveryStatus, native_enum=False, length=16), index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationAttempt(Base):
    """The delivery log: every attempt with its outcome."""

    __tablename__ = "notification_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("notification_deliveries.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered: Mapped[bool] = mapped_column(Boolean)
    retryable: Mapped[bool] = mapped_column(Boolean)
    status_code: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text)
