"""Helpers for the notification tests: subscriptions made directly, and a recording channel."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from procurement.enums import NotificationKind, NotificationMode, Role
from procurement.models import ApiToken, NotificationEvent, NotificationSubscription
from procurement.notifications.message import ChannelTarget, DeliveryOutcome, Notice

ALL_KINDS = [k.value for k in NotificationKind]


async def token_id(session: AsyncSession, name: str) -> int:
    found = await session.scalar(select(ApiToken.id).where(ApiToken.name == name))
    assert found is not None, name
    return found


async def subscribe(
    session: AsyncSession,
    *,
    token: str | None = None,
    operator_id: int | None = None,
    role: Role | None = None,
    kinds: list[str] | None = None,
    language: str = "en",
    mode: NotificationMode = NotificationMode.IMMEDIATE,
    address: str = "http://127.0.0.1:9/hook",
    channel: str = "WEBHOOK",
    warn_working_days: int = 5,
    name: str = "test",
) -> int:
    sub = NotificationSubscription(
        token_id=await token_id(session, token) if token else None,
        operator_id=operator_id,
        role=role,
        name=name,
        kinds=kinds if kinds is not None else ALL_KINDS,
        channel=channel,
        address=address,
        language=language,
        mode=mode,
        warn_working_days=warn_working_days,
        active=True,
    )
    session.add(sub)
    await session.commit()
    return sub.id


async def events(session: AsyncSession) -> list[NotificationEvent]:
    return list(await session.scalars(select(NotificationEvent).order_by(NotificationEvent.id)))


@dataclass
class Recorder:
    """A channel that records what it was asked to send and answers from a script."""

    sent: list[tuple[ChannelTarget, Notice]] = field(default_factory=list)
    script: list[DeliveryOutcome] = field(default_factory=list)

    async def __call__(self, target: ChannelTarget, notice: Notice) -> DeliveryOutcome:
        self.sent.append((target, notice))
        if self.script:
            return self.script.pop(0)
        return DeliveryOutcome(True, False, "ok", 200)
