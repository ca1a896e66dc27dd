"""What an answer means: delivered, worth retrying, or refused for good (pure).

HTTP first (2xx accepted; 408, 429 and 5xx retryable; other 4xx refused), then, for the group
robots, the error code that WeCom, DingTalk and Feishu put in a JSON body of an HTTP 200."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from procurement.notifications.message import DeliveryOutcome

RETRYABLE_HTTP = frozenset({408, 425, 429})

# Codes that change by themselves (rate limits, "system busy"); any other non-zero code is a
# refusal that needs a person (bad key or token, bad signature, keyword or IP refused, too long).
WECOM_RETRYABLE = {-1: "system busy", 45009: "rate limited (20 messages a minute)"}
DINGTALK_RETRYABLE = {
    -1: "system busy",
    130101: "rate limited (20 messages a minute, then 10 minutes' pause)",
    410100: "rate limited",
}
FEISHU_RETRYABLE = {11232: "rate limited", 99991400: "rate limited"}

WECOM_REFUSALS = {93000: "invalid webhook key", 40058: "message too long or malformed"}
DINGTALK_REFUSALS = {
    310000: "security settings refused it (signature, keyword or IP)",
    300001: "invalid access token",
    400013: "the group was dissolved",
    460101: "message too long",
}
FEISHU_REFUSALS = {
    9499: "bad request (malformed or over 20 KB)",
    19021: "signature refused (bad secret, or clock off by more than an hour)",
    19022: "IP address not allowed",
    19024: "keyword required by the bot is missing",
}


def http_outcome(status: int, channel: str) -> DeliveryOutcome | None:
    """The outcome of a non-2xx status, or None for a 2xx (look at the body next)."""
    if 200 <= status < 300:
        return None
    retryable = status in RETRYABLE_HTTP or status >= 500
    verdict = "will retry" if retryable else "refused"
    return DeliveryOutcome(
        False, retryable, f"{channel} answered HTTP {status} ({verdict})", status
    )


def _json(body: bytes) -> Mapping[str, Any] | None:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _robot_outcome(
    channel: str,
    status: int,
    code: object,
    message: object,
    retryable: Mapping[int, str],
    refusals: Mapping[int, str],
) -> DeliveryOutcome:
    if code == 0:
        return DeliveryOutcome(True, False, f"{channel} accepted the message", status)
    if not isinstance(code, int):
        # A 200 without the vendor's answer: a proxy or captive page; the robot may be fine later.
        return DeliveryOutcome(False, True, f"{channel} gave no error code in its answer", status)
    meaning = retryable.get(code) or refusals.get(code) or "refused"
    detail = f"{channel} error {code}: {meaning}"
    if isinstance(message, str) and message:
        detail += f" ({message[:200]})"
    return DeliveryOutcome(False, code in retryable, detail, status)


def wecom_outcome(status: int, body: bytes) -> DeliveryOutcome:
    reply = _json(body) or {}
    return _robot_outcome(
        "WeCom", status, reply.get("errcode"), reply.get("errmsg"), WECOM_RETRYABLE, WECOM_REFUSALS
    )


def dingtalk_outcome(status: int, body: bytes) -> DeliveryOutcome:
    reply = _json(body) or {}
    return _robot_outcome(
        "DingTalk",
        status,
        reply.get("errcode"),
        reply.get("errmsg"),
        DINGTALK_RETRYABLE,
        DINGTALK_REFUSALS,
    )


def feishu_outcome(status: int, body: bytes) -> DeliveryOutcome:
    reply = _json(body) or {}
    # Older answers carry only StatusCode/StatusMessage; newer ones code/msg.
    code = reply.get("code", reply.get("StatusCode"))
    message = reply.get("msg", reply.get("StatusMessage"))
    return _robot_outcome("Feishu", status, code, message, FEISHU_RETRYABLE, FEISHU_REFUSALS)
