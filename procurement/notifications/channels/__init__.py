"""Channels: turn a notice into what each channel expects and send it.

``deliver`` is the one entry point the dispatcher calls. It never raises for a delivery problem:
every failure comes back as a ``DeliveryOutcome`` that says whether a retry may help. Payload
builders (``payloads``), signers (``signing``) and answer readers (``replies``) are pure; ``http``
and ``smtp`` are the thin transports."""

from __future__ import annotations

import logging
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

log = logging.getLogger(__name__)

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
    try:
        return await _CHANNELS[target.kind](target, notice, config)
    except Exception:
        # A bug here must not stop the dispatcher from delivering the other notices; the same
        # input would fail the same way, so it is not retried.
        log.exception("notification channel %s failed unexpectedly", target.kind.value)
        return DeliveryOutcome(False, False, f"internal error in the {target.kind.value} channel")
