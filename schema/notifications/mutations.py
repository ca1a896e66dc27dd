"""Subscription mutations: your own for any role, an operator's team addresses for admins."""

from __future__ import annotations

from typing import Any

import graphene

from procurement.errors import InputError
from procurement.notifications import actions
from schema.context import context_of
from schema.core.enums import RoleEnum
from schema.core.ids import parse_global_id
from schema.core.payload import errors_field, run, to_errors
from schema.notifications.types import (
    ChannelKindEnum,
    LanguageEnum,
    NotificationDelivery,
    NotificationKindEnum,
    NotificationModeEnum,
    NotificationSubscription,
)

_FIELDS = (
    "name", "kinds", "channel", "address", "secret", "language", "mode", "warn_working_days",
    "active", "role",
)  # fmt: skip


def _input(values: dict[str, Any]) -> actions.SubscriptionInput:
    data = actions.SubscriptionInput(
        **{k: values[k] for k in _FIELDS if k in values and values[k] is not None}
    )
    if values.get("operator_id") is not None:
        data.operator_id = parse_global_id(values["operator_id"], "Operator", "operatorId")
    return data


class NotificationSubscriptionFields:
    kinds = graphene.List(graphene.NonNull(NotificationKindEnum), description="What it hears of")
    channel = graphene.Field(ChannelKindEnum, description="Where notices go")
    address = graphene.String(description="An email address, or the webhook/robot URL")
    secret = graphene.String(
        description="Signs webhook and robot requests; write-only. An empty string removes it"
    )
    language = graphene.Field(LanguageEnum, description="The language of its notices")
    mode = graphene.Field(NotificationModeEnum, description="Immediately or as a daily digest")
    warn_working_days = graphene.Int(description="Deadline warnings this many working days ahead")
    active = graphene.Boolean(description="False: nothing is sent")


class CreateNotificationSubscriptionInput(NotificationSubscriptionFields, graphene.InputObjectType):
    """A subscription to create"""

    name = graphene.String(required=True, description="A name to tell it apart")
    kinds = graphene.List(
        graphene.NonNull(NotificationKindEnum), required=True, description="What it hears of"
    )
    channel = graphene.Field(ChannelKindEnum, required=True, description="Where notices go")
    address = graphene.String(
        required=True, description="An email address, or the webhook/robot URL"
    )
    operator_id = graphene.ID(description="Admins: a team address of this operator")
    role = graphene.Field(RoleEnum, description="With operatorId: the role the team reads as")


class UpdateNotificationSubscriptionInput(NotificationSubscriptionFields, graphene.InputObjectType):
    """Changes to a subscription; only the fields given change"""

    name = graphene.String(description="A name to tell it apart")


class NotificationSubscriptionPayload(graphene.ObjectType):
    """The result of a subscription mutation"""

    subscription = graphene.Field(
        NotificationSubscription, description="The subscription; null when errors is not empty"
    )
    errors = errors_field()


class CreateNotificationSubscription(graphene.Mutation):
    class Arguments:
        input = CreateNotificationSubscriptionInput(
            required=True, description="The subscription to create"
        )

    Output = NotificationSubscriptionPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)
        try:
            data = _input(input)
        except InputError as error:
            return NotificationSubscriptionPayload(errors=to_errors(error))
        return await run(
            NotificationSubscriptionPayload,
            "subscription",
            lambda: ctx.call(actions.create_subscription, data),
        )


class UpdateNotificationSubscription(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True, description="The NotificationSubscription's global ID")
        input = UpdateNotificationSubscriptionInput(required=True, description="The changes")

    Output = NotificationSubscriptionPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, id: str, input: dict[str, Any]) -> Any:
        ctx = context_of(info)
        try:
            pk = parse_global_id(id, "NotificationSubscription", "id")
            data = _input(input)
        except InputError as error:
            return NotificationSubscriptionPayload(errors=to_errors(error))
        return await run(
            NotificationSubscriptionPayload,
            "subscription",
            lambda: ctx.call(actions.update_subscription, pk, data),
        )


class DeleteNotificationSubscriptionPayload(graphene.ObjectType):
    """The result of deleteNotificationSubscription"""

    deleted_id = graphene.ID(
        description="The deleted subscription's global ID; null when errors is not empty"
    )
    errors = errors_field()


class DeleteNotificationSubscription(graphene.Mutation):
    class Arguments:
        id = graphene.ID(required=True, description="The NotificationSubscription's global ID")

    Output = DeleteNotificationSubscriptionPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, id: str) -> Any:
        ctx = context_of(info)
        try:
            pk = parse_global_id(id, "NotificationSubscription", "id")
            await ctx.call(actions.delete_subscription, pk)
        except InputError as error:
            return DeleteNotificationSubscriptionPayload(errors=to_errors(error))
        return DeleteNotificationSubscriptionPayload(deleted_id=id, errors=[])


class SendTestNotificationPayload(graphene.ObjectType):
    """The result of sendTestNotification"""

    delivery = graphene.Field(NotificationDelivery, description="Queued; see its attempts")
    errors = errors_field()


class SendTestNotification(graphene.Mutation):
    """Queue a test notice to a subscription's channel; the dispatcher sends it at once."""

    class Arguments:
        id = graphene.ID(required=True, description="The NotificationSubscription's global ID")

    Output = SendTestNotificationPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, id: str) -> Any:
        ctx = context_of(info)
        try:
            pk = parse_global_id(id, "NotificationSubscription", "id")
        except InputError as error:
            return SendTestNotificationPayload(errors=to_errors(error))
        return await run(
            SendTestNotificationPayload,
            "delivery",
            lambda: ctx.call(actions.send_test_notification, pk),
        )


class NotificationMutations(graphene.ObjectType):
    create_notification_subscription = CreateNotificationSubscription.Field(
        description=(
            "Subscribe an address to notices: your own, or (admins) an operator's team address"
        )
    )
    update_notification_subscription = UpdateNotificationSubscription.Field(
        description="Change a subscription; only the fields given change"
    )
    delete_notification_subscription = DeleteNotificationSubscription.Field(
        description="Delete a subscription"
    )
    send_test_notification = SendTestNotification.Field()
