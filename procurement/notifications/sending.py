"""The channels as the dispatcher calls them: ``deliver(target, notice)`` with this
installation's channel configuration bound in."""

from __future__ import annotations

from procurement.notifications.channels import ChannelConfig, deliver
from procurement.notifications.dispatcher import Deliver
from procurement.notifications.message import ChannelTarget, DeliveryOutcome, Notice
from procurement.settings import Settings


def channel_sender(settings: Settings, config: ChannelConfig | None = None) -> Deliver:
    bound = config or ChannelConfig.from_settings(settings)

    async def send(target: ChannelTarget, notice: Notice) -> DeliveryOutcome:
        return await deliver(target, notice, bound)

    return send
