"""Request signatures (pure): the generic webhook's, DingTalk's "加签" and Feishu's.

Each takes the timestamp as an argument so that tests can check it against a vector; the
transport supplies the current time."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote_plus

# The generic webhook's headers (documented in README.md "Notifications").
TIMESTAMP_HEADER = "X-Procurement-Timestamp"
SIGNATURE_HEADER = "X-Procurement-Signature"
NOTICE_ID_HEADER = "X-Procurement-Notice-Id"
SIGNATURE_PREFIX = "sha256="


def webhook_signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 keyed by the secret over ``<timestamp>.<raw body>``.

    The timestamp (Unix seconds) is inside the signed text so that a receiver can reject a
    replayed request by its age."""
    signed = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk custom robot "加签": base64(HMAC-SHA256 keyed by the secret over
    ``"<timestamp ms>\\n<secret>"``), URL-encoded, to go in the query as ``sign``."""
    signed = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode("ascii"))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu custom bot signature: base64(HMAC-SHA256 keyed by ``"<timestamp s>\\n<secret>"``
    over an empty message), sent in the JSON body as ``sign``."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")
