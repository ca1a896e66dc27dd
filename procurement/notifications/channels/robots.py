"""The group robots of WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书): each answers HTTP 200
with its own error code in the body, and each signs (or not) in its own way."""

from __future__ import annotations

import time
from collections.abc import Callable

from procurement.notifications.channels.config import ChannelConfig
from procurement.notifications.channels.http import Answer, post
from procurement.notifications.channels.payloads import (
    dingtalk_payload,
    dumps,
    feishu_payload,
    wecom_payload,
)
from procurement.notifications.channels.replies import (
    dingtalk_outcome,
    feishu_outcome,
    http_outcome,
    wecom_outcome,
)
from procurement.notifications.channels.signing import dingtalk_sign, feishu_sign
from procurement.notifications.message import ChannelTarget, DeliveryOutcome, Notice


async def _send(
    url: str,
    body: bytes,
    config: ChannelConfig,
    channel: str,
    read: Callable[[int, bytes], DeliveryOutcome],
) -> DeliveryOutcome:
    answer = await post(url, body, {}, config, channel)
    if not isinstance(answer, Answer):
        return answer
    return http_outcome(answer.status, channel) or read(answer.status, answer.body)


def dingtalk_url(address: str, secret: str | None, timestamp_ms: int) -> str:
    """The robot URL with ``timestamp`` and ``sign`` appended when the robot is signed (the sign
    is already URL-encoded, so it is appended as is)."""
    if not secret:
        return address
    separator = "&" if "?" in address else "?"
    sign = dingtalk_sign(secret, timestamp_ms)
    return f"{address}{separator}timestamp={timestamp_ms}&sign={sign}"


async def deliver_wecom(
    target: ChannelTarget, notice: Notice, config: ChannelConfig
) -> DeliveryOutcome:
    # A WeCom robot has no signing: its key in the URL is the credential.
    body = dumps(wecom_payload(notice))
    return await _send(target.address, body, config, "WeCom", wecom_outcome)


async def deliver_dingtalk(
    target: ChannelTarget, notice: Notice, config: ChannelConfig
) -> DeliveryOutcome:
    url = dingtalk_url(target.address, target.secret, int(time.time() * 1000))
    body = dumps(dingtalk_payload(notice))
    return await _send(url, body, config, "DingTalk", dingtalk_outcome)


async def deliver_feishu(
    target: ChannelTarget, notice: Notice, config: ChannelConfig
) -> DeliveryOutcome:
    if target.secret:
        timestamp = int(time.time())
        payload = feishu_payload(notice, timestamp, feishu_sign(target.secret, timestamp))
    else:
        payload = feishu_payload(notice)
    return await _send(target.address, dumps(payload), config, "Feishu", feishu_outcome)
