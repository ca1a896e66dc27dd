"""Channels: turn a notice into what each channel expects and send it.

``deliver`` is the one entry point the dispatcher calls. It never raises for a delivery problem:
every failure comes back as a ``DeliveryOutcome`` that says whether a retry may help. Payload
builders (``payloads``), signers (``signing``) and answer readers (``replies``) are pure; ``http``
and ``smtp`` are the thin transports."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from procurement.notifications.channels.config import ChannelConfig
from procurement.notifications.channels.robots import (
    deliver_dingtalk,
    deliver_feishu,
    deliver_wecom,
)
from procurement.notifications.channels.smtp import deliver_email
from procurement.notifications.channels.webhook import deliver_webhook
from procurement.notifications.message import ChannelKind, ChannelTarget, DeliveryOutcome, Notice

__all__ = ["ChannelConfig", "deliver"]

_Deliver = Callable[[ChannelTarget, Notice, ChannelConfig], Awaitable[DeliveryOutcome]]

_CHANNELS: dict[ChannelKind, _Deliver] = {
    ChannelKind.EMAIL: deliver_email,
    ChannelKind.WEBHOOK: deliver_webhook,
    ChannelKind.WECOM: deliver_wecom,
    ChannelKind.DINGTALK: deliver_dingtalk,
    ChannelKind.FEISHU: deliver_feishu,
}


async def deliver(target: ChannelTarget, notice: Notice, config: ChannelConfig) -> DeliveryOutcome:
    """Send ``notice`` to ``target`` once; the outcome says whether it arrived and, if not,
    whether trying again later may help."""
    return await _CHANNELS[target.kind](target, notice, config)
