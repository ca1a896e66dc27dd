"""Subscription and delivery-log types. The webhook secret is write-only: only ``hasSecret``."""

from __future__ import annotations

from typing import Any

import graphene
from graphene import relay

from procurement.enums import DeliveryStatus, NotificationKind, NotificationMode
from procurement.models import NotificationDelivery as DeliveryModel
from procurement.models import NotificationSubscription as SubscriptionModel
from procurement.notifications.message import ChannelKind, Language
from schema.core.describe import enum_description
from schema.core.enums import RoleEnum
from schema.core.ids import to_global_id
from schema.core.pagination import CountedConnection
from schema.notifications.loaders import (
    AttemptsByDeliveryIdLoader,
    NotificationEventByIdLoader,
    SubscriptionByIdLoader,
)

NotificationKindEnum = graphene.Enum.from_enum(
    NotificationKind,
    name="NotificationKind",
    description=enum_description(
        "What a subscription may ask to hear of (webhook kind in brackets).",
        REVIEW_CASE_CHANGED="A review case changed state (review.case_changed)",
        REVIEW_DEADLINE_NEAR="A review deadline is near (review.deadline_near)",
        REVIEW_DEADLINE_PASSED="A review deadline has passed (review.deadline_passed)",
        SBOM_UPLOADED="An SBOM was uploaded (sbom.uploaded)",
        SBOM_REFUSED="An uploaded SBOM was refused (sbom.refused)",
        ADVISORY_HIT="A new advisory affects a purchase (screening.advisory_hit)",
        OBLIGATION_DUE="A provider obligation falls due (obligation.due)",
        OBLIGATION_FAILED="A supervision check found an obligation not met (obligation.failed)",
        AGREEMENT_SENT="An agreement was sent to the provider (agreement.sent)",
        AGREEMENT_SIGNED="An agreement was signed (agreement.signed)",
        JOB_FAILED="A background job failed (job.failed)",
    ),
)
NotificationModeEnum = graphene.Enum.from_enum(
    NotificationMode,
    name="NotificationMode",
    description=enum_description(
        "When notices are delivered.",
        IMMEDIATE="One notice per event, as soon as the dispatcher runs",
        DAILY_DIGEST="One summary a day at the configured hour, China time",
    ),
)
ChannelKindEnum = graphene.Enum.from_enum(
    ChannelKind,
    name="NotificationChannel",
    description=enum_description(
        "Where notices are delivered.",
        EMAIL="E-mail",
        WEBHOOK="Generic JSON webhook, signed with HMAC-SHA256 and a timestamp",
        WECOM="WeCom (企业微信) group robot",
        DINGTALK="DingTalk (钉钉) custom robot, optionally signed",
        FEISHU="Feishu (飞书) custom bot, optionally signed",
    ),
)
LanguageEnum = graphene.Enum.from_enum(
    Language,
    name="NotificationLanguage",
    description=enum_description(
        "The language notices are written in.",
        ZH_CN="Simplified Chinese",
        EN="English",
    ),
)
DeliveryStatusEnum = graphene.Enum.from_enum(
    DeliveryStatus,
    name="NotificationDeliveryStatus",
    description=enum_description(
        "Where a notice's delivery stands.",
        PENDING="Not delivered yet (may be retried)",
        DELIVERED="Delivered",
        FAILED="Delivery failed for good",
    ),
)


class NotificationSubscription(graphene.ObjectType):
    """Who hears of what, where: an account's own, or an operator's team address (admin-made)."""

    class Meta:
        interfaces = (relay.Node,)

    name = graphene.String(required=True, description="A name to tell it apart")
    operator_id = graphene.ID(description="Set for an operator's team address")
    role = graphene.Field(RoleEnum, description="The role a team address reads as")
    kinds = graphene.List(
        graphene.NonNull(NotificationKindEnum), required=True, description="What it hears of"
    )
    channel = graphene.Field(ChannelKindEnum, required=True, description="Where notices go")
    address = graphene.String(
        required=True, description="The e-mail address, or the webhook or robot URL"
    )
    has_secret = graphene.Boolean(required=True, description="The secret itself is never shown")
    language = graphene.Field(
        LanguageEnum, required=True, description="The language of its notices"
    )
    mode = graphene.Field(
        NotificationModeEnum, required=True, description="Immediately or as a daily digest"
    )
    warn_working_days = graphene.Int(
        required=True, description="Deadline warnings this many working days ahead"
    )
    active = graphene.Boolean(required=True, description="False: nothing is sent")
    created_at = graphene.DateTime(required=True, description="When it was created")
    updated_at = graphene.DateTime(required=True, description="When it last changed")

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, SubscriptionModel)

    @staticmethod
    def resolve_operator_id(root: SubscriptionModel, _info: Any) -> str | None:
        return None if root.operator_id is None else to_global_id("Operator", root.operator_id)

    @staticmethod
    def resolve_kinds(root: SubscriptionModel, _info: Any) -> list[NotificationKind]:
        return [NotificationKind(k) for k in root.kinds]

    @staticmethod
    def resolve_channel(root: SubscriptionModel, _info: Any) -> ChannelKind:
        return ChannelKind(root.channel)

    @staticmethod
    def resolve_language(root: SubscriptionModel, _info: Any) -> Language:
        return Language(root.language)

    @staticmethod
    def resolve_has_secret(root: SubscriptionModel, _info: Any) -> bool:
        return bool(root.secret)


class NotificationAttempt(graphene.ObjectType):
    """One delivery attempt: when, and what came of it."""

    number = graphene.Int(required=True, description="The attempt's number, from 1")
    attempted_at = graphene.DateTime(required=True, description="When it was made")
    delivered = graphene.Boolean(required=True, description="Whether it delivered the notice")
    retryable = graphene.Boolean(required=True, description="Whether a failure may be retried")
    status_code = graphene.Int(description="HTTP status or SMTP reply code, when there was one")
    detail = graphene.String(required=True, description="What came of it, e.g. the error")


class NotificationDelivery(graphene.ObjectType):
    """One notice for one subscription, with every attempt; FAILED ones were given up."""

    class Meta:
        interfaces = (relay.Node,)

    notice_id = graphene.String(required=True, description="Receivers drop duplicates by it")
    kind = graphene.String(
        required=True, description="The notice's kind, e.g. review.deadline_near"
    )
    occurred_at = graphene.DateTime(required=True, description="When the event happened")
    subscription = graphene.Field(
        NotificationSubscription, description="The subscription it was sent for"
    )
    status = graphene.Field(
        DeliveryStatusEnum, required=True, description="Where the delivery stands"
    )
    attempt_count = graphene.Int(required=True, description="How many attempts were made")
    next_attempt_at = graphene.DateTime(description="While PENDING")
    created_at = graphene.DateTime(required=True, description="When it was queued")
    finished_at = graphene.DateTime(
        description="When it was delivered or given up; null while PENDING"
    )
    attempts = graphene.List(
        graphene.NonNull(NotificationAttempt),
        required=True,
        description="Every attempt, oldest first",
    )

    @classmethod
    def is_type_of(cls, root: Any, _info: Any) -> bool:
        return isinstance(root, DeliveryModel)

    @staticmethod
    async def resolve_kind(root: DeliveryModel, info: Any) -> str:
        event = await NotificationEventByIdLoader(info).load(root.event_id)
        return "" if event is None else event.kind

    @staticmethod
    async def resolve_occurred_at(root: DeliveryModel, info: Any) -> Any:
        event = await NotificationEventByIdLoader(info).load(root.event_id)
        return root.created_at if event is None else event.occurred_at

    @staticmethod
    async def resolve_subscription(root: DeliveryModel, info: Any) -> Any:
        return await SubscriptionByIdLoader(info).load(root.subscription_id)

    @staticmethod
    def resolve_attempt_count(root: DeliveryModel, _info: Any) -> int:
        return root.attempts

    @staticmethod
    def resolve_next_attempt_at(root: DeliveryModel, _info: Any) -> Any:
        return root.next_attempt_at if root.status is DeliveryStatus.PENDING else None

    @staticmethod
    async def resolve_attempts(root: DeliveryModel, info: Any) -> Any:
        return await AttemptsByDeliveryIdLoader(info).load(root.id)


class NotificationSubscriptionConnection(CountedConnection):
    class Meta:
        node = NotificationSubscription
        description = "A page of NotificationSubscription nodes, with the total count"


class NotificationDeliveryConnection(CountedConnection):
    class Meta:
        node = NotificationDelivery
        description = "A page of NotificationDelivery nodes, with the total count"
