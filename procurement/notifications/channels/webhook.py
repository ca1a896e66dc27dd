"""The generic JSON webhook: signed with HMAC-SHA256 over "<timestamp>.<raw body>"."""

from __future__ import annotations

import time

from procurement.notifications.channels.config import ChannelConfig
from procurement.notifications.channels.http import Answer, post
from procurement.notifications.channels.payloads import webhook_body
from procurement.notifications.channels.replies import http_outcome
from procurement.notifications.channels.signing import (
    NOTICE_ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    webhook_signature,
)
from procurement.notifications.message import ChannelTarget, DeliveryOutcome, Notice


def webhook_headers(
    secret: str | None, timestamp: int, body: bytes, notice_id: str
) -> dict[str, str]:
    headers = {TIMESTAMP_HEADER: str(timestamp)}
    if notice_id.isascii() and notice_id.isprintable() and notice_id:
        headers[NOTICE_ID_HEADER] = notice_id  # the body's "id" carries it in any case
    if secret:
        headers[SIGNATURE_HEADER] = webhook_signature(secret, timestamp, body)
    return headers


async def deliver_webhook(
    target: ChannelTarget, notice: Notice, config: ChannelConfig
) -> DeliveryOutcome:
    body = webhook_body(notice)
    headers = webhook_headers(target.secret, int(time.time()), body, notice.notice_id)
    answer = await post(target.address, body, headers, config, "webhook")
    if not isinstance(answer, Answer):
        return answer
    refused = http_outcome(answer.status, "webhook")
    if refused is not None:
        return refused
    detail = f"webhook answered HTTP {answer.status}"
    if answer.redirected_to is not None:
        detail += f" at {answer.redirected_to} (redirected)"
    return DeliveryOutcome(True, False, detail, answer.status)
