from __future__ import annotations

from typing import Any

import graphene

from procurement.exposure import actions as service
from procurement.exposure.fill import enqueued_fill
from procurement.screening.actions import rates
from schema.context import context_of
from schema.core.payload import errors_field, run
from schema.core.scalars import Decimal
from schema.exposure.queries import ExchangeRateType
from schema.jobs.types import Job


class SetExchangeRateInput(graphene.InputObjectType):
    """A CNY exchange rate"""

    currency = graphene.String(required=True, description="ISO 4217, not CNY")
    rate_to_cny = graphene.InputField(Decimal, required=True, description="CNY per 1 unit")
    valid_from = graphene.Date(required=True, description="The first day it applies (China time)")
    source = graphene.String(required=True, description="e.g. PBOC central parity, 2025-03-03")


FILL_JOB = "Refills the exposure figures the change dropped (kind exposure.fill_cache)"


class SetExchangeRatePayload(graphene.ObjectType):
    """The result of setExchangeRate"""

    exchange_rate = graphene.Field(
        ExchangeRateType, description="The recorded rate; null when errors is not empty"
    )
    job = graphene.Field(Job, description=FILL_JOB)
    errors = errors_field()


class SetExchangeRate(graphene.Mutation):
    """Record the CNY rate of a currency from a date on (admin); the same day again replaces it."""

    class Arguments:
        input = SetExchangeRateInput(required=True, description="The rate to record")

    Output = SetExchangeRatePayload

    @staticmethod
    async def mutate(_root: Any, info: Any, input: dict[str, Any]) -> Any:
        ctx = context_of(info)
        payload = await run(
            SetExchangeRatePayload, "exchange_rate",
            lambda: ctx.call(
                rates.set_exchange_rate, input["currency"], input["rate_to_cny"],
                input["valid_from"], input["source"],
            ),
        )  # fmt: skip
        if payload.exchange_rate is not None:
            payload.job = enqueued_fill(ctx.session)
        return payload


class UpdatePenaltySchedulesPayload(graphene.ObjectType):
    """The result of updatePenaltySchedules"""

    version = graphene.Int(description="The new version; null when errors is not empty")
    job = graphene.Field(Job, description=FILL_JOB)
    errors = errors_field()


class UpdatePenaltySchedules(graphene.Mutation):
    """Replace the penalty schedules with a new version (admin): a JSON document in the format of
    ``penaltySchedules``; every record is checked, and old versions are kept."""

    class Arguments:
        document = graphene.String(
            required=True, description="The JSON document, in the format of penaltySchedules"
        )
        note = graphene.String(description="What changed")

    Output = UpdatePenaltySchedulesPayload

    @staticmethod
    async def mutate(_root: Any, info: Any, document: str, note: str | None = None) -> Any:
        ctx = context_of(info)

        async def action() -> Any:
            row = await ctx.call(service.update_penalty_schedules, document, note)
            return row.version

        payload = await run(UpdatePenaltySchedulesPayload, "version", action)
        if payload.version is not None:
            payload.job = enqueued_fill(ctx.session)
        return payload


class ExposureMutations(graphene.ObjectType):
    set_exchange_rate = SetExchangeRate.Field()
    update_penalty_schedules = UpdatePenaltySchedules.Field()
