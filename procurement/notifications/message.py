"""The channel-neutral notice: what the outbox hands to a channel (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Language(StrEnum):
    ZH_CN = "zh-CN"
    EN = "en"


class ChannelKind(StrEnum):
    EMAIL = "EMAIL"
    WEBHOOK = "WEBHOOK"  # generic JSON, signed with HMAC-SHA256 and a timestamp
    WECOM = "WECOM"  # 企业微信 group robot
    DINGTALK = "DINGTALK"  # 钉钉 custom robot, optionally signed
    FEISHU = "FEISHU"  # 飞书 custom bot, optionally signed


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell one recipient, already in the recipient's language and already
    stripped of anything the recipient's role may not read."""

    kind: str  # e.g. "review.deadline_near"; stable, used by webhook receivers to route
    language: Language
    title: str
    lines: tuple[str, ...]
    occurred_at: datetime  # timezone-aware
    link: str | None = None  # absolute URL of the object in the service, when one is configured
    # Machine-readable facts for the generic webhook body (ids, states, dates as strings).
    facts: Mapping[str, str] = field(default_factory=dict)
    # Stable id of the notice: receivers use it to drop a redelivered duplicate.
    notice_id: str = ""


@dataclass(frozen=True, slots=True)
class ChannelTarget:
    """Where a subscription delivers: an email address or a webhook URL, and the secret that
    signs webhook requests (generic HMAC, DingTalk ``sign``, Feishu ``sign``) when one is set."""

    kind: ChannelKind
    address: str
    secret: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """What one delivery attempt did. ``retryable`` is False for a refusal that will not change
    by itself (a bad address, a robot that rejected the signature); such an attempt is logged
    and not retried."""

    delivered: bool
    retryable: bool
    detail: str
    status: int | None = None  # HTTP status or SMTP reply code, when there was one
